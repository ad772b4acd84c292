//! The bigram index over the clauses, built at start-up, and the look-ups a question makes in it:
//! which clauses hold its units and keywords, and how much each of its words weighs.

use crate::format::Kb;
use crate::normalize::{for_each_unit, normalize, T2s, Unit};

use super::read::Reading;

/// Weight of a section title's words relative to the clause's own words.
const TITLE_TF: f32 = 0.5;
/// Weight of the document title's words: a question naming a document (its number, its
/// proposal) reaches every clause of it, and the other words pick the clause.
const DOC_TF: f32 = 0.3;
/// Extra weight of a numbered clause's own heading (（三）黄金珠宝产业特色化健康化发展。): the
/// clause is about what its heading names, not merely mentioning it in a list.
const HEADING_TF: f32 = 0.5;
/// Weight of a concept reached only through a user's synonym.
const CONCEPT_WEIGHT: f32 = 0.9;
/// Weight of content words so common in policy text that they should barely count (企业, 政策).
const GENERIC_WEIGHT: f32 = 0.25;

/// The clauses' words: their normalised texts, keyword texts, headings and bigram postings.
pub(super) struct Index {
    /// Keyword texts, by keyword index.
    terms: Vec<String>,
    /// Normalised clause texts.
    pub norms: Vec<String>,
    /// Per clause: the length of its heading (see `heading`) at the start of its normalised text.
    heading_len: Vec<usize>,
    units: UnitIndex,
    /// Per clause: its length in units.
    pub clause_len: Vec<f32>,
    pub avg_len: f32,
}

/// A clause a keyword occurs in, and whether in the clause's heading.
#[derive(Clone, Copy)]
pub(super) struct Hit {
    pub clause: u32,
    pub in_heading: bool,
}

#[derive(Clone, Copy)]
pub(super) struct Posting {
    pub clause: u32,
    pub tf: f32,
}

impl Index {
    /// Stage three of start-up: the bigram index over the folded clause texts.
    pub(super) fn new(kb: &Kb, norms: Vec<String>, terms: Vec<String>, t2s: &T2s) -> Index {
        // A prefix of the text folds to a prefix of the folded text: the heading is a length.
        let heading_len: Vec<usize> = kb.clauses.iter().map(|c| normalize(heading(&c.text), t2s).len()).collect();
        let (units, clause_len) = index_units(kb, &norms, &heading_len, t2s);
        let avg_len = (clause_len.iter().sum::<f32>() / clause_len.len().max(1) as f32).max(1.0);
        Index { terms, norms, heading_len, units, clause_len, avg_len }
    }

    pub(super) fn term(&self, keyword: u32) -> &str {
        &self.terms[keyword as usize]
    }

    /// Whether some clause has the two characters side by side.
    pub(super) fn has_pair(&self, a: char, b: char) -> bool {
        self.units.get(crate::normalize::bigram(a, b)).is_some()
    }

    /// The keywords' texts.
    pub(super) fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The clauses holding a unit, in clause order.
    pub(super) fn postings(&self, unit: Unit) -> Option<&[Posting]> {
        self.units.get(unit)
    }

