//! The seed compiler: determinism, plain text, and errors that point at the file and line.

use std::path::Path;

use policy_qa::compile::{compile, compile_dir, Inputs};
use policy_qa::Engine;

fn seeds() -> Inputs {
    policy_qa::compile::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").as_path()).expect("seeds/ reads").0
}

fn doc(name: &str, text: &str) -> (String, Vec<u8>) {
    (name.to_string(), text.as_bytes().to_vec())
}

const GOOD: &str = "关于支持企业发展的通知\n各有关单位：\n为支持企业发展，制定本措施。\n一、支持措施\n（一）研发资助。对企业研发项目给予最高不超过100万元资助。（责任单位：市工业和信息化局）\n";

#[test]
fn two_builds_are_byte_identical() {
    let a = compile(&seeds()).expect("seeds compile").kb_bytes();
    let mut shuffled = seeds();
    shuffled.docs.reverse();
    let b = compile(&shuffled).expect("seeds compile").kb_bytes();
    assert_eq!(a, b, "input order changed the bytes");
    let c = compile_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).expect("seeds compile").kb_bytes();
    assert_eq!(a, c);
    assert_eq!(a, policy_qa::KB_BYTES, "build.rs wrote different bytes than the compiler gives now");
}

#[test]
fn markup_in_a_seed_stays_plain_text() {
    let text = "测试文件\n一、措施\n（一）补贴。对企业给予补贴<script>alert('x')</script>最高50万元。\n";
    let inputs = Inputs { docs: vec![doc("900_test.txt", text)], ..Inputs::default() };
    let compiled = compile(&inputs).expect("compiles");
    let bytes = compiled.kb_bytes();
    // Clause text is stored as UTF-16 (little endian).
    let needle: Vec<u8> = "<script>alert('x')</script>".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(bytes.windows(needle.len()).any(|w| w == needle), "the KB holds the characters verbatim");
    let engine = Engine::from_bytes(&bytes).expect("loads");
    let item = engine.library().clause("900-1.1", "2026-01-01").expect("clause");
    assert!(item.text.contains("<script>alert('x')</script>"), "{}", item.text);
}

#[test]
fn bad_seeds_fail_with_file_and_line() {
    let gbk = encoding_rs::GB18030.encode(GOOD).0.into_owned();
    let cases: Vec<(&str, Inputs, &str)> = vec![
        ("empty file", Inputs { docs: vec![doc("001_a.txt", "")], ..Inputs::default() }, "seeds/001_a.txt:1: file is empty"),
        ("whitespace only", Inputs { docs: vec![doc("001_a.txt", " \n\n ")], ..Inputs::default() }, "seeds/001_a.txt:1: file is empty"),
        ("no text", Inputs { docs: vec![doc("001_a.txt", "----\n!!!\n123\n")], ..Inputs::default() }, "seeds/001_a.txt:1: no recognisable text"),
        (
            "neither utf-8 nor gbk",
            Inputs { docs: vec![("001_a.txt".into(), b"line one\n\xff\xfe\xfd\xfc\x80\x81".to_vec())], ..Inputs::default() },
            "seeds/001_a.txt:2: not valid UTF-8",
        ),
        (
            "duplicate ids",
            Inputs { docs: vec![doc("007_a.txt", GOOD), doc("007_b.txt", GOOD)], ..Inputs::default() },
            "seeds/007_b.txt:1: duplicate document id \"007\"",
        ),
        (
            "manifest names a missing file",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], manifest: Some("# x\n\n[[doc]]\nfile = \"nope.txt\"\n".into()), ..Inputs::default() },
            "seeds/manifest.toml:4: entry names nope.txt",
        ),
        (
            "manifest bad date",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], manifest: Some("[[doc]]\nfile = \"001_a.txt\"\npublished = \"2020-13\"\n".into()), ..Inputs::default() },
            "seeds/manifest.toml:2: published \"2020-13\" is not a date",
        ),
        (
            "manifest syntax",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], manifest: Some("[[doc]]\nfile = \"001_a.txt\"\ntitle = \n".into()), ..Inputs::default() },
            "seeds/manifest.toml:3:",
        ),
        (
            // Shipped keys are read through a flattened struct, whose errors serde reports at the
            // entry: the compiler still points at the key.
            "manifest unknown key",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], manifest: Some("# x\n[[doc]]\nfile = \"001_a.txt\"\nissuer = \"x\"\nvalid_untill = \"2025\"\n".into()), ..Inputs::default() },
            "seeds/manifest.toml:5: unknown field `valid_untill`",
        ),
        (
            "manifest duplicate entry",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], manifest: Some("[[doc]]\nfile = \"001_a.txt\"\n[[doc]]\nfile = \"001_a.txt\"\n".into()), ..Inputs::default() },
            "duplicate entry for 001_a.txt",
        ),
        (
            "lexicon line without =",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], lexicon: Some("# ok\nconcept 研发\n".into()), ..Inputs::default() },
            "seeds/lexicon.rules:2: expected `KIND … = words`",
        ),
        (
            "lexicon unknown intent",
            Inputs { docs: vec![doc("001_a.txt", GOOD)], lexicon: Some("intent price = 多少钱\n".into()), ..Inputs::default() },
            "seeds/lexicon.rules:1: unknown intent \"price\"",
        ),
    ];
    for (name, inputs, want) in cases {
        match compile(&inputs) {
            Ok(_) => panic!("{name}: compiled"),
            Err(errors) => {
                let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
                assert!(all.iter().any(|e| e.starts_with(want) || e.contains(want)), "{name}: {all:?} lacks {want:?}");
            }
        }
    }
    // GB18030/GBK is converted, with a warning naming the file.
    let ok = compile(&Inputs { docs: vec![("001_gbk.txt".into(), gbk)], ..Inputs::default() }).expect("GBK is converted");
    assert!(ok.warnings.iter().any(|w| w.starts_with("seeds/001_gbk.txt:") && w.contains("GB18030")), "{:?}", ok.warnings);
}

