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
//!
//! The rooms, in the order data flows through them:
//! - `startup`: knowledge-base bytes → the engine, in the stages the browser runs one task each;
//! - `automaton`: the rules' pattern table, its byte alphabet and the automaton over them;
//! - `index`: the bigram index over the clauses, and a question's look-ups in it (the clauses
//!   holding its words, their weights);
//! - `spell`: a question's English words and same-sound typos → the documents' words;
//! - `read`: a question → its content units, keywords, concepts, intent and places (text only);
//! - `rank`: every clause scored (text → keyword and concept evidence → document factors →
//!   final adjustments);
//! - `confidence`: whether the best clause answers (a logistic model over its evidence);
//! - `assemble`: ranked clauses → the answer: which answer, which are related, the words that
//!   matched;
//! - `library`: the knowledge base as a reader sees it (documents, a clause as an item with its
//!   citation, facts and validity, its context, highlights), there after start-up's first stage;
//! - `output`: the answer types, the JSON contract.
//!
//! This file is the facade: the [`Engine`] and its API.

mod assemble;
mod automaton;
mod confidence;
mod index;
mod library;
mod output;
mod rank;
mod read;
mod spell;
mod startup;

pub use library::Library;
pub use output::{Answer, DocInfo, FactOut, Item, Validity, ValidityStatus};
pub(crate) use startup::Startup;

use crate::format::FormatError;

use automaton::Rules;
use index::{Index, Query};
use rank::DocFacts;
use read::Reading;

/// Questions are clipped to this many characters: nobody asks in more, and it bounds the work
/// per question whatever is pasted into the box.
const MAX_QUESTION_CHARS: usize = 200;

/// What a greeting or a question to the assistant itself gets.
const CHAT_NOTICE: &str = "您好！我是政策问答助手，只回答政策文件里写明的内容。请直接输入您想了解的政策问题，例如“做珠宝的有什么补贴”。";

/// Why a knowledge base could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(FormatError);

impl Error {
    /// What went wrong, in words, without `core::fmt` (for the browser: see `text`).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn message(&self) -> String {
        self.0.message()
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

/// The answer engine over one knowledge base.
pub struct Engine {
    /// The knowledge base as a reader sees it: documents, clauses, citations.
    lib: Library,
    rules: Rules,
    index: Index,
    docs: DocFacts,
    spell: spell::Speller,
    /// English keys → the documents' words (`add_english`): a file of its own, which the
    /// browser fetches only when a question has Latin letters.
    english: std::cell::OnceCell<crate::format::EnglishFile>,
}

impl Engine {
    /// An engine over knowledge-base bytes; refuses other formats and versions.
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine, Error> {
        Startup::new(bytes).finish()
    }

    /// The knowledge base without the question reader: documents, clauses by id, context.
    pub fn library(&self) -> &Library {
        &self.lib
    }

    /// Reads English questions with this English table (the compiler's `english.bin`, from the
    /// same build). Until it is added, English words are matched only by the lexicon's rules.
    /// Adding it again changes nothing.
    pub fn add_english(&self, bytes: &[u8]) -> Result<(), Error> {
        if self.english.get().is_none() {
            let english = crate::format::decode_english(bytes).map_err(Error)?;
            let _ = self.english.set(english);
        }
        Ok(())
    }

    /// Whether `question` has Latin letters and the English table is not there yet: what the
    /// widget asks before fetching it.
    pub fn wants_english(&self, question: &str) -> bool {
        self.english.get().is_none() && automaton::has_letter(question)
    }

    /// Answers `question` as of `today` (ISO date, used for validity only).
    pub fn ask(&self, question: &str, today: &str) -> Answer {
        let clipped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let notice = if clipped.trim().is_empty() {
            Some("请输入要查询的问题。".to_string())
        } else {
            (clipped.len() < question.len()).then(|| crate::text::cat!("问题过长，只读取了前", MAX_QUESTION_CHARS, "个字。"))
        };
        let query = self.read(&clipped);
        let ranked = self.rank(&query, today);
        let (answers, related) = self.assemble(&query, ranked, today);
        let notice = if query.chat { Some(CHAT_NOTICE.to_string()) } else { notice };
        Answer { question: clipped, answers, related, intent: query.intent, notice }
    }

