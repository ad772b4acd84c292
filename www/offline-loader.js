// Offline variant of policy-qa.js for the single-file page (www/offline.template.html): a
// file:// page runs inline scripts but can neither import module files nor fetch, so the wasm
// and the stylesheet are inlined as text, the glue is wasm-bindgen's classic-script global
// `wasm_bindgen`, and element.js is inlined just before this, in the same module script.
const b64 = document.getElementById('policy-qa-wasm').textContent.trim();
wasm_bindgen.initSync({ module: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) });
const css = document.getElementById('policy-qa-css').textContent;
const { Widget, PolicyQa, prepare } = wasm_bindgen;
const ready = Promise.resolve();

let embedded;
const engineOf = (el) => el.qa ?? (embedded ??= new PolicyQa());
// The English table is inlined too (a file:// page cannot fetch it); decoded at the first
// question with Latin letters.
const english = async (el, question) => {
  if (el.qa || !engineOf(el).wantsEnglish(question)) return false;
  const en = document.getElementById('policy-qa-english').textContent.trim();
  engineOf(el).addEnglish(Uint8Array.from(atob(en), (c) => c.charCodeAt(0)));
  return true;
};
definePolicyQa({ ready: () => ready, widget: (el) => new Widget(el, css, true, engineOf(el)), prepare, english });
window.policyQa = async ({ english: withEnglish = false } = {}) => {
  if (withEnglish) await english({}, 'a');
  return new PolicyQa();
};
