//! The maintainers' workflow: fingerprint, regression questions, new documents, time.

use std::path::Path;

use policy_qa::cli::{fingerprint, fingerprint_diff};
use policy_qa::compile::{compile, read_dir, Inputs};
use policy_qa::Engine;

fn seeds() -> Inputs {
    read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).expect("seeds/ reads").0
}

fn doc(name: &str, text: &str) -> (String, Vec<u8>) {
    (name.to_string(), text.as_bytes().to_vec())
}

#[test]
fn committed_fingerprint_is_fresh() {
    let now = fingerprint(&compile(&seeds()).expect("seeds compile"));
    let committed = include_str!("../data/fingerprint.txt");
    let (added, removed, changed) = fingerprint_diff(committed, &now);
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "tests/data/fingerprint.txt is stale (added {added:?}, removed {removed:?}, changed {changed:?});\nreview `cargo run --release -- diff`, then refresh it: cargo run --release -- fingerprint > tests/data/fingerprint.txt"
    );
}

#[test]
fn maintainers_questions_answer_as_expected() {
    let c = compile(&seeds()).expect("seeds compile");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/questions.tsv")).expect("seeds/questions.tsv");
    let moved = policy_qa::cli::run_questions(&c, &text).expect("the list parses");
    assert_eq!(moved, 0, "answers moved; see the lines printed above");
}

#[test]
fn diff_names_added_removed_and_changed_clauses() {
    let base = fingerprint(&compile(&seeds()).expect("seeds compile"));
    let mut edited = seeds();
    // Change one clause of 004, drop 000, add a new document.
    let i = edited.docs.iter().position(|d| d.0.starts_with("004_")).expect("004");
    let text = String::from_utf8(edited.docs[i].1.clone()).expect("utf-8").replace("给予100万元的财政资金奖励", "给予200万元的财政资金奖励");
    edited.docs[i].1 = text.into_bytes();
    edited.docs.retain(|d| !d.0.starts_with("000_"));
    edited.manifest = None; // it names 000; clause ids and texts do not depend on it
    edited.docs.push(doc("900_new.txt", "新通知\n一、为支持企业发展，对研发项目给予资助，最高不超过50万元。\n"));
    let c = compile(&edited).expect("compiles");
    let (added, removed, changed) = fingerprint_diff(&base, &fingerprint(&c));
    assert_eq!(changed, ["004-3.6.14"]);
    assert!(added.iter().all(|a| a.starts_with("900-")) && !added.is_empty(), "{added:?}");
    assert!(removed.iter().all(|r| r.starts_with("000-")) && removed.len() == 12, "{removed:?}");
}

#[test]
fn other_numbering_styles_become_sections() {
    let text = "深圳市某产业扶持资金管理办法\n第一章 总则\n第一条 为规范扶持资金管理，制定本办法。\n第二章 资助标准\n第二条 资助方式\n第一款 对首次认定的企业，给予一次性奖励50万元。\n第二款 对持续经营三年以上的企业，再给予奖励20万元。\n第三章 申报\n1.1 申报材料包括营业执照和审计报告。\n1.2 申报窗口设在区政务服务中心。\n第四章 时间\n(1) 申报时间为每年三月。\n(2) 评审在五月完成。\n第五章 其他\n① 逾期不予受理。\n② 材料不全的，一次性告知补正。\n";
    let mut inputs = seeds();
    inputs.docs.push(doc("910_rules.txt", text));
    let c = compile(&inputs).expect("compiles");
    let engine = c.engine().expect("loads");
    let cases: &[(&str, &str, &str)] = &[
        ("article", "为什么制定扶持资金管理办法", "第一条"),
        ("paragraph", "首次认定的企业奖励多少", "第一款"),
        ("decimal", "申报材料包括哪些", "1.1"),
        ("parenthesised", "每年什么时候申报扶持资金", "(1)"),
        ("circled", "扶持资金申报逾期还受理吗", "①"),
    ];
    for (name, q, label) in cases {
        let a = engine.ask(q, "2026-01-01");
        let top = a.answers.first().unwrap_or_else(|| panic!("{name}: no answer to {q}"));
        assert!(top.text.contains(label), "{name}: {} answered", top.text);
        assert!(!top.section.is_empty(), "{name}: no section path");
    }
    let a = engine.ask("首次认定的企业奖励多少", "2026-01-01");
    assert_eq!(a.answers[0].section, ["第二章资助标准", "第二条资助方式", "第一款对首次认定的企业"]);
}

#[test]
fn replaced_and_lapsed_documents_yield_and_are_flagged() {
    let old = "旧办法\n一、对企业研发项目给予资助，最高不超过30万元。\n";
    let new = "新办法\n一、对企业研发项目给予资助，最高不超过50万元。\n";
    let manifest = "[[doc]]\nfile = \"920_old.txt\"\nvalid_until = \"2023-12-31\"\n\n[[doc]]\nfile = \"921_new.txt\"\nreplaces = [\"920\"]\nvalid_from = \"2024-01-01\"\nvalid_until = \"2028-12-31\"\n";
    let c = compile(&Inputs { docs: vec![doc("920_old.txt", old), doc("921_new.txt", new)], manifest: Some(manifest.into()), ..Inputs::default() }).expect("compiles");
    let engine = c.engine().expect("loads");
    let a = engine.ask("研发项目资助最高多少", "2026-01-01");
    // Ordering and flags, whatever the confidence in a two-clause knowledge base: the first
    // clause listed, answer or related.
    let listed: Vec<_> = a.answers.iter().chain(&a.related).collect();
    let ids: Vec<&str> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(listed[0].doc, "921_new", "{ids:?}");
    assert_eq!(listed[0].validity.status, "in_force");
    let old_item = a.answers.iter().chain(&a.related).find(|i| i.doc == "920_old").expect("the old text is still listed");
    assert_eq!(old_item.validity.status, "lapsed");
}

#[test]
fn committed_answer_snapshot_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let now = policy_qa::cli::snapshot(&Engine::new(), &policy_qa::cli::snapshot_questions(root));
    let committed = std::fs::read_to_string(root.join("tests/data/answers.txt")).unwrap_or_default();
    if now != committed {
        let first = now.lines().zip(committed.lines()).position(|(a, b)| a != b).unwrap_or(now.lines().count().min(committed.lines().count()));
        panic!(
            "tests/data/answers.txt is stale: answers changed (first difference at line {}).\nReview the change, then refresh it: cargo run --release -- snapshot > tests/data/answers.txt && git diff tests/data/answers.txt",
            first + 1
        );
    }
}
