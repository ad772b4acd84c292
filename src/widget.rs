//! The `<policy-qa>` widget, rendered with web-sys inside an open shadow root: the DOM side of
//! the view model (`view.rs`), which decides what is shown and in which words.
//!
//! Everything from the knowledge base or the question reaches the page through text nodes
//! (`set_text_content`, `create_text_node`), never as markup. The widget owns its closures and
//! removes its listeners when it is freed; it never `forget()`s one.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, HtmlInputElement, KeyboardEvent, ShadowRoot, ShadowRootInit, ShadowRootMode, Window};

use crate::engine::Answer;
use crate::view::names::{self, action, attr, class, id};
use crate::view::{self, AnswerView, Card, ContextView};
use crate::text::cat;
use crate::wasm::{to_js, today, PolicyQa, SharedEngine};

const DEBOUNCE_MS: i32 = 250;
const DEFAULT_HEADING: &str = "政策问答";
const DEFAULT_PLACEHOLDER: &str = "用自己的话提问，例如：海外开专卖店有奖励吗？";
const DEFAULT_EXAMPLES: &[&str] = &["海外开专卖店有奖励吗？", "工业设计中心能拿多少钱？", "做珠宝的有什么补贴？", "展会报批能一站式办理吗？"];
const DEFAULT_CONTACT: &str = "如需进一步咨询，请联系政策发布部门。";
const MAX_EXAMPLES: usize = 6;

type JsResult<T = ()> = Result<T, JsValue>;

struct Ui {
    window: Window,
    doc: Document,
    host: HtmlElement,
    root: Element,
    panel: Element,
    toggle: Option<Element>,
    input: HtmlInputElement,
    status: Element,
    answers: Element,
    related: Element,
    contact: Element,
    large: Element,
}

struct Inner {
    ui: Ui,
    engine: Rc<SharedEngine>,
    timer: Cell<Option<i32>>,
    debounce: RefCell<Option<Closure<dyn FnMut()>>>,
}

/// One `<policy-qa>` element's user interface.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
    listeners: Vec<Listener>,
}

