//! The rules a question is read with: every keyword's implied rule merged with the lexicon's, as
//! one pattern table, its byte alphabet and leftmost-longest aho-corasick automata: one over the
//! patterns without Latin letters, built at start-up, and one over all, built for the first
//! question that has a Latin letter.

// The automaton API directly, with one automaton kind: the `AhoCorasick` wrapper would link in
// every kind (DFA, both NFAs, the packed searchers), which the browser would download for nothing.
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous::{Builder as NfaBuilder, NFA};
use aho_corasick::{Input, MatchKind};
use std::cell::OnceCell;

use crate::format::{Action, FormatError, Rule};

/// The patterns with their actions and alphabet: stage one of start-up; the automaton over them
/// is stage two (`build`).
pub(super) struct Patterns {
    texts: Vec<String>,
    /// Actions of each pattern: a keyword's implied rule merged with the lexicon's.
    actions: Vec<Vec<Action>>,
    alphabet: Alphabet,
}

impl Patterns {
    /// Refuses rules with more distinct characters than the alphabet has codes.
    pub(super) fn new(terms: &[String], rules: &[Rule]) -> Result<Patterns, FormatError> {
        let (texts, actions) = pattern_table(terms, rules);
        let alphabet = Alphabet::new(&texts)?;
        Ok(Patterns { texts, actions, alphabet })
    }

    /// Stage two of start-up: the automaton over the patterns a question without Latin letters
    /// can match. Those with a Latin letter (a third of the build, English words mostly) wait
    /// for the first question that has one (`Rules::find`).
    #[inline(never)]
    pub(super) fn build(self) -> Result<Rules, FormatError> {
        let han: Vec<u32> = (0..self.texts.len() as u32).filter(|&i| !has_letter(&self.texts[i as usize])).collect();
        let nfa = self.automaton(&han.iter().map(|&i| self.texts[i as usize].as_str()).collect::<Vec<_>>())?;
        Ok(Rules { han: (nfa, han), all: [OnceCell::new(), OnceCell::new()], patterns: self })
    }

    /// These patterns and `latin` (the English file's rules, sorted by pattern) as one table,
    /// longest first: a rule whose pattern is a keyword's adds its actions to the keyword's.
    #[inline(never)]
    fn with(&self, latin: &[Rule]) -> Result<Patterns, FormatError> {
        let mut merged: Vec<(&str, Vec<Action>)> = self.texts.iter().map(String::as_str).zip(self.actions.iter().cloned()).collect();
        // Only a pattern with a letter can be a Latin rule's: the keywords' few are searched.
        let lettered: Vec<usize> = (0..merged.len()).filter(|&i| has_letter(merged[i].0)).collect();
        for rule in latin {
            match lettered.iter().find(|&&i| merged[i].0 == rule.pattern) {
                Some(&i) => merged[i].1.extend_from_slice(&rule.actions),
                None => merged.push((&rule.pattern, rule.actions.clone())),
            }
        }
        let (texts, actions) = longest_first(merged);
        let alphabet = Alphabet::new(&texts)?;
        Ok(Patterns { texts, actions, alphabet })
    }

    pub(super) fn text(&self, pattern: usize) -> &str {
        &self.texts[pattern]
    }

    pub(super) fn actions(&self, pattern: usize) -> &[Action] {
        &self.actions[pattern]
    }

    /// A noncontiguous NFA, the cheapest kind to build: the contiguous one is this one plus a
    /// conversion (natively, best of 40: 3.5 against 4.8 ms over the 1,798 Han patterns; it
    /// searches a question in 3 µs against 0.3, which nobody notices), and a DFA costs several
    /// times more. A prefilter would only cost start-up time. (One concrete argument type: the
    /// builder is generic, and each type would be a copy of it in the download.)
    #[inline(never)]
    fn automaton(&self, texts: &[&str]) -> Result<NFA, FormatError> {
        NfaBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .prefilter(false)
            // Dense rows only for the start state: 217 KB instead of 746 with the default (3),
            // which start-up in the browser pays for in page faults; depth 0 builds slower.
            .dense_depth(1)
            .build(texts.iter().map(|p| self.alphabet.encode(p).0))
            .map_err(|_| FormatError::Body("too many rules for one automaton".into()))
    }
}

