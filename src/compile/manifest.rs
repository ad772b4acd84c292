//! `seeds/manifest.toml`: what is known of each document beyond its text.

use serde::Deserialize;

use super::SeedError;

pub(crate) const FILE: &str = "manifest.toml";
const KINDS: &[&str] = &["action-plan", "measures", "regulation", "notice", "proposal-reply", "news-repost", "other"];
const DATE_FIELDS: &[&str] = &["published", "valid_from", "valid_until"];

#[derive(Deserialize, Debug, Default)]
struct Manifest {
    #[serde(default)]
    doc: Vec<Entry>,
}

#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub file: String,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub lead: Option<String>,
    pub number: Option<String>,
    pub published: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub validity: Option<String>,
    pub source: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub replaces: Vec<String>,
    #[serde(default)]
    pub extends: Vec<String>,
    #[serde(default)]
    pub inferred: Vec<String>,
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

pub(crate) fn parse(text: &str) -> Result<Vec<Entry>, Vec<SeedError>> {
    let err = |line: u32, msg: String| SeedError { file: FILE.to_string(), line, msg };
    let m: Manifest = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        vec![err(line, e.message().to_string())]
    })?;
    let mut errors = Vec::new();
    let mut entries = m.doc;
    // serde does not give spans for array items; find each entry's `file = "…"` line instead.
    for e in &mut entries {
        let needle = format!("\"{}\"", e.file);
        e.line = text
            .lines()
            .position(|l| l.trim_start().starts_with("file") && l.contains(&needle))
            .map_or(1, |i| u32::try_from(i + 1).unwrap_or(u32::MAX));
    }
    let mut seen = std::collections::BTreeMap::new();
    for e in &entries {
        if let Some(first) = seen.insert(e.file.clone(), e.line) {
            errors.push(err(e.line, format!("duplicate entry for {} (first at line {first})", e.file)));
        }
        if let Some(k) = &e.kind {
            if !KINDS.contains(&k.as_str()) {
                errors.push(err(e.line, format!("unknown kind {k:?}; expected one of {}", KINDS.join(", "))));
            }
        }
        for (name, v) in [("published", &e.published), ("valid_from", &e.valid_from), ("valid_until", &e.valid_until)] {
            if let Some(d) = v {
                if !valid_date(d) {
                    errors.push(err(e.line, format!("{name} {d:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")));
                }
            }
        }
        for f in &e.inferred {
            let known = DATE_FIELDS.contains(&f.as_str())
                || ["title", "kind", "issuer", "lead", "number", "validity", "region"].contains(&f.as_str());
            if !known {
                errors.push(err(e.line, format!("inferred names unknown field {f:?}")));
            }
        }
        for field in [&e.title, &e.issuer, &e.number] {
            if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
                errors.push(err(e.line, "empty value; leave the key out instead".to_string()));
            }
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}
