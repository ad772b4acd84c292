//! The seed compiler: `seeds/` → [`Kb`]. Runs in `build.rs` (included with `#[path]`) and, natively,
//! behind `policy-qa check`, so maintainers see exactly what the build will see.

pub(crate) mod dict;
pub(crate) mod facts;
pub(crate) mod header;
pub(crate) mod html;
pub(crate) mod keywords;
pub(crate) mod lexicon;
pub(crate) mod manifest;
pub(crate) mod parse;
pub(crate) mod structure;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use crate::format::{Doc, Kb};
use crate::normalize::T2s;

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
    /// General dictionaries (`seeds/dict/`), reduced to the knowledge base's needs.
    pub dicts: dict::Dicts,
}

#[derive(Debug)]
pub struct Compiled {
    pub(crate) kb: Kb,
    /// English keys (stems) → the documents' Chinese words, from CC-CEDICT and the lexicon;
    /// sorted by key. Shipped as a file of its own (`english_bytes`).
    pub(crate) english: crate::format::EnglishFile,
    /// Per keyword, the clauses containing it (the runtime finds these itself when asked).
    pub(crate) postings: Vec<Vec<u32>>,
    /// Per keyword, its text.
    pub(crate) terms: Vec<String>,
    /// Things a maintainer should look at; they do not fail the build.
    pub warnings: Vec<String>,
    /// What `check` mentions but a build need not: lexicon rules no document uses yet.
    pub notes: Vec<String>,
    /// Per document, its manifest entry (`None` without one): `check` shows what does not ship.
    pub(crate) manifest: Vec<Option<manifest::Entry>>,
}

impl Compiled {
    pub fn kb_bytes(&self) -> Vec<u8> {
        crate::format::encode(&self.kb)
    }

