//! Seed text → sections and clauses, from the numbering the documents really use.

use crate::format::Role;

/// A section heading found in a document; `parent` indexes the same document's list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PSection {
    pub parent: Option<usize>,
    pub label: String,
    pub title: String,
    pub ordinal: u32,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PClause {
    pub section: Option<usize>,
    pub line: u32,
    pub role: Role,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ParsedDoc {
    /// The first line(s) that look like a title, joined (wrapped titles span lines).
    pub title: Option<String>,
    /// A publication date printed in page chrome (发布日期:2020-03-24).
    pub published: Option<String>,
    pub sections: Vec<PSection>,
    pub clauses: Vec<PClause>,
    /// Lines dropped as navigation or page chrome, for `check`.
    pub chrome: Vec<u32>,
}

/// Numbering styles. Where a style sits in the hierarchy is learned per document (a style seen
/// for the first time nests under the current one; a style seen before closes back to its level),
/// because documents do not agree: one puts `1、` above `（一）`, another `一、` above `(一)` above `1.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Chapter,
    Part,
    Article,
    /// 第一款: a paragraph within an article.
    Paragraph,
    /// `一、` and `1、`: used interchangeably at one level in the seeds (`1、 … 二、 …`).
    Dun,
    CnParen,
    ArabicDot,
    Decimal,
    ArabicParen,
    Circled,
    /// `一是…`, `二是…` at the start of a paragraph.
    Shi,
}

pub(crate) struct Numbering {
    pub style: Style,
    pub ordinal: u32,
    /// Byte length of the label within the line.
    pub len: usize,
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        _ => return None,
    })
}

/// Value of a Chinese numeral up to 999 (十二, 二十, 一百零五).
fn cn_value(s: &str) -> Option<u32> {
    let (mut total, mut cur) = (0u32, 0u32);
    for c in s.chars() {
        match cn_digit(c)? {
            10 => {
                total += if cur == 0 { 10 } else { cur * 10 };
                cur = 0;
            }
            100 => {
                total += if cur == 0 { 100 } else { cur * 100 };
                cur = 0;
            }
            d => cur = d,
        }
    }
    Some(total + cur)
}

