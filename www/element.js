// The <policy-qa> custom element, shared by both loaders: policy-qa.js imports it, and
// `cargo xtask dist` inlines it into the offline page. The loader supplies the wasm side:
// `ready()` resolves once the module is instantiated, `widget(el)` renders a widget into `el`
// (showing `el.qa`, a PolicyQa, when the host set one: e.g. `PolicyQa.fromBytes(bytes)`),
// `prepare()` runs one stage of the embedded engine's start-up and says whether it was the last,
// `embedded()` is the PolicyQa over the embedded knowledge base (one per page), and
// `englishBytes()` resolves to its English table (fetched by the hosted loader, inlined in the
// offline page). Returns `english()`, which adds that table (for the loaders' `policyQa`).
export function definePolicyQa({ ready, widget, prepare, embedded, englishBytes }) {
  // The English table, a file of its own, is added to the embedded engine once, at the first
  // question with Latin letters: only visitors who ask in English fetch it. A host's own
  // PolicyQa (`el.qa`) brings its own (`qa.addEnglish(bytes)`). After a failure (offline, say)
  // the next English question tries again, and English is read through the lexicon meanwhile.
  let englishTable;
  /** Resolves once the embedded engine can read `question`: true when the English table was
   *  added for it. */
  const withEnglish = async (question) => {
    if (!/[A-Za-z]/.test(question)) return false;
    await ready();
    if (!embedded().wantsEnglish(question)) return false;
    englishTable ??= englishBytes().then((bytes) => embedded().addEnglish(bytes)).catch((e) => { englishTable = undefined; throw e; });
    await englishTable;
    return true;
  };

  // Widgets render first; the engine is built once they have been painted (or at the first
  // question, whichever comes first), so the page shows the search box without waiting for it.
  let prepared = false;
  const prepareSoon = () => {
    if (prepared) return;
    prepared = true;
    // One start-up stage per task, so that the page stays responsive in between; then, in a
    // task of its own, one question whose answer nobody sees: V8 compiles each wasm function
    // at its first call, and the answering code's first run costs ~20 ms of compiling in
    // Chromium, which the visitor's first question would otherwise wait for.
    const warm = () => embedded().ask('企业可以申请哪些补贴');
    const step = () => setTimeout(prepare() ? warm : step);
    requestAnimationFrame(() => setTimeout(step));
  };

  class PolicyQaElement extends HTMLElement {
    static observedAttributes = ['heading', 'placeholder', 'contact', 'theme', 'mode', 'examples'];
    constructor() {
      super();
      // The search box's input events leave the widget's shadow root (they are composed).
      this.addEventListener('input', (e) => {
        const q = e.composedPath()[0]?.value;
        if (typeof q === 'string') this.#withEnglish(q).then((added) => { if (added) this.widget?.refresh(); });
      });
    }
    connectedCallback() { this.#reserve(); ready().then(() => this.#render()); }
    /** Resolves once the engine can read `question`: true when the English table was added for
     *  it, false when it needs none, shows a host's own PolicyQa, or the table did not come. */
    async #withEnglish(question) {
      if (this.qa) return false;
      try { return await withEnglish(question); } catch { return false; }
    }
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
      await this.#withEnglish(String(question));
      return this.widget.ask(String(question));
    }
  }

  if (!customElements.get('policy-qa')) customElements.define('policy-qa', PolicyQaElement);
  return { english: () => withEnglish('a') };
}
