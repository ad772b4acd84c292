//! An HTML page saved from a government site → plain text lines. Navigation, headers, footers,
//! scripts and styles are dropped; block elements become line breaks. Deliberately small: the
//! pages are simple, and a full HTML parser would only run at build time anyway.

const DROP: &[&str] = &["script", "style", "nav", "header", "footer", "noscript", "head", "select", "form"];
const BLOCK: &[&str] = &["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol", "title"];

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/' || c == '>').next().unwrap_or("").to_ascii_lowercase()
}

pub(crate) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        let name = tag_name(tag);
        rest = &rest[gt + 1..];
        if !tag.starts_with('/') && DROP.contains(&name.as_str()) {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |e| {
                let after = &rest[e..];
                after.find('>').map_or("", |g| &after[g + 1..])
            });
            out.push('\n');
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.replace(['\r'], "");
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(a) = rest.find('&') {
        out.push_str(&rest[..a]);
        rest = &rest[a..];
        // Entities are short: look for the `;` within the next few characters only.
        let window = rest.char_indices().nth(10).map_or(rest.len(), |(i, _)| i);
        let Some(semi) = rest[..window].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let c = match ent {
            "nbsp" => Some(' '),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "mdash" => Some('—'),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace('\r', "")
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_to_text() {
        let cases = [
            ("drops nav and script", "<nav>首页 &gt; 政策</nav><p>第一段。</p><script>alert(1)</script><p>第二段&amp;。</p>", "第一段。\n第二段&。"),
            ("entities", "<p>A&nbsp;&#x4E00;&#20108;</p>", "A 一二"),
            ("comment", "<p>甲<!-- x --></p>", "甲"),
        ];
        for (name, html, want) in cases {
            let text = super::to_text(html);
            let got: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            assert_eq!(got.join("\n"), want, "{name}");
        }
    }
}
