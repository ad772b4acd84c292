//! policy-qa: answers enterprises' questions about government support policies from a knowledge
//! base compiled out of the policy documents in `seeds/`, entirely on the user's device.
//!
//! Data flows one way: seeds → [`compile`] (build time) → postcard bytes → [`Engine`] → answers.
#![deny(missing_docs)]

mod engine;
mod format;
mod normalize;

/// The seed compiler, used by `build.rs` and by the CLI's `check`. Native only.
#[cfg(not(target_arch = "wasm32"))]
#[allow(missing_docs)]
pub mod compile;

#[cfg(not(target_arch = "wasm32"))]
#[allow(missing_docs)]
pub mod cli;

pub use engine::{Answer, DocInfo, Engine, Error, FactOut, Item, Validity};
pub use format::{FactKind, Intent};

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
mod widget;

/// The knowledge base compiled from `seeds/` by `build.rs`.
pub static KB_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kb.bin"));
