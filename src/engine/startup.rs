//! Start-up: knowledge-base bytes → the engine, in three stages (`Startup`): the knowledge base
//! decoded, checked and folded, with its pattern table; the automaton; the bigram index.
//!
//! Each stage's work is in functions of their own (`inline(never)`): in the browser each runs
//! first in V8's baseline compiler, and V8 re-compiles hot functions with its optimising
//! compiler in the background. One 30 KB function holding every loop would be re-compiled
//! whole, competing for the CPU, to run once. (The stages kept out of `step` also make the
//! download 0.2 KB smaller.) The stages are also the browser's steps
//! (`wasm::prepare`): one task of the page's main thread each.

use crate::format::{self, Action, FormatError, Kb};
use crate::normalize::{normalize, T2s};
use crate::text::cat;

use super::library::Library;
use super::spell::Speller;
use super::automaton::{Patterns, Rules};
use super::index::Index;
use super::rank::DocFacts;
use super::{Engine, Error};

/// An engine being built from knowledge-base bytes, one stage at a time (`step`) or all at
/// once (`finish`).
pub(crate) enum Startup<'a> {
    Bytes(&'a [u8]),
    Folded(Folded),
    Armed(Armed),
    Done(Engine),
}

impl<'a> Startup<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Startup<'a> {
        Startup::Bytes(bytes)
    }

    /// Runs the next stage; true once the engine is complete. After an error the start-up is
    /// spent: every further step fails.
    pub(crate) fn step(&mut self) -> Result<bool, Error> {
        *self = match std::mem::replace(self, Startup::Bytes(&[])) {
            Startup::Bytes(bytes) => Startup::Folded(format::decode(bytes).and_then(Folded::new).map_err(Error)?),
            Startup::Folded(folded) => Startup::Armed(folded.arm().map_err(Error)?),
            Startup::Armed(armed) => Startup::Done(armed.finish()),
            done => done,
        };
        Ok(matches!(self, Startup::Done(_)))
    }

    /// The knowledge base, once the first stage has run: enough to show a clause by id.
    // The browser's deep links and document list use it (`wasm::SharedEngine::library`).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn library(&self) -> Option<&Library> {
        match self {
            Startup::Bytes(_) => None,
            Startup::Folded(f) => Some(&f.lib),
            Startup::Armed(a) => Some(&a.lib),
            Startup::Done(e) => Some(&e.lib),
        }
    }

    /// The engine, running whatever stages are left.
    pub(crate) fn finish(mut self) -> Result<Engine, Error> {
        while !self.step()? {}
        match self {
            Startup::Done(engine) => Ok(engine),
            _ => unreachable!("step returned true"),
        }
    }
}

/// Stage one: the knowledge base checked, its text folded, the pattern table and its alphabet.
pub(crate) struct Folded {
    lib: Library,
    norms: Vec<String>,
    terms: Vec<String>,
    patterns: Patterns,
}

impl Folded {
    #[inline(never)]
    fn new(kb: Kb) -> Result<Folded, FormatError> {
        let t2s = kb.t2s()?;
        validate(&kb)?;
        let norms = fold_all(&kb, &t2s);
        let terms = kb.terms(&norms)?;
        let patterns = Patterns::new(&terms, &kb.rules)?;
        Ok(Folded { lib: Library { kb, t2s }, norms, terms, patterns })
    }

    /// Stage two: the automaton.
    #[inline(never)]
    fn arm(self) -> Result<Armed, FormatError> {
        let Folded { lib, norms, terms, patterns } = self;
        Ok(Armed { lib, norms, terms, rules: patterns.build()? })
    }
}

/// Stage two done: the knowledge base with its automaton.
pub(crate) struct Armed {
    lib: Library,
    norms: Vec<String>,
    terms: Vec<String>,
    rules: Rules,
}

impl Armed {
    /// Stage three: the bigram index, and what ranking knows of each document.
    #[inline(never)]
    fn finish(self) -> Engine {
        let Armed { lib, norms, terms, rules } = self;
        let index = Index::new(&lib.kb, norms, terms, &lib.t2s);
        let docs = DocFacts::new(&lib.kb);
        let spell = Speller::new(&lib.kb, index.terms());
        Engine { lib, rules, index, docs, spell, english: std::cell::OnceCell::new() }
    }
}

