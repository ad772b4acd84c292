//! The seed compiler: `seeds/` → [`Kb`]. Runs in `build.rs` (included with `#[path]`) and, natively,
//! behind `policy-qa check`, so maintainers see exactly what the build will see.

pub(crate) mod dict;
pub(crate) mod facts;
pub(crate) mod html;
pub(crate) mod lexicon;
pub(crate) mod manifest;
pub(crate) mod parse;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::format::{Action, Clause, Doc, Keyword, Kb, Origin, Rule, Section, Term};
use crate::normalize::{normalize, T2s};

/// An error in a seed file, printed like a compiler's: `seeds/FILE:LINE: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    pub file: String,
    pub line: u32,
    pub msg: String,
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seeds/{}:{}: {}", self.file, self.line, self.msg)
    }
}

/// Everything the compiler reads, so that it can also run on inputs that never touched a disk.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    /// (file name, raw bytes), any order.
    pub docs: Vec<(String, Vec<u8>)>,
    pub manifest: Option<String>,
    pub lexicon: Option<String>,
    /// OpenCC `TSCharacters.txt`.
    pub t2s: Option<String>,
}

#[derive(Debug)]
pub struct Compiled {
    pub(crate) kb: Kb,
    /// Per keyword, the clauses containing it (the runtime finds these itself when asked).
    pub(crate) postings: Vec<Vec<u32>>,
    /// Per keyword, its text.
    pub(crate) terms: Vec<String>,
    /// Things a maintainer should look at; they do not fail the build.
    pub warnings: Vec<String>,
}

impl Compiled {
    pub fn kb_bytes(&self) -> Vec<u8> {
        crate::format::encode(&self.kb)
    }
}

pub(crate) const T2S_FILE: &str = "t2s/TSCharacters.txt";

fn is_doc_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".txt", ".html", ".htm"].iter().any(|e| lower.ends_with(e)) && !lower.starts_with('.')
}

/// Reads `dir` (the `seeds/` folder). Returns the inputs and every path read, sorted.
pub fn read_dir(dir: &Path) -> Result<(Inputs, Vec<std::path::PathBuf>), Vec<SeedError>> {
    let io_err = |file: &str, e: std::io::Error| vec![SeedError { file: file.to_string(), line: 1, msg: format!("cannot read: {e}") }];
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| io_err("", e))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut inputs = Inputs::default();
    let mut paths = Vec::new();
    for name in names {
        let path = dir.join(&name);
        if is_doc_file(&name) {
            inputs.docs.push((name.clone(), std::fs::read(&path).map_err(|e| io_err(&name, e))?));
        } else if name == manifest::FILE {
            inputs.manifest = Some(std::fs::read_to_string(&path).map_err(|e| io_err(&name, e))?);
        } else if name == lexicon::FILE {
            inputs.lexicon = Some(std::fs::read_to_string(&path).map_err(|e| io_err(&name, e))?);
        } else {
            continue;
        }
        paths.push(path);
    }
    let t2s = dir.join(T2S_FILE);
    if t2s.exists() {
        inputs.t2s = Some(std::fs::read_to_string(&t2s).map_err(|e| io_err(T2S_FILE, e))?);
        paths.push(t2s);
    }
    Ok((inputs, paths))
}

pub fn compile_dir(dir: &Path) -> Result<Compiled, Vec<SeedError>> {
    let (inputs, _) = read_dir(dir)?;
    compile(&inputs)
}

/// Decodes a seed's bytes: UTF-8 (with or without BOM), else GB18030/GBK with a warning.
pub(crate) fn decode(name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, SeedError> {
    let err = |line: u32, msg: String| SeedError { file: name.to_string(), line, msg };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let line = u32::try_from(bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1).unwrap_or(u32::MAX);
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(s) if s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => {
                    warnings.push(format!("seeds/{name}:{line}: not UTF-8; read as GB18030/GBK (consider converting it: iconv -f GB18030 -t UTF-8)"));
                    Ok(s.into_owned())
                }
                _ => Err(err(line, "not valid UTF-8, nor GB18030/GBK text; save it as UTF-8".to_string())),
            }
        }
    }
}

