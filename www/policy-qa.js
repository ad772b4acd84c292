// policy-qa loader: defines <policy-qa>. Embed with
//   <script type="module" async src="/policy-qa/policy-qa.js"></script>
//   <policy-qa heading="政策问答" contact="咨询电话：12345"></policy-qa>
import init, { Widget, PolicyQa, prepare } from './pkg/policy_qa.js';

const base = new URL('.', import.meta.url);
let ready;
const start = () => (ready ??= init({ module_or_path: new URL('pkg/policy_qa_bg.wasm', base) }));

// Widgets render first; the engine is built once they have been painted (or at the first
// question, whichever comes first), so the page shows the search box without waiting for it.
let prepared = false;
const prepareSoon = () => {
  if (prepared) return;
  prepared = true;
  // One start-up stage per task, so that the page stays responsive in between.
  const step = () => { if (!prepare()) setTimeout(step); };
  requestAnimationFrame(() => setTimeout(step));
};

class PolicyQaElement extends HTMLElement {
  static observedAttributes = ['heading', 'placeholder', 'contact', 'theme', 'mode', 'examples'];
  connectedCallback() { start().then(() => this.#render()); }
  disconnectedCallback() { this.widget?.free(); this.widget = undefined; }
  attributeChangedCallback() { if (this.widget) this.#render(); }
  #render() {
    if (!this.isConnected) return;
    this.widget?.free();
    this.widget = new Widget(this, new URL('policy-qa.css', base).href, false);
    prepareSoon();
  }
  /** Asks as if typed; resolves to the same object as `policy-qa ask --json`. */
  async ask(question) {
    await start();
    if (!this.widget) this.#render();
    return this.widget.ask(String(question));
  }
}

if (!customElements.get('policy-qa')) customElements.define('policy-qa', PolicyQaElement);
// Start fetching and compiling at once, not when the first element connects: with
// <script type="module" async> this overlaps with the rest of the page loading.
start();

/** The engine without a user interface: `(await policyQa()).ask('…')`. */
export async function policyQa() { await start(); return new PolicyQa(); }