    /// The question repaired (English, typos by sound), read against the rules, with what the
    /// index says of its words.
    fn read(&self, question: &str) -> Query {
        let norm = crate::normalize::normalize(question, &self.lib.t2s);
        let latin_share = crate::normalize::latin_share(&norm);
        let text = self.spelled(norm);
        let common = |w: &str| spell::is_common(&self.lib.kb, w);
        let mut query = self.index.look_up(Reading::new(&self.rules, self.latin_rules(), &self.lib.t2s, &text), &self.lib.kb.concepts, &common);
        query.latin = latin_share;
        query.phrases = crate::normalize::quoted(question, &self.lib.t2s);
        query
    }

    /// The English file's rules (the lexicon's with a Latin letter), none until it is added.
    fn latin_rules(&self) -> &[crate::format::Rule] {
        self.english.get().map_or(&[][..], |e| e.rules.as_slice())
    }

    /// The normalised question with English turned into the documents' words and same-sound
    /// typos repaired where two characters side by side occur nowhere in the documents.
    fn spelled(&self, norm: String) -> String {
        let english = self.english.get().map_or(&[][..], |e| e.table.as_slice());
        let norm = spell::translate(english, &norm).unwrap_or(norm);
        self.spell.repair(&self.lib.kb, &norm, |a, b| self.index.has_pair(a, b)).unwrap_or(norm)
    }

    /// The leading candidates not ruled out and the evidence the answer decision weighs about
    /// each, before deciding (`policy-qa ask --features`, read by `tests/data/confidence.py` to fit the weights).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn features(&self, question: &str, today: &str) -> Vec<(Item, Vec<(&'static str, f32)>)> {
        let clipped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let query = self.read(&clipped);
        let ranked = self.rank(&query, today);
        let evidence = self.evidence(&query, &ranked);
        let mut out = Vec::with_capacity(evidence.len());
        for (r, values) in ranked.iter().zip(evidence) {
            // What cannot answer whatever the evidence is no case for the model to learn from.
            if confidence::ruled_out(&query, r) {
                continue;
            }
            let item = self.lib.item(r.clause, r.score, r.coverage, Vec::new(), today);
            out.push((item, confidence::FEATURES.iter().copied().zip(values).collect()));
        }
        out
    }

    /// How a question was read, for maintainers tuning the lexicon (`policy-qa ask --explain`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn explain(&self, question: &str) -> String {
        let clipped: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let query = self.read(&clipped);
        let content: String = query.chars.iter().collect();
        let mut s = format!("read as: {:?}\ncontent: {content:?}\nintent: {:?}  places: {:?}\n", self.spelled(crate::normalize::normalize(&clipped, &self.lib.t2s)), query.intent, query.places);
        s.push_str(&format!("outside: {}  foreign trade: {}  latin: {:.2}\n", query.outside, query.foreign_trade, query.latin));
        for (i, u) in query.units.iter().enumerate() {
            s.push_str(&format!("  unit {} w={:.2}\n", query.unit_text(i), u.weight));
        }
        for k in &query.keywords {
            s.push_str(&format!("  keyword {} w={:.2}\n", self.index.term(k.keyword), k.weight));
        }
        for c in &query.concepts {
            let terms: Vec<&str> = self.lib.kb.concepts[c.concept as usize].iter().map(|&k| self.index.term(k)).collect();
            s.push_str(&format!("  concept {} w={:.2}\n", terms.join("/"), c.weight));
        }
        s.push_str(&format!("  missing={:.2} total={:.2} unexplained={:?}\n", query.missing, query.total_weight, query.unknown_runs));
        for r in self.rank(&query, "").iter().take(10) {
            let clause = &self.lib.kb.clauses[r.clause as usize];
            let head: String = clause.text.chars().filter(|ch| *ch != '\n').take(40).collect();
            s.push_str(&format!("  {:<12} score={:.2} cov={:.2} {head}\n", clause.id, r.score, r.coverage));
        }
        s
    }
}
