//! Question reading: a question → its content units, the documents' keywords and the lexicon's
//! concepts it names, what it asks for (intent) and the places it names. One leftmost-longest
//! pass of the rules' automaton over the normalised question; text only (what the documents say
//! of those words is the index's look-up, `Index::look_up`).

use crate::format::{Action, Intent, Rule};
use crate::normalize::{for_each_unit, is_cjk, normalize, T2s, Unit};

use super::automaton::{Patterns, RuleMatch, Rules};
use crate::sort::sort_by;

/// What ends a self-description (after folding: full-width punctuation is half width).
const PAUSES: &str = ",.;!?:， 。、；！？";

/// What a question's character is, after the rules.
#[derive(Clone, Copy, PartialEq)]
enum Mask {
    Content,
    /// Filler or an intent phrase: not content.
    Gone,
    /// A user's synonym the documents never use: replaced by its concept.
    Replaced,
    Generic,
}

/// A question read against the rules.
pub(super) struct Reading {
    /// The question's content: normalised, with filler, intent phrases and replaced synonyms
    /// blanked to spaces (one character for one, so positions are the normalised question's).
    pub chars: Vec<char>,
    mask: Vec<Mask>,
    /// Characters inside a matched keyword, concept, generic word or place.
    pub explained: Vec<bool>,
    /// Characters of a company's description of itself (我们是龙华的一家眼镜厂): who asks, not
    /// what they need.
    pub described: Vec<bool>,
    /// The content's units, in order.
    pub units: Vec<ContentUnit>,
    /// (keyword, characters matched), in question order.
    pub keywords: Vec<(u32, usize)>,
    /// (concept, reached through a user's synonym rather than the documents' word), by concept.
    pub concepts: Vec<(u32, bool)>,
    pub intent: Option<Intent>,
    /// Places named, and whether as the question's scope ("杭州的政策", "深圳市…"): a scope
    /// must be the document's own region or title, a mere mention may be in the clause.
    pub places: Vec<(String, bool)>,
    /// A greeting or talk to the assistant was said.
    pub chat: bool,
    /// Where the words naming a trade end: where a noun for a kind of business (企业, 厂, 行业)
    /// starts, or the 的 before it (做新能源汽车零部件的企业).
    trade_ends: Vec<usize>,
    /// A kind of support no document speaks of was named (所得税, 社保).
    pub elsewhere: bool,
    /// The question wants the fact itself (具体多少钱).
    pub specific: bool,
    /// The years the question names (2023年, 2020-2024): about another year, a clause is
    /// about something else.
    pub years: Vec<String>,
}

/// A unit of the question's content.
pub(super) struct ContentUnit {
    pub unit: Unit,
    /// Position and length in `Reading::chars`.
    pub pos: usize,
    pub len: usize,
    /// Part of a word so common in policy text that it should barely count.
    pub generic: bool,
    /// A bigram straddling the edge of a matched word (师品 in 设计师品牌): no word of its own.
    pub bridge: bool,
}

impl Reading {
    /// `latin`: the English file's rules, when it is there.
    pub(super) fn new(rules: &Rules, latin: &[Rule], t2s: &T2s, question: &str) -> Reading {
        let norm = normalize(question, t2s);
        let chars: Vec<char> = norm.chars().collect();
        let mut scan = Scan::new(chars.len());
        let (found, table) = rules.find(&norm, latin);
        for found in found {
            scan.rule(table, &chars, found);
        }
        let mut reading = scan.finish(&chars);
        reading.years = years(&chars);
        reading
    }

    /// The content neither `covered` nor filler: CJK characters in runs of two or more, and
    /// Latin/digit words. Only runs: a stray single character next to a known word (搭几个,
    /// 答复函) is usually grammar, not a topic.
    /// A self-description's words only say who asks: they count neither way. Common words of
    /// general Chinese that name no topic (`common`: a verb, an adverb) are not unknown topics.
    pub(super) fn unexplained(&self, covered: &[bool], common: &dyn Fn(&str) -> bool) -> (usize, usize) {
        let unknown_cjk = self.unknown_runs(covered).map(|run| uncommon(&self.chars[run], common)).sum();
        (unknown_cjk, count_unknown_latin(&self.chars, covered, &self.mask))
    }

