//! The JavaScript API: the same engine as the CLI, answers as plain JS objects with the same
//! fields as `policy-qa ask --json`. The widget (`widget.rs`) renders on top of this.

use std::cell::{OnceCell, Ref, RefCell};
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::engine::{Engine, Library, Startup, ValidityStatus};
use crate::format::{FactKind, Intent};
use crate::text::{cat, Padded};

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

/// An engine, or the start-up that makes it, shared by the `PolicyQa`s and widgets that show
/// it. The embedded knowledge base's is built a stage per task once the widgets have been
/// painted (`prepare`), or all at once at the first question; one from `PolicyQa.fromBytes` is
/// ready from the start.
pub(crate) struct SharedEngine {
    engine: OnceCell<Engine>,
    /// Only ever the embedded bytes' start-up: a failure is a build bug (`embedded_bug`).
    startup: RefCell<Startup<'static>>,
}

impl SharedEngine {
    fn starting(bytes: &'static [u8]) -> SharedEngine {
        SharedEngine { engine: OnceCell::new(), startup: RefCell::new(Startup::new(bytes)) }
    }

    fn ready(engine: Engine) -> SharedEngine {
        SharedEngine { engine: OnceCell::from(engine), startup: RefCell::new(Startup::new(&[])) }
    }

    /// Runs one more start-up stage; true once the engine is ready.
    fn step(&self) -> bool {
        if self.engine.get().is_some() {
            return true;
        }
        let done = self.startup.borrow_mut().step().unwrap_or_else(crate::embedded_bug);
        if done {
            self.get();
        }
        done
    }

    /// The knowledge base without the question reader: the engine's, or start-up's after its
    /// first stage (run now if it has not), so that a clause by id or the document list does
    /// not wait for the automaton and the index. Hold it only while drawing: a start-up stage
    /// cannot run meanwhile.
    pub(crate) fn library(&self) -> LibraryRef<'_> {
        if let Some(engine) = self.engine.get() {
            return LibraryRef::Ready(engine.library());
        }
        {
            let mut startup = self.startup.borrow_mut();
            if startup.library().is_none() {
                startup.step().unwrap_or_else(crate::embedded_bug);
            }
        }
        match Ref::filter_map(self.startup.borrow(), Startup::library) {
            Ok(lib) => LibraryRef::Starting(lib),
            // Not reached: a stage run from the bytes leaves a knowledge base.
            Err(startup) => {
                drop(startup);
                LibraryRef::Ready(self.get().library())
            }
        }
    }

    /// The engine, running whatever start-up stages are left.
    pub(crate) fn get(&self) -> &Engine {
        self.engine.get_or_init(|| self.startup.replace(Startup::new(&[])).finish().unwrap_or_else(crate::embedded_bug))
    }
}

/// The knowledge base of a `SharedEngine` (`library`).
pub(crate) enum LibraryRef<'a> {
    Ready(&'a Library),
    Starting(Ref<'a, Library>),
}

impl std::ops::Deref for LibraryRef<'_> {
    type Target = Library;
    fn deref(&self) -> &Library {
        match self {
            LibraryRef::Ready(lib) => lib,
            LibraryRef::Starting(lib) => lib,
        }
    }
}

thread_local! {
    /// The knowledge base compiled into this module: decoded and indexed once per page.
    static EMBEDDED: Rc<SharedEngine> = Rc::new(SharedEngine::starting(crate::KB_BYTES));
}

/// Builds the embedded engine ahead of the first question, one stage per call (folding,
/// automaton, index: each one task of the page's main thread, not all of start-up in one);
/// true once it is ready. The loader calls it after the widgets have been painted, and again
/// from a new task until it returns true. A question asked before that finishes the remaining
/// stages at once.
#[wasm_bindgen]
pub fn prepare() -> bool {
    EMBEDDED.with(|e| e.step())
}

/// Today's local date as YYYY-MM-DD, for validity badges: computed in the browser, never sent.
pub(crate) fn today() -> String {
    let d = js_sys::Date::new_0();
    let part = |n: u32, width| Padded(u64::from(n), width);
    cat!(part(d.get_full_year(), 4), "-", part(d.get_month() + 1, 2), "-", part(d.get_date(), 2))
}

/// JSON-compatible conversion: `None` becomes `null`, as in the CLI's JSON. Plain strings,
/// numbers, options and lists cannot fail to convert; the message says so without its reason
/// (`Display` would link `core::fmt`: see `text`).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| JsError::new("policy-qa: an answer did not convert to JavaScript"))
}

/// The policy knowledge base and its answer engine, without any user interface.
#[wasm_bindgen]
pub struct PolicyQa {
    engine: Rc<SharedEngine>,
}

#[wasm_bindgen]
impl PolicyQa {
    /// The knowledge base compiled into this module: one engine per page, however many
    /// `PolicyQa`s and widgets show it.
    #[wasm_bindgen(constructor)]
    pub fn new() -> PolicyQa {
        PolicyQa { engine: EMBEDDED.with(Rc::clone) }
    }

    /// An engine over other knowledge-base bytes (made by the same version's compiler), e.g. a
    /// larger corpus shipped as its own file. Refuses other formats and versions. A widget
    /// given it shows it (`new Widget(host, css, cssIsText, qa)`).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<PolicyQa, JsError> {
        let engine = Engine::from_bytes(bytes).map_err(|e| JsError::new(&e.message()))?;
        Ok(PolicyQa { engine: Rc::new(SharedEngine::ready(engine)) })
    }

    /// Answers a question; the same object as `policy-qa ask --json` prints.
    #[wasm_bindgen(unchecked_return_type = "Answer")]
    pub fn ask(&self, question: &str) -> Result<JsValue, JsError> {
        to_js(&self.engine.get().ask(question, &today()))
    }

    /// Adds the English table (`policy-qa-en.bin` beside the wasm, from the same build): until
    /// then English words are read only through the lexicon. The loader fetches it at the first
    /// question with Latin letters; nobody else downloads it.
    #[wasm_bindgen(js_name = addEnglish)]
    pub fn add_english(&self, bytes: &[u8]) -> Result<(), JsError> {
        self.engine.get().add_english(bytes).map_err(|e| JsError::new(&e.message()))
    }

    /// Whether `question` has Latin letters and the English table is not there yet.
    #[wasm_bindgen(js_name = wantsEnglish)]
    pub fn wants_english(&self, question: &str) -> bool {
        self.engine.get().wants_english(question)
    }

    /// The documents in the knowledge base.
    #[wasm_bindgen(unchecked_return_type = "DocInfo[]")]
    pub fn documents(&self) -> Result<JsValue, JsError> {
        to_js(&self.engine.library().documents())
    }

    /// One clause by id, or `null`.
    #[wasm_bindgen(unchecked_return_type = "Item | null")]
    pub fn clause(&self, id: &str) -> Result<JsValue, JsError> {
        to_js(&self.engine.library().clause(id, &today()))
    }
}

impl PolicyQa {
    pub(crate) fn engine(&self) -> Rc<SharedEngine> {
        Rc::clone(&self.engine)
    }
}

impl Default for PolicyQa {
    fn default() -> Self {
        PolicyQa::new()
    }
}
