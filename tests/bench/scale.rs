//! How far the design scales: synthetic corpora built by recombining and varying the real seed
//! clauses (other cities, industries, districts, amounts), compiled together with the five real
//! documents. For each size: build time, knowledge-base bytes, estimated widget payload,
//! engine start-up, query latency, and the dev-set quality of the original questions with the
//! extra documents present.
//!
//!     cargo bench --bench scale              # 50, 500, 2000 extra documents
//!     cargo bench --bench scale -- 50        # chosen sizes (CI runs 50)

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use policy_qa::compile::{compile, read_dir};
use policy_qa::Engine;
use serde_json::Value;

#[path = "../suite/scoring.rs"]
mod scoring;
#[path = "stats.rs"]
mod stats;
use stats::percentile;

const CITIES: &[&str] = &["东莞市", "佛山市", "珠海市", "惠州市", "中山市", "杭州市", "宁波市", "苏州市", "成都市", "武汉市", "长沙市", "厦门市", "青岛市", "合肥市", "郑州市", "西安市"];
const DISTRICTS: &[&str] = &["东城", "西城", "高新", "经开", "滨江", "江北", "新城", "湖滨", "城南", "城北"];
const INDUSTRIES: &[&str] = &["陶瓷", "家电", "食品", "玩具", "医疗器械", "电子元器件", "纺织印染", "汽车配件", "印刷包装", "文具", "灯饰", "五金", "茶叶", "乐器", "体育用品"];
const SHENZHEN_INDUSTRIES: &[&str] = &["黄金珠宝", "服装", "家具", "钟表", "珠宝", "内衣", "皮革", "眼镜", "化妆品", "手表", "首饰", "女装", "时尚"];
const SHENZHEN_DISTRICTS: &[&str] = &["福田", "罗湖", "南山", "龙华", "龙岗", "宝安", "坪山", "光明", "盐田", "前海", "水贝", "大浪"];

/// A small deterministic generator: the same corpus on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

fn vary_amounts(text: &str, rng: &mut Lcg) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let n: String = chars[s..i].iter().collect();
            if rest.starts_with("万元") || rest.starts_with('%') {
                let v: u64 = n.parse().unwrap_or(1);
                out.push_str(&(v * (1 + rng.next() % 4) / 2).max(1).to_string());
            } else {
                out.push_str(&n);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn synthetic(seeds: &[(String, Vec<u8>)], k: usize) -> (String, String, String) {
    let mut rng = Lcg(k as u64 * 7919 + 17);
    let (_, bytes) = &seeds[k % seeds.len()];
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    let city = rng.pick(CITIES);
    for w in SHENZHEN_INDUSTRIES {
        text = text.replace(w, rng.pick(INDUSTRIES));
    }
    for d in SHENZHEN_DISTRICTS {
        text = text.replace(d, rng.pick(DISTRICTS));
    }
    text = text.replace("深圳市", city).replace("深圳", city.trim_end_matches('市'));
    text = vary_amounts(&text, &mut rng);
    // Drop about a fifth of the paragraphs (never the first), so documents differ in shape.
    let lines: Vec<&str> = text.lines().collect();
    let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i < 3 || rng.next() % 5 != 0).map(|(_, l)| *l).collect();
    let name = format!("s{k:04}_synthetic.txt");
    let title = kept.iter().find(|l| !l.trim().is_empty()).map_or("合成文件", |l| l.trim()).chars().take(40).collect::<String>();
    let entry = format!("\n[[doc]]\nfile = \"{name}\"\ntitle = {title:?}\nkind = \"other\"\nregion = \"{city}\"\n");
    (name, kept.join("\n"), entry)
}


fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![50, 500, 2000] } else { sizes };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (base, _) = read_dir(&root.join("seeds")).expect("seeds/ reads");
    let dev: Vec<Value> = include_str!("../data/dev.jsonl").lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    // The widget's code and glue, gzip, without the knowledge base: measured from dist/ by
    // `cargo xtask bench` (wasm 125,548 − KB 34,601 + JS 6,013 + 835 + CSS 1,951).
    let code_gzip = 99_746usize;
    println!("{:>6} {:>8} {:>9} {:>11} {:>10} {:>12} {:>9} {:>9} {:>7} {:>7} {:>6}", "docs", "clauses", "build s", "KB raw", "KB gzip", "payload gz*", "start ms", "p50 µs", "p95 µs", "hit@1", "ood FA");
    for &n in &sizes {
        let mut inputs = base.clone();
        let mut manifest = base.manifest.clone().unwrap_or_default();
        for k in 0..n {
            let (name, text, entry) = synthetic(&base.docs, k);
            inputs.docs.push((name, text.into_bytes()));
            manifest.push_str(&entry);
        }
        inputs.manifest = Some(manifest);
        let t = Instant::now();
        let c = compile(&inputs).expect("the synthetic corpus compiles");
        let build = t.elapsed().as_secs_f64();
        let bytes = c.kb_bytes();
        // Kept for the browser half of the benchmark (tests/browser/bench.mjs).
        let out = root.join("target").join("scale");
        std::fs::create_dir_all(&out).expect("target/scale");
        std::fs::write(out.join(format!("kb-{}.bin", n + base.docs.len())), &bytes).expect("write kb");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).expect("gzip");
        let kb_gz = gz.finish().expect("gzip").len();
        let t = Instant::now();
        let engine = Engine::from_bytes(&bytes).expect("loads");
        let start = t.elapsed().as_secs_f64() * 1e3;
        let clauses: usize = engine.library().documents().iter().map(|d| d.clauses).sum();
        let (mut times, mut hits, mut answerable, mut ood, mut ood_false) = (Vec::new(), 0, 0, 0, 0);
        let rounds = if n >= 1000 { 1 } else { 5 };
        for round in 0..rounds {
            for q in &dev {
                let t = Instant::now();
                let a = engine.ask(q["q"].as_str().unwrap_or(""), "2026-11-21");
                times.push(t.elapsed().as_secs_f64() * 1e6);
                if round > 0 {
                    continue;
                }
                let gold = q["gold"].as_array().cloned().unwrap_or_default();
                if gold.is_empty() {
                    ood += 1;
                    ood_false += usize::from(!a.answers.is_empty());
                    continue;
                }
                answerable += 1;
                let hit = a.answers.first().is_some_and(|i| scoring::is_hit(&i.doc, &i.text, &gold));
                hits += usize::from(hit);
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:>6} {:>8} {:>9.2} {:>11} {:>10} {:>12} {:>9.1} {:>9.0} {:>7.0} {:>7.3} {:>6.3}",
            n + base.docs.len(),
            clauses,
            build,
            bytes.len(),
            kb_gz,
            code_gzip + kb_gz,
            start,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            hits as f64 / answerable as f64,
            ood_false as f64 / ood.max(1) as f64
        );
    }
    println!("* payload = widget code and glue ({code_gzip} B gzip, measured from dist/) + knowledge base gzip; start = native decode + index + automaton (the browser takes several times longer)");
}