    /// The unexplained runs and how many of their characters count (`policy-qa ask --explain`).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn unexplained_runs(&self, covered: &[bool], common: &dyn Fn(&str) -> bool) -> Vec<(String, usize)> {
        self.unknown_runs(covered).map(|run| (self.chars[run.clone()].iter().collect(), uncommon(&self.chars[run], common))).collect()
    }

    /// The runs of CJK content neither `covered` nor in a self-description.
    fn unknown_runs<'a>(&'a self, covered: &'a [bool]) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
        runs(0..self.chars.len(), move |i| !covered[i] && !self.described[i] && self.mask[i] == Mask::Content && is_cjk(self.chars[i]))
    }

    /// Whether the question names a trade the documents never speak of (钢铁企业, 养老服务机构):
    /// the words just before a noun for a kind of business hold an uncommon one that no clause
    /// has. Unlike other unknown words, it counts inside a self-description too: who asks
    /// decides whether a document's measures apply to them.
    pub(super) fn foreign_trade(&self, covered: &[bool], common: &dyn Fn(&str) -> bool) -> bool {
        let content = |i: usize| self.mask[i] == Mask::Content && is_cjk(self.chars[i]);
        self.trade_ends.iter().any(|&end| {
            let mut start = end;
            while start > 0 && content(start - 1) {
                start -= 1;
            }
            // The phrase's unknown runs, each weighed as `unexplained` weighs them.
            runs(start..end, |i| !covered[i]).any(|run| uncommon(&self.chars[run], common) > 0)
        })
    }
}

/// The rules' pass over the question, collecting what each match says.
struct Scan {
    mask: Vec<Mask>,
    explained: Vec<bool>,
    /// Edges of matched words: a bigram straddling one (师品 in 设计师品牌) is not a word.
    edge: Vec<bool>,
    keywords: Vec<(u32, usize)>,
    concepts: Vec<(u32, bool)>,
    intent: Option<Intent>,
    places: Vec<(String, bool)>,
    /// Where self-descriptions start, and where needs and question phrases start (which end them).
    describe_starts: Vec<usize>,
    need_starts: Vec<usize>,
    /// Where nouns for a kind of business start (企业 in 钢铁企业).
    trade_starts: Vec<usize>,
    chat: bool,
    elsewhere: bool,
    /// Where words asking for the fact itself (具体) end.
    specific_at: Vec<usize>,
    /// Where place names (宝安, 深圳) start and end, for `opening`.
    place_spans: Vec<(usize, usize)>,
}

impl Scan {
    fn new(len: usize) -> Scan {
        Scan { mask: vec![Mask::Content; len], explained: vec![false; len], edge: vec![false; len + 1], keywords: Vec::new(), concepts: Vec::new(), intent: None, places: Vec::new(), describe_starts: Vec::new(), need_starts: Vec::new(), trade_starts: Vec::new(), chat: false, elsewhere: false, specific_at: Vec::new(), place_spans: Vec::new() }
    }

    fn rule(&mut self, rules: &Patterns, chars: &[char], found: RuleMatch) {
        let (start, mut end) = (found.start, found.end);
        let pattern = rules.text(found.pattern);
        let actions = rules.actions(found.pattern);
        // A Latin word inside a longer one ("ai" in "said") is not that word, but the same
        // word inflected is ("upgrades", "designers").
        let latin = pattern.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
        if latin && !word_boundary(chars, start, end) {
            // The inflection is part of the word matched: it is no unknown word of its own.
            match inflected(chars, start, end) {
                Some(e) => end = e,
                None => return,
            }
        }
        // 光明区, 杭州市: the administrative suffix belongs to the place name; left over, it
        // would join the next unknown character into a word no document has (光明区做 → 区做).
        let suffix = actions.iter().any(|a| matches!(a, Action::Place | Action::Destination)) && chars.get(end).is_some_and(|c| ADMIN_SUFFIXES.contains(c));
        let has_keyword = actions.iter().any(|a| matches!(a, Action::Keyword(_)));
        for &action in actions {
            self.act(action, pattern, chars, (start, end), has_keyword);
        }
        if actions.iter().any(|a| matches!(a, Action::Keyword(_) | Action::Concept(_) | Action::Generic | Action::Place)) {
            self.explained[start..end + usize::from(suffix)].iter_mut().for_each(|x| *x = true);
            self.edge[start] = true;
            self.edge[end] = true;
            self.edge[end + usize::from(suffix)] = true;
        }
    }