/// The id used in clause ids: the file-name prefix before the first `_` (`004_…` → `004`).
fn doc_id(stem: &str) -> String {
    stem.split('_').next().filter(|s| !s.is_empty()).unwrap_or(stem).to_string()
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

pub fn compile(inputs: &Inputs) -> Result<Compiled, Vec<SeedError>> {
    let mut errors: Vec<SeedError> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();

    let entries = match &inputs.manifest {
        Some(t) => manifest::parse(t).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        }),
        None => Vec::new(),
    };
    let lex = match &inputs.lexicon {
        Some(t) => lexicon::parse(t).unwrap_or_else(|e| {
            errors.extend(e);
            lexicon::Lexicon::default()
        }),
        None => lexicon::Lexicon::default(),
    };

    let mut docs_in: Vec<&(String, Vec<u8>)> = inputs.docs.iter().collect();
    docs_in.sort_by(|a, b| a.0.cmp(&b.0));
    let names: BTreeSet<&str> = docs_in.iter().map(|d| d.0.as_str()).collect();
    for e in &entries {
        if !names.contains(e.file.as_str()) {
            errors.push(SeedError { file: manifest::FILE.into(), line: e.line, msg: format!("entry names {}, which is not in seeds/", e.file) });
        }
    }

    let mut parsed = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in docs_in {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            errors.push(SeedError { file: name.clone(), line: 1, msg: "file is empty".into() });
            continue;
        }
        let text = match decode(name, bytes, &mut warnings) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let lower = name.to_ascii_lowercase();
        let text = if lower.ends_with(".html") || lower.ends_with(".htm") { html::to_text(&text) } else { text };
        let p = parse::parse(&text);
        let has_words = p.clauses.iter().any(|c| c.lines.iter().any(|l| l.chars().filter(|c| c.is_alphabetic()).count() >= 4));
        if p.clauses.is_empty() || !has_words {
            errors.push(SeedError { file: name.clone(), line: 1, msg: "no recognisable text: no paragraph of words found".into() });
            continue;
        }
        let id = doc_id(stem(name));
        if let Some(other) = ids.insert(id.clone(), name.clone()) {
            errors.push(SeedError { file: name.clone(), line: 1, msg: format!("duplicate document id {id:?}, also used by {other}; ids are the file-name prefix before `_`") });
            continue;
        }
        parsed.push((name.clone(), id, p));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut kb = Kb::default();
    for (name, id, p) in &parsed {
        let entry = entries.iter().find(|e| &e.file == name);
        if entry.is_none() {
            warnings.push(format!("seeds/{name}: no entry in seeds/{}; title taken from its first line, other metadata unknown", manifest::FILE));
        }
        let e = entry.cloned().unwrap_or_default();
        let first_line = p.clauses.first().and_then(|c| c.lines.first()).cloned().unwrap_or_default();
        let fallback_title: String = first_line.chars().take(60).collect();
        let mut inferred = e.inferred.clone();
        let title = e.title.clone().or_else(|| p.title.clone()).unwrap_or_else(|| {
            fallback_title.clone()
        });
        if e.title.is_none() {
            inferred.push("title".into());
        }
        let published = e.published.clone().or_else(|| {
            let d = p.published.clone().filter(|d| manifest::valid_date(d))?;
            inferred.push("published".into());
            Some(d)
        });
        inferred.sort();
        inferred.dedup();
        let doc_index = u32::try_from(kb.docs.len()).expect("fewer than 2^32 documents");
        kb.docs.push(Doc {
            id: id.clone(),
            file: stem(name).to_string(),
            title,
            kind: e.kind.clone().unwrap_or_else(|| "unknown".into()),
            issuer: e.issuer.clone(),
            lead: e.lead.clone(),
            number: e.number.clone(),
            published,
            valid_from: e.valid_from.clone(),
            valid_until: e.valid_until.clone(),
            validity_note: e.validity.clone(),
            source: e.source.clone(),
            region: e.region.clone(),
            replaces: e.replaces.clone(),
            extends: e.extends.clone(),
            inferred,
            in_manifest: entry.is_some(),
        });
        add_structure(&mut kb, doc_index, id, p);
    }

    // Traditional → Simplified, folded only where it can matter: towards characters the
    // knowledge base uses, and never away from one it uses itself (著作权 must stay 著).
    let mut vocab: BTreeSet<char> = BTreeSet::new();
    for c in &kb.clauses {
        vocab.extend(c.text.chars());
    }
    for d in &kb.docs {
        vocab.extend(d.title.chars());
    }
    for (terms, syns, _) in &lex.concepts {
        vocab.extend(terms.iter().chain(syns).flat_map(|w| w.chars()));
    }
    let words = lex.intents.iter().map(|(_, w)| w).chain(&lex.stop).chain(&lex.generic).chain(&lex.places);
    vocab.extend(words.flat_map(|w| w.chars()));
    let mut t2s: Vec<(char, char)> = Vec::new();
    if let Some(t) = &inputs.t2s {
        for line in t.lines() {
            let mut it = line.split(['\t', ' ']);
            let (Some(tr), Some(si)) = (it.next(), it.next()) else { continue };
            let (mut tc, mut sc) = (tr.chars(), si.chars());
            if let (Some(t), None, Some(s), None) = (tc.next(), tc.next(), sc.next(), sc.next()) {
                if t != s && vocab.contains(&s) && !vocab.contains(&t) {
                    t2s.push((t, s));
                }
            }
        }
        t2s.sort_unstable();
        t2s.dedup_by_key(|p| p.0);
    }
    kb.t2s_from = t2s.iter().map(|p| p.0).collect();
    kb.t2s_to = t2s.iter().map(|p| p.1).collect();

    link_duplicates(&mut kb);
    let (postings, terms) = build_rules(&mut kb, &T2s::new(t2s), &lex, &mut warnings);
    Ok(Compiled { kb, postings, terms, warnings })
}

