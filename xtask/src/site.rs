//! A tiny static server for the demo storefront, on its own origin (as a
//! brand's real site is). HTML files get `{{EDGE}}` replaced by the edge's
//! URL, so the same pages work on any port ([`serve_with`] takes more such
//! placeholders, e.g. the bench's `{{ISSO}}`). A page asked for with
//! `kindred=off` in its query comes without its Kindred tag: the same page
//! without the widget, the bench's Lighthouse baseline ([`without_kindred`]);
//! with `kindred=floor` its tag loads a script that does nothing from another
//! origin (a second port) instead ([`with_floor_script`]): what any
//! third-party tag costs; with `kindred=first-party` the widget comes from
//! the site's own origin, passed on to the edge ([`EDGE_PREFIX`]); with
//! `kindred=one-request` its tag is the one that brings the first paint
//! with the loader ([`with_one_request_tag`]).

use crate::util::Result;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// A URL prefix and the folder it serves.
pub type Mount = (&'static str, PathBuf);

/// Serves `mounts` on 127.0.0.1:`port` from a background thread.
pub fn serve(port: u16, mounts: Vec<Mount>, edge_url: String) -> Result<()> {
    serve_with(port, mounts, vec![("{{EDGE}}".to_owned(), edge_url)])
}

/// [`serve`] with each (placeholder, value) of `subst` replaced in HTML files.
pub fn serve_with(port: u16, mounts: Vec<Mount>, subst: Vec<(String, String)>) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| crate::Error(format!("demo site: cannot listen on 127.0.0.1:{port}: {e}")))?;
    // The floor's script (`kindred=floor`) on a port of its own: another
    // origin on the same host, as the edge is to the site.
    let floor = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| crate::Error(format!("demo site: cannot listen on 127.0.0.1 for the floor's script: {e}")))?;
    let floor_port = floor.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in floor.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = handle(stream, &[], &[], None);
            });
        }
    });
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (mounts, subst) = (mounts.clone(), subst.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &mounts, &subst, Some(floor_port));
            });
        }
    });
    Ok(())
}

/// Answers one request: a file under `mounts`, or, on the floor's own
/// listener (`floor_port` None), the floor's script.
fn handle(mut stream: TcpStream, mounts: &[Mount], subst: &[(String, String)], floor_port: Option<u16>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers: passed on to the edge under EDGE_PREFIX; files are
    // answered the same way whatever they say.
    let mut headers = Vec::new();
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        headers.push(std::mem::take(&mut line));
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let edge = subst.iter().find(|(p, _)| p == "{{EDGE}}").map(|(_, v)| v.as_str());
    if let (Some(edge), Some(rest), Some(_)) = (edge, target.strip_prefix(EDGE_PREFIX), floor_port) {
        if rest.starts_with('/') {
            return pass_to_edge(&mut stream, &mut reader, method, rest, &headers, edge);
        }
    }
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, 405, "text/plain", b"method not allowed", false);
    }
    let target = target.split('#').next().unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let off = query.split('&').any(|p| p == "kindred=off");
    let floor = query.split('&').any(|p| p == "kindred=floor");
    let first_party = query.split('&').any(|p| p == "kindred=first-party");
    let one_request = query.split('&').any(|p| p == "kindred=one-request");
    if floor_port.is_none() && path == FLOOR_SCRIPT {
        return respond(&mut stream, 200, "text/javascript; charset=utf-8", b"// kindred bench: a script that does nothing\n", method == "HEAD");
    }
    match resolve(mounts, path) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                let ctype = content_type(&file);
                let body = if ctype.starts_with("text/html") {
                    let mut html = String::from_utf8_lossy(&bytes).into_owned();
                    if first_party {
                        // On the host the page was asked for by (127.0.0.1 or localhost).
                        let host = headers
                            .iter()
                            .find_map(|h| h.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case("host")).map(|(_, v)| v.trim().to_owned()))
                            .unwrap_or(format!("127.0.0.1:{}", stream.local_addr()?.port()));
                        html = html.replace("{{EDGE}}", &format!("http://{host}{EDGE_PREFIX}"));
                    }
                    for (placeholder, value) in subst {
                        html = html.replace(placeholder.as_str(), value);
                    }
                    if one_request {
                        html = with_one_request_tag(&html);
                    }
                    if off {
                        html = without_kindred(&html);
                    } else if let (true, Some(port)) = (floor, floor_port) {
                        html = with_floor_script(&html, port);
                    }
                    html.into_bytes()
                } else {
                    bytes
                };
                respond(&mut stream, 200, ctype, &body, method == "HEAD")
            }
            Err(_) => respond(&mut stream, 404, "text/plain", b"not found", false),
        },
        None => respond(&mut stream, 404, "text/plain", b"not found", false),
    }
}

