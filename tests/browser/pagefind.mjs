// Pagefind side by side (`cargo xtask bench`): the same five documents as a static site with
// one page per paragraph, indexed by Pagefind 1.6 (tests/browser/bench-tools), measured as the
// widget is (`measure.mjs`: bytes before the first answer, first answer after the load event)
// and its query latency.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './harness.mjs';

const tools = path.join(root, 'tests', 'browser', 'bench-tools', 'node_modules');
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// The search page: Pagefind's script starts loading as the widget's loader does (a module
// script), and `__pf` resolves to it, initialised (its wasm and metadata fetched).
const SEARCH_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Pagefind</title>
<script type="module">window.__pf = import('./pagefind/pagefind.js').then(async (pf) => { await pf.init(); return pf; });</script>
<body><main>Pagefind</main></body></html>`;

/**
 * Writes the site into `dir` (one page per non-empty line of each seed document, titled with
 * the document's first line) and indexes it with Pagefind. Returns the number of pages.
 */
export function buildSite(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'p'), { recursive: true });
  const seeds = path.join(root, 'seeds');
  let n = 0;
  for (const f of readdirSync(seeds).filter((f) => /^\d{3}_.*\.txt$/.test(f)).sort()) {
    const lines = readFileSync(path.join(seeds, f), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    for (const line of lines) {
      n += 1;
      writeFileSync(path.join(dir, 'p', `${n}.html`), `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${escape(lines[0])}</title><body><main data-pagefind-body><h1>${escape(lines[0])}</h1><p>${escape(line)}</p></main></body></html>`);
    }
  }
  writeFileSync(path.join(dir, 'search.html'), SEARCH_PAGE);
  execFileSync(path.join(tools, '.bin', 'pagefind'), ['--site', dir, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return n;
}

/** Whether the bench tools, Pagefind and Lighthouse, are installed (`npm ci` in
 *  tests/browser/bench-tools, as `cargo xtask bench` does). */
export function installed() {
  return ['pagefind', 'lighthouse'].every((p) => existsSync(path.join(tools, p)));
}

/**
 * Pagefind's query latency on its loaded search page: each question searched and its first
 * result fetched, once to load the index chunks it needs, then timed 5 times.
 */
export function pagefindLatency(page, questions) {
  return page.evaluate(async (qs) => {
    const pf = await window.__pf;
    const one = async (q) => { const r = await pf.search(q); if (r.results.length) await r.results[0].data(); };
    for (const q of qs) await one(q);
    const per = [];
    for (let round = 0; round < 5; round++) {
      for (const q of qs) {
        const s = performance.now();
        await one(q);
        per.push(performance.now() - s);
      }
    }
    per.sort((a, b) => a - b);
    const pick = (p) => per[Math.min(per.length - 1, Math.round((per.length - 1) * p))];
    return { p50: pick(0.5), p95: pick(0.95), max: per[per.length - 1], n: per.length };
  }, questions);
}
