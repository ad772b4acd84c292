//! Ranking: every clause scored against a looked-up question, in four phases: text evidence
//! (BM25 over character bigrams, plus runs of consecutive matched bigrams: phrases) → keyword
//! and concept evidence → document factors (in force, replaced) → final adjustments (intent
//! fit, place consistency, sign-offs). Coverage, the share of the question's weight a clause
//! explains, is what later decides whether it answers.

use crate::format::{FactKind, Intent, Kb, Role};
use crate::normalize::Unit;

use super::index::{ConceptHits, KeywordHits, Query};
use super::output::ValidityStatus;
use crate::sort::sort_by;
use super::Engine;

// Ranking constants. Tuned on the whole development set at once, never per question.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A keyword in a clause's heading counts this much more than in its body.
const HEADING_BONUS: f32 = 0.5;
/// Bonus per consecutive matched bigram, as a share of the bigram's weight.
const RUN_BONUS: f32 = 0.6;
/// A long exact phrase counts even when its words are common (时尚产业大数据中心).
const RUN_FLOOR: f32 = 1.0;
/// Extra credit when the question contains a keyword of the documents verbatim.
const KEYWORD_BONUS: f32 = 0.3;
const INTENT_BOOST: f32 = 1.5;
/// A clause that says every phrase the question quotes, as written.
const QUOTE_BOOST: f32 = 1.5;
/// What ends a sentence.
const SENTENCE_ENDS: [char; 6] = ['。', ';', '；', '!', '?', '\n'];
/// A concept the question names in a user's word (直播带货, livestream) stands in for the
/// document's word, which would also have scored as text and as a keyword: without this a
/// plain "support" word the documents use outweighs the colloquial topic word.
const SYNONYM_FACTOR: f32 = 1.5;
/// Share of a letter's opening score its sign-off inherits for who/when questions.
const LETTER_SHARE: f32 = 0.95;
const REPLACED_FACTOR: f32 = 0.6;
const IN_FORCE_FACTOR: f32 = 1.1;
const PLACE_PENALTY: f32 = 0.35;
/// A letter's sign-off answers little but who and when.
const CLOSING_FACTOR: f32 = 0.9;

/// A clause with its score and coverage.
pub(super) struct Ranked {
    pub clause: u32,
    pub score: f32,
    pub coverage: f32,
    /// Question units (indices into `Query::units`) and keywords that matched; turned into
    /// words only for what is shown.
    pub units: Vec<usize>,
    pub keywords: Vec<u32>,
    /// Weight of the question's keywords and concepts this clause has, and of those in its
    /// heading: whether the question's topic is what the clause is about.
    pub topic: f32,
    pub heading: f32,
    /// Whether the places the question names are in the clause's scope.
    pub place_ok: bool,
    /// Whether the clause, its sections or its document name each year the question names.
    pub year_ok: bool,
    /// Whether the trade the question names is in the document's scope.
    pub trade_ok: bool,
    /// Whether the clause carries the kind of fact the question asks for.
    pub fits: bool,
}

/// What ranking knows of the documents that no question changes: worked out at start-up.
pub(super) struct DocFacts {
    /// Per document: `REPLACED_FACTOR` when another document replaces it, else 1.
    replaced_factor: Vec<f32>,
    /// (opening clause, sign-off clause) of each letter: the sign-off (issuer, date) answers
    /// "who" and "when" for the whole letter.
    sign_offs: Vec<(usize, usize)>,
}

impl DocFacts {
    pub(super) fn new(kb: &Kb) -> DocFacts {
        let mut replaced_factor = Vec::with_capacity(kb.docs.len());
        for d in &kb.docs {
            let replaced = kb.docs.iter().any(|o| o.meta.replaces.iter().any(|r| r == &d.id || r == &d.file));
            replaced_factor.push(if replaced { REPLACED_FACTOR } else { 1.0 });
        }
        // Each letter's last closing clause; an opening takes its own letter's.
        let mut last_closing = vec![usize::MAX; kb.docs.len()];
        for (i, clause) in kb.clauses.iter().enumerate() {
            if clause.role == Role::Closing {
                last_closing[clause.doc as usize] = i;
            }
        }
        let mut sign_offs = Vec::new();
        for (i, clause) in kb.clauses.iter().enumerate() {
            let closing = last_closing[clause.doc as usize];
            if clause.role == Role::Head && closing != usize::MAX {
                sign_offs.push((i, closing));
            }
        }
        DocFacts { replaced_factor, sign_offs }
    }
}

/// Per clause: its score so far, the question weight it explains and what matched.
struct Evidence {
    score: Vec<f32>,
    explained: Vec<f32>,
    topic: Vec<f32>,
    heading: Vec<f32>,
    units: Vec<Vec<usize>>,
    keywords: Vec<Vec<u32>>,
}

