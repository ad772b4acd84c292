//! What a document's own text says about itself, for a file dropped into `seeds/` with no
//! manifest entry: its title, the byline printed under it (issuer, 文号, date) and the article
//! that sets when it takes effect and how long it holds (本办法自2024年10月1日起施行，有效期3年).
//! Without this a new regulation's citation ran its byline into its title and every answer
//! from it said "validity unknown".

use crate::format::FactKind;

/// A date as the documents print it (2024年9月10日, 2024年9月) → ISO (`2024-09-10`, `2024-09`).
fn cn_date(text: &str) -> Option<(String, usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let Some((year, i)) = digits(&chars, start, 4).filter(|&(y, i)| y >= 1900 && chars.get(i) == Some(&'年')) else { continue };
        let Some((month, j)) = digits(&chars, i + 1, 2).filter(|&(m, j)| chars.get(j) == Some(&'月') && (1..=12).contains(&m)) else { continue };
        let day = digits(&chars, j + 1, 2).filter(|&(d, k)| chars.get(k) == Some(&'日') && (1..=31).contains(&d));
        let (iso, end) = match day {
            Some((d, k)) => (format!("{year:04}-{month:02}-{d:02}"), k + 1),
            None => (format!("{year:04}-{month:02}"), j + 1),
        };
        return Some((iso, start, end));
    }
    None
}

/// The number of up to `max` ASCII digits from `at`, and where they end.
fn digits(chars: &[char], at: usize, max: usize) -> Option<(u32, usize)> {
    if at >= chars.len() {
        return None;
    }
    let n = chars[at..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
    let s: String = chars[at..at + n].iter().collect();
    s.parse().ok().map(|v| (v, at + n))
}

/// A 文号 (深商务规〔2024〕3号), as the fact extractor finds one in a clause.
fn doc_number(text: &str) -> Option<String> {
    super::facts::extract(text).into_iter().find(|f| f.kind == FactKind::Number && f.text.contains(['〔', '[', '［'])).map(|f| f.text)
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Words a government body's name ends with.
const BODY_ENDS: [&str; 10] = ["局", "委员会", "委", "办公室", "人民政府", "政府", "管委会", "管理委员会", "厅", "署"];

/// A line naming only issuing bodies (深圳市商务局　深圳市财政局).
fn only_bodies(line: &str) -> bool {
    let names: Vec<&str> = line.split([' ', '\u{3000}']).filter(|s| !s.is_empty()).collect();
    !names.is_empty() && names.iter().all(|n| n.chars().count() <= 20 && n.chars().all(is_han) && BODY_ENDS.iter().any(|e| n.ends_with(e)))
}

/// Whether a line under the title is its byline rather than more of the title.
fn is_byline(line: &str) -> bool {
    cn_date(line).is_some() || doc_number(line).is_some() || only_bodies(line) || line.contains("关于印发")
}

/// What a byline says.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Byline {
    pub issuer: Option<String>,
    pub number: Option<String>,
    pub published: Option<String>,
}

/// The title lines before a document's first heading → the title (the lines before the first
/// byline, joined: a long title wraps) and what the byline lines say. A first line that is
/// itself the notice (…关于印发《…》的通知) stays the title.
pub(crate) fn split_title(lines: &[String]) -> (Option<String>, Byline) {
    let title_end = lines.iter().skip(1).position(|l| is_byline(l)).map_or(lines.len(), |p| p + 1);
    let title = (title_end > 0).then(|| lines[..title_end].concat());
    let mut byline = Byline::default();
    for line in lines {
        byline.number = byline.number.or_else(|| doc_number(line));
        byline.published = byline.published.or_else(|| cn_date(line).map(|d| d.0));
    }
    for line in lines {
        byline.issuer = byline.issuer.or_else(|| issuer(line));
    }
    (title, byline)
}

/// The issuing bodies a byline names: the line itself when it names only bodies, the words
/// before 关于印发, or those around the number and the date (深圳市商务局　2024年9月10日).
fn issuer(line: &str) -> Option<String> {
    let bodies = |text: &str| {
        let names: Vec<&str> = text.split([' ', '\u{3000}']).filter(|s| !s.is_empty()).collect();
        (!names.is_empty() && only_bodies(text)).then(|| names.join("、"))
    };
    if let Some((before, _)) = line.split_once("关于印发") {
        return bodies(before);
    }
    let mut rest = line.to_string();
    if let Some(n) = doc_number(&rest) {
        rest = rest.replace(&n, " ");
    }
    if let Some((_, s, e)) = cn_date(&rest) {
        let chars: Vec<char> = rest.chars().collect();
        rest = chars[..s].iter().chain([' '].iter()).chain(&chars[e..]).collect();
    }
    let rest = rest.replace("印发", " ").replace(['（', '）', '(', ')'], " ");
    bodies(rest.trim())
}

/// When the document takes effect and until when, from its article saying so: (from, until,
/// the sentence, whether `until` was worked out from a duration).
pub(crate) fn validity<'a>(lines: impl Iterator<Item = &'a str>) -> Option<(String, Option<String>, String, bool)> {
    for line in lines {
        for sentence in line.split_inclusive('。') {
            let Some(at) = sentence.find("起施行").or_else(|| sentence.find("起实施")) else { continue };
            let Some((from, _, _)) = cn_date(&sentence[..at]) else { continue };
            let note = strip_article_label(sentence.trim());
            let after = &sentence[at..];
            if let Some(i) = after.find("有效期至") {
                if let Some((until, _, _)) = cn_date(&after[i..]) {
                    return Some((from, Some(until), note, false));
                }
            }
            let until = after.find("有效期").and_then(|i| years(&after[i + "有效期".len()..])).and_then(|n| add_years(&from, n));
            return Some((from, until.clone(), note, until.is_some()));
        }
    }
    None
}

