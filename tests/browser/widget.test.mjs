// The widget in headless Chromium: what a user types, sees and can do; privacy and security.
// Run by `cargo xtask test` (which builds dist/ first): node --test widget.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, startServer, root, dist } from './harness.mjs';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const cli = path.join(root, 'target', 'release', 'policy-qa');
const shots = path.join(root, 'target', 'screenshots');

let server, base, browser;

before(async () => {
  ({ proc: server, url: base } = await startServer());
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); server?.kill(); });

/** A fresh page on `file` whose widget is ready; records requests and console errors. */
async function open(file, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, serviceWorkers: opts.serviceWorkers ?? 'block', offline: opts.offline ?? false });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const url = file.startsWith('file:') ? file : base + file;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('policy-qa input[type="search"]');
  return { context, page, requests, errors };
}

async function askByTyping(page, q, { enter = true } = {}) {
  const input = page.locator('policy-qa input[type="search"]').first();
  await input.fill('');
  await input.type(q);
  if (enter) await input.press('Enter');
}

function todayInBrowser(page) {
  return page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; });
}

function cliAsk(questions, today) {
  const out = execFileSync(cli, ['ask', '--json', '--today', today], { input: questions.join('\n') + '\n', maxBuffer: 1 << 30 });
  return out.toString().trim().split('\n').map((l) => JSON.parse(l));
}

test('dist/ holds exactly what a site serves, one wasm among it; the service worker caches from it', () => {
  const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(dist, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
  assert.deepEqual(files, [
    'csp.html', 'demo.css', 'demo.js', 'element.js', 'index.html',
    'pkg/policy_qa.d.ts', 'pkg/policy_qa.js', 'pkg/policy_qa_bg.wasm', 'pkg/policy_qa_bg.wasm.d.ts',
    'policy-qa-en.bin', 'policy-qa-offline.html', 'policy-qa.css', 'policy-qa.js', 'sw.js',
  ]);
  const cached = JSON.parse(readFileSync(path.join(dist, 'sw.js'), 'utf8').match(/const FILES = (\[.*\]);/)[1].replaceAll("'", '"'));
  assert.deepEqual(cached.filter((f) => f !== './' && !files.includes(f)), []);
});

test('typing a question shows the cited clause with facts and validity', async () => {
  const { context, page } = await open('index.html');
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  const card = page.locator('policy-qa .pqa-answers [data-clause-id="004-3.6.14"]');
  await card.waitFor();
  const text = await card.textContent();
  assert.match(text, /深圳市时尚产业高质量发展行动计划（2020—2024年）》（深府办〔2020〕4号）/);
  assert.match(text, /给予100万元的财政资金奖励/);
  assert.match(text, /金额：100万元/);
  assert.match(text, /责任单位：市工业和信息化局/);
  assert.match(text, /已失效（2025-03到期）/, 'the 2020–2024 plan is flagged as lapsed');
  const marks = await card.locator('mark').allTextContents();
  assert.ok(marks.some((m) => m.includes('专卖店')), `highlights: ${marks}`);
  await context.close();
});

test('results update while typing (debounced), without Enter', async () => {
  const { context, page } = await open('index.html');
  await askByTyping(page, '工业设计中心能拿多少钱', { enter: false });
  await page.locator('policy-qa .pqa-answers [data-clause-id]').first().waitFor();
  await context.close();
});

test('element.ask() resolves to the same object as `policy-qa ask --json`', async () => {
  const { context, page } = await open('index.html');
  const today = await todayInBrowser(page);
  const qs = ['海外开品牌专卖店有什么奖励', '公积金提取需要准备什么材料', '', '港澳展品入境可以免擔保放行嗎？'];
  const fromWidget = [];
  for (const q of qs) fromWidget.push(await page.evaluate((q) => document.querySelector('policy-qa').ask(q), q));
  assert.deepEqual(fromWidget, cliAsk(qs, today));
  await context.close();
});

test('the dev set and the blind bank through wasm answer exactly as through the CLI', async () => {
  const { context, page } = await open('index.html');
  const today = await todayInBrowser(page);
  const data = path.join(root, 'tests', 'data');
  const files = [path.join(data, 'dev.jsonl'), ...readdirSync(path.join(data, 'bank')).map((f) => path.join(data, 'bank', f))];
  const qs = files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).q.replaceAll('\n', ' ')));
  assert.ok(qs.length > 500 && qs.some((q) => /^[A-Za-z]/.test(q)), 'English questions among them');
  const wasm = await page.evaluate(async (qs) => {
    const { policyQa } = await import('./policy-qa.js');
    const qa = await policyQa({ english: true });
    return qs.map((q) => qa.ask(q));
  }, qs);
  const native = cliAsk(qs, today);
  for (let i = 0; i < qs.length; i++) assert.deepEqual(wasm[i], native[i], qs[i]);
  await context.close();
});

