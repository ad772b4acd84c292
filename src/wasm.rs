//! The JavaScript API: the same engine as the CLI, answers as plain JS objects with the same
//! fields as `policy-qa ask --json`. The widget (`widget.rs`) renders on top of this.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::engine::{Engine, Startup, ValidityStatus};
use crate::format::{FactKind, Intent};

// The enums' names come from their one definition (`named_enum!`), not a copy.
#[wasm_bindgen(typescript_custom_section)]
const TS_FACT_KIND: &str = FactKind::TS;
#[wasm_bindgen(typescript_custom_section)]
const TS_VALIDITY_STATUS: &str = ValidityStatus::TS;
#[wasm_bindgen(typescript_custom_section)]
const TS_INTENT: &str = Intent::TS;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** One clause in an answer; the same fields as `policy-qa ask --json`. */
export interface Item {
  id: string; doc: string; title: string; citation: string; section: string[]; text: string;
  score: number; coverage: number; matched: string[];
  facts: { kind: FactKind; text: string }[];
  validity: { status: ValidityStatus; from: string | null; until: string | null; note: string | null; inferred: boolean };
  also_in: string[]; line: number;
}
/** The answer to one question. `answers` is empty when the documents do not cover it. */
export interface Answer {
  question: string; answers: Item[]; related: Item[];
  intent: Intent | null; notice: string | null;
}
export interface DocInfo {
  doc: string; id: string; title: string; kind: string; issuer: string | null; number: string | null;
  published: string | null; source: string | null; clauses: number;
}
"#;

thread_local! {
    /// One engine per page, shared by every widget instance: decoded and indexed once.
    static ENGINE: OnceCell<Rc<Engine>> = const { OnceCell::new() };
    /// Its start-up while `prepare` runs it a stage at a time.
    static STARTUP: RefCell<Startup<'static>> = RefCell::new(Startup::new(crate::KB_BYTES));
}

pub(crate) fn engine() -> Rc<Engine> {
    let finish = || STARTUP.with(|s| s.replace(Startup::new(&[]))).finish().unwrap_or_else(crate::embedded_bug);
    ENGINE.with(|e| Rc::clone(e.get_or_init(|| Rc::new(finish()))))
}

/// Builds the engine shared by every widget ahead of the first question, one stage per call
/// (folding, automaton, index: each one task of the page's main thread, not all of start-up in
/// one); true once it is ready. The loader calls it after the widgets have been painted, and
/// again from a new task until it returns true. A question asked before that finishes the
/// remaining stages at once.
#[wasm_bindgen]
pub fn prepare() -> bool {
    if ENGINE.with(|e| e.get().is_some()) {
        return true;
    }
    if STARTUP.with(|s| s.borrow_mut().step()).unwrap_or_else(crate::embedded_bug) {
        engine();
        return true;
    }
    false
}

/// Today's local date as YYYY-MM-DD, for validity badges: computed in the browser, never sent.
pub(crate) fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// JSON-compatible conversion: `None` becomes `null`, as in the CLI's JSON.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The policy knowledge base and its answer engine, without any user interface.
#[wasm_bindgen]
pub struct PolicyQa {
    engine: Rc<Engine>,
}

#[wasm_bindgen]
impl PolicyQa {
    /// Loads the knowledge base compiled into this module (shared with every widget).
    #[wasm_bindgen(constructor)]
    pub fn new() -> PolicyQa {
        PolicyQa { engine: engine() }
    }

    /// An engine over other knowledge-base bytes (made by the same version's compiler), e.g. a
    /// larger corpus shipped as its own file. Refuses other formats and versions.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<PolicyQa, JsError> {
        let engine = Engine::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(PolicyQa { engine: Rc::new(engine) })
    }

    /// Answers a question; the same object as `policy-qa ask --json` prints.
    #[wasm_bindgen(unchecked_return_type = "Answer")]
    pub fn ask(&self, question: &str) -> Result<JsValue, JsError> {
        to_js(&self.engine.ask(question, &today()))
    }

    /// The documents in the knowledge base.
    #[wasm_bindgen(unchecked_return_type = "DocInfo[]")]
    pub fn documents(&self) -> Result<JsValue, JsError> {
        to_js(&self.engine.documents())
    }

    /// One clause by id, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Item | null")]
    pub fn clause(&self, id: &str) -> Result<JsValue, JsError> {
        to_js(&self.engine.clause(id, &today()))
    }
}

impl Default for PolicyQa {
    fn default() -> Self {
        PolicyQa::new()
    }
}