impl Engine {
    /// Every clause with a positive score, best first.
    pub(super) fn rank(&self, query: &Query, today: &str) -> Vec<Ranked> {
        if query.total_weight <= 0.0 {
            return Vec::new();
        }
        let mut evidence = self.text_evidence(query);
        self.keyword_evidence(query, &mut evidence);
        if asks_who_or_when(query) {
            self.sign_off_evidence(&mut evidence);
        }
        let doc_factor = self.doc_factors(today);
        let mut ranked = self.adjust(query, evidence, &doc_factor);
        sort_by(&mut ranked, &mut |a, b| b.score.total_cmp(&a.score).then(a.clause.cmp(&b.clause)).is_lt());
        ranked
    }

    /// BM25 over the question's units, with a bonus for each run of consecutive ones.
    fn text_evidence(&self, query: &Query) -> Evidence {
        let n = self.lib.kb.clauses.len();
        let mut ev = Evidence { score: vec![0.0; n], explained: vec![0.0; n], topic: vec![0.0; n], heading: vec![0.0; n], units: vec![Vec::new(); n], keywords: vec![Vec::new(); n] };
        let mut last_pos = vec![usize::MAX; n];
        let mut run = vec![0u32; n];
        let mut seen_units: Vec<Unit> = Vec::new();
        for (unit_index, unit) in query.units.iter().enumerate() {
            let Some(postings) = self.index.postings(unit.unit) else { continue };
            let first = !seen_units.contains(&unit.unit);
            seen_units.push(unit.unit);
            for p in postings {
                let c = p.clause as usize;
                if first {
                    let norm = K1 * (1.0 - B + B * self.index.clause_len[c] / self.index.avg_len);
                    ev.score[c] += unit.weight * p.tf * (K1 + 1.0) / (p.tf + norm);
                    ev.explained[c] += unit.weight;
                }
                if unit.pos > 0 && last_pos[c] == unit.pos - 1 {
                    run[c] += 1;
                    ev.score[c] += RUN_BONUS * unit.weight.max(RUN_FLOOR) * (run[c] as f32).min(4.0);
                } else {
                    run[c] = 0;
                }
                last_pos[c] = unit.pos;
                ev.units[c].push(unit_index);
            }
        }
        ev
    }

    /// The documents' keywords in the question, and the concepts it names.
    fn keyword_evidence(&self, query: &Query, ev: &mut Evidence) {
        for &KeywordHits { keyword, weight, ref hits } in &query.keywords {
            for h in hits {
                let c = h.clause as usize;
                ev.score[c] += KEYWORD_BONUS * weight * heading_factor(h.in_heading);
                ev.topic[c] += weight;
                ev.heading[c] += if h.in_heading { weight } else { 0.0 };
                ev.keywords[c].push(keyword);
            }
        }
        let n = self.lib.kb.clauses.len();
        for concept in &query.concepts {
            // Synonyms do not add up: a clause gets the concept once, via its best keyword.
            let mut best: Vec<(f32, u32, bool)> = vec![(0.0, u32::MAX, false); n];
            for &KeywordHits { keyword, weight, ref hits } in &concept.keywords {
                for h in hits {
                    let e = &mut best[h.clause as usize];
                    if weight > e.0 {
                        *e = (weight, keyword, h.in_heading);
                    }
                }
            }
            let own = own_words(query, concept);
            for (c, &(w, keyword, in_heading)) in best.iter().enumerate() {
                if keyword == u32::MAX {
                    continue;
                }
                let w = w.min(concept.weight);
                // Reached through the documents' own word, the concept stands in for it in a
                // clause that says it otherwise (门店 asked, 专柜 said): as a synonym would.
                // (`ev.keywords[c]` already holds the question's own keywords the clause has.)
                let stands_in = concept.synonym || !own.iter().any(|k| ev.keywords[c].contains(k));
                let reached = if stands_in { SYNONYM_FACTOR } else { 1.0 };
                ev.score[c] += w * heading_factor(in_heading) * reached;
                ev.topic[c] += w;
                ev.heading[c] += if in_heading { w } else { 0.0 };
                if stands_in {
                    ev.explained[c] += w;
                }
                ev.keywords[c].push(keyword);
            }
        }
    }

    /// A question that reaches a letter's opening reaches its sign-off too.
    fn sign_off_evidence(&self, ev: &mut Evidence) {
        for &(head, closing) in &self.docs.sign_offs {
            ev.score[closing] = ev.score[closing].max(ev.score[head] * LETTER_SHARE);
            ev.explained[closing] = ev.explained[closing].max(ev.explained[head]);
        }
    }

