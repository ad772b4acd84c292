//! The development questions through the engine, scored like `tests/data/score.py`.
//! Fails below the quality bar of issue 2: hit@1 ≥ 0.90, hit@3 ≥ 0.97, ood false answers ≤ 0.10.

use policy_qa::Engine;
use serde_json::Value;

use crate::suite::scoring::is_hit;

#[test]
fn dev_set_meets_the_quality_bar() {
    let engine = Engine::new();
    let data = include_str!("../data/dev.jsonl");
    let (mut answerable, mut h1, mut h3, mut rr, mut ood, mut ood_false) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let mut report = String::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let q: Value = serde_json::from_str(line).expect("dev.jsonl is JSON lines");
        let gold = q["gold"].as_array().cloned().unwrap_or_default();
        let a = engine.ask(q["q"].as_str().expect("q"), crate::suite::TODAY);
        if gold.is_empty() {
            ood += 1.0;
            if !a.answers.is_empty() {
                ood_false += 1.0;
                report.push_str(&format!("{} ood answered with {}\n", q["id"], a.answers[0].id));
            }
            continue;
        }
        answerable += 1.0;
        let rank = a.answers.iter().take(5).position(|i| is_hit(&i.doc, &i.text, &gold)).map(|r| r + 1);
        match rank {
            Some(1) => {}
            other => report.push_str(&format!("{} {} rank {:?}\n", q["id"], q["q"], other)),
        }
        if rank == Some(1) {
            h1 += 1.0;
        }
        if rank.is_some_and(|r| r <= 3) {
            h3 += 1.0;
        }
        rr += rank.map_or(0.0, |r| 1.0 / r as f64);
    }
    let (hit1, hit3, mrr, fa) = (h1 / answerable, h3 / answerable, rr / answerable, ood_false / ood);
    println!("dev set: hit@1 {hit1:.3} hit@3 {hit3:.3} MRR@5 {mrr:.3} ood false answers {fa:.3}\n{report}");
    assert!(answerable >= 50.0 && ood >= 5.0, "the dev set is incomplete");
    assert!(hit1 >= 0.90, "hit@1 {hit1:.3} < 0.90\n{report}");
    assert!(hit3 >= 0.97, "hit@3 {hit3:.3} < 0.97\n{report}");
    assert!(fa <= 0.10, "ood false-answer rate {fa:.3} > 0.10\n{report}");
}