#[test]
fn a_document_without_manifest_entry_builds_and_answers() {
    let mut inputs = seeds();
    inputs.docs.push(doc("900_new.txt", GOOD));
    let c = compile(&inputs).expect("compiles");
    assert!(c.warnings.iter().any(|w| w.starts_with("seeds/900_new.txt") && w.contains("no entry")), "{:?}", c.warnings);
    let engine = c.engine().expect("loads");
    let a = engine.ask("企业研发项目资助最高多少", "2026-01-01");
    let top = a.answers.first().expect("answered without writing any rule");
    assert_eq!(top.doc, "900_new");
    assert_eq!(top.title, "关于支持企业发展的通知");
    assert_eq!(top.validity.status, "unknown");
}

#[test]
fn a_regulation_dropped_in_says_who_issued_it_and_how_long_it_holds() {
    const MEASURE: &str = "深圳市某区促进绿色工厂建设扶持办法\n深圳市某区工业和信息化局　深圳市某区财政局　2024年9月10日（深某工信规〔2024〕3号）\n第一章 总则\n第一条 为推动绿色制造，制定本办法。\n第二章 支持内容\n第二条 对新认定的国家级绿色工厂，给予一次性奖励100万元。\n第三章 附则\n第三条 本办法自2024年10月1日起施行，有效期3年。\n";
    let engine = engine_with("901_green.txt", MEASURE);
    // (name, day asked, validity status)
    let cases = [("in force", "2026-01-01", "in_force"), ("after three years", "2027-10-01", "lapsed")];
    for (name, today, status) in cases {
        let a = engine.ask("国家级绿色工厂奖励多少", today);
        let top = a.answers.first().unwrap_or_else(|| panic!("{name}: answered"));
        assert_eq!(top.title, "深圳市某区促进绿色工厂建设扶持办法", "{name}: the byline is no part of the title");
        assert!(top.citation.contains("深某工信规〔2024〕3号"), "{name}: {}", top.citation);
        assert_eq!(top.validity.from.as_deref(), Some("2024-10-01"), "{name}");
        assert_eq!(top.validity.until.as_deref(), Some("2027-09-30"), "{name}");
        assert!(top.validity.inferred, "{name}: the end date is worked out from 有效期3年");
        assert_eq!(top.validity.status, status, "{name}");
    }
}

/// An engine over the shipped seeds and one more document.
fn engine_with(name: &str, text: &str) -> Engine {
    let mut inputs = seeds();
    inputs.docs.push(doc(name, text));
    compile(&inputs).expect("compiles").engine().expect("loads")
}

