//! Text normalisation shared by the seed compiler (keywords, clause text) and the runtime
//! (questions): both sides must fold text identically or keywords silently stop matching.
//! `build.rs` includes this file with `#[path]`.

/// The Traditional → Simplified table as folding uses it: pairs sorted by the Traditional
/// character, and a bitmap of the Basic Multilingual Plane marking which characters have a pair,
/// so that the common case (a character without one) is one bit test, not a binary search.
/// Start-up folds all ~60,000 characters of the clauses in the browser's baseline compiler.
#[derive(Default)]
pub(crate) struct T2s {
    pairs: Vec<(char, char)>,
    bmp: Vec<u64>,
}

impl T2s {
    /// `pairs` must be sorted by their first character (the knowledge base stores them so);
    /// unsorted pairs are not an error, some of them are just never found.
    pub(crate) fn new(pairs: Vec<(char, char)>) -> T2s {
        let mut bmp = vec![0u64; 1024];
        for &(t, _) in &pairs {
            if let Some(w) = bmp.get_mut(t as usize >> 6) {
                *w |= 1 << (t as u32 & 63);
            }
        }
        T2s { pairs, bmp }
    }

    fn get(&self, c: char) -> char {
        if let Some(w) = self.bmp.get(c as usize >> 6) {
            if w >> (c as u32 & 63) & 1 == 0 {
                return c;
            }
        }
        match self.pairs.binary_search_by_key(&c, |&(t, _)| t) {
            Ok(i) => self.pairs[i].1,
            Err(_) => c,
        }
    }
}

/// Folds one character: full width → half width, ASCII case, Traditional → Simplified (by the
/// knowledge base's own table), and everything that is not a letter or digit → a space.
pub(crate) fn fold_char(c: char, t2s: &T2s) -> char {
    // ASCII first: digits, Latin letters and punctuation need no table.
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' };
    }
    let c = match c {
        '\u{3000}' => ' ',
        // Full-width ASCII variants are a fixed offset away; no Unicode tables needed.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let c = t2s.get(c.to_ascii_lowercase());
    // Common Chinese characters are letters; only the rest needs the Unicode tables.
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric() {
        c
    } else {
        ' '
    }
}

/// Normalises `text`: folds every character and collapses separators to single spaces.
pub(crate) fn normalize(text: &str, t2s: &T2s) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let f = fold_char(c, t2s);
        if f == ' ' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(f);
        }
    }
    out
}

/// The phrases a question quotes (“一核一圈一街”, 「深圳时尚标签」), normalised: a user who quotes
/// a phrase wants the passage that says it as written. Phrases shorter than three characters
/// are left out (a quoted 首店 is a word, already matched as one).
pub(crate) fn quoted(text: &str, t2s: &T2s) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        match open {
            None => {
                if let Some(close) = closing_quote(c) {
                    open = Some((close, i + c.len_utf8()));
                }
            }
            Some((close, start)) if c == close => {
                let phrase = normalize(&text[start..i], t2s);
                if phrase.chars().count() >= 3 {
                    out.push(phrase);
                }
                open = None;
            }
            Some(_) => {}
        }
    }
    out
}

/// The quote mark that closes one opened by `c`.
fn closing_quote(c: char) -> Option<char> {
    match c {
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        '"' => Some('"'),
        '‘' => Some('’'),
        _ => None,
    }
}

/// True for characters written without spaces between words (CJK and friends), which are indexed
/// as overlapping bigrams; other letters and digits form whole tokens.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// A unit of matching: a CJK character bigram, or a whole Latin/digit token.
///
/// A bigram is its two code points side by side (exact, and cheap: start-up computes ~60,000 of
/// them); a token is an FNV-1a hash with the top bit set, which no pair of code points has.
pub(crate) type Unit = u64;

/// FNV-1a 64: small, stable on every platform, no dependency. Tokens and the KB fingerprint
/// both use it.
pub(crate) fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The share of `text`'s letters that are Latin (0 for a Chinese question, 1 for an English one).
pub(crate) fn latin_share(text: &str) -> f32 {
    let (mut latin, mut all) = (0u32, 0u32);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        all += 1;
        latin += u32::from(c.is_ascii_alphabetic());
    }
    if all == 0 {
        0.0
    } else {
        latin as f32 / all as f32
    }
}

