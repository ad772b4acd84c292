//! `cargo xtask bench`: native latency, the scale benchmark, payload sizes, browser timings.

use crate::process::run;
use crate::{browser, dist, setup, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

/// What a visitor's browser downloads for the widget.
const PAYLOAD: [&str; 5] = ["policy-qa.js", "element.js", "pkg/policy_qa.js", "pkg/policy_qa_bg.wasm", "policy-qa.css"];

pub(crate) fn bench(root: &Path) -> Result {
    run(Command::new("cargo").args(["bench", "--bench", "latency"]).current_dir(root))?;
    run(Command::new("cargo").args(["bench", "--bench", "scale"]).current_dir(root))?;
    setup::setup(root)?;
    dist::dist(root)?;
    sizes(&root.join("dist"))?;
    bench_tools(root)?;
    browser::node(root, &["bench.mjs"])
}

/// Pagefind and Lighthouse, for the side-by-side run and the audit: only the benchmark installs
/// them (124 MB), from their own lock file, so the tests' set-up stays small.
fn bench_tools(root: &Path) -> Result {
    let dir = browser::dir(root).join("bench-tools");
    if !dir.join("node_modules").join("pagefind").exists() || !dir.join("node_modules").join("lighthouse").exists() {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))?;
    }
    Ok(())
}

/// The payload raw / gzip / brotli, via the system's gzip and brotli tools where present.
fn sizes(dist: &Path) -> Result {
    let (mut raw, mut gz, mut br) = (0u64, 0u64, 0u64);
    println!("{:<24}{:>10}{:>10}{:>10}", "file", "raw", "gzip -9", "brotli");
    for f in PAYLOAD {
        let (r, g, b) = size_row(dist, f)?;
        raw += r;
        gz += g.unwrap_or(0);
        br += b.unwrap_or(0);
    }
    println!("{:<24}{raw:>10}{gz:>10}{br:>10}", "total before an answer");
    // Fetched only for a question with Latin letters: counted on its own.
    size_row(dist, crate::dist::ENGLISH_FILE)?;
    Ok(())
}

/// Prints and returns one file's raw, gzip and brotli sizes.
fn size_row(dist: &Path, f: &str) -> Result<(u64, Option<u64>, Option<u64>)> {
    let p = dist.join(f);
    let r = fs::metadata(&p).map_err(|e| format!("{f}: {e}"))?.len();
    let g = compressed_len("gzip", &["-9", "-c"], &p);
    let b = compressed_len("brotli", &["-q", "11", "-c"], &p);
    println!("{f:<24}{r:>10}{:>10}{:>10}", g.map_or("-".into(), |v| v.to_string()), b.map_or("-".into(), |v| v.to_string()));
    Ok((r, g, b))
}

fn compressed_len(tool: &str, args: &[&str], file: &Path) -> Option<u64> {
    let out = Command::new(tool).args(args).arg(file).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}
