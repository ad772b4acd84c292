//! Facts pulled out of a clause's words: money, caps, ratios, responsible units, dates, the
//! numbers of documents and proposals.
//! A hand-written scanner rather than regexes: the patterns are few, and this keeps the regex
//! crate out of the build.

use crate::format::{Fact, FactKind};

/// A fact found by the scanner, before it becomes a span of the clause text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Found {
    pub kind: FactKind,
    pub text: String,
}

/// The facts of `text`, as byte ranges of `text`.
pub(crate) fn spans(text: &str) -> Vec<Fact> {
    extract(text)
        .into_iter()
        .filter_map(|f| {
            let start = text.find(&f.text)?;
            Some(Fact { kind: f.kind, start: u32::try_from(start).ok()?, len: u32::try_from(f.text.len()).ok()? })
        })
        .collect()
}

const SEGMENT_END: &[char] = &['，', ',', '。', '；', ';', '：', ':', '！', '？', '\n', '（', '(', '）', ')'];
const CAP_MARKERS: &[&str] = &["最高不超过", "最高", "不超过", "上限", "最多", "不高于", "封顶"];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Start (byte index) of the segment of `text` that ends at `end`: after the last clause break.
fn segment_start(text: &str, end: usize) -> usize {
    text[..end].rfind(SEGMENT_END).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8))
}

pub(crate) fn extract(text: &str) -> Vec<Found> {
    let mut facts = Vec::new();
    money_and_ratios(text, &mut facts);
    units(text, &mut facts);
    dates(text, &mut facts);
    validity(text, &mut facts);
    numbers(text, &mut facts);
    facts.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
    facts.dedup();
    facts
}

fn money_and_ratios(text: &str, facts: &mut Vec<Found>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i].1) || (i > 0 && (is_digit(chars[i - 1].1) || chars[i - 1].1 == '.')) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        while j < chars.len() && (is_digit(chars[j].1) || chars[j].1 == '.' || chars[j].1 == '．') {
            j += 1;
        }
        let rest: String = chars[j..].iter().take(3).map(|&(_, c)| c).collect();
        let unit = ["万元", "亿元", "元", "%", "％"].iter().find(|u| rest.starts_with(**u));
        let Some(unit) = unit else {
            i = j;
            continue;
        };
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b) + unit.len();
        let seg = segment_start(text, start);
        let before = &text[seg..start];
        let kind;
        let span_start;
        if unit.ends_with('%') || unit.ends_with('％') {
            kind = FactKind::Ratio;
            // "按不超过项目实际投入50%": keep the words that say 50% of what.
            span_start = ["不超过", "按"].iter().find_map(|m| before.rfind(m).map(|k| seg + k)).unwrap_or_else(|| {
                let back = before.char_indices().rev().nth(7).map_or(0, |(k, _)| k);
                seg + back
            });
        } else if let Some(k) = CAP_MARKERS.iter().find_map(|m| before.rfind(m)) {
            kind = FactKind::Cap;
            span_start = seg + k;
        } else {
            kind = FactKind::Amount;
            span_start = start;
        }
        facts.push(Found { kind, text: text[span_start..end].to_string() });
        i = j;
    }
}

fn push_units(list: &str, facts: &mut Vec<Found>) {
    let list = list.trim_matches([' ', '，', ',', '、']);
    if !list.is_empty() && list.chars().count() <= 200 {
        facts.push(Found { kind: FactKind::Unit, text: list.to_string() });
    }
}

