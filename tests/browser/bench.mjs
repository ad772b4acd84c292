// Browser timings for `cargo xtask bench`: cold page load to first answer and query latency,
// side by side with Pagefind on the same documents, and Lighthouse on the demo page.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, startServer, dist, root } from './harness.mjs';
import { devQuestions as dev, firstAnswer, firstShown, median, queryLatency } from './measure.mjs';
import * as pagefind from './pagefind.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { proc, url } = await startServer();
const browser = await launch();
// Cold page loads of the demo page (see `firstAnswer`: a change that only delays the load event,
// as a <link rel=preload> of the wasm does — 37 ms "after load", the answer 110 ms later after
// navigation — cannot pass for a faster widget).
// Pagefind's in the same run, alternating with ours (ABBA).
const coldRuns = +(process.env.COLD_RUNS ?? 11);
const tools = pagefind.installed();
const pf = tools ? (pagefind.buildSite(path.join(root, 'target', 'pagefind-site')), await startServer(path.join(root, 'target', 'pagefind-site'))) : null;
const cold = [];
const pfCold = [];
for (let i = 0; i < coldRuns; i++) {
  const ours = () => firstAnswer(browser, url + 'index.html').then((r) => cold.push(r));
  const theirs = () => (pf ? firstAnswer(browser, pf.url + 'search.html', { who: 'pagefind' }).then((r) => pfCold.push(r)) : null);
  for (const run of i % 2 ? [theirs, ours] : [ours, theirs]) await run();
}
const bytes = (await firstAnswer(browser, url + 'index.html', { bytes: true })).gzip;
const pfBytes = pf ? (await firstAnswer(browser, pf.url + 'search.html', { who: 'pagefind', bytes: true })).gzip : 0;
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
console.log(`fetched before the first answer (the demo page and its own files included), gzip: ${bytes} B`);
if (pf) {
  const pfPage = await browser.newPage();
  await pfPage.goto(pf.url + 'search.html', { waitUntil: 'load' });
  const pfLat = await pagefind.pagefindLatency(pfPage, dev);
  const ratio = (a, b) => (a / b).toFixed(2);
  const mine = median(after);
  const theirs = median(pfCold.map((c) => c.afterLoad));
  console.log(`Pagefind 1.6 on the same documents (one page per paragraph), same run: ${pfBytes} B gzip before its first result; first result ${theirs.toFixed(0)} ms after the load event (load at ${median(pfCold.map((c) => c.load)).toFixed(0)} ms, result at ${median(pfCold.map((c) => c.answer)).toFixed(0)} ms after navigation); query p50 ${(pfLat.p50 * 1000).toFixed(0)} µs, p95 ${(pfLat.p95 * 1000).toFixed(0)} µs`);
  console.log(`policy-qa / Pagefind: bytes ${ratio(bytes, pfBytes)}, first answer after load ${ratio(mine, theirs)}, after navigation ${ratio(median(cold.map((c) => c.answer)), median(pfCold.map((c) => c.answer)))}, query p95 ${ratio(lat.p95, pfLat.p95)}`);
  pf.proc.kill();
} else {
  console.log('Pagefind and Lighthouse are not installed (npm ci in tests/browser/bench-tools): no side-by-side run, no audit');
}
if (tools) lighthouse(url + 'index.html');
await browser.close();
proc.kill();

/** Lighthouse 12 on the demo page (its default mobile emulation), two runs. */
function lighthouse(pageUrl) {
  const bin = path.join(root, 'tests', 'browser', 'bench-tools', 'node_modules', '.bin', 'lighthouse');
  const flags = '--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run';
  for (let run = 1; run <= 2; run++) {
    const out = path.join(root, 'target', `lighthouse-${run}.json`);
    execFileSync(bin, [pageUrl, `--chrome-flags=${flags}`, '--only-categories=performance,accessibility', '--output=json', `--output-path=${out}`, '--quiet'],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const failed = Object.entries(r.audits).filter(([, a]) => a.scoreDisplayMode === 'binary' && a.score === 0).map(([id]) => id);
    console.log(`Lighthouse on the demo page, run ${run}: performance ${r.categories.performance.score}, accessibility ${r.categories.accessibility.score}, cumulative layout shift ${r.audits['cumulative-layout-shift'].numericValue.toFixed(4)}, total blocking time ${r.audits['total-blocking-time'].numericValue.toFixed(0)} ms${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
  }
}
