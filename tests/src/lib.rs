// A test harness: failing loudly on a broken precondition is its job.
#![allow(clippy::expect_used, clippy::unwrap_used)]

//! Test harness for the end-to-end suites. `cargo xtask test` starts a real
//! edge (`wrangler dev --local`, workerd, local D1/KV) on free ports with a
//! fresh state folder and passes its URL in `KINDRED_EDGE_URL`; these helpers
//! talk to it over real HTTP.

use std::time::Duration;

/// Reads a variable that `cargo xtask test` sets.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: these tests run against a live local edge; start them with `cargo xtask test`")
    })
}

/// Base URL of the edge under test, e.g. `http://127.0.0.1:40123`.
pub fn edge() -> String {
    env("KINDRED_EDGE_URL")
}

/// Origin of the demo storefront, which the seed allows for brand `acme`.
pub fn site_origin() -> String {
    env("KINDRED_SITE_URL")
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    /// Asserts this is our JSON error envelope with `status` and `code`.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status for body {}", self.text());
        let ct = self.header("content-type").unwrap_or_default();
        assert!(ct.starts_with("application/json"), "content-type {ct:?}");
        let v = self.json();
        assert_eq!(v["error"]["code"], code, "body {v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "message in {v}");
    }

    /// A body that is JSON but does not fit: 422 `validation_failed`
    /// naming `field` (`kindred_core::error::from_json`).
    pub fn assert_field(&self, field: &str) {
        self.assert_error(422, "validation_failed");
        assert_eq!(self.json()["error"]["field"], field, "field in {}", self.text());
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .redirects(0)
        .build()
}

/// `wrangler d1 execute` opens the edge's SQLite file from another process;
/// workerd does not wait for that process's lock and fails the request
/// (SQLITE_BUSY, a 503). So within a test binary, direct state access
/// (write side) waits for requests in flight (read side), and the other way
/// round. Test binaries run one after another.
static STATE_LOCK: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Sends a request to the edge; `path` starts with `/`.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Resp {
    let _in_flight = STATE_LOCK.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    let url = format!("{}{path}", edge());
    let mut req = agent().request(method, &url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let result = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let status = resp.status();
    let headers = resp
        .headers_names()
        .into_iter()
        .map(|name| {
            let value = resp.all(&name).join(", ");
            (name, value)
        })
        .collect();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut body).unwrap_or_else(|e| panic!("reading {url}: {e}"));
    Resp { status, headers, body }
}

/// A stable documentation-range address (RFC 5737 TEST-NET-2) for a name,
/// sent as `CF-Connecting-IP` to stand for a distinct client. `wrangler dev`
/// passes that header through; Cloudflare overwrites it in production.
pub fn address_of(name: &str) -> String {
    let h = name.bytes().fold(2166136261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16777619));
    format!("198.51.{}.{}", 100 + (h >> 8) % 100, 1 + h % 254)
}

/// The time now, Unix ms (the edge's clock on this machine).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub fn get(path: &str) -> Resp {
    request("GET", path, &[], None)
}

pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Resp {
    request("GET", path, headers, None)
}

pub fn post_json(path: &str, headers: &[(&str, &str)], body: &serde_json::Value) -> Resp {
    let mut h: Vec<(&str, &str)> = vec![("content-type", "application/json")];
    h.extend_from_slice(headers);
    request("POST", path, &h, Some(body.to_string().as_bytes()))
}

/// A brand made for one test through the operator API, so tests never share
/// state. Returns its id, admin key and identity secret.
pub struct TestBrand {
    pub id: String,
    pub key: String,
    pub identity_secret: String,
}

