//! Seed text → sections and clauses, from the numbering the documents really use.

use crate::format::Role;

/// A section heading found in a document; `parent` indexes the same document's list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PSection {
    pub parent: Option<usize>,
    pub label: String,
    pub title: String,
    pub ordinal: u32,
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
    /// What the lines under the title say of the issuer, number and date (`header`).
    pub byline: super::header::Byline,
    /// A publication date printed in page chrome (发布日期:2020-03-24).
    pub published: Option<String>,
    pub sections: Vec<PSection>,
    pub clauses: Vec<PClause>,
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
    match first {
        '第' => ordinal_word(line),
        '（' | '(' => parenthesised(line, first),
        '①'..='⑳' => Some(Numbering { style: Style::Circled, ordinal: first as u32 - '①' as u32 + 1, len: first.len_utf8() }),
        _ => chinese_listing(line).or_else(|| arabic_listing(line)),
    }
}

/// 第一章 / 第一节 / 第一条 / 第1条
fn ordinal_word(line: &str) -> Option<Numbering> {
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
    Some(Numbering { style, ordinal, len: '第'.len_utf8() + num.len() + after.len_utf8() })
}

/// （一） (一) （1） (1)
fn parenthesised(line: &str, open: char) -> Option<Numbering> {
    let rest = &line[open.len_utf8()..];
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
    Some(Numbering { style, ordinal, len: open.len_utf8() + num.len() + close.len_utf8() })
}

/// 一、  一是
fn chinese_listing(line: &str) -> Option<Numbering> {
    let cn = take_while_str(line, |c| cn_digit(c).is_some() && c != '两' && c != '〇' && c != '零');
    if cn.is_empty() || cn.chars().count() > 3 {
        return None;
    }
    let ordinal = cn_value(cn)?;
    match line[cn.len()..].chars().next() {
        Some('、') => Some(Numbering { style: Style::Dun, ordinal, len: cn.len() + '、'.len_utf8() }),
        Some('是') => Some(Numbering { style: Style::Shi, ordinal, len: cn.len() + '是'.len_utf8() }),
        _ => None,
    }
}

/// 1、 1. 1． 1.1
fn arabic_listing(line: &str) -> Option<Numbering> {
    let num = take_while_str(line, is_ascii_digit_any);
    if num.is_empty() || num.len() > 6 {
        return None;
    }
    let ordinal = digits_value(num)?;
    let rest = &line[num.len()..];
    let mut chars = rest.chars();
    let sep = chars.next()?;
    let next = chars.next();
    match sep {
        '、' => Some(Numbering { style: Style::Dun, ordinal, len: num.len() + sep.len_utf8() }),
        '.' | '．' if next.is_some_and(is_ascii_digit_any) => {
            // 1.1 — a decimal label; the last component is the ordinal.
            let tail = &rest[sep.len_utf8()..];
            let sub = take_while_str(tail, |c| is_ascii_digit_any(c) || c == '.' || c == '．');
            let last = sub.rsplit(['.', '．']).next().unwrap_or(sub);
            let last_ordinal = digits_value(last).unwrap_or(ordinal);
            // A number like 2.5 followed by a unit is not a label.
            let after = tail[sub.len()..].chars().next();
            if after.is_some_and(|c| c == '%' || c == '万' || c == '亿' || c == '元' || c == '倍') {
                return None;
            }
            Some(Numbering { style: Style::Decimal, ordinal: last_ordinal, len: num.len() + sep.len_utf8() + sub.len() })
        }
        '.' | '．' => Some(Numbering { style: Style::ArabicDot, ordinal, len: num.len() + sep.len_utf8() }),
        _ => None,
    }
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

/// A short line that is no sentence: a title, an addressee (尊敬的…：), "以下是全文:", or the
/// issuer and date under a sign-off. It never stands alone as a clause: it is held for the next
/// clause (the introduction of what follows) or, after a sign-off, for the clause before.
fn is_fragment(line: &str) -> bool {
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
    let mut parser = Parser::default();
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = trim_line(&strip_markers(raw)).to_string();
        if !line.is_empty() {
            parser.line(line_no, line);
        }
    }
    parser.finish()
}

/// Reads a document top-down: what a line is depends on the lines before it.
#[derive(Default)]
struct Parser {
    doc: ParsedDoc,
    /// Numbering styles currently open, innermost last, with their section.
    open: Vec<(Style, usize)>,
    /// Lines no clause has taken yet (see [`is_fragment`]): (line number, text).
    held: Vec<(u32, String)>,
    title_lines: Vec<String>,
    /// A heading or a paragraph has been seen: no more title lines.
    title_done: bool,
    seen_clause: bool,
    after_signoff: bool,
    /// Numbered lines taken as headings although they end like a sentence: (section, line, text).
    sentence_headings: Vec<(usize, u32, String)>,
}