#[test]
fn a_document_for_any_trade_covers_trades_it_never_names() {
    const SME: &str = "宝安区中小企业技术改造资助办法\n第一条 为支持中小企业技术改造，制定本办法。\n第二条 对中小企业实施技术改造项目，按设备投入的20%给予资助，最高不超过200万元。\n";
    let engine = engine_with("902_sme.txt", SME);
    // (name, question, document answering, or None)
    let cases = [
        ("a trade no document names, before 的", "我们是做五金冲压的工厂，技术改造能拿多少资助", Some("902_sme")),
        ("the same trade as one word", "五金冲压厂技术改造资助最高多少", Some("902_sme")),
    ];
    for (name, q, want) in cases {
        let a = engine.ask(q, "2026-01-01");
        assert_eq!(a.answers.first().map(|i| i.doc.as_str()), want, "{name}: {q}");
    }
    // Without it, the fashion plans do not cover that trade.
    let a = Engine::new().ask("五金冲压厂技术改造资助最高多少", "2026-01-01");
    assert!(a.answers.is_empty(), "the fashion plans answered: {:?}", a.answers.first().map(|i| &i.id));
}

#[test]
fn a_regulation_dropped_in_answers_in_users_words() {
    const REGULATION: &str = "深圳市某区支持绿色工厂建设办法\n第一章 总则\n第一条 为推动绿色制造，制定本办法。\n第二章 支持内容\n第二条 对新认定的国家级绿色工厂，给予一次性奖励100万元。\n第三章 申报\n第三条 本办法项目每年分两批申报，受理时间为3月1日至3月31日、9月1日至9月30日。\n第四章 监督管理\n第四条 获得奖励的企业五年内迁出本区的，应当退回已获得的奖励资金。\n第五条 企业受到生态环境部门行政处罚的，取消其当年度申报资格。\n";
    let engine = engine_with("903_green.txt", REGULATION);
    // (name, question, the article that answers)
    let cases = [
        ("a date without its year answers when", "绿色工厂奖励每年几月份申报", "903-3.3"),
        ("moving away, in spoken words", "拿了奖励以后过两年把公司搬走，钱要退吗", "903-4.4"),
        ("a penalty, in spoken words", "工厂被环保罚过款，当年还能申报绿色工厂奖励吗", "903-4.5"),
    ];
    for (name, q, want) in cases {
        let a = engine.ask(q, "2026-01-01");
        assert_eq!(a.answers.first().map(|i| i.id.as_str()), Some(want), "{name}: {q}");
    }
}

#[test]
fn html_pages_lose_their_chrome() {
    let page = "<html><head><title>t</title><script>var x=1;</script></head><body><nav>首页 &gt; 政策</nav><div class=x><h1>关于支持企业发展的通知</h1><p>各有关单位：</p><p>为支持企业发展，制定本措施。</p><p>一、对企业研发项目给予最高不超过100万元资助。</p></div><footer>版权所有 网站地图</footer></body></html>";
    let c = compile(&Inputs { docs: vec![doc("901_page.html", page)], ..Inputs::default() }).expect("compiles");
    let engine = c.engine().expect("loads");
    let a = engine.ask("研发项目资助最高多少", "2026-01-01");
    let top = a.answers.first().expect("answered");
    assert!(top.text.contains("最高不超过100万元"));
    for i in a.answers.iter().chain(&a.related) {
        assert!(!i.text.contains("首页") && !i.text.contains("版权所有") && !i.text.contains("var x"), "{}", i.text);
    }
}

#[test]
fn format_mismatch_is_refused() {
    let good = policy_qa::KB_BYTES.to_vec();
    let mut wrong_version = good.clone();
    wrong_version[8] = wrong_version[8].wrapping_add(1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "bad magic"),
        ("garbage", b"not a knowledge base at all".to_vec(), "bad magic"),
        ("other version", wrong_version, "version"),
        ("truncated body", good[..good.len() / 2].to_vec(), "corrupt"),
    ];
    for (name, bytes, want) in cases {
        match Engine::from_bytes(&bytes) {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => assert!(e.to_string().contains(want), "{name}: {e}"),
        }
    }
}
