//! Matching and ranking: question → ranked clauses with citations. Plain Rust, tested natively;
//! the wasm layer only renders what this returns.
//!
//! A question is normalised with the same code as the keywords, then read with one
//! leftmost-longest aho-corasick pass over the knowledge base's rules (derived keywords, lexicon
//! concepts, intents, filler, places). What is left of its content is scored against every
//! clause with BM25 over character bigrams (the character-level fallback that makes any wording
//! findable), plus the keyword and concept matches, plus runs of consecutive matched bigrams
//! (phrases). Intent fit and place consistency adjust the score. Whether an answer is confident is
//! decided by *coverage*: the share of the question's weight the best clause explains, with words
//! the documents never use counting against it. That is what tells "海外开专卖店有奖励吗" from
//! "公积金提取需要什么材料".


// The automaton API directly, with one automaton kind: the `AhoCorasick` wrapper would link in
// every kind (DFA, both NFAs, the packed searchers), which the browser would download for nothing.
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::{Builder as NfaBuilder, NFA};
use aho_corasick::{Input, MatchKind};
use serde::Serialize;

use crate::format::{self, Action, FactKind, Intent, Kb, Role};

use crate::normalize::{for_each_unit, normalize, T2s, Unit};

/// Questions are clipped to this many characters: nobody asks in more, and it bounds the work
/// per question whatever is pasted into the box.
pub(crate) const MAX_QUESTION_CHARS: usize = 200;
const MAX_ANSWERS: usize = 5;
const MAX_RELATED: usize = 5;

// Ranking constants. Tuned on the whole development set at once, never per question.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Weight of a section title's words relative to the clause's own words.
const TITLE_TF: f32 = 0.5;
/// Weight of the document title's words: a question naming a document (its number, its
/// proposal) reaches every clause of it, and the other words pick the clause.
const DOC_TF: f32 = 0.3;
/// Extra weight of a numbered clause's own heading (（三）黄金珠宝产业特色化健康化发展。): the
/// clause is about what its heading names, not merely mentioning it in a list.
const LEAD_TF: f32 = 0.5;
const LEAD_BONUS: f32 = 0.5;
/// Bonus per consecutive matched bigram, as a share of the bigram's weight.
const RUN_BONUS: f32 = 0.6;
/// A long exact phrase counts even when its words are common (时尚产业大数据中心).
const RUN_FLOOR: f32 = 1.0;
/// Weight of a concept reached only through a user's synonym.
const CONCEPT_WEIGHT: f32 = 0.9;
/// Extra credit when the question contains a keyword of the documents verbatim.
const KEYWORD_BONUS: f32 = 0.3;
const GENERIC_WEIGHT: f32 = 0.25;
const INTENT_BOOST: f32 = 1.5;
/// Share of a letter's opening score its sign-off inherits for who/when questions.
const LETTER_SHARE: f32 = 0.95;
const REPLACED_FACTOR: f32 = 0.6;
const IN_FORCE_FACTOR: f32 = 1.1;
const PLACE_PENALTY: f32 = 0.35;
/// An answer must explain at least this share of the question…
const MIN_COVERAGE: f32 = 0.5;
/// …and further answers must score this close to the best one.
const ANSWER_RATIO: f32 = 0.6;
const RELATED_COVERAGE: f32 = 0.2;

/// Why a knowledge base could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(format::FormatError);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

/// The answer to one question: what `policy-qa ask --json` prints and the widget's `ask()` returns.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    /// The question as asked (clipped to the length that was read).
    pub question: String,
    /// Clauses that answer the question, best first. Empty when the documents do not cover it.
    pub answers: Vec<Item>,
    /// Weaker matches, shown as "related", never as answers.
    pub related: Vec<Item>,
    /// What kind of answer the question asks for (`amount`, `who`, `when`, `where`, `target`, `which`).
    pub intent: Option<&'static str>,
    /// A note for the user, e.g. that a long question was clipped.
    pub notice: Option<String>,
}

/// One clause in an answer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Item {
    /// Stable clause id, e.g. `004-3.6.14`.
    pub id: String,
    /// The seed file name without extension.
    pub doc: String,
    /// The document's title.
    pub title: String,
    /// Complete human-readable citation: title, 文号 where known, section path.
    pub citation: String,
    /// The section path, outermost first (`三、主要任务`, …).
    pub section: Vec<String>,
    /// The clause exactly as in the document.
    pub text: String,
    /// Ranking score (higher is better; comparable within one answer only), 3 decimals.
    pub score: f64,
    /// How much of the question this clause explains, 0–1, 3 decimals.
    pub coverage: f64,
    /// The keywords and question words that matched, as they are normalised.
    pub matched: Vec<String>,
    /// Extracted facts: amounts, caps, ratios, units, dates.
    pub facts: Vec<FactOut>,
    /// Whether the document is in force.
    pub validity: Validity,
    /// Ids of clauses in other documents that repeat this passage.
    pub also_in: Vec<String>,
    /// 1-based line in the seed file.
    pub line: u32,
}

/// A fact as shown to users.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactOut {
    /// `amount`, `cap`, `ratio`, `unit`, `deadline`, `date` or `validity`.
    pub kind: &'static str,
    /// The words as in the document.
    pub text: String,
}

/// A document's validity as of the day asked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Validity {
    /// `in_force`, `lapsed`, `not_yet` or `unknown`.
    pub status: &'static str,
    /// First day in force (partial ISO date), if known.
    pub from: Option<String>,
    /// Last day in force (partial ISO date), if known.
    pub until: Option<String>,
    /// The document's own words on validity, if any.
    pub note: Option<String>,
    /// True when the dates are inferred rather than printed in the document.
    pub inferred: bool,
}

/// A document, as listed by [`Engine::documents`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocInfo {
    /// Seed file name without extension.
    pub doc: String,
    /// Short id used in clause ids.
    pub id: String,
    /// Title.
    pub title: String,
    /// action-plan, proposal-reply, news-repost, …
    pub kind: String,
    /// Issuing body.
    pub issuer: Option<String>,
    /// 文号.
    pub number: Option<String>,
    /// Publication date (partial ISO).
    pub published: Option<String>,
    /// Where it was reposted from, for news reposts.
    pub source: Option<String>,
    /// Number of clauses.
    pub clauses: usize,
}

/// A clause a keyword occurs in, and whether in the clause's heading.
#[derive(Clone, Copy)]
struct Hit {
    clause: u32,
    lead: bool,
}

/// A keyword in a clause's heading counts more than in its body.
fn lead_factor(in_lead: bool) -> f32 {
    if in_lead {
        1.0 + LEAD_BONUS
    } else {
        1.0
    }
}

#[derive(Clone, Copy)]
struct Posting {
    clause: u32,
    tf: f32,
}

/// The answer engine over one knowledge base.
pub struct Engine {
    kb: Kb,
    t2s: T2s,
    /// Keyword texts, by keyword index.
    terms: Vec<String>,
    /// Normalised clause texts.
    norms: Vec<String>,
    rules: NFA,
    /// Actions of each automaton pattern: keywords' implied rules merged with the lexicon's.
    actions: Vec<Vec<Action>>,
    patterns: Vec<String>,
    alphabet: Alphabet,
    units: UnitIndex,
    clause_len: Vec<f32>,
    avg_len: f32,
    /// Per document: its normalised region and title.
    doc_scope: Vec<String>,
    /// Per clause: the length of its heading (see `lead`) at the start of its normalised text.
    lead_len: Vec<usize>,
}

/// Unit → postings: an open-addressing table from unit to a dense slot, and each slot's postings
/// in clause order. Built in linear time, no sort: start-up runs once, in the browser's baseline
/// compiler, so every pass over the ~60,000 occurrences counts.
struct UnitIndex {
    /// Power-of-two sized, at most half full; `(unit, slot + 1)`, 0 = empty.
    table: Vec<(Unit, u32)>,
    /// `starts[s]..starts[s + 1]` are slot `s`'s postings.
    starts: Vec<u32>,
    postings: Vec<Posting>,
}

impl UnitIndex {
    fn builder() -> IndexBuilder {
        IndexBuilder { idx: UnitIndex { table: vec![(0, 0); 1024], starts: Vec::new(), postings: Vec::new() }, occ: Vec::new(), count: Vec::new() }
    }

