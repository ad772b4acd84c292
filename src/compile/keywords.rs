//! Keywords, their postings and the lexicon's rules: the words the runtime matches questions with.

use std::collections::{BTreeMap, BTreeSet};

use super::lexicon::{self, Lexicon};
use crate::format::{Action, Kb, Keyword, Origin, Rule, Term};
use crate::normalize::{normalize, T2s};

/// Keywords derived from the text: the phrases between punctuation and list connectives, which
/// in policy prose are the enumerated items (眼镜镜片、精密镶嵌、表面处理) and short headings.
/// Longer phrases are rarely typed verbatim; the bigram fallback finds them anyway, and every
/// pattern costs start-up time in the browser (the automaton is built on load).
const MAX_KEYWORD_CHARS: usize = 6;
/// A derived keyword must recur in this many clauses.
const MIN_DERIVED_CLAUSES: usize = 2;
/// Prepositions and particles at a phrase's edge are not part of the term (在福田 → 福田,
/// 对企业 → 企业).
const PREPOSITIONS: &[char] = &['在', '对', '为', '将', '把', '按', '从', '向', '以', '于', '由', '被', '让', '使', '而', '是'];
const PARTICLES: &[char] = &['中', '上', '了', '的'];

/// Fills in the keywords, concepts and rules of `kb`, whose clauses are complete. Returns, per
/// keyword, the clauses containing it and its text (the runtime finds these itself when asked).
/// `clause_norms` are the clauses' normalised texts.
pub(crate) fn build_rules(kb: &mut Kb, clause_norms: &[String], t2s: &T2s, lex: &Lexicon, notes: &mut Vec<String>) -> (Vec<Vec<u32>>, Vec<String>) {
    let candidates = candidate_terms(kb, clause_norms, lex, t2s);
    let postings = find_postings(&candidates, clause_norms);
    let (postings, terms) = keep_keywords(kb, &candidates, &postings, clause_norms);
    add_rules(kb, &terms, &elsewhere_words(lex, t2s), lex, t2s, notes);
    (postings, terms)
}

/// Every phrase that may become a keyword: those derived from clause texts and section titles,
/// and the lexicon's words.
fn candidate_terms(kb: &Kb, clause_norms: &[String], lex: &Lexicon, t2s: &T2s) -> BTreeMap<String, Origin> {
    let mut derived: BTreeSet<String> = BTreeSet::new();
    for norm in clause_norms {
        derived_terms(norm, &mut derived);
    }
    for section in &kb.sections {
        derived_terms(&normalize(&section.title, t2s), &mut derived);
    }
    let mut terms: BTreeMap<String, Origin> = derived.into_iter().map(|t| (t, Origin::Derived)).collect();
    // A user's word that the documents also use is document wording too: it stays a keyword
    // (培养 in 人才培养) instead of being replaced by the concept's other words.
    for (doc_terms, synonyms, _) in &lex.concepts {
        for word in doc_terms.iter().chain(synonyms) {
            terms.insert(normalize(word, t2s), Origin::Lexicon);
        }
    }
    terms.remove("");
    terms
}

fn derived_terms(norm: &str, out: &mut BTreeSet<String>) {
    const SPLIT: &[&str] = &["以及", "的", "和", "与", "及", "等", "或", "并"];
    for word in norm.split(' ') {
        let mut pieces = vec![word.to_string()];
        for connective in SPLIT {
            pieces = pieces.iter().flat_map(|piece| piece.split(connective).map(str::to_string).collect::<Vec<_>>()).collect();
        }
        for piece in pieces {
            let piece = piece.trim_start_matches(PREPOSITIONS).trim_end_matches(PARTICLES).to_string();
            let chars = piece.chars().count();
            let cjk = piece.chars().all(crate::normalize::is_cjk);
            let latin = piece.chars().all(|c| c.is_ascii_alphanumeric()) && piece.chars().any(|c| c.is_ascii_alphabetic());
            if (cjk && (2..=MAX_KEYWORD_CHARS).contains(&chars)) || (latin && chars >= 2) {
                out.insert(piece);
            }
        }
    }
}

/// Per candidate, every clause whose normalised text contains it, found in one pass per clause.
fn find_postings(candidates: &BTreeMap<String, Origin>, clause_norms: &[String]) -> Vec<BTreeSet<u32>> {
    let patterns: Vec<&String> = candidates.keys().collect();
    let automaton = aho_corasick::AhoCorasick::new(&patterns).expect("keyword automaton builds");
    let mut postings: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); patterns.len()];
    for (clause, norm) in clause_norms.iter().enumerate() {
        for m in automaton.find_overlapping_iter(norm) {
            postings[m.pattern().as_usize()].insert(u32::try_from(clause).expect("fits"));
        }
    }
    postings
}

/// The candidates worth a pattern become the keywords of `kb`; returns their postings and texts.
fn keep_keywords(
    kb: &mut Kb,
    candidates: &BTreeMap<String, Origin>,
    postings: &[BTreeSet<u32>],
    clause_norms: &[String],
) -> (Vec<Vec<u32>>, Vec<String>) {
    let mut kept_postings = Vec::new();
    let mut kept_terms = Vec::new();
    for ((term, origin), clauses) in candidates.iter().zip(postings) {
        // A lexicon term no document uses (yet) is no keyword.
        let Some(&first) = clauses.iter().next() else { continue };
        // A derived phrase found in one clause only adds nothing the bigrams of that clause do not
        // already find, and every pattern costs start-up time in the browser.
        if *origin == Origin::Derived && clauses.len() < MIN_DERIVED_CLAUSES {
            continue;
        }
        let norm = &clause_norms[first as usize];
        let byte = norm.find(term.as_str()).expect("posting lists only clauses containing the term");
        let start = u32::try_from(byte).expect("fits");
        let len = u32::try_from(term.len()).expect("fits");
        kb.keywords.push(Keyword { term: Term::Span { clause: first, start, len }, origin: *origin });
        kept_postings.push(clauses.iter().copied().collect());
        kept_terms.push(term.clone());
    }
    (kept_postings, kept_terms)
}