/// A listener the widget added and removes when it is freed.
type Listener = (EventTarget, &'static str, Closure<dyn FnMut(Event)>);

fn el(doc: &Document, tag: &str, class: &str) -> JsResult<Element> {
    let e = doc.create_element(tag)?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Ok(e)
}

fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> JsResult<Element> {
    let e = el(doc, tag, class)?;
    e.set_text_content(Some(text));
    Ok(e)
}

/// A `<button type="button">` for `data-action` `act`.
fn button(doc: &Document, class: &str, text: &str, act: &str) -> JsResult<Element> {
    let b = text_el(doc, "button", class, text)?;
    b.set_attribute("type", "button")?;
    b.set_attribute(names::ACTION, act)?;
    Ok(b)
}

fn attr_or(host: &HtmlElement, name: &str, default: &str) -> String {
    host.get_attribute(name).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

#[wasm_bindgen]
impl Widget {
    /// Renders the widget into `host`'s shadow root, showing `qa`'s knowledge base: the one
    /// compiled into this module (`new PolicyQa()`, shared by every widget given one), or
    /// another (`PolicyQa.fromBytes`). `css` is the stylesheet's URL, or with `css_is_text` its
    /// text (the offline file has no URL to load it from).
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, css: &str, css_is_text: bool, qa: &PolicyQa) -> Result<Widget, JsValue> {
        let engine = qa.engine();
        let window = web_sys::window().ok_or("no window")?;
        let doc = window.document().ok_or("no document")?;
        let shadow = match host.shadow_root() {
            Some(s) => {
                s.set_text_content(None);
                s
            }
            None => {
                let init = ShadowRootInit::new(ShadowRootMode::Open);
                host.attach_shadow(&init)?
            }
        };
        style(&doc, &shadow, css, css_is_text)?;
        let ui = build(&window, &doc, &host, &shadow)?;
        let inner = Rc::new(Inner { ui, engine, timer: Cell::new(None), debounce: RefCell::new(None) });
        let mut w = Widget { inner, listeners: Vec::new() };
        w.wire()?;
        w.inner.show_hash()?;
        Ok(w)
    }

    /// Asks `question` as if typed, renders the answer, and returns it: the same object as
    /// `policy-qa ask --json`.
    #[wasm_bindgen(unchecked_return_type = "Answer")]
    pub fn ask(&self, question: &str) -> Result<JsValue, JsValue> {
        self.inner.ui.input.set_value(question);
        let a = self.inner.run(question, true)?;
        to_js(&a).map_err(Into::into)
    }

    /// Answers what the box holds again, if anything: the loader calls it once the English
    /// table has arrived, so that an English question typed meanwhile is read with it.
    pub fn refresh(&self) -> Result<(), JsValue> {
        let q = self.inner.ui.input.value();
        if !q.trim().is_empty() {
            self.inner.run(&q, false)?;
        }
        Ok(())
    }
}

impl Widget {
    fn listen(&mut self, target: &EventTarget, event: &'static str, f: impl FnMut(Event) + 'static) -> JsResult {
        let c = Closure::<dyn FnMut(Event)>::new(f);
        target.add_event_listener_with_callback(event, c.as_ref().unchecked_ref())?;
        self.listeners.push((target.clone(), event, c));
        Ok(())
    }

    fn wire(&mut self) -> JsResult {
        let weak: Weak<Inner> = Rc::downgrade(&self.inner);
        let ui = &self.inner.ui;
        let (root, input, window) = (ui.root.clone(), ui.input.clone(), ui.window.clone());
        let form = ui.root.query_selector("form")?.ok_or("form")?;

        // The debounce timer's callback is created once and owned here.
        let w = weak.clone();
        *self.inner.debounce.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
            if let Some(i) = w.upgrade() {
                i.timer.set(None);
                let q = i.ui.input.value();
                let _ = i.run(&q, false);
            }
        }));

        let w = weak.clone();
        self.listen(&input, "input", move |_| {
            if let Some(i) = w.upgrade() {
                let _ = i.schedule();
            }
        })?;
        let w = weak.clone();
        self.listen(&form, "submit", move |e: Event| {
            e.prevent_default();
            if let Some(i) = w.upgrade() {
                i.cancel_timer();
                let q = i.ui.input.value();
                let _ = i.run(&q, true);
            }
        })?;
        let w = weak.clone();
        self.listen(&root, "click", move |e: Event| {
            if let Some(i) = w.upgrade() {
                let _ = i.on_click(&e);
            }
        })?;
        let w = weak.clone();
        self.listen(&root, "keydown", move |e: Event| {
            let Some(i) = w.upgrade() else { return };
            let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
            if k.key() == "Escape" && i.ui.toggle.is_some() && i.is_open() {
                let _ = i.set_open(false);
                if let Some(t) = &i.ui.toggle {
                    let _ = t.dyn_ref::<HtmlElement>().map(HtmlElement::focus);
                }
            }
        })?;
        let w = weak;
        self.listen(&window, "hashchange", move |_| {
            if let Some(i) = w.upgrade() {
                let _ = i.show_hash();
            }
        })?;
        Ok(())
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        self.inner.cancel_timer();
        for (target, event, c) in self.listeners.drain(..) {
            let _ = target.remove_event_listener_with_callback(event, c.as_ref().unchecked_ref());
        }
    }
}

fn style(doc: &Document, shadow: &ShadowRoot, css: &str, css_is_text: bool) -> JsResult {
    if css_is_text {
        let sheet = web_sys::CssStyleSheet::new()?;
        sheet.replace_sync(css)?;
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    } else {
        // A <link> rather than <style>: works under `style-src 'self'`.
        let link = doc.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", css)?;
        shadow.append_child(&link)?;
    }
    Ok(())
}

