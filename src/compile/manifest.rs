//! `seeds/manifest.toml`: what is known of each document beyond its text.

use serde::Deserialize;

use super::SeedError;
use crate::format::DocMeta;

pub(crate) const FILE: &str = "manifest.toml";
const KINDS: &[&str] = &["action-plan", "measures", "regulation", "notice", "proposal-reply", "news-repost", "other"];
const DATE_FIELDS: &[&str] = &["published", "valid_from", "valid_until"];

#[derive(Deserialize, Debug, Default)]
struct Manifest {
    #[serde(default)]
    doc: Vec<Entry>,
}

/// One `[[doc]]` entry: the metadata the knowledge base ships, and the keys only the compiler and
/// `check` read.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub file: String,
    pub title: Option<String>,
    pub kind: Option<String>,
    /// The department that leads the work (牵头单位), shown by `check`.
    #[serde(rename = "lead")]
    pub lead_department: Option<String>,
    #[serde(flatten)]
    pub meta: DocMeta,
    /// Line of the entry's `file =` key, for error messages.
    #[serde(skip)]
    pub line: u32,
}

fn line_of(text: &str, byte: usize) -> u32 {
    u32::try_from(text[..byte.min(text.len())].matches('\n').count() + 1).unwrap_or(u32::MAX)
}

/// A partial ISO date: `2020`, `2020-03` or `2020-03-24`.
pub(crate) fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, dd] => {
            digits(y, 4) && digits(m, 2) && digits(dd, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&dd.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

/// The line a TOML error is at. An error inside the flattened [`DocMeta`] carries the span of
/// the whole entry; an unknown key is then looked up by name within it.
fn error_line(text: &str, e: &toml::de::Error) -> u32 {
    let Some(span) = e.span() else { return 1 };
    let unknown = e.message().strip_prefix("unknown field `").and_then(|m| m.split('`').next());
    let entry = text.get(span.clone()).unwrap_or("");
    let key_at = unknown.and_then(|key| {
        let mut at = 0;
        for line in entry.split_inclusive('\n') {
            let rest = line.trim_start().strip_prefix(key).map(str::trim_start);
            if rest.is_some_and(|r| r.starts_with('=')) {
                return Some(at);
            }
            at += line.len();
        }
        None
    });
    line_of(text, span.start + key_at.unwrap_or(0))
}

pub(crate) fn parse(text: &str) -> Result<Vec<Entry>, Vec<SeedError>> {
    let m: Manifest = toml::from_str(text).map_err(|e| vec![error(error_line(text, &e), e.message().to_string())])?;
    let mut entries = m.doc;
    // serde does not give spans for array items; find each entry's `file = "…"` line instead.
    for e in &mut entries {
        let needle = format!("\"{}\"", e.file);
        e.line = text
            .lines()
            .position(|l| l.trim_start().starts_with("file") && l.contains(&needle))
            .map_or(1, |i| u32::try_from(i + 1).unwrap_or(u32::MAX));
    }
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for e in &entries {
        if let Some(first) = seen.insert(e.file.clone(), e.line) {
            errors.push(error(e.line, format!("duplicate entry for {} (first at line {first})", e.file)));
        }
        check_entry(e, &mut errors);
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn error(line: u32, msg: String) -> SeedError {
    SeedError { file: FILE.to_string(), line, msg }
}

/// What serde cannot check: known kinds, dates, the names in `inferred`, empty values.
fn check_entry(e: &Entry, errors: &mut Vec<SeedError>) {
    let meta = &e.meta;
    if let Some(k) = &e.kind {
        if !KINDS.contains(&k.as_str()) {
            errors.push(error(e.line, format!("unknown kind {k:?}; expected one of {}", KINDS.join(", "))));
        }
    }
    for (name, v) in [("published", &meta.published), ("valid_from", &meta.valid_from), ("valid_until", &meta.valid_until)] {
        if let Some(d) = v {
            if !valid_date(d) {
                errors.push(error(e.line, format!("{name} {d:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")));
            }
        }
    }
    for f in &meta.inferred {
        let known = DATE_FIELDS.contains(&f.as_str())
            || ["title", "kind", "issuer", "lead", "number", "validity", "region"].contains(&f.as_str());
        if !known {
            errors.push(error(e.line, format!("inferred names unknown field {f:?}")));
        }
    }
    for field in [&e.title, &meta.issuer, &meta.number] {
        if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
            errors.push(error(e.line, "empty value; leave the key out instead".to_string()));
        }
    }
}
