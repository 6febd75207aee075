//! The bench's peer: Isso, a self-hosted comment server with a JS embed
//! (PyPI, pinned with its dependencies in `tests/bench/isso/requirements.txt`,
//! installed into `.tools/isso`). `cargo xtask bench` runs it with `isso run`
//! on its own port, cross-origin from the page as our edge is, holding the
//! texts our widget shows on the bench page, and loads
//! `tests/bench/isso/product.html` beside our page in the same Chromium.

use crate::util::{err, http_full, http_get, port_in_use, root, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Isso version, pinned with its dependencies in
/// `tests/bench/isso/requirements.txt`.
pub const ISSO: &str = "0.14.0";

/// How many comments the Isso thread holds.
pub const COMMENTS: usize = 20;

/// The thread's id (`data-isso-id` on the page): the product page's path.
pub const THREAD: &str = "/products/trail-runner-2.html";

/// The product whose widget the bench measures (`/products/trail-runner-2.html`).
pub const PRODUCT: &str = "trail-runner-2";

/// The peer page, as the bench's site server mounts it.
pub const PAGE: &str = "/__isso/product.html";

/// Installs the pinned Isso into `.tools/isso` (a Python venv) unless it is
/// there; returns its executable. The requirements pin every dependency and
/// are installed with `--no-deps` (see the file for why misaka is left out).
pub fn ensure_isso() -> Result<PathBuf> {
    crate::tools::ensure_venv(
        "isso",
        "isso",
        &root().join("tests").join("bench").join("isso").join("requirements.txt"),
        &format!("Isso {ISSO}"),
        "the bench's peer (Isso)",
        &["--no-deps"],
    )
}

/// A file of the installed Isso package (e.g. `js/embed.min.js`, what its
/// server sends as `/js/embed.min.js`).
pub fn package_file(rel: &str) -> Result<PathBuf> {
    let exe = ensure_isso()?;
    let python = exe.with_file_name("python");
    let dir = crate::util::output(Command::new(&python).args(["-c", "import isso, os; print(os.path.dirname(isso.__file__))"]))
        .ok_or_else(|| crate::Error(format!("{} cannot import isso", python.display())))?;
    let file = Path::new(dir.trim()).join(rel);
    if !file.is_file() {
        return err(format!("{} is not in the installed Isso", file.display()));
    }
    Ok(file)
}

/// The comments the thread holds: the testimonials our widget's first page
/// shows for [`PRODUCT`] (`crate::seed::first_page`), same authors, titles
/// and bodies, in the same order. The seed has 4 approved testimonials for
/// the product, fewer than [`COMMENTS`]: they repeat, in order, until there
/// are 20 (so Isso renders five times as many comments as our first page
/// has cards; the bench reports Isso's time to its 4th comment as well).
/// Title and body as Markdown (`**title**`, a blank line, the body), as our
/// card shows both.
pub fn comments() -> Vec<(String, String)> {
    let shown = crate::seed::first_page(PRODUCT);
    shown.iter().cycle().take(COMMENTS).map(|(name, title, body)| ((*name).to_owned(), format!("**{title}**\n\n{body}"))).collect()
}

/// A running `isso run`; stopped on drop.
pub struct IssoServer {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl IssoServer {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for IssoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Percent-encodes a thread id for a query string.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The configuration: a fresh SQLite database in `dir`, the site origin as
/// Isso's only host (its CORS answer and the origin check of new comments),
/// no moderation, limits no seed reaches; everything else Isso's defaults.
fn config(port: u16, dir: &Path, site_origin: &str) -> String {
    format!(
        "# Written by `cargo xtask bench` (xtask/src/isso.rs).
[general]
dbpath = {db}
host = {site_origin}
notify = stdout
gravatar = false
latest-enabled = false
[admin]
enabled = false
[moderation]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
public-endpoint = http://127.0.0.1:{port}
reload = false
profile = false
[guard]
enabled = true
ratelimit = 10000
direct-reply = 10000
reply-to-self = true
require-author = false
require-email = false
[markup]
renderer = mistune
",
        db = dir.join("comments.db").display()
    )
}

/// Starts Isso on 127.0.0.1:`port` with its config, database and log in
/// `dir` (the database made afresh), waits until it answers, and posts
/// [`comments`] to the thread [`THREAD`] through its API, as a visitor of
/// `site_origin` would (`Origin` header); checks the thread then holds
/// [`COMMENTS`] comments.
pub fn start_isso(port: u16, dir: &Path, site_origin: &str) -> Result<IssoServer> {
    let exe = ensure_isso()?;
    if port_in_use(port) {
        return err(format!("port {port} is already in use; Isso cannot listen there"));
    }
    std::fs::create_dir_all(dir)?;
    for f in ["comments.db", "comments.db-journal", "comments.db-wal", "comments.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let cfg = dir.join("isso.cfg");
    std::fs::write(&cfg, config(port, dir, site_origin))?;
    let log = dir.join("isso.log");
    let out = File::create(&log)?;
    let child = Command::new(&exe)
        .arg("-c")
        .arg(&cfg)
        .arg("run")
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .map_err(|e| crate::Error(format!("could not start {}: {e}", exe.display())))?;
    let mut server = IssoServer { child, port, log: log.clone() };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some((200, _)) = http_get(port, "/config") {
            break;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            return err(format!("isso exited ({status}) before serving; log:\n{}", crate::edge::tail(&log)));
        }
        if Instant::now() > deadline {
            return err(format!("isso did not answer on port {port} within 30 s; log:\n{}", crate::edge::tail(&log)));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let new = format!("/new?uri={}", encode(THREAD));
    let referer = format!("{site_origin}{PAGE}");
    let headers = [("Origin", site_origin), ("Referer", referer.as_str())];
    for (author, text) in comments() {
        // The title is given, so Isso does not fetch the page to read it.
        let body = serde_json::json!({ "author": author, "text": text, "title": "Trail Runner 2 · Acme Outdoors" }).to_string();
        match http_full(port, "POST", &new, Some(&body), &headers) {
            Some((201, _, _)) => {}
            got => return err(format!("seeding Isso: POST {new} answered {:?}; log:\n{}", got.map(|(s, _, b)| (s, b)), crate::edge::tail(&log))),
        }
    }
    let held = http_get(port, &format!("/?uri={}", encode(THREAD)))
        .and_then(|(s, b)| (s == 200).then_some(b))
        .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
        .and_then(|v| v["replies"].as_array().map(Vec::len));
    if held != Some(COMMENTS) {
        return err(format!("seeding Isso: the thread holds {held:?} comments, not {COMMENTS}"));
    }
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_comments_from_the_first_page_in_order() {
        let c = comments();
        assert_eq!(c.len(), COMMENTS);
        assert_eq!(c[0].0, "Ana R.");
        assert_eq!(c[4], c[0]);
        assert!(c[0].1.starts_with("**Grippy on wet rock**\n\n"));
        assert_eq!(encode(THREAD), "%2Fproducts%2Ftrail-runner-2.html");
    }
}
