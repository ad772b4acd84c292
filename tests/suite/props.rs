//! Property tests: compiling and asking never panic, whatever the input.

use policy_qa::compile::{compile, Inputs};
use policy_qa::Engine;
use proptest::prelude::*;

/// Text made of the characters the parser reacts to, so that cases reach its branches.
fn policy_like() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "一、", "（一）", "(二)", "1.", "2、", "1.1", "第一章", "第三条", "①", "一是", "二是", "。", "，", "：", "\n", "\n\n",
        "尊敬的", "特此回复。", "首页 > 政策 > 正文", "发布日期:2020-03-24", "最高不超过800万元", "50%", "（责任单位：市局）",
        "牵头", "到2025年", "2020年6月28日", "有效期5年", "企业", "支持", "深圳", "　　", "[bookmark: x]", "<p>", "&nbsp;", "（", "）",
    ]);
    prop::collection::vec(prop_oneof![atoms.prop_map(str::to_string), any::<char>().prop_map(String::from)], 0..60)
        .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn compiling_never_panics(text in policy_like(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for (name, data) in [("100_a.txt", text.as_bytes().to_vec()), ("101_b.txt", bytes), ("102_c.html", text.as_bytes().to_vec())] {
            let inputs = Inputs { docs: vec![(name.to_string(), data)], ..Inputs::default() };
            if let Ok(c) = compile(&inputs) {
                let engine = c.engine().expect("what compiles loads");
                let _ = engine.ask(&text, "2026-01-01");
            }
        }
    }

    #[test]
    fn asking_never_panics(q in any::<String>(), p in policy_like()) {
        let engine = Engine::new();
        for q in [q.as_str(), p.as_str()] {
            let a = engine.ask(q, "2026-01-01");
            prop_assert!(a.answers.len() <= 5 && a.related.len() <= 5);
            for i in a.answers.iter().chain(&a.related) {
                prop_assert!(i.score.is_finite() && (0.0..=1.0).contains(&i.coverage));
            }
        }
    }
}
