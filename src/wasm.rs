//! The JavaScript API: the same engine as the CLI, answers as plain JS objects with the same
//! fields as `policy-qa ask --json`. The widget (`widget.rs`) renders on top of this.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::engine::Engine;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** One clause in an answer; the same fields as `policy-qa ask --json`. */
export interface Item {
  id: string; doc: string; title: string; citation: string; section: string[]; text: string;
  score: number; coverage: number; matched: string[];
  facts: { kind: "amount" | "cap" | "ratio" | "unit" | "deadline" | "date" | "validity"; text: string }[];
  validity: { status: "in_force" | "lapsed" | "not_yet" | "unknown"; from: string | null; until: string | null; note: string | null; inferred: boolean };
  also_in: string[]; line: number;
}
/** The answer to one question. `answers` is empty when the documents do not cover it. */
export interface Answer {
  question: string; answers: Item[]; related: Item[];
  intent: "amount" | "who" | "when" | "where" | "target" | "which" | null; notice: string | null;
}
export interface DocInfo {
  doc: string; id: string; title: string; kind: string; issuer: string | null; number: string | null;
  published: string | null; source: string | null; clauses: number;
}
"#;

thread_local! {
    /// One engine per page, shared by every widget instance: decoded and indexed once.
    static ENGINE: Rc<Engine> = Rc::new(Engine::new());
}

pub(crate) fn engine() -> Rc<Engine> {
    ENGINE.with(Rc::clone)
}

/// Builds the engine shared by every widget now (decoding, automaton, index: the work of
/// start-up) instead of at the first question. The loader calls it once the widgets have been
/// painted, so that a page shows its widgets without waiting for this.
#[wasm_bindgen]
pub fn prepare() {
    let _ = engine();
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