pub(super) use crate::normalize::has_letter;

/// The automata over the patterns.
pub(super) struct Rules {
    /// Over the patterns without Latin letters; its pattern ids index `patterns` through the list.
    han: (NFA, Vec<u32>),
    /// Over every pattern and the English file's rules (index 1 once that file is there, 0
    /// before), with their table: built at the first question with a Latin letter. For a
    /// question without one `han` finds the same matches: a pattern with a letter matches
    /// nowhere in it, and leftmost-first matching only weighs patterns that match. `None` if
    /// the build failed (past the automaton's state limit): such questions are then read by
    /// `han` alone.
    all: [OnceCell<Option<(NFA, Patterns)>>; 2],
    patterns: Patterns,
}

/// One rule matched in a question, in characters of its normalised text.
pub(super) struct RuleMatch {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

impl Rules {
    /// The rules matching in normalised text, leftmost-longest, left to right, and the table
    /// their pattern ids index. `latin`: the English file's rules (none until it is added).
    pub(super) fn find(&self, norm: &str, latin: &[Rule]) -> (Vec<RuleMatch>, &Patterns) {
        let (nfa, ids, table) = match self.all(norm, latin) {
            Some((all, table)) => (all, None, table),
            None => (&self.han.0, Some(&self.han.1), &self.patterns),
        };
        // The text in the automaton's alphabet, and each byte's character index.
        let (coded, char_at) = table.alphabet.encode(norm);
        let mut found = Vec::new();
        for m in nfa.try_find_iter(Input::new(&coded)).into_iter().flatten() {
            let pattern = ids.map_or(m.pattern().as_usize(), |ids| ids[m.pattern()] as usize);
            found.push(RuleMatch { start: char_at[m.start()], end: char_at[m.end()], pattern });
        }
        (found, table)
    }

