//! The evaluation's hit rule (`tests/data/common.py`), shared by the dev-set test and the scale
//! benchmark (`#[path]`-included there): a returned item hits when its document is a gold
//! document and its text contains a gold passage, both normalised.

use serde_json::Value;

/// score.py's normalisation: NFKC, then drop whitespace and punctuation. The seeds and questions
/// only need the full-width fold of NFKC.
pub(crate) fn norm(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

pub(crate) fn is_hit(doc: &str, text: &str, gold: &[Value]) -> bool {
    gold.iter().any(|g| {
        let gd = g["doc"].as_str().unwrap_or("");
        doc.starts_with(gd) && norm(text).contains(&norm(g["contains"].as_str().unwrap_or("")))
    })
}
