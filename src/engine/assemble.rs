//! Answer assembly: ranked clauses → the items an answer shows (citation and section path,
//! facts, validity, passages repeated elsewhere), which of them answer and which are only
//! related, the words that matched; and for a clause shown, its context and what to highlight.

use crate::format::Role;
use crate::normalize::{fold_char, is_cjk};

use super::confidence;
use super::index::Query;
use super::output::{FactOut, Item, Validity, ValidityStatus};
use super::rank::Ranked;
use crate::sort::sort_by;
use super::Engine;

const MAX_ANSWERS: usize = 5;
const MAX_RELATED: usize = 5;
/// How many of the best-scored clauses the confidence model weighs as answers.
const CANDIDATES: usize = 6;
const RELATED_COVERAGE: f32 = 0.2;

impl Engine {
    /// The answers and the related clauses among the ranked ones, best first: the leading
    /// candidates are put in the order of the confidence that each answers, and those over the
    /// threshold answer; the rest, in score order, are related.
    pub(super) fn assemble(&self, query: &Query, mut ranked: Vec<Ranked>, today: &str) -> (Vec<Item>, Vec<Item>) {
        let confidence = self.confidences(query, &ranked);
        let rest = ranked.split_off(confidence.len());
        // (confidence, rank by score, clause): most confident first, ties in score order.
        let mut lead: Vec<(f32, usize, Ranked)> = confidence.into_iter().zip(ranked).enumerate().map(|(i, (c, r))| (c, i, r)).collect();
        sort_by(&mut lead, &mut |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).is_lt());
        // Once the best candidate answers, others answer too when they are likely enough.
        let confident = lead.first().is_some_and(|l| l.0 >= confidence::THRESHOLD);
        let answering = if confident { lead.iter().take_while(|l| l.0 >= confidence::ALSO).count() } else { 0 };
        let ordered = lead.into_iter().map(|l| l.2).chain(rest).collect();
        self.split(query, ordered, answering, today)
    }

    /// Items for the first `answering` of `ranked` (answers, at most `MAX_ANSWERS`) and for the
    /// related ones after them; a passage quoted in another document is shown once.
    fn split(&self, query: &Query, ranked: Vec<Ranked>, answering: usize, today: &str) -> (Vec<Item>, Vec<Item>) {
        let mut answers = Vec::new();
        let mut related = Vec::new();
        let mut shown: Vec<u32> = Vec::new();
        for (i, r) in ranked.into_iter().enumerate() {
            if shown.iter().any(|&s| self.kb.clauses[s as usize].links.contains(&r.clause)) {
                continue;
            }
            if i < answering && answers.len() < MAX_ANSWERS {
                answers.push(self.item(r.clause, r.score, r.coverage, self.matched_words(query, &r), today));
            } else if related.len() < MAX_RELATED && r.coverage >= RELATED_COVERAGE {
                related.push(self.item(r.clause, r.score, r.coverage, self.matched_words(query, &r), today));
            } else if related.len() >= MAX_RELATED {
                break;
            } else {
                continue;
            }
            shown.push(r.clause);
        }
        (answers, related)
    }

    /// The evidence about each leading candidate (`CANDIDATES` at most): against the best other
    /// one that is not the same passage.
    pub(super) fn evidence(&self, query: &Query, ranked: &[Ranked]) -> Vec<[f32; confidence::N]> {
        let lead = &ranked[..ranked.len().min(CANDIDATES)];
        let mut out = Vec::with_capacity(lead.len());
        for (i, r) in lead.iter().enumerate() {
            let links = &self.kb.clauses[r.clause as usize].links;
            let other = ranked.iter().enumerate().find(|(j, o)| *j != i && !links.contains(&o.clause)).map(|(_, o)| o);
            out.push(confidence::features(query, r, other));
        }
        out
    }

    /// The model's confidence that each leading candidate answers.
    fn confidences(&self, query: &Query, ranked: &[Ranked]) -> Vec<f32> {
        let evidence = self.evidence(query, ranked);
        evidence.iter().zip(ranked).map(|(e, r)| if confidence::ruled_out(query, r) { 0.0 } else { confidence::probability(e) }).collect()
    }

    /// The words that matched a clause, as the user typed them (normalised).
    fn matched_words(&self, query: &Query, ranked: &Ranked) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for &unit in &ranked.units {
            let w = query.unit_text(unit);
            if !words.contains(&w) {
                words.push(w);
            }
        }
        for &keyword in &ranked.keywords {
            let term = self.index.term(keyword);
            if !words.iter().any(|w| w == term) {
                words.push(term.to_string());
            }
        }
        merge_words(words)
    }

    /// A clause as an answer item.
    pub(super) fn item(&self, clause_index: u32, score: f32, coverage: f32, matched: Vec<String>, today: &str) -> Item {
        let clause = &self.kb.clauses[clause_index as usize];
        let doc = &self.kb.docs[clause.doc as usize];
        let section = self.section_path(clause.section);
        let citation = self.citation(clause_index, &section);
        let inferred = doc.meta.inferred.iter().any(|f| f == "valid_until" || f == "valid_from");
        let status = ValidityStatus::on(doc.meta.valid_from.as_deref(), doc.meta.valid_until.as_deref(), today);
        Item {
            id: clause.id.clone(),
            doc: doc.file.clone(),
            title: doc.title.clone(),
            citation,
            section,
            text: clause.text.clone(),
            // f64 with 3 decimals: the same number in JSON from the CLI and in JS from wasm.
            score: (f64::from(score) * 1000.0).round() / 1000.0,
            coverage: (f64::from(coverage) * 1000.0).round() / 1000.0,
            matched,
            facts: clause.facts.iter().map(|f| FactOut { kind: f.kind, text: f.text(&clause.text).to_string() }).collect(),
            validity: Validity { status, from: doc.meta.valid_from.clone(), until: doc.meta.valid_until.clone(), note: doc.meta.validity_note.clone(), inferred },
            also_in: clause.links.iter().map(|&l| self.kb.clauses[l as usize].id.clone()).collect(),
            line: clause.line,
        }
    }

    /// Section labels and titles from the outermost section in.
    fn section_path(&self, innermost: Option<u32>) -> Vec<String> {
        let mut section = Vec::new();
        let mut s = innermost;
        while let Some(i) = s {
            let sec = &self.kb.sections[i as usize];
            section.push(format!("{}{}", sec.label, sec.title));
            s = sec.parent;
        }
        section.reverse();
        section
    }

    /// 《title》（文号） section › path（source）.
    fn citation(&self, clause_index: u32, section: &[String]) -> String {
        let clause = &self.kb.clauses[clause_index as usize];
        let doc = &self.kb.docs[clause.doc as usize];
        let mut citation = format!("《{}》", doc.title.trim_start_matches('《').trim_end_matches('》'));
        if let Some(n) = &doc.meta.number {
            citation.push_str(&format!("（{n}）"));
        }
        if !section.is_empty() {
            citation.push(' ');
            citation.push_str(&section.join(" › "));
        } else if clause.role == Role::Head {
            citation.push_str(" 开头部分");
        } else if clause.role == Role::Closing {
            citation.push_str(" 结尾部分");
        }
        if let Some(src) = &doc.meta.source {
            citation.push_str(&format!("（{src}）"));
        }
        citation
    }

    pub(super) fn clause_index(&self, id: &str) -> Option<usize> {
        self.kb.clauses.iter().position(|c| c.id == id)
    }

    /// The clauses of the section around clause `i`, in document order, at most `limit`.
    pub(super) fn context_items(&self, i: usize, today: &str, limit: usize) -> Vec<Item> {
        let clause = &self.kb.clauses[i];
        // The section the clause opens, or failing that its parent: siblings share a heading.
        let sec = clause.section.map(|s| self.kb.sections[s as usize].parent.unwrap_or(s));
        let under = |x: Option<u32>| {
            let mut s = x;
            while let Some(k) = s {
                if Some(k) == sec {
                    return true;
                }
                s = self.kb.sections[k as usize].parent;
            }
            sec.is_none() && x.is_none()
        };
        let same: Vec<usize> = (0..self.kb.clauses.len()).filter(|&k| self.kb.clauses[k].doc == clause.doc && under(self.kb.clauses[k].section)).collect();
        let pos = same.iter().position(|&k| k == i).unwrap_or(0);
        let start = pos.saturating_sub(limit / 2).min(same.len().saturating_sub(limit));
        same.iter().skip(start).take(limit).map(|&k| self.item(k as u32, 0.0, 0.0, Vec::new(), today)).collect()
    }

    /// Character ranges of `text` where any of `words` occurs, merged and sorted.
    /// Normalisation folds character by character, so ranges in the folded text are ranges in
    /// the original.
    pub(super) fn highlight_ranges(&self, text: &str, words: &[String]) -> Vec<(usize, usize)> {
        let folded: Vec<char> = text.chars().map(|c| fold_char(c, &self.t2s)).collect();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for w in words {
            let wc: Vec<char> = w.chars().collect();
            if wc.is_empty() || wc.len() > folded.len() {
                continue;
            }
            for s in 0..=folded.len() - wc.len() {
                if folded[s..s + wc.len()] == wc[..] {
                    ranges.push((s, s + wc.len()));
                }
            }
        }
        sort_by(&mut ranges, &mut |a, b| a < b);
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Joins overlapping bigrams back into the phrases the user typed (眼镜 + 镜片 → 眼镜镜片),
/// and drops words contained in longer ones.
fn merge_words(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if let Some(last) = out.last_mut() {
            let lc: Vec<char> = last.chars().collect();
            let wc: Vec<char> = w.chars().collect();
            if lc.len() >= 2 && wc.len() == 2 && lc[lc.len() - 1] == wc[0] && is_cjk(wc[0]) {
                last.push(wc[1]);
                continue;
            }
        }
        out.push(w);
    }
    let snapshot = out.clone();
    out.retain(|w| !snapshot.iter().any(|o| o != w && o.contains(w.as_str())));
    out.dedup();
    out
}
