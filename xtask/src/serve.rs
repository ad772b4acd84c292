//! `cargo xtask serve` and `xtask static DIR`: a small static HTTP server for dist/, for the demo
//! and for the browser tests (which start it on a free port).

use crate::Result;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

/// The CSP a host needs: the one line documented in the README, applied to `csp.html`.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

pub(crate) fn serve(root: &Path) -> Result {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    serve_dir(&root.join("dist"), &port)
}

/// Serves `dist` on 127.0.0.1:`port` (0: any free port) and prints the URL on stdout, which
/// the browser tests wait for.
pub(crate) fn serve_dir(dist: &Path, port: &str) -> Result {
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
