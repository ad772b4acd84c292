//! Maintainers' tooling: `check` (the compiled tree, warnings, changes, regression questions),
//! `diff` and `fingerprint` (clauses added, removed and changed, as a committed file shows them).

use std::path::PathBuf;

use super::{flag, report, seeds_arg, today};
use crate::compile::manifest::Entry;
use crate::compile::{self, Compiled, SeedError};
use crate::format::{Clause, Doc, Kb, Origin};

pub(crate) const FINGERPRINT_FILE: &str = "tests/data/fingerprint.txt";
/// The maintainers' regression questions, in `seeds/`.
pub(crate) const QUESTIONS_FILE: &str = "questions.tsv";

pub(super) fn check(args: &[String]) -> i32 {
    let dir = seeds_arg(args);
    let compiled = match compile::compile_dir(&dir) {
        Ok(c) => c,
        Err(errors) => return report(&errors),
    };
    print!("{}", tree(&compiled));
    for w in &compiled.warnings {
        println!("warning: {w}");
    }
    for n in &compiled.notes {
        println!("note: {n}");
    }
    let against = PathBuf::from(FINGERPRINT_FILE);
    if let Ok(old) = std::fs::read_to_string(&against) {
        let (added, removed, changed) = fingerprint_diff(&old, &fingerprint(&compiled));
        println!(
            "changes against {}: {} added, {} removed, {} changed (policy-qa diff lists them)",
            against.display(),
            added.len(),
            removed.len(),
            changed.len()
        );
    }
    match std::fs::read_to_string(dir.join(QUESTIONS_FILE)) {
        Ok(text) => match run_questions(&compiled, &text) {
            Ok(0) => 0,
            Ok(_) => 1,
            Err(e) => report(&[e]),
        },
        Err(_) => 0,
    }
}

pub(super) fn diff(args: &[String]) -> i32 {
    let compiled = match compile::compile_dir(&seeds_arg(args)) {
        Ok(c) => c,
        Err(errors) => return report(&errors),
    };
    let path = flag(args, "--against").unwrap_or_else(|| FINGERPRINT_FILE.into());
    let old = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("policy-qa diff: {path}: {e}");
            return 1;
        }
    };
    let (added, removed, changed) = fingerprint_diff(&old, &fingerprint(&compiled));
    let preview = |id: &str| -> String {
        let text = compiled.kb.clauses.iter().find(|c| c.id == id).map_or("", |c| c.text.as_str());
        text.chars().filter(|ch| *ch != '\n').take(50).collect()
    };
    for id in &added {
        println!("+ {id}  {}", preview(id));
    }
    for id in &removed {
        println!("- {id}");
    }
    for id in &changed {
        println!("~ {id}  {}", preview(id));
    }
    println!("{} added, {} removed, {} changed against {path}", added.len(), removed.len(), changed.len());
    0
}

/// `fingerprint`: prints the fingerprint of the seeds.
pub(super) fn print_fingerprint(args: &[String]) -> i32 {
    match compile::compile_dir(&seeds_arg(args)) {
        Ok(compiled) => {
            print!("{}", fingerprint(&compiled));
            0
        }
        Err(errors) => report(&errors),
    }
}

/// One line per clause — id, hash of its text, length in characters — so that a content
/// change is a reviewable diff of a committed file.
pub fn fingerprint(compiled: &Compiled) -> String {
    let mut s = format!(
        "# policy-qa knowledge-base fingerprint: clause id, FNV-1a 64 of its text, characters.\n# Refresh after changing seeds/: cargo run --release -- fingerprint > {FINGERPRINT_FILE}\n"
    );
    for clause in &compiled.kb.clauses {
        let text = &clause.text;
        s.push_str(&format!("{} {:016x} {}\n", clause.id, crate::normalize::fnv1a(text.bytes()), text.chars().count()));
    }
    s
}

/// What changed between two fingerprints: (added, removed, changed) clause ids.
pub fn fingerprint_diff(old: &str, new: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let parse = |t: &str| -> Vec<(String, String)> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?.to_string(), it.next()?.to_string()))
            })
            .collect()
    };
    let (old, new) = (parse(old), parse(new));
    let find = |v: &[(String, String)], id: &str| v.iter().find(|(i, _)| i == id).map(|(_, h)| h.clone());
    let added = new.iter().filter(|(id, _)| find(&old, id).is_none()).map(|(id, _)| id.clone()).collect();
    let removed = old.iter().filter(|(id, _)| find(&new, id).is_none()).map(|(id, _)| id.clone()).collect();
    let changed = new.iter().filter(|(id, h)| find(&old, id).is_some_and(|o| &o != h)).map(|(id, _)| id.clone()).collect();
    (added, removed, changed)
}

