// Browser timings for `cargo xtask bench`: cold page load to first answer, and query latency.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, startServer, dist } from './harness.mjs';
import { devQuestions as dev, firstAnswer, firstShown, median, queryLatency } from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { proc, url } = await startServer();
const browser = await launch();
// Cold page loads of the demo page (see `firstAnswer`: a change that only delays the load event,
// as a <link rel=preload> of the wasm does — 37 ms "after load", the answer 110 ms later after
// navigation — cannot pass for a faster widget).
const coldRuns = +(process.env.COLD_RUNS ?? 11);
const cold = [];
for (let i = 0; i < coldRuns; i++) cold.push(await firstAnswer(browser, url + 'index.html'));
// csp.html has no script of its own that asks the engine for anything (the demo page lists the
// documents), so this is when a host page shows the widget.
const shown = [];
for (let i = 0; i < coldRuns; i++) shown.push(await firstShown(browser, url + 'csp.html'));
const page = await browser.newPage();
await page.goto(url + 'index.html', { waitUntil: 'load' });
const lat = await queryLatency(page, dev);
// Larger corpora from the scale benchmark (target/scale/kb-N.bin), loaded with fromBytes.
const { readdirSync, existsSync, mkdirSync, copyFileSync, rmSync } = await import('node:fs');
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
  // dist/ is what a site serves: the benchmark's corpora do not stay in it.
  rmSync(path.join(dist, 'scale'), { recursive: true });
}
const after = cold.map((c) => c.afterLoad).sort((a, b) => a - b);
console.log(`cold load → first answer on the demo page, medians of ${coldRuns}: ${median(after).toFixed(1)} ms after the load event (all: ${after.map((x) => x.toFixed(0)).join(', ')}); load event at ${median(cold.map((c) => c.load)).toFixed(0)} ms, first answer at ${median(cold.map((c) => c.answer)).toFixed(0)} ms after navigation start`);
console.log(`csp.html, nobody asking, medians of ${coldRuns}: widget first painted ${median(shown.map((r) => r.shown)).toFixed(0)} ms after navigation start; longest main-thread task after that ${median(shown.map((r) => r.longest)).toFixed(0)} ms`);
console.log(`query latency in Chromium over ${lat.n} samples (batches of 20): p50 ${(lat.p50 * 1000).toFixed(0)} µs, p95 ${(lat.p95 * 1000).toFixed(0)} µs, max ${(lat.max * 1000).toFixed(0)} µs`);
for (const line of scale) console.log(`in Chromium, ${line}`);
await browser.close();
proc.kill();
