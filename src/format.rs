//! The knowledge-base format: the one definition shared by `build.rs` (writer) and the runtime
//! (reader). `build.rs` includes this file with `#[path]`, so the two can never drift apart.
//!
//! Layout: `MAGIC` (8 bytes), `VERSION` (u16 little endian), then the postcard encoding of [`Kb`].
//! What only questions with Latin letters need ([`EnglishFile`]: the English table and the
//! lexicon's rules with a Latin letter) is a file of its own, laid out the same way after
//! `ENGLISH_MAGIC`: the browser fetches it when a question has Latin letters, and nobody else
//! downloads it.
//! Everything inside is sorted or in document order, so equal seeds give byte-identical bytes.
//! The Chinese text (clause texts, titles, rule patterns) is UTF-16 (see [`utf16`]); ids, file
//! names, dates and the other metadata are UTF-8.

use serde::{Deserialize, Serialize};

use crate::text::cat;

pub(crate) const MAGIC: &[u8; 8] = b"POLICYQA";
pub(crate) const ENGLISH_MAGIC: &[u8; 8] = b"POLICYEN";
/// Bump on every change to the types below: an old reader must refuse new bytes, not misread them.
pub(crate) const VERSION: u16 = 19;

/// Declares an enum whose variants each have one name, written once: serde renames them to it
/// (the JSON of an answer), `from_name` reads it (`seeds/lexicon.rules`), `TS` is the TypeScript
/// union of the names (`wasm.rs`). Postcard writes variants by index, so the names never reach
/// the knowledge base's bytes.
macro_rules! named_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// The TypeScript type of the names, `export type Name = "a" | "b";`.
            pub const TS: &'static str = concat!("export type ", stringify!($name), " = ", named_enum!(@union $($text),+), ";");

            /// The name, as in JSON.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Serialises the name, for `#[serde(serialize_with)]`: a string where `derive`
            /// writes a call per variant into the browser's download.
            #[allow(dead_code)] // not every named enum is serialised by itself
            pub(crate) fn serialize_name<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }

            /// The variant with this name.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// By name, as a reader of the JSON spells it.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.name() == *other
            }
        }
    };
    (@union $first:literal $(, $rest:literal)*) => {
        concat!("\"", $first, "\"" $(, " | \"", $rest, "\"")*)
    };
}
// `build.rs` includes this file too, and declares no named enum of its own.
#[allow(unused_imports)]
pub(crate) use named_enum;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct Kb {
    pub docs: Vec<Doc>,
    pub sections: Vec<Section>,
    pub clauses: Vec<Clause>,
    /// Lexicon rules without a Latin letter, sorted by pattern (the others are in the
    /// [`EnglishFile`]). Every keyword is a rule too, implied rather than stored twice: its
    /// pattern is its term, its action `Keyword(index)`.
    pub rules: Vec<Rule>,
    /// Sorted by term.
    pub keywords: Vec<Keyword>,
    /// Concept index → keywords (document wording) it stands for.
    pub concepts: Vec<Vec<u32>>,
    /// Traditional → Simplified, only for characters that can matter (see `compile`), as two
    /// strings of equal length in characters, sorted by the first.
    #[serde(with = "utf16")]
    pub t2s_from: String,
    #[serde(with = "utf16")]
    pub t2s_to: String,
    /// The sound of the documents' words, to repair same-sound typos.
    pub sounds: Sounds,
    /// Frequent Chinese words that name no topic, sorted.
    pub common_words: Vec<Utf16>,
}

impl Kb {
    /// The folding table in the form `normalize` takes.
    pub(crate) fn t2s(&self) -> Result<crate::normalize::T2s, FormatError> {
        let pairs: Vec<(char, char)> = self.t2s_from.chars().zip(self.t2s_to.chars()).collect();
        if pairs.len() != self.t2s_from.chars().count() || pairs.len() != self.t2s_to.chars().count() {
            return Err(FormatError::Body("traditional/simplified table is uneven".into()));
        }
        Ok(crate::normalize::T2s::new(pairs))
    }

