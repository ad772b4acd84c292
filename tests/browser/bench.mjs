// Browser timings for `cargo xtask bench`: cold page load to first answer, and query latency.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, dist } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dev = readFileSync(path.join(here, '..', 'data', 'dev.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);
const { proc, url } = await startServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const cold = [];
for (let i = 0; i < 9; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Measured inside the page: from the page's own load event to the first answer, with the
  // question asked the moment the page has loaded (no harness round trip in the number).
  await page.addInitScript(() => {
    window.addEventListener('load', async () => {
      const loaded = performance.now();
      await customElements.whenDefined('policy-qa');
      const a = await document.querySelector('policy-qa').ask('海外开品牌专卖店有什么奖励');
      window.__firstAnswer = a.answers.length ? performance.now() - loaded : -1;
    });
  });
  await page.goto(url + 'index.html', { waitUntil: 'load' });
  await page.waitForFunction(() => window.__firstAnswer !== undefined);
  cold.push(await page.evaluate(() => window.__firstAnswer));
  await context.close();
}
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(url + 'index.html', { waitUntil: 'load' });
const lat = await page.evaluate(async (qs) => {
  const { policyQa } = await import('./policy-qa.js');
  const qa = await policyQa();
  const t0 = performance.now();
  const start = performance.now();
  qa.ask('预热');
  const startup = performance.now() - start;
  // performance.now() is coarsened (100 µs) without cross-origin isolation: time batches of
  // 20 asks of one question and divide.
  const per = [];
  for (let round = 0; round < 5; round++) {
    for (const q of qs) {
      const s = performance.now();
      for (let k = 0; k < 20; k++) qa.ask(q);
      per.push((performance.now() - s) / 20);
    }
  }
  per.sort((a, b) => a - b);
  const pick = (p) => per[Math.min(per.length - 1, Math.round((per.length - 1) * p))];
  return { p50: pick(0.5), p95: pick(0.95), max: per[per.length - 1], n: per.length, warm: startup, total: performance.now() - t0 };
}, dev);
// Larger corpora from the scale benchmark (target/scale/kb-N.bin), loaded with fromBytes.
const { readdirSync, existsSync, mkdirSync, copyFileSync } = await import('node:fs');
const scaleDir = path.join(here, '..', '..', 'target', 'scale');
const scale = [];
if (existsSync(scaleDir)) {
  mkdirSync(path.join(dist, 'scale'), { recursive: true });
  for (const f of readdirSync(scaleDir).filter((f) => /^kb-\d+\.bin$/.test(f)).sort((a, b) => parseInt(a.slice(3)) - parseInt(b.slice(3)))) {
    copyFileSync(path.join(scaleDir, f), path.join(dist, 'scale', f));
    const r = await page.evaluate(async ({ f, qs }) => {
      const { policyQa } = await import('./policy-qa.js');
      await policyQa();
      const { PolicyQa } = await import('./pkg/policy_qa.js');
      const u8 = new Uint8Array(await (await fetch('scale/' + f)).arrayBuffer());
      const s = performance.now();
      const qa = PolicyQa.fromBytes(u8);
      const start = performance.now() - s;
      const per = [];
      for (const q of qs) { const t = performance.now(); qa.ask(q); per.push(performance.now() - t); }
      per.sort((a, b) => a - b);
      return { start, p50: per[Math.floor(per.length / 2)], p95: per[Math.floor(per.length * 0.95)] };
    }, { f, qs: dev });
    scale.push(`${f}: start-up ${r.start.toFixed(0)} ms, query p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
  }
}
cold.sort((a, b) => a - b);
console.log(`cold load → first answer (after the page's load event), median of ${cold.length}: ${cold[Math.floor(cold.length / 2)].toFixed(1)} ms  (all: ${cold.map((c) => c.toFixed(1)).join(', ')})`);
console.log(`query latency in Chromium over ${lat.n} samples (batches of 20): p50 ${(lat.p50 * 1000).toFixed(0)} µs, p95 ${(lat.p95 * 1000).toFixed(0)} µs, max ${(lat.max * 1000).toFixed(0)} µs`);
for (const line of scale) console.log(`in Chromium, ${line}`);
await browser.close();
proc.kill();
