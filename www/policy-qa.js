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
const engineOf = (el) => el.qa ?? (embedded ??= new PolicyQa());
definePolicyQa({ ready: start, widget: (el) => new Widget(el, stylesheet, false, engineOf(el)), prepare });
// Start fetching and compiling at once, not when the first element connects: with
// <script type="module" async> this overlaps with the rest of the page loading.
start();

/** The engine without a user interface: `(await policyQa()).ask('…')`. */
export async function policyQa() { await start(); return new PolicyQa(); }

/** An engine over another knowledge base (bytes built by build.rs), e.g. for `el.qa = …`. */
export async function policyQaFromBytes(bytes) { await start(); return PolicyQa.fromBytes(bytes); }