    /// Each keyword's text, given every clause's normalised text.
    pub(crate) fn terms(&self, norms: &[String]) -> Result<Vec<String>, FormatError> {
        self.keywords
            .iter()
            .map(|k| match &k.term {
                Term::Text(t) => Ok(t.clone()),
                Term::Span { clause, start, len } => norms
                    .get(*clause as usize)
                    .and_then(|n| n.get(*start as usize..(*start as usize).checked_add(*len as usize)?))
                    .map(str::to_string)
                    .ok_or_else(|| FormatError::Body(cat!("keyword span ", clause, ":", start, "+", len, " is out of range"))),
            })
            .collect()
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct Doc {
    /// Short id used in clause ids: the file-name prefix before `_` (e.g. `004`).
    pub id: String,
    /// Seed file name without extension.
    pub file: String,
    /// The manifest's title, else the document's own (its first lines).
    #[serde(with = "utf16")]
    pub title: String,
    /// One of the manifest's kinds, or `unknown`.
    pub kind: String,
    pub meta: DocMeta,
    /// Normalised place names the document covers, space separated: its region and title, and
    /// the places inside a region it covers as a whole (a Shenzhen plan covers 福田).
    #[serde(with = "utf16")]
    pub scope: String,
    /// The document is for enterprises of any trade (its title names 中小企业, 工业企业…): a
    /// trade it never speaks of is still in its scope.
    pub any_trade: bool,
}

/// What is known of a document beyond its text. A `[[doc]]` entry of `seeds/manifest.toml` is
/// read straight into this (the compiler's `manifest::Entry` adds the keys that do not ship), and
/// the compiler completes it from the text where the manifest is silent (`published`, `inferred`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct DocMeta {
    pub issuer: Option<String>,
    /// 文号, e.g. 深府办〔2020〕4号.
    pub number: Option<String>,
    /// ISO date, possibly partial (`2020`, `2020-03`, `2020-03-24`).
    pub published: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// The document's own words on its validity.
    #[serde(rename = "validity")]
    pub validity_note: Option<String>,
    /// Where a repost was taken from.
    pub source: Option<String>,
    pub region: Option<String>,
    /// Ids (or file stems) of the documents this one replaces.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Metadata fields that were inferred rather than read from the document.
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Section {
    pub doc: u32,
    pub parent: Option<u32>,
    /// The numbering as written: `三、`, `(一)`, `1.`, `第一条`.
    #[serde(with = "utf16")]
    pub label: String,
    #[serde(with = "utf16")]
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
    #[serde(with = "utf16")]
    pub text: String,
    pub facts: Vec<Fact>,
    /// Clauses elsewhere that repeat a long passage of this one.
    pub links: Vec<u32>,
    /// Places the clause names through a region that holds them (its 港澳 names 香港 and 澳门),
    /// normalised, space separated; mostly empty.
    pub covers: String,
}

named_enum! {
    /// What a fact in a clause states: the `kind` of an answer's `facts`.
    #[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum FactKind {
        /// A money amount granted or counted (100万元).
        Amount = "amount",
        /// An upper bound on money (最高不超过800万元).
        Cap = "cap",
        /// A share of the investment (不超过项目实际投入50%) or another percentage.
        Ratio = "ratio",
        /// A responsible or leading unit.
        Unit = "unit",
        /// A target year (到2025年).
        Deadline = "deadline",
        /// A calendar date.
        Date = "date",
        /// A validity statement (有效期5年).
        Validity = "validity",
        /// A document's or proposal's number (深府办〔2020〕4号, 第2023027号).
        Number = "number",
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Fact {
    pub kind: FactKind,
    /// Byte range within the clause text: facts are the document's own words, not copies.
    pub start: u32,
    pub len: u32,
}

impl Fact {
    pub(crate) fn text<'a>(&self, clause_text: &'a str) -> &'a str {
        clause_text.get(self.start as usize..(self.start + self.len) as usize).unwrap_or("")
    }
}

named_enum! {
    /// What kind of answer a question asks for (`intent` in `seeds/lexicon.rules` and in an answer).
    #[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Intent {
        /// How much money (多少钱).
        Amount = "amount",
        /// Who handles or issued it (哪个部门).
        Who = "who",
        /// When (什么时候, 落款日期).
        When = "when",
        /// Where (哪个区).
        Where = "where",
        /// What a plan sets out to reach (目标, 多少家).
        Target = "target",
        /// Which document or policy (哪个文件).
        Which = "which",
        /// How to apply: materials, procedure, application deadlines (申报材料, 怎么申请).
        Procedure = "procedure",
        /// A document's or proposal's number (文号, 提案编号).
        Number = "number",
        /// When a document was issued (什么时候发布, 哪年印发): its date, not how long it holds.
        Issued = "issued",
        /// What an enterprise must meet to qualify (需要满足什么条件, 门槛): answered only where a
        /// clause states conditions.
        Condition = "condition",
        /// Whom to phone (联系人, 电话多少): a letter's contact line.
        Contact = "contact",
    }
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
    /// The start of a company's description of itself (我们是…): what follows, up to the next
    /// pause, describes the asker rather than the need.
    Describe,
    /// Filler that starts what a company needs (想, 打算, 有没有): it ends a self-description.
    Need,
    /// Greetings, thanks and talk to the assistant itself (你好, 你是谁): with no topic besides,
    /// the question gets a friendly notice rather than a clause.
    Chat,
    /// A noun naming a kind of business (企业, 厂, 行业): the word just before it names the
    /// asker's trade, which a document covers or not.
    Trade,
    /// A kind of support or public service no document speaks of (所得税, 社保): the question
    /// asks about something else.
    Elsewhere,
    /// The question wants the fact itself (具体奖励多少钱, 具体哪天): a clause that only names
    /// the measure, without the fact asked for, does not answer it.
    Specific,
    /// A region askers come to (深圳): after a word of arriving (来深圳, 搬到深圳, 喺深圳开) it is
    /// a place the question is about, and another place it names is where the asker is from.
    Destination,
    /// An asker's description that opens the question after at most a place (宝安一家眼镜厂，
    /// 想…; 有家服装厂…): like `Describe`, but only there, since 一家 elsewhere is content (开一家店).
    Opening,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    /// Normalised pattern matched against the normalised question.
    #[serde(with = "utf16")]
    pub pattern: String,
    pub actions: Vec<Action>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    Derived,
    Lexicon,
}

