// Compares two builds of the widget in one run, alternating them in ABBA order so that a noisy
// machine (and whatever the previous page leaves behind) treats both alike: cold page load →
// first answer on the demo page, and query latency.
//   XTASK_SERVE=target/release/xtask node tests/browser/compare.mjs OLD/dist dist   [N=16]
import { launch, startServer } from './harness.mjs';
import { devQuestions, firstAnswer, firstShown, median, queryLatency } from './measure.mjs';

const dirs = process.argv.slice(2);
if (dirs.length !== 2) throw new Error('usage: compare.mjs DIST_A DIST_B');
const servers = await Promise.all(dirs.map((d) => startServer(d)));
const browser = await launch();
const cold = [[], []];
const shown = [[], []];
for (let i = 0; i < +(process.env.N ?? 16); i++) {
  for (const k of i % 2 ? [1, 0] : [0, 1]) cold[k].push(await firstAnswer(browser, servers[k].url + 'index.html'));
  for (const k of i % 2 ? [1, 0] : [0, 1]) shown[k].push(await firstShown(browser, servers[k].url + 'csp.html'));
}
for (const k of [0, 1]) {
  const page = await browser.newPage();
  await page.goto(servers[k].url + 'index.html', { waitUntil: 'load' });
  const lat = await queryLatency(page, devQuestions);
  await page.close();
  const m = (key) => median(cold[k].map((r) => r[key])).toFixed(0);
  const s = (key) => median(shown[k].map((r) => r[key])).toFixed(1);
  console.log(`${dirs[k]}: first answer ${m('afterLoad')} ms after load, ${m('answer')} ms after navigation, ${m('afterWasm')} ms after the wasm arrived; widget painted at ${s('shown')} ms on csp.html, longest task after that ${s('longest')} ms, a question asked 1.5 s later answered in ${s('idleAsk')} ms (medians of ${cold[k].length}); query p50 ${(lat.p50 * 1000).toFixed(0)} µs, p95 ${(lat.p95 * 1000).toFixed(0)} µs`);
}
await browser.close();
servers.forEach((s) => s.proc.kill());