pub(crate) fn bigram(a: char, b: char) -> Unit {
    (a as u64) << 32 | b as u64
}

fn token(chars: &[char]) -> Unit {
    fnv1a(chars.iter().flat_map(|c| (*c as u32).to_le_bytes())) | 1 << 63
}

/// Calls `f(position, unit)` for each unit of normalised text, in order. `position` counts
/// characters, so consecutive bigrams of a run have consecutive positions.
pub(crate) fn for_each_unit(norm: &str, mut f: impl FnMut(usize, Unit)) {
    let chars: Vec<char> = norm.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            i += 1;
        } else if is_cjk(c) {
            if i + 1 < chars.len() && is_cjk(chars[i + 1]) {
                f(i, bigram(c, chars[i + 1]));
            }
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && chars[i] != ' ' && !is_cjk(chars[i]) {
                i += 1;
            }
            f(start, token(&chars[start..i]));
        }
    }
}

/// An English word reduced to a stem, the same way for the dictionary's glosses at build time
/// and for a question's words at run time: what matters is that "subsidies", "subsidy" and
/// "subsidize" do not all differ, not that the stem is a word. Lower-case ASCII in, stem out.
pub(crate) fn english_stem(word: &str) -> String {
    // Not plurals: "news" is no "new".
    if matches!(word, "news" | "series" | "species" | "means") {
        return word.to_string();
    }
    let mut w = word.to_string();
    // An adverb meets its adjective (nationally → national, directly → direct); not supply,
    // apply or assembly, whose -ly is no suffix.
    if w.len() >= 7 && w.ends_with("ly") && !matches!(w.as_bytes()[w.len() - 3], b'b' | b'p') {
        w.truncate(w.len() - 2);
    }
    let strip = |w: &mut String, suffix: &str, min: usize| -> bool {
        let ok = w.len() >= suffix.len() + min && w.ends_with(suffix);
        if ok {
            w.truncate(w.len() - suffix.len());
        }
        ok
    };
    if strip(&mut w, "ies", 2) {
        w.push('y');
    } else if !(strip(&mut w, "ing", 3) || strip(&mut w, "ed", 3)) {
        let sibilant = ["sses", "shes", "ches", "xes", "zes"].iter().any(|s| w.ends_with(s));
        if sibilant {
            w.truncate(w.len() - 2);
        } else if !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
            strip(&mut w, "s", 3);
        }
    }
    // An adjective of a noun: national → nation, industrial → industri (as industry). Not
    // short words, where -al is no suffix (final, formal, global).
    if w.len() >= 7 && w.ends_with("al") {
        w.truncate(w.len() - 2);
    }
    // planned → plann → plan; making → mak, make → mak: both sides meet.
    let b = w.as_bytes();
    if b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] && !matches!(b[b.len() - 1], b's' | b'l' | b'e') {
        w.pop();
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    if w.len() > 3 && w.ends_with('y') {
        // subsidy / subsidize: one stem for the noun and the verb.
        w.pop();
        w.push('i');
    }
    for verb in ["iz", "is"] {
        if w.len() > 5 && w.ends_with(verb) && !w.ends_with("sis") {
            w.truncate(w.len() - 2);
            w.push('i');
            break;
        }
    }
    w
}

/// A dictionary key for English stems: sorted and joined by spaces, since a phrase's words in
/// either order name the same thing ("value added", "added value"). The dictionary's glosses and
/// the lexicon's phrases at build time and a question's words at run time are keyed by it alike.
pub(crate) fn english_key<S: AsRef<str>>(stems: &[S]) -> String {
    let mut sorted: Vec<&str> = stems.iter().map(AsRef::as_ref).collect();
    crate::sort::sort_by(&mut sorted, &mut |a, b| a < b);
    sorted.join(" ")
}

