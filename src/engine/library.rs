//! The knowledge base as a reader sees it, without the machinery that reads questions: the
//! documents, a clause by id as an answer item (citation, section path, facts, validity,
//! passages repeated elsewhere), its context, and what to highlight in it. Start-up has it after
//! its first stage, so a deep link (`#clause=ID`) renders before the automaton is built.

use crate::format::{Kb, Role};
use crate::normalize::{fold_char, T2s};
use crate::sort::sort_by;
use crate::text::cat;

use super::output::{DocInfo, FactOut, Item, Validity, ValidityStatus};

/// The decoded knowledge base and the folding table its text is matched with.
pub struct Library {
    pub(super) kb: Kb,
    pub(super) t2s: T2s,
}

impl Library {
    /// The documents in the knowledge base.
    pub fn documents(&self) -> Vec<DocInfo> {
        self.kb
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| DocInfo {
                doc: d.file.clone(),
                id: d.id.clone(),
                title: d.title.clone(),
                kind: d.kind.clone(),
                issuer: d.meta.issuer.clone(),
                number: d.meta.number.clone(),
                published: d.meta.published.clone(),
                source: d.meta.source.clone(),
                clauses: self.kb.clauses.iter().filter(|c| c.doc as usize == i).count(),
            })
            .collect()
    }

    /// One clause by id, as an answer item (no score), or `None`.
    pub fn clause(&self, id: &str, today: &str) -> Option<Item> {
        let i = self.clause_index(id)?;
        Some(self.item(i as u32, 0.0, 0.0, Vec::new(), today))
    }

    /// The clauses around `id` in its section (the whole section, in document order, at most
    /// `limit`), so a reader can see a clause in context.
    pub fn context(&self, id: &str, today: &str, limit: usize) -> Vec<Item> {
        match self.clause_index(id) {
            Some(i) => self.context_items(i, today, limit),
            None => Vec::new(),
        }
    }

    /// A clause as an answer item.
    pub(super) fn item(&self, clause_index: u32, score: f32, coverage: f32, matched: Vec<String>, today: &str) -> Item {
        let clause = &self.kb.clauses[clause_index as usize];
        let doc = &self.kb.docs[clause.doc as usize];
        let section = self.section_path(clause.section);
        let citation = self.citation(clause_index, &section);
        let inferred = doc.meta.inferred.iter().any(|f| f == "valid_until" || f == "valid_from");
        let status = ValidityStatus::on(doc.meta.valid_from.as_deref(), doc.meta.valid_until.as_deref(), today);
        Item {
            id: clause.id.clone(),
            doc: doc.file.clone(),
            title: doc.title.clone(),
            citation,
            section,
            text: clause.text.clone(),
            // f64 with 3 decimals: the same number in JSON from the CLI and in JS from wasm.
            score: (f64::from(score) * 1000.0).round() / 1000.0,
            coverage: (f64::from(coverage) * 1000.0).round() / 1000.0,
            matched,
            facts: clause.facts.iter().map(|f| FactOut { kind: f.kind, text: f.text(&clause.text).to_string() }).collect(),
            validity: Validity { status, from: doc.meta.valid_from.clone(), until: doc.meta.valid_until.clone(), note: doc.meta.validity_note.clone(), inferred },
            also_in: clause.links.iter().map(|&l| self.kb.clauses[l as usize].id.clone()).collect(),
            line: clause.line,
        }
    }

    /// Section labels and titles from the outermost section in.
    fn section_path(&self, innermost: Option<u32>) -> Vec<String> {
        let mut section = Vec::new();
        let mut s = innermost;
        while let Some(i) = s {
            let sec = &self.kb.sections[i as usize];
            section.push(cat!(sec.label, sec.title));
            s = sec.parent;
        }
        section.reverse();
        section
    }

    /// 《title》（文号） section › path（source）.
    fn citation(&self, clause_index: u32, section: &[String]) -> String {
        let clause = &self.kb.clauses[clause_index as usize];
        let doc = &self.kb.docs[clause.doc as usize];
        let mut citation = cat!("《", doc.title.trim_start_matches('《').trim_end_matches('》'), "》");
        if let Some(n) = &doc.meta.number {
            citation.push_str(&cat!("（", n, "）"));
        }
        if !section.is_empty() {
            citation.push(' ');
            citation.push_str(&section.join(" › "));
        } else if clause.role == Role::Head {
            citation.push_str(" 开头部分");
        } else if clause.role == Role::Closing {
            citation.push_str(" 结尾部分");
        }
        if let Some(src) = &doc.meta.source {
            citation.push_str(&cat!("（", src, "）"));
        }
        citation
    }

    pub(super) fn clause_index(&self, id: &str) -> Option<usize> {
        self.kb.clauses.iter().position(|c| c.id == id)
    }

    /// The clauses of the section around clause `i`, in document order, at most `limit`.
    fn context_items(&self, i: usize, today: &str, limit: usize) -> Vec<Item> {
        let clause = &self.kb.clauses[i];
        // The section the clause opens, or failing that its parent: siblings share a heading.
        let sec = clause.section.map(|s| self.kb.sections[s as usize].parent.unwrap_or(s));
        let under = |x: Option<u32>| {
            let mut s = x;
            while let Some(k) = s {
                if Some(k) == sec {
                    return true;
                }
                s = self.kb.sections[k as usize].parent;
            }
            sec.is_none() && x.is_none()
        };
        let same: Vec<usize> = (0..self.kb.clauses.len()).filter(|&k| self.kb.clauses[k].doc == clause.doc && under(self.kb.clauses[k].section)).collect();
        let pos = same.iter().position(|&k| k == i).unwrap_or(0);
        let start = pos.saturating_sub(limit / 2).min(same.len().saturating_sub(limit));
        same.iter().skip(start).take(limit).map(|&k| self.item(k as u32, 0.0, 0.0, Vec::new(), today)).collect()
    }

    /// Character ranges of `text` where any of `words` (normalised, as in `Item::matched`)
    /// occurs, merged and sorted: what the widget highlights. Normalisation folds character by
    /// character, so ranges in the folded text are ranges in the original.
    pub fn highlights(&self, text: &str, words: &[String]) -> Vec<(usize, usize)> {
        let folded: Vec<char> = text.chars().map(|c| fold_char(c, &self.t2s)).collect();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for w in words {
            let wc: Vec<char> = w.chars().collect();
            if wc.is_empty() || wc.len() > folded.len() {
                continue;
            }
            for s in 0..=folded.len() - wc.len() {
                if folded[s..s + wc.len()] == wc[..] {
                    ranges.push((s, s + wc.len()));
                }
            }
        }
        sort_by(&mut ranges, &mut |a, b| a < b);
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
                _ => merged.push(r),
            }
        }
        merged
    }
}
