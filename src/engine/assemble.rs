//! Answer assembly: ranked clauses → which of them answer and which are only related (as items
//! of the `library`), and the words that matched.

use crate::normalize::is_cjk;

use super::confidence;
use super::index::Query;
use super::output::Item;
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
            if shown.iter().any(|&s| self.lib.kb.clauses[s as usize].links.contains(&r.clause)) {
                continue;
            }
            if i < answering && answers.len() < MAX_ANSWERS {
                answers.push(self.lib.item(r.clause, r.score, r.coverage, self.matched_words(query, &r), today));
            } else if related.len() < MAX_RELATED && r.coverage >= RELATED_COVERAGE {
                related.push(self.lib.item(r.clause, r.score, r.coverage, self.matched_words(query, &r), today));
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
            let links = &self.lib.kb.clauses[r.clause as usize].links;
            let other = ranked.iter().enumerate().find(|(j, o)| *j != i && !links.contains(&o.clause)).map(|(_, o)| o);
            out.push(confidence::features(query, r, other, self.together(r.clause as usize, query)));
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