/// Where a keyword's text is: derived keywords point into a clause's normalised text (4 bytes
/// instead of a copy of the words), lexicon terms are spelled out.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) enum Term {
    /// Byte range of the normalised text of a clause: bytes, not characters, because counting
    /// characters to ~500 spans took several milliseconds of start-up in the browser.
    Span { clause: u32, start: u32, len: u32 },
    Text(#[serde(with = "utf16")] String),
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Keyword {
    pub term: Term,
    pub origin: Origin,
}

/// An English word or phrase (its words' stems, space separated) and the Chinese words of the
/// knowledge base it stands for, best first, space separated.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct English {
    pub key: String,
    #[serde(with = "utf16")]
    pub words: String,
}

/// Pinyin, for typos by sound. The sound of the words a typo may mean (keywords, lexicon terms)
/// is worked out from these readings at start-up, so only the readings ship.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct Sounds {
    /// Toneless syllables, sorted: `bao`, `zhu` …
    pub syllables: Vec<String>,
    /// Every reading as start-up looks them up, sorted by character, then syllable: the
    /// character as the gap in code points from the previous reading's (0: another reading of
    /// the same character). Sorted here, start-up sorts nothing; the knowledge base is 2.8 KB
    /// larger raw than with per-syllable lists of characters, and 0.2 KB smaller gzipped.
    /// A character has a reading when it is common and the reading is its most common one
    /// (a typo is a character an input method offered under its common reading: 不 is bu, not
    /// fu), or when it is in a word a typo may mean and the reading is its second (行 in 银行
    /// is hang).
    pub gaps: Vec<u32>,
    /// Per reading: its syllable's index × 2, plus 1 for a character's most common reading.
    pub readings: Vec<u16>,
    /// Common words that sound like a word of the knowledge base and are no typo (一下 for
    /// 以下), sorted.
    pub real_words: Vec<Utf16>,
}

/// A string stored as UTF-16 inside a list.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Utf16(#[serde(with = "utf16")] pub String);

/// Chinese text as UTF-16 (little endian) bytes: two bytes per character instead of UTF-8's
/// three. The wasm module is 2.6 KB smaller after gzip for the shipped documents (121,276 →
/// 118,641 bytes when this was made; only the clause texts in UTF-16 saved 0.2 KB: gzip then
/// no longer finds the titles' and patterns' words in the texts). Decoding is one pass at
/// start-up.
mod utf16 {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(text: &str, ser: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        ser.serialize_bytes(&bytes)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
        struct Utf16;
        impl Visitor<'_> for Utf16 {
            type Value = String;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("UTF-16 text")
            }
            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<String, E> {
                if bytes.len() % 2 != 0 {
                    return Err(E::custom("UTF-16 text of odd length"));
                }
                let units = bytes.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]]));
                // Room for three UTF-8 bytes per unit (a surrogate pair's four bytes fit in its
                // two units' six): the text is built with no reallocation.
                let mut text = String::with_capacity(bytes.len() / 2 * 3);
                for c in char::decode_utf16(units) {
                    text.push(c.map_err(|_| E::custom("invalid UTF-16 text"))?);
                }
                Ok(text)
            }
        }
        de.deserialize_bytes(Utf16)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormatError {
    BadMagic,
    Version(u16),
    Body(String),
}