    fn act(&mut self, action: Action, pattern: &str, chars: &[char], (start, end): (usize, usize), has_keyword: bool) {
        let mask = &mut self.mask[start..end];
        match action {
            Action::Keyword(keyword) => self.keywords.push((keyword, end - start)),
            Action::Concept(concept) => {
                // Reached through the documents' own word, the concept only widens recall;
                // reached through a user's synonym, it also stands for those words.
                match self.concepts.iter_mut().find(|x| x.0 == concept) {
                    Some(x) => x.1 |= !has_keyword,
                    None => self.concepts.push((concept, !has_keyword)),
                }
                if !has_keyword {
                    mask.iter_mut().for_each(|x| *x = Mask::Replaced);
                }
            }
            Action::Intent(_) if conjunction(pattern, &chars[..start]) => {
                // "What reward … when a spot is rated 5A": the question is the earlier one.
                mask.iter_mut().for_each(|x| *x = Mask::Gone);
            }
            Action::Intent(Intent::Target) if approximate(&chars[..start]) => {
                // 二十几个人, 十几家门店: a count given roughly, not one asked for.
                mask.iter_mut().for_each(|x| *x = Mask::Gone);
            }
            Action::Intent(intent) => {
                // Money words name what a question is about as often as what it asks
                // (补贴找哪个部门, 奖励什么时候发): any other kind of question phrase wins.
                if self.intent.is_none() || self.intent == Some(Intent::Amount) {
                    self.intent = Some(intent);
                }
                // A contact line is written in the asker's words (联系人, 电话): they stay
                // content, so 联系电话多少 alone still finds the line.
                if intent != Intent::Contact {
                    mask.iter_mut().for_each(|x| *x = Mask::Gone);
                }
                self.need_starts.push(start);
            }
            Action::Stop => mask.iter_mut().for_each(|x| *x = Mask::Gone),
            Action::Describe => {
                mask.iter_mut().for_each(|x| *x = Mask::Gone);
                self.describe_starts.push(end);
            }
            Action::Chat => {
                mask.iter_mut().for_each(|x| *x = Mask::Gone);
                self.chat = true;
            }
            Action::Trade => self.trade_starts.push(start),
            Action::Elsewhere => self.elsewhere = true,
            Action::Specific => self.specific_at.push(end),
            Action::Need => {
                mask.iter_mut().for_each(|x| *x = Mask::Gone);
                self.need_starts.push(start);
            }
            Action::Generic => mask.iter_mut().filter(|x| **x == Mask::Content).for_each(|x| *x = Mask::Generic),
            Action::Place => {
                self.places.push((pattern.to_string(), as_scope(&chars[end..])));
                self.place_spans.push((start, end));
            }
            Action::Destination => {
                if arriving(&chars[..start]) {
                    self.places.push((pattern.to_string(), false));
                }
                self.place_spans.push((start, end));
            }
            Action::Opening => {
                if only_places_before(&self.place_spans, chars, start) {
                    mask.iter_mut().for_each(|x| *x = Mask::Gone);
                    self.describe_starts.push(end);
                }
            }
        }
    }

    /// A self-description runs from its start to the next pause, need or question phrase.
    fn described(&self, chars: &[char]) -> Vec<bool> {
        let mut described = vec![false; chars.len()];
        for &start in &self.describe_starts {
            let need = self.need_starts.iter().copied().filter(|&n| n >= start).min().unwrap_or(chars.len());
            let pause = chars[start..].iter().position(|c| PAUSES.contains(*c)).map_or(chars.len(), |p| start + p);
            described[start..need.min(pause)].iter_mut().for_each(|x| *x = true);
        }
        described
    }

