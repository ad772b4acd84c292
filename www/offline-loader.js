// Offline variant of policy-qa.js for the single-file page: the wasm and the stylesheet are
// inlined (a file:// page can neither import modules nor fetch), the glue is `wasm_bindgen`.
(function () {
  const b64 = document.getElementById('policy-qa-wasm').textContent.trim();
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  wasm_bindgen.initSync({ module: bytes });
  const css = document.getElementById('policy-qa-css').textContent;
  const { Widget, PolicyQa, prepare } = wasm_bindgen;
  // As in policy-qa.js: widgets render first, the engine is built once they have been painted.
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
    connectedCallback() { this.render(); }
    disconnectedCallback() { if (this.widget) this.widget.free(); this.widget = undefined; }
    attributeChangedCallback() { if (this.widget) this.render(); }
    render() {
      if (!this.isConnected) return;
      if (this.widget) this.widget.free();
      this.widget = new Widget(this, css, true);
      prepareSoon();
    }
    async ask(question) { if (!this.widget) this.render(); return this.widget.ask(String(question)); }
  }
  if (!customElements.get('policy-qa')) customElements.define('policy-qa', PolicyQaElement);
  window.policyQa = async () => new PolicyQa();
})();