    /// The table position holding `u`, or the empty one where it would go.
    fn probe(&self, u: Unit) -> usize {
        let mask = self.table.len() - 1;
        let mut i = (u.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        while self.table[i].1 != 0 && self.table[i].0 != u {
            i = (i + 1) & mask;
        }
        i
    }

    fn get(&self, u: Unit) -> Option<&[Posting]> {
        let slot = self.table[self.probe(u)].1.checked_sub(1)? as usize;
        Some(&self.postings[self.starts[slot] as usize..self.starts[slot + 1] as usize])
    }
}

/// Collects occurrences, then lays postings out slot by slot.
struct IndexBuilder {
    idx: UnitIndex,
    /// `(slot, clause, tf)` for every occurrence, in clause order.
    occ: Vec<(u32, u32, f32)>,
    /// Occurrences per slot.
    count: Vec<u32>,
}

impl IndexBuilder {
    /// The dense slot of `u`, assigned on first sight.
    fn slot(&mut self, u: Unit) -> u32 {
        if 2 * (self.count.len() + 1) > self.idx.table.len() {
            self.grow();
        }
        let i = self.idx.probe(u);
        if self.idx.table[i].1 == 0 {
            self.count.push(0);
            self.idx.table[i] = (u, self.count.len() as u32);
        }
        self.idx.table[i].1 - 1
    }

    /// Records one occurrence; clauses must come in increasing order.
    fn add(&mut self, slot: u32, clause: u32, tf: f32) {
        self.count[slot as usize] += 1;
        self.occ.push((slot, clause, tf));
    }

    fn grow(&mut self) {
        let size = 2 * self.idx.table.len();
        let old = std::mem::replace(&mut self.idx.table, vec![(0, 0); size]);
        for e in old.into_iter().filter(|e| e.1 != 0) {
            let i = self.idx.probe(e.0);
            self.idx.table[i] = e;
        }
    }

    #[inline(never)]
    fn finish(mut self) -> UnitIndex {
        // Each slot gets room for all its occurrences; occurrences of one unit in one clause
        // are summed into one posting as they come (clause order), then the gaps are closed.
        let mut fill: Vec<u32> = Vec::with_capacity(self.count.len());
        let mut start = 0;
        for c in &self.count {
            fill.push(start);
            start += c;
        }
        let bounds = fill.clone();
        let postings = &mut self.idx.postings;
        postings.resize(self.occ.len(), Posting { clause: u32::MAX, tf: 0.0 });
        for &(slot, clause, tf) in &self.occ {
            let f = &mut fill[slot as usize];
            if *f > bounds[slot as usize] && postings[*f as usize - 1].clause == clause {
                postings[*f as usize - 1].tf += tf;
            } else {
                postings[*f as usize] = Posting { clause, tf };
                *f += 1;
            }
        }
        let mut to = 0;
        for (s, &b) in bounds.iter().enumerate() {
            self.idx.starts.push(to as u32);
            postings.copy_within(b as usize..fill[s] as usize, to);
            to += (fill[s] - b) as usize;
        }
        self.idx.starts.push(to as u32);
        postings.truncate(to);
        postings.shrink_to_fit();
        self.idx
    }
}

/// The automaton's byte alphabet: UTF-8 spends three bytes on every Chinese character, so the
/// trie over ~1,100 patterns would have three states per character. Here ASCII stays one byte,
/// each other character that occurs in some pattern gets a two-byte code (three beyond 3,072
/// of them), and any other character one byte no pattern contains. Lead bytes (0xC0–0xFF),
/// trail bytes (0x80–0xBF) and ASCII are disjoint, so, as with UTF-8, a match can only start and
/// end on a character boundary. The trie has a third fewer states (the build time itself
/// hardly follows the state count: a one-byte code for frequent characters, 21 % fewer bytes
/// still, built no faster).
struct Alphabet {
    /// Sorted non-ASCII characters of the patterns; a character's code is its index.
    chars: Vec<char>,
}

/// The byte for a character no pattern contains (normalised text never has control characters).
const NO_PATTERN: u8 = 0x01;
/// Two-byte codes (48 leads × 64 trails), then three-byte ones (16 leads × 64 × 64).
const TWO_BYTE_CODES: usize = 3072;
const MAX_CODES: usize = 16 * 64 * 64;

impl Alphabet {
    /// Refuses rules with more distinct characters than there are codes, rather than let codes
    /// collide and patterns match characters they do not contain.
    #[inline(never)]
    fn new(patterns: &[String]) -> Result<Alphabet, format::FormatError> {
        // A bitmap over code points rather than a sort: sorted and unique in one linear pass.
        let mut seen = vec![0u64; (char::MAX as usize >> 6) + 1];
        for c in patterns.iter().flat_map(|p| p.chars()).filter(|c| !c.is_ascii()) {
            seen[c as usize >> 6] |= 1 << (c as u32 & 63);
        }
        let mut chars = Vec::new();
        for (w, &bits) in seen.iter().enumerate().filter(|(_, b)| **b != 0) {
            chars.extend((0..64).filter(|i| bits >> i & 1 == 1).filter_map(|i| char::from_u32((w << 6 | i) as u32)));
        }
        if chars.len() > MAX_CODES {
            return Err(format::FormatError::Body("too many distinct characters in the rules".into()));
        }
        Ok(Alphabet { chars })
    }

    /// `text` in this alphabet, and for each byte (plus one past the end) its character index.
    fn encode(&self, text: &str) -> (Vec<u8>, Vec<usize>) {
        let mut out = Vec::with_capacity(text.len());
        let mut char_at = Vec::with_capacity(text.len() + 1);
        let mut n = 0;
        for (ci, c) in text.chars().enumerate() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                match self.chars.binary_search(&c) {
                    Ok(i) if i < TWO_BYTE_CODES => out.extend_from_slice(&[0xC0 | (i >> 6) as u8, 0x80 | (i & 63) as u8]),
                    // `new` keeps `i` below MAX_CODES, so `i >> 12` fits the 16 leads.
                    Ok(i) => out.extend_from_slice(&[0xF0 | (i >> 12) as u8, 0x80 | (i >> 6 & 63) as u8, 0x80 | (i & 63) as u8]),
                    Err(_) => out.push(NO_PATTERN),
                }
            }
            char_at.resize(out.len(), ci);
            n = ci + 1;
        }
        char_at.push(n);
        (out, char_at)
    }
}

// Start-up is split into phases that are functions of their own (`inline(never)`): in the
// browser each runs first in V8's baseline compiler, and V8 re-compiles hot functions with
// its optimising compiler in the background. One 30 KB function holding every loop would
// be re-compiled whole, competing for the CPU, to run once. The three stages below are also
// the browser's steps (`Startup`): one task of the page's main thread each.

/// Stage one: the knowledge base checked, its text folded, the pattern table and its alphabet.
pub(crate) struct Read {
    kb: Kb,
    t2s: T2s,
    norms: Vec<String>,
    terms: Vec<String>,
    patterns: Vec<String>,
    actions: Vec<Vec<Action>>,
    alphabet: Alphabet,
}

impl Read {
    fn new(kb: Kb) -> Result<Read, format::FormatError> {
        let t2s = kb.t2s()?;
        validate(&kb)?;
        let norms = fold_all(&kb, &t2s);
        let terms = kb.terms(&norms)?;
        let (patterns, actions) = pattern_table(&terms, &kb.rules);
        let alphabet = Alphabet::new(&patterns)?;
        Ok(Read { kb, t2s, norms, terms, patterns, actions, alphabet })
    }
}

/// Stage two: the automaton.
pub(crate) struct Matched {
    read: Read,
    rules: NFA,
}

impl Matched {
    fn new(read: Read) -> Result<Matched, format::FormatError> {
        let rules = automaton(&read.patterns, &read.alphabet)?;
        Ok(Matched { read, rules })
    }

