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
        // Syllables past what a key's field holds (Mandarin has ~410) are left out, rather than
        // let keys collide.
        for (syllable, (common, more)) in sounds.chars.iter().zip(&sounds.more).enumerate().take(MAX_SYLLABLES) {
            let id = syllable as u16;
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
    /// common one, as typed), each packed in one number (`Key`); none when a character has no
    /// known reading or the word is longer than a key holds.
    pub(crate) fn keys(&self, word: &[char], all: bool) -> Vec<Key> {
        if word.len() > MAX_KEY_CHARS {
            return Vec::new();
        }
        let mut keys: Vec<Key> = vec![0];
        for &c in word {
            let readings = self.of(c);
            let before = std::mem::take(&mut keys);
            for k in before {
                for r in readings.iter().filter(|r| all || r.2) {
                    if keys.len() < MAX_KEYS {
                        keys.push(k << SYLLABLE_BITS | (r.1 as Key + 1));
                    }
                }
            }
            if keys.is_empty() {
                return Vec::new();
            }
        }
        keys
    }
}

/// A reading sequence: syllable numbers plus one, `SYLLABLE_BITS` each, first character
/// highest. Packed rather than a list: the runtime keys ~1,500 words at start-up, and sorting
/// numbers allocates nothing.
pub(crate) type Key = u64;
const SYLLABLE_BITS: u32 = 10;
const MAX_SYLLABLES: usize = (1 << SYLLABLE_BITS) - 1;
/// Typo repairs look at words of two to four characters; six fit a key.
const MAX_KEY_CHARS: usize = 6;

/// The words a typo may mean: the knowledge base's keywords and the lexicon's Chinese words of
/// two to four characters, sorted and unique.
pub(crate) fn vocabulary(kb: &Kb, terms: &[String]) -> Vec<String> {
    let words = kb.rules.iter().filter(|r| r.actions.iter().any(|a| matches!(a, Action::Concept(_) | Action::Keyword(_)))).map(|r| &r.pattern);
    let mut out: Vec<String> = terms.iter().chain(words).filter(|w| (2..=4).contains(&w.chars().count()) && w.chars().all(is_cjk)).cloned().collect();
    sort_by(&mut out, &mut |a, b| a < b);
    out.dedup();
    out
}

/// Vocabulary words by sound: (key, index in `vocabulary`), sorted.
pub(crate) fn keyed(readings: &Readings, vocabulary: &[String]) -> Vec<(Key, u32)> {
    let mut out: Vec<(Key, u32)> = Vec::new();
    let mut chars: Vec<char> = Vec::new();
    for (i, w) in vocabulary.iter().enumerate() {
        chars.clear();
        chars.extend(w.chars());
        out.extend(readings.keys(&chars, true).into_iter().map(|k| (k, i as u32)));
    }
    sort_by(&mut out, &mut |a, b| a < b);
    out.dedup();
    out
}

/// The words of `vocabulary` (keyed by `keyed`) that sound like `span` as typed and share a
/// character with it in the same place.
pub(crate) fn sound_alikes<'a>(readings: &Readings, vocabulary: &'a [String], keyed: &[(Key, u32)], span: &[char]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for key in readings.keys(span, false) {
        let start = keyed.partition_point(|k| k.0 < key);
        for &(_, w) in keyed[start..].iter().take_while(|k| k.0 == key) {
            let word = vocabulary[w as usize].as_str();
            let shares = word.chars().zip(span).any(|(a, &b)| a == b);
            let same = word.chars().eq(span.iter().copied());
            if shares && !same && !out.contains(&word) {
                out.push(word);
            }
        }
    }
    out
}
