//! Whatever a user types, the engine answers or says it has nothing; it never panics.

use policy_qa::Engine;

use crate::suite::TODAY;

#[test]
fn hostile_and_empty_questions() {
    let engine = Engine::new();
    let megabyte = "深圳".repeat(200_000);
    let cases: &[(&str, &str, bool)] = &[
        // (name, question, expect no answers)
        ("empty", "", true),
        ("whitespace", " \t\n\u{3000} ", true),
        ("emoji", "🙂🙂🙂👍", true),
        ("control characters", "\u{0}\u{1}\u{7}\u{1b}[31m", true),
        ("html", "<img src=x onerror=alert(1)>", true),
        ("punctuation only", "？？？！！。。，，", true),
        ("latin nonsense", "asdfghjkl qwerty", true),
        ("out of domain", "公积金提取需要准备什么材料", true),
        ("one megabyte", megabyte.as_str(), false),
        ("lone surrogate-like", "\u{FFFD}\u{FFFF}", true),
    ];
    for (name, q, expect_empty) in cases {
        let a = engine.ask(q, TODAY);
        if *expect_empty {
            assert!(a.answers.is_empty(), "{name}: answered {:?}", a.answers.first().map(|i| &i.id));
        }
        assert!(a.question.chars().count() <= 200, "{name}: question not clipped");
    }
}

#[test]
fn notices_say_what_was_wrong_with_the_question() {
    let engine = Engine::new();
    let megabyte = "深圳".repeat(200_000);
    let cases: &[(&str, &str, Option<&str>)] = &[
        // (name, question, the notice starts with)
        ("empty", "", Some("请输入要查询的问题")),
        ("whitespace and an ideographic space", " \t\n\u{3000} ", Some("请输入要查询的问题")),
        ("one megabyte", megabyte.as_str(), Some("问题过长，只读取了前200个字")),
        ("an ordinary question", "海外开品牌专卖店有什么奖励", None),
        ("punctuation only: read, and nothing found", "？？？", None),
    ];
    for (name, q, want) in cases {
        let notice = engine.ask(q, TODAY).notice;
        match want {
            Some(prefix) => assert!(notice.as_deref().is_some_and(|n| n.starts_with(prefix)), "{name}: {notice:?}"),
            None => assert_eq!(notice, None, "{name}"),
        }
    }
}

#[test]
fn known_questions_are_cited() {
    let engine = Engine::new();
    let cases: &[(&str, &str, &str)] = &[
        ("overseas store reward", "海外开品牌专卖店有什么奖励", "给予100万元的财政资金奖励"),
        ("traditional script", "海外開品牌專賣店有什麼獎勵", "给予100万元的财政资金奖励"),
        ("full-width and spaces", "海外　开品牌专卖店　有什么奖励？？", "给予100万元的财政资金奖励"),
        ("english", "How much reward for an overseas brand store?", "给予100万元的财政资金奖励"),
    ];
    for (name, q, want) in cases {
        let a = engine.ask(q, TODAY);
        let top = a.answers.first().unwrap_or_else(|| panic!("{name}: no answer"));
        assert!(top.text.contains(want), "{name}: top answer {} does not contain {want}", top.id);
        assert_eq!(top.doc, "004_668c2268f82d5e60", "{name}");
        assert!(top.citation.contains("深府办〔2020〕4号"), "{name}: citation {}", top.citation);
        assert!(top.citation.contains("14.推动企业实施国际化战略"), "{name}: citation {}", top.citation);
        assert!(top.facts.iter().any(|f| f.kind == "amount" && f.text == "100万元"), "{name}: facts {:?}", top.facts);
        assert!(top.facts.iter().any(|f| f.kind == "unit" && f.text.contains("市工业和信息化局")), "{name}");
        assert_eq!(top.validity.status, "lapsed", "{name}: the 2020–2024 plan lapsed in 2025");
    }
}

#[test]
fn validity_follows_the_date() {
    let engine = Engine::new();
    let cases = [("2024-06-01", "in_force"), ("2025-03-31", "in_force"), ("2025-04-01", "lapsed"), ("2019-01-01", "not_yet")];
    for (today, want) in cases {
        let a = engine.ask("海外开品牌专卖店有什么奖励", today);
        assert_eq!(a.answers[0].validity.status, want, "{today}");
    }
}

#[test]
fn quoted_passages_are_linked_not_repeated() {
    let engine = Engine::new();
    let a = engine.ask("时尚消费街区和地标式时尚大道建在哪些区", TODAY);
    let ids: Vec<&str> = a.answers.iter().chain(&a.related).map(|i| i.id.as_str()).collect();
    let top = &a.answers[0];
    assert!(!top.also_in.is_empty(), "the plan's clause is quoted by the 2020 reply: {top:?}");
    for other in &top.also_in {
        assert!(!ids.contains(&other.as_str()), "{other} shown twice in {ids:?}");
    }
}