    /// Stage three: the bigram index.
    fn finish(self) -> Engine {
        let Read { kb, t2s, norms, terms, patterns, actions, alphabet } = self.read;
        // A prefix of the text folds to a prefix of the folded text: the heading is a length.
        let lead_len: Vec<usize> = kb.clauses.iter().map(|c| normalize(lead(&c.text), &t2s).len()).collect();
        let (units, clause_len) = index_units(&kb, &norms, &lead_len, &t2s);
        let doc_scope = kb.docs.iter().map(|d| format!("{} {}", normalize(d.meta.region.as_deref().unwrap_or(""), &t2s), normalize(&d.title, &t2s))).collect();
        let avg_len = (clause_len.iter().sum::<f32>() / clause_len.len().max(1) as f32).max(1.0);
        Engine { kb, t2s, terms, norms, rules: self.rules, actions, patterns, alphabet, units, clause_len, avg_len, doc_scope, lead_len }
    }
}

/// The embedded engine's start-up, one stage at a time (see `wasm::prepare`), or all at once
/// (`Engine::new`).
pub(crate) enum Startup {
    Start,
    Read(Read),
    Matched(Matched),
    Done(Engine),
}

impl Startup {
    /// Runs the next stage; true once the engine is complete. The embedded knowledge base comes
    /// from the same build as this code, so a failure here is a build bug.
    pub(crate) fn step(&mut self) -> bool {
        // Not `expect`: that would need `Debug` for the error, and with it the formatting
        // machinery in every browser's download.
        fn bug<T>(_: format::FormatError) -> T {
            panic!("the embedded knowledge base matches this engine: both come from one build")
        }
        *self = match std::mem::replace(self, Startup::Start) {
            Startup::Start => Startup::Read(format::decode(crate::KB_BYTES).and_then(Read::new).unwrap_or_else(bug)),
            Startup::Read(read) => Startup::Matched(Matched::new(read).unwrap_or_else(bug)),
            Startup::Matched(m) => Startup::Done(m.finish()),
            done => done,
        };
        matches!(self, Startup::Done(_))
    }

    /// The engine, running whatever stages are left.
    pub(crate) fn finish(mut self) -> Engine {
        while !self.step() {}
        match self {
            Startup::Done(engine) => engine,
            _ => unreachable!("step returned true"),
        }
    }
}

/// A question unit with its weight and position in the normalised question.
struct QUnit {
    unit: Unit,
    pos: usize,
    weight: f32,
}

impl Engine {
    /// The engine over the knowledge base compiled into this build.
    pub fn new() -> Engine {
        Startup::Start.finish()
    }

    /// An engine over knowledge-base bytes; refuses other formats and versions.
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine, Error> {
        let kb = format::decode(bytes).map_err(Error)?;
        Engine::from_kb(kb).map_err(Error)
    }

    fn from_kb(kb: Kb) -> Result<Engine, format::FormatError> {
        Ok(Matched::new(Read::new(kb)?)?.finish())
    }

    /// Clauses whose normalised text contains keyword `k`, and whether their heading does: the
    /// rarest of its units narrows the candidates, `find_word` confirms. Done per question
    /// rather than stored, which keeps postings out of the download.
    fn postings(&self, k: u32) -> Vec<Hit> {
        let term = &self.terms[k as usize];
        let mut best: Option<&[Posting]> = None;
        for_each_unit(term, |_, u| {
            let p = self.units.get(u).unwrap_or(&[]);
            if best.map_or(true, |b| p.len() < b.len()) {
                best = Some(p);
            }
        });
        let hit = |c: u32| {
            // The first occurrence is in the heading if any is: the heading is a prefix.
            find_word(&self.norms[c as usize], term).map(|at| Hit { clause: c, lead: at + term.len() <= self.lead_len[c as usize] })
        };
        match best {
            Some(cands) => cands.iter().filter_map(|p| hit(p.clause)).collect(),
            None => (0..self.norms.len() as u32).filter_map(hit).collect(),
        }
    }

    fn n(&self) -> f32 {
        self.kb.clauses.len() as f32
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.n();
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// Weight of something the documents never say: as specific as the rarest word.
    fn unknown_weight(&self) -> f32 {
        self.idf(1)
    }

    /// The documents in the knowledge base.
    pub fn documents(&self) -> Vec<DocInfo> {
        self.kb
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| DocInfo {
                doc: d.file.clone(),
                id: d.id.clone(),
                title: d.title.clone(),
                kind: d.kind.clone(),
                issuer: d.meta.issuer.clone(),
                number: d.meta.number.clone(),
                published: d.meta.published.clone(),
                source: d.meta.source.clone(),
                clauses: self.kb.clauses.iter().filter(|c| c.doc as usize == i).count(),
            })
            .collect()
    }

    fn clause_index(&self, id: &str) -> Option<usize> {
        self.kb.clauses.iter().position(|c| c.id == id)
    }

    /// One clause by id, as an answer item (no score), or `None`.
    pub fn clause(&self, id: &str, today: &str) -> Option<Item> {
        let i = self.clause_index(id)?;
        Some(self.item(i as u32, 0.0, 0.0, Vec::new(), today))
    }

    /// The clauses around `id` in its section (the whole section, in document order, at most
    /// `limit`), so a reader can see a clause in context.
    pub fn context(&self, id: &str, today: &str, limit: usize) -> Vec<Item> {
        let Some(i) = self.clause_index(id) else { return Vec::new() };
        let c = &self.kb.clauses[i];
        // The section the clause opens, or failing that its parent: siblings share a heading.
        let sec = c.section.map(|s| self.kb.sections[s as usize].parent.unwrap_or(s));
        let under = |x: Option<u32>| {
            let mut s = x;
            while let Some(k) = s {
                if Some(k) == sec {
                    return true;
                }
                s = self.kb.sections[k as usize].parent;
            }
            sec.is_none() && x.is_none()
        };
        let same: Vec<usize> = (0..self.kb.clauses.len()).filter(|&k| self.kb.clauses[k].doc == c.doc && under(self.kb.clauses[k].section)).collect();
        let pos = same.iter().position(|&k| k == i).unwrap_or(0);
        let start = pos.saturating_sub(limit / 2).min(same.len().saturating_sub(limit));
        same.iter().skip(start).take(limit).map(|&k| self.item(k as u32, 0.0, 0.0, Vec::new(), today)).collect()
    }

    /// Character ranges of `text` where any of `words` (normalised, as in `Item::matched`)
    /// occurs, merged and sorted: what the widget highlights. Normalisation folds character by
    /// character, so ranges in the folded text are ranges in the original.
    pub fn highlights(&self, text: &str, words: &[String]) -> Vec<(usize, usize)> {
        let folded: Vec<char> = text.chars().map(|c| crate::normalize::fold_char(c, &self.t2s)).collect();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for w in words {
            let wc: Vec<char> = w.chars().collect();
            if wc.is_empty() || wc.len() > folded.len() {
                continue;
            }
            for s in 0..=folded.len() - wc.len() {
                if folded[s..s + wc.len()] == wc[..] {
                    ranges.push((s, s + wc.len()));
                }
            }
        }
        sort_by(&mut ranges, &mut |a, b| a < b);
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// Answers `question` as of `today` (ISO date, used for validity only).
    pub fn ask(&self, question: &str, today: &str) -> Answer {
        let clipped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let notice = if clipped.trim().is_empty() {
            Some("请输入要查询的问题。".to_string())
        } else {
            (clipped.len() < question.len()).then(|| format!("问题过长，只读取了前{MAX_QUESTION_CHARS}个字。"))
        };
        let q = Query::read(self, &clipped);
        let mut ranked = self.rank(&q, today);
        let intent = q.intent.map(intent_name);
        let mut answers = Vec::new();
        let mut related = Vec::new();
        let top = ranked.first().map_or(0.0, |r| r.score);
        let mut shown: Vec<u32> = Vec::new();
        for r in ranked.drain(..) {
            // A passage quoted in another document is shown once, citing the other.
            if shown.iter().any(|&s| self.kb.clauses[s as usize].links.contains(&r.clause)) {
                continue;
            }
            let is_answer = answers.len() < MAX_ANSWERS && r.score >= ANSWER_RATIO * top && r.coverage >= MIN_COVERAGE;
            if is_answer {
                answers.push(self.item(r.clause, r.score, r.coverage, self.words(&q, &r), today));
            } else if related.len() < MAX_RELATED && r.coverage >= RELATED_COVERAGE {
                related.push(self.item(r.clause, r.score, r.coverage, self.words(&q, &r), today));
            } else if related.len() >= MAX_RELATED {
                break;
            } else {
                continue;
            }
            shown.push(r.clause);
        }
        Answer { question: clipped, answers, related, intent, notice }
    }

    /// How a question was read, for maintainers tuning the lexicon (`policy-qa ask --explain`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn explain(&self, question: &str) -> String {
        let clipped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let q = Query::read(self, &clipped);
        let content: String = q.chars.iter().collect();
        let mut s = format!("content: {content:?}\nintent: {:?}  places: {:?}\n", q.intent, q.places);
        for (i, u) in q.units.iter().enumerate() {
            s.push_str(&format!("  unit {} w={:.2}\n", q.unit_text(i), u.weight));
        }
        for (k, w, _) in &q.keywords {
            s.push_str(&format!("  keyword {} w={w:.2}\n", self.terms[*k as usize]));
        }
        for (c, w) in &q.concepts {
            let terms: Vec<&str> = self.kb.concepts[*c as usize].iter().map(|&k| self.terms[k as usize].as_str()).collect();
            s.push_str(&format!("  concept {} w={w:.2}\n", terms.join("/")));
        }
        s.push_str(&format!("  missing={:.2} total={:.2}\n", q.missing, q.total_weight));
        for r in self.rank(&q, "").iter().take(5) {
            let c = &self.kb.clauses[r.clause as usize];
            let head: String = c.text.chars().filter(|ch| *ch != '\n').take(40).collect();
            s.push_str(&format!("  {:<12} score={:.2} cov={:.2} {head}\n", c.id, r.score, r.coverage));
        }
        s
    }

