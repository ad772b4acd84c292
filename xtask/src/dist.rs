//! `cargo xtask dist`: dist/ holds exactly what a site serves: the optimised wasm with its glue
//! and TypeScript definitions (pkg/), the loader and element, the stylesheet, the offline page,
//! the service worker and the demo pages.

use crate::process::run;
use crate::{browser, offline, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Copied from www/ as they are.
const FROM_WWW: [&str; 8] = ["policy-qa.js", "element.js", "policy-qa.css", "index.html", "csp.html", "sw.js", "demo.css", "demo.js"];

/// The features rustc's wasm32 target emits, and no others (Chromium rejects some).
const WASM_FEATURES: [&str; 7] = ["bulk-memory", "bulk-memory-opt", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];

pub(crate) fn dist(root: &Path) -> Result {
    run(Command::new("cargo").args(["build", "--release", "--lib", "--target", "wasm32-unknown-unknown"]).current_dir(root))?;
    let wasm = root.join("target/wasm32-unknown-unknown/release/policy_qa.wasm");
    let dist = root.join("dist");
    let pkg = dist.join("pkg");
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    // The offline page cannot import the glue (file:// pages cannot import module files): it
    // inlines the no-modules glue, a classic script, with the web target's module, which is the
    // same wasm; optimised once for both.
    let nomod = root.join("target/nomodules");
    run(bindgen("no-modules", &nomod).arg("--no-typescript").arg(&wasm))?;
    // The module, its glue and its .d.ts, from one run.
    run(bindgen("web", &pkg).arg(&wasm))?;
    let bg = pkg.join("policy_qa_bg.wasm");
    if fs::read(&bg).ok() != fs::read(nomod.join("policy_qa_bg.wasm")).ok() {
        return Err("wasm-bindgen's web and no-modules targets made different modules: optimise target/nomodules/policy_qa_bg.wasm for the offline page too".into());
    }
    wasm_opt(root, &bg)?;
    let www = root.join("www");
    for f in FROM_WWW {
        fs::copy(www.join(f), dist.join(f)).map_err(|e| format!("www/{f}: {e}"))?;
    }
    offline::write(root, &nomod.join("policy_qa.js"), &bg, &dist.join("policy-qa-offline.html"))?;
    let size = fs::metadata(&bg).map_err(|e| e.to_string())?.len();
    eprintln!("dist/ ready; wasm {size} bytes");
    Ok(())
}

fn bindgen(target: &str, out_dir: &Path) -> Command {
    let mut cmd = Command::new("wasm-bindgen");
    cmd.args(["--target", target, "--out-dir"]).arg(out_dir);
    cmd
}

fn wasm_opt(root: &Path, wasm: &Path) -> Result {
    // Debian's wasm-opt 108 breaks wasm-bindgen 0.2.13x output; npm's binaryen does not.
    let mut cmd = Command::new(browser::dir(root).join("node_modules/.bin/wasm-opt"));
    cmd.arg("-Oz").arg("--strip-debug").arg("--strip-producers");
    for f in WASM_FEATURES {
        cmd.arg(format!("--enable-{f}"));
    }
    run(cmd.arg(wasm).arg("-o").arg(wasm))
}
