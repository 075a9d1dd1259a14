//! A small static file server for dist/ (the SPA is a plain static site; this stands in for
//! any static host).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Component, Path, PathBuf};

use crate::Result;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}

fn resolve(dist: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let mut out = dist.to_path_buf();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None, // no way out of dist/
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

pub fn serve(dist: PathBuf, port: u16) -> Result {
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    serve_on(listener, dist);
    Ok(())
}

/// Serves `dist` on a listener already bound (port 0 for a free one) until the process ends.
pub fn serve_on(listener: TcpListener, dist: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dist = dist.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                return;
            }
            // Read the headers; only Accept-Encoding matters.
            let mut h = String::new();
            let mut gzip_ok = false;
            while reader.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
                let lower = h.to_ascii_lowercase();
                gzip_ok |= lower.starts_with("accept-encoding:") && lower.contains("gzip");
                h.clear();
            }
            let url = line.split_whitespace().nth(1).unwrap_or("/");
            let file = resolve(&dist, url).filter(|p| p.is_file());
            // Unknown paths get the app itself, like a single-page-app host would.
            let file = file.or_else(|| Some(dist.join("index.html")).filter(|p| p.is_file()));
            let mut out = &stream;
            match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                Some((f, body)) => {
                    // Compressed like any static host serves it (Pages, Netlify, nginx gzip).
                    let (body, encoding) = match gzip_ok {
                        true => (gzip(&body), "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"),
                        false => (body, ""),
                    };
                    let _ = write!(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n{encoding}Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
                        content_type(&f),
                        body.len()
                    );
                    let _ = out.write_all(&body);
                }
                None => {
                    let _ = write!(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        });
    }
}