    fn rank(&self, q: &Query, today: &str) -> Vec<Ranked> {
        let n = self.kb.clauses.len();
        if q.total_weight <= 0.0 {
            return Vec::new();
        }
        let mut score = vec![0.0f32; n];
        let mut explained = vec![0.0f32; n];
        let mut last_pos = vec![usize::MAX; n];
        let mut run = vec![0u32; n];
        let mut matched: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut seen_units: Vec<Unit> = Vec::new();

        for (qi, qu) in q.units.iter().enumerate() {
            let Some(postings) = self.units.get(qu.unit) else { continue };
            let first = !seen_units.contains(&qu.unit);
            seen_units.push(qu.unit);
            for p in postings {
                let c = p.clause as usize;
                if first {
                    let norm = K1 * (1.0 - B + B * self.clause_len[c] / self.avg_len);
                    score[c] += qu.weight * p.tf * (K1 + 1.0) / (p.tf + norm);
                    explained[c] += qu.weight;
                }
                if qu.pos > 0 && last_pos[c] == qu.pos - 1 {
                    run[c] += 1;
                    score[c] += RUN_BONUS * qu.weight.max(RUN_FLOOR) * (run[c] as f32).min(4.0);
                } else {
                    run[c] = 0;
                }
                last_pos[c] = qu.pos;
                matched[c].push(qi);
            }
        }
        let mut kw_matched: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(k, weight, ref post) in &q.keywords {
            for h in post {
                let c = h.clause as usize;
                score[c] += KEYWORD_BONUS * weight * lead_factor(h.lead);
                kw_matched[c].push(k);
            }
        }
        for (concept, weight) in &q.concepts {
            // Synonyms do not add up: a clause gets the concept once, via its best keyword.
            let mut best: Vec<(f32, u32, bool)> = vec![(0.0, u32::MAX, false); n];
            for (k, post) in q.concept_postings.iter().find(|c| c.0 == *concept).map_or(&[][..], |c| &c.1[..]) {
                let k = *k;
                let w = self.idf(post.len()) * CONCEPT_WEIGHT;
                for h in post {
                    let e = &mut best[h.clause as usize];
                    if w > e.0 {
                        *e = (w, k, h.lead);
                    }
                }
            }
            let counts = q.synonym_concepts.contains(concept);
            for (c, &(w, k, lead)) in best.iter().enumerate() {
                if k == u32::MAX {
                    continue;
                }
                score[c] += w.min(*weight) * lead_factor(lead);
                if counts {
                    explained[c] += w.min(*weight);
                }
                kw_matched[c].push(k);
            }
        }

        // A letter's sign-off (issuer, date) answers "who" and "when" for the whole letter: a
        // question that reaches a reply's opening reaches its closing too.
        if matches!(q.intent, Some(Intent::Who | Intent::When)) {
            for (h, head) in self.kb.clauses.iter().enumerate() {
                if head.role != Role::Head {
                    continue;
                }
                if let Some(cl) = self.kb.clauses.iter().rposition(|c| c.doc == head.doc && c.role == Role::Closing) {
                    score[cl] = score[cl].max(score[h] * LETTER_SHARE);
                    explained[cl] = explained[cl].max(explained[h]);
                }
            }
        }
        // Time: documents in force come first where they compete with lapsed or undated ones;
        // a document another one replaces yields to it. Lapsed answers are still shown, flagged.
        let doc_factor: Vec<f32> = self
            .kb
            .docs
            .iter()
            .map(|d| {
                let replaced = self.kb.docs.iter().any(|o| o.meta.replaces.iter().any(|r| r == &d.id || r == &d.file));
                let in_force = !today.is_empty() && validity_status(d.meta.valid_from.as_deref(), d.meta.valid_until.as_deref(), today) == "in_force";
                (if replaced { REPLACED_FACTOR } else { 1.0 }) * (if in_force { IN_FORCE_FACTOR } else { 1.0 })
            })
            .collect();
        let mut out = Vec::new();
        for c in 0..n {
            score[c] *= doc_factor[self.kb.clauses[c].doc as usize];
            if score[c] <= 0.0 {
                continue;
            }
            let clause = &self.kb.clauses[c];
            let mut s = score[c];
            if let Some(intent) = q.intent {
                if self.fits(c, intent) {
                    s *= INTENT_BOOST;
                }
            }
            let doc = self.kb.clauses[c].doc as usize;
            let place_ok = q.places.iter().all(|(p, scope)| self.doc_scope[doc].contains(p.as_str()) || (!scope && self.norms[c].contains(p.as_str())));
            let mut cov = (explained[c] / q.total_weight).min(1.0);
            if !place_ok {
                s *= PLACE_PENALTY;
                cov *= PLACE_PENALTY;
            }
            if clause.role == Role::Closing && q.intent != Some(Intent::Who) && q.intent != Some(Intent::When) {
                s *= 0.9;
            }
            let (units, kws) = (std::mem::take(&mut matched[c]), std::mem::take(&mut kw_matched[c]));
            out.push(Ranked { clause: c as u32, score: s, coverage: cov, units, kws });
        }
        sort_by(&mut out, &mut |a, b| b.score.total_cmp(&a.score).then(a.clause.cmp(&b.clause)).is_lt());
        out
    }

