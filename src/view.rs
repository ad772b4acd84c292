//! The answer as the user sees it, as plain data: the status line, each answer card (badge,
//! citation, highlighted text, fact chips, passages repeated elsewhere) and a clause's context.
//! The widget's DOM code draws this (`widget.rs`), and `Card::to_text` / `AnswerView::to_text`
//! write it for a terminal, so the wording is one. Compiled natively and tested here.

// Natively only the tests use most of this until the CLI's readable output moves onto it.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use crate::engine::{Answer, Item, Library, ValidityStatus};
use crate::format::FactKind;
use crate::text::cat;

/// Class, id, attribute and action names: one place, so that a typo cannot split writer and
/// reader. `www/policy-qa.css` and the browser tests use the same names.
pub(crate) mod names {
    /// Classes.
    pub(crate) mod class {
        pub(crate) const ROOT: &str = "pqa";
        pub(crate) const FLOATING: &str = "pqa-floating";
        pub(crate) const LARGE: &str = "pqa-large";
        pub(crate) const DARK: &str = "pqa-dark";
        pub(crate) const OPEN: &str = "pqa-open";
        pub(crate) const FAB: &str = "pqa-fab";
        pub(crate) const PANEL: &str = "pqa-panel";
        pub(crate) const TOP: &str = "pqa-top";
        pub(crate) const HEADING: &str = "pqa-heading";
        pub(crate) const LARGE_TOGGLE: &str = "pqa-large-toggle";
        pub(crate) const FORM: &str = "pqa-form";
        pub(crate) const LABEL: &str = "pqa-label";
        pub(crate) const INPUT: &str = "pqa-input";
        pub(crate) const SUBMIT: &str = "pqa-submit";
        pub(crate) const ROW: &str = "pqa-row";
        pub(crate) const PRIVACY: &str = "pqa-privacy";
        pub(crate) const EXAMPLES: &str = "pqa-examples";
        pub(crate) const EXAMPLE: &str = "pqa-example";
        pub(crate) const STATUS: &str = "pqa-status";
        pub(crate) const ANSWERS: &str = "pqa-answers";
        pub(crate) const RELATED: &str = "pqa-related";
        pub(crate) const RELATED_HEADING: &str = "pqa-related-heading";
        pub(crate) const CONTACT: &str = "pqa-contact";
        pub(crate) const CARD: &str = "pqa-card";
        pub(crate) const CARD_RELATED: &str = "pqa-card-related";
        pub(crate) const CARD_HEAD: &str = "pqa-card-head";
        pub(crate) const CITE: &str = "pqa-cite";
        /// Also `pqa-badge-<status>`, by the validity status's name.
        pub(crate) const BADGE: &str = "pqa-badge";
        pub(crate) const TEXT: &str = "pqa-text";
        pub(crate) const FACTS: &str = "pqa-facts";
        /// Also `pqa-chip-<kind>`, by the fact kind's name.
        pub(crate) const CHIP: &str = "pqa-chip";
        pub(crate) const CHIP_KIND: &str = "pqa-chip-k";
        pub(crate) const ALSO: &str = "pqa-also";
        pub(crate) const ACTIONS: &str = "pqa-actions";
        pub(crate) const BUTTON: &str = "pqa-btn";
        pub(crate) const CONTEXT: &str = "pqa-context";
        pub(crate) const CONTEXT_PATH: &str = "pqa-context-path";
        pub(crate) const CONTEXT_ITEM: &str = "pqa-context-item";
        pub(crate) const CONTEXT_THIS: &str = "pqa-context-this";
    }
    /// Element ids, unique within one widget's shadow root.
    pub(crate) mod id {
        pub(crate) const PANEL: &str = "pqa-panel";
        pub(crate) const HEADING: &str = "pqa-heading";
        pub(crate) const INPUT: &str = "pqa-q";
        pub(crate) const PRIVACY: &str = "pqa-privacy";
    }
    /// Data attributes the widget writes and reads back.
    pub(crate) const CLAUSE_ID: &str = "data-clause-id";
    pub(crate) const ACTION: &str = "data-action";
    pub(crate) const QUESTION: &str = "data-q";
    pub(crate) const PART: &str = "root";
    pub(crate) const HASH_PREFIX: &str = "#clause=";
    /// Values of `data-action`.
    pub(crate) mod action {
        pub(crate) const EXAMPLE: &str = "example";
        pub(crate) const CONTEXT: &str = "context";
        pub(crate) const COPY: &str = "copy";
        pub(crate) const LARGE: &str = "large";
        pub(crate) const TOGGLE: &str = "toggle";
    }
    /// The `<policy-qa>` element's attributes.
    pub(crate) mod attr {
        pub(crate) const HEADING: &str = "heading";
        pub(crate) const PLACEHOLDER: &str = "placeholder";
        pub(crate) const CONTACT: &str = "contact";
        pub(crate) const THEME: &str = "theme";
        pub(crate) const MODE: &str = "mode";
        pub(crate) const EXAMPLES: &str = "examples";
    }
}

