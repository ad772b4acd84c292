//! The `<policy-qa>` widget, rendered with web-sys inside an open shadow root.
//!
//! Everything from the knowledge base or the question reaches the page through text nodes
//! (`set_text_content`, `create_text_node`), never as markup. The widget owns its closures and
//! removes its listeners when it is freed; it never `forget()`s one.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, HtmlInputElement, KeyboardEvent, ShadowRoot, ShadowRootInit, ShadowRootMode, Window};

use crate::engine::{Answer, Item, ValidityStatus};
use crate::wasm::{engine, to_js, today};

/// Class, attribute and action names: one place, so that a typo cannot split writer and reader.
mod names {
    pub const ROOT: &str = "pqa";
    pub const FLOATING: &str = "pqa-floating";
    pub const LARGE: &str = "pqa-large";
    pub const DARK: &str = "pqa-dark";
    pub const OPEN: &str = "pqa-open";
    pub const CARD: &str = "pqa-card";
    pub const CLAUSE_ID: &str = "data-clause-id";
    pub const ACTION: &str = "data-action";
    pub const QUESTION: &str = "data-q";
    pub const HASH_PREFIX: &str = "#clause=";
    pub mod action {
        pub const EXAMPLE: &str = "example";
        pub const CONTEXT: &str = "context";
        pub const COPY: &str = "copy";
        pub const LARGE: &str = "large";
        pub const TOGGLE: &str = "toggle";
    }
    pub mod attr {
        pub const HEADING: &str = "heading";
        pub const PLACEHOLDER: &str = "placeholder";
        pub const CONTACT: &str = "contact";
        pub const THEME: &str = "theme";
        pub const MODE: &str = "mode";
        pub const EXAMPLES: &str = "examples";
    }
}

const DEBOUNCE_MS: i32 = 250;
const DEFAULT_HEADING: &str = "政策问答";
const DEFAULT_PLACEHOLDER: &str = "用自己的话提问，例如：海外开专卖店有奖励吗？";
const DEFAULT_EXAMPLES: &[&str] = &["海外开专卖店有奖励吗？", "工业设计中心能拿多少钱？", "做珠宝的有什么补贴？", "展会报批能一站式办理吗？"];

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

