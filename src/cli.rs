//! The `policy-qa` command line: `ask` for anyone, `check` for maintainers.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use crate::compile;
use crate::engine::{Answer, Engine, Item};
use crate::compile::Compiled;

const HELP: &str = "policy-qa — answers questions about the policy documents in seeds/

USAGE:
    policy-qa ask [--json] [--today YYYY-MM-DD] [QUESTION]
        Answer QUESTION. Without QUESTION, read one question per line from standard input
        (with --json, print one JSON object per line, in the same order).
    policy-qa check [--seeds DIR]
        Compile DIR (default: seeds) as the build does; print every document's section and
        clause tree, the facts and keywords found, warnings and a summary. Exit 1 on errors.
        Also runs seeds/questions.tsv (exit 1 when an answer moved) and lists clauses added,
        removed or changed against tests/data/fingerprint.txt.
    policy-qa diff [--seeds DIR] [--against FILE]
        Clauses added, removed and changed against a fingerprint (default tests/data/fingerprint.txt).
    policy-qa fingerprint [--seeds DIR]
        Print the knowledge base's fingerprint (one line per clause: id, hash, size).
    policy-qa docs
        List the documents in the built-in knowledge base.
    policy-qa snapshot
        Print the answers to every known question (dev set, seeds/questions.tsv, the blind bank
        in tests/data/bank/) in the readable form of tests/data/answers.txt.
";

/// Runs the CLI; returns the process exit code.
pub fn run(args: Vec<String>) -> i32 {
    let mut it = args.into_iter().skip(1);
    match it.next().as_deref() {
        Some("ask") => ask(it.collect()),
        Some("check") => check(it.collect()),
        Some("diff") => diff(it.collect()),
        Some("fingerprint") => match compile::compile_dir(&seeds_arg(&it.collect::<Vec<_>>())) {
            Ok(c) => {
                print!("{}", c.fingerprint());
                0
            }
            Err(errors) => report(&errors),
        },
        Some("snapshot") => {
            print!("{}", snapshot(&Engine::new(), &snapshot_questions(std::path::Path::new("."))));
            0
        }
        Some("docs") => {
            let e = Engine::new();
            for d in e.documents() {
                println!("{}  {}  《{}》 {} clauses{}", d.id, d.kind, d.title, d.clauses, d.number.map(|n| format!("  {n}")).unwrap_or_default());
            }
            0
        }
        Some("-h" | "--help" | "help") | None => {
            print!("{HELP}");
            0
        }
        Some(other) => {
            eprintln!("policy-qa: unknown command {other:?}\n\n{HELP}");
            2
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → YYYY-MM-DD (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn ask(args: Vec<String>) -> i32 {
    let mut json = false;
    let mut today_arg = None;
    let mut words = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--explain" => {
                let e = Engine::new();
                print!("{}", e.explain(&it.collect::<Vec<_>>().join(" ")));
                return 0;
            }
            "--today" => today_arg = it.next(),
            _ => words.push(a),
        }
    }
    let today = today_arg.unwrap_or_else(today);
    let engine = Engine::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut emit = |a: &Answer| -> std::io::Result<()> {
        if json {
            writeln!(out, "{}", serde_json::to_string(a).expect("answers serialise"))
        } else {
            write!(out, "{}", render(a))
        }
    };
    let result = if words.is_empty() {
        let stdin = std::io::stdin();
        let mut r = Ok(());
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            r = emit(&engine.ask(&line, &today));
            if r.is_err() {
                break;
            }
        }
        r
    } else {
        emit(&engine.ask(&words.join(" "), &today))
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("policy-qa: {e}");
            1
        }
    }
}

fn validity_text(i: &Item) -> String {
    let v = &i.validity;
    let mut s = match v.status.name() {
        "in_force" => format!("有效（至 {}）", v.until.as_deref().unwrap_or("?")),
        "lapsed" => format!("已失效（{} 到期）", v.until.as_deref().unwrap_or("?")),
        "not_yet" => format!("尚未生效（{} 起）", v.from.as_deref().unwrap_or("?")),
        _ => "有效期未知".to_string(),
    };
    if v.inferred {
        s.push_str("，日期为推断");
    }
    s
}

