//! Parsed documents → the knowledge base's sections and clauses with their ids, and the links
//! between clauses that repeat one another.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::facts;
use super::parse::ParsedDoc;
use crate::format::{Clause, Kb, Section};
use crate::normalize::{normalize, T2s};

/// Adds one document's sections and clauses; `id` is the document's id in clause ids.
pub(crate) fn add_structure(kb: &mut Kb, doc: u32, id: &str, parsed: &ParsedDoc) {
    let first_section = kb.sections.len();
    add_sections(kb, doc, parsed);
    let section_index = |local: usize| first_section + local;
    let mut clauses_in: HashMap<Option<usize>, u32> = HashMap::new();
    for clause in &parsed.clauses {
        let nth = clauses_in.entry(clause.section).or_insert(0);
        *nth += 1;
        let path = clause.section.map_or_else(|| "0".to_string(), |local| kb.sections[section_index(local)].path.clone());
        let clause_id = if *nth == 1 { format!("{id}-{path}") } else { format!("{id}-{path}-{nth}") };
        let text = clause.lines.join("\n");
        kb.clauses.push(Clause {
            id: clause_id,
            doc,
            section: clause.section.map(|local| u32::try_from(section_index(local)).expect("fewer than 2^32 sections")),
            line: clause.line,
            role: clause.role,
            facts: facts::spans(&text),
            text,
            links: Vec::new(),
            covers: String::new(),
        });
    }
}

/// Sections with their dotted ordinal paths (`3.1.1`), unique within the document.
fn add_sections(kb: &mut Kb, doc: u32, parsed: &ParsedDoc) {
    let first_section = kb.sections.len();
    let global = |local: usize| u32::try_from(first_section + local).expect("fewer than 2^32 sections");
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for section in &parsed.sections {
        let mut path = match section.parent {
            Some(parent) => format!("{}.{}", kb.sections[first_section + parent].path, section.ordinal),
            None => section.ordinal.to_string(),
        };
        // Numbering that restarts or repeats (two "1、" at one level) still needs unique ids.
        if paths.contains(&path) {
            let mut copy = 2;
            while paths.contains(&format!("{path}b{copy}")) {
                copy += 1;
            }
            path = format!("{path}b{copy}");
        }
        paths.insert(path.clone());
        kb.sections.push(Section {
            doc,
            parent: section.parent.map(global),
            label: section.label.clone(),
            title: section.title.clone(),
            path,
        });
    }
}

/// Links clauses that share a long passage (a reply quoting the action plan) so that answers can
/// show one and cite the other, instead of listing the same words twice.
pub(crate) fn link_duplicates(kb: &mut Kb) {
    const SHINGLE: usize = 16;
    const MIN_SHARED: usize = 16; // shingles: a shared run of about 31 characters
    const MAX_LINKS: usize = 4;
    let mut owners: HashMap<String, Vec<u32>> = HashMap::new();
    let mut shingles_of: Vec<BTreeSet<String>> = Vec::new();
    for (clause, text) in kb.clauses.iter().map(|c| &c.text).enumerate() {
        let chars: Vec<char> = normalize(text, &T2s::default()).chars().filter(|ch| *ch != ' ').collect();
        let shingles: BTreeSet<String> = chars.windows(SHINGLE).map(|w| w.iter().collect()).collect();
        for shingle in &shingles {
            owners.entry(shingle.clone()).or_default().push(u32::try_from(clause).expect("fits"));
        }
        shingles_of.push(shingles);
    }
    for (clause, shingles) in shingles_of.iter().enumerate() {
        let mut shared: BTreeMap<u32, usize> = BTreeMap::new();
        for shingle in shingles {
            for &other in &owners[shingle] {
                if other as usize != clause {
                    *shared.entry(other).or_default() += 1;
                }
            }
        }
        // The closest few are enough to cite; a passage copied into hundreds of documents must
        // not make every clause carry hundreds of links.
        let mut close: Vec<(usize, u32)> =
            shared.into_iter().filter(|&(_, count)| count >= MIN_SHARED).map(|(other, count)| (count, other)).collect();
        close.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        close.truncate(MAX_LINKS);
        let mut links: Vec<u32> = close.into_iter().map(|(_, other)| other).collect();
        links.sort_unstable();
        kb.clauses[clause].links = links;
    }
}