/// The path of the script that does nothing ([`with_floor_script`]).
pub const FLOOR_SCRIPT: &str = "/__kindred-floor.js";

/// Where the site passes requests on to the edge (the page's `{{EDGE}}`):
/// a page asked for with `kindred=first-party` has its `{{EDGE}}` here, so
/// the widget loads from the shop's own origin, as through a brand's own
/// proxy or CDN path in front of the edge (README, "Embed it").
pub const EDGE_PREFIX: &str = "/__edge";

/// Passes one request on to the edge (`edge`: `http://host:port`) with its
/// method, headers and body (`Content-Length` bytes), `Host` the edge's,
/// and copies the edge's answer back as it came. One request per
/// connection (`Connection: close` both ways), as every answer here is.
/// A body of unknown length (chunked, a bad `Content-Length`) is refused
/// with 411; an edge that cannot be reached is a 502. The headers by which
/// a brand's proxy vouches for a shopper's address (`X-Kindred-Proxy-Key`,
/// `X-Kindred-Client-IP`: README, "Embed it") are dropped, as every proxy
/// must drop what a page sends of them; this one sets none (it has no
/// key, and its shoppers are all 127.0.0.1).
fn pass_to_edge(client: &mut TcpStream, reader: &mut BufReader<TcpStream>, method: &str, target: &str, headers: &[String], edge: &str) -> std::io::Result<()> {
    use std::io::Read;
    let host = edge.trim_start_matches("http://").trim_end_matches('/');
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    let mut length = 0u64;
    for h in headers {
        let (name, value) = h.split_once(':').map_or(("", ""), |(n, v)| (n.trim(), v.trim()));
        if ["host", "connection", "keep-alive", "x-kindred-proxy-key", "x-kindred-client-ip"].iter().any(|n| name.eq_ignore_ascii_case(n)) {
            continue;
        }
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return respond(client, 411, "text/plain", b"a body of known length only", false);
        }
        if name.eq_ignore_ascii_case("content-length") {
            match value.parse() {
                Ok(n) => length = n,
                Err(_) => return respond(client, 411, "text/plain", b"a body of known length only", false),
            }
        }
        head.push_str(h);
    }
    head.push_str("\r\n");
    let Ok(mut upstream) = TcpStream::connect(host) else {
        return respond(client, 502, "text/plain", b"the edge cannot be reached", false);
    };
    upstream.write_all(head.as_bytes())?;
    std::io::copy(&mut reader.by_ref().take(length), &mut upstream)?;
    std::io::copy(&mut upstream, client)?;
    client.flush()
}

/// `html` with each `<script>` that loads Kindred's loader replaced by an
/// async script that does nothing, 45 bytes from `port` on 127.0.0.1 (this
/// server's second listener: another origin on the site's host, as the
/// edge is, so a connection of its own and no name to resolve). The
/// bench's Lighthouse runs it beside the page with and without the widget:
/// what any tag pasted from another origin adds under Lighthouse's
/// simulation, whatever it does, the floor under a widget's own cost.
/// (From `localhost` instead, a host name the page had not resolved, it
/// added about 150 ms more: the simulated DNS lookup.)
pub fn with_floor_script(html: &str, port: u16) -> String {
    map_kindred_tags(html, &format!("<script async src=\"http://127.0.0.1:{port}{FLOOR_SCRIPT}\"></script>"))
}

/// `html` without the `<script>` elements that load Kindred's loader (an
/// `embed.js` source), so the page is what it would be had the brand never
/// pasted the tag. Lighthouse cannot give that baseline by blocking the
/// request: its simulation still charges a blocked request's connection and
/// round trip to the page's LCP (about 175 ms on the product page,
/// measured: 931 against 755 ms).
pub fn without_kindred(html: &str) -> String {
    map_kindred_tags(html, "")
}

