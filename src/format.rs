//! The knowledge-base format: the one definition shared by `build.rs` (writer) and the runtime
//! (reader). `build.rs` includes this file with `#[path]`, so the two can never drift apart.
//!
//! Layout: `MAGIC` (8 bytes), `VERSION` (u16 little endian), then the postcard encoding of [`Kb`].
//! Everything inside is sorted or in document order, so equal seeds give byte-identical bytes.

use serde::{Deserialize, Serialize};

pub(crate) const MAGIC: &[u8; 8] = b"POLICYQA";
/// Bump on every change to the types below: an old reader must refuse new bytes, not misread them.
pub(crate) const VERSION: u16 = 1;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct Kb {
    pub docs: Vec<Doc>,
    pub sections: Vec<Section>,
    pub clauses: Vec<Clause>,
    /// Sorted by pattern; each pattern once.
    pub rules: Vec<Rule>,
    pub keywords: Vec<Keyword>,
    /// Concept index → keywords (document wording) it stands for.
    pub concepts: Vec<Vec<u32>>,
    /// Traditional → Simplified, only for characters that can matter (see `compile::t2s`). Sorted.
    pub t2s: Vec<(char, char)>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct Doc {
    /// Short id used in clause ids: the file-name prefix before `_` (e.g. `004`).
    pub id: String,
    /// Seed file name without extension.
    pub file: String,
    pub title: String,
    pub kind: String,
    pub issuer: Option<String>,
    pub lead: Option<String>,
    /// 文号, e.g. 深府办〔2020〕4号.
    pub number: Option<String>,
    /// ISO date, possibly partial (`2020`, `2020-03`, `2020-03-24`).
    pub published: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub validity_note: Option<String>,
    pub source: Option<String>,
    pub region: Option<String>,
    /// Ids of documents this one replaces / extends.
    pub replaces: Vec<String>,
    pub extends: Vec<String>,
    /// Metadata fields that were inferred rather than read from the document.
    pub inferred: Vec<String>,
    /// False when the document had no manifest entry.
    pub in_manifest: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Section {
    pub doc: u32,
    pub parent: Option<u32>,
    /// The numbering as written: `三、`, `(一)`, `1.`, `第一条`.
    pub label: String,
    pub title: String,
    /// Dotted ordinal path used in clause ids, e.g. `3.1.1`.
    pub path: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Title, addressee and opening paragraph of a document.
    Head,
    Body,
    /// Last paragraph with the sign-off lines (issuer, date, contact) attached.
    Closing,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    pub id: String,
    pub doc: u32,
    pub section: Option<u32>,
    /// 1-based line of the first source line.
    pub line: u32,
    pub role: Role,
    /// The source lines, trimmed, joined with `\n`: exactly the document's words.
    pub text: String,
    pub facts: Vec<Fact>,
    /// Clauses elsewhere that repeat a long passage of this one.
    pub links: Vec<u32>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FactKind {
    /// A money amount granted or counted (100万元).
    Amount,
    /// An upper bound on money (最高不超过800万元).
    Cap,
    /// A share of the investment (不超过项目实际投入50%) or another percentage.
    Ratio,
    /// A responsible or leading unit.
    Unit,
    /// A target year (到2025年).
    Deadline,
    /// A calendar date.
    Date,
    /// A validity statement (有效期5年).
    Validity,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Fact {
    pub kind: FactKind,
    /// The words as in the document.
    pub text: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Intent {
    Amount,
    Who,
    When,
    Where,
    Target,
    Which,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    /// A keyword with postings.
    Keyword(u32),
    /// A user's word for a concept: expands to the concept's keywords.
    Concept(u32),
    Intent(Intent),
    /// Question filler (请问, 有没有): carries no content.
    Stop,
    /// Content words so common in policy text that they should barely count (企业, 政策).
    Generic,
    /// A place name: a question about a place the clause does not name is about something else.
    Place,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    /// Normalised pattern matched against the normalised question.
    pub pattern: String,
    pub actions: Vec<Action>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    Derived,
    Lexicon,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Keyword {
    pub term: String,
    pub origin: Origin,
    /// Clauses whose normalised text contains `term`, ascending.
    pub clauses: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormatError {
    BadMagic,
    Version(u16),
    Body(String),
}

impl core::fmt::Display for FormatError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FormatError::BadMagic => write!(f, "not a policy-qa knowledge base (bad magic)"),
            FormatError::Version(v) => write!(
                f,
                "knowledge base format version {v} does not match this engine's version {VERSION}; rebuild it"
            ),
            FormatError::Body(e) => write!(f, "corrupt knowledge base: {e}"),
        }
    }
}

pub(crate) fn encode(kb: &Kb) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&VERSION.to_le_bytes());
    let body = postcard::to_allocvec(kb).expect("postcard encoding into a Vec cannot fail");
    out.extend_from_slice(&body);
    out
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Kb, FormatError> {
    if bytes.len() < MAGIC.len() + 2 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(FormatError::BadMagic);
    }
    let v = u16::from_le_bytes([bytes[8], bytes[9]]);
    if v != VERSION {
        return Err(FormatError::Version(v));
    }
    postcard::from_bytes(&bytes[10..]).map_err(|e| FormatError::Body(e.to_string()))
}