fn add_structure(kb: &mut Kb, doc: u32, id: &str, p: &parse::ParsedDoc) {
    let base = u32::try_from(kb.sections.len()).expect("fewer than 2^32 sections");
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for s in &p.sections {
        let parent_path = s.parent.map(|i| kb.sections[(base as usize) + i].path.clone());
        let mut path = match &parent_path {
            Some(pp) => format!("{pp}.{}", s.ordinal),
            None => s.ordinal.to_string(),
        };
        // Numbering that restarts or repeats (two "1、" at one level) still needs unique ids.
        if paths.contains(&path) {
            let mut k = 2;
            while paths.contains(&format!("{path}b{k}")) {
                k += 1;
            }
            path = format!("{path}b{k}");
        }
        paths.insert(path.clone());
        kb.sections.push(Section {
            doc,
            parent: s.parent.map(|i| base + u32::try_from(i).expect("fits")),
            label: s.label.clone(),
            title: s.title.clone(),
            path,
        });
    }
    let mut per_section: HashMap<Option<usize>, u32> = HashMap::new();
    for c in &p.clauses {
        let n = per_section.entry(c.section).or_insert(0);
        *n += 1;
        let path = c.section.map_or_else(|| "0".to_string(), |i| kb.sections[(base as usize) + i].path.clone());
        let cid = if *n == 1 { format!("{id}-{path}") } else { format!("{id}-{path}-{n}") };
        let text = c.lines.join("\n");
        kb.clauses.push(Clause {
            id: cid,
            doc,
            section: c.section.map(|i| base + u32::try_from(i).expect("fits")),
            line: c.line,
            role: c.role,
            facts: facts::spans(&text),
            text,
            links: Vec::new(),
        });
    }
}

