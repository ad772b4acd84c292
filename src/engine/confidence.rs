//! Whether the best-ranked clause answers the question: a logistic model over evidence that
//! holds for any question, instead of one coverage bar. An unfamiliar verb or a company's
//! description of itself no longer vetoes an answer; an unknown topic word (养老, 钢铁) still
//! weighs against it, as does a clause that has the question's words only in passing.
//!
//! The weights are fitted by `tests/data/confidence.py` on the tune folds of the blind question
//! bank (cross-validated; the script prints the curve of answered questions against answered
//! out-of-scope ones). Refit them whenever the evidence below changes.

use crate::format::Intent;

use super::index::Query;
use super::rank::Ranked;

/// The evidence, in the order of `WEIGHTS`.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) const FEATURES: [&str; N] = ["coverage", "missing", "topic", "heading", "margin", "strength", "no_topic", "size", "fits", "unfit", "latin", "together"];
pub(crate) const N: usize = 12;

/// Fitted weights for `FEATURES`, then the bias.
/// (A place outside the clause's scope rules it out instead of weighing here.)
const WEIGHTS: [f32; N + 1] = [1.228, 0.176, 0.841, 0.078, 2.201, 0.928, 0.054, -0.197, -0.222, -0.715, 0.404, 0.460, -4.852];

/// The probability from which the best clause is given as an answer. On the cross-validated
/// curve (`tests/data/confidence.py` over the tune folds of the bank and the spent fresh
/// batches, 1,020 questions, 2026-12-02) 0.15 answers 95% of the questions with 0.870 right at
/// rank 1 and 0.099 of the out-of-scope ones; 0.20 answers 93% (0.859) and 0.085; 0.10 answers
/// 98% (0.882) but 0.142, too near the 0.15 to hold on questions nobody has seen.
/// Since no clause answers a question that names support no document offers (`ruled_out`),
/// false answers stay low at this threshold.
pub(super) const THRESHOLD: f32 = 0.15;
/// Once one candidate answers, others whose confidence reaches this answer too (a question
/// that two measures answer).
pub(super) const ALSO: f32 = 0.1;

/// Evidence about a candidate clause `best`, against the best-scored other one `next`.
/// `together`: how much of what the question names the clause says in one sentence.
pub(crate) fn features(query: &Query, best: &Ranked, next: Option<&Ranked>, together: f32) -> [f32; N] {
    let topic: f32 = query.keywords.iter().map(|k| k.weight).sum::<f32>() + query.concepts.iter().map(|c| c.weight).sum::<f32>();
    let share = |x: f32| if topic > 0.0 { (x / topic).min(1.0) } else { 0.0 };
    // A lead over the others means little when the clause explains little of the question
    // (a lone weak match leads by default): the margin counts in proportion to coverage.
    let margin = next.map_or(2.0, |n| (best.score / n.score.max(1e-3)).ln().clamp(-2.0, 2.0)) * best.coverage;
    [
        best.coverage,
        if query.total_weight > 0.0 { query.missing / query.total_weight } else { 0.0 },
        share(best.topic),
        share(best.heading),
        margin,
        (1.0 + best.score).ln(),
        if topic > 0.0 { 0.0 } else { 1.0 },
        (1.0 + query.total_weight).ln(),
        if best.fits { 1.0 } else { 0.0 },
        // The question asks for a kind of fact (a date, the materials to hand in) the clause
        // does not have.
        if query.intent.is_some() && !best.fits { 1.0 } else { 0.0 },
        query.latin,
        together,
    ]
}

/// Whether `best` cannot answer whatever the evidence: the question names a kind of support no
/// document speaks of (no clause is about 所得税) or a trade the clause's document does not
/// cover (a measure for 时尚产业 is not one for 钢铁企业; one for 中小企业 is), asks about a place outside the clause's scope (杭州的企业, for a
/// Shenzhen plan) or a year the clause and its document never name (2023年的增加值, of a plan
/// for 2025), or asks for a kind of fact only a clause stating it answers (`strict`) and the
/// clause has none.
pub(super) fn ruled_out(query: &Query, best: &Ranked) -> bool {
    query.outside || !best.trade_ok || !best.place_ok || !best.year_ok || (strict(query) && !best.fits)
}

/// Whether only a clause with the kind of fact asked for may answer: how to apply and what
/// conditions to meet (most measures say what is given, not how to get it or who qualifies),
/// and any fact the question wants specifically (具体奖励多少钱: a clause naming the measure
/// without an amount does not say).
fn strict(query: &Query) -> bool {
    match query.intent {
        Some(Intent::Procedure | Intent::Condition) => true,
        Some(_) => query.specific,
        None => false,
    }
}

/// The model's probability that `features` describe a right answer.
pub(super) fn probability(features: &[f32; N]) -> f32 {
    let z = WEIGHTS[N] + features.iter().zip(&WEIGHTS).map(|(x, w)| x * w).sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}