/// Related clauses shown under the answers, at most.
const MAX_RELATED_SHOWN: usize = 3;
/// Clauses shown around one in its context, at most.
pub(crate) const CONTEXT_LIMIT: usize = 7;
pub(crate) const SHOW_CONTEXT: &str = "查看上下文";
pub(crate) const HIDE_CONTEXT: &str = "收起上下文";
pub(crate) const COPY_CITATION: &str = "复制引用";
pub(crate) const CLAUSE_LINK: &str = "本条链接";
pub(crate) const FACTS_LABEL: &str = "要点";

/// An answer as shown: the status line, the cards and whether to offer the contact line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnswerView {
    /// For the live region: what was found, and any notice.
    pub status: String,
    /// Nothing answers: show the host page's contact line.
    pub contact: bool,
    pub answers: Vec<Card>,
    /// Heading over the related clauses, when there are any.
    pub related_heading: Option<&'static str>,
    pub related: Vec<Card>,
}

/// One clause as a card.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Card {
    pub id: String,
    pub citation: String,
    pub badge: Badge,
    /// The clause's text, cut where the matched words are highlighted.
    pub segments: Vec<Segment>,
    pub chips: Vec<Chip>,
    /// 同一段文字亦见于：…, when the passage is repeated elsewhere.
    pub also_in: Option<String>,
    /// The page-relative link to this clause (`#clause=ID`).
    pub link: String,
}

/// The validity badge: words and a symbol, never colour alone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Badge {
    pub status: ValidityStatus,
    /// ✓ ⚠ … ?
    pub symbol: &'static str,
    /// 有效（至2025-12-31）, 已失效（2024-12-31到期）, …
    pub label: String,
}

/// A run of the clause's text, highlighted or not.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub text: String,
    pub marked: bool,
}

/// A fact as a chip: 金额：100万元.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chip {
    pub kind: FactKind,
    pub label: &'static str,
    pub text: String,
}

/// A clause's context: its section path and the clauses around it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ContextView {
    pub path: Option<String>,
    /// (text, whether it is the clause asked about)
    pub items: Vec<(String, bool)>,
}

impl AnswerView {
    /// `answer` as shown. An empty question shows nothing; asked on purpose (Enter, the
    /// element's `ask`) rather than typed away, its status says what to do.
    pub(crate) fn new(answer: &Answer, asked: bool, lib: &Library) -> AnswerView {
        let question = answer.question.trim();
        if question.is_empty() {
            let status = if asked { answer.notice.clone().unwrap_or_default() } else { String::new() };
            return AnswerView { status, contact: false, answers: Vec::new(), related_heading: None, related: Vec::new() };
        }
        // The question is echoed as text: whatever it contains stays characters on screen.
        let mut status = if answer.answers.is_empty() {
            cat!("关于“", question, "”，没有找到直接回答这个问题的政策条款。")
        } else {
            cat!("关于“", question, "”，找到", answer.answers.len(), "条政策条款。")
        };
        if let Some(notice) = &answer.notice {
            status = cat!(status, " ", notice);
        }
        let related_heading = match (answer.related.is_empty(), answer.answers.is_empty()) {
            (true, _) => None,
            (false, true) => Some("可能相关的条款（不一定回答您的问题）"),
            (false, false) => Some("其他相关条款"),
        };
        AnswerView { status, contact: answer.answers.is_empty(), answers: cards(&answer.answers, lib), related_heading, related: cards(&answer.related[..answer.related.len().min(MAX_RELATED_SHOWN)], lib) }
    }

