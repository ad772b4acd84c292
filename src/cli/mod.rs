//! The `policy-qa` command line: `ask` for anyone ([`ask`]), `check` and the other tools for
//! maintainers ([`maintain`]). This file only dispatches.

mod ask;
mod maintain;

use std::path::PathBuf;

use crate::compile;

pub use ask::{render, snapshot, snapshot_questions};
pub use maintain::{fingerprint, fingerprint_diff, run_questions};

const HELP: &str = "policy-qa — answers questions about the policy documents in seeds/

USAGE:
    policy-qa ask [--json] [--today YYYY-MM-DD] [QUESTION]
        Answer QUESTION. Without QUESTION, read one question per line from standard input
        (with --json, print one JSON object per line, in the same order).
    policy-qa check [--seeds DIR]
        Compile DIR (default: seeds) as the build does; print every document's section and
        clause tree, the facts and keywords found, warnings and a summary. Exit 1 on errors.
        Also runs seeds/questions.tsv (exit 1 when an answer moved) and lists clauses added,
        removed or changed against tests/data/fingerprint.txt.
    policy-qa diff [--seeds DIR] [--against FILE]
        Clauses added, removed and changed against a fingerprint (default tests/data/fingerprint.txt).
    policy-qa fingerprint [--seeds DIR]
        Print the knowledge base's fingerprint (one line per clause: id, hash, size).
    policy-qa docs
        List the documents in the built-in knowledge base.
    policy-qa english-table FILE
        Write the built-in English table to FILE (`cargo xtask dist` ships it beside the wasm
        as policy-qa-en.bin, fetched only for questions with Latin letters).
    policy-qa snapshot
        Print the answers to every known question (dev set, seeds/questions.tsv, the blind bank
        in tests/data/bank/) in the readable form of tests/data/answers.txt.
";

/// Runs the CLI; returns the process exit code.
pub fn run(args: Vec<String>) -> i32 {
    let mut it = args.into_iter().skip(1);
    let command = it.next();
    let args: Vec<String> = it.collect();
    match command.as_deref() {
        Some("ask") => ask::ask(args),
        Some("check") => maintain::check(&args),
        Some("diff") => maintain::diff(&args),
        Some("fingerprint") => maintain::print_fingerprint(&args),
        Some("snapshot") => ask::print_snapshot(),
        Some("docs") => ask::docs(),
        Some("english-table") => english_table(&args),
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            0
        }
        Some(other) => {
            eprintln!("policy-qa: unknown command {other:?}\n\n{HELP}");
            2
        }
    }
}

fn english_table(args: &[String]) -> i32 {
    let [file] = args else {
        eprintln!("policy-qa: english-table needs one FILE\n\n{HELP}");
        return 2;
    };
    match std::fs::write(file, crate::ENGLISH_BYTES) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("policy-qa: {file}: {e}");
            1
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → YYYY-MM-DD (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn seeds_arg(args: &[String]) -> PathBuf {
    PathBuf::from(flag(args, "--seeds").unwrap_or_else(|| "seeds".into()))
}

pub(super) fn report(errors: &[compile::SeedError]) -> i32 {
    for e in errors {
        eprintln!("{e}");
    }
    eprintln!("policy-qa: {} error(s) in seeds/", errors.len());
    1
}
