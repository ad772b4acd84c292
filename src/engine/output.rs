//! The answer types: what `policy-qa ask --json` prints, the widget's `ask()` returns and the
//! TypeScript definitions in `wasm.rs` describe. Field names and enum names are the contract.

use serde::Serialize;

use crate::format::{named_enum, FactKind, Intent};

/// The answer to one question: what `policy-qa ask --json` prints and the widget's `ask()` returns.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    /// The question as asked (clipped to the length that was read).
    pub question: String,
    /// Clauses that answer the question, best first. Empty when the documents do not cover it.
    pub answers: Vec<Item>,
    /// Weaker matches, shown as "related", never as answers.
    pub related: Vec<Item>,
    /// What kind of answer the question asks for.
    #[serde(serialize_with = "intent_name")]
    pub intent: Option<Intent>,
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
    /// What the fact states.
    #[serde(serialize_with = "FactKind::serialize_name")]
    pub kind: FactKind,
    /// The words as in the document.
    pub text: String,
}

/// A document's validity as of the day asked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Validity {
    /// In force, lapsed, not yet in force, or unknown.
    #[serde(serialize_with = "ValidityStatus::serialize_name")]
    pub status: ValidityStatus,
    /// First day in force (partial ISO date), if known.
    pub from: Option<String>,
    /// Last day in force (partial ISO date), if known.
    pub until: Option<String>,
    /// The document's own words on validity, if any.
    pub note: Option<String>,
    /// True when the dates are inferred rather than printed in the document.
    pub inferred: bool,
}

named_enum! {
    /// Whether a document is in force on the day asked.
    #[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
    pub enum ValidityStatus {
        /// Its end date is known and not passed, and it has begun.
        InForce = "in_force",
        /// Its last day has passed.
        Lapsed = "lapsed",
        /// Its first day is still to come.
        NotYet = "not_yet",
        /// No end date is known.
        Unknown = "unknown",
    }
}

impl ValidityStatus {
    /// The status on `today` (ISO date) of a document valid `from`–`until` (partial ISO dates).
    /// Compares by padding: `2025-03` lasts until the end of March 2025.
    pub(crate) fn on(from: Option<&str>, until: Option<&str>, today: &str) -> ValidityStatus {
        let pad_end = |d: &str| match d.len() {
            4 => crate::text::cat!(d, "-99-99"),
            7 => crate::text::cat!(d, "-99"),
            _ => d.to_string(),
        };
        match (from, until) {
            (_, Some(u)) if today > pad_end(u).as_str() => ValidityStatus::Lapsed,
            (Some(f), _) if today < f => ValidityStatus::NotYet,
            (_, Some(_)) => ValidityStatus::InForce,
            _ => ValidityStatus::Unknown,
        }
    }
}

/// `Answer::intent` by name (see `serialize_name`).
fn intent_name<S: serde::Serializer>(intent: &Option<Intent>, s: S) -> Result<S::Ok, S::Error> {
    match intent {
        Some(i) => s.serialize_some(i.name()),
        None => s.serialize_none(),
    }
}

/// A document, as listed by [`Engine::documents`](super::Engine::documents).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_names_are_one() {
        // Each name is what serde writes, what `from_name` reads and what TypeScript lists.
        fn check<T: Serialize + Copy + PartialEq + std::fmt::Debug>(all: &[T], name: fn(T) -> &'static str, from: fn(&str) -> Option<T>, ts: &str) {
            for &v in all {
                assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{}\"", name(v)), "{v:?}");
                assert_eq!(from(name(v)), Some(v), "{v:?}");
                assert!(ts.contains(&format!("\"{}\"", name(v))), "{v:?} in {ts}");
            }
            assert_eq!(ts.matches(" | ").count() + 1, all.len(), "{ts}");
        }
        use ValidityStatus::*;
        check(&[InForce, Lapsed, NotYet, Unknown], ValidityStatus::name, ValidityStatus::from_name, ValidityStatus::TS);
        use FactKind::*;
        check(&[Amount, Cap, Ratio, Unit, Deadline, Date, FactKind::Validity, FactKind::Number], FactKind::name, FactKind::from_name, FactKind::TS);
        check(&[Intent::Amount, Intent::Who, Intent::When, Intent::Where, Intent::Target, Intent::Which, Intent::Procedure, Intent::Number, Intent::Issued, Intent::Condition, Intent::Contact], Intent::name, Intent::from_name, Intent::TS);
        assert_eq!(ValidityStatus::TS, r#"export type ValidityStatus = "in_force" | "lapsed" | "not_yet" | "unknown";"#);
        assert_eq!(Intent::from_name("price"), None);
    }

    #[test]
    fn validity_on_a_day() {
        // (name, from, until, today, status)
        let cases = [
            ("between the dates", Some("2020-01-01"), Some("2025-12-31"), "2024-06-01", ValidityStatus::InForce),
            ("a year lasts to its end", None, Some("2025"), "2025-12-31", ValidityStatus::InForce),
            ("a month lasts to its end", None, Some("2025-03"), "2025-03-31", ValidityStatus::InForce),
            ("after the last day", None, Some("2025-03"), "2025-04-01", ValidityStatus::Lapsed),
            ("before the first day", Some("2027-01-01"), Some("2030"), "2026-11-21", ValidityStatus::NotYet),
            ("begun, no end known", Some("2020"), None, "2026-11-21", ValidityStatus::Unknown),
            ("no dates", None, None, "2026-11-21", ValidityStatus::Unknown),
        ];
        for (name, from, until, today, want) in cases {
            assert_eq!(ValidityStatus::on(from, until, today), want, "{name}");
        }
    }
}