    /// The answer for a terminal: the status line, then each card (see `Card::to_text`).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn to_text(&self) -> String {
        let mut s = format!("{}\n", self.status);
        for (i, card) in self.answers.iter().enumerate() {
            s.push_str(&format!("\n[{}] {}", i + 1, card.to_text()));
        }
        if let Some(heading) = self.related_heading {
            s.push_str(&format!("\n{heading}：\n"));
            for card in &self.related {
                s.push_str(&format!("\n- {}", card.to_text()));
            }
        }
        s
    }
}

impl Card {
    pub(crate) fn new(item: &Item, lib: &Library) -> Card {
        Card {
            id: item.id.clone(),
            citation: item.citation.clone(),
            badge: Badge::new(item),
            segments: segments(&item.text, &lib.highlights(&item.text, &item.matched)),
            chips: chips(item),
            also_in: (!item.also_in.is_empty()).then(|| cat!("同一段文字亦见于：", item.also_in.join("、"))),
            link: cat!(names::HASH_PREFIX, item.id),
        }
    }

    /// The card for a terminal: citation and id, badge, the text indented, one line per chip.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn to_text(&self) -> String {
        let mut s = format!("{}  ({})\n    {}\n", self.citation, self.id, self.badge.text());
        let text: String = self.segments.iter().map(|seg| seg.text.as_str()).collect();
        for line in text.lines() {
            s.push_str(&format!("    {line}\n"));
        }
        for chip in &self.chips {
            s.push_str(&format!("    · {}\n", chip.text()));
        }
        if let Some(also) = &self.also_in {
            s.push_str(&format!("    · {also}\n"));
        }
        s
    }
}

impl Badge {
    fn new(item: &Item) -> Badge {
        let v = &item.validity;
        let (symbol, label) = match v.status {
            ValidityStatus::InForce => ("✓", cat!("有效", v.until.as_ref().map(|u| cat!("（至", u, "）")).unwrap_or_default())),
            ValidityStatus::Lapsed => ("⚠", cat!("已失效（", v.until.as_deref().unwrap_or_default(), "到期）")),
            ValidityStatus::NotYet => ("…", cat!("尚未生效（", v.from.as_deref().unwrap_or_default(), "起）")),
            ValidityStatus::Unknown => ("?", "有效期未知".to_string()),
        };
        let label = if v.inferred { cat!(label, "·日期为推断") } else { label };
        Badge { status: v.status, symbol, label }
    }

    /// `✓ 有效（至2025-12-31）`.
    pub(crate) fn text(&self) -> String {
        cat!(self.symbol, " ", self.label)
    }

    /// `pqa-badge pqa-badge-in_force`.
    pub(crate) fn class(&self) -> String {
        cat!(names::class::BADGE, " ", names::class::BADGE, "-", self.status.name())
    }
}

impl Chip {
    /// `金额：`, the chip's label as shown before its text.
    pub(crate) fn key(&self) -> String {
        cat!(self.label, "：")
    }

    /// `金额：100万元`.
    pub(crate) fn text(&self) -> String {
        cat!(self.key(), self.text)
    }

    /// `pqa-chip pqa-chip-amount`.
    pub(crate) fn class(&self) -> String {
        cat!(names::class::CHIP, " ", names::class::CHIP, "-", self.kind.name())
    }
}

impl ContextView {
    /// The clauses around `id` (as `Engine::context` returns them), `id` marked.
    pub(crate) fn new(items: &[Item], id: &str) -> ContextView {
        let mut lines = Vec::with_capacity(items.len());
        for it in items {
            lines.push((it.text.clone(), it.id == id));
        }
        ContextView { path: items.first().map(|first| first.section.join(" › ")), items: lines }
    }

    /// What precedes the clause asked about.
    pub(crate) const THIS: &'static str = "【本条】";
}

/// What "copy citation" puts on the clipboard.
pub(crate) fn copy_text(citation: &str, id: &str) -> String {
    cat!(citation, "（条款 ", id, "）")
}

/// The status line after copying `text`, or failing to.
pub(crate) fn copied_status(text: &str, copied: bool) -> String {
    if copied {
        cat!("已复制引用：", text)
    } else {
        cat!("无法访问剪贴板，请手动复制：", text)
    }
}