impl Parser {
    fn line(&mut self, line_no: u32, line: String) {
        if is_chrome(&line) {
            // A page's publication date stays in its opening clause too: it answers "when was
            // it published" in the words of the page.
            if let Some(date) = date_line(&line) {
                self.doc.published.get_or_insert(date);
                self.held.push((line_no, line));
            }
        } else if is_signoff(&line) || (self.after_signoff && is_fragment(&line)) {
            self.after_signoff = true;
            self.held.push((line_no, line));
        } else {
            if self.after_signoff {
                // Body text after a sign-off: the sign-off belonged to the clause before it.
                self.attach_held_to_last();
                self.after_signoff = false;
            }
            match numbering(&line) {
                Some(num) => self.numbered(line_no, line, &num),
                None => self.unnumbered(line_no, line),
            }
        }
    }

    /// A numbered line opens a section, and is a clause of it unless it is only a heading.
    fn numbered(&mut self, line_no: u32, line: String, num: &Numbering) {
        let rest = trim_line(&line[num.len..]).trim_start_matches(['.', '．', '、', ' ']);
        // Close back to this style's level if it is open, else nest under the innermost.
        if let Some(level) = self.open.iter().position(|&(style, _)| style == num.style) {
            self.open.truncate(level);
        }
        let parent = self.open.last().map(|&(_, s)| s);
        let (heading_only, title) = split_heading(rest, num.style);
        let ends_like_sentence = ends_sentence(rest);
        if !self.seen_clause && self.doc.sections.is_empty() {
            // Title lines straight before the first heading are the document's title
            // (kept in `doc.title`), not the introduction of some clause further down.
            self.held.clear();
        }
        let label = line[..num.len].to_string();
        self.doc.sections.push(PSection { parent, label, title, ordinal: num.ordinal });
        let section = self.doc.sections.len() - 1;
        self.open.push((num.style, section));
        self.title_done = true;
        if !heading_only {
            self.push_clause(Some(section), line_no, line);
        } else if ends_like_sentence {
            self.sentence_headings.push((section, line_no, line));
        }
    }

    /// An unnumbered line: a title line, a fragment held for a clause, or a paragraph.
    fn unnumbered(&mut self, line_no: u32, line: String) {
        let fragment = is_fragment(&line);
        if fragment && !self.title_done && !self.seen_clause && !line.ends_with([':', '：']) {
            self.title_lines.push(line.clone());
        }
        if fragment {
            self.held.push((line_no, line));
            return;
        }
        self.title_done = true;
        let section = if is_final_provision(&line) { None } else { self.open.last().map(|&(_, s)| s) };
        self.push_clause(section, line_no, line);
    }

    fn push_clause(&mut self, section: Option<usize>, line_no: u32, line: String) {
        let first_line = self.held.first().map_or(line_no, |l| l.0);
        let mut lines: Vec<String> = self.held.drain(..).map(|(_, l)| l).collect();
        lines.push(line);
        let role = if !self.seen_clause && section.is_none() { Role::Head } else { Role::Body };
        self.seen_clause = true;
        self.doc.clauses.push(PClause { section, line: first_line, role, lines });
    }

    fn attach_held_to_last(&mut self) {
        if self.held.is_empty() {
            return;
        }
        match self.doc.clauses.last_mut() {
            Some(last) => {
                last.lines.extend(self.held.drain(..).map(|(_, l)| l));
                if last.role == Role::Body {
                    last.role = Role::Closing;
                }
            }
            None => {
                // Only fragments and no paragraph: keep them as one clause rather than losing
                // them; the compiler rejects documents whose text is nothing but this.
                let line = self.held[0].0;
                let lines = self.held.drain(..).map(|(_, l)| l).collect();
                self.doc.clauses.push(PClause { section: None, line, role: Role::Head, lines });
            }
        }
    }

    fn finish(mut self) -> ParsedDoc {
        self.attach_held_to_last();
        // A short numbered sentence that nothing was filed under ("① 逾期不予受理。") was a
        // provision, not a heading.
        for (section, line_no, text) in std::mem::take(&mut self.sentence_headings) {
            if !self.doc.files_anything_under(section) {
                let clauses = &mut self.doc.clauses;
                let at = clauses.iter().position(|c| c.line > line_no).unwrap_or(clauses.len());
                clauses.insert(at, PClause { section: Some(section), line: line_no, role: Role::Body, lines: vec![text] });
            }
        }
        if !self.title_lines.is_empty() {
            let (title, byline) = super::header::split_title(&self.title_lines);
            self.doc.title = title;
            self.doc.byline = byline;
        }
        self.doc
    }
}

impl ParsedDoc {
    /// Whether a clause or a section is filed under `section`, directly or deeper.
    fn files_anything_under(&self, section: usize) -> bool {
        let within = |mut at: Option<usize>| {
            while let Some(i) = at {
                if i == section {
                    return true;
                }
                at = self.sections[i].parent;
            }
            false
        };
        self.clauses.iter().any(|c| within(c.section)) || self.sections.iter().any(|s| s.parent == Some(section))
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
    fn chrome_is_dropped_but_the_date_kept() {
        let d = parse("首页 > 招商政策 > 正文\n\n标题\n发布日期:2020-03-24\n分享:\n正文第一段。\n");
        assert_eq!(d.published.as_deref(), Some("2020-03-24"));
        assert_eq!(d.clauses.len(), 1);
        assert_eq!(d.clauses[0].lines, ["标题", "发布日期:2020-03-24", "正文第一段。"]);
    }
}