/// How long a user's word must be to join its concept's document words when a document uses it.
const MIN_SHARED_SYNONYM: usize = 3;

/// The lexicon's concepts (over the keywords, whose texts are `terms`), intents and word classes.
fn add_rules(kb: &mut Kb, terms: &[String], elsewhere: &[String], lex: &Lexicon, t2s: &T2s, notes: &mut Vec<String>) {
    let norm = |s: &str| normalize(s, t2s);
    let index_of: BTreeMap<&str, u32> =
        terms.iter().enumerate().map(|(k, t)| (t.as_str(), u32::try_from(k).expect("fits"))).collect();
    let mut rules: BTreeMap<String, BTreeSet<Action>> = BTreeMap::new();
    for (doc_terms, synonyms, line) in &lex.concepts {
        let mut keywords: Vec<u32> = doc_terms.iter().filter_map(|t| index_of.get(norm(t).as_str()).copied()).collect();
        // A user's word of three characters or more that a document uses is that document's
        // word for the concept (a regulation's 营业收入 for the plans' 营收), so the concept
        // reaches its clauses; shorter ones (银行, 门店) are too often another sense.
        for t in synonyms.iter().filter(|t| !t.is_ascii() && t.chars().count() >= MIN_SHARED_SYNONYM) {
            if let Some(&k) = index_of.get(norm(t).as_str()) {
                if !keywords.contains(&k) {
                    keywords.push(k);
                }
            }
        }
        if keywords.is_empty() {
            // Not a warning: the lexicon carries words for documents to come (a regulation's
            // supervision chapter), and a build should not nag about them.
            notes.push(format!("seeds/{}:{line}: no document uses any of {}; the rule matches nothing yet", lexicon::FILE, doc_terms.join(" ")));
            continue;
        }
        let concept = u32::try_from(kb.concepts.len()).expect("fits");
        kb.concepts.push(keywords);
        for word in doc_terms.iter().chain(synonyms) {
            rules.entry(norm(word)).or_default().insert(Action::Concept(concept));
        }
    }
    for (intent, word) in &lex.intents {
        rules.entry(norm(word)).or_default().insert(Action::Intent(*intent));
    }
    let classes = [(&lex.stop, Action::Stop), (&lex.generic, Action::Generic), (&lex.places, Action::Place), (&lex.describe, Action::Describe), (&lex.opening, Action::Opening), (&lex.need, Action::Need), (&lex.chat, Action::Chat), (&lex.trade, Action::Trade), (&lex.specific, Action::Specific), (&lex.destination, Action::Destination)];
    for (words, action) in classes {
        for word in words {
            rules.entry(norm(word)).or_default().insert(action);
        }
    }
    for word in elsewhere {
        rules.entry(word.clone()).or_default().insert(Action::Elsewhere);
    }
    rules.remove("");
    kb.rules = rules.into_iter().map(|(pattern, actions)| Rule { pattern, actions: actions.into_iter().collect() }).collect();
}

/// The lexicon as it holds for these documents: a kind of support a clause does name (a tax
/// document's 所得税) is no longer elsewhere, and its line goes whole, English included, so that
/// the dictionary's English reaches the document's own word ("rent" its 租赁).
pub(crate) fn for_documents(lex: &Lexicon, clause_norms: &[String], t2s: &T2s) -> Lexicon {
    let named = |words: &[String]| words.iter().filter(|w| !w.is_ascii()).map(|w| normalize(w, t2s)).any(|w| clause_norms.iter().any(|n| n.contains(w.as_str())));
    let mut lex = lex.clone();
    lex.elsewhere.retain(|(words, _)| !named(words));
    lex
}

/// The words of the lexicon's kinds of support, normalised.
fn elsewhere_words(lex: &Lexicon, t2s: &T2s) -> Vec<String> {
    lex.elsewhere.iter().flat_map(|(words, _)| words).map(|w| normalize(w, t2s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_the_documents_name_is_no_longer_elsewhere() {
        let Ok(lex) = lexicon::parse("elsewhere = 所得税 个税 income_tax\nelsewhere = 社保 social_insurance\n") else { panic!("the lexicon parses") };
        let t2s = T2s::new(Vec::new());
        // (name, clause texts, the words kept)
        let cases: [(&str, &[&str], &[&str]); 3] = [
            ("no document names either kind", &["支持时尚企业开拓国际市场"], &["所得税", "个税", "income tax", "社保", "social insurance"]),
            ("a document names one word of a kind: its whole line goes", &["企业所得税按15%征收"], &["社保", "social insurance"]),
            ("English alone does not count as naming it", &["income tax"], &["所得税", "个税", "income tax", "社保", "social insurance"]),
        ];
        for (name, clauses, want) in cases {
            let norms: Vec<String> = clauses.iter().map(|c| normalize(c, &t2s)).collect();
            assert_eq!(elsewhere_words(&for_documents(&lex, &norms, &t2s), &t2s), want.iter().map(|w| w.to_string()).collect::<Vec<_>>(), "{name}");
        }
    }
}
