//! The `policy-qa` binary as maintainers and scripts use it.

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policy-qa"))
}

#[test]
fn ask_json_reads_stdin_in_order() {
    let mut child = bin().args(["ask", "--json", "--today", "2026-11-21"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("runs");
    let questions = ["海外开品牌专卖店有什么奖励", "", "公积金提取需要准备什么材料", "深府办〔2020〕4号是什么文件"];
    child.stdin.take().expect("stdin").write_all(questions.join("\n").as_bytes()).expect("write");
    let out = child.wait_with_output().expect("finishes");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), questions.len());
    for (l, q) in lines.iter().zip(questions) {
        assert_eq!(l["question"], q);
        for key in ["answers", "related"] {
            for item in l[key].as_array().expect("array") {
                for field in ["id", "doc", "title", "citation", "text", "score", "matched", "facts"] {
                    assert!(item.get(field).is_some(), "{field} missing in {item}");
                }
            }
        }
    }
    assert_eq!(lines[0]["answers"][0]["id"], "004-3.6.14");
    assert!(lines[2]["answers"].as_array().expect("array").is_empty());
}

#[test]
fn ask_readable_cites_the_clause() {
    let out = bin().args(["ask", "海外开品牌专卖店有什么奖励"]).output().expect("runs");
    let s = String::from_utf8(out.stdout).expect("utf-8");
    assert!(out.status.success());
    assert!(s.contains("《深圳市时尚产业高质量发展行动计划（2020—2024年）》（深府办〔2020〕4号）"), "{s}");
    assert!(s.contains("给予100万元的财政资金奖励"), "{s}");
}

#[test]
fn check_prints_tree_and_fails_on_bad_seeds() {
    let out = bin().args(["check", "--seeds", concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")]).output().expect("runs");
    let s = String::from_utf8(out.stdout).expect("utf-8");
    assert!(out.status.success(), "{s}");
    assert!(s.contains("summary: 5 documents"), "{s}");
    assert!(s.contains("[004-3.6.14]"));

    let dir = std::env::temp_dir().join(format!("policy-qa-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::write(dir.join("001_bad.txt"), b"\xff\xfe\xfd\x80").expect("write");
    let out = bin().args(["check", "--seeds"]).arg(&dir).output().expect("runs");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("seeds/001_bad.txt:1: not valid UTF-8"), "{err}");
}