impl TestBrand {
    pub fn create(prefix: &str) -> TestBrand {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let id = format!("{prefix}-{}-{}", N.fetch_add(1, Ordering::SeqCst), nanos % 100_000);
        let op = env("KINDRED_OPERATOR_KEY");
        let r = post_json(
            "/v1/admin/brands",
            &[("authorization", &format!("Bearer {op}"))],
            &serde_json::json!({ "id": id, "name": format!("Test {id}"), "allowed_origins": [site_origin()] }),
        );
        assert_eq!(r.status, 201, "create brand: {}", r.text());
        let v = r.json();
        TestBrand {
            id,
            key: v["admin_key"].as_str().expect("admin_key").to_owned(),
            identity_secret: v["identity_secret"].as_str().expect("identity_secret").to_owned(),
        }
    }

    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.key)
    }

    /// An admin request with this brand's key.
    pub fn admin(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Resp {
        let auth = self.bearer();
        match body {
            Some(b) => request(method, path, &[("authorization", &auth), ("content-type", "application/json")], Some(b.to_string().as_bytes())),
            None => request(method, path, &[("authorization", &auth)], None),
        }
    }

    pub fn configure(&self, patch: serde_json::Value) {
        let r = self.admin("PATCH", &format!("/v1/admin/brands/{}", self.id), Some(&patch));
        assert_eq!(r.status, 200, "configure: {}", r.text());
    }

    /// Submits a testimonial as a shopper; returns the response.
    pub fn submit(&self, body: &serde_json::Value) -> Resp {
        post_json(&format!("/v1/brands/{}/testimonials", self.id), &[], body)
    }

    pub fn approve(&self, id: &str) -> Resp {
        self.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/approve", self.id), None)
    }

    /// Rejects a testimonial for `reason` (`spam`, `offensive`, ...).
    pub fn reject(&self, id: &str, reason: &str) -> Resp {
        self.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/reject", self.id), Some(&serde_json::json!({"reason": reason})))
    }

    /// The brand's testimonials in `status`, as moderators see them.
    pub fn list(&self, status: &str) -> Vec<serde_json::Value> {
        let r = self.admin("GET", &format!("/v1/admin/brands/{}/testimonials?status={status}&limit=50", self.id), None);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["testimonials"].as_array().cloned().unwrap_or_default()
    }

    pub fn widget(&self, product: Option<&str>) -> serde_json::Value {
        let path = match product {
            Some(p) => format!("/v1/widget/{}?product={p}", self.id),
            None => format!("/v1/widget/{}", self.id),
        };
        let r = get(&path);
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

/// A valid submission to start from.
pub fn testimonial(name: &str, rating: u8, product: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::json!({
        "display_name": name,
        "email": format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        "rating": rating,
        "title": format!("{name} says"),
        "body": format!("{name} really likes this product, honestly."),
        "tags": ["trail running"],
    });
    if let Some(p) = product {
        v["product"] = serde_json::Value::String(p.to_owned());
    }
    v
}

/// A real, decodable PNG of `w` x `h` (3x2 shows the dimensions are read).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = image::RgbImage::from_pixel(w, h, image::Rgb([200, 120, 40]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(&pixels, w, h, image::ExtendedColorType::Rgb8).expect("encode PNG");
    out
}

/// Received webhook calls: headers (lowercased names) and body.
pub type Hook = (Vec<(String, String)>, String);

/// A loopback webhook receiver that answers `statuses` in turn and hands
/// each request over the channel. Returns its URL.
pub fn receiver(statuses: Vec<u16>) -> (String, std::sync::mpsc::Receiver<Hook>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind receiver");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let url = format!("http://127.0.0.1:{port}/hooks/kindred");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().take(statuses.len()).enumerate() {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else { continue };
            let mut reader = BufReader::new(clone);
            let mut headers = Vec::new();
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.trim().split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let _ = write!(stream, "HTTP/1.1 {} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", statuses[i]);
            let _ = tx.send((headers, String::from_utf8_lossy(&body).into_owned()));
        }
    });
    (url, rx)
}

/// A loopback webhook receiver that accepts every connection and never
/// answers (each is held for `hold`). Returns its URL and a counter of the
/// connections it took.
pub fn hanging_receiver(hold: Duration) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind hanging receiver");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(50) {
            let Ok(stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::spawn(move || {
                std::thread::sleep(hold);
                drop(stream);
            });
        }
    });
    (format!("http://127.0.0.1:{port}/hooks/slow"), seen)
}

/// Runs SQL against the test edge's local D1 (`wrangler d1 execute --local`
/// on the state folder `cargo xtask test` made), for what no API may do:
/// making a row look a day old.
pub fn d1_execute(sql: &str) {
    wrangler(&["d1", "execute", "kindred", "--local", "--yes", "--persist-to", &env("KINDRED_STATE_DIR"), "--command", sql]);
}

/// Puts a value into the test edge's local KV (`wrangler kv key put`), for
/// data written by an older version of the edge.
pub fn kv_put(key: &str, value: &[u8]) {
    let file = std::env::temp_dir().join(format!("kindred-kv-{}-{key}", std::process::id()).replace(':', "_"));
    std::fs::write(&file, value).expect("write KV value");
    let path = file.display().to_string();
    wrangler(&["kv", "key", "put", "--binding", "KV", "--local", "--persist-to", &env("KINDRED_STATE_DIR"), key, "--path", &path]);
}

