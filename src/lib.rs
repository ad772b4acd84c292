//! policy-qa: answers enterprises' questions about government support policies from a knowledge
//! base compiled out of the policy documents in `seeds/`, entirely on the user's device.
//!
//! Data flows one way: seeds → [`compile`] (build time) → postcard bytes → [`Engine`] → answers.
#![deny(missing_docs)]

mod engine;
mod format;
mod normalize;
mod sort;
mod sound;
mod text;

/// The seed compiler, used by `build.rs` and by the CLI's `check`. Native only.
#[cfg(not(target_arch = "wasm32"))]
#[allow(missing_docs)]
pub mod compile;

#[cfg(not(target_arch = "wasm32"))]
#[allow(missing_docs)]
pub mod cli;

pub use engine::{Answer, DocInfo, Engine, Error, FactOut, Item, Validity, ValidityStatus};
pub use format::{FactKind, Intent};

mod view;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
mod widget;

/// The knowledge base compiled from `seeds/` by `build.rs`.
pub static KB_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kb.bin"));

/// Its English table ([`Engine::add_english`]): compiled into the command line, and shipped
/// beside the wasm as a file of its own, fetched only for a question with Latin letters.
#[cfg(not(target_arch = "wasm32"))]
pub static ENGLISH_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.bin"));

impl Engine {
    /// The engine over the knowledge base compiled into this build ([`KB_BYTES`]), with its
    /// English table natively.
    pub fn new() -> Engine {
        let engine = engine::Startup::new(KB_BYTES).finish().unwrap_or_else(embedded_bug);
        #[cfg(not(target_arch = "wasm32"))]
        engine.add_english(ENGLISH_BYTES).unwrap_or_else(embedded_bug);
        engine
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl compile::Compiled {
    /// An engine over what was just compiled, its English table included.
    pub fn engine(&self) -> Result<Engine, Error> {
        let engine = Engine::from_bytes(&self.kb_bytes())?;
        engine.add_english(&self.english_bytes())?;
        Ok(engine)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The embedded knowledge base comes from the same build as the engine, so a failure to load it
/// is a build bug. Not `expect`: that would need `Debug` for the error, and with it the
/// formatting machinery in every browser's download.
pub(crate) fn embedded_bug<T>(_: Error) -> T {
    panic!("the embedded knowledge base matches this engine: both come from one build")
}