    /// The words that matched a clause, as the user typed them (normalised).
    fn words(&self, q: &Query, r: &Ranked) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for &qi in &r.units {
            let w = q.unit_text(qi);
            if !words.contains(&w) {
                words.push(w);
            }
        }
        for &k in &r.kws {
            let t = &self.terms[k as usize];
            if !words.contains(t) {
                words.push(t.clone());
            }
        }
        merge_words(words)
    }

    /// Whether a clause carries the kind of fact the question asks for.
    fn fits(&self, c: usize, intent: Intent) -> bool {
        let clause = &self.kb.clauses[c];
        let has = |k: FactKind| clause.facts.iter().any(|f| f.kind == k);
        match intent {
            Intent::Amount => has(FactKind::Amount) || has(FactKind::Cap) || has(FactKind::Ratio),
            Intent::Who => has(FactKind::Unit) || clause.role == Role::Closing || clause.role == Role::Head,
            Intent::When => has(FactKind::Date) || has(FactKind::Validity) || has(FactKind::Deadline),
            Intent::Target => has(FactKind::Deadline) || has(FactKind::Amount) || has_quantity(&clause.text),
            Intent::Where => clause.text.contains('区') || clause.text.contains("片区") || clause.text.contains("商圈"),
            Intent::Which => clause.role == Role::Head,
        }
    }

    fn item(&self, c: u32, score: f32, coverage: f32, matched: Vec<String>, today: &str) -> Item {
        let clause = &self.kb.clauses[c as usize];
        let doc = &self.kb.docs[clause.doc as usize];
        let mut section = Vec::new();
        let mut s = clause.section;
        while let Some(i) = s {
            let sec = &self.kb.sections[i as usize];
            section.push(format!("{}{}", sec.label, sec.title));
            s = sec.parent;
        }
        section.reverse();
        let mut citation = format!("《{}》", doc.title.trim_start_matches('《').trim_end_matches('》'));
        if let Some(n) = &doc.meta.number {
            citation.push_str(&format!("（{n}）"));
        }
        if !section.is_empty() {
            citation.push(' ');
            citation.push_str(&section.join(" › "));
        } else if clause.role == Role::Head {
            citation.push_str(" 开头部分");
        } else if clause.role == Role::Closing {
            citation.push_str(" 结尾部分");
        }
        if let Some(src) = &doc.meta.source {
            citation.push_str(&format!("（{src}）"));
        }
        let inferred = doc.meta.inferred.iter().any(|f| f == "valid_until" || f == "valid_from");
        let status = validity_status(doc.meta.valid_from.as_deref(), doc.meta.valid_until.as_deref(), today);
        Item {
            id: clause.id.clone(),
            doc: doc.file.clone(),
            title: doc.title.clone(),
            citation,
            section,
            text: clause.text.clone(),
            // f64 with 3 decimals: the same number in JSON from the CLI and in JS from wasm.
            score: (f64::from(score) * 1000.0).round() / 1000.0,
            coverage: (f64::from(coverage) * 1000.0).round() / 1000.0,
            matched,
            facts: clause.facts.iter().map(|f| FactOut { kind: fact_name(f.kind), text: f.text(&clause.text).to_string() }).collect(),
            validity: Validity {
                status,
                from: doc.meta.valid_from.clone(),
                until: doc.meta.valid_until.clone(),
                note: doc.meta.validity_note.clone(),
                inferred,
            },
            also_in: clause.links.iter().map(|&l| self.kb.clauses[l as usize].id.clone()).collect(),
            line: clause.line,
        }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

struct Ranked {
    clause: u32,
    score: f32,
    coverage: f32,
    /// Question units and keywords that matched; turned into words only for what is shown.
    units: Vec<usize>,
    kws: Vec<u32>,
}

/// (keyword, clauses containing it) for each keyword of a concept.
type KeywordPostings = Vec<(u32, Vec<Hit>)>;

/// A question read against the rules.
struct Query {
    chars: Vec<char>,
    units: Vec<QUnit>,
    /// (unit start, unit length in chars) for `matched` output.
    spans: Vec<(usize, usize)>,
    /// (keyword, weight, clauses containing it)
    keywords: Vec<(u32, f32, Vec<Hit>)>,
    concepts: Vec<(u32, f32)>,
    /// Per concept: its keywords with their clauses.
    concept_postings: Vec<(u32, KeywordPostings)>,
    intent: Option<Intent>,
    /// Places named, and whether as the question's scope ("杭州的政策", "深圳市…"): a scope
    /// must be the document's own region or title, a mere mention may be in the clause.
    places: Vec<(String, bool)>,
    /// Concepts reached through a user's synonym rather than the documents' word.
    synonym_concepts: Vec<u32>,
    missing: f32,
    total_weight: f32,
}

#[derive(Clone, Copy, PartialEq)]
enum Mask {
    Content,
    /// Filler or an intent phrase: not content.
    Gone,
    /// A user's synonym the documents never use: replaced by its concept.
    Replaced,
    Generic,
}

impl Query {
    fn read(engine: &Engine, question: &str) -> Query {
        let kb = &engine.kb;
        let norm = normalize(question, &engine.t2s);
        let chars: Vec<char> = norm.chars().collect();
        // The question in the automaton's alphabet, and each byte's character index.
        let (coded, char_at) = engine.alphabet.encode(&norm);
        let mut mask = vec![Mask::Content; chars.len()];
        let mut covered = vec![false; chars.len()];
        let mut q = Query { chars: Vec::new(), units: Vec::new(), spans: Vec::new(), keywords: Vec::new(), concepts: Vec::new(), concept_postings: Vec::new(), intent: None, places: Vec::new(), synonym_concepts: Vec::new(), missing: 0.0, total_weight: 0.0 };
        let mut concept_weight: Vec<(u32, (f32, bool))> = Vec::new();
        // Edges of matched words: a bigram straddling one (师品 in 设计师品牌) is not a word.
        let mut edge = vec![false; chars.len() + 1];

        let matches = engine.rules.try_find_iter(Input::new(&coded)).into_iter().flatten();
        for m in matches {
            let (s, mut e) = (char_at[m.start()], char_at[m.end()]);
            let pattern = &engine.patterns[m.pattern().as_usize()];
            let actions = &engine.actions[m.pattern().as_usize()];
            // A Latin word inside a longer one ("ai" in "said") is not that word, but the same
            // word inflected is ("upgrades", "designers").
            let latin = pattern.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
            if latin && !word_boundary(&chars, s, e) {
                // The inflection is part of the word matched: it is no unknown word of its own.
                match inflected(&chars, s, e) {
                    Some(end) => e = end,
                    None => continue,
                }
            }
            let has_kw = actions.iter().any(|a| matches!(a, Action::Keyword(_)));
            for a in actions {
                match *a {
                    Action::Keyword(k) => {
                        let len = (e - s) as f32;
                        let post = engine.postings(k);
                        let w = engine.idf(post.len()) * (len - 1.0).max(1.0).sqrt();
                        q.keywords.push((k, w, post));
                    }
                    Action::Concept(c) => {
                        if !q.concept_postings.iter().any(|p| p.0 == c) {
                            let posts = kb.concepts[c as usize].iter().map(|&k| (k, engine.postings(k))).collect();
                            q.concept_postings.push((c, posts));
                        }
                        let posts = &q.concept_postings.iter().find(|p| p.0 == c).expect("just inserted").1;
                        let w = posts.iter().map(|(_, p)| engine.idf(p.len())).fold(0.0f32, f32::max) * CONCEPT_WEIGHT;
                        // Reached through the documents' own word, the concept only widens recall;
                        // reached through a user's synonym, it also stands for those words.
                        match concept_weight.iter_mut().find(|x| x.0 == c) {
                            Some(x) => {
                                x.1 .0 = x.1 .0.max(w);
                                x.1 .1 |= !has_kw;
                            }
                            None => concept_weight.push((c, (w, !has_kw))),
                        }
                        if !has_kw {
                            mask[s..e].iter_mut().for_each(|x| *x = Mask::Replaced);
                        }
                    }
                    Action::Intent(x) => {
                        // Money words name what a question is about as often as what it asks
                        // (补贴找哪个部门, 奖励什么时候发): any other kind of question phrase wins.
                        if q.intent.is_none() || q.intent == Some(Intent::Amount) {
                            q.intent = Some(x);
                        }
                        mask[s..e].iter_mut().for_each(|x| *x = Mask::Gone);
                    }
                    Action::Stop => mask[s..e].iter_mut().for_each(|x| *x = Mask::Gone),
                    Action::Generic => mask[s..e].iter_mut().for_each(|x| {
                        if *x == Mask::Content {
                            *x = Mask::Generic
                        }
                    }),
                    Action::Place => q.places.push((pattern.clone(), matches!(chars.get(e), Some('的' | '市')))),
                }
            }
            if actions.iter().any(|a| matches!(a, Action::Keyword(_) | Action::Concept(_) | Action::Generic | Action::Place)) {
                covered[s..e].iter_mut().for_each(|x| *x = true);
                edge[s] = true;
                edge[e] = true;
            }
        }
        let mut concepts = concept_weight;
        sort_by(&mut concepts, &mut |a, b| a.0 < b.0);
        q.concepts = concepts.iter().map(|&(c, (w, _))| (c, w)).collect();
        q.synonym_concepts = concepts.iter().filter(|c| c.1 .1).map(|c| c.0).collect();

        // Content: the question with filler, intents and replaced synonyms cut out.
        let content: String = chars
            .iter()
            .zip(&mask)
            .map(|(&ch, &m)| if matches!(m, Mask::Content | Mask::Generic) { ch } else { ' ' })
            .collect();
        let content_chars: Vec<char> = content.chars().collect();
        for_each_unit(&content, |pos, unit| {
            let len = unit_len(&content_chars, pos);
            // A bigram straddling the edge of a matched word (师品 in 设计师品牌) is no word of
            // its own: it weighs nothing, but it still links the words on either side into a
            // phrase when a clause has them side by side.
            let bridge = len == 2 && edge[pos + 1] && crate::normalize::is_cjk(content_chars[pos]);
            // One Latin letter or digit carries nothing ("s", "5").
            if len < 2 && !crate::normalize::is_cjk(content_chars[pos]) {
                return;
            }
            let df = engine.units.get(unit).map_or(0, <[Posting]>::len);
            if df == 0 {
                return;
            }
            let generic = mask[pos..pos + len].contains(&Mask::Generic);
            let weight = if bridge { 0.0 } else { engine.idf(df) * if generic { GENERIC_WEIGHT } else { 1.0 } };
            if !bridge {
                covered[pos..pos + len].iter_mut().for_each(|x| *x = true);
            }
            q.units.push(QUnit { unit, pos, weight });
            q.spans.push((pos, len));
        });
        // Content the documents never use counts against every clause: a question about
        // 公积金 is not answered by a clause that merely shares 提取.
        // Only runs of two or more unknown characters: a stray single character next to a known
        // word (搭几个, 答复函) is usually grammar, not a topic.
        let unknown = |i: usize| !covered[i] && mask[i] == Mask::Content && crate::normalize::is_cjk(content_chars[i]);
        let mut unknown_cjk = 0;
        let mut i = 0;
        while i < content_chars.len() {
            let s = i;
            while i < content_chars.len() && unknown(i) {
                i += 1;
            }
            if i - s >= 2 {
                unknown_cjk += i - s;
            }
            i = i.max(s + 1);
        }
        let unknown_latin_words = count_unknown_latin(&content_chars, &covered, &mask);
        let missing = (unknown_cjk as f32 / 2.0 + unknown_latin_words as f32) * engine.unknown_weight();
        let mut seen: Vec<Unit> = Vec::new();
        let mut total = 0.0;
        for u in &q.units {
            if !seen.contains(&u.unit) {
                seen.push(u.unit);
                total += u.weight;
            }
        }
        total += q.concepts.iter().filter(|c| q.synonym_concepts.contains(&c.0)).map(|c| c.1).sum::<f32>();
        q.missing = missing;
        q.total_weight = total + missing;
        q.chars = content_chars;
        q
    }

    fn unit_text(&self, qi: usize) -> String {
        let (pos, len) = self.spans[qi];
        self.chars[pos..pos + len].iter().collect()
    }
}

/// Unknown Latin/digit words of two or more characters; a whole unknown word counts once.
fn count_unknown_latin(chars: &[char], covered: &[bool], mask: &[Mask]) -> usize {
    let mut words = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i - s >= 2 && (s..i).all(|k| !covered[k] && mask[k] == Mask::Content) {
                words += 1;
            }
        } else {
            i += 1;
        }
    }
    words
}