    /// The English table, the file English questions need (`Engine::add_english`).
    pub fn english_bytes(&self) -> Vec<u8> {
        crate::format::encode_english(&self.english)
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
    let d = &mut inputs.dicts;
    for (file, text) in [(dict::CEDICT_FILE, &mut d.cedict), (dict::PINYIN_FILE, &mut d.pinyin), (dict::WORDS_FILE, &mut d.words)] {
        let path = dir.join(file);
        if path.exists() {
            *text = std::fs::read_to_string(&path).map_err(|e| io_err(file, e))?;
            paths.push(path);
        }
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

/// seeds → knowledge base, in the order data flows: read the files, describe each document,
/// build the folding table, then the structure, the links between clauses and the rules.
pub fn compile(inputs: &Inputs) -> Result<Compiled, Vec<SeedError>> {
    let mut warnings: Vec<String> = Vec::new();
    let sources = read(inputs, &mut warnings)?;
    let entries: Vec<Option<&manifest::Entry>> =
        sources.docs.iter().map(|source| sources.entries.iter().find(|e| e.file == source.name)).collect();
    let docs = sources.docs.iter().zip(&entries).map(|(source, &entry)| describe(source, entry, &mut warnings)).collect();
    let mut kb = Kb { docs, ..Kb::default() };

    let t2s = inputs.t2s.as_deref().map_or_else(Vec::new, |table| folding_table(table, &vocabulary(&kb, &sources)));
    kb.t2s_from = t2s.iter().map(|p| p.0).collect();
    kb.t2s_to = t2s.iter().map(|p| p.1).collect();

    for (doc, source) in sources.docs.iter().enumerate() {
        let doc = u32::try_from(doc).expect("fewer than 2^32 documents");
        structure::add_structure(&mut kb, doc, &source.id, &source.parsed);
    }
    structure::link_duplicates(&mut kb);
    let t2s = T2s::new(t2s);
    let norms: Vec<String> = kb.clauses.iter().map(|c| crate::normalize::normalize(&c.text, &t2s)).collect();
    let lexicon = keywords::for_documents(&sources.lexicon, &norms, &t2s);
    scopes(&mut kb, &norms, &lexicon, &t2s);
    let mut notes = Vec::new();
    let (postings, terms) = keywords::build_rules(&mut kb, &norms, &t2s, &lexicon, &mut notes);
    let table = dictionaries(&mut kb, &norms, &inputs.dicts, &lexicon, &terms);
    // Rules only a question with a Latin letter can match ship with the English table.
    let (rules, han): (Vec<_>, Vec<_>) = std::mem::take(&mut kb.rules).into_iter().partition(|r| crate::normalize::has_letter(&r.pattern));
    kb.rules = han;
    let english = crate::format::EnglishFile { table, rules };
    let manifest = entries.into_iter().map(Option::<&manifest::Entry>::cloned).collect();
    Ok(Compiled { kb, english, postings, terms, warnings, notes, manifest })
}

/// The inputs, read and checked: every document decoded and parsed, in file-name order.
struct Sources {
    entries: Vec<manifest::Entry>,
    lexicon: lexicon::Lexicon,
    docs: Vec<Source>,
}

struct Source {
    /// The seed's file name.
    name: String,
    /// See [`doc_id`].
    id: String,
    parsed: parse::ParsedDoc,
}

/// Reads the manifest, the lexicon and every document; all their errors at once.
fn read(inputs: &Inputs, warnings: &mut Vec<String>) -> Result<Sources, Vec<SeedError>> {
    let mut errors: Vec<SeedError> = Vec::new();
    let entries = match &inputs.manifest {
        Some(text) => manifest::parse(text).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        }),
        None => Vec::new(),
    };
    let lexicon = match &inputs.lexicon {
        Some(text) => lexicon::parse(text).unwrap_or_else(|e| {
            errors.extend(e);
            lexicon::Lexicon::default()
        }),
        None => lexicon::Lexicon::default(),
    };
    let mut files: Vec<&(String, Vec<u8>)> = inputs.docs.iter().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let names: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    for e in &entries {
        if !names.contains(e.file.as_str()) {
            errors.push(SeedError { file: manifest::FILE.into(), line: e.line, msg: format!("entry names {}, which is not in seeds/", e.file) });
        }
    }
    let mut docs = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in files {
        let parsed = match read_doc(name, bytes, warnings) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let id = doc_id(stem(name));
        if let Some(other) = ids.insert(id.clone(), name.clone()) {
            let msg = format!("duplicate document id {id:?}, also used by {other}; ids are the file-name prefix before `_`");
            errors.push(SeedError { file: name.clone(), line: 1, msg });
            continue;
        }
        docs.push(Source { name: name.clone(), id, parsed });
    }
    if errors.is_empty() {
        Ok(Sources { entries, lexicon, docs })
    } else {
        Err(errors)
    }
}

/// One seed file's text, parsed; an error when it has none.
fn read_doc(name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> Result<parse::ParsedDoc, SeedError> {
    let error = |msg: &str| SeedError { file: name.to_string(), line: 1, msg: msg.to_string() };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(error("file is empty"));
    }
    let text = decode(name, bytes, warnings)?;
    let lower = name.to_ascii_lowercase();
    let text = if lower.ends_with(".html") || lower.ends_with(".htm") { html::to_text(&text) } else { text };
    let parsed = parse::parse(&text);
    let has_words = parsed.clauses.iter().any(|c| c.lines.iter().any(|l| l.chars().filter(|ch| ch.is_alphabetic()).count() >= 4));
    if parsed.clauses.is_empty() || !has_words {
        return Err(error("no recognisable text: no paragraph of words found"));
    }
    Ok(parsed)
}

/// A document's metadata: its manifest entry, completed from the text where the entry is silent
/// or missing (the title, the publication date in a saved page's chrome).
fn describe(source: &Source, entry: Option<&manifest::Entry>, warnings: &mut Vec<String>) -> Doc {
    if entry.is_none() {
        warnings.push(format!(
            "seeds/{}: no entry in seeds/{}; title taken from its first line, other metadata unknown",
            source.name,
            manifest::FILE
        ));
    }
    let manifest::Entry { title, kind, mut meta, .. } = entry.cloned().unwrap_or_default();
    let parsed = &source.parsed;
    if title.is_none() {
        meta.inferred.push("title".into());
    }
    let title = title.or_else(|| parsed.title.clone()).unwrap_or_else(|| {
        let first_line = parsed.clauses.first().and_then(|c| c.lines.first());
        first_line.map(|l| l.chars().take(60).collect()).unwrap_or_default()
    });
    if meta.published.is_none() {
        meta.published = parsed.published.clone().filter(|d| manifest::valid_date(d));
        if meta.published.is_some() {
            meta.inferred.push("published".into());
        }
    }
    // The byline under the title and the article on validity, where the manifest is silent.
    let byline = &parsed.byline;
    meta.issuer = meta.issuer.or_else(|| byline.issuer.clone());
    meta.number = meta.number.or_else(|| byline.number.clone());
    meta.published = meta.published.or_else(|| byline.published.clone());
    if meta.valid_from.is_none() && meta.valid_until.is_none() && meta.validity_note.is_none() {
        let lines = parsed.clauses.iter().flat_map(|c| c.lines.iter().map(String::as_str));
        if let Some((from, until, note, worked_out)) = header::validity(lines) {
            meta.valid_from = Some(from);
            meta.valid_until = until;
            meta.validity_note = Some(note);
            if worked_out {
                meta.inferred.push("valid_until".into());
            }
        }
    }
    meta.inferred.sort();
    meta.inferred.dedup();
    let kind = kind.unwrap_or_else(|| "unknown".into());
    Doc { id: source.id.clone(), file: stem(&source.name).to_string(), title, kind, meta, scope: String::new(), any_trade: false }
}

/// Each document's scope: its region and title, widened to the places inside a region it covers
/// as a whole (a plan for 深圳市 covers 福田; one for 深圳市福田区 covers only 福田). And each
/// clause's places named through a region (港澳展品 are 香港's exhibits too).
/// And whether it is for enterprises of any trade. `norms` are the clauses' normalised texts.
fn scopes(kb: &mut Kb, norms: &[String], lex: &lexicon::Lexicon, t2s: &T2s) {
    let norm = |s: &str| crate::normalize::normalize(s, t2s);
    let regions: Vec<(String, Vec<String>)> = lex.regions.iter().map(|(region, places, _)| (norm(region), places.iter().map(|p| norm(p)).collect())).collect();
    for doc in &mut kb.docs {
        let mut scope = format!("{} {}", norm(doc.meta.region.as_deref().unwrap_or("")), norm(&doc.title)).trim().to_string();
        for (region, places) in &regions {
            if scope.contains(region.as_str()) && !places.iter().any(|p| scope.contains(p.as_str())) {
                scope = format!("{scope} {}", places.join(" "));
            }
        }
        doc.scope = scope;
        let title = norm(&doc.title);
        doc.any_trade = lex.any_trade.iter().any(|w| title.contains(norm(w).as_str()));
    }
    // Only what the document's scope does not already cover (a 深圳 plan's clause need not list
    // its districts).
    for (clause, text) in kb.clauses.iter_mut().zip(norms) {
        let scope = &kb.docs[clause.doc as usize].scope;
        let mut covers: Vec<String> = regions.iter().filter(|(region, _)| text.contains(region.as_str())).flat_map(|(_, places)| places.iter().cloned()).filter(|p| !scope.contains(p.as_str())).collect();
        covers.sort();
        covers.dedup();
        clause.covers = covers.join(" ");
    }
}

/// The general dictionaries' share of the knowledge base (see [`dict`]): English for the
/// documents' own words (returned: a file of its own), the sound of every word a question may
/// mean, common words.
fn dictionaries(kb: &mut Kb, norms: &[String], dicts: &dict::Dicts, lex: &lexicon::Lexicon, terms: &[String]) -> Vec<crate::format::English> {
    let runs = clause_runs(norms);
    let mut doc_freq: BTreeMap<String, usize> = BTreeMap::new();
    for line in dicts.cedict.lines().filter(|l| !l.starts_with('#')) {
        let Some((word, _)) = line.split_once('\t') else { continue };
        if let Some(&n) = runs.get(word) {
            doc_freq.insert(word.to_string(), n);
        }
    }
    // Only a word the lexicon gives alone has the lexicon's sense: the words of its phrases
    // keep their dictionary sense ("manufacture" is still 制造 beside smart_manufacturing,
    // "rating" 评级 beside tax_rate).
    let senses = english_stems(lex.words().filter(|w| !w.contains(' ')));
    let mut english = dict::english(dicts, &doc_freq, &english_keys(lex.words()), &senses, &english_stems(lex.stop.iter()));
    add_lexicon_inflections(&mut english, lex);
    let vocabulary = crate::sound::vocabulary(kb, terms);
    kb.sounds = dict::sounds(dicts, &vocabulary, |a, b| runs.contains_key(&String::from_iter([a, b])));
    let mut known: BTreeSet<String> = vocabulary.into_iter().collect();
    known.extend(doc_freq.into_keys());
    known.extend(lex.words().cloned());
    kb.common_words = dict::common_words(dicts, &known).into_iter().map(crate::format::Utf16).collect();
    english
}

/// How many clauses hold each run of two to four characters: one pass over the clauses, not
/// one per dictionary entry (which took minutes at 500 documents).
fn clause_runs(norms: &[String]) -> HashMap<String, usize> {
    let mut runs: HashMap<String, usize> = HashMap::new();
    for text in norms {
        let chars: Vec<char> = text.chars().collect();
        let mut seen: HashSet<String> = HashSet::new();
        for start in 0..chars.len() {
            for len in 2..=4.min(chars.len() - start) {
                seen.insert(chars[start..start + len].iter().collect());
            }
        }
        for run in seen {
            *runs.entry(run).or_default() += 1;
        }
    }
    runs
}

/// The stems of a lexicon word or phrase (`_` joins a phrase's words).
fn lexicon_stems(word: &str) -> Vec<String> {
    word.split(['_', ' ']).map(|x| crate::normalize::english_stem(&x.to_ascii_lowercase())).collect()
}

/// The lexicon's English words under their stems, where an inflection does not contain the
/// word itself ("upgrading" holds no "upgrade", "subsidies" no "subsidy"): the question's word
/// becomes the lexicon's before the rules read it. Words that name nothing (stop words) are left
/// out; `english` stays sorted by key.
fn add_lexicon_inflections(english: &mut Vec<crate::format::English>, lex: &lexicon::Lexicon) {
    let stop: BTreeSet<&String> = lex.stop.iter().collect();
    let mut surfaces: BTreeMap<String, BTreeSet<(usize, String)>> = BTreeMap::new();
    for w in lex.words().filter(|w| w.is_ascii() && !stop.contains(w)) {
        let surface = w.to_ascii_lowercase().replace('_', " ");
        surfaces.entry(crate::normalize::english_key(&lexicon_stems(w))).or_default().insert((surface.len(), surface));
    }
    // A stem that is itself a lexicon word ("plan") is found, inflected, as it is; otherwise the
    // shortest word is the base form ("upgrade" among "upgrade", "upgrades"). Every phrase has
    // an entry, itself if need be ("document number"): translation keeps a lexicon phrase whole
    // before a dictionary phrase may take one of its words ("official document").
    let added: BTreeMap<String, String> = surfaces
        .into_iter()
        .filter(|(key, words)| key.contains(' ') || !words.iter().any(|(_, w)| w == key))
        .filter_map(|(key, words)| words.into_iter().next().map(|(_, w)| (key, w)))
        .collect();
    english.retain(|e| !added.contains_key(&e.key));
    english.extend(added.into_iter().map(|(key, words)| crate::format::English { key, words }));
    english.sort_by(|a, b| a.key.cmp(&b.key));
}

/// The English words and phrases among `words`, as dictionary keys.
fn english_keys<'a>(words: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    words.filter(|w| w.is_ascii()).map(|w| crate::normalize::english_key(&lexicon_stems(w))).collect()
}