    /// Time: documents in force come first where they compete with lapsed or undated ones; a
    /// document another one replaces yields to it. Lapsed answers are still shown, flagged.
    fn doc_factors(&self, today: &str) -> Vec<f32> {
        let mut factors = Vec::with_capacity(self.lib.kb.docs.len());
        for (d, replaced) in self.lib.kb.docs.iter().zip(&self.docs.replaced_factor) {
            let in_force = !today.is_empty() && ValidityStatus::on(d.meta.valid_from.as_deref(), d.meta.valid_until.as_deref(), today) == ValidityStatus::InForce;
            factors.push(replaced * if in_force { IN_FORCE_FACTOR } else { 1.0 });
        }
        factors
    }

    /// Scores and coverage after the document factors, intent fit and places.
    fn adjust(&self, query: &Query, mut ev: Evidence, doc_factor: &[f32]) -> Vec<Ranked> {
        let who_or_when = asks_who_or_when(query);
        let mut ranked = Vec::new();
        for c in 0..self.lib.kb.clauses.len() {
            let clause = &self.lib.kb.clauses[c];
            let doc = clause.doc as usize;
            ev.score[c] *= doc_factor[doc];
            if ev.score[c] <= 0.0 {
                continue;
            }
            let mut score = ev.score[c];
            let fits = query.intent.is_some_and(|intent| self.fits(c, intent));
            if fits {
                score *= INTENT_BOOST;
            }
            if !query.phrases.is_empty() && query.phrases.iter().all(|p| self.index.norms[c].contains(p.as_str())) {
                score *= QUOTE_BOOST;
            }
            // A document's scope is normalised at build time (`compile::scopes`).
            let scope = &self.lib.kb.docs[doc].scope;
            let named = |p: &str| self.index.norms[c].contains(p) || clause.covers.contains(p);
            // A question that names the document's own region asks about it: another place it
            // names is where the asker comes from or a partner (香港设计师想来深圳开工作室).
            let here = query.places.iter().any(|(p, _)| scope.contains(p.as_str()));
            let place_ok = here || query.places.iter().all(|(p, scoped)| scope.contains(p.as_str()) || (!scoped && named(p)));
            let year_ok = query.years.iter().all(|y| self.names_year(c, y));
            let trade_ok = !query.foreign_trade || self.lib.kb.docs[doc].any_trade;
            let mut coverage = (ev.explained[c] / query.total_weight).min(1.0);
            if !year_ok {
                score *= PLACE_PENALTY;
                coverage *= PLACE_PENALTY;
            }
            if !place_ok {
                score *= PLACE_PENALTY;
                coverage *= PLACE_PENALTY;
            }
            if clause.role == Role::Closing && !who_or_when {
                score *= CLOSING_FACTOR;
            }
            let (units, keywords) = (std::mem::take(&mut ev.units[c]), std::mem::take(&mut ev.keywords[c]));
            ranked.push(Ranked { clause: c as u32, score, coverage, units, keywords, topic: ev.topic[c], heading: ev.heading[c], place_ok, year_ok, trade_ok, fits });
        }
        ranked
    }

    /// How much of what the question names clause `c` says in one sentence: 0 when each word
    /// (a keyword, or any of a concept's words) is in a different sentence (a long clause
    /// touching every topic), 1 when one sentence has them all (光明区推动钟表、内衣产业基地).
    /// Worked out for the leading candidates only: it reads their text sentence by sentence.
    pub(super) fn together(&self, c: usize, query: &Query) -> f32 {
        let norm = &self.index.norms[c];
        // A keyword that is one of a concept's words counts with the concept, not twice.
        let mut groups: Vec<Vec<&str>> = Vec::new();
        for concept in &query.concepts {
            groups.push(concept.keywords.iter().map(|k| self.index.term(k.keyword)).collect());
        }
        for k in &query.keywords {
            if !query.concepts.iter().any(|c| c.keywords.iter().any(|ck| ck.keyword == k.keyword)) {
                groups.push(vec![self.index.term(k.keyword)]);
            }
        }
        groups.retain(|g| g.iter().any(|t| norm.contains(t)));
        if groups.len() < 2 {
            return 0.0;
        }
        // The raw text, since normalising blanks the punctuation that ends a sentence.
        let mut best = 0;
        for sentence in self.lib.kb.clauses[c].text.split(SENTENCE_ENDS) {
            let sentence = crate::normalize::normalize(sentence, &self.lib.t2s);
            best = best.max(groups.iter().filter(|g| g.iter().any(|t| sentence.contains(t))).count());
        }
        best.saturating_sub(1) as f32 / (groups.len() - 1) as f32
    }