/// The status line for a clause opened by its link (`#clause=ID`).
pub(crate) fn clause_status(id: &str, found: bool) -> String {
    if found {
        cat!("条款 ", id)
    } else {
        cat!("找不到条款 ", id, "。")
    }
}

fn cards(items: &[Item], lib: &Library) -> Vec<Card> {
    let mut cards = Vec::with_capacity(items.len());
    for item in items {
        cards.push(Card::new(item, lib));
    }
    cards
}

fn chips(item: &Item) -> Vec<Chip> {
    let mut chips = Vec::with_capacity(item.facts.len());
    for f in &item.facts {
        chips.push(Chip { kind: f.kind, label: fact_label(f.kind), text: f.text.clone() });
    }
    chips
}

fn fact_label(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Amount => "金额",
        FactKind::Cap => "上限",
        FactKind::Ratio => "比例",
        FactKind::Unit => "责任单位",
        FactKind::Deadline => "期限",
        FactKind::Date => "日期",
        FactKind::Validity => "有效期",
        FactKind::Number => "编号",
    }
}

/// `text` cut at the character ranges in `marks` (sorted, disjoint).
fn segments(text: &str, marks: &[(usize, usize)]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let piece = |s: usize, e: usize, marked: bool| Segment { text: chars[s..e].iter().collect(), marked };
    let mut out = Vec::new();
    let mut at = 0;
    for &(s, e) in marks {
        if s > at {
            out.push(piece(at, s, false));
        }
        out.push(piece(s, e, true));
        at = e;
    }
    if at < chars.len() {
        out.push(piece(at, chars.len(), false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, FactOut, Validity};

    fn item(status: ValidityStatus, from: Option<&str>, until: Option<&str>, inferred: bool) -> Item {
        Item {
            id: "004-3.6.14".into(),
            doc: "004_x".into(),
            title: "标题".into(),
            citation: "《标题》 三、任务".into(),
            section: vec!["三、任务".into()],
            text: "对海外开设专卖店的企业给予奖励。\n最高100万元。".into(),
            score: 1.0,
            coverage: 1.0,
            matched: vec!["专卖店".into(), "奖励".into()],
            facts: vec![FactOut { kind: FactKind::Amount, text: "100万元".into() }],
            validity: Validity { status, from: from.map(String::from), until: until.map(String::from), note: None, inferred },
            also_in: Vec::new(),
            line: 3,
        }
    }

    #[test]
    fn badges() {
        use ValidityStatus::*;
        // (name, status, from, until, inferred, badge text, class)
        let cases = [
            ("in force until a day", InForce, None, Some("2025-12-31"), false, "✓ 有效（至2025-12-31）", "pqa-badge pqa-badge-in_force"),
            ("in force, no end in the answer", InForce, Some("2020"), None, false, "✓ 有效", "pqa-badge pqa-badge-in_force"),
            ("lapsed", Lapsed, None, Some("2024"), false, "⚠ 已失效（2024到期）", "pqa-badge pqa-badge-lapsed"),
            ("not yet", NotYet, Some("2027-01"), None, false, "… 尚未生效（2027-01起）", "pqa-badge pqa-badge-not_yet"),
            ("unknown", Unknown, None, None, false, "? 有效期未知", "pqa-badge pqa-badge-unknown"),
            ("inferred dates", InForce, None, Some("2025"), true, "✓ 有效（至2025）·日期为推断", "pqa-badge pqa-badge-in_force"),
        ];
        for (name, status, from, until, inferred, text, class) in cases {
            let badge = Badge::new(&item(status, from, until, inferred));
            assert_eq!((badge.text().as_str(), badge.class().as_str()), (text, class), "{name}");
        }
    }

    /// (name, text, marks, expected (text, marked) runs)
    type SegmentCase = (&'static str, &'static str, &'static [(usize, usize)], &'static [(&'static str, bool)]);

    #[test]
    fn segments_cut_at_highlights() {
        let cases: [SegmentCase; 5] = [
            ("no marks", "开设专卖店", &[], &[("开设专卖店", false)]),
            ("inside", "开设专卖店有奖励", &[(2, 5)], &[("开设", false), ("专卖店", true), ("有奖励", false)]),
            ("at both ends", "专卖店有奖励", &[(0, 3), (4, 6)], &[("专卖店", true), ("有", false), ("奖励", true)]),
            ("the whole text", "奖励", &[(0, 2)], &[("奖励", true)]),
            ("empty text", "", &[], &[]),
        ];
        for (name, text, marks, want) in cases {
            let got: Vec<(String, bool)> = segments(text, marks).into_iter().map(|s| (s.text, s.marked)).collect();
            let want: Vec<(String, bool)> = want.iter().map(|&(t, m)| (t.to_string(), m)).collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn answer_views() {
        let engine = Engine::new();
        let today = "2026-11-21";
        // (name, question, asked, status starts with, contact line shown, related heading)
        let cases = [
            ("answered", "海外开品牌专卖店有什么奖励", true, "关于“海外开品牌专卖店有什么奖励”，找到", false, Some("其他相关条款")),
            ("answered, more related than shown", "眼镜镜片 攻关项目 最多补多少钱", true, "关于“眼镜镜片 攻关项目 最多补多少钱”，找到1条政策条款。", false, Some("其他相关条款")),
            ("only related", "深圳灵活就业人员社保怎么交", true, "关于“深圳灵活就业人员社保怎么交”，没有找到直接回答这个问题的政策条款。", true, Some("可能相关的条款（不一定回答您的问题）")),
            ("nothing", "你好", true, "关于“你好”，没有找到直接回答这个问题的政策条款。", true, None),
            ("empty, asked", "  ", true, "请输入要查询的问题。", false, None),
            ("empty, typed away", "", false, "", false, None),
        ];
        for (name, question, asked, status, contact, related_heading) in cases {
            let answer = engine.ask(question, today);
            let view = AnswerView::new(&answer, asked, engine.library());
            assert!(view.status.starts_with(status), "{name}: {}", view.status);
            assert_eq!(view.contact, contact, "{name}");
            let shown = if question.trim().is_empty() { 0 } else { answer.answers.len() };
            assert_eq!(view.answers.len(), shown, "{name}");
            assert_eq!(view.related.len(), if related_heading.is_some() { answer.related.len().min(MAX_RELATED_SHOWN) } else { 0 }, "{name}");
            assert_eq!(view.related_heading, related_heading, "{name}");
        }
        // A long question's notice follows the status.
        let long = "海外开品牌专卖店有什么奖励".repeat(20);
        let view = AnswerView::new(&engine.ask(&long, today), true, engine.library());
        assert!(view.status.ends_with(" 问题过长，只读取了前200个字。"), "{}", view.status);
        // The cards keep the clause's text whole, and mark the words that matched.
        let answer = engine.ask("海外开品牌专卖店有什么奖励", today);
        let card = Card::new(&answer.answers[0], engine.library());
        assert_eq!(card.segments.iter().map(|s| s.text.as_str()).collect::<String>(), answer.answers[0].text);
        assert!(card.segments.iter().any(|s| s.marked && s.text.contains("专卖店")), "{:?}", card.segments);
        assert_eq!(card.link, format!("#clause={}", card.id));
    }

    #[test]
    fn card_as_text() {
        let engine = Engine::new();
        let mut it = item(ValidityStatus::Lapsed, None, Some("2024-12-31"), false);
        it.also_in = vec!["001-2".into(), "002-3".into()];
        let card = Card::new(&it, engine.library());
        let want = "《标题》 三、任务  (004-3.6.14)\n    ⚠ 已失效（2024-12-31到期）\n    对海外开设专卖店的企业给予奖励。\n    最高100万元。\n    · 金额：100万元\n    · 同一段文字亦见于：001-2、002-3\n";
        assert_eq!(card.to_text(), want);
        assert_eq!(card.chips[0].class(), "pqa-chip pqa-chip-amount");
        assert_eq!(copy_text(&card.citation, &card.id), "《标题》 三、任务（条款 004-3.6.14）");
    }

    #[test]
    fn context_marks_the_clause() {
        let mut first = item(ValidityStatus::Unknown, None, None, false);
        first.id = "004-3.6.13".into();
        let this = item(ValidityStatus::Unknown, None, None, false);
        let view = ContextView::new(&[first.clone(), this.clone()], &this.id);
        assert_eq!(view.path.as_deref(), Some("三、任务"));
        assert_eq!(view.items.iter().map(|i| i.1).collect::<Vec<_>>(), [false, true]);
        assert_eq!(ContextView::new(&[], "x"), ContextView { path: None, items: Vec::new() });
    }
}
