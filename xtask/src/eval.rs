//! `cargo xtask eval`: the dev questions through the CLI, scored by tests/data/score.py.

use crate::process::run;
use crate::Result;
use serde_json::Value;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

pub(crate) fn eval(root: &Path) -> Result {
    run(Command::new("cargo").args(["build", "--release", "--bin", "policy-qa"]).current_dir(root))?;
    let data = root.join("tests/data");
    let dev = data.join("dev.jsonl");
    let (ids, questions) = dev_questions(&fs::read_to_string(&dev).map_err(|e| format!("{}: {e}", dev.display()))?)?;
    let answers = ask(&root.join("target/release/policy-qa"), &questions)?;
    // score.py matches results to questions by "id": put it first on each of the CLI's lines.
    let mut results = String::new();
    for (id, line) in ids.iter().zip(answers.lines()) {
        let rest = line.strip_prefix('{').ok_or_else(|| format!("not a JSON object: {line}"))?;
        let id = serde_json::to_string(id).map_err(|e| e.to_string())?;
        results.push_str(&format!("{{\"id\":{id},{rest}\n"));
    }
    let path = root.join("target/dev-results.jsonl");
    fs::write(&path, results).map_err(|e| format!("{}: {e}", path.display()))?;
    run(Command::new("python3").arg(data.join("score.py")).arg(&dev).arg(&path))
}

/// The ids and questions of dev.jsonl, one JSON object a line.
fn dev_questions(jsonl: &str) -> Result<(Vec<String>, Vec<String>)> {
    let (mut ids, mut questions) = (Vec::new(), Vec::new());
    for (n, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("dev.jsonl:{}: {e}", n + 1))?;
        let field = |k: &str| v[k].as_str().map(str::to_string).ok_or_else(|| format!("dev.jsonl:{}: no string \"{k}\"", n + 1));
        ids.push(field("id")?);
        questions.push(field("q")?);
    }
    Ok((ids, questions))
}

/// `policy-qa ask --json` for each question, one line of output per question.
fn ask(cli: &Path, questions: &[String]) -> Result<String> {
    let mut child = Command::new(cli)
        .args(["ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    {
        // Dropped at the end of the block: the CLI reads until end of input. Writing all
        // before reading cannot block: the questions fit in the pipe's buffer.
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        for q in questions {
            writeln!(stdin, "{q}").map_err(|e| e.to_string())?;
        }
    }
    let mut out = String::new();
    child.stdout.take().ok_or("no stdout")?.read_to_string(&mut out).map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{} ask --json failed with {status}", cli.display()));
    }
    Ok(out)
}