/// A maintainers' regression question: (line, question, clause ids that may answer first;
/// empty when the documents should not answer).
/// One maintainers' question: (line, question, ids that may answer it first, known regression).
/// A third column `known: WHY` marks a question whose answer is known to have moved, with why;
/// it is reported but not counted, and counted again once it answers as expected (remove the
/// mark then): the list keeps saying what the right answer is.
pub(crate) type Question = (u32, String, Vec<String>, Option<String>);

pub(crate) fn read_questions(text: &str) -> Result<Vec<Question>, SeedError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut columns = line.split('\t');
        let (Some(q), Some(ids)) = (columns.next(), columns.next()) else {
            return Err(SeedError { file: QUESTIONS_FILE.into(), line: n, msg: "expected `question<TAB>ids` (or `-`)".into() });
        };
        let known = match columns.next().map(str::trim) {
            None | Some("") => None,
            Some(k) => match k.strip_prefix("known:") {
                Some(why) if !why.trim().is_empty() => Some(why.trim().to_string()),
                _ => return Err(SeedError { file: QUESTIONS_FILE.into(), line: n, msg: "third column must be `known: WHY`".into() }),
            },
        };
        let ids: Vec<String> = if ids.trim() == "-" { Vec::new() } else { ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect() };
        out.push((n, q.trim().to_string(), ids, known));
    }
    Ok(out)
}

/// Runs the maintainers' questions against a freshly compiled knowledge base; returns how
/// many answers moved away from what the list expects.
pub fn run_questions(compiled: &Compiled, text: &str) -> Result<usize, SeedError> {
    let questions = read_questions(text)?;
    let engine = compiled.engine().expect("a knowledge base just compiled loads");
    let today = today();
    let mut moved = 0;
    let mut known_moved = 0;
    for (line, question, want, known) in &questions {
        let answer = engine.ask(question, &today);
        let top = answer.answers.first().map(|i| i.id.as_str());
        let ok = match top {
            None => want.is_empty(),
            Some(id) => want.iter().any(|w| w == id),
        };
        let where_ = format!("seeds/{QUESTIONS_FILE}:{line}: {question:?}");
        let want = if want.is_empty() { "no answer".to_string() } else { want.join(" or ") };
        match (ok, known) {
            (true, None) => {}
            (false, None) => {
                moved += 1;
                println!("moved: {where_} now answers {}, expected {want}", top.unwrap_or("nothing"));
            }
            (false, Some(why)) => {
                known_moved += 1;
                println!("known: {where_} answers {}, expected {want} ({why})", top.unwrap_or("nothing"));
            }
            (true, Some(_)) => {
                moved += 1;
                println!("fixed: {where_} answers as expected again: remove its `known:` mark");
            }
        }
    }
    let right = questions.len() - moved - known_moved;
    println!("maintainers' questions: {right} of {} answer as expected, {known_moved} known to have moved", questions.len());
    Ok(moved)
}

/// The document/section/clause tree and a summary, as `check` prints it.
pub(crate) fn tree(compiled: &Compiled) -> String {
    let kb = &compiled.kb;
    let mut keywords_of: Vec<Vec<&str>> = vec![Vec::new(); kb.clauses.len()];
    for (clauses, term) in compiled.postings.iter().zip(&compiled.terms) {
        for &clause in clauses {
            keywords_of[clause as usize].push(term);
        }
    }
    let mut s = String::new();
    for (doc_index, doc) in kb.docs.iter().enumerate() {
        s.push_str(&doc_header(doc, compiled.manifest[doc_index].as_ref()));
        let mut printed_sections = vec![false; kb.sections.len()];
        for (clause_index, clause) in kb.clauses.iter().enumerate().filter(|(_, c)| c.doc as usize == doc_index) {
            s.push_str(&section_headings(kb, clause, &mut printed_sections));
            s.push_str(&clause_lines(kb, clause, &keywords_of[clause_index]));
        }
    }
    s.push_str(&summary(compiled));
    s
}

