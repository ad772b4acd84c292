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
    /// The knowledge base's readings, in its order (see [`Sounds::gaps`]): no sort. A reading
    /// that would break the order (a corrupt knowledge base), name no character, or have a
    /// syllable past what a key's field holds (Mandarin has ~410) is left out, rather than let
    /// look-ups miss or keys collide.
    pub(crate) fn new(sounds: &Sounds) -> Readings {
        let mut pairs: Vec<(char, u16, bool)> = Vec::with_capacity(sounds.readings.len());
        let mut code = 0u32;
        for (&gap, &r) in sounds.gaps.iter().zip(&sounds.readings) {
            code = code.saturating_add(gap);
            let Some(c) = char::from_u32(code) else { continue };
            let reading = (c, r >> 1, r & 1 == 1);
            if pairs.last().is_none_or(|last| *last < reading) && (reading.1 as usize) < MAX_SYLLABLES {
                pairs.push(reading);
            }
        }
        Readings(pairs)
    }

    /// The readings of `by_syllable` (per syllable index: the characters whose most common
    /// reading it is, and those with it as their second), as the knowledge base stores them.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn pack(by_syllable: &[(String, String)]) -> (Vec<u32>, Vec<u16>) {
        let mut all: Vec<(char, u16)> = Vec::new();
        for (syllable, (common, more)) in by_syllable.iter().enumerate() {
            let id = (syllable as u16) << 1;
            all.extend(common.chars().map(|c| (c, id | 1)));
            all.extend(more.chars().map(|c| (c, id)));
        }
        sort_by(&mut all, &mut |a, b| a < b);
        all.dedup();
        let mut last = 0;
        let gaps = all.iter().map(|&(c, _)| c as u32 - std::mem::replace(&mut last, c as u32)).collect();
        (gaps, all.into_iter().map(|(_, r)| r).collect())
    }

    /// The characters read as syllable `id`: those whose common reading it is, and the others.
    #[cfg(test)]
    pub(crate) fn of_syllable(&self, id: u16) -> (String, String) {
        let pick = |common: bool| self.0.iter().filter(|r| r.1 == id && r.2 == common).map(|r| r.0).collect();
        (pick(true), pick(false))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_decode_in_the_order_they_are_stored() {
        // 行 is xing commonly and hang in 银行; 宝 and 保 are both bao.
        let by_syllable = [("保宝".to_string(), String::new()), (String::new(), "行".to_string()), ("行".to_string(), String::new())];
        let (gaps, readings) = Readings::pack(&by_syllable);
        let sounds = |gaps: Vec<u32>, readings: Vec<u16>| Sounds { syllables: vec!["bao".into(), "hang".into(), "xing".into()], gaps, readings, real_words: Vec::new() };
        let good = Readings::new(&sounds(gaps.clone(), readings.clone()));
        // (name, readings, what `of` gives for 行 and for 宝)
        let cases = [
            ("as packed", good, vec![('行', 1, false), ('行', 2, true)], vec![('宝', 0, true)]),
            ("a reading out of order (here a repeat) is left out", Readings::new(&sounds(vec!['宝' as u32, 0, 0], vec![1, 1, 0])), vec![], vec![('宝', 0, true)]),
            ("a syllable past the table is left out", Readings::new(&sounds(gaps, readings.iter().map(|r| r | 0xF000).collect())), vec![], vec![]),
        ];
        for (name, table, xing, bao) in cases {
            assert_eq!(table.of('行'), &xing[..], "{name}: 行");
            assert_eq!(table.of('宝'), &bao[..], "{name}: 宝");
        }
    }
}
