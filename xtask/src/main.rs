//! `cargo xtask <task>`: the project's build steps as code (matklad's xtask pattern).
//! std only, so that it runs before anything else is installed.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const HELP: &str = "cargo xtask <task>

tasks:
    setup    install what the build needs (wasm target, wasm-bindgen-cli pinned to Cargo.lock,
             npm packages: binaryen for wasm-opt, playwright-core for the browser tests)
    dist     build the widget into dist/ (wasm module, loader, stylesheet, offline HTML, embed snippet)
    serve    dist, then serve the demo page on http://127.0.0.1:8080 (PORT to change)
    test     every test: native (unit, integration, property, dev-set quality bar,
             fingerprint, maintainers' questions), the scale benchmark at 50 documents,
             then the widget in headless Chromium
    bench    native latency, the scale benchmark (50/500/2000 documents), payload sizes,
             and browser timings
    eval     the dev questions through the CLI, scored by tests/data/score.py
";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let r = match args.first().map(String::as_str) {
        Some("setup") => setup(&root),
        Some("dist") => setup(&root).and_then(|()| dist(&root)),
        Some("serve") => setup(&root).and_then(|()| dist(&root)).and_then(|()| serve(&root)),
        Some("test") => test(&root),
        Some("bench") => bench(&root),
        Some("eval") => eval(&root),
        // For the browser tests: serve DIR on 127.0.0.1 on a free port, print the URL.
        Some("static") => match args.get(1) {
            Some(dir) => serve_dir(Path::new(dir), "0"),
            None => Err("usage: xtask static DIR".into()),
        },
        _ => {
            print!("{HELP}");
            return if args.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ is inside the project").to_path_buf()
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed with {status}", cmd.get_program()))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn browser_dir(root: &Path) -> PathBuf {
    root.join("tests").join("browser")
}

fn setup(root: &Path) -> Result {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let want = locked_wasm_bindgen(root)?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        // No --locked: the CLI's own lock file once named a version the registry did not serve.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))?;
    }
    let dir = browser_dir(root);
    if !dir.join("node_modules").join("binaryen").exists() || !dir.join("node_modules").join("playwright-core").exists() {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))
            .map_err(|e| format!("{e}; npm (Node.js) is needed for wasm-opt and the browser tests"))?;
    }
    Ok(())
}

