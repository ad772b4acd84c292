//! Compiles `seeds/` into the postcard knowledge base embedded in the library.
//! Wiring only: the compiler itself is `src/compile`, shared with `policy-qa check`.
#![allow(dead_code)]

#[path = "src/compile/mod.rs"]
mod compile;
#[path = "src/format.rs"]
mod format;
#[path = "src/normalize.rs"]
mod normalize;
#[path = "src/sort.rs"]
mod sort;
#[path = "src/sound.rs"]
mod sound;
#[path = "src/text.rs"]
mod text;

use std::path::Path;

fn main() {
    let dir = Path::new("seeds");
    // The directory itself catches added and removed files; each file catches edits.
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=seeds/t2s");
    let result = compile::read_dir(dir).and_then(|(inputs, paths)| {
        for p in &paths {
            println!("cargo:rerun-if-changed={}", p.display());
        }
        compile::compile(&inputs)
    });
    match result {
        Ok(c) => {
            for w in &c.warnings {
                println!("cargo:warning={w}");
            }
            let out = Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).to_path_buf();
            std::fs::write(out.join("kb.bin"), c.kb_bytes()).expect("write kb.bin");
            // What only English questions need: the browser fetches it on demand.
            std::fs::write(out.join("english.bin"), c.english_bytes()).expect("write english.bin");
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("policy-qa: {} error(s) in seeds/; the knowledge base was not built", errors.len());
            std::process::exit(1);
        }
    }
}