/// A counted quantity: a number followed by a counter word (3家, 1100万平方米, 5-10位).
fn has_quantity(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).any(|w| w[0].is_ascii_digit() && "个家位项万亿平件名所座条倍%".contains(w[1]))
}

fn word_boundary(chars: &[char], s: usize, e: usize) -> bool {
    let before = s == 0 || !chars[s - 1].is_ascii_alphanumeric();
    let after = e >= chars.len() || !chars[e].is_ascii_alphanumeric();
    before && after
}

/// Where the English word `chars[s..e]` ends if it continues with an inflection:
/// -s, -es, -ed, -ing, -er, -ers (and -d, -r, -rs after a final e). Only words of three or
/// more letters: "ai" + "d" is another word. The automaton prefers a longer pattern at the
/// same start, so a lexicon entry for the inflected form itself ("funding") still wins.
fn inflected(chars: &[char], s: usize, e: usize) -> Option<usize> {
    let word_start = chars[..e].iter().rposition(|c| !c.is_ascii_alphabetic()).map_or(0, |i| i + 1);
    if e - word_start.max(s) < 3 || (s > 0 && chars[s - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let end = chars[e..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(chars.len(), |i| e + i);
    let suffix: String = chars[e..end].iter().collect();
    let after_e = chars[e - 1] == 'e';
    let ok = match suffix.as_str() {
        "s" | "es" | "ed" | "ing" | "er" | "ers" => true,
        "d" | "r" | "rs" => after_e,
        _ => false,
    };
    ok.then_some(end)
}

fn unit_len(chars: &[char], pos: usize) -> usize {
    if crate::normalize::is_cjk(chars[pos]) {
        2
    } else {
        chars[pos..].iter().take_while(|c| **c != ' ' && !crate::normalize::is_cjk(**c)).count()
    }
}

/// Joins overlapping bigrams back into the phrases the user typed (眼镜 + 镜片 → 眼镜镜片),
/// and drops words contained in longer ones.
fn merge_words(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if let Some(last) = out.last_mut() {
            let lc: Vec<char> = last.chars().collect();
            let wc: Vec<char> = w.chars().collect();
            if lc.len() >= 2 && wc.len() == 2 && lc[lc.len() - 1] == wc[0] && crate::normalize::is_cjk(wc[0]) {
                last.push(wc[1]);
                continue;
            }
        }
        out.push(w);
    }
    let snapshot = out.clone();
    out.retain(|w| !snapshot.iter().any(|o| o != w && o.contains(w.as_str())));
    out.dedup();
    out
}

fn intent_name(i: Intent) -> &'static str {
    match i {
        Intent::Amount => "amount",
        Intent::Who => "who",
        Intent::When => "when",
        Intent::Where => "where",
        Intent::Target => "target",
        Intent::Which => "which",
    }
}

/// Checks every index once, so that answering can index without checks or panics.
#[inline(never)]
fn validate(kb: &Kb) -> Result<(), format::FormatError> {
    let bad = |m: String| format::FormatError::Body(m);
    for c in &kb.clauses {
        if c.doc as usize >= kb.docs.len() || c.section.is_some_and(|s| s as usize >= kb.sections.len()) {
            return Err(bad(format!("clause {} points outside the knowledge base", c.id)));
        }
        if c.links.iter().any(|&l| l as usize >= kb.clauses.len()) || c.facts.iter().any(|f| f.text(&c.text).is_empty()) {
            return Err(bad(format!("clause {} has a broken link or fact", c.id)));
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
            return Err(bad(format!("rule 「{}」 names a missing keyword or concept", r.pattern)));
        }
    }
    Ok(())
}

/// Where `term` first occurs in `text` as a word. A word that starts with a measure word does not
/// where a numeral precedes it: the 家 of 培育1-2家具有国际竞争力的会展集团 counts companies,
/// and that clause says nothing of 家具 (furniture).
fn find_word(text: &str, term: &str) -> Option<usize> {
    // Plain `match`es rather than char-set patterns: each pattern type is code of its own in
    // every visitor's download.
    let measure = |c: char| matches!(c, '家' | '个' | '项' | '名' | '位' | '件' | '款' | '批' | '所' | '座' | '种');
    let numeral = |c: char| c.is_ascii_digit() || matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千' | '万' | '两' | '几');
    if !term.chars().next().is_some_and(measure) {
        return text.find(term);
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        if !text[..from + i].chars().next_back().is_some_and(numeral) {
            return Some(from + i);
        }
        from += i + term.len();
    }
    None
}

/// A numbered clause's heading: its first sentence when the clause opens with a number
/// (（三）, (3), 14.) and that sentence is short; empty for any other clause.
fn lead(text: &str) -> &str {
    let numbered = text.chars().next().is_some_and(|c| c == '（' || c == '(' || c.is_ascii_digit());
    match text.find("。") {
        Some(end) if numbered && text[..end].chars().count() <= 40 => &text[..end],
        _ => "",
    }
}

/// Every clause's normalised text.
#[inline(never)]
fn fold_all(kb: &Kb, t2s: &T2s) -> Vec<String> {
    kb.clauses.iter().map(|c| normalize(&c.text, t2s)).collect()
}

/// A contiguous NFA: built several times faster than a DFA and small; questions are short, so
/// search speed hardly matters, and a prefilter would only cost start-up time.
#[inline(never)]
fn automaton(patterns: &[String], alphabet: &Alphabet) -> Result<NFA, format::FormatError> {
    NfaBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .prefilter(false)
        // Dense rows only for the start state: a tenth of the memory of the default (3),
        // which start-up in the browser pays for in page faults, at the same build speed.
        .dense_depth(1)
        .build(patterns.iter().map(|p| alphabet.encode(p).0))
        .map_err(|_| format::FormatError::Body("too many rules for one automaton".into()))
}

/// The bigram index over every clause's text, its section titles (weighted `TITLE_TF`) and its
/// document's title (`DOC_TF`), and each clause's length in units.
#[inline(never)]
fn index_units(kb: &Kb, norms: &[String], lead_len: &[usize], t2s: &T2s) -> (UnitIndex, Vec<f32>) {
    let mut index = UnitIndex::builder();
    let mut clause_len = Vec::with_capacity(kb.clauses.len());
    // Titles are shared by many clauses: fold, split and look up each once, not once per clause.
    let mut slots_of = |text: &str| {
        let mut v = Vec::new();
        for_each_unit(&normalize(text, t2s), |_, u| v.push(index.slot(u)));
        v
    };
    let section_slots: Vec<Vec<u32>> = kb.sections.iter().map(|s| slots_of(&s.title)).collect();
    let doc_slots: Vec<Vec<u32>> = kb.docs.iter().map(|d| slots_of(&d.title)).collect();
    for (i, c) in kb.clauses.iter().enumerate() {
        let ci = i as u32;
        let mut len = 0.0;
        for_each_unit(&norms[i], |_, u| {
            let slot = index.slot(u);
            index.add(slot, ci, 1.0);
            len += 1.0;
        });
        let mut sec = c.section;
        while let Some(s) = sec {
            section_slots[s as usize].iter().for_each(|&slot| index.add(slot, ci, TITLE_TF));
            sec = kb.sections[s as usize].parent;
        }
        doc_slots[c.doc as usize].iter().for_each(|&slot| index.add(slot, ci, DOC_TF));
        for_each_unit(norms[i].get(..lead_len[i]).unwrap_or(""), |_, u| {
            let slot = index.slot(u);
            index.add(slot, ci, LEAD_TF);
        });
        clause_len.push(len);
    }
    (index.finish(), clause_len)
}

/// The automaton's patterns with their actions: keywords' implied rules merged with the
/// lexicon's. Both lists are sorted by text (the compiler writes them so), so one merge pass
/// unites them, and a pass per length puts them longest first, which makes leftmost-first
/// matching leftmost-longest (and leftmost-first automata build in about half the time).
/// No comparison sort: this runs at start-up in the browser's baseline compiler. A list out
/// of order (a corrupt knowledge base) only yields duplicate patterns, never a panic.
#[inline(never)]
fn pattern_table(terms: &[String], rules: &[format::Rule]) -> (Vec<String>, Vec<Vec<Action>>) {
    let mut merged: Vec<(&str, Vec<Action>)> = Vec::with_capacity(terms.len() + rules.len());
    let (mut k, mut r) = (0, 0);
    while k < terms.len() || r < rules.len() {
        let term = terms.get(k).map(String::as_str);
        let rule = rules.get(r);
        match (term, rule) {
            (Some(t), Some(rule)) if t == rule.pattern => {
                let mut a = vec![Action::Keyword(k as u32)];
                a.extend_from_slice(&rule.actions);
                merged.push((t, a));
                k += 1;
                r += 1;
            }
            (Some(t), None) => {
                merged.push((t, vec![Action::Keyword(k as u32)]));
                k += 1;
            }
            (Some(t), Some(rule)) if t < rule.pattern.as_str() => {
                merged.push((t, vec![Action::Keyword(k as u32)]));
                k += 1;
            }
            (_, Some(rule)) => {
                merged.push((&rule.pattern, rule.actions.clone()));
                r += 1;
            }
            (None, None) => break,
        }
    }
    let longest = merged.iter().map(|m| m.0.len()).max().unwrap_or(0);
    let mut patterns = Vec::with_capacity(merged.len());
    let mut actions = Vec::with_capacity(merged.len());
    for len in (1..=longest).rev() {
        for (p, a) in merged.iter_mut().filter(|m| m.0.len() == len) {
            patterns.push(p.to_string());
            actions.push(std::mem::take(a));
        }
    }
    (patterns, actions)
}

/// Heapsort. The standard library's sorts are fast but cost the browser several kilobytes per
/// element type; these sorts are small (at most ~1,500 patterns at start-up) and all by a total
/// order, so a compact unstable sort does.
fn sort_by<T>(v: &mut [T], less: &mut dyn FnMut(&T, &T) -> bool) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

fn sift_down<T>(v: &mut [T], mut root: usize, end: usize, less: &mut dyn FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

fn fact_name(k: FactKind) -> &'static str {
    match k {
        FactKind::Amount => "amount",
        FactKind::Cap => "cap",
        FactKind::Ratio => "ratio",
        FactKind::Unit => "unit",
        FactKind::Deadline => "deadline",
        FactKind::Date => "date",
        FactKind::Validity => "validity",
    }
}

/// Compares partial ISO dates by padding: `2025-03` lasts until the end of March 2025.
pub(crate) fn validity_status(from: Option<&str>, until: Option<&str>, today: &str) -> &'static str {
    let pad_end = |d: &str| match d.len() {
        4 => format!("{d}-99-99"),
        7 => format!("{d}-99"),
        _ => d.to_string(),
    };
    match (from, until) {
        (_, Some(u)) if today > pad_end(u).as_str() => "lapsed",
        (Some(f), _) if today < f => "not_yet",
        (_, Some(_)) => "in_force",
        _ => "unknown",
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    /// (name, occurrences as (unit, clause, tf), unit looked up, expected (clause, tf) postings)
    type Case = (&'static str, Vec<(Unit, u32, f32)>, Unit, Option<Vec<(u32, f32)>>);

    #[test]
    fn words_in_clause_text() {
        // (name, text, word, occurs)
        let cases = [
            ("plain", "推动家具产业升级", "家具", true),
            ("a measure word after a numeral", "培育1-2家具有国际竞争力的会展集团", "家具", false),
            ("after a Chinese numeral", "培育三家具有竞争力的企业", "家具", false),
            ("one of two occurrences is the word", "培育3家具有实力的企业和家具品牌", "家具", true),
            ("not after a numeral", "引导家具企业", "家具", true),
            ("a company name", "某某家具有限公司", "家具", true),
            ("other words are plain substrings", "18项具体工作", "具体", true),
            ("absent", "会展集团", "家具", false),
        ];
        for (name, text, word, want) in cases {
            assert_eq!(find_word(text, word).is_some(), want, "{name}");
        }
    }

    #[test]
    fn keyword_hits_know_the_heading() {
        let engine = Engine::new();
        let hit = |term: &str, clause: &str| {
            let k = engine.terms.iter().position(|t| t == term).unwrap_or_else(|| panic!("keyword {term}"));
            let c = engine.clause_index(clause).unwrap_or_else(|| panic!("clause {clause}"));
            engine.postings(k as u32).iter().find(|h| h.clause as usize == c).map(|h| h.lead)
        };
        // (name, keyword, clause id, None when the clause lacks it, else whether in its heading)
        let cases = [
            ("in the heading", "黄金珠宝", "003-2.3", Some(true)),
            ("in the body of a numbered clause", "黄金珠宝", "003-3.1", Some(false)),
            ("a clause without a heading", "增加值", "003-2", Some(false)),
            ("a measure word after a numeral", "家具", "003-2.7", None),
        ];
        for (name, term, clause, want) in cases {
            assert_eq!(hit(term, clause), want, "{name}");
        }
    }

    #[test]
    fn clause_headings() {
        // (name, clause text, heading)
        let cases = [
            ("numbered with brackets", "（三）黄金珠宝产业特色化健康化发展。推动创意设计。", "（三）黄金珠宝产业特色化健康化发展"),
            ("half-width brackets", "(三)品牌国际化。促进企业夯实质量基础。", "(三)品牌国际化"),
            ("numbered item", "14.推动企业实施国际化战略。鼓励企业。", "14.推动企业实施国际化战略"),
            ("not numbered", "到2025年，我市现代时尚产业增加值达到420亿元。", ""),
            ("no full stop", "（一）发展现状", ""),
            ("first sentence too long to be a heading", "1.一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一。后文。", ""),
        ];
        for (name, text, want) in cases {
            assert_eq!(lead(text), want, "{name}");
        }
    }

    #[test]
    fn question_intents() {
        let engine = Engine::new();
        // (name, question, intent expected)
        let cases = [
            ("money alone asks for an amount", "工业设计中心能拿多少钱", Some("amount")),
            ("a department asked about money", "补贴找哪个部门", Some("who")),
            ("a date asked about a reward", "奖励什么时候到期", Some("when")),
            ("a place asked about a subsidy", "补助在哪个区申请", Some("where")),
            ("the money word after the question phrase", "哪个部门发奖励", Some("who")),
            ("two other phrases: the first one", "哪个部门什么时候发文", Some("who")),
            ("no question phrase", "珠宝首饰", None),
        ];
        for (name, question, want) in cases {
            assert_eq!(Query::read(&engine, question).intent.map(intent_name), want, "{name}");
        }
    }

    #[test]
    fn startup_in_stages_gives_the_same_engine() {
        // Built the other way, through `from_bytes` (`Engine::new` is `Startup` itself).
        let Ok(whole) = Engine::from_bytes(crate::KB_BYTES) else { panic!("the embedded knowledge base loads") };
        let questions = ["海外开品牌专卖店有什么奖励", "工业设计中心能拿多少钱", "公积金怎么提取", "Is there funding for technology upgrades?"];
        let answers = |e: &Engine| questions.map(|q| serde_json::to_string(&e.ask(q, "2026-11-22")).unwrap());
        // (name, stages run one at a time before the rest are finished at once)
        let cases = [("all at once", 0), ("after folding", 1), ("after the automaton", 2), ("stepped to the end", 3), ("stepped past the end", 5)];
        for (name, steps) in cases {
            let mut s = Startup::Start;
            let done: Vec<bool> = (0..steps).map(|_| s.step()).collect();
            assert_eq!(done, (1..=steps).map(|i| i >= 3).collect::<Vec<_>>(), "{name}: done after the third stage");
            assert_eq!(answers(&s.finish()), answers(&whole), "{name}");
        }
    }

    #[test]
    fn english_inflections() {
        // (name, text, matched word as char range, accepted)
        let cases: &[(&str, &str, (usize, usize), bool)] = &[
            ("plural", "upgrades", (0, 7), true),
            ("-es plural", "taxes", (0, 3), true),
            ("-ing", "opening now", (0, 4), true),
            ("-ed", "funded", (0, 4), true),
            ("-d after e", "provided", (0, 7), true),
            ("-rs after e", "manufacturers", (0, 11), true),
            ("-d without e is another word", "bandd", (0, 4), false),
            ("two-letter word", "aid", (0, 2), false),
            ("other ending", "capital", (0, 3), false),
            ("inside a longer word", "xupgrades", (1, 8), false),
            ("multi-word pattern, last word inflected", "first stores", (0, 11), true),
        ];
        for &(name, text, (s, e), want) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(word_boundary(&chars, s, e) || inflected(&chars, s, e).is_some(), want, "{name}");
        }
        // The match then covers the whole word, so its ending is not read as an unknown word.
        assert_eq!(inflected(&"attending now".chars().collect::<Vec<_>>(), 0, 6), Some(9));
    }

    #[test]
    fn unit_index() {
        // Enough distinct units to make the table grow several times, with colliding low bits.
        let many: Vec<(Unit, u32, f32)> = (0..5000u64).map(|u| (u << 40, (u / 100) as u32, 1.0)).collect();
        let cases: Vec<Case> = vec![
            ("absent unit", vec![(1, 0, 1.0)], 2, None),
            ("one occurrence", vec![(7, 3, 1.0)], 7, Some(vec![(3, 1.0)])),
            ("repeats in a clause are summed", vec![(7, 0, 1.0), (8, 0, 1.0), (7, 0, 0.5), (7, 2, 0.3)], 7, Some(vec![(0, 1.5), (2, 0.3)])),
            ("interleaved units keep their own postings", vec![(1, 0, 1.0), (2, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)], 2, Some(vec![(0, 1.0), (2, 1.0)])),
            ("after the table grew", many.clone(), 4321 << 40, Some(vec![(43, 1.0)])),
            ("first unit after growth", many, 0, Some(vec![(0, 1.0)])),
        ];
        for (name, occ, unit, want) in cases {
            let mut b = UnitIndex::builder();
            occ.iter().for_each(|&(u, c, tf)| {
                let slot = b.slot(u);
                b.add(slot, c, tf)
            });
            let idx = b.finish();
            let got = idx.get(unit).map(|p| p.iter().map(|p| (p.clause, p.tf)).collect::<Vec<_>>());
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn heapsort() {
        let cases: [(&str, Vec<i32>); 6] = [
            ("empty", vec![]),
            ("one", vec![1]),
            ("sorted", (0..50).collect()),
            ("reversed", (0..50).rev().collect()),
            ("duplicates", vec![3, 1, 3, 2, 1, 3, 0, 0]),
            ("scrambled", (0..1000).map(|i| (i * 7919) % 1009).collect()),
        ];
        for (name, mut v) in cases {
            let mut want = v.clone();
            want.sort();
            sort_by(&mut v, &mut |a, b| a < b);
            assert_eq!(v, want, "{name}");
        }
    }

    /// (name, patterns, text, expected (start char, end char) of each automaton match)
    #[test]
    fn alphabet_matches_on_character_boundaries() {
        let cases: [(&str, &[&str], &str, &[(usize, usize)]); 4] = [
            ("chinese", &["专卖店", "奖励"], "海外开专卖店有奖励吗", &[(3, 6), (7, 9)]),
            ("characters outside every pattern", &["补贴"], "做珠宝的有什么补贴", &[(7, 9)]),
            ("latin and digits stay bytes", &["ai", "2025"], "ai 设计 2025年", &[(0, 2), (6, 10)]),
            ("longest first wins at one start", &["工业设计中心", "工业设计", "设计中心"], "工业设计中心能拿多少钱", &[(0, 6)]),
        ];
        for (name, pats, text, want) in cases {
            let mut patterns: Vec<String> = pats.iter().map(|p| p.to_string()).collect();
            patterns.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alphabet = Alphabet::new(&patterns).unwrap();
            let nfa = NfaBuilder::new().match_kind(MatchKind::LeftmostFirst).build(patterns.iter().map(|p| alphabet.encode(p).0)).unwrap();
            let (coded, char_at) = alphabet.encode(text);
            let got: Vec<(usize, usize)> = nfa.try_find_iter(Input::new(&coded)).unwrap().map(|m| (char_at[m.start()], char_at[m.end()])).collect();
            assert_eq!(got, want, "{name}");
        }
        // Past 3,072 pattern characters codes take three bytes; matches still land on characters.
        let patterns: Vec<String> = (0..2000u32).map(|i| [0x4E00 + 2 * i, 0x4E01 + 2 * i].iter().filter_map(|&c| char::from_u32(c)).collect()).collect();
        let alphabet = Alphabet::new(&patterns).unwrap();
        let nfa = NfaBuilder::new().match_kind(MatchKind::LeftmostFirst).build(patterns.iter().map(|p| alphabet.encode(p).0)).unwrap();
        let text = format!("问{}{}", patterns[1999], patterns[3]);
        let (coded, char_at) = alphabet.encode(&text);
        let got: Vec<(usize, usize)> = nfa.try_find_iter(Input::new(&coded)).unwrap().map(|m| (char_at[m.start()], char_at[m.end()])).collect();
        assert_eq!(got, [(1, 3), (3, 5)]);
        // More distinct characters than codes: refused, never colliding codes.
        let many: Vec<String> = (0x3400..0x4DC0).chain(0x4E00..0xA000).chain(0x2_0000..0x2_A6E0).filter_map(char::from_u32).map(String::from).collect();
        assert!(many.len() > MAX_CODES);
        assert!(Alphabet::new(&many).is_err());
        assert!(Alphabet::new(&many[..MAX_CODES]).is_ok());
    }
}