/// Checks every index once, so that answering can index without checks or panics.
#[inline(never)]
fn validate(kb: &Kb) -> Result<(), FormatError> {
    let bad = |m: String| FormatError::Body(m);
    for c in &kb.clauses {
        if c.doc as usize >= kb.docs.len() || c.section.is_some_and(|s| s as usize >= kb.sections.len()) {
            return Err(bad(cat!("clause ", c.id, " points outside the knowledge base")));
        }
        if c.links.iter().any(|&l| l as usize >= kb.clauses.len()) || c.facts.iter().any(|f| f.text(&c.text).is_empty()) {
            return Err(bad(cat!("clause ", c.id, " has a broken link or fact")));
        }
    }
    if kb.sections.iter().any(|s| s.doc as usize >= kb.docs.len() || s.parent.is_some_and(|p| p as usize >= kb.sections.len())) {
        return Err(bad("section points outside the knowledge base".into()));
    }
    if kb.concepts.iter().flatten().any(|&k| k as usize >= kb.keywords.len()) {
        return Err(bad("concept names a missing keyword".into()));
    }
    for r in &kb.rules {
        if r.actions.iter().any(|a| matches!(a, Action::Keyword(k) if *k as usize >= kb.keywords.len()) || matches!(a, Action::Concept(c) if *c as usize >= kb.concepts.len())) {
            return Err(bad(cat!("rule 「", r.pattern, "」 names a missing keyword or concept")));
        }
    }
    Ok(())
}

/// Every clause's normalised text.
#[inline(never)]
fn fold_all(kb: &Kb, t2s: &T2s) -> Vec<String> {
    kb.clauses.iter().map(|c| normalize(&c.text, t2s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_in_stages_gives_the_same_engine() {
        // Built the other way, through `from_bytes`.
        let Ok(whole) = Engine::from_bytes(crate::KB_BYTES) else { panic!("the embedded knowledge base loads") };
        let questions = ["海外开品牌专卖店有什么奖励", "工业设计中心能拿多少钱", "公积金怎么提取", "Is there funding for technology upgrades?"];
        let answers = |e: &Engine| questions.map(|q| serde_json::to_string(&e.ask(q, "2026-11-22")).unwrap());
        // (name, stages run one at a time before the rest are finished at once)
        let cases = [("all at once", 0), ("after folding", 1), ("after the automaton", 2), ("stepped to the end", 3), ("stepped past the end", 5)];
        for (name, steps) in cases {
            let mut s = Startup::new(crate::KB_BYTES);
            let done: Vec<bool> = (0..steps).map(|_| s.step().is_ok_and(|d| d)).collect();
            assert_eq!(done, (1..=steps).map(|i| i >= 3).collect::<Vec<_>>(), "{name}: done after the third stage");
            let Ok(engine) = s.finish() else { panic!("{name}: finishes") };
            assert_eq!(answers(&engine), answers(&whole), "{name}");
        }
    }

    #[test]
    fn the_knowledge_base_is_there_after_the_first_stage() {
        let whole = Engine::new();
        let mut s = Startup::new(crate::KB_BYTES);
        assert!(s.library().is_none(), "nothing decoded before the first stage");
        // (stages run, then: the same clause and document list as the whole engine's)
        for stages in 1..=3 {
            assert!(s.step().is_ok(), "stage {stages} runs");
            let Some(lib) = s.library() else { panic!("a knowledge base after stage {stages}") };
            assert_eq!(lib.clause("004-3.6.14", "2026-11-22"), whole.library().clause("004-3.6.14", "2026-11-22"), "after stage {stages}");
            assert_eq!(lib.documents().len(), whole.library().documents().len(), "after stage {stages}");
        }
    }

    #[test]
    fn bad_bytes_are_refused_at_the_first_stage() {
        // (name, bytes, error message starts with)
        let cases: [(&str, &[u8], &str); 2] = [("empty", b"", "not a policy-qa knowledge base"), ("other version", b"POLICYQA\xff\xff", "knowledge base format version 65535")];
        for (name, bytes, want) in cases {
            let mut s = Startup::new(bytes);
            let got = s.step().map_err(|e| e.to_string());
            assert!(got.as_ref().is_err_and(|e| e.starts_with(want)), "{name}: {got:?}");
            assert!(s.step().is_err(), "{name}: spent after an error");
        }
    }
}