impl FormatError {
    /// What went wrong, in words (`Display` says the same; this one without `core::fmt`).
    pub(crate) fn message(&self) -> String {
        match self {
            FormatError::BadMagic => "not a policy-qa knowledge base (bad magic)".into(),
            FormatError::Version(v) => cat!("knowledge base format version ", v, " does not match this engine's version ", VERSION, "; rebuild it"),
            FormatError::Body(e) => cat!("corrupt knowledge base: ", e),
        }
    }
}

impl core::fmt::Display for FormatError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

// Only the compiler writes knowledge bases; the browser build only reads them.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn encode(kb: &Kb) -> Vec<u8> {
    encode_with(MAGIC, kb)
}

/// What only questions with Latin letters need, a file of its own: the English table, sorted
/// by key, and the lexicon's rules whose pattern has a Latin letter (English words and phrases,
/// k金), sorted by pattern; the knowledge base keeps the others.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub(crate) struct EnglishFile {
    pub table: Vec<English>,
    pub rules: Vec<Rule>,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn encode_english(english: &EnglishFile) -> Vec<u8> {
    encode_with(ENGLISH_MAGIC, english)
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn encode_with<T: Serialize + ?Sized>(magic: &[u8; 8], value: &T) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend_from_slice(&VERSION.to_le_bytes());
    let body = postcard::to_allocvec(value).expect("postcard encoding into a Vec cannot fail");
    out.extend_from_slice(&body);
    out
}

#[inline(never)]
pub(crate) fn decode(bytes: &[u8]) -> Result<Kb, FormatError> {
    postcard::from_bytes(body(MAGIC, bytes)?).map_err(undecodable)
}

#[inline(never)]
pub(crate) fn decode_english(bytes: &[u8]) -> Result<EnglishFile, FormatError> {
    postcard::from_bytes(body(ENGLISH_MAGIC, bytes)?).map_err(undecodable)
}

/// postcard's reason natively; in the browser a fixed one, since its `Display` would link
/// `core::fmt` into the download (see `text`).
fn undecodable(e: postcard::Error) -> FormatError {
    #[cfg(not(target_arch = "wasm32"))]
    let reason = e.to_string();
    #[cfg(target_arch = "wasm32")]
    let reason = {
        let _ = e;
        String::from("its body does not decode")
    };
    FormatError::Body(reason)
}

/// The postcard body after `magic` and this version.
fn body<'a>(magic: &[u8; 8], bytes: &'a [u8]) -> Result<&'a [u8], FormatError> {
    if bytes.len() < magic.len() + 2 || &bytes[..magic.len()] != magic {
        return Err(FormatError::BadMagic);
    }
    let v = u16::from_le_bytes([bytes[8], bytes[9]]);
    if v != VERSION {
        return Err(FormatError::Version(v));
    }
    Ok(&bytes[10..])
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Text(#[serde(with = "super::utf16")] String);

    #[test]
    fn utf16_text() {
        // (name, postcard bytes: length then UTF-16LE, expected text or None for an error)
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("empty", &[0], Some("")),
            ("ascii and chinese", &[4, b'<', 0, 0x77, 0x6D], Some("<海")),
            ("astral character as a surrogate pair", &[4, 0x40, 0xD8, 0x00, 0xDC], Some("\u{20000}")),
            ("odd length", &[3, b'a', 0, b'b'], None),
            ("lone surrogate", &[2, 0x00, 0xD8], None),
            ("truncated", &[4, b'a', 0], None),
        ];
        for &(name, bytes, want) in cases {
            let got = postcard::from_bytes::<Text>(bytes).ok().map(|t| t.0);
            assert_eq!(got.as_deref(), want, "{name}");
            if let Some(text) = want {
                assert_eq!(postcard::to_allocvec(&Text(text.into())).unwrap(), bytes, "{name}: round trip");
            }
        }
    }
}
