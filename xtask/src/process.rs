//! Running the tools the tasks drive (cargo, wasm-bindgen, wasm-opt, npm, node).

use crate::Result;
use std::process::Command;

/// Runs `cmd`, echoing it first; fails naming the program if it cannot start or fails.
pub(crate) fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed with {status}", cmd.get_program()))
    }
}

/// `cmd`'s standard output, or `None` if it cannot start or fails (for probing installed tools).
pub(crate) fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
