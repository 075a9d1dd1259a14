//! The page's first paint: the app's own first screen (nothing stored, at `#/`), rendered in
//! Chromium at build time and written into `dist/index.html`'s `<body data-shell>`. The app
//! swaps it for the live DOM in the task that mounts it (`web/src/shell.rs`), so a visitor sees
//! the page before the wasm has arrived, and the two cannot drift.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use backboard_core::page::SHELL_ATTR;

use crate::{root, static_server, Result};

/// Renders the built app in `dist` and writes its first screen into `dist/index.html`.
pub fn render(dist: &Path) -> Result {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("shell: cannot listen: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let served = dist.to_path_buf();
    std::thread::spawn(move || static_server::serve_on(listener, served));
    let out = Command::new("node")
        .current_dir(root().join("tests"))
        .arg("tools/render-shell.mjs")
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .map_err(|e| format!("shell: node: {e}"))?;
    if !out.status.success() {
        return Err(format!("shell: rendering the app failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let body = markup(&String::from_utf8_lossy(&out.stdout))?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, insert(&html, &body)?).map_err(|e| e.to_string())
}

/// The rendered body as the shell: without the framework's empty comments and the skip link
/// (its `#main` would become the address before the router is there to catch it), with the main
/// region marked busy. Refuses what the page's CSP would block or what would run before the app.
fn markup(body: &str) -> Result<String> {
    let mut out = body.replace("<!---->", "");
    if let Some(start) = out.find("<a class=\"skip-link\"") {
        let end =
            out[start..].find("</a>").map(|e| start + e + "</a>".len()).ok_or("shell: the skip link is not closed")?;
        out.replace_range(start..end, "");
    }
    for refused in ["<script", " style=\"", " onclick=", " onload="] {
        if out.contains(refused) {
            return Err(format!("shell: the first screen holds `{refused}`, which the page may not carry"));
        }
    }
    if !out.contains("<main ") {
        return Err("shell: the first screen has no <main>".into());
    }
    Ok(out.trim().replacen("<main ", "<main aria-busy=\"true\" ", 1))
}

/// `html` with its `<body>` replaced by the shell.
fn insert(html: &str, shell: &str) -> Result<String> {
    let start = html.find("<body").ok_or("shell: index.html has no <body>")?;
    let end = html.rfind("</body>").ok_or("shell: index.html has no </body>")?;
    Ok(format!("{}<body {SHELL_ATTR}>\n{shell}\n{}", &html[..start], &html[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str =
        "\n<a class=\"skip-link\" href=\"#main\">Skip to content<!----></a><header>B<!----></header>\
                            <main id=\"main\" tabindex=\"-1\"><h1 id=\"page-title\">Overview<!----></h1></main><!---->";

    #[test]
    fn the_shell_is_the_rendered_screen_without_comments_or_skip_link_and_busy() {
        assert_eq!(
            markup(RENDERED).unwrap(),
            "<header>B</header><main aria-busy=\"true\" id=\"main\" tabindex=\"-1\"><h1 id=\"page-title\">Overview</h1></main>"
        );
    }

    #[test]
    fn markup_the_page_may_not_carry_is_refused() {
        assert!(markup("<main ><p style=\"color: red\">x</p></main>").unwrap_err().contains("style"));
        assert!(markup("<main ><script>x()</script></main>").is_err());
        assert!(markup("<div>no main</div>").is_err());
    }

    #[test]
    fn the_shell_replaces_the_body_and_again_on_a_second_build() {
        let page = "<html><head><script type=\"module\">init()</script></head>\n<body></body>\n</html>";
        let once = insert(page, "<main>A</main>").unwrap();
        assert_eq!(once, "<html><head><script type=\"module\">init()</script></head>\n<body data-shell>\n<main>A</main>\n</body>\n</html>");
        assert_eq!(insert(&once, "<main>B</main>").unwrap(), once.replace('A', "B"));
    }
}
