//! The sound of words, for typos by sound: shared by the compiler (which finds the common words
//! that sound like a knowledge-base word and are no typo) and the runtime (which repairs a
//! question), so both see the same keys.

use crate::format::{Action, Kb, Sounds};
use crate::normalize::is_cjk;
use crate::sort::sort_by;

/// A word with many multi-reading characters has many keys; more than this are not tried.
const MAX_KEYS: usize = 16;

/// Character → its readings (syllable numbers, and whether the character's common reading),
/// sorted by character.
pub(crate) struct Readings(Vec<(char, u16, bool)>);

impl Readings {
    pub(crate) fn new(sounds: &Sounds) -> Readings {
        let mut pairs: Vec<(char, u16, bool)> = Vec::new();
        for (syllable, (common, more)) in sounds.chars.iter().zip(&sounds.more).enumerate() {
            let id = u16::try_from(syllable).unwrap_or(u16::MAX);
            pairs.extend(common.0.chars().map(|c| (c, id, true)));
            pairs.extend(more.0.chars().map(|c| (c, id, false)));
        }
        sort_by(&mut pairs, &mut |a, b| a < b);
        Readings(pairs)
    }

    fn of(&self, c: char) -> &[(char, u16, bool)] {
        let start = self.0.partition_point(|p| p.0 < c);
        let end = start + self.0[start..].iter().take_while(|p| p.0 == c).count();
        &self.0[start..end]
    }

    /// Every reading sequence of `word` (with `all`, every reading of each character; else its
    /// common one, as typed); none when a character has no known reading.
    pub(crate) fn keys(&self, word: &[char], all: bool) -> Vec<Vec<u16>> {
        let mut keys: Vec<Vec<u16>> = vec![Vec::new()];
        for &c in word {
            let ids: Vec<u16> = self.of(c).iter().filter(|r| all || r.2).map(|r| r.1).collect();
            if ids.is_empty() {
                return Vec::new();
            }
            keys = keys.iter().flat_map(|k| ids.iter().map(move |&id| [&k[..], &[id]].concat())).take(MAX_KEYS).collect();
        }
        keys
    }
}

/// The words a typo may mean: the knowledge base's keywords and the lexicon's Chinese words of
/// two to four characters, sorted and unique.
pub(crate) fn vocabulary(kb: &Kb, terms: &[String]) -> Vec<String> {
    let words = kb.rules.iter().filter(|r| r.actions.iter().any(|a| matches!(a, Action::Concept(_) | Action::Keyword(_)))).map(|r| &r.pattern);
    let mut out: Vec<String> = terms.iter().chain(words).filter(|w| (2..=4).contains(&w.chars().count()) && w.chars().all(is_cjk)).cloned().collect();
    sort_by(&mut out, &mut |a, b| a < b);
    out.dedup();
    out
}

/// Vocabulary words by sound: (key, word), sorted.
pub(crate) fn keyed(readings: &Readings, vocabulary: &[String]) -> Vec<(Vec<u16>, String)> {
    let mut out: Vec<(Vec<u16>, String)> = Vec::new();
    for w in vocabulary {
        let chars: Vec<char> = w.chars().collect();
        out.extend(readings.keys(&chars, true).into_iter().map(|k| (k, w.clone())));
    }
    sort_by(&mut out, &mut |a, b| a < b);
    out.dedup();
    out
}

/// The words of `keyed` that sound like `span` as typed and share a character with it in the
/// same place.
pub(crate) fn sound_alikes<'a>(readings: &Readings, keyed: &'a [(Vec<u16>, String)], span: &[char]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for key in readings.keys(span, false) {
        let start = keyed.partition_point(|k| k.0 < key);
        for (_, word) in keyed[start..].iter().take_while(|k| k.0 == key) {
            let shares = word.chars().zip(span).any(|(a, &b)| a == b);
            let same = word.chars().eq(span.iter().copied());
            if shares && !same && !out.contains(&word.as_str()) {
                out.push(word);
            }
        }
    }
    out
}