test('only a question with Latin letters fetches the English table, once', async () => {
  const { context, page, requests } = await open('index.html');
  const english = () => requests.filter((u) => u.endsWith('/policy-qa-en.bin')).length;
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  await page.locator('policy-qa .pqa-answers [data-clause-id="004-3.6.14"]').waitFor();
  assert.equal(english(), 0, 'a Chinese question needs no English');
  // Typed: only the dictionary knows "ergonomics" (人体工学), and without the table nothing
  // answers; the widget fetches it and answers the question in the box again.
  const today = await todayInBrowser(page);
  const typed = 'ergonomics design';
  const [want] = cliAsk([typed], today);
  await askByTyping(page, typed, { enter: false });
  await page.locator(`policy-qa .pqa-answers [data-clause-id="${want.answers[0].id}"]`).waitFor();
  assert.equal(english(), 1);
  const qs = ['What does the plan say about eyeglass lenses?', 'Which districts will get new fashion shopping streets?'];
  const fromWidget = [];
  for (const q of qs) fromWidget.push(await page.evaluate((q) => document.querySelector('policy-qa').ask(q), q));
  assert.deepEqual(fromWidget, cliAsk(qs, today));
  assert.equal(english(), 1, 'fetched once');
  await context.close();
});

test('keyboard only: tab to the box, ask, reach the answer, expand its context', async () => {
  const { context, page } = await open('index.html');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const inInput = await page.evaluate(() => document.querySelector('policy-qa').shadowRoot.activeElement?.matches('input[type="search"]') ?? false);
    if (inInput) break;
  }
  assert.ok(await page.evaluate(() => document.querySelector('policy-qa').shadowRoot.activeElement?.matches('input[type="search"]')), 'the search box is reachable with Tab');
  await page.keyboard.type('直播带货基地 深圳有规划没');
  await page.keyboard.press('Enter');
  await page.locator('policy-qa .pqa-answers [data-clause-id]').first().waitFor();
  // Tab onwards to the first "查看上下文" button and press it.
  let onContext = false;
  for (let i = 0; i < 40 && !onContext; i++) {
    await page.keyboard.press('Tab');
    onContext = await page.evaluate(() => document.querySelector('policy-qa').shadowRoot.activeElement?.dataset.action === 'context');
  }
  assert.ok(onContext, 'the context button is reachable with Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.querySelector('policy-qa').shadowRoot.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Enter');
  await page.locator('policy-qa .pqa-context').first().waitFor();
  const expanded = await page.evaluate(() => document.querySelector('policy-qa').shadowRoot.activeElement.getAttribute('aria-expanded'));
  assert.equal(expanded, 'true');
  await context.close();
});

test('no answer: says so plainly, shows related clauses as such, and the contact line', async () => {
  const { context, page } = await open('index.html');
  await askByTyping(page, '公积金提取需要准备什么材料');
  const status = page.locator('policy-qa [role="status"]');
  await page.waitForFunction(() => /没有找到/.test(document.querySelector('policy-qa').shadowRoot.querySelector('[role="status"]').textContent));
  assert.equal(await page.locator('policy-qa .pqa-answers [data-clause-id]').count(), 0);
  assert.match(await status.textContent(), /没有找到直接回答这个问题的政策条款/);
  assert.ok(await page.locator('policy-qa .pqa-contact').isVisible());
  assert.match(await page.locator('policy-qa .pqa-contact').textContent(), /12345/);
  await context.close();
});

test('an emptied box clears the answers quietly; Enter on it says what to type', async () => {
  const { context, page } = await open('index.html');
  const status = () => page.evaluate(() => document.querySelector('policy-qa').shadowRoot.querySelector('[role="status"]').textContent);
  await askByTyping(page, '工业设计中心能拿多少钱');
  await page.locator('policy-qa .pqa-answers [data-clause-id]').first().waitFor();
  const input = page.locator('policy-qa input[type="search"]').first();
  await input.press('Control+A');
  await input.press('Backspace');
  await page.waitForFunction(() => document.querySelector('policy-qa').shadowRoot.querySelectorAll('[data-clause-id]').length === 0);
  assert.equal(await status(), '', 'deleting the question is no mistake to announce');
  await input.press('Enter');
  await page.waitForFunction(() => /请输入要查询的问题/.test(document.querySelector('policy-qa').shadowRoot.querySelector('[role="status"]').textContent));
  assert.ok(!/没有找到/.test(await status()), 'an empty question is not reported as unanswered');
  await context.close();
});

test('a deep link #clause=ID opens the widget on that clause', async () => {
  const { context, page } = await open('index.html#clause=003-3.4');
  const card = page.locator('policy-qa [data-clause-id="003-3.4"]');
  await card.waitFor();
  assert.match(await card.textContent(), /营造时尚消费环境/);
  await context.close();
});

