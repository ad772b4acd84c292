// policy-qa loader: defines <policy-qa>. Embed with
//   <script type="module" async src="/policy-qa/policy-qa.js"></script>
//   <policy-qa heading="政策问答" contact="咨询电话：12345"></policy-qa>
import init, { Widget, PolicyQa, prepare } from './pkg/policy_qa.js';
import { definePolicyQa } from './element.js';

const base = new URL('.', import.meta.url);
let ready;
const start = () => (ready ??= init({ module_or_path: new URL('pkg/policy_qa_bg.wasm', base) }));
const stylesheet = new URL('policy-qa.css', base).href;

// One PolicyQa for every element that shows the embedded knowledge base.
let embedded;
const embeddedQa = () => (embedded ??= new PolicyQa());
const engineOf = (el) => el.qa ?? embeddedQa();
// The English table beside this file, fetched only for a question with Latin letters.
const englishBytes = () => fetch(new URL('policy-qa-en.bin', base))
  .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`policy-qa-en.bin: ${r.status}`))))
  .then((b) => new Uint8Array(b));
const { english } = definePolicyQa({ ready: start, widget: (el) => new Widget(el, stylesheet, false, engineOf(el)), prepare, embedded: embeddedQa, englishBytes });
// Start fetching and compiling at once, not when the first element connects: with
// <script type="module" async> this overlaps with the rest of the page loading.
start();

/** The engine without a user interface: `(await policyQa()).ask('…')`. With `{ english: true }`
 *  it also fetches the English table, to read English questions as the widget does. */
export async function policyQa({ english: withEnglish = false } = {}) {
  await start();
  if (withEnglish) await english();
  return new PolicyQa();
}

/** An engine over another knowledge base (bytes built by build.rs), e.g. for `el.qa = …`. */
export async function policyQaFromBytes(bytes) { await start(); return PolicyQa.fromBytes(bytes); }