fn units(text: &str, facts: &mut Vec<Found>) {
    // Parenthesised: (责任单位:…) （…牵头） （…按职责分工负责）
    let mut rest = text;
    while let Some(open) = rest.find(['（', '(']) {
        let open_len = rest[open..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[open + open_len..];
        let Some(close) = after.find(['）', ')']) else { break };
        let inner = &after[..close];
        if let Some(list) = inner.strip_prefix("责任单位").map(|s| s.trim_start_matches([':', '：'])) {
            push_units(list, facts);
        } else if inner.ends_with("牵头") || inner.ends_with("负责") {
            push_units(inner, facts);
        }
        rest = &after[close..];
    }
    // In running text: "市工业和信息化局牵头建立…", and as regulations say it: "区商务局是本办法的
    // 主管部门", "由区商务局会同区财政局审定", "区财政局负责资金拨付".
    let text = &without_aliases(text);
    for verb in UNIT_VERBS {
        let mut from = 0;
        while let Some(k) = text[from..].find(verb) {
            let at = from + k;
            let seg = segment_start(text, at);
            let who = &text[seg..at];
            // "区商务局是本办法的主管部门": the unit is what comes before 是.
            let who = if verb == "主管部门" { who.rsplit_once('是').map_or("", |(w, _)| w) } else { who };
            let who = who.rsplit_once('由').map_or(who, |(_, w)| w);
            let who = who.rsplit_once('，').map_or(who, |(_, w)| w);
            // "第三条 区商务局…": not the article's number.
            let who = who.split_once("条 ").filter(|(n, _)| n.starts_with('第')).map_or(who, |(_, w)| w).trim();
            let n = who.chars().count();
            let inside_parens = text[..at].rfind(['（', '(']) > text[..at].rfind(['）', ')']);
            if (2..=24).contains(&n) && !inside_parens && ends_like_unit(who) && !facts.iter().any(|f| f.kind == FactKind::Unit && f.text == who) {
                push_units(who, facts);
            }
            from = at + verb.len();
        }
    }
}

/// `text` without "（以下简称市文广旅体局）", which stands between a unit and what it does.
fn without_aliases(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find("（以下简称").or_else(|| rest.find("(以下简称")) {
        out.push_str(&rest[..k]);
        let after = &rest[k..];
        let close = after.find(['）', ')']).map_or(after.len(), |c| c + after[c..].chars().next().map_or(1, char::len_utf8));
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// What a unit does in running text, just after its name.
const UNIT_VERBS: [&str; 6] = ["牵头", "主管部门", "会同", "负责", "审定", "拨付"];

fn ends_like_unit(s: &str) -> bool {
    ["局", "委", "办", "府", "会", "部", "厅", "院", "中心", "集团", "单位"].iter().any(|e| s.ends_with(e))
}

fn dates(text: &str, facts: &mut Vec<Found>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for i in 0..chars.len() {
        let (b, c) = chars[i];
        if !is_digit(c) || (i > 0 && is_digit(chars[i - 1].1)) {
            continue;
        }
        let mut j = i;
        while j < chars.len() && is_digit(chars[j].1) {
            j += 1;
        }
        if j - i <= 2 {
            month_day(text, &chars, i, j, facts);
            continue;
        }
        if j - i != 4 {
            continue;
        }
        let year_end = chars.get(j).map_or(text.len(), |&(e, _)| e);
        let tail: String = chars[j..].iter().take(7).map(|&(_, c)| c).collect();
        if tail.starts_with('年') {
            // 到2025年 / 力争到2024年: a target year. YYYY年M月D日: a date.
            let before = &text[..b];
            if before.ends_with('到') || before.ends_with("截至") || before.ends_with("至") {
                let s = before.rfind("力争到").filter(|&k| k + "力争到".len() == b).unwrap_or(b - '到'.len_utf8());
                let s = if before.ends_with("截至") { b - "截至".len() } else { s };
                facts.push(Found { kind: FactKind::Deadline, text: text[s..year_end + '年'.len_utf8()].to_string() });
                continue;
            }
            let md: String = tail.chars().skip(1).take_while(|&c| is_digit(c) || c == '月' || c == '日').collect();
            if md.contains('月') {
                let end = year_end + '年'.len_utf8() + md.len();
                let end = if md.ends_with('月') || md.ends_with('日') { end } else { text[..end].rfind('月').map_or(end, |k| k + '月'.len_utf8()) };
                facts.push(Found { kind: FactKind::Date, text: text[b..end].to_string() });
            }
        } else if tail.starts_with('-') {
            let d: String = chars[i..].iter().take(10).map(|&(_, c)| c).collect();
            let ok = d.len() == 10 && d.chars().enumerate().all(|(k, c)| if k == 4 || k == 7 { c == '-' } else { c.is_ascii_digit() });
            if ok {
                facts.push(Found { kind: FactKind::Date, text: d });
            }
        }
    }
}

/// A date without its year (每年分两批申报：3月1日至3月31日): month `chars[i..j]`, then 月, a day
/// and 日. One after a year (2020年6月28日) is part of that date.
fn month_day(text: &str, chars: &[(usize, char)], i: usize, j: usize, facts: &mut Vec<Found>) {
    if i > 0 && chars[i - 1].1 == '年' {
        return;
    }
    let number = |a: usize, b: usize| chars[a..b].iter().map(|&(_, c)| c).collect::<String>().parse::<u32>().ok();
    if chars.get(j).map(|c| c.1) != Some('月') || !number(i, j).is_some_and(|m| (1..=12).contains(&m)) {
        return;
    }
    let mut k = j + 1;
    while k < chars.len() && is_digit(chars[k].1) {
        k += 1;
    }
    if k - (j + 1) == 0 || k - (j + 1) > 2 || chars.get(k).map(|c| c.1) != Some('日') || !number(j + 1, k).is_some_and(|d| (1..=31).contains(&d)) {
        return;
    }
    let end = chars.get(k + 1).map_or(text.len(), |&(e, _)| e);
    facts.push(Found { kind: FactKind::Date, text: text[chars[i].0..end].to_string() });
}

fn validity(text: &str, facts: &mut Vec<Found>) {
    for key in ["有效期", "自发布之日起", "起施行", "起实施"] {
        if let Some(k) = text.find(key) {
            let s = text[..k].rfind(['。', '\n']).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
            let e = text[k..].find(['。', '\n']).map_or(text.len(), |i| k + i);
            facts.push(Found { kind: FactKind::Validity, text: text[s..e].to_string() });
            return;
        }
    }
}

/// Document numbers (深府办〔2020〕4号: issuer, year in brackets, number) and proposal numbers
/// (第2023027号: five digits or more, which no article or session number has).
fn numbers(text: &str, facts: &mut Vec<Found>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let digits_from = |k: usize| chars[k..].iter().take_while(|c| is_digit(c.1)).count();
    for (i, &(b, c)) in chars.iter().enumerate() {
        if matches!(c, '〔' | '[' | '［') && digits_from(i + 1) == 4 && chars.get(i + 5).is_some_and(|c| matches!(c.1, '〕' | ']' | '］')) {
            let n = digits_from(i + 6);
            if n > 0 && chars.get(i + 6 + n).is_some_and(|c| c.1 == '号') {
                // The issuer's abbreviation: the Chinese characters just before the bracket.
                let issuer = chars[..i].iter().rev().take(6).take_while(|c| crate::normalize::is_cjk(c.1)).count();
                let start = chars[i - issuer].0;
                let end = chars[i + 6 + n].0 + '号'.len_utf8();
                facts.push(Found { kind: FactKind::Number, text: text[start..end].to_string() });
            }
        } else if c == '第' && digits_from(i + 1) >= 5 {
            let n = digits_from(i + 1);
            let end = chars.get(i + 1 + n).map_or(text.len(), |c| c.0);
            let end = if text[end..].starts_with('号') { end + '号'.len_utf8() } else { end };
            facts.push(Found { kind: FactKind::Number, text: text[b..end].to_string() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(kind: FactKind, text: &str) -> Found {
        Found { kind, text: text.to_string() }
    }

    #[test]
    fn extraction_table() {
        use FactKind::*;
        let cases: &[(&str, &str, Vec<Found>)] = &[
            ("cap and ratio", "按不超过项目实际投入50%给予支持，最高不超过800万元；", vec![f(Ratio, "不超过项目实际投入50%"), f(Cap, "最高不超过800万元")]),
            ("plain amount", "给予100万元的财政资金奖励。", vec![f(Amount, "100万元")]),
            ("unit list", "给予支持。(责任单位:市工业和信息化局、市商务局)", vec![f(Unit, "市工业和信息化局、市商务局")]),
            ("lead unit", "（市工业和信息化局牵头）", vec![f(Unit, "市工业和信息化局牵头")]),
            ("running lead", "市工业和信息化局牵头建立协调机制", vec![f(Unit, "市工业和信息化局")]),
            ("a regulation's competent unit", "第三条 区商务局是本办法的主管部门，负责制定年度申报指南。", vec![f(Unit, "区商务局")]),
            ("an alias between unit and verb", "市文化广电旅游体育局（以下简称市文广旅体局）负责统筹管理", vec![f(Unit, "市文化广电旅游体育局")]),
            ("units agreeing a plan", "由区商务局会同区财政局审定", vec![f(Unit, "区商务局"), f(Unit, "区商务局会同区财政局")]),
            ("who pays", "区财政局负责资金拨付", vec![f(Unit, "区财政局")]),
            ("target year", "力争到2024年，全市", vec![f(Deadline, "力争到2024年")]),
            ("date", "2020年6月28日", vec![f(Date, "2020年6月28日")]),
            ("a date without its year", "受理时间为3月1日至3月31日", vec![f(Date, "3月1日"), f(Date, "3月31日")]),
            ("not a month", "13月1日", vec![]),
            ("iso date", "发布日期:2020-03-24", vec![f(Date, "2020-03-24")]),
            ("validity", "本行动计划自发布之日起实施,有效期5年。", vec![f(Validity, "本行动计划自发布之日起实施,有效期5年")]),
            ("year alone", "2019年，我局支持", vec![]),
            ("document number", "行动计划（2020-2024年）》（深府办〔2020〕4号），", vec![f(Number, "深府办〔2020〕4号")]),
            ("proposal number", "提案（第2023160号）已收悉", vec![f(Number, "第2023160号")]),
            ("proposal number without 号", "提案》第2023027已收悉", vec![f(Number, "第2023027")]),
            ("article and session numbers are no document numbers", "第六届第三次会议第12条", vec![]),
            ("nothing", "加强组织协调", vec![]),
        ];
        for (name, text, want) in cases {
            let mut want = want.clone();
            want.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
            assert_eq!(extract(text), want, "{name}");
        }
    }
}