    fn finish(self, chars: &[char]) -> Reading {
        let described = self.described(chars);
        let Scan { mut mask, explained, edge, keywords, mut concepts, intent, places, chat, trade_starts, elsewhere, specific_at, .. } = self;
        let specific = !specific_at.is_empty() && (asks_which_english(chars) || specific_at.iter().any(|&at| asks_which(&chars[at..])));
        let trade_ends = trade_starts.iter().map(|&head| if head > 0 && chars[head - 1] == '的' { head - 1 } else { head }).collect();
        yes_or_no(chars, &mut mask);
        sort_by(&mut concepts, &mut |a, b| a.0 < b.0);
        // Content: the question with filler, intents and replaced synonyms cut out.
        let content: String = chars.iter().zip(&mask).map(|(&ch, &m)| if matches!(m, Mask::Content | Mask::Generic) { ch } else { ' ' }).collect();
        let content_chars: Vec<char> = content.chars().collect();
        let units = content_units(&content, &content_chars, &edge, &mask);
        Reading { chars: content_chars, mask, explained, described, units, keywords, concepts, intent, places, chat, trade_ends, elsewhere, specific, years: Vec::new() }
    }
}

/// The years a question names: four digits from 2000 to 2039 standing alone, not a quantity
/// (2000万, 2020平方米) nor part of a longer number (20190892号, 第2023027号).
fn years(chars: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let len = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            i += 1;
            continue;
        }
        let word: String = chars[i..i + len].iter().collect();
        let next = chars.get(i + len).copied().unwrap_or(' ');
        let quantity = "万亿元千百多余个家平米件项人位次%.".contains(next);
        let year = len == 4 && (word.starts_with("20") && word.as_bytes()[2] <= b'3') && !quantity && !next.is_ascii_alphabetic();
        if year && !out.contains(&word) {
            out.push(word);
        }
        i += len;
    }
    out
}

/// A verb asked as "V不V" / "V没V" (给不给, 管不管, 有没有) asks yes or no: grammar, not content.
/// So is the particle 不/没 that ends a spoken question (有扶持没, 给钱不).
fn yes_or_no(chars: &[char], mask: &mut [Mask]) {
    for i in 0..chars.len() {
        let negation = matches!(chars[i], '不' | '没' | '冇');
        if !negation {
            continue;
        }
        let a_not_a = i > 0 && i + 1 < chars.len() && chars[i - 1] == chars[i + 1] && is_cjk(chars[i - 1]);
        if a_not_a {
            mask[i - 1..=i + 1].iter_mut().filter(|m| **m == Mask::Content).for_each(|m| *m = Mask::Gone);
        }
        let last = chars[i + 1..].iter().all(|c| !is_cjk(*c) && !c.is_ascii_alphanumeric());
        if last && i > 0 && mask[i] == Mask::Content {
            mask[i] = Mask::Gone;
        }
    }
}

/// The maximal runs of positions in `range` where `inside` holds, in order.
fn runs(range: std::ops::Range<usize>, inside: impl Fn(usize) -> bool) -> impl Iterator<Item = std::ops::Range<usize>> {
    let end = range.end;
    let mut i = range.start;
    std::iter::from_fn(move || {
        while i < end && !inside(i) {
            i += 1;
        }
        let start = i;
        while i < end && inside(i) {
            i += 1;
        }
        (start < end).then_some(start..i)
    })
}

/// Whether the text before a count word (几个, 几家) ends in a numeral: 二十几个 gives a
/// number roughly (twenty-odd), it does not ask one.
fn approximate(before: &[char]) -> bool {
    before.last().is_some_and(|&c| c.is_ascii_digit() || matches!(c, '十' | '百' | '千' | '万'))
}

/// Whether a question word asks which or how much (具体奖励多少钱, 具体哪天): 具体 in a yes-or-no
/// question (有具体金额吗) asks whether there is one, which a clause without it answers.
fn asks_which(chars: &[char]) -> bool {
    chars.iter().enumerate().any(|(i, &c)| c == '几' || c == '哪' || (c == '多' && chars.get(i + 1) == Some(&'少')))
}

/// The same for English: "how much exactly", "the exact date when".
fn asks_which_english(chars: &[char]) -> bool {
    let text: String = chars.iter().collect();
    text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| matches!(w, "how" | "what" | "when" | "which"))
}