/// The widget's elements: the root (with the floating mode's toggle), then in the panel the
/// heading row, the search form, the examples and the result areas.
fn build(window: &Window, doc: &Document, host: &HtmlElement, shadow: &ShadowRoot) -> JsResult<Ui> {
    let floating = host.get_attribute(attr::MODE).as_deref() == Some("floating");
    let heading = attr_or(host, attr::HEADING, DEFAULT_HEADING);
    let root = el(doc, "div", class::ROOT)?;
    root.set_attribute("part", names::PART)?;
    if floating {
        root.class_list().add_1(class::FLOATING)?;
    }
    if host.get_attribute(attr::THEME).as_deref() == Some("dark") {
        root.class_list().add_1(class::DARK)?;
    }
    let toggle = if floating { Some(build_toggle(doc, &root, &heading)?) } else { None };
    let panel = el(doc, "section", class::PANEL)?;
    panel.set_id(id::PANEL);
    panel.set_attribute("aria-labelledby", id::HEADING)?;
    root.append_child(&panel)?;
    let large = build_top(doc, &panel, &heading)?;
    let input = build_form(doc, &panel, host, &heading)?;
    build_examples(doc, &panel, host)?;
    let (status, answers, related, contact) = build_results(doc, &panel, host)?;
    if floating {
        panel.set_attribute("hidden", "")?;
    }
    shadow.append_child(&root)?;
    Ok(Ui { window: window.clone(), doc: doc.clone(), host: host.clone(), root, panel, toggle, input, status, answers, related, contact, large })
}

/// The floating mode's button that opens the panel.
fn build_toggle(doc: &Document, root: &Element, heading: &str) -> JsResult<Element> {
    let t = button(doc, class::FAB, heading, action::TOGGLE)?;
    t.set_attribute("aria-expanded", "false")?;
    t.set_attribute("aria-controls", id::PANEL)?;
    root.append_child(&t)?;
    Ok(t)
}

/// The heading and the large-type switch; returns the switch.
fn build_top(doc: &Document, panel: &Element, heading_text: &str) -> JsResult<Element> {
    let top = el(doc, "div", class::TOP)?;
    let heading = text_el(doc, "h2", class::HEADING, heading_text)?;
    heading.set_id(id::HEADING);
    let large = button(doc, class::LARGE_TOGGLE, "大字·高对比", action::LARGE)?;
    large.set_attribute("aria-pressed", "false")?;
    top.append_child(&heading)?;
    top.append_child(&large)?;
    panel.append_child(&top)?;
    Ok(large)
}

/// The search form and the privacy line; returns the input.
fn build_form(doc: &Document, panel: &Element, host: &HtmlElement, heading: &str) -> JsResult<HtmlInputElement> {
    let form = el(doc, "form", class::FORM)?;
    form.set_attribute("role", "search")?;
    form.set_attribute("aria-label", heading)?;
    let label = text_el(doc, "label", class::LABEL, "您的问题")?;
    label.set_attribute("for", id::INPUT)?;
    let input: HtmlInputElement = doc.create_element("input")?.dyn_into()?;
    input.set_type("search");
    input.set_id(id::INPUT);
    input.set_class_name(class::INPUT);
    input.set_placeholder(&attr_or(host, attr::PLACEHOLDER, DEFAULT_PLACEHOLDER));
    input.set_attribute("autocomplete", "off")?;
    input.set_attribute("enterkeyhint", "search")?;
    input.set_attribute("aria-describedby", id::PRIVACY)?;
    let submit = text_el(doc, "button", class::SUBMIT, "提问")?;
    submit.set_attribute("type", "submit")?;
    let row = el(doc, "div", class::ROW)?;
    row.append_child(&input)?;
    row.append_child(&submit)?;
    form.append_child(&label)?;
    form.append_child(&row)?;
    panel.append_child(&form)?;
    let privacy = text_el(doc, "p", class::PRIVACY, "问题只在本机处理，不会发送到任何服务器。")?;
    privacy.set_id(id::PRIVACY);
    panel.append_child(&privacy)?;
    Ok(input)
}

