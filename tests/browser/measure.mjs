// Browser measurements shared by `bench.mjs` (`cargo xtask bench`) and `compare.mjs`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The dev set's questions. */
export const devQuestions = readFileSync(path.join(here, '..', 'data', 'dev.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);

/**
 * One cold load of `pageUrl` in a fresh context, the question asked the moment the page has
 * loaded (measured inside the page: no harness round trip in the number), of the widget or, on
 * Pagefind's search page (`pagefind.mjs`), of Pagefind, whose answer is its first result's page.
 * Returns milliseconds: the first answer after the load event, and the load event and the
 * answer after navigation start, so that a change that only delays the load event cannot pass
 * for a faster widget. With `bytes`, also `gzip`: everything fetched until the answer, the page
 * included, as a server gzipping it would send it (a separate run: reading the bodies through
 * the debugging protocol would slow the page being timed).
 */
export async function firstAnswer(browser, pageUrl, { who = 'widget', question = '海外开品牌专卖店有什么奖励', bytes = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  if (bytes) page.on('response', (r) => bodies.push(r.body().then((b) => b, () => null)));
  await page.addInitScript(({ q, who }) => {
    const ask = {
      async widget() {
        await customElements.whenDefined('policy-qa');
        return (await document.querySelector('policy-qa').ask(q)).answers.length > 0;
      },
      async pagefind() {
        const pf = await window.__pf;
        const r = await pf.search(q);
        return r.results.length ? (await r.results[0].data(), true) : false;
      },
    }[who];
    window.addEventListener('load', async () => {
      const loaded = performance.now();
      const ok = await ask();
      const now = performance.now();
      // When the wasm's last byte arrived (Pagefind: its last file before the answer).
      const wasm = performance.getEntriesByType('resource').filter((e) => /\.wasm$|pagefind/.test(e.name));
      const arrived = Math.max(0, ...wasm.map((e) => e.responseEnd));
      window.__first = ok ? { afterLoad: now - loaded, load: loaded, answer: now, afterWasm: now - arrived } : { afterLoad: -1, load: loaded, answer: -1, afterWasm: -1 };
    });
  }, { q: question, who });
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__first !== undefined);
  const r = await page.evaluate(() => window.__first);
  // Pagefind's index files are gzip already and barely shrink.
  if (bytes) r.gzip = (await Promise.all(bodies)).filter(Boolean).reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0);
  await context.close();
  return r;
}

/**
 * One cold load of `pageUrl` with nobody asking. Returns milliseconds: `shown`, after navigation
 * start, the first frame that has the widget's search box (requestAnimationFrame runs just
 * before a frame is painted), i.e. when a visitor sees the widget, whatever the engine is still
 * doing; and `longest`, the longest task of the main thread after that within 1.5 s (Chromium's
 * long tasks, 50 ms and more; 0 if none), i.e. how long the widget's start-up can keep the page
 * from responding to a visitor; `idleAsk`, how long the first question takes when a visitor
 * asks it after those 1.5 s (what typing into a page that has settled waits for).
 */
export async function firstShown(browser, pageUrl, question = '海外开品牌专卖店有什么奖励') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: 'longtask', buffered: true });
    const poll = () => {
      if (document.querySelector('policy-qa')?.shadowRoot?.querySelector('input[type="search"]')) window.__shown = performance.now();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__shown !== undefined);
  await page.waitForTimeout(1500);
  const r = await page.evaluate(async (q) => {
    const longest = Math.max(0, ...window.__long.filter(([start]) => start >= window.__shown).map(([, d]) => d));
    const start = performance.now();
    await document.querySelector('policy-qa').ask(q);
    return { shown: window.__shown, longest, idleAsk: performance.now() - start };
  }, question);
  await context.close();
  return r;
}

/**
 * Query latency on a page that has the widget's loader: every question 5 times. `performance.now()`
 * is coarsened (100 µs) without cross-origin isolation, so each sample is a batch of 20 asks of
 * one question, divided.
 */
export function queryLatency(page, questions) {
  return page.evaluate(async (qs) => {
    const { policyQa } = await import('./policy-qa.js');
    const qa = await policyQa();
    qa.ask('预热');
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
    return { p50: pick(0.5), p95: pick(0.95), max: per[per.length - 1], n: per.length };
  }, questions);
}

export const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