/// Links clauses that share a long passage (a reply quoting the action plan) so that answers can
/// show one and cite the other, instead of listing the same words twice.
fn link_duplicates(kb: &mut Kb) {
    const SHINGLE: usize = 16;
    const MIN_SHARED: usize = 16; // shingles: a shared run of about 31 characters
    const MAX_LINKS: usize = 4;
    let mut owners: HashMap<String, Vec<u32>> = HashMap::new();
    let mut shingles_of: Vec<BTreeSet<String>> = Vec::new();
    for (i, c) in kb.clauses.iter().enumerate() {
        let chars: Vec<char> = normalize(&c.text, &T2s::default()).chars().filter(|c| *c != ' ').collect();
        let set: BTreeSet<String> = chars.windows(SHINGLE).map(|w| w.iter().collect()).collect();
        for s in &set {
            owners.entry(s.clone()).or_default().push(u32::try_from(i).expect("fits"));
        }
        shingles_of.push(set);
    }
    for (i, set) in shingles_of.iter().enumerate() {
        let mut shared: BTreeMap<u32, usize> = BTreeMap::new();
        for s in set {
            for &j in &owners[s] {
                if j as usize != i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        // The closest few are enough to cite; a passage copied into hundreds of documents must
        // not make every clause carry hundreds of links.
        let mut close: Vec<(usize, u32)> = shared.into_iter().filter(|&(_, n)| n >= MIN_SHARED).map(|(j, n)| (n, j)).collect();
        close.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        close.truncate(MAX_LINKS);
        let mut links: Vec<u32> = close.into_iter().map(|(_, j)| j).collect();
        links.sort_unstable();
        kb.clauses[i].links = links;
    }
}

/// Keywords derived from the text: the phrases between punctuation and list connectives, which
/// in policy prose are the enumerated items (眼镜镜片、精密镶嵌、表面处理) and short headings.
/// Longer phrases are rarely typed verbatim; the bigram fallback finds them anyway, and every
/// pattern costs start-up time in the browser (the automaton is built on load).
const MAX_KEYWORD_CHARS: usize = 6;
/// A derived keyword must recur in this many clauses.
const MIN_DERIVED_CLAUSES: usize = 2;
const LEADING: &[char] = &['在', '对', '为', '将', '把', '按', '从', '向', '以', '于', '由', '被', '让', '使', '而', '是'];
const TRAILING: &[char] = &['中', '上', '了', '的'];

fn derived_terms(norm: &str, out: &mut BTreeSet<String>) {
    const SPLIT: &[&str] = &["以及", "的", "和", "与", "及", "等", "或", "并"];
    for word in norm.split(' ') {
        let mut pieces = vec![word.to_string()];
        for s in SPLIT {
            pieces = pieces.iter().flat_map(|p| p.split(s).map(str::to_string).collect::<Vec<_>>()).collect();
        }
        for p in pieces {
            // Prepositions and particles at a phrase's edge are not part of the term
            // (在福田 → 福田, 对企业 → 企业).
            let p = p.trim_start_matches(LEADING).trim_end_matches(TRAILING).to_string();
            let n = p.chars().count();
            let cjk = p.chars().all(crate::normalize::is_cjk);
            let latin = p.chars().all(|c| c.is_ascii_alphanumeric()) && p.chars().any(|c| c.is_ascii_alphabetic());
            if (cjk && (2..=MAX_KEYWORD_CHARS).contains(&n)) || (latin && n >= 2) {
                out.insert(p);
            }
        }
    }
}

fn build_rules(kb: &mut Kb, t2s: &T2s, lex: &lexicon::Lexicon, warnings: &mut Vec<String>) -> (Vec<Vec<u32>>, Vec<String>) {
    let norm = |s: &str| normalize(s, t2s);
    let clause_norm: Vec<String> = kb.clauses.iter().map(|c| norm(&c.text)).collect();

    let mut derived: BTreeSet<String> = BTreeSet::new();
    for n in &clause_norm {
        derived_terms(n, &mut derived);
    }
    for s in &kb.sections {
        derived_terms(&norm(&s.title), &mut derived);
    }
    let mut terms: BTreeMap<String, Origin> = derived.into_iter().map(|t| (t, Origin::Derived)).collect();
    // A user's word that the documents also use is document wording too: it stays a keyword
    // (培养 in 人才培养) instead of being replaced by the concept's other words.
    for (ts, syns, _) in &lex.concepts {
        for t in ts.iter().chain(syns) {
            terms.insert(norm(t), Origin::Lexicon);
        }
    }
    terms.remove("");

    // Postings: every clause whose text contains the term, found in one pass per clause.
    let list: Vec<&String> = terms.keys().collect();
    let ac = aho_corasick::AhoCorasick::new(&list).expect("keyword automaton builds");
    let mut postings: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); list.len()];
    for (ci, n) in clause_norm.iter().enumerate() {
        for m in ac.find_overlapping_iter(n) {
            postings[m.pattern().as_usize()].insert(u32::try_from(ci).expect("fits"));
        }
    }
    let mut index_of: BTreeMap<String, u32> = BTreeMap::new();
    let mut kept_postings = Vec::new();
    let mut kept_terms = Vec::new();
    for (k, (term, origin)) in terms.iter().enumerate() {
        // A lexicon term no document uses (yet) is no keyword.
        let Some(&first) = postings[k].iter().next() else { continue };
        // A derived phrase found in one clause only adds nothing the bigrams of that clause do not
        // already find, and every pattern costs start-up time in the browser.
        if *origin == Origin::Derived && postings[k].len() < MIN_DERIVED_CLAUSES {
            continue;
        }
        index_of.insert(term.clone(), u32::try_from(kb.keywords.len()).expect("fits"));
        let n = &clause_norm[first as usize];
        let byte = n.find(term.as_str()).expect("posting lists only clauses containing the term");
        let start = u32::try_from(byte).expect("fits");
        let len = u32::try_from(term.len()).expect("fits");
        kb.keywords.push(Keyword { term: Term::Span { clause: first, start, len }, origin: *origin });
        kept_postings.push(postings[k].iter().copied().collect());
        kept_terms.push(term.clone());
    }

    let mut rules: BTreeMap<String, BTreeSet<Action>> = BTreeMap::new();
    for (terms, syns, line) in &lex.concepts {
        let kws: Vec<u32> = terms.iter().filter_map(|t| index_of.get(&norm(t)).copied()).collect();
        if kws.is_empty() {
            warnings.push(format!("seeds/{}:{line}: no document uses any of {}; the rule matches nothing yet", lexicon::FILE, terms.join(" ")));
            continue;
        }
        let c = u32::try_from(kb.concepts.len()).expect("fits");
        kb.concepts.push(kws);
        for w in terms.iter().chain(syns) {
            rules.entry(norm(w)).or_default().insert(Action::Concept(c));
        }
    }
    for (x, w) in &lex.intents {
        rules.entry(norm(w)).or_default().insert(Action::Intent(*x));
    }
    for w in &lex.stop {
        rules.entry(norm(w)).or_default().insert(Action::Stop);
    }
    for w in &lex.generic {
        rules.entry(norm(w)).or_default().insert(Action::Generic);
    }
    for w in &lex.places {
        rules.entry(norm(w)).or_default().insert(Action::Place);
    }
    rules.remove("");
    kb.rules = rules.into_iter().map(|(pattern, a)| Rule { pattern, actions: a.into_iter().collect() }).collect();
    (kept_postings, kept_terms)
}