#[test]
fn clause_lookup_and_documents() {
    let engine = Engine::new();
    let docs = engine.library().documents();
    assert_eq!(docs.len(), 5);
    assert!(docs.iter().all(|d| d.clauses > 0));
    let item = engine.library().clause("004-3.6.14", TODAY).expect("clause by id");
    assert!(item.text.starts_with("14.推动企业实施国际化战略"));
    assert!(engine.library().clause("no-such-id", TODAY).is_none());
}

#[test]
fn headings_salutations_and_chrome_are_never_alone() {
    let engine = Engine::new();
    for q in ["首页 招商政策 正文", "尊敬的朱舜华委员", "特此回复", "主要任务", "保障措施"] {
        let a = engine.ask(q, TODAY);
        for i in a.answers.iter().chain(&a.related) {
            let lines: Vec<&str> = i.text.lines().collect();
            assert!(
                !(lines.len() == 1 && lines[0].chars().count() < 20 && !lines[0].ends_with('。')),
                "{q}: a bare heading or sign-off became an answer: {:?}",
                i.text
            );
            assert!(!i.text.contains("首页 >"), "{q}: navigation chrome in {}", i.id);
        }
    }
}

#[test]
fn what_no_clause_can_answer_is_related_only() {
    let engine = Engine::new();
    let cases: &[(&str, &str, bool)] = &[
        // (name, question, answered)
        ("a trade the documents cover", "服装厂做技术改造能拿多少补贴", true),
        ("a trade no document names", "钢铁厂做技术改造能拿多少补贴", false),
        ("the same trade before 的", "做钢铁的企业做技术改造能拿多少补贴", false),
        ("a trade noun after another particle names no trade", "龙头企业想和服务商一起搭个行业平台，有支持吗", true),
        ("ownership names no trade", "外资服装厂做技术改造能拿多少补贴", true),
        ("what a measure gives", "海外开专卖店有什么奖励", true),
        ("how to apply, which the measure does not say", "海外专卖店的奖励怎么申请，要交什么材料", false),
        ("a measure named, asked whether it exists", "福田对品牌首店开设有支持吗", true),
        ("its amount asked specifically, which it does not state", "品牌首店开设支持的具体金额是多少", false),
        ("an amount a measure states, asked specifically", "海外开专卖店具体奖励多少", true),
        ("whether there is a specific amount, which the measure answers", "品牌首店开设支持有具体金额吗", true),
        ("a kind of support no document speaks of", "时尚企业认定为高新技术企业后所得税能减多少", false),
        ("the same in English", "What is the corporate income tax rate for fashion companies?", false),
        ("the same need without it", "鼓励时尚企业申请高新技术企业吗", true),
        ("an enterprise of another city", "杭州的时尚企业开专卖店有奖励吗", false),
        ("from another city, coming to the documents' city", "我们是上海的一家时尚杂志，想在深圳设总部，这边欢迎吗", true),
        ("from another city, asking for the documents' city's money", "东莞的服装厂能申请深圳的技术改造资助吗", false),
        ("another place's government", "香港政府对时尚品牌开专卖店有奖励吗", false),
        ("another place as the one that gives (a clause names it in passing)", "杭州对建AIGC产业园有什么扶持", false),
        ("the documents' own government", "深圳市政府对服装品牌建设有资助吗", true),
        ("where the asker comes from, asking about the documents' city", "香港设计师想来深圳开独立工作室，有支持吗", true),
        // The clause says 港澳展品: a region that holds 香港.
        ("a place named through its region", "香港展品免担保放行", true),
    ];
    for (name, q, answered) in cases {
        let a = engine.ask(q, TODAY);
        assert_eq!(!a.answers.is_empty(), *answered, "{name}: {q} answered {:?}", a.answers.first().map(|i| &i.id));
        // Withheld or not, the clauses about the need are still shown.
        assert!(!a.answers.is_empty() || !a.related.is_empty(), "{name}: nothing shown");
    }
}

#[test]
fn english_waits_for_its_table() {
    let engine = Engine::from_bytes(policy_qa::KB_BYTES).expect("loads");
    // "eyeglass" only the dictionary knows: 眼镜.
    let q = "What does the plan say about eyeglass lenses?";
    // (name, question, wants the English table before it is added)
    let cases = [("English", q, true), ("Chinese", "珠宝设计有补贴吗", false), ("digits only", "2025年", false)];
    for (name, question, wants) in cases {
        assert_eq!(engine.wants_english(question), wants, "{name}");
    }
    let before = engine.ask(q, TODAY);
    assert!(engine.add_english(policy_qa::KB_BYTES).is_err(), "a knowledge base is no English table");
    engine.add_english(policy_qa::ENGLISH_BYTES).expect("the English table loads");
    assert!(!engine.wants_english(q), "added once, wanted no more");
    let ids = |a: &policy_qa::Answer| a.answers.iter().chain(&a.related).map(|i| i.id.clone()).collect::<Vec<_>>();
    let after = engine.ask(q, TODAY);
    assert_eq!(ids(&after), ids(&Engine::new().ask(q, TODAY)), "the same answer as the engine built with it");
    assert_ne!(ids(&before), ids(&after), "the table changes how English is read");
}