/// The English words of `text` (ASCII letters, with `&` and digits inside a word), lower case.
pub(crate) fn english_words(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'&' || (b[i] == b'\'' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic())) {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `text` has a Latin letter: a pattern with one cannot match a question without, and
/// only a question with one needs the English file (the compiler splits the rules by this).
pub(crate) fn has_letter(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folding rule written plainly, without the fast paths `fold_char` takes.
    fn reference(c: char, t2s: &[(char, char)]) -> char {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let c = c.to_ascii_lowercase();
        let c = t2s.iter().find(|p| p.0 == c).map_or(c, |p| p.1);
        if c.is_alphanumeric() {
            c
        } else {
            ' '
        }
    }

    #[test]
    fn latin_share_counts_letters_only() {
        let cases: &[(&str, &str, f32)] = &[
            // (name, text, share)
            ("Chinese", "珠宝企业有补贴吗", 0.0),
            ("English", "any subsidy for jewelry 2025", 1.0),
            ("mixed", "ab珠宝", 0.5),
            ("digits and punctuation only", "2025 ？", 0.0),
        ];
        for (name, text, share) in cases {
            assert_eq!(latin_share(text), *share, "{name}");
        }
    }

    #[test]
    fn fast_paths_fold_every_character_like_the_rule() {
        let mut pairs = vec![('個', '个'), ('專', '专'), ('賣', '卖'), ('Ａ', 'a'), ('𠁞', '丁')];
        pairs.sort_unstable();
        let t2s = T2s::new(pairs.clone());
        for c in (0..0x3_0000u32).filter_map(char::from_u32) {
            assert_eq!(fold_char(c, &t2s), reference(c, &pairs), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn quoted_phrases() {
        let mut pairs = vec![('時', '时'), ('標', '标'), ('籤', '签')];
        pairs.sort_unstable();
        let t2s = T2s::new(pairs);
        let cases: &[(&str, &str, &[&str])] = &[
            // (name, question, phrases)
            ("curly quotes", "“一核一圈一街”指什么", &["一核一圈一街"]),
            ("corner brackets, Traditional folded", "有自己嘅「深圳時尚標籤」？", &["深圳时尚标签"]),
            ("punctuation inside is normalised", "“湾区时尚看深圳、深圳时尚看福田”出自哪里", &["湾区时尚看深圳 深圳时尚看福田"]),
            ("two phrases", "\"首店经济\"和\"夜间经济\"", &["首店经济", "夜间经济"]),
            ("a quoted word is too short", "“首店”有补贴吗", &[]),
            ("an unclosed quote", "“一核一圈一街指什么", &[]),
            ("no quotes", "珠宝企业有补贴吗", &[]),
        ];
        for (name, text, want) in cases {
            assert_eq!(quoted(text, &t2s), *want, "{name}");
        }
    }

    #[test]
    fn english_stems_meet() {
        let cases = [
            ("subsidies", "subsidy"), ("subsidize", "subsidy"), ("subsidised", "subsidy"), ("designs", "design"),
            ("designed", "design"), ("making", "make"), ("planned", "plan"), ("watches", "watch"),
            ("jewels", "jewel"), ("business", "businesses"), ("glasses", "glass"), ("exhibitions", "exhibition"),
            ("national", "nation"), ("industrial", "industry"), ("regional", "regions"),
            ("nationally", "nation"), ("directly", "direct"),
        ];
        for (a, b) in cases {
            assert_eq!(english_stem(a), english_stem(b), "{a} / {b}");
        }
        for (a, b) in [("designer", "design"), ("fair", "fa"), ("us", "use"), ("final", "fine"), ("formal", "form"), ("news", "new"), ("assembly", "assemble")] {
            assert_ne!(english_stem(a), english_stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn units() {
        let cases: [(&str, &str, usize); 4] = [
            ("bigrams of a run", "专卖店", 2),
            ("a latin token is one unit", "fashion 设计", 2),
            ("single characters make no bigram", "专 卖", 0),
            ("empty", "", 0),
        ];
        for (name, text, want) in cases {
            let mut n = 0;
            for_each_unit(text, |_, _| n += 1);
            assert_eq!(n, want, "{name}");
        }
        // Bigrams are exact, tokens are tagged: they can never collide.
        let mut seen = Vec::new();
        for_each_unit("专卖 zz", |_, u| seen.push(u));
        assert_eq!(seen[0], ('专' as u64) << 32 | '卖' as u64);
        assert!(seen[1] >> 63 == 1);
    }
}