fn dist(root: &Path) -> Result {
    run(Command::new("cargo").args(["build", "--release", "--lib", "--target", "wasm32-unknown-unknown"]).current_dir(root))?;
    let dist = root.join("dist");
    let pkg = dist.join("pkg");
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;
    let wasm = root.join("target/wasm32-unknown-unknown/release/policy_qa.wasm");
    run(Command::new("wasm-bindgen").arg("--target").arg("web").arg("--out-dir").arg(&pkg).arg("--no-typescript").arg(&wasm))?;
    // TypeScript definitions once more, kept next to the module for hosts that want them.
    run(Command::new("wasm-bindgen").arg("--target").arg("web").arg("--out-dir").arg(dist.join("types")).arg(&wasm))?;
    // The offline file is a classic script (file:// pages cannot import modules).
    let nomod = root.join("target/nomodules");
    run(Command::new("wasm-bindgen").arg("--target").arg("no-modules").arg("--out-dir").arg(&nomod).arg("--no-typescript").arg(&wasm))?;
    let bg = pkg.join("policy_qa_bg.wasm");
    let wasm_opt = browser_dir(root).join("node_modules/.bin/wasm-opt");
    for w in [bg.clone(), nomod.join("policy_qa_bg.wasm")] {
        // Debian's wasm-opt 108 breaks wasm-bindgen 0.2.13x output; npm's binaryen does not.
        // The features rustc's wasm32 target emits, and no others (Chromium rejects some).
        let features = ["bulk-memory", "bulk-memory-opt", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
        let mut cmd = Command::new(&wasm_opt);
        cmd.arg("-Oz").arg("--strip-debug").arg("--strip-producers");
        for f in features {
            cmd.arg(format!("--enable-{f}"));
        }
        run(cmd.arg(&w).arg("-o").arg(&w))?;
    }
    let www = root.join("www");
    for f in ["policy-qa.js", "policy-qa.css", "index.html", "csp.html", "sw.js", "demo.css", "demo.js"] {
        fs::copy(www.join(f), dist.join(f)).map_err(|e| format!("www/{f}: {e}"))?;
    }
    offline_html(&dist, &nomod)?;
    fs::write(
        dist.join("embed.html"),
        "<!-- policy-qa: copy dist/ to your site (e.g. /policy-qa/), then: -->\n<script type=\"module\" async src=\"/policy-qa/policy-qa.js\"></script>\n<policy-qa heading=\"政策问答\" contact=\"如需帮助，请致电 12345\"></policy-qa>\n<!-- CSP: script-src 'self' 'wasm-unsafe-eval'; style-src 'self' -->\n",
    )
    .map_err(|e| e.to_string())?;
    let size = fs::metadata(&bg).map_err(|e| e.to_string())?.len();
    eprintln!("dist/ ready; wasm {size} bytes");
    Ok(())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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

/// One self-contained HTML file: a page opened from file:// cannot import modules or fetch a
/// .wasm, so the glue, the loader, the stylesheet and the wasm (base64) are all inlined.
fn offline_html(dist: &Path, nomod: &Path) -> Result {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let glue = read(&nomod.join("policy_qa.js"))?;
    let css = read(&dist.join("policy-qa.css"))?;
    let loader = read(&dist.parent().ok_or("dist has a parent")?.join("www/offline-loader.js"))?;
    let wasm = fs::read(nomod.join("policy_qa_bg.wasm")).map_err(|e| e.to_string())?;
    let script = format!("{glue}\n{loader}");
    let script = script.replace("</script", "<\\/script");
    let html = format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>政策问答（离线版）</title>\n<style>body{{margin:0;padding:16px;font-family:system-ui,sans-serif;background:#f4f5f7}} main{{max-width:860px;margin:0 auto}}</style>\n</head>\n<body>\n<main>\n<h1>政策问答（离线版）</h1>\n<p>此文件可保存到本机，无需网络即可使用；问题不会离开本设备。</p>\n<policy-qa heading=\"问问政策\"></policy-qa>\n</main>\n<script type=\"text/plain\" id=\"policy-qa-css\">{}</script>\n<script type=\"application/octet-stream\" id=\"policy-qa-wasm\">{}</script>\n<script>\n{script}\n</script>\n</body>\n</html>\n",
        css.replace("</script", "<\\/script"),
        base64(&wasm)
    );
    fs::write(dist.join("policy-qa-offline.html"), html).map_err(|e| e.to_string())
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The CSP a host needs: the one line documented in the README, applied to `csp.html`.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

fn handle(dist: &Path, mut stream: TcpStream) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Drain headers.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = if path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    let safe = !rel.contains("..");
    let file = dist.join(rel.trim_start_matches('/'));
    let (status, body, ctype) = match (safe, fs::read(&file)) {
        (true, Ok(b)) => ("200 OK", b, mime(&rel)),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n", body.len());
    if rel.ends_with("csp.html") {
        head.push_str(&format!("Content-Security-Policy: {CSP}\r\n"));
    }
    head.push_str("\r\n");
    // One write, no Nagle delay: two small writes would wait for a delayed ACK (~40 ms each).
    let _ = stream.set_nodelay(true);
    let mut out = head.into_bytes();
    out.extend_from_slice(&body);
    let _ = stream.write_all(&out);
}

fn serve(root: &Path) -> Result {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    serve_dir(&root.join("dist"), &port)
}

fn serve_dir(dist: &Path, port: &str) -> Result {
    let addr = format!("127.0.0.1:{port}");
    let listener = TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("policy-qa demo: http://{addr}/   (offline file: http://{addr}/policy-qa-offline.html)");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let dist = dist.to_path_buf();
    for stream in listener.incoming().flatten() {
        let dist = dist.clone();
        std::thread::spawn(move || handle(&dist, stream));
    }
    Ok(())
}

fn chromium() -> Option<String> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].iter().find(|p| Path::new(p).exists()).map(|p| p.to_string())
}

fn test(root: &Path) -> Result {
    run(Command::new("cargo").args(["test", "--release", "--workspace"]).current_dir(root))?;
    // The scale benchmark at a size that fits CI; the large sizes are run by `cargo xtask bench`.
    run(Command::new("cargo").args(["bench", "--bench", "scale", "--", "50"]).current_dir(root))?;
    setup(root)?;
    dist(root)?;
    let Some(browser) = chromium() else {
        return Err("Chromium is needed for the browser tests: apt-get install -y chromium (see .ci/run)".into());
    };
    // The browser tests start their own server (this binary, `serve`) on a free port.
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec", "widget.test.mjs"])
        .env("CHROMIUM", browser)
        .env("XTASK_SERVE", std::env::current_exe().map_err(|e| e.to_string())?)
        .env("DIST", root.join("dist"))
        .current_dir(browser_dir(root)))
}

fn bench(root: &Path) -> Result {
    run(Command::new("cargo").args(["bench", "--bench", "latency"]).current_dir(root))?;
    run(Command::new("cargo").args(["bench", "--bench", "scale"]).current_dir(root))?;
    setup(root)?;
    dist(root)?;
    sizes(root)?;
    let Some(browser) = chromium() else { return Err("Chromium is needed for the browser benchmark".into()) };
    run(Command::new("node")
        .arg("bench.mjs")
        .env("CHROMIUM", browser)
        .env("XTASK_SERVE", std::env::current_exe().map_err(|e| e.to_string())?)
        .env("DIST", root.join("dist"))
        .current_dir(browser_dir(root)))
}

/// What a visitor downloads for the widget, raw / gzip / brotli, via the system's gzip and
/// brotli tools where present.
fn sizes(root: &Path) -> Result {
    let dist = root.join("dist");
    let files = ["policy-qa.js", "pkg/policy_qa.js", "pkg/policy_qa_bg.wasm", "policy-qa.css"];
    let (mut raw, mut gz, mut br) = (0u64, 0u64, 0u64);
    println!("{:<24}{:>10}{:>10}{:>10}", "file", "raw", "gzip -9", "brotli");
    for f in files {
        let p = dist.join(f);
        let r = fs::metadata(&p).map_err(|e| format!("{f}: {e}"))?.len();
        let g = compressed_len("gzip", &["-9", "-c"], &p);
        let b = compressed_len("brotli", &["-q", "11", "-c"], &p);
        raw += r;
        gz += g.unwrap_or(0);
        br += b.unwrap_or(0);
        println!("{f:<24}{r:>10}{:>10}{:>10}", g.map_or("-".into(), |v| v.to_string()), b.map_or("-".into(), |v| v.to_string()));
    }
    println!("{:<24}{raw:>10}{gz:>10}{br:>10}", "total");
    Ok(())
}

fn compressed_len(tool: &str, args: &[&str], file: &Path) -> Option<u64> {
    let out = Command::new(tool).args(args).arg(file).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

fn eval(root: &Path) -> Result {
    run(Command::new("cargo").args(["build", "--release", "--bin", "policy-qa"]).current_dir(root))?;
    let data = root.join("tests/data");
    let questions = fs::read_to_string(data.join("dev.jsonl")).map_err(|e| e.to_string())?;
    let mut child = Command::new(root.join("target/release/policy-qa"))
        .args(["ask", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    {
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        for l in questions.lines().filter(|l| !l.trim().is_empty()) {
            let q = json_field(l, "q").ok_or_else(|| format!("no q in {l}"))?;
            ids.push(json_field(l, "id").ok_or("no id")?);
            writeln!(stdin, "{q}").map_err(|e| e.to_string())?;
        }
    }
    let mut out = String::new();
    child.stdout.take().ok_or("no stdout")?.read_to_string(&mut out).map_err(|e| e.to_string())?;
    child.wait().map_err(|e| e.to_string())?;
    let results: String = out.lines().zip(&ids).map(|(l, id)| format!("{{\"id\":\"{id}\",{}\n", &l[1..])).collect();
    let path = root.join("target/dev-results.jsonl");
    fs::write(&path, results).map_err(|e| e.to_string())?;
    run(Command::new("python3").arg(data.join("score.py")).arg(data.join("dev.jsonl")).arg(&path))
}

/// A string field of a flat JSON line; enough for dev.jsonl without a JSON dependency.
fn json_field(line: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\": \"");
    let start = line.find(&pat).map(|i| i + pat.len()).or_else(|| {
        let pat = format!("\"{key}\":\"");
        line.find(&pat).map(|i| i + pat.len())
    })?;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}