/// The example questions: the host's `examples` attribute (`问题一|问题二`), or ours.
fn build_examples(doc: &Document, panel: &Element, host: &HtmlElement) -> JsResult {
    let examples = el(doc, "ul", class::EXAMPLES)?;
    examples.set_attribute("aria-label", "示例问题")?;
    let list: Vec<String> = match host.get_attribute(attr::EXAMPLES) {
        Some(s) if !s.trim().is_empty() => s.split('|').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
        _ => DEFAULT_EXAMPLES.iter().map(|s| s.to_string()).collect(),
    };
    for q in list.iter().take(MAX_EXAMPLES) {
        let li = el(doc, "li", "")?;
        let b = button(doc, class::EXAMPLE, q, action::EXAMPLE)?;
        b.set_attribute(names::QUESTION, q)?;
        li.append_child(&b)?;
        examples.append_child(&li)?;
    }
    panel.append_child(&examples)?;
    Ok(())
}

/// The live status line, the answers, the related clauses and the (hidden) contact line.
fn build_results(doc: &Document, panel: &Element, host: &HtmlElement) -> JsResult<(Element, Element, Element, Element)> {
    let status = el(doc, "p", class::STATUS)?;
    status.set_attribute("role", "status")?;
    status.set_attribute("aria-live", "polite")?;
    panel.append_child(&status)?;
    // Sections, not divs: a labelled section is a region landmark, a labelled div is nothing
    // assistive technology announces (Lighthouse flags the label as misused).
    let answers = el(doc, "section", class::ANSWERS)?;
    answers.set_attribute("aria-label", "答案")?;
    panel.append_child(&answers)?;
    let related = el(doc, "section", class::RELATED)?;
    related.set_attribute("aria-label", "相关条款")?;
    panel.append_child(&related)?;
    let contact = text_el(doc, "p", class::CONTACT, &attr_or(host, attr::CONTACT, DEFAULT_CONTACT))?;
    contact.set_attribute("hidden", "")?;
    panel.append_child(&contact)?;
    Ok((status, answers, related, contact))
}

/// A card's element: its head (citation, badge), text with marks, fact chips, the passages
/// repeated elsewhere and its buttons.
fn draw_card(doc: &Document, card: &Card, heading: &str) -> JsResult<Element> {
    let article = el(doc, "article", class::CARD)?;
    article.set_attribute(names::CLAUSE_ID, &card.id)?;
    article.set_attribute("tabindex", "-1")?;
    let head = el(doc, "header", class::CARD_HEAD)?;
    let cite = text_el(doc, heading, class::CITE, &card.citation)?;
    let badge = text_el(doc, "span", &card.badge.class(), &card.badge.text())?;
    head.append_child(&cite)?;
    head.append_child(&badge)?;
    article.append_child(&head)?;
    let body = el(doc, "p", class::TEXT)?;
    for seg in &card.segments {
        let node: web_sys::Node = if seg.marked { text_el(doc, "mark", "", &seg.text)?.into() } else { doc.create_text_node(&seg.text).into() };
        body.append_child(&node)?;
    }
    article.append_child(&body)?;
    if !card.chips.is_empty() {
        let ul = el(doc, "ul", class::FACTS)?;
        ul.set_attribute("aria-label", view::FACTS_LABEL)?;
        for chip in &card.chips {
            let li = el(doc, "li", &chip.class())?;
            let key = text_el(doc, "span", class::CHIP_KIND, &chip.key())?;
            li.append_child(&key)?;
            li.append_child(&doc.create_text_node(&chip.text))?;
            ul.append_child(&li)?;
        }
        article.append_child(&ul)?;
    }
    if let Some(also) = &card.also_in {
        let p = text_el(doc, "p", class::ALSO, also)?;
        article.append_child(&p)?;
    }
    let actions = draw_card_actions(doc, card)?;
    article.append_child(&actions)?;
    Ok(article)
}