/// The stems of the English words among `words`, phrases split into their words.
fn english_stems<'a>(words: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    words.filter(|w| w.is_ascii()).flat_map(|w| lexicon_stems(w)).collect()
}

/// Every character the knowledge base uses: its documents' text and titles, and the lexicon.
fn vocabulary(kb: &Kb, sources: &Sources) -> BTreeSet<char> {
    let mut vocab: BTreeSet<char> = BTreeSet::new();
    let lines = sources.docs.iter().flat_map(|source| &source.parsed.clauses).flat_map(|clause| &clause.lines);
    vocab.extend(lines.flat_map(|line| line.chars()));
    vocab.extend(kb.docs.iter().flat_map(|doc| doc.title.chars()));
    vocab.extend(sources.lexicon.words().flat_map(|w| w.chars()));
    vocab
}

/// Traditional → Simplified pairs from OpenCC's `TSCharacters.txt`, kept only where folding can
/// matter: towards a character the knowledge base uses, and never away from one it uses itself
/// (著作权 must stay 著).
fn folding_table(table: &str, vocab: &BTreeSet<char>) -> Vec<(char, char)> {
    let mut t2s: Vec<(char, char)> = Vec::new();
    for line in table.lines() {
        let mut columns = line.split(['\t', ' ']);
        let (Some(traditional), Some(simplified)) = (columns.next(), columns.next()) else { continue };
        let (mut tc, mut sc) = (traditional.chars(), simplified.chars());
        if let (Some(t), None, Some(s), None) = (tc.next(), tc.next(), sc.next(), sc.next()) {
            if t != s && vocab.contains(&s) && !vocab.contains(&t) {
                t2s.push((t, s));
            }
        }
    }
    t2s.sort_unstable();
    t2s.dedup_by_key(|p| p.0);
    t2s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::English;

    #[test]
    fn lexicon_words_are_found_inflected() {
        let Ok(lex) = lexicon::parse("concept 技术改造 = upgrade upgrades\nconcept 计划 = plan planned\nstop = the\n") else { panic!("the lexicon parses") };
        let mut english = vec![English { key: "upgrad".into(), words: "升级".into() }, English { key: "zz".into(), words: "某".into() }];
        add_lexicon_inflections(&mut english, &lex);
        // (name, stem, what the question's word becomes)
        let cases = [
            ("an inflection without the word in it takes the lexicon's word", "upgrad", Some("upgrade")),
            ("a stem the lexicon has is found as it is", "plan", None),
            ("the dictionary's other keys stay", "zz", Some("某")),
        ];
        for (name, key, want) in cases {
            assert_eq!(english.iter().find(|e| e.key == key).map(|e| e.words.as_str()), want, "{name}");
        }
        assert!(english.windows(2).all(|p| p[0].key < p[1].key), "sorted by key");
    }
}
