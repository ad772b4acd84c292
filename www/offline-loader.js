// Offline variant of policy-qa.js for the single-file page (www/offline.template.html): a
// file:// page runs inline scripts but can neither import module files nor fetch, so the wasm
// and the stylesheet are inlined as text, the glue is wasm-bindgen's classic-script global
// `wasm_bindgen`, and element.js is inlined just before this, in the same module script.
/** The bytes inlined as base64 in the element with this id. */
const base64 = (id) => Uint8Array.from(atob(document.getElementById(id).textContent.trim()), (c) => c.charCodeAt(0));
wasm_bindgen.initSync({ module: base64('policy-qa-wasm') });
const css = document.getElementById('policy-qa-css').textContent;
const { Widget, PolicyQa, prepare } = wasm_bindgen;
const ready = Promise.resolve();

let embedded;
const embeddedQa = () => (embedded ??= new PolicyQa());
const engineOf = (el) => el.qa ?? embeddedQa();
// The English table is inlined too (a file:// page cannot fetch it); decoded at the first
// question with Latin letters.
const englishBytes = async () => base64('policy-qa-english');
const { english } = definePolicyQa({ ready: () => ready, widget: (el) => new Widget(el, css, true, engineOf(el)), prepare, embedded: embeddedQa, englishBytes });
window.policyQa = async ({ english: withEnglish = false } = {}) => {
  if (withEnglish) await english();
  return new PolicyQa();
};