/// A document's title line and its metadata, with what was inferred and whether the manifest
/// describes it at all.
fn doc_header(doc: &Doc, entry: Option<&Entry>) -> String {
    let meta = &doc.meta;
    let mut s = format!("\n{} 《{}》\n", doc.file, doc.title);
    let valid = match (&meta.valid_from, &meta.valid_until) {
        (Some(from), until) => Some(format!("{from} – {}", until.clone().unwrap_or_default())),
        (None, until) => until.as_ref().map(|u| format!("until {u}")),
    };
    let fields = [
        ("kind", Some(doc.kind.clone())),
        ("issuer", meta.issuer.clone()),
        ("lead", entry.and_then(|e| e.lead_department.clone())),
        ("number", meta.number.clone()),
        ("published", meta.published.clone()),
        ("valid", valid),
        ("source", meta.source.clone()),
    ];
    let shown: Vec<String> = fields.iter().filter_map(|(name, v)| v.as_ref().map(|v| format!("{name}: {v}"))).collect();
    s.push_str(&format!("  {}\n", shown.join(" | ")));
    if !meta.inferred.is_empty() {
        s.push_str(&format!("  inferred: {}\n", meta.inferred.join(", ")));
    }
    if entry.is_none() {
        s.push_str("  (no manifest entry: metadata unknown)\n");
    }
    s
}

/// The headings of the sections `clause` is in that are not printed yet, outermost first.
fn section_headings(kb: &Kb, clause: &Clause, printed: &mut [bool]) -> String {
    let mut s = String::new();
    for (depth, &section) in section_chain(kb, clause).iter().rev().enumerate() {
        if !printed[section as usize] {
            printed[section as usize] = true;
            let heading = &kb.sections[section as usize];
            s.push_str(&format!("  {}{}{}\n", "  ".repeat(depth), heading.label, heading.title));
        }
    }
    s
}

/// The sections a clause is in, innermost first.
fn section_chain(kb: &Kb, clause: &Clause) -> Vec<u32> {
    let mut chain = Vec::new();
    let mut section = clause.section;
    while let Some(index) = section {
        chain.push(index);
        section = kb.sections[index as usize].parent;
    }
    chain
}

/// A clause's line in the tree, then its facts, keywords and links to other documents.
fn clause_lines(kb: &Kb, clause: &Clause, keywords: &[&str]) -> String {
    let indent = "  ".repeat(section_chain(kb, clause).len() + 1);
    let preview: String = clause.text.chars().map(|ch| if ch == '\n' { '⏎' } else { ch }).take(40).collect();
    let mut s = format!("{indent}[{}] line {} {:?} {}字 {preview}…\n", clause.id, clause.line, clause.role, clause.text.chars().count());
    for fact in &clause.facts {
        s.push_str(&format!("{indent}    {:?}: {}\n", fact.kind, fact.text(&clause.text)));
    }
    let mut longest = keywords.to_vec();
    longest.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    longest.truncate(12);
    if longest.is_empty() {
        s.push_str(&format!("{indent}    warning: no keyword reaches this clause\n"));
    } else {
        s.push_str(&format!("{indent}    keywords: {}\n", longest.join(" ")));
    }
    for &link in &clause.links {
        let other = &kb.clauses[link as usize];
        if other.doc != clause.doc {
            s.push_str(&format!("{indent}    duplicates a passage of {}\n", other.id));
        }
    }
    s
}

fn summary(compiled: &Compiled) -> String {
    let kb = &compiled.kb;
    let unreached = unreached(compiled);
    let dup_pairs = kb.clauses.iter().enumerate().map(|(i, c)| c.links.iter().filter(|&&l| l as usize > i).count()).sum::<usize>();
    let derived = kb.keywords.iter().filter(|k| k.origin == Origin::Derived).count();
    format!(
        "\nsummary: {} documents, {} sections, {} clauses, {} keywords ({} derived, {} lexicon), {} rules (and {} with Latin letters in the English file), {} clauses no keyword reaches, {} duplicated passages, {} traditional→simplified folds\n",
        kb.docs.len(),
        kb.sections.len(),
        kb.clauses.len(),
        kb.keywords.len(),
        derived,
        kb.keywords.len() - derived,
        kb.rules.len(),
        compiled.english.rules.len(),
        unreached.len(),
        dup_pairs,
        kb.t2s_from.chars().count()
    )
}

/// The clauses that no keyword's postings reach.
fn unreached(compiled: &Compiled) -> Vec<u32> {
    let mut reached = vec![false; compiled.kb.clauses.len()];
    for clauses in &compiled.postings {
        for &clause in clauses {
            reached[clause as usize] = true;
        }
    }
    (0..reached.len()).filter(|&i| !reached[i]).map(|i| u32::try_from(i).expect("fits")).collect()
}
