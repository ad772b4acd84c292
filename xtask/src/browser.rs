//! The browser half of `test` and `bench`: node scripts in tests/browser/ driving headless
//! Chromium against dist/, served by this binary (`xtask static`).

use crate::process::run;
use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn dir(root: &Path) -> PathBuf {
    root.join("tests").join("browser")
}

/// Runs `node ARGS` in tests/browser/ with what tests/browser/harness.mjs reads from the
/// environment: the Chromium to launch, this binary as the server, and dist/.
pub(crate) fn node(root: &Path, args: &[&str]) -> Result {
    let Some(chromium) = chromium() else {
        return Err("Chromium is needed for the browser tests and timings: apt-get install -y chromium (see .ci/run)".into());
    };
    let xtask = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    run(Command::new("node")
        .args(args)
        .env("CHROMIUM", chromium)
        .env("XTASK_SERVE", xtask)
        .env("DIST", root.join("dist"))
        .current_dir(dir(root)))
}

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].into_iter().find(|p| Path::new(p).exists())
}
