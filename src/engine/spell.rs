//! Repairs a question before it is read: English words become the documents' Chinese words, and
//! a same-sound typo (珠保 for 珠宝, 补帖 for 补贴) becomes the word it sounds like. Both tables
//! are derived from general dictionaries at build time (`compile::dict`); nothing here is a
//! hand-written rule.

use crate::format::{English, Kb, Utf16};
use crate::sound::{self, Readings};
use crate::normalize::{english_key, english_stem, english_words, is_cjk};

/// A phrase is at most this many English words (the dictionary's keys are no longer).
const MAX_PHRASE: usize = 3;

/// What start-up derives from the knowledge base's sounds: the readings by character, and the
/// words a typo may mean by sound. The word lists themselves are read from the knowledge base.
pub(super) struct Speller {
    readings: Readings,
    /// The words a typo may mean, by sound.
    keyed: Vec<(Vec<u16>, String)>,
}

/// Whether `word` is in `list` (sorted).
fn listed(list: &[Utf16], word: &str) -> bool {
    list.binary_search_by(|w| w.0.as_str().cmp(word)).is_ok()
}

/// Whether `word` is a common Chinese word that names no topic (a verb, an adverb …).
pub(super) fn is_common(kb: &Kb, word: &str) -> bool {
    listed(&kb.common_words, word)
}

fn english_words_for<'a>(english: &'a [English], key: &str) -> Option<&'a str> {
    english.binary_search_by(|e| e.key.as_str().cmp(key)).ok().map(|i| english[i].words.as_str())
}

/// `norm` with every English word or phrase the dictionary knows replaced by its Chinese words
/// (longest phrase first); `None` when nothing changed.
pub(super) fn translate(kb: &Kb, norm: &str) -> Option<String> {
    let words = english_words(norm);
    if words.is_empty() {
        return None;
    }
    let stems: Vec<String> = words.iter().map(|&(s, e)| english_stem(&norm[s..e])).collect();
    let mut out = String::new();
    let (mut copied, mut i) = (0, 0);
    while i < words.len() {
        let found = (1..=MAX_PHRASE.min(words.len() - i)).rev().find_map(|n| {
            // A phrase's words are consecutive: nothing but spaces between them.
            let joined = (i..i + n - 1).all(|j| norm[words[j].1..words[j + 1].0].trim().is_empty());
            let key = english_key(&stems[i..i + n]);
            joined.then(|| english_words_for(&kb.english, &key)).flatten().map(|zh| (n, zh))
        });
        match found {
            Some((n, zh)) => {
                out.push_str(&norm[copied..words[i].0]);
                out.push(' ');
                out.push_str(zh);
                out.push(' ');
                copied = words[i + n - 1].1;
                i += n;
            }
            None => i += 1,
        }
    }
    // Normalised text has single spaces; keep it so.
    (copied > 0).then(|| (out + &norm[copied..]).split_whitespace().collect::<Vec<_>>().join(" "))
}

impl Speller {
    /// `terms` are the keywords' texts (see [`sound::vocabulary`]).
    pub(super) fn new(kb: &Kb, terms: &[String]) -> Speller {
        let readings = Readings::new(&kb.sounds);
        let keyed = sound::keyed(&readings, &sound::vocabulary(kb, terms));
        Speller { readings, keyed }
    }

    /// The one word of the documents that `span` sounds like and shares a character with.
    fn sounds_like(&self, kb: &Kb, span: &[char]) -> Option<String> {
        let text: String = span.iter().collect();
        if listed(&kb.sounds.real_words, &text) || is_common(kb, &text) {
            return None;
        }
        match sound::sound_alikes(&self.readings, &self.keyed, span)[..] {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }

    /// `norm` with same-sound typos repaired, looked for only where two characters side by side
    /// occur nowhere in the documents (`known` says whether a pair does); `None` when nothing
    /// changed.
    pub(super) fn repair(&self, kb: &Kb, norm: &str, known: impl Fn(char, char) -> bool) -> Option<String> {
        let mut chars: Vec<char> = norm.chars().collect();
        let mut changed = false;
        let mut i = 0;
        while i + 1 < chars.len() {
            if !(is_cjk(chars[i]) && is_cjk(chars[i + 1])) || known(chars[i], chars[i + 1]) {
                i += 1;
                continue;
            }
            let windows = [(i, i + 2), (i.saturating_sub(1), i + 2), (i, i + 3)];
            // Only where no two characters side by side occur in the documents: 眼镜厂 holds
            // the documents' 眼镜 and is no typo.
            let unknown = |s: usize, e: usize| chars[s..e].iter().all(|&c| is_cjk(c)) && chars[s..e].windows(2).all(|p| !known(p[0], p[1]));
            let fix = windows.iter().filter(|&&(s, e)| e <= chars.len() && e - s >= 2 && unknown(s, e)).find_map(|&(s, e)| Some((s, e, self.sounds_like(kb, &chars[s..e])?)));
            match fix {
                Some((s, e, word)) => {
                    chars.splice(s..e, word.chars());
                    changed = true;
                    i = e;
                }
                None => i += 1,
            }
        }
        changed.then(|| chars.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Sounds;

    fn kb() -> Kb {
        let mut kb = Kb::default();
        kb.english = vec![
            English { key: "jewel".into(), words: "珠宝".into() },
            English { key: "precious ston".into(), words: "珠宝".into() },
            English { key: english_stem("subsidy"), words: "资助".into() },
        ];
        kb.sounds = Sounds {
            syllables: ["bao", "bu", "tie", "xia", "yi", "zhu"].map(String::from).to_vec(),
            chars: ["保宝", "补", "帖贴", "下", "一以", "珠"].map(|c| Utf16(c.into())).to_vec(),
            real_words: vec![Utf16("一下".into())],
        };
        kb
    }

    #[test]
    fn english_becomes_the_documents_words() {
        let kb = kb();
        let cases = [
            ("jewels subsidies?", Some("珠宝 资助 ?")),
            ("precious stones", Some("珠宝")),
            ("nothing known", None),
            ("纯中文", None),
        ];
        for (q, want) in cases {
            assert_eq!(translate(&kb, q).as_deref(), want, "{q}");
        }
    }

    #[test]
    fn typos_by_sound() {
        let kb = kb();
        let s = Speller::new(&kb, &["补贴", "珠宝", "以下"].map(String::from));
        let known = |a: char, b: char| matches!((a, b), ('珠', '宝') | ('补', '贴') | ('以', '下'));
        let cases = [
            ("珠保企业有补帖吗", Some("珠宝企业有补贴吗")),
            ("看一下", None), // a real word, though it sounds like 以下
            ("珠宝补帖", Some("珠宝补贴")),
            ("珠宝", None),
        ];
        for (q, want) in cases {
            assert_eq!(s.repair(&kb, q, known).as_deref(), want, "{q}");
        }
    }
}