test('a question with markup is shown as text, never run', async () => {
  const { context, page } = await open('index.html');
  const evil = '<img src=x onerror="window.__pwned=1">';
  await askByTyping(page, evil);
  await page.waitForFunction(() => /没有找到|找到/.test(document.querySelector('policy-qa').shadowRoot.querySelector('[role="status"]').textContent));
  const status = await page.locator('policy-qa [role="status"]').textContent();
  assert.ok(status.includes(evil), status);
  assert.equal(await page.evaluate(() => document.querySelector('policy-qa').shadowRoot.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test('no network request after the widget has loaded', async () => {
  const { context, page, requests } = await open('index.html');
  await page.evaluate(() => document.querySelector('policy-qa').ask('预热'));
  const before = requests.length;
  for (const q of ['asdf', '做珠宝的有什么补贴', '工业设计中心能拿多少钱', '海外开品牌专卖店有什么奖励']) await askByTyping(page, q);
  await page.locator('policy-qa [data-action="context"]').first().click();
  await page.waitForTimeout(400);
  // The one request a question may cause: the English table, the same static file for every
  // visitor, fetched once for 'asdf' (Latin letters); nothing about the question goes with it.
  assert.deepEqual(requests.slice(before), [base + 'policy-qa-en.bin']);
  await context.close();
});

test('the offline file works from file:// with no network at all', async () => {
  const file = pathToFileURL(path.join(dist, 'policy-qa-offline.html')).href;
  const { context, page, requests, errors } = await open(file, { offline: true });
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  await page.locator('policy-qa [data-clause-id="004-3.6.14"]').waitFor();
  // English too: its table is inlined.
  const q = 'What does the plan say about eyeglass lenses?';
  const got = await page.evaluate((q) => document.querySelector('policy-qa').ask(q), q);
  assert.deepEqual(got, cliAsk([q], await todayInBrowser(page))[0]);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('works under the strict CSP, with several instances on one page', async () => {
  const { context, page, errors } = await open('csp.html');
  const violations = await page.evaluate(() => new Promise((resolve) => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    setTimeout(() => resolve(seen), 300);
  }));
  const inline = page.locator('policy-qa').first();
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  await page.locator('policy-qa >> nth=0 >> [data-clause-id="004-3.6.14"]').waitFor();
  // The stylesheet applied (a link inside the shadow root, allowed by style-src 'self').
  const display = await page.evaluate(() => getComputedStyle(document.querySelector('policy-qa').shadowRoot.querySelector('.pqa-row')).display);
  assert.equal(display, 'flex');
  // The floating instance opens from its button and answers on its own.
  await page.locator('policy-qa >> nth=1 >> button.pqa-fab').click();
  const second = await page.evaluate(() => document.querySelectorAll('policy-qa')[1].ask('工业设计中心能拿多少钱'));
  assert.ok(second.answers.length > 0);
  assert.equal(await inline.locator('[data-clause-id="004-3.6.14"]').count(), 1, 'instances do not share results');
  assert.deepEqual(violations, []);
  assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused/.test(e)), []);
  await context.close();
});

test('accessible structure, large type switch, 360 px and 200 % zoom', async () => {
  for (const width of [360, 640]) {
    const { context, page } = await open('index.html', { viewport: { width, height: 800 } });
    await askByTyping(page, '海外开品牌专卖店有什么奖励');
    await page.locator('policy-qa [data-clause-id]').first().waitFor();
    const info = await page.evaluate(() => {
      const s = document.querySelector('policy-qa').shadowRoot;
      const input = s.querySelector('input[type="search"]');
      return {
        search: !!s.querySelector('[role="search"]'),
        label: s.querySelector(`label[for="${input.id}"]`)?.textContent ?? '',
        live: s.querySelector('[aria-live]')?.getAttribute('aria-live'),
        overflow: document.scrollingElement.scrollWidth - window.innerWidth,
      };
    });
    assert.ok(info.search && info.label && info.live === 'polite', JSON.stringify(info));
    assert.ok(info.overflow <= 0, `no horizontal scrolling at ${width}px: ${info.overflow}`);
    const large = page.locator('policy-qa [data-action="large"]');
    await large.click();
    assert.equal(await large.getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: path.join(shots, `demo-${width}.png`), fullPage: true });
    await context.close();
  }
  const { context, page } = await open('index.html');
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  await page.locator('policy-qa [data-clause-id]').first().waitFor();
  await page.screenshot({ path: path.join(shots, 'demo-desktop.png'), fullPage: true });
  await context.close();
});

test('the service worker keeps the hosted widget working when the connection drops', async () => {
  const { context, page } = await open('index.html', { serviceWorkers: 'allow' });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await context.setOffline(true);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('policy-qa input[type="search"]');
  await askByTyping(page, '海外开品牌专卖店有什么奖励');
  await page.locator('policy-qa [data-clause-id="004-3.6.14"]').waitFor();
  await context.close();
});
