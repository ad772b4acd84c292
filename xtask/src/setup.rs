//! `cargo xtask setup`: installs what the build needs, each only when it is missing.

use crate::process::{output, run};
use crate::{browser, dist, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

pub(crate) fn setup(root: &Path) -> Result {
    if !has_wasm_target(None) {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    // The shipped wasm is built with the nightly this machine kind ships, when it is there.
    if dist::nightly_installed() && !dist::nightly_ready() {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown", "--toolchain", "nightly"]))?;
        run(Command::new("rustup").args(["component", "add", "rust-src", "--toolchain", "nightly"]))?;
    }
    let want = locked_wasm_bindgen(root)?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        // No --locked: the CLI's own lock file once named a version the registry did not serve.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))?;
    }
    let dir = browser::dir(root);
    if ["binaryen", "esbuild", "playwright-core"].iter().any(|m| !dir.join("node_modules").join(m).exists()) {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))
            .map_err(|e| format!("{e}; npm (Node.js) is needed for wasm-opt, esbuild and the browser tests"))?;
    }
    Ok(())
}

/// Whether `toolchain` (the active one for `None`) has the wasm32-unknown-unknown target.
pub(crate) fn has_wasm_target(toolchain: Option<&str>) -> bool {
    let mut cmd = Command::new("rustup");
    cmd.args(["target", "list", "--installed"]);
    if let Some(t) = toolchain {
        cmd.args(["--toolchain", t]);
    }
    let targets = output(&mut cmd).unwrap_or_default();
    targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown")
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}
