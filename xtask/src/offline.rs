//! The offline page, dist/policy-qa-offline.html: one self-contained file. A page opened from
//! file:// can neither import modules nor fetch a .wasm, so www/offline.template.html gets the
//! stylesheet, the wasm (base64), the no-modules glue, the element and its loader inlined.

use crate::Result;
use std::fs;
use std::path::Path;

/// Writes `out` from the template, with `glue` (wasm-bindgen's no-modules glue), `wasm` and
/// the English table.
pub(crate) fn write(root: &Path, glue: &Path, wasm: &Path, english: &Path, out: &Path) -> Result {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let bytes = |p: &Path| fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let www = root.join("www");
    let template = read(&www.join("offline.template.html"))?;
    let wasm = bytes(wasm)?;
    let english = bytes(english)?;
    let html = fill(
        &template,
        &[
            ("css", read(&www.join("policy-qa.css"))?),
            ("wasm", base64(&wasm)),
            ("english", base64(&english)),
            ("glue", read(glue)?),
            ("element", read(&www.join("element.js"))?),
            ("loader", read(&www.join("offline-loader.js"))?),
        ],
    )
    .map_err(|e| format!("www/offline.template.html: {e}"))?;
    fs::write(out, html).map_err(|e| format!("{}: {e}", out.display()))
}

/// `template` with each `{{name}}` replaced by its value, which is escaped so that it cannot
/// end the `<script>` element it sits in. Every value must be used and every name known.
fn fill(template: &str, values: &[(&str, String)]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut used = vec![false; values.len()];
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = rest[open..].find("}}").ok_or("a {{ without }}")? + open;
        let name = &rest[open + 2..close];
        let i = values.iter().position(|(k, _)| *k == name).ok_or_else(|| format!("unknown placeholder {{{{{name}}}}}"))?;
        used[i] = true;
        out.push_str(&rest[..open]);
        out.push_str(&values[i].1.replace("</script", "<\\/script"));
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    match values.iter().zip(&used).find(|(_, used)| !**used) {
        Some(((name, _), _)) => Err(format!("no placeholder {{{{{name}}}}}")),
        None => Ok(out),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648), what the page's `atob` reads.
fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (input, want) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(input.as_bytes()), want, "{input:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    /// A name, a template, its values and what `fill` makes of them.
    type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)], std::result::Result<&'static str, &'static str>);

    #[test]
    fn fill_replaces_placeholders_and_rejects_mismatches() {
        let cases: [Case; 5] = [
            ("plain", "<p>{{a}}</p>{{b}}", &[("a", "1"), ("b", "2")], Ok("<p>1</p>2")),
            ("a value cannot close its script", "<script>{{a}}</script>", &[("a", "x</script>y")], Ok("<script>x<\\/script>y</script>")),
            ("a value is not filled again", "{{a}}", &[("a", "{{a}}")], Ok("{{a}}")),
            ("unknown name", "{{a}}{{c}}", &[("a", "1")], Err("unknown placeholder {{c}}")),
            ("unused value", "{{a}}", &[("a", "1"), ("b", "2")], Err("no placeholder {{b}}")),
        ];
        for (name, template, values, want) in cases {
            let values: Vec<_> = values.iter().map(|(k, v)| (*k, v.to_string())).collect();
            assert_eq!(fill(template, &values), want.map(str::to_string).map_err(str::to_string), "{name}");
        }
    }
}