/// `html` with each Kindred tag (`src=".../embed.js"`, `data-brand`,
/// `data-product`) as the one that brings the first paint with the loader
/// (README, "Embed it"): `src=".../v1/embed/BRAND?product=P&locale=LANG"`,
/// LANG the page's `<html lang>` (`en` without one), `crossorigin`, its
/// other attributes as they were.
pub fn with_one_request_tag(html: &str) -> String {
    let lang = attr(html.find("<html").map_or("", |i| &html[i..i + html[i..].find('>').unwrap_or(0)]), "lang").unwrap_or("en").to_owned();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let end = start + rest[start..].find('>').map_or(rest.len() - start, |i| i + 1);
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        match (attr(tag, "src").and_then(|s| s.strip_suffix("/embed.js")), attr(tag, "data-brand")) {
            (Some(base), Some(brand)) => {
                let mut query = String::new();
                if let Some(p) = attr(tag, "data-product") {
                    query.push_str(&format!("product={p}&"));
                }
                query.push_str(&format!("locale={lang}"));
                let mut new = tag.replacen(&format!("src=\"{base}/embed.js\""), &format!("src=\"{base}/v1/embed/{brand}?{query}\""), 1);
                for name in ["data-brand", "data-product"] {
                    if let Some(v) = attr(tag, name) {
                        new = new.replacen(&format!(" {name}=\"{v}\""), "", 1);
                    }
                }
                if attr(tag, "crossorigin").is_none() {
                    new = new.replacen("<script", "<script crossorigin=\"anonymous\"", 1);
                }
                out.push_str(&new);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in the start tag `tag` (double-quoted).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].find('"').map(|e| &tag[at..at + e])
}

/// `html` with each `<script>` element whose source is an `embed.js`
/// replaced by `with`.
fn map_kindred_tags(html: &str, with: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(close) = rest[start..].find("</script>") else { break };
        let end = start + close + "</script>".len();
        let tag = &rest[start..rest[start..].find('>').map_or(end, |i| start + i)];
        out.push_str(&rest[..start]);
        if tag.contains("/embed.js\"") {
            out.push_str(with);
        } else {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Maps a URL path to a file under a mount, refusing anything that climbs out.
fn resolve(mounts: &[Mount], path: &str) -> Option<PathBuf> {
    let (prefix, dir) = mounts
        .iter()
        .filter(|(p, _)| path.starts_with(p))
        .max_by_key(|(p, _)| p.len())?;
    let rel = path[prefix.len()..].trim_start_matches('/');
    let rel = Path::new(rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn respond(s: &mut TcpStream, status: u16, ctype: &str, body: &[u8], head: bool) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        411 => "Length Required",
        502 => "Bad Gateway",
        _ => "Method Not Allowed",
    };
    write!(
        s,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        s.write_all(body)?;
    }
    s.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_without_kindred_loses_the_tag_and_nothing_else() {
        let page = std::fs::read_to_string(crate::util::root().join("demo-site").join("products").join("trail-runner-2.html")).unwrap();
        let off = without_kindred(&page);
        assert!(page.contains("/embed.js\""));
        assert!(!off.contains("embed.js"));
        assert_eq!(page.lines().count(), off.lines().count());
        assert!(off.contains("<section class=\"reviews\">") && off.contains("</html>"));
        // On one line, beside a script of the page's own.
        let one = "<p>a</p><script src=\"https://e.example/embed.js\" data-brand=\"b\" async></script><script>go()</script><p>b</p>";
        assert_eq!(without_kindred(one), "<p>a</p><script>go()</script><p>b</p>");
    }

    #[test]
    fn the_one_request_page_names_brand_product_and_language_in_the_tags_url() {
        let page = "<html lang=\"de\"><p>a</p><script src=\"https://e.example/embed.js\" crossorigin=\"anonymous\" data-brand=\"b\" data-product=\"p-1\" async></script><script>go()</script>";
        assert_eq!(
            with_one_request_tag(page),
            "<html lang=\"de\"><p>a</p><script src=\"https://e.example/v1/embed/b?product=p-1&locale=de\" crossorigin=\"anonymous\" async></script><script>go()</script>"
        );
        let demo = std::fs::read_to_string(crate::util::root().join("demo-site").join("products").join("trail-runner-2.html")).unwrap();
        let one = with_one_request_tag(&demo);
        assert!(one.contains("/v1/embed/acme?product=trail-runner-2&locale=en\" crossorigin=\"anonymous\" async></script>"), "{one}");
        assert!(!one.contains("embed.js"));
    }

    #[test]
    fn the_floor_page_swaps_the_tag_for_a_script_from_another_origin() {
        let one = "<p>a</p><script src=\"https://e.example/embed.js\" data-brand=\"b\" async></script><script>go()</script><p>b</p>";
        assert_eq!(with_floor_script(one, 8081), "<p>a</p><script async src=\"http://127.0.0.1:8081/__kindred-floor.js\"></script><script>go()</script><p>b</p>");
    }

    #[test]
    fn under_edge_prefix_a_request_goes_to_the_edge_whole_and_its_answer_comes_back() {
        use std::io::Read;
        // The edge: records what it got, answers once.
        let edge = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let edge_url = format!("http://127.0.0.1:{}", edge.local_addr().unwrap().port());
        let got = std::thread::spawn(move || {
            let (s, _) = edge.accept().unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut head = String::new();
            let mut line = String::new();
            while r.read_line(&mut line).unwrap() > 2 {
                head.push_str(&line);
                line.clear();
            }
            let mut body = [0u8; 11];
            r.read_exact(&mut body).unwrap();
            (&s).write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").unwrap();
            (head, String::from_utf8_lossy(&body).into_owned())
        });
        let answer = one_request(&edge_url, &format!("POST {EDGE_PREFIX}/v1/brands/acme/events?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: http://127.0.0.1:8080\r\nX-Kindred-Client-IP: 203.0.113.9\r\nx-kindred-proxy-key: kr_px_guess\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\nhello world"));
        let (head, body) = got.join().unwrap();
        assert!(head.starts_with("POST /v1/brands/acme/events?x=1 HTTP/1.1\r\n"), "{head}");
        assert!(head.contains(&format!("Host: {}\r\n", edge_url.trim_start_matches("http://"))), "{head}");
        assert!(head.contains("Origin: http://127.0.0.1:8080\r\n"), "{head}");
        // What a page sends to vouch for an address never reaches the edge.
        assert!(!head.to_ascii_lowercase().contains("x-kindred-client-ip") && !head.to_ascii_lowercase().contains("x-kindred-proxy-key"), "{head}");
        assert!(head.contains("Connection: close\r\n") && !head.contains("keep-alive"), "{head}");
        assert_eq!(body, "hello world");
        assert!(answer.starts_with("HTTP/1.1 201 Created\r\n") && answer.ends_with("\r\n\r\nok"), "{answer}");
    }

    #[test]
    fn a_body_of_unknown_length_or_an_edge_that_is_not_there_gets_an_answer_not_a_hang() {
        // A port nothing listens on.
        let gone = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let edge_url = format!("http://127.0.0.1:{}", gone.local_addr().unwrap().port());
        drop(gone);
        for (request, want) in [
            ("POST /__edge/v1/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 411 "),
            ("POST /__edge/v1/x HTTP/1.1\r\nContent-Length: many\r\n\r\n", "HTTP/1.1 411 "),
            ("GET /__edge/v1/x HTTP/1.1\r\n\r\n", "HTTP/1.1 502 "),
        ] {
            let answer = one_request(&edge_url, request);
            assert!(answer.starts_with(want), "{request:?}: {answer}");
        }
    }

    /// `request` sent to a one-request site whose edge is `edge_url`; its answer.
    fn one_request(edge_url: &str, request: &str) -> String {
        use std::io::Read;
        let site = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = site.local_addr().unwrap().port();
        let subst = vec![("{{EDGE}}".to_owned(), edge_url.to_owned())];
        std::thread::spawn(move || {
            let (s, _) = site.accept().unwrap();
            let _ = handle(s, &[], &subst, Some(1));
        });
        let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
        client.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn refuses_path_traversal() {
        let mounts = vec![("/", crate::util::root().join("demo-site"))];
        assert!(resolve(&mounts, "/../Cargo.toml").is_none());
        assert!(resolve(&mounts, "/products/../../Cargo.toml").is_none());
        assert!(resolve(&mounts, "/").is_some());
    }
}