/// Whether an English question word that also joins clauses ("when") joins them here: an
/// earlier question word of the same sentence (what, how, does…) is what is asked, as in "What
/// reward does Dapeng give when a spot is rated 5A?"; "…, and when does it expire?" and "I'd
/// like to know when it opens" still ask when.
fn conjunction(pattern: &str, before: &[char]) -> bool {
    if pattern != "when" {
        return false;
    }
    let text: String = before.iter().collect();
    let sentence = text.rsplit(|c| PAUSES.contains(c) && c != ' ').next().unwrap_or("");
    let words: Vec<&str> = sentence.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    let clause = words.rsplit(|w| matches!(*w, "and" | "or" | "but")).next().unwrap_or(&[]);
    clause.iter().any(|w| matches!(*w, "what" | "how" | "which" | "who" | "where" | "whom" | "whose" | "why" | "does" | "do" | "did" | "is" | "are" | "can" | "could" | "will" | "would" | "should" | "may"))
}

/// Whether the words before a region say the asker comes to it or acts in it (来深圳, 搬到深圳,
/// 喺深圳开, 落户深圳), rather than asks about its support (申请深圳的资金).
fn arriving(before: &[char]) -> bool {
    before.last().is_some_and(|c| matches!(c, '来' | '到' | '嚟' | '过' | '在' | '喺' | '回' | '进' | '入' | '户'))
}

/// Whether only place names (each perhaps with 市 or 区 after it) come before `start`.
fn only_places_before(place_spans: &[(usize, usize)], chars: &[char], start: usize) -> bool {
    let mut at = 0;
    while chars.get(at) == Some(&' ') {
        at += 1;
    }
    while at < start {
        // Matches are scanned left to right, so every place before `start` is known.
        let Some(&(_, end)) = place_spans.iter().find(|&&(s, e)| s == at && e <= start) else { return false };
        at = end;
        if at < start && matches!(chars[at], '市' | '区') {
            at += 1;
        }
    }
    true
}

/// What follows a place name to say which kind of place it is.
const ADMIN_SUFFIXES: [char; 5] = ['区', '市', '县', '镇', '省'];

/// Whether what follows a place name makes it the question's scope: its own (杭州的政策, 杭州市),
/// its government's (香港政府, 香港特区政府对本地品牌的资助) or the place as the one that gives
/// (杭州对入驻企业有什么补贴), not a mere mention.
fn as_scope(after: &[char]) -> bool {
    matches!(after.first(), Some('的' | '市' | '对')) || after.starts_with(&['政', '府']) || after.starts_with(&['特', '区'])
}

/// How many characters of an unknown run are not common words (longest first, up to four
/// characters; a single character when it is a function word such as 被 or 太); a run left
/// with fewer than two is grammar, not a topic.
fn uncommon(run: &[char], common: &dyn Fn(&str) -> bool) -> usize {
    let mut left = 0;
    let mut i = 0;
    while i < run.len() {
        let word = (1..=4.min(run.len() - i)).rev().find(|&n| common(&run[i..i + n].iter().collect::<String>()));
        match word {
            Some(n) => i += n,
            None => {
                left += 1;
                i += 1;
            }
        }
    }
    if left >= 2 {
        left
    } else {
        0
    }
}

fn content_units(content: &str, chars: &[char], edge: &[bool], mask: &[Mask]) -> Vec<ContentUnit> {
    let mut units = Vec::new();
    for_each_unit(content, |pos, unit| {
        let len = unit_len(chars, pos);
        // A bigram straddling the edge of a matched word weighs nothing, but it still links
        // the words on either side into a phrase when a clause has them side by side.
        let bridge = len == 2 && edge[pos + 1] && is_cjk(chars[pos]);
        // One Latin letter or digit carries nothing ("s", "5").
        if len < 2 && !is_cjk(chars[pos]) {
            return;
        }
        let generic = mask[pos..pos + len].contains(&Mask::Generic);
        units.push(ContentUnit { unit, pos, len, generic, bridge });
    });
    units
}

/// Unknown Latin/digit words of two or more characters; a whole unknown word counts once.
fn count_unknown_latin(chars: &[char], covered: &[bool], mask: &[Mask]) -> usize {
    let mut words = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i - start >= 2 && (start..i).all(|k| !covered[k] && mask[k] == Mask::Content) {
                words += 1;
            }
        } else {
            i += 1;
        }
    }
    words
}