fn draw_card_actions(doc: &Document, card: &Card) -> JsResult<Element> {
    let actions = el(doc, "div", class::ACTIONS)?;
    let ctx = button(doc, class::BUTTON, view::SHOW_CONTEXT, action::CONTEXT)?;
    ctx.set_attribute("aria-expanded", "false")?;
    let copy = button(doc, class::BUTTON, view::COPY_CITATION, action::COPY)?;
    let link = text_el(doc, "a", class::BUTTON, view::CLAUSE_LINK)?;
    link.set_attribute("href", &card.link)?;
    actions.append_child(&ctx)?;
    actions.append_child(&copy)?;
    actions.append_child(&link)?;
    Ok(actions)
}

fn draw_context(doc: &Document, context: &ContextView) -> JsResult<Element> {
    let box_ = el(doc, "div", class::CONTEXT)?;
    if let Some(path) = &context.path {
        let p = text_el(doc, "p", class::CONTEXT_PATH, path)?;
        box_.append_child(&p)?;
    }
    for (text, this) in &context.items {
        let p = el(doc, "p", &if *this { cat!(class::CONTEXT_ITEM, " ", class::CONTEXT_THIS) } else { class::CONTEXT_ITEM.to_string() })?;
        if *this {
            let mark = text_el(doc, "strong", "", ContextView::THIS)?;
            p.append_child(&mark)?;
        }
        p.append_child(&doc.create_text_node(text))?;
        box_.append_child(&p)?;
    }
    Ok(box_)
}

impl Inner {
    fn cancel_timer(&self) {
        if let Some(t) = self.timer.take() {
            self.ui.window.clear_timeout_with_handle(t);
        }
    }