fn attr_or(host: &HtmlElement, name: &str, default: &str) -> String {
    host.get_attribute(name).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

#[wasm_bindgen]
impl Widget {
    /// Renders the widget into `host`'s shadow root. `css` is the stylesheet's URL, or with
    /// `css_is_text` its text (the offline file has no URL to load it from).
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, css: &str, css_is_text: bool) -> Result<Widget, JsValue> {
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
        let inner = Rc::new(Inner { ui, timer: Cell::new(None), debounce: RefCell::new(None) });
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

fn build(window: &Window, doc: &Document, host: &HtmlElement, shadow: &ShadowRoot) -> JsResult<Ui> {
    use names::*;
    let floating = host.get_attribute(attr::MODE).as_deref() == Some("floating");
    let root = el(doc, "div", ROOT)?;
    root.set_attribute("part", "root")?;
    if floating {
        root.class_list().add_1(FLOATING)?;
    }
    if host.get_attribute(attr::THEME).as_deref() == Some("dark") {
        root.class_list().add_1(DARK)?;
    }
    let heading_text = attr_or(host, attr::HEADING, DEFAULT_HEADING);
    let toggle = if floating {
        let t = text_el(doc, "button", "pqa-fab", &heading_text)?;
        t.set_attribute("type", "button")?;
        t.set_attribute(ACTION, action::TOGGLE)?;
        t.set_attribute("aria-expanded", "false")?;
        t.set_attribute("aria-controls", "pqa-panel")?;
        root.append_child(&t)?;
        Some(t)
    } else {
        None
    };
    let panel = el(doc, "section", "pqa-panel")?;
    panel.set_id("pqa-panel");
    panel.set_attribute("aria-labelledby", "pqa-heading")?;
    root.append_child(&panel)?;

    let top = el(doc, "div", "pqa-top")?;
    let heading = text_el(doc, "h2", "pqa-heading", &heading_text)?;
    heading.set_id("pqa-heading");
    let large = text_el(doc, "button", "pqa-large-toggle", "大字·高对比")?;
    large.set_attribute("type", "button")?;
    large.set_attribute(ACTION, action::LARGE)?;
    large.set_attribute("aria-pressed", "false")?;
    top.append_child(&heading)?;
    top.append_child(&large)?;
    panel.append_child(&top)?;

    let form = el(doc, "form", "pqa-form")?;
    form.set_attribute("role", "search")?;
    form.set_attribute("aria-label", &heading_text)?;
    let label = text_el(doc, "label", "pqa-label", "您的问题")?;
    label.set_attribute("for", "pqa-q")?;
    let input: HtmlInputElement = doc.create_element("input")?.dyn_into()?;
    input.set_type("search");
    input.set_id("pqa-q");
    input.set_class_name("pqa-input");
    input.set_placeholder(&attr_or(host, attr::PLACEHOLDER, DEFAULT_PLACEHOLDER));
    input.set_attribute("autocomplete", "off")?;
    input.set_attribute("enterkeyhint", "search")?;
    input.set_attribute("aria-describedby", "pqa-privacy")?;
    let submit = text_el(doc, "button", "pqa-submit", "提问")?;
    submit.set_attribute("type", "submit")?;
    let row = el(doc, "div", "pqa-row")?;
    row.append_child(&input)?;
    row.append_child(&submit)?;
    form.append_child(&label)?;
    form.append_child(&row)?;
    panel.append_child(&form)?;
    let privacy = text_el(doc, "p", "pqa-privacy", "问题只在本机处理，不会发送到任何服务器。")?;
    privacy.set_id("pqa-privacy");
    panel.append_child(&privacy)?;

    let examples = el(doc, "ul", "pqa-examples")?;
    examples.set_attribute("aria-label", "示例问题")?;
    let custom = host.get_attribute(attr::EXAMPLES);
    let list: Vec<String> = match &custom {
        Some(s) if !s.trim().is_empty() => s.split('|').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
        _ => DEFAULT_EXAMPLES.iter().map(|s| s.to_string()).collect(),
    };
    for q in list.iter().take(6) {
        let li = el(doc, "li", "")?;
        let b = text_el(doc, "button", "pqa-example", q)?;
        b.set_attribute("type", "button")?;
        b.set_attribute(ACTION, action::EXAMPLE)?;
        b.set_attribute(QUESTION, q)?;
        li.append_child(&b)?;
        examples.append_child(&li)?;
    }
    panel.append_child(&examples)?;

    let status = el(doc, "p", "pqa-status")?;
    status.set_attribute("role", "status")?;
    status.set_attribute("aria-live", "polite")?;
    panel.append_child(&status)?;
    let answers = el(doc, "div", "pqa-answers")?;
    answers.set_attribute("aria-label", "答案")?;
    panel.append_child(&answers)?;
    let related = el(doc, "div", "pqa-related")?;
    related.set_attribute("aria-label", "相关条款")?;
    panel.append_child(&related)?;
    let contact = text_el(doc, "p", "pqa-contact", &attr_or(host, attr::CONTACT, "如需进一步咨询，请联系政策发布部门。"))?;
    contact.set_attribute("hidden", "")?;
    panel.append_child(&contact)?;
    if floating {
        panel.set_attribute("hidden", "")?;
    }
    shadow.append_child(&root)?;
    Ok(Ui { window: window.clone(), doc: doc.clone(), host: host.clone(), root, panel, toggle, input, status, answers, related, contact, large })
}

const FACT_LABELS: &[(&str, &str)] = &[
    ("amount", "金额"),
    ("cap", "上限"),
    ("ratio", "比例"),
    ("unit", "责任单位"),
    ("deadline", "期限"),
    ("date", "日期"),
    ("validity", "有效期"),
];

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
            self.ui.root.class_list().add_1(names::OPEN)?;
            self.ui.input.focus()?;
        } else {
            self.ui.panel.set_attribute("hidden", "")?;
            self.ui.root.class_list().remove_1(names::OPEN)?;
        }
        Ok(())
    }

    fn on_click(&self, e: &Event) -> JsResult {
        use names::*;
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return Ok(()) };
        let Some(button) = target.closest(&format!("[{ACTION}]"))? else { return Ok(()) };
        let act = button.get_attribute(ACTION).unwrap_or_default();
        match act.as_str() {
            action::EXAMPLE => {
                let q = button.get_attribute(QUESTION).unwrap_or_default();
                self.ui.input.set_value(&q);
                self.cancel_timer();
                self.run(&q, true)?;
            }
            action::LARGE => {
                let on = self.ui.root.class_list().toggle(LARGE)?;
                self.ui.large.set_attribute("aria-pressed", if on { "true" } else { "false" })?;
            }
            action::TOGGLE => self.set_open(!self.is_open())?,
            action::CONTEXT => {
                let card = button.closest(&format!(".{CARD}"))?.ok_or("card")?;
                self.toggle_context(&card, &button)?;
            }
            action::COPY => {
                let card = button.closest(&format!(".{CARD}"))?.ok_or("card")?;
                self.copy_citation(&card)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn say(&self, msg: &str) {
        self.ui.status.set_text_content(Some(msg));
    }

    /// Answers and renders. An empty question clears the results; asked on purpose (Enter, the
    /// element's `ask`) rather than typed away, it also says what to do.
    fn run(&self, question: &str, asked: bool) -> Result<Answer, JsValue> {
        let a = engine().ask(question, &today());
        self.ui.answers.set_text_content(None);
        self.ui.related.set_text_content(None);
        self.ui.contact.set_attribute("hidden", "")?;
        if question.trim().is_empty() {
            self.say(if asked { a.notice.as_deref().unwrap_or_default() } else { "" });
            return Ok(a);
        }
        let doc = &self.ui.doc;
        // The question is echoed as text: whatever it contains stays characters on screen.
        if a.answers.is_empty() {
            self.say(&format!("关于“{}”，没有找到直接回答这个问题的政策条款。", a.question.trim()));
            self.ui.contact.remove_attribute("hidden")?;
        } else {
            self.say(&format!("关于“{}”，找到{}条政策条款。", a.question.trim(), a.answers.len()));
            for item in &a.answers {
                let c = self.card(item, "h3")?;
                self.ui.answers.append_child(&c)?;
            }
        }
        if !a.related.is_empty() {
            let h = text_el(doc, "h3", "pqa-related-heading", if a.answers.is_empty() { "可能相关的条款（不一定回答您的问题）" } else { "其他相关条款" })?;
            self.ui.related.append_child(&h)?;
            for item in a.related.iter().take(3) {
                let c = self.card(item, "h4")?;
                c.class_list().add_1("pqa-card-related")?;
                self.ui.related.append_child(&c)?;
            }
        }
        if let Some(n) = &a.notice {
            self.say(&format!("{} {}", self.ui.status.text_content().unwrap_or_default(), n));
        }
        Ok(a)
    }

    fn card(&self, item: &Item, heading: &str) -> JsResult<Element> {
        use names::*;
        let doc = &self.ui.doc;
        let card = el(doc, "article", CARD)?;
        card.set_attribute(CLAUSE_ID, &item.id)?;
        card.set_attribute("tabindex", "-1")?;
        let head = el(doc, "header", "pqa-card-head")?;
        let cite = text_el(doc, heading, "pqa-cite", &item.citation)?;
        head.append_child(&cite)?;
        let (icon, label) = match item.validity.status {
            ValidityStatus::InForce => ("✓", format!("有效{}", item.validity.until.as_ref().map(|u| format!("（至{u}）")).unwrap_or_default())),
            ValidityStatus::Lapsed => ("⚠", format!("已失效（{}到期）", item.validity.until.clone().unwrap_or_default())),
            ValidityStatus::NotYet => ("…", format!("尚未生效（{}起）", item.validity.from.clone().unwrap_or_default())),
            ValidityStatus::Unknown => ("?", "有效期未知".to_string()),
        };
        let label = if item.validity.inferred { format!("{label}·日期为推断") } else { label };
        let badge = text_el(doc, "span", &format!("pqa-badge pqa-badge-{}", item.validity.status), &format!("{icon} {label}"))?;
        head.append_child(&badge)?;
        card.append_child(&head)?;

        let body = el(doc, "p", "pqa-text")?;
        let chars: Vec<char> = item.text.chars().collect();
        let mut at = 0;
        for (s, e) in engine().highlights(&item.text, &item.matched) {
            if s > at {
                body.append_child(&doc.create_text_node(&chars[at..s].iter().collect::<String>()))?;
            }
            let m = doc.create_element("mark")?;
            m.set_text_content(Some(&chars[s..e].iter().collect::<String>()));
            body.append_child(&m)?;
            at = e;
        }
        if at < chars.len() {
            body.append_child(&doc.create_text_node(&chars[at..].iter().collect::<String>()))?;
        }
        card.append_child(&body)?;

        if !item.facts.is_empty() {
            let ul = el(doc, "ul", "pqa-facts")?;
            ul.set_attribute("aria-label", "要点")?;
            for f in &item.facts {
                let li = el(doc, "li", &format!("pqa-chip pqa-chip-{}", f.kind))?;
                let k = FACT_LABELS.iter().find(|(n, _)| *n == f.kind.name()).map_or(f.kind.name(), |(_, l)| l);
                let kl = text_el(doc, "span", "pqa-chip-k", &format!("{k}："))?;
                li.append_child(&kl)?;
                li.append_child(&doc.create_text_node(&f.text))?;
                ul.append_child(&li)?;
            }
            card.append_child(&ul)?;
        }
        if !item.also_in.is_empty() {
            let also = text_el(doc, "p", "pqa-also", &format!("同一段文字亦见于：{}", item.also_in.join("、")))?;
            card.append_child(&also)?;
        }
        let actions = el(doc, "div", "pqa-actions")?;
        let ctx = text_el(doc, "button", "pqa-btn", "查看上下文")?;
        ctx.set_attribute("type", "button")?;
        ctx.set_attribute(ACTION, action::CONTEXT)?;
        ctx.set_attribute("aria-expanded", "false")?;
        let copy = text_el(doc, "button", "pqa-btn", "复制引用")?;
        copy.set_attribute("type", "button")?;
        copy.set_attribute(ACTION, action::COPY)?;
        let link = text_el(doc, "a", "pqa-btn", "本条链接")?;
        link.set_attribute("href", &format!("{HASH_PREFIX}{}", item.id))?;
        actions.append_child(&ctx)?;
        actions.append_child(&copy)?;
        actions.append_child(&link)?;
        card.append_child(&actions)?;
        Ok(card)
    }

    fn toggle_context(&self, card: &Element, button: &Element) -> JsResult {
        let doc = &self.ui.doc;
        if let Some(existing) = card.query_selector(".pqa-context")? {
            existing.remove();
            button.set_attribute("aria-expanded", "false")?;
            button.set_text_content(Some("查看上下文"));
            return Ok(());
        }
        let id = card.get_attribute(names::CLAUSE_ID).unwrap_or_default();
        let box_ = el(doc, "div", "pqa-context")?;
        let items = engine().context(&id, &today(), 7);
        if let Some(first) = items.first() {
            let path = text_el(doc, "p", "pqa-context-path", &first.section.join(" › "))?;
            box_.append_child(&path)?;
        }
        for it in &items {
            let p = text_el(doc, "p", if it.id == id { "pqa-context-item pqa-context-this" } else { "pqa-context-item" }, "")?;
            if it.id == id {
                let mark = text_el(doc, "strong", "", "【本条】")?;
                p.append_child(&mark)?;
            }
            p.append_child(&doc.create_text_node(&it.text))?;
            box_.append_child(&p)?;
        }
        card.append_child(&box_)?;
        button.set_attribute("aria-expanded", "true")?;
        button.set_text_content(Some("收起上下文"));
        Ok(())
    }

    fn copy_citation(&self, card: &Element) -> JsResult {
        let id = card.get_attribute(names::CLAUSE_ID).unwrap_or_default();
        let cite = card.query_selector(".pqa-cite")?.and_then(|c| c.text_content()).unwrap_or_default();
        let text = format!("{cite}（条款 {id}）");
        let clipboard = js_sys::Reflect::get(&self.ui.window.navigator(), &"clipboard".into())?;
        if clipboard.is_undefined() || clipboard.is_null() {
            self.say(&format!("无法访问剪贴板，请手动复制：{text}"));
            return Ok(());
        }
        let _ = self.ui.window.navigator().clipboard().write_text(&text);
        self.say(&format!("已复制引用：{text}"));
        Ok(())
    }

    /// `#clause=ID` opens the widget on that clause.
    fn show_hash(&self) -> JsResult {
        let hash = self.ui.window.location().hash().unwrap_or_default();
        let Some(id) = hash.strip_prefix(names::HASH_PREFIX) else { return Ok(()) };
        let id = js_sys::decode_uri_component(id).map(String::from).unwrap_or_else(|_| id.to_string());
        self.ui.answers.set_text_content(None);
        self.ui.related.set_text_content(None);
        match engine().clause(&id, &today()) {
            Some(item) => {
                self.set_open(true)?;
                let card = self.card(&item, "h3")?;
                self.ui.answers.append_child(&card)?;
                self.say(&format!("条款 {id}"));
                let _ = card.dyn_ref::<HtmlElement>().map(HtmlElement::focus);
                self.ui.host.scroll_into_view();
            }
            None => self.say(&format!("找不到条款 {id}。")),
        }
        Ok(())
    }
}