fn word_boundary(chars: &[char], s: usize, e: usize) -> bool {
    let before = s == 0 || !chars[s - 1].is_ascii_alphanumeric();
    let after = e >= chars.len() || !chars[e].is_ascii_alphanumeric();
    before && after
}

/// Where the English word `chars[s..e]` ends if it continues with an inflection:
/// -s, -es, -ed, -ing, -er, -ers (and -d, -r, -rs after a final e). Only words of three or
/// more letters: "ai" + "d" is another word. The automaton prefers a longer pattern at the
/// same start, so a lexicon entry for the inflected form itself ("funding") still wins.
fn inflected(chars: &[char], s: usize, e: usize) -> Option<usize> {
    let word_start = chars[..e].iter().rposition(|c| !c.is_ascii_alphabetic()).map_or(0, |i| i + 1);
    if e - word_start.max(s) < 3 || (s > 0 && chars[s - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let end = chars[e..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(chars.len(), |i| e + i);
    let suffix: String = chars[e..end].iter().collect();
    let after_e = chars[e - 1] == 'e';
    let ok = match suffix.as_str() {
        "s" | "es" | "ed" | "ing" | "er" | "ers" => true,
        "d" | "r" | "rs" => after_e,
        _ => false,
    };
    ok.then_some(end)
}

/// A unit's length in characters: a bigram, or a whole Latin/digit token.
fn unit_len(chars: &[char], pos: usize) -> usize {
    if is_cjk(chars[pos]) {
        2
    } else {
        chars[pos..].iter().take_while(|c| **c != ' ' && !is_cjk(**c)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn unknown_runs_count_their_uncommon_characters() {
        let common = |w: &str| matches!(w, "被" | "太" | "怎么办");
        // (name, run, characters that count as an unknown topic)
        let cases = [
            ("a function word leaves one character: grammar", "被人", 0),
            ("an adverb before an adjective", "太难", 0),
            ("a common word", "怎么办", 0),
            ("a topic noun", "社保", 2),
            ("a topic noun after a function word", "被社保", 2),
        ];
        for (name, run, want) in cases {
            let chars: Vec<char> = run.chars().collect();
            assert_eq!(uncommon(&chars, &common), want, "{name}: {run}");
        }
    }

    #[test]
    fn years_named() {
        // (name, question, years)
        let cases: [(&str, &str, &[&str]); 6] = [
            ("a year", "2023年深圳时尚产业增加值是多少", &["2023"]),
            ("a range", "2020-2024 action plan", &["2020", "2024"]),
            ("the same year twice", "2025年目标，2025年以后呢", &["2025"]),
            ("an amount", "项目投了2000万", &[]),
            ("a proposal number", "第2023027号提案", &[]),
            ("a year outside the documents' era", "1998年", &[]),
        ];
        for (name, question, want) in cases {
            let chars: Vec<char> = question.chars().collect();
            assert_eq!(years(&chars), want, "{name}");
        }
    }

    #[test]
    fn question_intents() {
        let engine = Engine::new();
        // (name, question, intent expected)
        let cases = [
            ("money alone asks for an amount", "工业设计中心能拿多少钱", Some(Intent::Amount)),
            ("a department asked about money", "补贴找哪个部门", Some(Intent::Who)),
            ("a date asked about a reward", "奖励什么时候到期", Some(Intent::When)),
            ("a place asked about a subsidy", "补助在哪个区申请", Some(Intent::Where)),
            ("the money word after the question phrase", "哪个部门发奖励", Some(Intent::Who)),
            ("two other phrases: the first one", "哪个部门什么时候发文", Some(Intent::Who)),
            ("conditions asked about a reward", "专卖店奖励要满足什么条件", Some(Intent::Condition)),
            ("a threshold", "工业设计中心认定的门槛", Some(Intent::Condition)),
            ("whom to phone", "有问题打电话找谁", Some(Intent::Contact)),
            ("materials to hand in", "申请要准备哪些材料", Some(Intent::Procedure)),
            ("materials a product is made of", "重点研发哪些材料", None),
            ("no question phrase", "珠宝首饰", None),
            ("when asked in English", "When does the plan expire?", Some(Intent::When)),
            ("when after another clause", "Is it in force, and when does it expire?", Some(Intent::When)),
            ("when as a conjunction", "What reward is given when a spot is rated 5A?", None),
            ("when as a conjunction after an amount question", "How much is paid when a company moves here?", Some(Intent::Amount)),
            ("a count asked", "要培育几个设计中心", Some(Intent::Target)),
            ("a count given roughly", "我们二十几个人做首饰，有补贴吗", Some(Intent::Amount)),
        ];
        for (name, question, want) in cases {
            assert_eq!(Reading::new(&engine.rules, engine.latin_rules(), &engine.lib.t2s, question).intent, want, "{name}");
        }
    }

    #[test]
    fn who_asks_and_how_they_ask() {
        let engine = Engine::new();
        // (name, question, described text, a greeting or talk to the assistant, content)
        let cases = [
            ("self-description to the pause", "我们是龙华的一家眼镜厂，想上自动化生产线", "龙华的一家眼镜厂", false, None),
            ("self-description to the need", "我们是做皮鞋的想申请展会补贴", "皮鞋的", false, None),
            ("no self-description", "眼镜厂想上自动化生产线", "", false, None),
            ("a description opening the question after places", "龙岗横岗区一家眼镜厂，想上自动化生产线", "眼镜厂", false, None),
            ("一家 elsewhere is content", "想在福田开一家眼镜店，有补贴吗", "", false, None),
            ("a verb asked yes or no is grammar", "管不管设计师", "", false, Some("设计师")),
            ("so is a closing negation", "有扶持没", "", false, Some("扶持")),
            ("a greeting", "你好", "", true, Some("")),
            ("talk to the assistant", "你是机器人吗", "", true, Some("")),
        ];
        for (name, question, described, chat, content) in cases {
            let reading = Reading::new(&engine.rules, engine.latin_rules(), &engine.lib.t2s, question);
            let norm: Vec<char> = normalize(question, &engine.lib.t2s).chars().collect();
            let got: String = norm.iter().zip(&reading.described).filter(|(_, &d)| d).map(|(c, _)| c).collect();
            assert_eq!(got, described, "{name}");
            assert_eq!(reading.chat, chat, "{name}");
            if let Some(content) = content {
                let got: String = reading.chars.iter().filter(|c| **c != ' ').collect();
                assert_eq!(got, content, "{name}");
            }
        }
    }

    #[test]
    fn unknown_topics() {
        let engine = Engine::new();
        // (name, question, whether words no document has count against it, a trade no document covers)
        let cases = [
            ("a district's suffix belongs to its name", "光明区做手表的企业有什么鼓励", false, false),
            ("a city's suffix too", "深圳市做手表的企业有什么鼓励", false, false),
            ("a complement after a verb is grammar", "工厂搬到光明有补贴吗", false, false),
            ("a trade no document covers", "光明区做钢铁的企业有什么鼓励", true, true),
            ("a topic no document has", "养老院有补贴吗", true, false),
        ];
        for (name, question, missing, foreign) in cases {
            let query = engine.read(question);
            assert_eq!(query.missing > 0.0, missing, "{name}: missing {}", query.missing);
            assert_eq!(query.foreign_trade, foreign, "{name}");
        }
    }

    #[test]
    fn english_inflections() {
        // (name, text, matched word as char range, accepted)
        let cases: &[(&str, &str, (usize, usize), bool)] = &[
            ("plural", "upgrades", (0, 7), true),
            ("-es plural", "taxes", (0, 3), true),
            ("-ing", "opening now", (0, 4), true),
            ("-ed", "funded", (0, 4), true),
            ("-d after e", "provided", (0, 7), true),
            ("-rs after e", "manufacturers", (0, 11), true),
            ("-d without e is another word", "bandd", (0, 4), false),
            ("two-letter word", "aid", (0, 2), false),
            ("other ending", "capital", (0, 3), false),
            ("inside a longer word", "xupgrades", (1, 8), false),
            ("multi-word pattern, last word inflected", "first stores", (0, 11), true),
        ];
        for &(name, text, (s, e), want) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(word_boundary(&chars, s, e) || inflected(&chars, s, e).is_some(), want, "{name}");
        }
        // The match then covers the whole word, so its ending is not read as an unknown word.
        assert_eq!(inflected(&"attending now".chars().collect::<Vec<_>>(), 0, 6), Some(9));
    }
}
