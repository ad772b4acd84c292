// The <policy-qa> custom element, shared by both loaders: policy-qa.js imports it, and
// `cargo xtask dist` inlines it into the offline page. The loader supplies the wasm side:
// `ready()` resolves once the module is instantiated, `widget(el)` renders a widget into `el`
// (showing `el.qa`, a PolicyQa, when the host set one: e.g. `PolicyQa.fromBytes(bytes)`),
// `prepare()` runs one stage of the embedded engine's start-up and says whether it was the last.
export function definePolicyQa({ ready, widget, prepare }) {
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
    connectedCallback() { this.#reserve(); ready().then(() => this.#render()); }
    /** Holds the room the widget will take until the wasm arrives, so that the host page does
     *  not jump when it renders (a min-height the host sets wins; a floating widget takes none). */
    #reserve() {
      if (this.getAttribute('mode') === 'floating' || parseFloat(getComputedStyle(this).minHeight) > 0) return;
      this.style.display = 'block';
      this.style.minHeight = matchMedia('(max-width: 600px)').matches ? '26rem' : '18rem';
    }
    disconnectedCallback() { this.widget?.free(); this.widget = undefined; }
    attributeChangedCallback() { if (this.widget) this.#render(); }
    /** The knowledge base shown: the embedded one unless the host sets another PolicyQa. */
    get qa() { return this._qa; }
    set qa(value) { this._qa = value; if (this.widget) this.#render(); }
    #render() {
      if (!this.isConnected) return;
      this.widget?.free();
      this.widget = widget(this);
      prepareSoon();
    }
    /** Asks as if typed; resolves to the same object as `policy-qa ask --json`. */
    async ask(question) {
      await ready();
      if (!this.widget) this.#render();
      return this.widget.ask(String(question));
    }
  }

  if (!customElements.get('policy-qa')) customElements.define('policy-qa', PolicyQaElement);
}