/// The readable form of an answer, for people at a terminal.
pub fn render(a: &Answer) -> String {
    let mut s = format!("问：{}\n", a.question);
    if let Some(n) = &a.notice {
        s.push_str(&format!("（{n}）\n"));
    }
    // An empty question's notice already says what to do.
    if a.answers.is_empty() && !a.question.trim().is_empty() {
        s.push_str("没有找到回答这个问题的政策条款。\n");
    }
    for (k, i) in a.answers.iter().enumerate() {
        s.push_str(&format!("\n[{}] {}  ({})\n", k + 1, i.citation, i.id));
        for line in i.text.lines() {
            s.push_str(&format!("    {line}\n"));
        }
        for f in &i.facts {
            s.push_str(&format!("    · {}: {}\n", f.kind, f.text));
        }
        s.push_str(&format!("    · 状态: {}\n", validity_text(i)));
        if !i.also_in.is_empty() {
            s.push_str(&format!("    · 亦见: {}\n", i.also_in.join(", ")));
        }
        s.push_str(&format!("    · 匹配: {}\n", i.matched.join(" ")));
    }
    if !a.related.is_empty() {
        s.push_str("\n相关条款：\n");
        for i in &a.related {
            let head: String = i.text.chars().filter(|c| *c != '\n').take(60).collect();
            s.push_str(&format!("  - {} ({})：{}…\n", i.citation, i.id, head));
        }
    }
    s
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn seeds_arg(args: &[String]) -> PathBuf {
    PathBuf::from(flag(args, "--seeds").unwrap_or_else(|| "seeds".into()))
}

fn report(errors: &[compile::SeedError]) -> i32 {
    for e in errors {
        eprintln!("{e}");
    }
    eprintln!("policy-qa: {} error(s) in seeds/", errors.len());
    1
}

fn check(args: Vec<String>) -> i32 {
    let dir = seeds_arg(&args);
    let c = match compile::compile_dir(&dir) {
        Ok(c) => c,
        Err(errors) => return report(&errors),
    };
    print!("{}", tree(&c));
    for w in &c.warnings {
        println!("warning: {w}");
    }
    let against = PathBuf::from(compile::FINGERPRINT_FILE);
    if let Ok(old) = std::fs::read_to_string(&against) {
        let (a, r, ch) = compile::fingerprint_diff(&old, &c.fingerprint());
        println!("changes against {}: {} added, {} removed, {} changed (policy-qa diff lists them)", against.display(), a.len(), r.len(), ch.len());
    }
    match std::fs::read_to_string(dir.join(compile::QUESTIONS_FILE)) {
        Ok(text) => match run_questions(&c, &text) {
            Ok(0) => 0,
            Ok(_) => 1,
            Err(e) => report(&[e]),
        },
        Err(_) => 0,
    }
}

/// Runs the maintainers' questions against a freshly compiled knowledge base; returns how
/// many answers moved away from what the list expects.
pub fn run_questions(c: &Compiled, text: &str) -> Result<usize, compile::SeedError> {
    let questions = compile::read_questions(text)?;
    let engine = Engine::from_bytes(&c.kb_bytes()).expect("a knowledge base just compiled loads");
    let today = today();
    let mut moved = 0;
    for (line, q, want) in &questions {
        let a = engine.ask(q, &today);
        let top = a.answers.first().map(|i| i.id.as_str());
        let ok = match top {
            None => want.is_empty(),
            Some(id) => want.iter().any(|w| w == id),
        };
        if !ok {
            moved += 1;
            let want = if want.is_empty() { "no answer".to_string() } else { want.join(" or ") };
            println!("moved: seeds/{}:{line}: {q:?} now answers {}, expected {want}", compile::QUESTIONS_FILE, top.unwrap_or("nothing"));
        }
    }
    println!("maintainers' questions: {} of {} answer as expected", questions.len() - moved, questions.len());
    Ok(moved)
}

fn diff(args: Vec<String>) -> i32 {
    let c = match compile::compile_dir(&seeds_arg(&args)) {
        Ok(c) => c,
        Err(errors) => return report(&errors),
    };
    let path = flag(&args, "--against").unwrap_or_else(|| compile::FINGERPRINT_FILE.into());
    let old = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("policy-qa diff: {path}: {e}");
            return 1;
        }
    };
    let (added, removed, changed) = compile::fingerprint_diff(&old, &c.fingerprint());
    let preview = |id: &str| -> String { c.clause_text(id).unwrap_or("").chars().filter(|ch| *ch != '\n').take(50).collect() };
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

