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
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .redirects(0)
        .build()
}

/// Sends a request to the edge; `path` starts with `/`.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Resp {
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

pub fn get(path: &str) -> Resp {
    request("GET", path, &[], None)
}

pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Resp {
    request("GET", path, headers, None)
}
