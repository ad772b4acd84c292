//! `seeds/lexicon.rules`: the curated domain lexicon.
//!
//! One rule per line, `#` starts a comment:
//! - `concept 钟表 手表 = 表厂 腕表 watch`: words as documents write them, `=`, words enterprises
//!   use for the same thing. A question with any of them is matched as if it had the former.
//! - `intent amount = 多少钱 补多少`: question phrasings that ask for a kind of answer.
//! - `stop = 请问 有没有`, `generic = 企业 政策`, `place = 上海 北京`: word classes.
//! - `self = 我们是 我司是`: how a company starts describing itself; what follows up to the
//!   next pause describes the asker, not the need.
//! - `need = 想 打算`: filler that starts the need, ending a self-description.
//! - `chat = 你好 你是谁`: greetings and talk to the assistant: alone, they get a notice.
//! - `trade = 企业 厂 行业`: nouns for a kind of business: the word before one names a trade.
//! - `destination = 深圳`: a region askers come to; after 来, 到, 在… it is the question's place.
//! - `specific = 具体 确切`: the question wants the fact itself; only a clause stating it answers.
//! - `any_trade = 中小企业 工业企业`: enterprises of any trade: a document whose title names
//!   them covers a trade it never speaks of.
//! - `elsewhere = 所得税 个税 income_tax`: one kind of support or public service enterprises ask
//!   about (tax, social insurance, rent); while no document uses any of its Chinese words, a
//!   question naming it asks about something the documents do not cover.
//! - `region 深圳 = 福田 南山`: the places inside a region: a document for the region covers them,
//!   and a clause that names the region names them (港澳 names 香港).

use crate::format::Intent;

use super::SeedError;

pub(crate) const FILE: &str = "lexicon.rules";

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Lexicon {
    /// (terms as in documents, user synonyms, line)
    pub concepts: Vec<(Vec<String>, Vec<String>, u32)>,
    pub intents: Vec<(Intent, String)>,
    pub stop: Vec<String>,
    pub generic: Vec<String>,
    pub places: Vec<String>,
    pub describe: Vec<String>,
    pub opening: Vec<String>,
    pub need: Vec<String>,
    pub chat: Vec<String>,
    pub trade: Vec<String>,
    pub any_trade: Vec<String>,
    pub specific: Vec<String>,
    pub destination: Vec<String>,
    /// (words for one kind of support, line)
    pub elsewhere: Vec<(Vec<String>, u32)>,
    /// (region, the places inside it, line)
    pub regions: Vec<(String, Vec<String>, u32)>,
}

impl Lexicon {
    /// Every word of every rule: what the folding table must keep and what the dictionaries'
    /// English must not override.
    pub(crate) fn words(&self) -> impl Iterator<Item = &String> {
        let concepts = self.concepts.iter().flat_map(|(terms, synonyms, _)| terms.iter().chain(synonyms));
        let regions = self.regions.iter().flat_map(|(region, places, _)| std::iter::once(region).chain(places));
        let classes = [&self.stop, &self.generic, &self.places, &self.describe, &self.opening, &self.need, &self.chat, &self.trade, &self.any_trade, &self.specific, &self.destination];
        let elsewhere = self.elsewhere.iter().flat_map(|(words, _)| words);
        concepts.chain(self.intents.iter().map(|(_, w)| w)).chain(classes.into_iter().flatten()).chain(regions).chain(elsewhere)
    }
}

pub(crate) fn parse(text: &str) -> Result<Lexicon, Vec<SeedError>> {
    let mut lex = Lexicon::default();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let err = |msg: String| SeedError { file: FILE.to_string(), line: line_no, msg };
        let Some((head, words)) = line.split_once('=') else {
            errors.push(err("expected `KIND … = words`".to_string()));
            continue;
        };
        let words: Vec<String> = words.split_whitespace().map(|w| w.replace('_', " ")).collect();
        let mut head = head.split_whitespace();
        let kind = head.next().unwrap_or("");
        let rest: Vec<String> = head.map(|w| w.replace('_', " ")).collect();
        if words.is_empty() && kind != "concept" {
            errors.push(err(format!("`{kind}` rule lists no words")));
            continue;
        }
        match kind {
            "concept" if rest.is_empty() => errors.push(err("concept names no document terms before `=`".to_string())),
            "concept" => lex.concepts.push((rest, words, line_no)),
            "intent" => match rest.as_slice() {
                [name] => match Intent::from_name(name) {
                    Some(x) => lex.intents.extend(words.into_iter().map(|w| (x, w))),
                    None => errors.push(err(format!("unknown intent {name:?}"))),
                },
                _ => errors.push(err("intent rule needs one intent name".to_string())),
            },
            "stop" => lex.stop.extend(words),
            "generic" => lex.generic.extend(words),
            "place" => lex.places.extend(words),
            "self" => lex.describe.extend(words),
            "opening" => lex.opening.extend(words),
            "need" => lex.need.extend(words),
            "chat" => lex.chat.extend(words),
            "trade" => lex.trade.extend(words),
            "any_trade" => lex.any_trade.extend(words),
            "specific" => lex.specific.extend(words),
            "destination" => lex.destination.extend(words),
            "elsewhere" => lex.elsewhere.push((words, line_no)),
            "region" => match rest.as_slice() {
                [name] => lex.regions.push((name.clone(), words, line_no)),
                _ => errors.push(err("region rule needs one region name".to_string())),
            },
            other => errors.push(err(format!("unknown rule kind {other:?}"))),
        }
    }
    if errors.is_empty() {
        Ok(lex)
    } else {
        Err(errors)
    }
}
