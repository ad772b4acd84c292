//! `cargo xtask test`: every test, native first, then the widget in headless Chromium.

use crate::process::run;
use crate::{browser, dist, setup, Result};
use std::path::Path;
use std::process::Command;

pub(crate) fn test(root: &Path) -> Result {
    run(Command::new("cargo").args(["test", "--release", "--workspace"]).current_dir(root))?;
    // The scale benchmark at a size that fits CI; the large sizes are run by `cargo xtask bench`.
    run(Command::new("cargo").args(["bench", "--bench", "scale", "--", "50"]).current_dir(root))?;
    setup::setup(root)?;
    dist::dist(root)?;
    browser::node(root, &["--test", "--test-reporter=spec", "widget.test.mjs"])
}