    pub(super) fn idf(&self, df: usize) -> f32 {
        let n = self.norms.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// Weight of something the documents never say: as specific as the rarest word.
    fn unknown_weight(&self) -> f32 {
        self.idf(1)
    }

    /// Clauses whose normalised text contains `keyword`, and whether their heading does: the
    /// rarest of its units narrows the candidates, `find_word` confirms. Done per question
    /// rather than stored, which keeps postings out of the download.
    pub(super) fn keyword_hits(&self, keyword: u32) -> Vec<Hit> {
        let term = self.term(keyword);
        let mut rarest: Option<&[Posting]> = None;
        for_each_unit(term, |_, unit| {
            let postings = self.units.get(unit).unwrap_or(&[]);
            if rarest.map_or(true, |r| postings.len() < r.len()) {
                rarest = Some(postings);
            }
        });
        let hit = |clause: u32| {
            // The first occurrence is in the heading if any is: the heading is a prefix.
            let heading_len = self.heading_len[clause as usize];
            find_word(&self.norms[clause as usize], term).map(|at| Hit { clause, in_heading: at + term.len() <= heading_len })
        };
        match rarest {
            Some(candidates) => candidates.iter().filter_map(|p| hit(p.clause)).collect(),
            None => (0..self.norms.len() as u32).filter_map(hit).collect(),
        }
    }

    /// A read question with what the index says of its words: the clauses holding each, and
    /// weights by how rare they are. `concept_keywords` maps a concept to its keywords.
    pub(super) fn look_up(&self, reading: Reading, concept_keywords: &[Vec<u32>], common: &dyn Fn(&str) -> bool) -> Query {
        // Loops rather than `map(…).collect()`: each closure would be code of its own in the download.
        let mut keywords = Vec::with_capacity(reading.keywords.len());
        for &(keyword, len) in &reading.keywords {
            keywords.push(self.weigh_keyword(keyword, len));
        }
        let mut concepts = Vec::with_capacity(reading.concepts.len());
        for &(concept, synonym) in &reading.concepts {
            concepts.push(self.weigh_concept(concept, synonym, &concept_keywords[concept as usize]));
        }
        let (units, covered) = self.weigh_units(&reading);
        // Content the documents never use counts against every clause: a question about
        // 公积金 is not answered by a clause that merely shares 提取.
        let (unknown_cjk, unknown_latin_words) = reading.unexplained(&covered, common);
        #[cfg(not(target_arch = "wasm32"))]
        let unknown_runs = reading.unexplained_runs(&covered, common);
        let (outside, foreign_trade) = (reading.elsewhere, reading.foreign_trade(&covered, common));
        // An English question carries more function and modifier words the dictionary has no
        // entry for (regularly, opened) than a Chinese one: an unknown English word counts half.
        let missing = (unknown_cjk as f32 / 2.0 + unknown_latin_words as f32 * LATIN_UNKNOWN) * self.unknown_weight();
        let mut seen: Vec<Unit> = Vec::new();
        let mut total = 0.0;
        for u in &units {
            if !seen.contains(&u.unit) {
                seen.push(u.unit);
                total += u.weight;
            }
        }
        total += concepts.iter().filter(|c| c.synonym).map(|c| c.weight).sum::<f32>();
        // Talk to the assistant with no topic besides (你好, 你是谁) asks for no clause.
        let chat = reading.chat && keywords.is_empty() && concepts.is_empty();
        Query { chars: reading.chars, units, keywords, concepts, intent: reading.intent, places: reading.places, years: reading.years, missing, total_weight: if chat { 0.0 } else { total + missing }, chat, outside, foreign_trade, specific: reading.specific, latin: 0.0, phrases: Vec::new(), #[cfg(not(target_arch = "wasm32"))] unknown_runs }
    }

    /// A keyword matched over `len` characters: longer words are more specific.
    fn weigh_keyword(&self, keyword: u32, len: usize) -> KeywordHits {
        let hits = self.keyword_hits(keyword);
        let weight = self.idf(hits.len()) * (len as f32 - 1.0).max(1.0).sqrt();
        KeywordHits { keyword, weight, hits }
    }

    /// A concept weighs as its rarest keyword. Reached through a user's synonym, each keyword
    /// weighs between its own rarity and the whole concept's (how many clauses speak of it in
    /// any of its words): a clause that says 首饰 is nearly as much about jewellery as one that
    /// says 珠宝.
    fn weigh_concept(&self, concept: u32, synonym: bool, keywords: &[u32]) -> ConceptHits {
        let mut hits = Vec::with_capacity(keywords.len());
        for &keyword in keywords {
            let h = self.keyword_hits(keyword);
            hits.push(KeywordHits { keyword, weight: self.idf(h.len()) * CONCEPT_WEIGHT, hits: h });
        }
        if synonym {
            // Loops rather than `flat_map(…).collect()`: each closure is code of its own in the download.
            let mut clauses: Vec<u32> = Vec::new();
            for h in &hits {
                for x in &h.hits {
                    clauses.push(x.clause);
                }
            }
            clauses.sort_unstable();
            clauses.dedup();
            let whole = self.idf(clauses.len()) * CONCEPT_WEIGHT;
            for h in &mut hits {
                h.weight = (h.weight * whole).sqrt();
            }
        }
        let weight = hits.iter().map(|h| h.weight).fold(0.0, f32::max);
        ConceptHits { concept, weight, synonym, keywords: hits }
    }

    /// The content units some clause has, weighted; and the question's characters explained by
    /// them or by a matched word.
    fn weigh_units(&self, reading: &Reading) -> (Vec<QueryUnit>, Vec<bool>) {
        let mut covered = reading.explained.clone();
        let mut units = Vec::new();
        for u in &reading.units {
            let df = self.units.get(u.unit).map_or(0, <[Posting]>::len);
            if df == 0 {
                continue;
            }
            let described = reading.described[u.pos..u.pos + u.len].iter().all(|&d| d);
            let factor = if described { DESCRIBED_WEIGHT } else if u.generic { GENERIC_WEIGHT } else { 1.0 };
            let weight = if u.bridge { 0.0 } else { self.idf(df) * factor };
            if !u.bridge {
                covered[u.pos..u.pos + u.len].iter_mut().for_each(|x| *x = true);
            }
            units.push(QueryUnit { unit: u.unit, pos: u.pos, len: u.len, weight });
        }
        (units, covered)
    }
}

/// A question as ranking sees it: its words, where they occur and what they weigh.
/// What an unknown English word weighs against an unknown pair of Chinese characters.
const LATIN_UNKNOWN: f32 = 0.5;

/// A self-description's words say who asks: they barely choose the clause.
const DESCRIBED_WEIGHT: f32 = 0.2;

pub(super) struct Query {
    /// The phrases the question quotes, normalised (set by the engine from the question as typed).
    pub phrases: Vec<String>,
    /// The unexplained runs, for `explain`.
    #[cfg(not(target_arch = "wasm32"))]
    pub unknown_runs: Vec<(String, usize)>,
    /// The question's content (see `Reading::chars`).
    pub chars: Vec<char>,
    /// Content units some clause has, in question order.
    pub units: Vec<QueryUnit>,
    /// Keywords of the documents the question names, in question order (repeats included).
    pub keywords: Vec<KeywordHits>,
    /// Concepts the question names, by concept index.
    pub concepts: Vec<ConceptHits>,
    pub intent: Option<crate::format::Intent>,
    /// See `Reading::places`.
    pub places: Vec<(String, bool)>,
    /// See `Reading::years`.
    pub years: Vec<String>,
    /// Weight of the content no clause has (part of `total_weight`; `explain` shows it).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub missing: f32,
    /// Weight of the whole question, `missing` included: coverage is a share of it.
    pub total_weight: f32,
    /// Only greetings or talk to the assistant: nothing to look for.
    pub chat: bool,
    /// The question names a kind of support the documents do not speak of (所得税).
    pub outside: bool,
    /// The question names its trade with a word the documents never use (钢铁企业): outside the
    /// scope of every document but those for any trade.
    pub foreign_trade: bool,
    /// The question wants the fact itself (具体奖励多少钱): a clause without it cannot answer.
    pub specific: bool,
    /// The share of the question's letters that are Latin, as typed (before English became
    /// the documents' words): an English question explains less of itself through no fault of
    /// the clause.
    pub latin: f32,
}

pub(super) struct QueryUnit {
    pub unit: Unit,
    /// Position and length in `Query::chars`.
    pub pos: usize,
    pub len: usize,
    pub weight: f32,
}

pub(super) struct KeywordHits {
    pub keyword: u32,
    pub weight: f32,
    pub hits: Vec<Hit>,
}

pub(super) struct ConceptHits {
    /// Read by `explain`.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub concept: u32,
    pub weight: f32,
    /// Reached through a user's synonym rather than the documents' word: then it also stands
    /// for those words in the question's weight.
    pub synonym: bool,
    /// Its keywords, each with the weight it gives a clause.
    pub keywords: Vec<KeywordHits>,
}

impl Query {
    /// The words of a unit, as the user typed them (normalised).
    pub(super) fn unit_text(&self, unit: usize) -> String {
        let QueryUnit { pos, len, .. } = self.units[unit];
        self.chars[pos..pos + len].iter().collect()
    }
}

/// A numbered clause's heading: its first sentence when the clause opens with a number
/// (（三）, (3), 14.) and that sentence is short; empty for any other clause.
fn heading(text: &str) -> &str {
    let numbered = text.chars().next().is_some_and(|c| c == '（' || c == '(' || c.is_ascii_digit());
    match text.find("。") {
        Some(end) if numbered && text[..end].chars().count() <= 40 => &text[..end],
        _ => "",
    }
}

/// Where `term` first occurs in `text` as a word. A word that starts with a measure word does not
/// where a numeral precedes it: the 家 of 培育1-2家具有国际竞争力的会展集团 counts companies,
/// and that clause says nothing of 家具 (furniture).
fn find_word(text: &str, term: &str) -> Option<usize> {
    // Plain `match`es rather than char-set patterns: each pattern type is code of its own in
    // every visitor's download.
    let measure = |c: char| matches!(c, '家' | '个' | '项' | '名' | '位' | '件' | '款' | '批' | '所' | '座' | '种');
    let numeral = |c: char| c.is_ascii_digit() || matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千' | '万' | '两' | '几');
    if !term.chars().next().is_some_and(measure) {
        return text.find(term);
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(term) {
        if !text[..from + i].chars().next_back().is_some_and(numeral) {
            return Some(from + i);
        }
        from += i + term.len();
    }
    None
}

/// The bigram index over every clause's text, its section titles (weighted `TITLE_TF`), its
/// document's title (`DOC_TF`) and its heading (`HEADING_TF` more), and each clause's length
/// in units.
#[inline(never)]
fn index_units(kb: &Kb, norms: &[String], heading_len: &[usize], t2s: &T2s) -> (UnitIndex, Vec<f32>) {
    let mut index = UnitIndex::builder();
    let mut clause_len = Vec::with_capacity(kb.clauses.len());
    // Titles are shared by many clauses: fold, split and look up each once, not once per clause.
    let mut slots_of = |text: &str| {
        let mut v = Vec::new();
        for_each_unit(&normalize(text, t2s), |_, u| v.push(index.slot(u)));
        v
    };
    let section_slots: Vec<Vec<u32>> = kb.sections.iter().map(|s| slots_of(&s.title)).collect();
    let doc_slots: Vec<Vec<u32>> = kb.docs.iter().map(|d| slots_of(&d.title)).collect();
    for (i, clause) in kb.clauses.iter().enumerate() {
        let ci = i as u32;
        let mut len = 0.0;
        for_each_unit(&norms[i], |_, u| {
            let slot = index.slot(u);
            index.add(slot, ci, 1.0);
            len += 1.0;
        });
        let mut sec = clause.section;
        while let Some(s) = sec {
            section_slots[s as usize].iter().for_each(|&slot| index.add(slot, ci, TITLE_TF));
            sec = kb.sections[s as usize].parent;
        }
        doc_slots[clause.doc as usize].iter().for_each(|&slot| index.add(slot, ci, DOC_TF));
        for_each_unit(norms[i].get(..heading_len[i]).unwrap_or(""), |_, u| {
            let slot = index.slot(u);
            index.add(slot, ci, HEADING_TF);
        });
        clause_len.push(len);
    }
    (index.finish(), clause_len)
}

/// Unit → postings: an open-addressing table from unit to a dense slot, and each slot's postings
/// in clause order. Built in linear time, no sort: start-up runs once, in the browser's baseline
/// compiler, so every pass over the ~60,000 occurrences counts.
struct UnitIndex {
    /// Power-of-two sized, at most half full; `(unit, slot + 1)`, 0 = empty.
    table: Vec<(Unit, u32)>,
    /// `starts[s]..starts[s + 1]` are slot `s`'s postings.
    starts: Vec<u32>,
    postings: Vec<Posting>,
}

impl UnitIndex {
    fn builder() -> IndexBuilder {
        IndexBuilder { idx: UnitIndex { table: vec![(0, 0); 1024], starts: Vec::new(), postings: Vec::new() }, occ: Vec::new(), count: Vec::new() }
    }

    /// The table position holding `u`, or the empty one where it would go.
    fn probe(&self, u: Unit) -> usize {
        let mask = self.table.len() - 1;
        let mut i = (u.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        while self.table[i].1 != 0 && self.table[i].0 != u {
            i = (i + 1) & mask;
        }
        i
    }

    fn get(&self, u: Unit) -> Option<&[Posting]> {
        let slot = self.table[self.probe(u)].1.checked_sub(1)? as usize;
        Some(&self.postings[self.starts[slot] as usize..self.starts[slot + 1] as usize])
    }
}

/// Collects occurrences, then lays postings out slot by slot.
struct IndexBuilder {
    idx: UnitIndex,
    /// `(slot, clause, tf)` for every occurrence, in clause order.
    occ: Vec<(u32, u32, f32)>,
    /// Occurrences per slot.
    count: Vec<u32>,
}

impl IndexBuilder {
    /// The dense slot of `u`, assigned on first sight.
    fn slot(&mut self, u: Unit) -> u32 {
        if 2 * (self.count.len() + 1) > self.idx.table.len() {
            self.grow();
        }
        let i = self.idx.probe(u);
        if self.idx.table[i].1 == 0 {
            self.count.push(0);
            self.idx.table[i] = (u, self.count.len() as u32);
        }
        self.idx.table[i].1 - 1
    }

    /// Records one occurrence; clauses must come in increasing order.
    fn add(&mut self, slot: u32, clause: u32, tf: f32) {
        self.count[slot as usize] += 1;
        self.occ.push((slot, clause, tf));
    }

    fn grow(&mut self) {
        let size = 2 * self.idx.table.len();
        let old = std::mem::replace(&mut self.idx.table, vec![(0, 0); size]);
        for e in old.into_iter().filter(|e| e.1 != 0) {
            let i = self.idx.probe(e.0);
            self.idx.table[i] = e;
        }
    }

    #[inline(never)]
    fn finish(mut self) -> UnitIndex {
        // Each slot gets room for all its occurrences; occurrences of one unit in one clause
        // are summed into one posting as they come (clause order), then the gaps are closed.
        let mut fill: Vec<u32> = Vec::with_capacity(self.count.len());
        let mut start = 0;
        for c in &self.count {
            fill.push(start);
            start += c;
        }
        let bounds = fill.clone();
        let postings = &mut self.idx.postings;
        postings.resize(self.occ.len(), Posting { clause: u32::MAX, tf: 0.0 });
        for &(slot, clause, tf) in &self.occ {
            let f = &mut fill[slot as usize];
            if *f > bounds[slot as usize] && postings[*f as usize - 1].clause == clause {
                postings[*f as usize - 1].tf += tf;
            } else {
                postings[*f as usize] = Posting { clause, tf };
                *f += 1;
            }
        }
        let mut to = 0;
        for (s, &b) in bounds.iter().enumerate() {
            self.idx.starts.push(to as u32);
            postings.copy_within(b as usize..fill[s] as usize, to);
            to += (fill[s] - b) as usize;
        }
        self.idx.starts.push(to as u32);
        postings.truncate(to);
        postings.shrink_to_fit();
        self.idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    /// (name, occurrences as (unit, clause, tf), unit looked up, expected (clause, tf) postings)
    type Case = (&'static str, Vec<(Unit, u32, f32)>, Unit, Option<Vec<(u32, f32)>>);

    #[test]
    fn words_in_clause_text() {
        // (name, text, word, occurs)
        let cases = [
            ("plain", "推动家具产业升级", "家具", true),
            ("a measure word after a numeral", "培育1-2家具有国际竞争力的会展集团", "家具", false),
            ("after a Chinese numeral", "培育三家具有竞争力的企业", "家具", false),
            ("one of two occurrences is the word", "培育3家具有实力的企业和家具品牌", "家具", true),
            ("not after a numeral", "引导家具企业", "家具", true),
            ("a company name", "某某家具有限公司", "家具", true),
            ("other words are plain substrings", "18项具体工作", "具体", true),
            ("absent", "会展集团", "家具", false),
        ];
        for (name, text, word, want) in cases {
            assert_eq!(find_word(text, word).is_some(), want, "{name}");
        }
    }

    #[test]
    fn keyword_hits_know_the_heading() {
        let engine = Engine::new();
        let hit = |term: &str, clause: &str| {
            let keyword = engine.index.terms.iter().position(|t| t == term).unwrap_or_else(|| panic!("keyword {term}"));
            let c = engine.library().clause_index(clause).unwrap_or_else(|| panic!("clause {clause}"));
            engine.index.keyword_hits(keyword as u32).iter().find(|h| h.clause as usize == c).map(|h| h.in_heading)
        };
        // (name, keyword, clause id, None when the clause lacks it, else whether in its heading)
        let cases = [
            ("in the heading", "黄金珠宝", "003-2.3", Some(true)),
            ("in the body of a numbered clause", "黄金珠宝", "003-3.1", Some(false)),
            ("a clause without a heading", "增加值", "003-2", Some(false)),
            ("a measure word after a numeral", "家具", "003-2.7", None),
        ];
        for (name, term, clause, want) in cases {
            assert_eq!(hit(term, clause), want, "{name}");
        }
    }

    #[test]
    fn clause_headings() {
        // (name, clause text, heading)
        let cases = [
            ("numbered with brackets", "（三）黄金珠宝产业特色化健康化发展。推动创意设计。", "（三）黄金珠宝产业特色化健康化发展"),
            ("half-width brackets", "(三)品牌国际化。促进企业夯实质量基础。", "(三)品牌国际化"),
            ("numbered item", "14.推动企业实施国际化战略。鼓励企业。", "14.推动企业实施国际化战略"),
            ("not numbered", "到2025年，我市现代时尚产业增加值达到420亿元。", ""),
            ("no full stop", "（一）发展现状", ""),
            ("first sentence too long to be a heading", "1.一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一。后文。", ""),
        ];
        for (name, text, want) in cases {
            assert_eq!(heading(text), want, "{name}");
        }
    }

    #[test]
    fn unit_index() {
        // Enough distinct units to make the table grow several times, with colliding low bits.
        let many: Vec<(Unit, u32, f32)> = (0..5000u64).map(|u| (u << 40, (u / 100) as u32, 1.0)).collect();
        let cases: Vec<Case> = vec![
            ("absent unit", vec![(1, 0, 1.0)], 2, None),
            ("one occurrence", vec![(7, 3, 1.0)], 7, Some(vec![(3, 1.0)])),
            ("repeats in a clause are summed", vec![(7, 0, 1.0), (8, 0, 1.0), (7, 0, 0.5), (7, 2, 0.3)], 7, Some(vec![(0, 1.5), (2, 0.3)])),
            ("interleaved units keep their own postings", vec![(1, 0, 1.0), (2, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)], 2, Some(vec![(0, 1.0), (2, 1.0)])),
            ("after the table grew", many.clone(), 4321 << 40, Some(vec![(43, 1.0)])),
            ("first unit after growth", many, 0, Some(vec![(0, 1.0)])),
        ];
        for (name, occ, unit, want) in cases {
            let mut b = UnitIndex::builder();
            occ.iter().for_each(|&(u, c, tf)| {
                let slot = b.slot(u);
                b.add(slot, c, tf)
            });
            let idx = b.finish();
            let got = idx.get(unit).map(|p| p.iter().map(|p| (p.clause, p.tf)).collect::<Vec<_>>());
            assert_eq!(got, want, "{name}");
        }
    }
}