/// Puts an object into the test edge's local R2 (`wrangler r2 object put`);
/// `path` is `<bucket>/<key>`.
pub fn r2_put(path: &str, value: &[u8], content_type: &str) {
    let file = std::env::temp_dir().join(format!("kindred-r2-{}-{}", std::process::id(), path.replace(['/', ':'], "_")));
    std::fs::write(&file, value).expect("write R2 value");
    let from = file.display().to_string();
    wrangler(&["r2", "object", "put", path, "--file", &from, "--content-type", content_type, "--local", "--persist-to", &env("KINDRED_STATE_DIR")]);
}

/// An object of the test edge's local R2 (`wrangler r2 object get`), `None`
/// when there is none; `path` is `<bucket>/<key>`.
pub fn r2_get(path: &str) -> Option<Vec<u8>> {
    let file = std::env::temp_dir().join(format!("kindred-r2-get-{}-{}", std::process::id(), path.replace(['/', ':'], "_")));
    let _ = std::fs::remove_file(&file);
    let to = file.display().to_string();
    let _alone = STATE_LOCK.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    let node = env("KINDRED_NODE");
    let out = std::process::Command::new(&node)
        .arg(env("KINDRED_WRANGLER"))
        .args(["r2", "object", "get", path, "--file", &to, "--local", "--persist-to", &env("KINDRED_STATE_DIR")])
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge"))
        .env("CI", "true")
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .expect("run wrangler");
    out.status.success().then(|| std::fs::read(&file).ok()).flatten()
}

/// The names of every key in the test edge's local KV (`wrangler kv key list`).
pub fn kv_keys() -> Vec<String> {
    let out = wrangler(&["kv", "key", "list", "--binding", "KV", "--local", "--persist-to", &env("KINDRED_STATE_DIR")]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("wrangler kv key list gave no JSON ({e}): {out}"));
    v.as_array().map(|a| a.iter().filter_map(|k| k["name"].as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// Every stored value of the test edge's local KV and R2, as bytes: the
/// blob files workerd keeps under the state folder (`v3/kv/*/blobs`,
/// `v3/r2/*/blobs`), one per live value.
pub fn stored_blobs() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.components().any(|c| c.as_os_str() == "blobs") {
                if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, bytes));
                }
            }
        }
    }
    let _alone = STATE_LOCK.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut out = Vec::new();
    let root = std::path::Path::new(&env("KINDRED_STATE_DIR")).join("v3");
    walk(&root.join("kv"), &mut out);
    walk(&root.join("r2"), &mut out);
    out
}

/// Runs SQL against the test edge's local D1 and returns wrangler's JSON
/// answer: one `{"results": [...], "success": true, "meta": {...}}` per
/// statement (`;`-separated).
pub fn d1_json(sql: &str) -> serde_json::Value {
    let out = wrangler(&["d1", "execute", "kindred", "--local", "--yes", "--json", "--persist-to", &env("KINDRED_STATE_DIR"), "--command", sql]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("wrangler d1 execute --json gave no JSON ({e}): {out}"))
}

fn wrangler(args: &[&str]) -> String {
    let _alone = STATE_LOCK.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    let node = env("KINDRED_NODE");
    let node_dir = std::path::Path::new(&node).parent().expect("node's folder").to_path_buf();
    let path = std::env::join_paths(std::iter::once(node_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).expect("PATH");
    // The edge's background work (webhook deliveries, copies) may hold
    // SQLite's lock for a moment: a busy database is tried again.
    let mut attempt = 0;
    loop {
        let out = std::process::Command::new(&node)
            .arg(env("KINDRED_WRANGLER"))
            .args(args)
            .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge"))
            .env("PATH", &path)
            .env("CI", "true")
            .env("WRANGLER_SEND_METRICS", "false")
            .output()
            .expect("run wrangler");
        if out.status.success() {
            return String::from_utf8_lossy(&out.stdout).into_owned();
        }
        let said = format!("{}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
        attempt += 1;
        assert!(attempt < 4 && said.to_ascii_lowercase().contains("busy"), "wrangler {args:?} failed: {said}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// A loopback file server (for photos imported by URL): answers `GET` of
/// each listed path with its status and bytes (for a 3xx, the bytes are the
/// `Location`), anything else 404, for at most `connections` requests. Returns its base URL (`http://127.0.0.1:PORT`).
pub fn file_server(files: Vec<(&'static str, u16, Vec<u8>)>, connections: usize) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind file server");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else { continue };
            let mut reader = BufReader::new(clone);
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, body) = files.iter().find(|(p, _, _)| *p == path).map_or((404, Vec::new()), |(_, s, b)| (*s, b.clone()));
            if (300..400).contains(&status) {
                // A redirect: the "body" is where to.
                let _ = write!(stream, "HTTP/1.1 {status} X\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", String::from_utf8_lossy(&body));
                continue;
            }
            let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}")
}
