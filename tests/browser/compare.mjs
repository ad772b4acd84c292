// Compares two builds of the widget in one run, interleaved in ABBA order, so that a noisy machine
// (and whatever the previous page leaves behind) treats both alike: cold page load → first answer
// on the demo page, and query latency.
//   XTASK_SERVE=target/release/xtask node tests/browser/compare.mjs OLD/dist dist   [N=15]
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dev = readFileSync(path.join(here, '..', 'data', 'dev.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);
const dirs = process.argv.slice(2);
if (dirs.length < 2) throw new Error('usage: compare.mjs DIST_A DIST_B');
async function serve(dir) {
  const proc = spawn(process.env.XTASK_SERVE, ['static', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((res, rej) => {
    let b = '';
    proc.stdout.on('data', (d) => { b += d; const m = b.match(/http:\/\/127\.0\.0\.1:\d+\//); if (m) res(m[0]); });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  return { proc, url };
}
const servers = await Promise.all(dirs.map(serve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const cold = dirs.map(() => []);
for (let i = 0; i < +(process.env.N ?? 15); i++) {
  const order = dirs.map((_, k) => k);
  if (i % 2) order.reverse();
  for (const k of order) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.addEventListener('load', async () => {
        const l = performance.now();
        await customElements.whenDefined('policy-qa');
        await document.querySelector('policy-qa').ask('海外开品牌专卖店有什么奖励');
        window.__r = [performance.now() - l, performance.now()];
      });
    });
    await page.goto(servers[k].url + 'index.html', { waitUntil: 'load' });
    await page.waitForFunction(() => window.__r);
    cold[k].push(await page.evaluate(() => window.__r));
    await context.close();
  }
}
const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (let k = 0; k < dirs.length; k++) {
  const page = await browser.newPage();
  await page.goto(servers[k].url + 'index.html', { waitUntil: 'load' });
  const [p50, p95] = await page.evaluate(async (qs) => {
    const { policyQa } = await import('./policy-qa.js');
    const qa = await policyQa();
    const per = [];
    for (let round = 0; round < 5; round++) {
      for (const q of qs) { const s = performance.now(); for (let j = 0; j < 20; j++) qa.ask(q); per.push((performance.now() - s) / 20); }
    }
    per.sort((a, b) => a - b);
    return [per[Math.floor(per.length / 2)], per[Math.floor(per.length * 0.95)]];
  }, dev);
  await page.close();
  console.log(`${dirs[k]}: first answer ${med(cold[k].map((r) => r[0])).toFixed(0)} ms after load, ${med(cold[k].map((r) => r[1])).toFixed(0)} ms after navigation (medians of ${cold[k].length}); query p50 ${(p50 * 1000).toFixed(0)} µs, p95 ${(p95 * 1000).toFixed(0)} µs`);
}
await browser.close();
servers.forEach((s) => s.proc.kill());