/// The document/section/clause tree and a summary, as `check` prints it.
pub(crate) fn tree(compiled: &Compiled) -> String {
    let kb = &compiled.kb;
    let mut s = String::new();
    let mut kw_of: Vec<Vec<&str>> = vec![Vec::new(); kb.clauses.len()];
    for (k, p) in compiled.postings.iter().enumerate() {
        for &c in p {
            kw_of[c as usize].push(&compiled.terms[k]);
        }
    }
    for (di, d) in kb.docs.iter().enumerate() {
        s.push_str(&format!("\n{} 《{}》\n", d.file, d.title));
        let meta = [
            ("kind", Some(d.kind.clone())),
            ("issuer", d.issuer.clone()),
            ("lead", d.lead.clone()),
            ("number", d.number.clone()),
            ("published", d.published.clone()),
            ("valid", d.valid_from.clone().map(|f| format!("{f} – {}", d.valid_until.clone().unwrap_or_default())).or(d.valid_until.clone().map(|u| format!("until {u}")))),
            ("source", d.source.clone()),
        ];
        let shown: Vec<String> = meta.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}"))).collect();
        s.push_str(&format!("  {}\n", shown.join(" | ")));
        if !d.inferred.is_empty() {
            s.push_str(&format!("  inferred: {}\n", d.inferred.join(", ")));
        }
        if !d.in_manifest {
            s.push_str("  (no manifest entry: metadata unknown)\n");
        }
        let mut printed_sections = vec![false; kb.sections.len()];
        for (ci, c) in kb.clauses.iter().enumerate().filter(|(_, c)| c.doc as usize == di) {
            // Print each section heading before its first clause, with its ancestors.
            let mut chain = Vec::new();
            let mut sec = c.section;
            while let Some(x) = sec {
                chain.push(x);
                sec = kb.sections[x as usize].parent;
            }
            for (depth, &x) in chain.iter().rev().enumerate() {
                if !printed_sections[x as usize] {
                    printed_sections[x as usize] = true;
                    let sc = &kb.sections[x as usize];
                    s.push_str(&format!("  {}{}{}\n", "  ".repeat(depth), sc.label, sc.title));
                }
            }
            let indent = "  ".repeat(chain.len() + 1);
            let head: String = c.text.chars().map(|ch| if ch == '\n' { '⏎' } else { ch }).take(40).collect();
            s.push_str(&format!("{indent}[{}] line {} {:?} {}字 {head}…\n", c.id, c.line, c.role, c.text.chars().count()));
            for f in &c.facts {
                s.push_str(&format!("{indent}    {:?}: {}\n", f.kind, f.text(&c.text)));
            }
            let mut kws = kw_of[ci].clone();
            kws.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
            kws.truncate(12);
            if kws.is_empty() {
                s.push_str(&format!("{indent}    warning: no keyword reaches this clause\n"));
            } else {
                s.push_str(&format!("{indent}    keywords: {}\n", kws.join(" ")));
            }
            for &l in &c.links {
                let o = &kb.clauses[l as usize];
                if o.doc != c.doc {
                    s.push_str(&format!("{indent}    duplicates a passage of {}\n", o.id));
                }
            }
        }
    }
    let unreached = compile::unreached(compiled);
    let dup_pairs = kb.clauses.iter().enumerate().map(|(i, c)| c.links.iter().filter(|&&l| l as usize > i).count()).sum::<usize>();
    let derived = kb.keywords.iter().filter(|k| k.origin == crate::format::Origin::Derived).count();
    s.push_str(&format!(
        "\nsummary: {} documents, {} sections, {} clauses, {} keywords ({} derived, {} lexicon), {} rules, {} clauses no keyword reaches, {} duplicated passages, {} traditional→simplified folds\n",
        kb.docs.len(),
        kb.sections.len(),
        kb.clauses.len(),
        kb.keywords.len(),
        derived,
        kb.keywords.len() - derived,
        kb.rules.len(),
        unreached.len(),
        dup_pairs,
        kb.t2s_from.chars().count()
    ));
    s
}

/// The date every snapshot is taken on, so that validity does not change with the calendar.
pub const SNAPSHOT_DAY: &str = "2026-11-21";

/// Every question whose answers the snapshot records, from the files under `root`: the dev set,
/// the maintainers' questions and the blind bank, in file order.
pub fn snapshot_questions(root: &std::path::Path) -> Vec<String> {
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    let mut files = vec![root.join("tests/data/dev.jsonl")];
    let mut bank: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/bank"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect())
        .unwrap_or_default();
    bank.sort();
    files.extend(bank);
    let mut out: Vec<String> = Vec::new();
    for f in &files {
        for line in read(f).lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                out.extend(v["q"].as_str().map(str::to_string));
            }
        }
    }
    let tsv = read(&root.join("seeds").join(compile::QUESTIONS_FILE));
    out.extend(tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|l| l.split('\t').next()).map(str::to_string));
    out
}

/// The answers to `questions` in a stable, readable form: a reviewable diff of answers.
pub fn snapshot(engine: &Engine, questions: &[String]) -> String {
    let mut out = String::new();
    for q in questions {
        let a = engine.ask(q, SNAPSHOT_DAY);
        out.push_str(&format!("## {q}\n"));
        if let Some(intent) = a.intent {
            out.push_str(&format!("intent {intent}\n"));
        }
        if let Some(n) = &a.notice {
            out.push_str(&format!("notice {n}\n"));
        }
        for (label, items) in [("answer", &a.answers), ("related", &a.related)] {
            for i in items.iter() {
                out.push_str(&format!("{label} {} score {:.3} coverage {:.3}\n", i.id, i.score, i.coverage));
            }
        }
        if a.answers.is_empty() && a.related.is_empty() {
            out.push_str("nothing\n");
        }
    }
    out
}