fn take_while_str(s: &str, f: impl Fn(char) -> bool) -> &str {
    let end = s.char_indices().find(|&(_, c)| !f(c)).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn is_ascii_digit_any(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn digits_value(s: &str) -> Option<u32> {
    let mut v: u32 = 0;
    for c in s.chars() {
        let d = if c.is_ascii_digit() { c as u32 - '0' as u32 } else { c as u32 - '０' as u32 };
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

/// Recognises the numbering at the start of `line`, full- or half-width.
pub(crate) fn numbering(line: &str) -> Option<Numbering> {
    let first = line.chars().next()?;
    // 第一章 / 第一节 / 第一条 / 第1条
    if first == '第' {
        let rest = &line['第'.len_utf8()..];
        let num = take_while_str(rest, |c| cn_digit(c).is_some() || is_ascii_digit_any(c));
        let ordinal = cn_value(num).or_else(|| digits_value(num))?;
        let after = rest[num.len()..].chars().next()?;
        let style = match after {
            '章' => Style::Chapter,
            '节' | '部' => Style::Part,
            '条' => Style::Article,
            '款' => Style::Paragraph,
            _ => return None,
        };
        if num.is_empty() {
            return None;
        }
        return Some(Numbering { style, ordinal, len: '第'.len_utf8() + num.len() + after.len_utf8() });
    }
    // （一） (一) （1） (1)
    if first == '（' || first == '(' {
        let rest = &line[first.len_utf8()..];
        let num = take_while_str(rest, |c| cn_digit(c).is_some() || is_ascii_digit_any(c));
        if num.is_empty() || num.chars().count() > 4 {
            return None;
        }
        let close = rest[num.len()..].chars().next()?;
        if close != '）' && close != ')' {
            return None;
        }
        let (style, ordinal) = match cn_value(num) {
            Some(v) => (Style::CnParen, v),
            None => (Style::ArabicParen, digits_value(num)?),
        };
        return Some(Numbering { style, ordinal, len: first.len_utf8() + num.len() + close.len_utf8() });
    }
    if ('①'..='⑳').contains(&first) {
        return Some(Numbering { style: Style::Circled, ordinal: first as u32 - '①' as u32 + 1, len: first.len_utf8() });
    }
    // 一、  一是
    let cn = take_while_str(line, |c| cn_digit(c).is_some() && c != '两' && c != '〇' && c != '零');
    if !cn.is_empty() && cn.chars().count() <= 3 {
        let after = line[cn.len()..].chars().next();
        let ordinal = cn_value(cn)?;
        match after {
            Some('、') => return Some(Numbering { style: Style::Dun, ordinal, len: cn.len() + '、'.len_utf8() }),
            Some('是') => return Some(Numbering { style: Style::Shi, ordinal, len: cn.len() + '是'.len_utf8() }),
            _ => return None,
        }
    }
    // 1、 1. 1． 1.1
    let num = take_while_str(line, is_ascii_digit_any);
    if !num.is_empty() && num.len() <= 6 {
        let ordinal = digits_value(num)?;
        let rest = &line[num.len()..];
        let mut it = rest.chars();
        let sep = it.next()?;
        let next = it.next();
        match sep {
            '、' => return Some(Numbering { style: Style::Dun, ordinal, len: num.len() + sep.len_utf8() }),
            '.' | '．' => {
                if next.is_some_and(is_ascii_digit_any) {
                    // 1.1 — a decimal label; the last component is the ordinal.
                    let tail = &rest[sep.len_utf8()..];
                    let sub = take_while_str(tail, |c| is_ascii_digit_any(c) || c == '.' || c == '．');
                    let last = sub.rsplit(['.', '．']).next().unwrap_or(sub);
                    let ord = digits_value(last).unwrap_or(ordinal);
                    // A number like 2.5 followed by a unit is not a label.
                    let after = tail[sub.len()..].chars().next();
                    if after.is_some_and(|c| c == '%' || c == '万' || c == '亿' || c == '元' || c == '倍') {
                        return None;
                    }
                    return Some(Numbering { style: Style::Decimal, ordinal: ord, len: num.len() + sep.len_utf8() + sub.len() });
                }
                return Some(Numbering { style: Style::ArabicDot, ordinal, len: num.len() + sep.len_utf8() });
            }
            _ => return None,
        }
    }
    None
}

const SENTENCE_END: &[char] = &['。', '！', '？', '；', '!', '?', ';'];

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['”', '’', '）', ')', '」', '』']).ends_with(SENTENCE_END)
}

/// Page chrome saved along with a government web page: breadcrumbs, share and print buttons.
fn is_chrome(line: &str) -> bool {
    let n = line.chars().count();
    let starts_like_nav = ["首页", "当前位置", "您的位置", "您现在的位置", "网站首页"].iter().any(|p| line.starts_with(p));
    let separators = line.matches(" > ").count() + line.matches('›').count() + line.matches('»').count();
    let breadcrumb = n <= 60
        && !ends_sentence(line)
        && !line.contains('<')
        && (separators >= 2 || (starts_like_nav && line.matches('>').count() >= 1));
    let buttons = n <= 20
        && ["分享", "打印", "关闭", "【打印", "【关闭", "字号", "扫一扫", "当前位置", "返回顶部", "收藏"]
            .iter()
            .any(|p| line.starts_with(p));
    breadcrumb || buttons || date_line(line).is_some()
}

/// `发布日期:2020-03-24` style page metadata; returns the ISO date.
fn date_line(line: &str) -> Option<String> {
    let rest = ["发布日期", "发布时间", "日期"].iter().find_map(|p| line.strip_prefix(p))?;
    let rest = rest.trim_start_matches([':', '：', ' ', '\u{3000}']);
    let d: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    (d.len() >= 7 && rest.chars().count() <= 24).then_some(d)
}

/// Closing formulae and the lines under them: issuer, date, contact, distribution.
fn is_signoff(line: &str) -> bool {
    let starts = ["特此", "专此", "此复", "抄送", "公开方式", "联系人", "（联系人", "(联系人", "附件"];
    starts.iter().any(|p| line.starts_with(p)) || is_date_only(line)
}

fn is_date_only(line: &str) -> bool {
    let t = line.trim_end_matches(['。', ' ']);
    let n = t.chars().count();
    n <= 12 && t.ends_with('日') && t.contains('年') && t.contains('月')
}

/// A line that introduces what follows rather than saying something itself: a title, an
/// addressee (尊敬的…：), "以下是全文:". It is kept as the lead of the next clause, never alone.
fn is_lead(line: &str) -> bool {
    line.chars().count() <= 60 && !ends_sentence(line)
}

/// Word processors leave markers such as `[bookmark: _GoBack]` in exported text.
fn strip_markers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("[bookmark:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A document-wide closing provision (本计划自发布之日起实施…) belongs to no section.
fn is_final_provision(line: &str) -> bool {
    line.starts_with('本') && (line.contains("施行") || line.contains("实施") || line.contains("有效期")) && line.chars().count() <= 80
}

fn trim_line(l: &str) -> &str {
    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}')
}

pub(crate) fn parse(text: &str) -> ParsedDoc {
    let mut doc = ParsedDoc::default();
    // Numbering styles currently open, innermost last, with their section.
    let mut stack: Vec<(Style, usize)> = Vec::new();
    let mut leads: Vec<(u32, String)> = Vec::new();
    let mut title_lines: Vec<String> = Vec::new();
    let mut title_done = false;
    let mut seen_clause = false;
    let mut after_signoff = false;
    // Numbered lines taken as headings although they end like a sentence: (section, line, text).
    let mut sentence_headings: Vec<(usize, u32, String)> = Vec::new();

    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = strip_markers(raw);
        let line = trim_line(&line).to_string();
        if line.is_empty() {
            continue;
        }
        if is_chrome(&line) {
            if doc.published.is_none() {
                doc.published = date_line(&line);
            }
            doc.chrome.push(line_no);
            continue;
        }
        if is_signoff(&line) || (after_signoff && is_lead(&line)) {
            after_signoff = true;
            leads.push((line_no, line));
            continue;
        }
        if after_signoff {
            // Body text after a sign-off: the sign-off belonged to the clause before it.
            attach_to_last(&mut doc, &mut leads);
            after_signoff = false;
        }
        if let Some(num) = numbering(&line) {
            let rest = trim_line(&line[num.len..]);
            let rest = rest.trim_start_matches(['.', '．', '、', ' ']);
            // Close back to this style's level if it is open, else nest under the innermost.
            if let Some(p) = stack.iter().position(|&(s, _)| s == num.style) {
                stack.truncate(p);
            }
            let parent = stack.last().map(|&(_, s)| s);
            let (heading_only, title) = split_heading(rest, num.style);
            if !seen_clause && doc.sections.is_empty() {
                // Title lines straight before the first heading are the document's title
                // (kept in `doc.title`), not the lead of some clause further down.
                leads.clear();
            }
            doc.sections.push(PSection {
                parent,
                label: line[..num.len].to_string(),
                title,
                ordinal: num.ordinal,
                line: line_no,
            });
            let sec = doc.sections.len() - 1;
            stack.push((num.style, sec));
            title_done = true;
            if heading_only {
                if ends_sentence(rest) {
                    sentence_headings.push((sec, line_no, line));
                }
            } else {
                push_clause(&mut doc, &mut leads, Some(sec), line_no, line, &mut seen_clause);
            }
            continue;
        }
        if !title_done && !seen_clause && is_lead(&line) && !line.ends_with([':', '：']) {
            title_lines.push(line.clone());
        }
        if is_lead(&line) {
            leads.push((line_no, line));
            continue;
        }
        title_done = true;
        let section = if is_final_provision(&line) { None } else { stack.last().map(|&(_, s)| s) };
        push_clause(&mut doc, &mut leads, section, line_no, line, &mut seen_clause);
    }
    attach_to_last(&mut doc, &mut leads);
    // A short numbered sentence that nothing was filed under ("① 逾期不予受理。") was a
    // provision, not a heading.
    for (sec, line_no, text) in sentence_headings {
        let has_content = doc.clauses.iter().any(|c| {
            let mut x = c.section;
            while let Some(i) = x {
                if i == sec {
                    return true;
                }
                x = doc.sections[i].parent;
            }
            false
        }) || doc.sections.iter().any(|s| s.parent == Some(sec));
        if !has_content {
            let at = doc.clauses.iter().position(|c| c.line > line_no).unwrap_or(doc.clauses.len());
            doc.clauses.insert(at, PClause { section: Some(sec), line: line_no, role: Role::Body, lines: vec![text] });
        }
    }
    if !title_lines.is_empty() {
        doc.title = Some(title_lines.concat());
    }
    doc
}

fn push_clause(
    doc: &mut ParsedDoc,
    leads: &mut Vec<(u32, String)>,
    section: Option<usize>,
    line_no: u32,
    line: String,
    seen_clause: &mut bool,
) {
    let first_line = leads.first().map_or(line_no, |l| l.0);
    let mut lines: Vec<String> = leads.drain(..).map(|(_, l)| l).collect();
    lines.push(line);
    let role = if !*seen_clause && section.is_none() { Role::Head } else { Role::Body };
    *seen_clause = true;
    doc.clauses.push(PClause { section, line: first_line, role, lines });
}

fn attach_to_last(doc: &mut ParsedDoc, leads: &mut Vec<(u32, String)>) {
    if leads.is_empty() {
        return;
    }
    match doc.clauses.last_mut() {
        Some(last) => {
            last.lines.extend(leads.drain(..).map(|(_, l)| l));
            if last.role == Role::Body {
                last.role = Role::Closing;
            }
        }
        None => {
            // Only leads and no paragraph: keep them as one clause rather than losing them;
            // the compiler rejects documents whose text is nothing but this.
            let line = leads[0].0;
            let lines = leads.drain(..).map(|(_, l)| l).collect();
            doc.clauses.push(PClause { section: None, line, role: Role::Head, lines });
        }
    }
}

/// Splits a numbered line's text into (is it only a heading, section title).
fn split_heading(rest: &str, style: Style) -> (bool, String) {
    let n = rest.chars().count();
    let first_end = rest.char_indices().find(|&(_, c)| SENTENCE_END.contains(&c));
    match first_end {
        Some((i, c)) if i + c.len_utf8() < rest.len() => {
            // "1.加快推进技术创新。支持企业…": the first sentence names the section.
            let head = &rest[..i];
            let title = if head.chars().count() <= 30 { head.to_string() } else { String::new() };
            (false, title)
        }
        // A heading is a short phrase; a numbered sentence that grants money is a provision.
        _ if style != Style::Shi
            && !rest.contains("万元")
            && !rest.contains('%')
            && ((n <= 20 && !(rest.contains('，') && ends_sentence(rest))) || (n <= 40 && !ends_sentence(rest))) =>
        {
            (true, rest.trim_end_matches(SENTENCE_END).to_string())
        }
        _ => {
            // A long unpunctuated item or 一是…: title up to the first comma if short.
            let head = rest.split(['，', ',']).next().unwrap_or("");
            let title = if head.chars().count() <= 12 && head.len() < rest.len() { head.to_string() } else { String::new() };
            (false, title)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_styles() {
        let cases: &[(&str, &str, Option<(Style, u32, &str)>)] = &[
            ("cn dun", "三、主要任务", Some((Style::Dun, 3, "三、"))),
            ("arabic dun", "1、 工作开展情况", Some((Style::Dun, 1, "1、"))),
            ("full paren", "（十二）加强", Some((Style::CnParen, 12, "（十二）"))),
            ("half paren", "(四)培育", Some((Style::CnParen, 4, "(四)"))),
            ("arabic dot", "14.推动企业", Some((Style::ArabicDot, 14, "14."))),
            ("fullwidth dot", "２．提升", Some((Style::ArabicDot, 2, "２．"))),
            ("decimal", "1.2 范围", Some((Style::Decimal, 2, "1.2"))),
            ("arabic paren", "(3)其他", Some((Style::ArabicParen, 3, "(3)"))),
            ("circled", "②申报", Some((Style::Circled, 2, "②"))),
            ("chapter", "第三章 附则", Some((Style::Chapter, 3, "第三章"))),
            ("article", "第十二条 本办法", Some((Style::Article, 12, "第十二条"))),
            ("paragraph", "第二款 申报", Some((Style::Paragraph, 2, "第二款"))),
            ("shi", "二是招商发力", Some((Style::Shi, 2, "二是"))),
            ("year is not a label", "2019年，我局", None),
            ("ratio is not a label", "2.5%的企业", None),
            ("prose", "福田区从战略高度", None),
            ("parenthesised word", "（联系人：彭常斐）", None),
        ];
        for (name, line, want) in cases {
            let got = numbering(line).map(|n| (n.style, n.ordinal, &line[..n.len]));
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn structure() {
        let text = "关于某事的回复\n\n尊敬的张委员：\n你的提案已收悉，感谢支持。\n一、总体情况\n（一）发展现状。深圳是基地。\n1.加快推进技术创新。支持企业。\n一是规划引领，率先编制。\n二、保障措施\n特此回复。\n深圳市某局\n2020年6月28日\n";
        let d = parse(text);
        assert_eq!(d.title.as_deref(), Some("关于某事的回复"));
        let texts: Vec<String> = d.clauses.iter().map(|c| c.lines.join("|")).collect();
        assert_eq!(
            texts,
            [
                "关于某事的回复|尊敬的张委员：|你的提案已收悉，感谢支持。",
                "（一）发展现状。深圳是基地。",
                "1.加快推进技术创新。支持企业。",
                "一是规划引领，率先编制。|特此回复。|深圳市某局|2020年6月28日",
            ]
        );
        assert_eq!(d.clauses[0].role, Role::Head);
        assert_eq!(d.clauses[3].role, Role::Closing);
        let titles: Vec<&str> = d.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["总体情况", "发展现状", "加快推进技术创新", "规划引领", "保障措施"]);
        let parents: Vec<Option<usize>> = d.sections.iter().map(|s| s.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(1), Some(2), None]);
    }

    #[test]
    fn chrome_is_dropped() {
        let d = parse("首页 > 招商政策 > 正文\n\n标题\n发布日期:2020-03-24\n分享:\n正文第一段。\n");
        assert_eq!(d.chrome, [1, 4, 5]);
        assert_eq!(d.published.as_deref(), Some("2020-03-24"));
        assert_eq!(d.clauses.len(), 1);
        assert_eq!(d.clauses[0].lines, ["标题", "正文第一段。"]);
    }
}