/// Used by `check`: the clauses that no keyword's postings reach.
pub(crate) fn unreached(c: &Compiled) -> Vec<u32> {
    let mut reached = vec![false; c.kb.clauses.len()];
    for p in &c.postings {
        for &i in p {
            reached[i as usize] = true;
        }
    }
    (0..c.kb.clauses.len()).filter(|&i| !reached[i]).map(|i| u32::try_from(i).expect("fits")).collect()
}





pub const FINGERPRINT_FILE: &str = "tests/data/fingerprint.txt";
pub const QUESTIONS_FILE: &str = "questions.tsv";

impl Compiled {
    /// One line per clause — id, hash of its text, length in characters — so that a content
    /// change is a reviewable diff of a committed file.
    pub fn fingerprint(&self) -> String {
        let mut s = format!(
            "# policy-qa knowledge-base fingerprint: clause id, FNV-1a 64 of its text, characters.\n# Refresh after changing seeds/: cargo run --release -- fingerprint > {FINGERPRINT_FILE}\n"
        );
        for c in &self.kb.clauses {
            s.push_str(&format!("{} {:016x} {}\n", c.id, crate::normalize::fnv1a(c.text.bytes()), c.text.chars().count()));
        }
        s
    }

    /// Clause text by id, for `diff`.
    pub fn clause_text(&self, id: &str) -> Option<&str> {
        self.kb.clauses.iter().find(|c| c.id == id).map(|c| c.text.as_str())
    }
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
pub fn read_questions(text: &str) -> Result<Vec<(u32, String, Vec<String>)>, SeedError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((q, ids)) = line.split_once('\t') else {
            return Err(SeedError { file: QUESTIONS_FILE.into(), line: n, msg: "expected `question<TAB>ids` (or `-`)".into() });
        };
        let ids: Vec<String> = if ids.trim() == "-" { Vec::new() } else { ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect() };
        out.push((n, q.trim().to_string(), ids));
    }
    Ok(out)
}
