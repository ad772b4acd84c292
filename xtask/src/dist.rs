//! `cargo xtask dist`: dist/ holds exactly what a site serves: the optimised wasm with its glue
//! and TypeScript definitions (pkg/), the loader and element, the stylesheet, the offline page,
//! the service worker and the demo pages.

use crate::process::{output, run};
use crate::{browser, offline, setup, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The English table beside the loader (`www/policy-qa.js` fetches it by this name).
pub(crate) const ENGLISH_FILE: &str = "policy-qa-en.bin";

/// Copied from www/ as they are.
const FROM_WWW: [&str; 8] = ["policy-qa.js", "element.js", "policy-qa.css", "index.html", "csp.html", "sw.js", "demo.css", "demo.js"];

/// The features rustc's wasm32 target emits, and no others (Chromium rejects some).
const WASM_FEATURES: [&str; 7] = ["bulk-memory", "bulk-memory-opt", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];

/// The nightly the shipped wasm is built with, by the date in its `rustc --version`: the one this
/// machine kind ships (`../shared/toolchain.md`). Its `-Cpanic=immediate-abort` and a std built
/// for size drop the panic and formatting code stable must link.
pub(crate) const NIGHTLY_DATE: &str = "2026-05-19";
/// The link argument `.cargo/config.toml` gives the wasm target: RUSTFLAGS replaces it.
const LINK_ARGS: &str = "-Clink-arg=--initial-memory=16777216";

/// Whether the pinned nightly is installed at all.
pub(crate) fn nightly_installed() -> bool {
    output(Command::new("rustc").args(["+nightly", "--version"])).is_some_and(|v| v.contains(NIGHTLY_DATE))
}

/// Whether the pinned nightly is installed with what the lean build needs (`cargo xtask setup`
/// installs its wasm target and rust-src when the toolchain is there).
pub(crate) fn nightly_ready() -> bool {
    let components = output(Command::new("rustup").args(["component", "list", "--installed", "--toolchain", "nightly"])).unwrap_or_default();
    nightly_installed() && setup::has_wasm_target(Some("nightly")) && components.lines().any(|c| c.starts_with("rust-src"))
}

/// Builds the library for the browser: lean with the pinned nightly, or with stable (and a
/// warning) on a machine without it. Returns the wasm file.
fn build_wasm(root: &Path) -> Result<PathBuf> {
    if nightly_ready() {
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "build", "--release", "--lib", "--target", "wasm32-unknown-unknown", "-Zbuild-std=std,panic_abort"]);
        cmd.env("RUSTFLAGS", format!("-Zunstable-options -Cpanic=immediate-abort {LINK_ARGS}"));
        // Its own target directory: a std built differently must not evict stable's artefacts.
        cmd.env("CARGO_TARGET_DIR", root.join("target/lean")).env_remove("RUSTC").env_remove("RUSTUP_TOOLCHAIN");
        run(cmd.current_dir(root))?;
        return Ok(root.join("target/lean/wasm32-unknown-unknown/release/policy_qa.wasm"));
    }
    eprintln!("warning: nightly {NIGHTLY_DATE} with rust-src and the wasm target is not installed: building the wasm with stable (larger)");
    run(Command::new("cargo").args(["build", "--release", "--lib", "--target", "wasm32-unknown-unknown"]).current_dir(root))?;
    Ok(root.join("target/wasm32-unknown-unknown/release/policy_qa.wasm"))
}

pub(crate) fn dist(root: &Path) -> Result {
    let wasm = build_wasm(root)?;
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
    minify(root, &dist)?;
    // The English table, a file of its own: the loader fetches it only for a question with
    // Latin letters. The native build's copy: the same seeds and compiler give the same bytes.
    let english = dist.join(ENGLISH_FILE);
    run(Command::new("cargo").args(["run", "--release", "--quiet", "--", "english-table"]).arg(&english).current_dir(root))?;
    offline::write(root, &nomod.join("policy_qa.js"), &bg, &english, &dist.join("policy-qa-offline.html"))?;
    let size = fs::metadata(&bg).map_err(|e| e.to_string())?.len();
    eprintln!("dist/ ready; wasm {size} bytes");
    Ok(())
}

/// What a visitor downloads before the first answer, minified in place by esbuild (npm, in
/// tests/browser beside wasm-opt): 4.4 KB gzip less than as written (11,733 → 7,324 B). Names and exports stay,
/// so `pkg/policy_qa.d.ts` still describes the glue; the demo pages and the offline page are
/// left as written.
const MINIFIED: [&str; 4] = ["policy-qa.js", "element.js", "pkg/policy_qa.js", "policy-qa.css"];

fn minify(root: &Path, dist: &Path) -> Result {
    let esbuild = browser::dir(root).join("node_modules/.bin/esbuild");
    for f in MINIFIED {
        let path = dist.join(f);
        let mut out = std::ffi::OsString::from("--outfile=");
        out.push(&path);
        run(Command::new(&esbuild).arg(&path).args(["--minify", "--allow-overwrite", "--log-level=warning"]).arg(out))?;
    }
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
