// What every browser script shares: where the project and dist/ are, the static server
// (`xtask static DIR` on a free loopback port) and how Chromium is launched.
// `cargo xtask test` and `cargo xtask bench` set CHROMIUM, XTASK_SERVE and DIST.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const dist = process.env.DIST ?? path.join(root, 'dist');

/** Serves `dir` (dist/ by default); resolves to the server process and its URL. */
export async function startServer(dir = dist) {
  const proc = spawn(process.env.XTASK_SERVE, ['static', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  return { proc, url };
}

// For the tests and the timings alike: no sandbox (CI runs as root in a container), no GPU, no
// traffic of Chromium's own (updates, sync: it would show in the tests' request logs and compete
// for the CPU), /tmp instead of a container's small /dev/shm.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}