    /// Whether clause `c` speaks of `year`: in its text, a heading above it, or its document's
    /// title, number or dates (the 2020—2024 plan's clauses are all of 2020 and 2024).
    fn names_year(&self, c: usize, year: &str) -> bool {
        let kb = &self.lib.kb;
        let clause = &kb.clauses[c];
        let doc = &kb.docs[clause.doc as usize];
        let dates = [&doc.meta.number, &doc.meta.published, &doc.meta.valid_from, &doc.meta.valid_until];
        let mut section = clause.section;
        while let Some(s) = section {
            let s = &kb.sections[s as usize];
            if s.title.contains(year) {
                return true;
            }
            section = s.parent;
        }
        self.index.norms[c].contains(year) || doc.title.contains(year) || dates.iter().any(|d| d.as_deref().is_some_and(|d| d.contains(year)))
    }

    /// Whether a clause carries the kind of fact the question asks for.
    fn fits(&self, c: usize, intent: Intent) -> bool {
        let clause = &self.lib.kb.clauses[c];
        let has = |k: FactKind| clause.facts.iter().any(|f| f.kind == k);
        match intent {
            Intent::Amount => has(FactKind::Amount) || has(FactKind::Cap) || has(FactKind::Ratio),
            Intent::Who => has(FactKind::Unit) || clause.role == Role::Closing || clause.role == Role::Head,
            Intent::When => has(FactKind::Date) || has(FactKind::Validity) || has(FactKind::Deadline),
            Intent::Target => has(FactKind::Deadline) || has(FactKind::Amount) || has_quantity(&clause.text),
            Intent::Where => clause.text.contains('区') || clause.text.contains("片区") || clause.text.contains("商圈"),
            // Which document says something: the clause that says it, as its citation names
            // the document (这句话出自哪份答复 is answered by the passage with the sentence).
            Intent::Which => true,
            Intent::Procedure => PROCEDURE_WORDS.iter().any(|w| clause.text.contains(w)),
            Intent::Number => has(FactKind::Number),
            Intent::Issued => has(FactKind::Date),
            Intent::Condition => CONDITION_WORDS.iter().any(|w| clause.text.contains(w)),
            Intent::Contact => CONTACT_WORDS.iter().any(|w| clause.text.contains(w)),
        }
    }
}

/// A clause that says how to apply has one of these (most measures only say what is given).
const PROCEDURE_WORDS: [&str; 10] = ["申请材料", "申报材料", "材料清单", "申请表", "申报指南", "申报时间", "流程", "程序", "手续", "受理"];

/// A clause that sets conditions says so in one of these (持续经营3年以上, 符合条件的, 应当在…以上).
const CONDITION_WORDS: [&str; 10] = ["年以上", "持续经营", "不少于", "不低于", "符合", "满足", "应当", "须", "条件", "具备"];

/// A letter's contact line (（联系人：…，电话：…）).
const CONTACT_WORDS: [&str; 3] = ["联系人", "电话", "联系方式"];

/// The documents' words the question used for `concept`: its keywords that are the concept's.
fn own_words(query: &Query, concept: &ConceptHits) -> Vec<u32> {
    let mut own = Vec::new();
    for k in &query.keywords {
        if concept.keywords.iter().any(|ck| ck.keyword == k.keyword) {
            own.push(k.keyword);
        }
    }
    own
}

/// Questions whose answer a letter's sign-off gives (its issuer, date and contact line).
fn asks_who_or_when(query: &Query) -> bool {
    matches!(query.intent, Some(Intent::Who | Intent::When | Intent::Issued | Intent::Contact))
}

/// A keyword in a clause's heading counts more than in its body.
fn heading_factor(in_heading: bool) -> f32 {
    if in_heading {
        1.0 + HEADING_BONUS
    } else {
        1.0
    }
}

/// A counted quantity: a number followed by a counter word (3家, 1100万平方米, 5-10位).
fn has_quantity(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).any(|w| w[0].is_ascii_digit() && "个家位项万亿平件名所座条倍%".contains(w[1]))
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;

    #[test]
    fn what_a_clause_says_together() {
        let engine = Engine::new();
        let id = |id: &str| engine.lib.kb.clauses.iter().position(|c| c.id == id).expect("clause");
        // (name, question, clause, share of the question's words in its best sentence)
        let cases = [
            ("all in one sentence", "光明区 钟表 内衣 基地", "003-4.1.1", 1.0),
            ("spread over sentences", "光明区 钟表 内衣 基地", "002-3-3", 0.5),
            ("one word: nothing to bring together", "内衣", "003-4.1.1", 0.0),
        ];
        for (name, question, clause, want) in cases {
            let query = engine.read(question);
            let got = engine.together(id(clause), &query);
            assert!((got - want).abs() < 0.01, "{name}: {got}");
        }
    }
}