    /// The automaton over every pattern and `latin`, with its table, if `norm` has a Latin letter.
    #[inline(never)]
    fn all(&self, norm: &str, latin: &[Rule]) -> Option<(&NFA, &Patterns)> {
        if !has_letter(norm) {
            return None;
        }
        let p = &self.patterns;
        let build = || {
            let table = p.with(latin).ok()?;
            let nfa = table.automaton(&table.texts.iter().map(String::as_str).collect::<Vec<_>>()).ok()?;
            Some((nfa, table))
        };
        self.all[usize::from(!latin.is_empty())].get_or_init(build).as_ref().map(|(n, t)| (n, t))
    }
}

/// The automaton's patterns with their actions: keywords' implied rules merged with the
/// lexicon's. Both lists are sorted by text (the compiler writes them so), so one merge pass
/// unites them, and a pass per length puts them longest first, which makes leftmost-first
/// matching leftmost-longest (and leftmost-first automata build in about half the time).
/// No comparison sort: this runs at start-up in the browser's baseline compiler. A list out
/// of order (a corrupt knowledge base) only yields duplicate patterns, never a panic.
#[inline(never)]
fn pattern_table(terms: &[String], rules: &[Rule]) -> (Vec<String>, Vec<Vec<Action>>) {
    let mut merged: Vec<(&str, Vec<Action>)> = Vec::with_capacity(terms.len() + rules.len());
    let (mut keyword, mut r) = (0, 0);
    while keyword < terms.len() || r < rules.len() {
        let term = terms.get(keyword).map(String::as_str);
        let rule = rules.get(r);
        match (term, rule) {
            (Some(t), Some(rule)) if t == rule.pattern => {
                let mut a = vec![Action::Keyword(keyword as u32)];
                a.extend_from_slice(&rule.actions);
                merged.push((t, a));
                keyword += 1;
                r += 1;
            }
            (Some(t), None) => {
                merged.push((t, vec![Action::Keyword(keyword as u32)]));
                keyword += 1;
            }
            (Some(t), Some(rule)) if t < rule.pattern.as_str() => {
                merged.push((t, vec![Action::Keyword(keyword as u32)]));
                keyword += 1;
            }
            (_, Some(rule)) => {
                merged.push((&rule.pattern, rule.actions.clone()));
                r += 1;
            }
            (None, None) => break,
        }
    }
    longest_first(merged)
}

/// Patterns and their actions in order of length, longest first, a pass per length (no
/// comparison sort); within a length, in the order given.
fn longest_first<S: AsRef<str>>(mut merged: Vec<(S, Vec<Action>)>) -> (Vec<String>, Vec<Vec<Action>>) {
    let longest = merged.iter().map(|m| m.0.as_ref().len()).max().unwrap_or(0);
    let mut patterns = Vec::with_capacity(merged.len());
    let mut actions = Vec::with_capacity(merged.len());
    for len in (1..=longest).rev() {
        for (p, a) in merged.iter_mut().filter(|m| m.0.as_ref().len() == len) {
            patterns.push(p.as_ref().to_string());
            actions.push(std::mem::take(a));
        }
    }
    (patterns, actions)
}

/// The automaton's byte alphabet: UTF-8 spends three bytes on every Chinese character, so the
/// trie over ~1,100 patterns would have three states per character. Here ASCII stays one byte,
/// each other character that occurs in some pattern gets a two-byte code (three beyond 3,072
/// of them), and any other character one byte no pattern contains. First bytes (0xC0–0xFF),
/// continuation bytes (0x80–0xBF) and ASCII are disjoint, so, as with UTF-8, a match can only
/// start and end on a character boundary. The trie has a third fewer states (the build time
/// itself hardly follows the state count: a one-byte code for frequent characters, 21 % fewer
/// bytes still, built no faster).
struct Alphabet {
    /// Sorted non-ASCII characters of the patterns; a character's code is its index.
    chars: Vec<char>,
}

/// The byte for a character no pattern contains (normalised text never has control characters).
const NO_PATTERN: u8 = 0x01;
/// Two-byte codes (48 first bytes × 64 continuations), then three-byte ones (16 × 64 × 64).
const TWO_BYTE_CODES: usize = 3072;
const MAX_CODES: usize = 16 * 64 * 64;

impl Alphabet {
    /// Refuses rules with more distinct characters than there are codes, rather than let codes
    /// collide and patterns match characters they do not contain.
    #[inline(never)]
    fn new(patterns: &[String]) -> Result<Alphabet, FormatError> {
        // A bitmap over code points rather than a sort: sorted and unique in one linear pass.
        let mut seen = vec![0u64; (char::MAX as usize >> 6) + 1];
        for c in patterns.iter().flat_map(|p| p.chars()).filter(|c| !c.is_ascii()) {
            seen[c as usize >> 6] |= 1 << (c as u32 & 63);
        }
        let mut chars = Vec::new();
        for (w, &bits) in seen.iter().enumerate().filter(|(_, b)| **b != 0) {
            chars.extend((0..64).filter(|i| bits >> i & 1 == 1).filter_map(|i| char::from_u32((w << 6 | i) as u32)));
        }
        if chars.len() > MAX_CODES {
            return Err(FormatError::Body("too many distinct characters in the rules".into()));
        }
        Ok(Alphabet { chars })
    }

