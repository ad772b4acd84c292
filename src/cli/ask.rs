//! What anyone asks of the built-in knowledge base: `ask` (readable or JSON), `docs`, and the
//! answer snapshot that makes a ranking change a reviewable diff.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use super::maintain::QUESTIONS_FILE;
use super::today;
use crate::engine::{Answer, Engine};

pub(super) fn ask(args: Vec<String>) -> i32 {
    let mut json = false;
    let mut features = false;
    let mut explain = false;
    let mut seeds = None;
    let mut today_arg = None;
    let mut words = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--explain" => explain = true,
            "--today" => today_arg = it.next(),
            "--features" => features = true,
            "--seeds" => seeds = it.next(),
            _ => words.push(a),
        }
    }
    let today = today_arg.unwrap_or_else(today);
    let engine = match engine_from(seeds.as_deref()) {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    if explain {
        print!("{}", engine.explain(&words.join(" ")));
        return 0;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut emit = |a: &Answer| -> std::io::Result<()> {
        if features {
            writeln!(out, "{}", features_json(&engine, &a.question, &today))
        } else if json {
            writeln!(out, "{}", serde_json::to_string(a).expect("answers serialise"))
        } else {
            write!(out, "{}", render(a, &engine))
        }
    };
    let result = if words.is_empty() {
        let stdin = std::io::stdin();
        let mut r = Ok(());
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            r = emit(&engine.ask(&line, &today));
            if r.is_err() {
                break;
            }
        }
        r
    } else {
        emit(&engine.ask(&words.join(" "), &today))
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("policy-qa: {e}");
            1
        }
    }
}

/// The built-in knowledge base, or one compiled from `seeds` as the build would; an exit code
/// when that folder does not compile.
fn engine_from(seeds: Option<&str>) -> Result<Engine, i32> {
    match seeds {
        Some(dir) => match crate::compile::compile_dir(Path::new(dir)) {
            Ok(c) => Ok(c.engine().expect("a knowledge base just compiled loads")),
            Err(errors) => Err(super::report(&errors)),
        },
        None => Ok(Engine::new()),
    }
}

/// `ask --features`: the leading candidates and the confidence model's evidence about each.
fn features_json(engine: &Engine, question: &str, today: &str) -> serde_json::Value {
    let mut candidates = Vec::new();
    for (item, values) in engine.features(question, today) {
        let order: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
        let values: serde_json::Map<String, serde_json::Value> = values.into_iter().map(|(k, v)| (k.to_string(), serde_json::json!(v))).collect();
        candidates.push(serde_json::json!({ "item": item, "features": values, "order": order }));
    }
    serde_json::json!({ "question": question, "candidates": candidates })
}

/// The readable form of an answer, for people at a terminal: the widget's view model, so the
/// terminal and the page word it the same way.
pub fn render(a: &Answer, engine: &Engine) -> String {
    format!("问：{}\n{}", a.question, crate::view::AnswerView::new(a, true, engine.library()).to_text())
}

/// `docs`: the documents in the built-in knowledge base, one a line.
pub(super) fn docs() -> i32 {
    let e = Engine::new();
    for d in e.library().documents() {
        println!("{}  {}  《{}》 {} clauses{}", d.id, d.kind, d.title, d.clauses, d.number.map(|n| format!("  {n}")).unwrap_or_default());
    }
    0
}

/// `snapshot`: the answer snapshot of the questions under the current directory.
pub(super) fn print_snapshot() -> i32 {
    print!("{}", snapshot(&Engine::new(), &snapshot_questions(Path::new("."))));
    0
}

/// The date every snapshot is taken on, so that validity does not change with the calendar.
pub(crate) const SNAPSHOT_DAY: &str = "2026-11-21";

/// Every question whose answers the snapshot records, from the files under `root`: the dev set,
/// the maintainers' questions and the blind bank, in file order.
pub fn snapshot_questions(root: &Path) -> Vec<String> {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let mut files = vec![root.join("tests/data/dev.jsonl")];
    let mut bank: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/bank"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect())
        .unwrap_or_default();
    bank.sort();
    files.extend(bank);
    let mut out: Vec<String> = Vec::new();
    for f in &files {
        for line in read(f).lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                out.extend(v["q"].as_str().map(str::to_string));
            }
        }
    }
    let tsv = read(&root.join("seeds").join(QUESTIONS_FILE));
    out.extend(tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|l| l.split('\t').next()).map(str::to_string));
    out
}

/// The answers to `questions` in a stable, readable form: a reviewable diff of answers.
pub fn snapshot(engine: &Engine, questions: &[String]) -> String {
    let mut out = String::new();
    for q in questions {
        let a = engine.ask(q, SNAPSHOT_DAY);
        out.push_str(&format!("## {q}\n"));
        if let Some(intent) = a.intent {
            out.push_str(&format!("intent {intent}\n"));
        }
        if let Some(n) = &a.notice {
            out.push_str(&format!("notice {n}\n"));
        }
        for (label, items) in [("answer", &a.answers), ("related", &a.related)] {
            for i in items.iter() {
                out.push_str(&format!("{label} {} score {:.3} coverage {:.3}\n", i.id, i.score, i.coverage));
            }
        }
        if a.answers.is_empty() && a.related.is_empty() {
            out.push_str("nothing\n");
        }
    }
    out
}