/// 第三十条　本办法…: the sentence without its article's label.
fn strip_article_label(s: &str) -> String {
    match s.find(['\u{3000}', ' ']) {
        Some(i) if s[..i].ends_with('条') => s[i..].trim().to_string(),
        _ => s.to_string(),
    }
}

/// "3年", "三年", "五年" → the number of years.
fn years(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    let (n, end) = match digits(&chars, 0, 2) {
        Some(x) => x,
        None => ("一二三四五六七八九十".chars().position(|c| Some(&c) == chars.first()).map(|p| p as u32 + 1)?, 1),
    };
    (chars.get(end) == Some(&'年')).then_some(n)
}

/// The day before the same date `n` years later: a measure valid three years from 2024-07-01
/// holds until 2027-06-30.
fn add_years(from: &str, n: u32) -> Option<String> {
    let parts: Vec<u32> = from.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [y, m, d] = parts[..] else { return None };
    let y = y + n;
    let (y, m, d) = if d > 1 {
        (y, m, d - 1)
    } else if m > 1 {
        (y, m - 1, days_in(y, m - 1))
    } else {
        (y - 1, 12, 31)
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_bylines() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // (name, title lines, title, issuer, number, published)
        type Case<'a> = (&'a str, Vec<String>, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let cases: [Case; 7] = [
            ("bodies, date and number on one line", s(&["深圳市促进跨境电子商务海外仓建设扶持办法", "深圳市商务局　深圳市财政局　2024年9月10日（深商务规〔2024〕3号）"]), "深圳市促进跨境电子商务海外仓建设扶持办法", Some("深圳市商务局、深圳市财政局"), Some("深商务规〔2024〕3号"), Some("2024-09-10")),
            ("印发 after the date", s(&["深圳市南山区促进人工智能大模型应用场景开放若干措施", "深圳市南山区人民政府办公室　2024年6月18日印发（深南府办规〔2024〕5号）"]), "深圳市南山区促进人工智能大模型应用场景开放若干措施", Some("深圳市南山区人民政府办公室"), Some("深南府办规〔2024〕5号"), Some("2024-06-18")),
            ("number first", s(&["深圳市龙岗区促进绿色低碳建筑与装配式建筑发展若干措施", "深龙府规〔2025〕3号　　深圳市龙岗区人民政府　2025年4月18日印发"]), "深圳市龙岗区促进绿色低碳建筑与装配式建筑发展若干措施", Some("深圳市龙岗区人民政府"), Some("深龙府规〔2025〕3号"), Some("2025-04-18")),
            ("bodies on a line of their own", s(&["深圳市加快氢能产业发展若干措施", "深圳市发展和改革委员会 深圳市工业和信息化局", "深发改规〔2025〕4号　　2025年3月18日印发"]), "深圳市加快氢能产业发展若干措施", Some("深圳市发展和改革委员会、深圳市工业和信息化局"), Some("深发改规〔2025〕4号"), Some("2025-03-18")),
            ("a notice line under the title", s(&["深圳市促进老字号与非遗工坊传承发展若干措施", "深圳市商务局　深圳市文化广电旅游体育局关于印发《深圳市促进老字号与非遗工坊传承发展若干措施》的通知", "深商务规〔2025〕5号"]), "深圳市促进老字号与非遗工坊传承发展若干措施", Some("深圳市商务局、深圳市文化广电旅游体育局"), Some("深商务规〔2025〕5号"), None),
            ("the notice is the title", s(&["深圳市宝安区人民政府办公室关于印发《宝安区促进跨境电子商务高质量发展扶持办法》的通知", "深宝府办规〔2025〕2号"]), "深圳市宝安区人民政府办公室关于印发《宝安区促进跨境电子商务高质量发展扶持办法》的通知", Some("深圳市宝安区人民政府办公室"), Some("深宝府办规〔2025〕2号"), None),
            ("a wrapped title and no byline", s(&["关于深圳市福田区政协第六届第三次会议提案", "的主办意见"]), "关于深圳市福田区政协第六届第三次会议提案的主办意见", None, None, None),
        ];
        for (name, lines, title, issuer, number, published) in cases {
            let (got, byline) = split_title(&lines);
            assert_eq!(got.as_deref(), Some(title), "{name}");
            assert_eq!(byline.issuer.as_deref(), issuer, "{name}");
            assert_eq!(byline.number.as_deref(), number, "{name}");
            assert_eq!(byline.published.as_deref(), published, "{name}");
        }
    }

    #[test]
    fn validity_articles() {
        // (name, article, from, until, until worked out)
        let cases = [
            ("until a date", "第三十条　本办法自2024年10月1日起施行，有效期至2027年9月30日。", Some(("2024-10-01", Some("2027-09-30"), false))),
            ("for some years", "第三十三条　本措施自2024年7月1日起施行，有效期3年。", Some(("2024-07-01", Some("2027-06-30"), true))),
            ("years in words", "第二十六条 本办法自2025年3月1日起施行，有效期三年。", Some(("2025-03-01", Some("2028-02-29"), true))),
            ("no end", "本规定自2024年1月1日起实施。", Some(("2024-01-01", None, false))),
            ("from publication: no date", "本行动计划自发布之日起实施,有效期5年。", None),
        ];
        for (name, text, want) in cases {
            let got = validity([text].into_iter());
            let got = got.as_ref().map(|(f, u, _, w)| (f.as_str(), u.as_deref(), *w));
            assert_eq!(got, want, "{name}");
        }
        let (_, _, note, _) = validity(["第三十条　本办法自2024年10月1日起施行，有效期至2027年9月30日。"].into_iter()).expect("a validity");
        assert_eq!(note, "本办法自2024年10月1日起施行，有效期至2027年9月30日。");
    }
}