    fn schedule(&self) -> JsResult {
        self.cancel_timer();
        if let Some(cb) = self.debounce.borrow().as_ref() {
            let t = self.ui.window.set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), DEBOUNCE_MS)?;
            self.timer.set(Some(t));
        }
        Ok(())
    }

    fn is_open(&self) -> bool {
        !self.ui.panel.has_attribute("hidden")
    }

    fn set_open(&self, open: bool) -> JsResult {
        let Some(t) = &self.ui.toggle else { return Ok(()) };
        t.set_attribute("aria-expanded", if open { "true" } else { "false" })?;
        if open {
            self.ui.panel.remove_attribute("hidden")?;
            self.ui.root.class_list().add_1(class::OPEN)?;
            self.ui.input.focus()?;
        } else {
            self.ui.panel.set_attribute("hidden", "")?;
            self.ui.root.class_list().remove_1(class::OPEN)?;
        }
        Ok(())
    }

    fn on_click(&self, e: &Event) -> JsResult {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return Ok(()) };
        let Some(button) = target.closest(&cat!("[", names::ACTION, "]"))? else { return Ok(()) };
        let act = button.get_attribute(names::ACTION).unwrap_or_default();
        let card = || button.closest(&cat!(".", class::CARD)).and_then(|c| c.ok_or_else(|| "card".into()));
        match act.as_str() {
            action::EXAMPLE => {
                let q = button.get_attribute(names::QUESTION).unwrap_or_default();
                self.ui.input.set_value(&q);
                self.cancel_timer();
                self.run(&q, true)?;
            }
            action::LARGE => {
                let on = self.ui.root.class_list().toggle(class::LARGE)?;
                self.ui.large.set_attribute("aria-pressed", if on { "true" } else { "false" })?;
            }
            action::TOGGLE => self.set_open(!self.is_open())?,
            action::CONTEXT => self.toggle_context(&card()?, &button)?,
            action::COPY => self.copy_citation(&card()?)?,
            _ => {}
        }
        Ok(())
    }

    fn say(&self, msg: &str) {
        self.ui.status.set_text_content(Some(msg));
    }

    /// Answers and renders.
    fn run(&self, question: &str, asked: bool) -> Result<Answer, JsValue> {
        let engine = self.engine.get();
        let answer = engine.ask(question, &today());
        self.show(&AnswerView::new(&answer, asked, engine.library()))?;
        Ok(answer)
    }

    fn show(&self, view: &AnswerView) -> JsResult {
        let doc = &self.ui.doc;
        self.ui.answers.set_text_content(None);
        self.ui.related.set_text_content(None);
        self.ui.contact.set_attribute("hidden", "")?;
        if view.contact {
            self.ui.contact.remove_attribute("hidden")?;
        }
        for card in &view.answers {
            let c = draw_card(doc, card, "h3")?;
            self.ui.answers.append_child(&c)?;
        }
        if let Some(heading) = view.related_heading {
            let h = text_el(doc, "h3", class::RELATED_HEADING, heading)?;
            self.ui.related.append_child(&h)?;
            for card in &view.related {
                let c = draw_card(doc, card, "h4")?;
                c.class_list().add_1(class::CARD_RELATED)?;
                self.ui.related.append_child(&c)?;
            }
        }
        self.say(&view.status);
        Ok(())
    }

    fn toggle_context(&self, card: &Element, button: &Element) -> JsResult {
        if let Some(existing) = card.query_selector(&cat!(".", class::CONTEXT))? {
            existing.remove();
            button.set_attribute("aria-expanded", "false")?;
            button.set_text_content(Some(view::SHOW_CONTEXT));
            return Ok(());
        }
        let id = card.get_attribute(names::CLAUSE_ID).unwrap_or_default();
        let items = self.engine.library().context(&id, &today(), view::CONTEXT_LIMIT);
        let context = draw_context(&self.ui.doc, &ContextView::new(&items, &id))?;
        card.append_child(&context)?;
        button.set_attribute("aria-expanded", "true")?;
        button.set_text_content(Some(view::HIDE_CONTEXT));
        Ok(())
    }

    fn copy_citation(&self, card: &Element) -> JsResult {
        let id = card.get_attribute(names::CLAUSE_ID).unwrap_or_default();
        let cite = card.query_selector(&cat!(".", class::CITE))?.and_then(|c| c.text_content()).unwrap_or_default();
        let text = view::copy_text(&cite, &id);
        let clipboard = js_sys::Reflect::get(&self.ui.window.navigator(), &"clipboard".into())?;
        if clipboard.is_undefined() || clipboard.is_null() {
            self.say(&view::copied_status(&text, false));
            return Ok(());
        }
        let _ = self.ui.window.navigator().clipboard().write_text(&text);
        self.say(&view::copied_status(&text, true));
        Ok(())
    }

    /// `#clause=ID` opens the widget on that clause.
    fn show_hash(&self) -> JsResult {
        let hash = self.ui.window.location().hash().unwrap_or_default();
        let Some(id) = hash.strip_prefix(names::HASH_PREFIX) else { return Ok(()) };
        let id = js_sys::decode_uri_component(id).map(String::from).unwrap_or_else(|_| id.to_string());
        self.ui.answers.set_text_content(None);
        self.ui.related.set_text_content(None);
        // From the knowledge base alone, so that a deep link does not wait for the automaton;
        // released before any DOM call, whose events may ask the engine.
        let found = {
            let lib = self.engine.library();
            lib.clause(&id, &today()).map(|item| Card::new(&item, &lib))
        };
        match found {
            Some(card) => {
                self.set_open(true)?;
                let card = draw_card(&self.ui.doc, &card, "h3")?;
                self.ui.answers.append_child(&card)?;
                self.say(&view::clause_status(&id, true));
                let _ = card.dyn_ref::<HtmlElement>().map(HtmlElement::focus);
                self.ui.host.scroll_into_view();
            }
            None => self.say(&view::clause_status(&id, false)),
        }
        Ok(())
    }
}