    /// `text` in this alphabet, and for each byte (plus one past the end) its character index.
    fn encode(&self, text: &str) -> (Vec<u8>, Vec<usize>) {
        let mut out = Vec::with_capacity(text.len());
        let mut char_at = Vec::with_capacity(text.len() + 1);
        let mut n = 0;
        for (ci, c) in text.chars().enumerate() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                match self.chars.binary_search(&c) {
                    Ok(i) if i < TWO_BYTE_CODES => out.extend_from_slice(&[0xC0 | (i >> 6) as u8, 0x80 | (i & 63) as u8]),
                    // `new` keeps `i` below MAX_CODES, so `i >> 12` fits the 16 first bytes.
                    Ok(i) => out.extend_from_slice(&[0xF0 | (i >> 12) as u8, 0x80 | (i >> 6 & 63) as u8, 0x80 | (i & 63) as u8]),
                    Err(_) => out.push(NO_PATTERN),
                }
            }
            char_at.resize(out.len(), ci);
            n = ci + 1;
        }
        char_at.push(n);
        (out, char_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, patterns, text, expected (start char, end char) of each automaton match)
    type Case = (&'static str, &'static [&'static str], &'static str, &'static [(usize, usize)]);

    #[test]
    fn alphabet_matches_on_character_boundaries() {
        let cases: [Case; 4] = [
            ("chinese", &["专卖店", "奖励"], "海外开专卖店有奖励吗", &[(3, 6), (7, 9)]),
            ("characters outside every pattern", &["补贴"], "做珠宝的有什么补贴", &[(7, 9)]),
            ("latin and digits stay bytes", &["ai", "2025"], "ai 设计 2025年", &[(0, 2), (6, 10)]),
            ("longest first wins at one start", &["工业设计中心", "工业设计", "设计中心"], "工业设计中心能拿多少钱", &[(0, 6)]),
        ];
        for (name, pats, text, want) in cases {
            let mut patterns: Vec<String> = pats.iter().map(|p| p.to_string()).collect();
            patterns.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alphabet = Alphabet::new(&patterns).unwrap();
            let nfa = NfaBuilder::new().match_kind(MatchKind::LeftmostFirst).build(patterns.iter().map(|p| alphabet.encode(p).0)).unwrap();
            let (coded, char_at) = alphabet.encode(text);
            let got: Vec<(usize, usize)> = nfa.try_find_iter(Input::new(&coded)).unwrap().map(|m| (char_at[m.start()], char_at[m.end()])).collect();
            assert_eq!(got, want, "{name}");
        }
        // Past 3,072 pattern characters codes take three bytes; matches still land on characters.
        let patterns: Vec<String> = (0..2000u32).map(|i| [0x4E00 + 2 * i, 0x4E01 + 2 * i].iter().filter_map(|&c| char::from_u32(c)).collect()).collect();
        let alphabet = Alphabet::new(&patterns).unwrap();
        let nfa = NfaBuilder::new().match_kind(MatchKind::LeftmostFirst).build(patterns.iter().map(|p| alphabet.encode(p).0)).unwrap();
        let text = format!("问{}{}", patterns[1999], patterns[3]);
        let (coded, char_at) = alphabet.encode(&text);
        let got: Vec<(usize, usize)> = nfa.try_find_iter(Input::new(&coded)).unwrap().map(|m| (char_at[m.start()], char_at[m.end()])).collect();
        assert_eq!(got, [(1, 3), (3, 5)]);
        // More distinct characters than codes: refused, never colliding codes.
        let many: Vec<String> = (0x3400..0x4DC0).chain(0x4E00..0xA000).chain(0x2_0000..0x2_A6E0).filter_map(char::from_u32).map(String::from).collect();
        assert!(many.len() > MAX_CODES);
        assert!(Alphabet::new(&many).is_err());
        assert!(Alphabet::new(&many[..MAX_CODES]).is_ok());
    }

    #[test]
    fn latin_patterns_join_for_questions_with_letters() {
        // Keyword terms, sorted as the compiler writes them.
        let terms: Vec<String> = ["ai", "ai设计", "设计", "设计中心"].map(String::from).to_vec();
        let Ok(rules) = Patterns::new(&terms, &[]).and_then(Patterns::build) else { panic!("builds") };
        // (name, question, expected matched pattern texts)
        let cases: [(&str, &str, &[&str]); 4] = [
            ("no letters: the automaton without Latin patterns", "设计中心和设计", &["设计中心", "设计"]),
            ("letters: every pattern", "ai设计中心", &["ai设计"]),
            ("a Latin word", "ai 设计", &["ai", "设计"]),
            ("letters, then a question without: ids still map to the table", "设计", &["设计"]),
        ];
        for (name, q, want) in cases {
            let (found, table) = rules.find(q, &[]);
            let got: Vec<&str> = found.iter().map(|m| table.text(m.pattern)).collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
