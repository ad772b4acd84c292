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
    /// The words a typo may mean, and their indices by sound.
    vocabulary: Vec<String>,
    keyed: Vec<(sound::Key, u32)>,
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
pub(super) fn translate(english: &[English], norm: &str) -> Option<String> {
    let words = english_words(norm);
    if words.is_empty() {
        return None;
    }
    let stems: Vec<String> = words.iter().map(|&(s, e)| english_stem(&norm[s..e])).collect();
    // The longest entry from word `i` of at most `max` words that `keep` accepts.
    let entry = |i: usize, max: usize, keep: &dyn Fn(&str) -> bool| {
        (1..=max.min(words.len() - i)).rev().find_map(|n| {
            // A phrase's words are consecutive: nothing but spaces between them.
            let joined = (i..i + n - 1).all(|j| norm[words[j].1..words[j + 1].0].trim().is_empty());
            let key = english_key(&stems[i..i + n]);
            joined.then(|| english_words_for(english, &key)).flatten().filter(|w| keep(w)).map(|w| (n, w))
        })
    };
    // The lexicon's own phrases (their entries give the lexicon's English, "document number")
    // come first: a dictionary phrase overlapping one ("official document") must not split it.
    let mut lexicon_at: Vec<usize> = vec![0; words.len()];
    let mut i = 0;
    while i < words.len() {
        match entry(i, MAX_PHRASE, &|w| w.is_ascii() && w.contains(' ')) {
            Some((n, _)) => {
                lexicon_at[i] = n;
                i += n;
            }
            None => i += 1,
        }
    }
    let mut out = String::new();
    let (mut copied, mut i) = (0, 0);
    while i < words.len() {
        // Up to the next lexicon phrase, whose words are for it alone.
        let room = (i..words.len()).find(|&j| j > i && lexicon_at[j] > 0).map_or(words.len(), |j| j) - i;
        let found = if lexicon_at[i] > 0 { entry(i, lexicon_at[i], &|_| true) } else { entry(i, MAX_PHRASE.min(room), &|_| true) };
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
        let vocabulary = sound::vocabulary(kb, terms);
        let keyed = sound::keyed(&readings, &vocabulary);
        Speller { readings, vocabulary, keyed }
    }

    /// The one word of the documents that `span` sounds like and shares a character with.
    fn sounds_like(&self, kb: &Kb, span: &[char]) -> Option<String> {
        let text: String = span.iter().collect();
        if listed(&kb.sounds.real_words, &text) || is_common(kb, &text) {
            return None;
        }
        match sound::sound_alikes(&self.readings, &self.vocabulary, &self.keyed, span)[..] {
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
        // Spans already looked up (neighbouring pairs share most of their windows); cleared
        // when a repair changes the text.
        let mut tried: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i + 1 < chars.len() {
            if !(is_cjk(chars[i]) && is_cjk(chars[i + 1])) || known(chars[i], chars[i + 1]) {
                i += 1;
                continue;
            }
            // Words of two to four characters around the unknown pair.
            let windows = [(i, i + 2), (i.saturating_sub(1), i + 2), (i, i + 3), (i.saturating_sub(2), i + 2), (i.saturating_sub(1), i + 3), (i, i + 4)];
            let fix = windows
                .iter()
                .filter(|&&(s, e)| e <= chars.len() && e - s >= 2 && chars[s..e].iter().all(|&c| is_cjk(c)))
                .find_map(|&(s, e)| {
                    if tried.contains(&(s, e)) {
                        return None;
                    }
                    tried.push((s, e));
                    let word = self.sounds_like(kb, &chars[s..e])?;
                    // A span holding pairs the documents use (装品 in 化装品, 动计 in 形动计划) is
                    // repaired only into the documents' own words, changing only where the text
                    // breaks: 眼镜厂 is not made the lexicon's 眼睛厂.
                    let unknown = chars[s..e].windows(2).all(|p| !known(p[0], p[1]));
                    let documented = || word.chars().zip(word.chars().skip(1)).all(|(a, b)| known(a, b));
                    let ok = (unknown || (only_breaks_changed(&chars, s, &word, &known) && documented())) && !breaks_word(kb, &chars, s, e, &word, &known);
                    ok.then_some((s, e, word))
                });
            match fix {
                Some((s, e, word)) => {
                    chars.splice(s..e, word.chars());
                    changed = true;
                    tried.clear();
                    i = e;
                }
                None => i += 1,
            }
        }
        changed.then(|| chars.into_iter().collect())
    }
}

/// Whether every character `word` changes in `chars[s..]` is beside a neighbour it occurs next
/// to nowhere in the documents: only where the text breaks is there a typo.
fn only_breaks_changed(chars: &[char], s: usize, word: &str, known: &impl Fn(char, char) -> bool) -> bool {
    word.chars().enumerate().all(|(k, c)| {
        let at = s + k;
        c == chars[at] || (at > 0 && !known(chars[at - 1], chars[at])) || (at + 1 < chars.len() && !known(chars[at], chars[at + 1]))
    })
}

/// Whether putting `word` over `chars[s..e]` would change a character that makes a word with
/// its neighbour outside the span (政府 in 政府能, where 府能 sounds like 赋能; 哪个 in 哪个区,
/// where 个区 sounds like 各区): a character that is part of a word the documents, the lexicon
/// or general Chinese know is no typo.
fn breaks_word(kb: &Kb, chars: &[char], s: usize, e: usize, word: &str, known: &impl Fn(char, char) -> bool) -> bool {
    let is_word = |a: char, b: char| {
        let pair = String::from_iter([a, b]);
        known(a, b) || is_common(kb, &pair) || listed(&kb.sounds.real_words, &pair) || kb.rules.binary_search_by(|r| r.pattern.as_str().cmp(&pair)).is_ok()
    };
    let new: Vec<char> = word.chars().collect();
    let changed = |k: usize| new.get(k - s) != Some(&chars[k]);
    (s > 0 && changed(s) && is_cjk(chars[s - 1]) && is_word(chars[s - 1], chars[s])) || (e < chars.len() && changed(e - 1) && is_cjk(chars[e]) && is_word(chars[e - 1], chars[e]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Sounds;

    fn english() -> Vec<English> {
        let mut table = vec![
            English { key: "jewel".into(), words: "珠宝".into() },
            English { key: "precious ston".into(), words: "珠宝".into() },
            English { key: english_stem("subsidy"), words: "资助".into() },
            // A lexicon phrase (its entry is its own English) and a dictionary phrase and word
            // that overlap it. Keys are sorted.
            English { key: "document number".into(), words: "document number".into() },
            English { key: "document offici".into(), words: "公文".into() },
            English { key: "document".into(), words: "文件".into() },
        ];
        table.sort_by(|a, b| a.key.cmp(&b.key));
        table
    }

    fn kb() -> Kb {
        // 行 is read xing, and hang in the vocabulary's 银行.
        let syllables = ["bao", "bu", "chang", "dong", "hang", "hua", "ji", "jing", "tie", "xia", "xing", "yan", "yi", "yin", "zhu"];
        let common = ["保宝", "补", "厂", "动", "航", "划", "计", "睛镜", "帖贴", "下", "形行", "眼", "一以", "银", "珠"];
        let more = ["", "", "", "", "行", "", "", "", "", "", "", "", "", "", ""];
        let by_syllable: Vec<(String, String)> = common.iter().zip(more).map(|(c, m)| (c.to_string(), m.to_string())).collect();
        let (gaps, readings) = crate::sound::Readings::pack(&by_syllable);
        let sounds = Sounds { syllables: syllables.map(String::from).to_vec(), gaps, readings, real_words: vec![Utf16("一下".into())] };
        Kb { sounds, ..Kb::default() }
    }

    #[test]
    fn english_becomes_the_documents_words() {
        let english = english();
        let cases = [
            ("jewels subsidies?", Some("珠宝 资助 ?")),
            ("precious stones", Some("珠宝")),
            ("official document", Some("公文")),
            ("the document", Some("the 文件")),
            ("the official document number", Some("the official document number")),
            ("nothing known", None),
            ("纯中文", None),
        ];
        for (q, want) in cases {
            assert_eq!(translate(&english, q).as_deref(), want, "{q}");
        }
    }

    #[test]
    fn typos_by_sound() {
        let kb = kb();
        let s = Speller::new(&kb, &["补贴", "珠宝", "以下", "银行", "行动计划", "眼睛厂"].map(String::from));
        let known = |a: char, b: char| matches!((a, b), ('珠', '宝') | ('补', '贴') | ('以', '下') | ('保', '安') | ('行', '动') | ('动', '计') | ('计', '划') | ('眼', '镜'));
        let cases = [
            ("珠保企业有补帖吗", Some("珠宝企业有补贴吗")),
            ("看一下", None), // a real word, though it sounds like 以下
            ("珠宝补帖", Some("珠宝补贴")),
            ("珠宝", None),
            ("以下补帖", Some("以下补贴")),
            // 珠保 sounds like 珠宝, but its 保 is the 保安 the documents use.
            ("珠保安", None),
            ("银航", Some("银行")),
            // Typed as xing, 行 is no typo for 航.
            ("行空", None),
            // Only 形 breaks the text; 动计划 is the documents' own.
            ("形动计划", Some("行动计划")),
            // 眼睛厂 is a word of the lexicon, not the documents: 眼镜 is kept.
            ("眼镜厂", None),
        ];
        for (q, want) in cases {
            assert_eq!(s.repair(&kb, q, known).as_deref(), want, "{q}");
        }
    }
}
