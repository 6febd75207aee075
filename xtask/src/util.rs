//! Paths, progress output and process helpers shared by the tasks.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

pub fn err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error(msg.into()))
}

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Git-ignored folder for pinned tools (`.tools/`).
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// Git-ignored folder for run state: demo D1/KV, logs (`.kindred/`).
pub fn state_dir() -> PathBuf {
    root().join(".kindred")
}

/// Cargo's target dir, shared by every build.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// A long step: prints what is happening and, at the end, how long it took.
pub struct Step {
    name: String,
    started: Instant,
}

impl Step {
    pub fn start(name: impl Into<String>) -> Self {
        let name = name.into();
        println!("\n==> {name}");
        Step { name, started: Instant::now() }
    }

    pub fn done(self) {
        println!("    {} done in {}", self.name, human(self.started.elapsed().as_secs()));
    }
}

pub fn note(msg: impl AsRef<str>) {
    println!("    {}", msg.as_ref());
}

pub fn human(secs: u64) -> String {
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// Runs a command to completion, output inherited; fails with its command line.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| Error(format!("could not start {}: {e}", show(cmd))))?;
    if status.success() {
        Ok(())
    } else {
        err(format!("{} failed ({status})", show(cmd)))
    }
}

/// Runs a command and returns its stdout, or `None` if it failed or is missing.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> Result<u16> {
    Ok(free_ports::<1>()?[0])
}

/// `N` distinct free ports: all are held at once while choosing, so two
/// calls cannot hand out the same port.
pub fn free_ports<const N: usize>() -> Result<[u16; N]> {
    let listeners = (0..N).map(|_| std::net::TcpListener::bind("127.0.0.1:0")).collect::<std::io::Result<Vec<_>>>()?;
    let mut ports = [0u16; N];
    for (p, l) in ports.iter_mut().zip(&listeners) {
        *p = l.local_addr()?.port();
    }
    Ok(ports)
}

/// Whether something accepts connections on 127.0.0.1:port.
pub fn port_in_use(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        std::time::Duration::from_millis(300),
    )
    .is_ok()
}

/// A plain HTTP/1.1 request on loopback (JSON body, optional bearer key);
/// returns (status, body). Enough for readiness checks and benchmark set-up
/// without pulling an HTTP client into xtask.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>, auth: Option<&str>) -> Option<(u16, String)> {
    let bearer = auth.map(|a| format!("Bearer {a}"));
    let headers: Vec<(&str, &str)> = bearer.as_deref().map(|b| ("Authorization", b)).into_iter().collect();
    http_with(port, method, path, body, &headers)
}

/// [`http`] with extra request headers (e.g. `CF-Connecting-IP`, which a
/// local `wrangler dev` passes through, to stand for distinct clients).
pub fn http_with(port: u16, method: &str, path: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Option<(u16, String)> {
    http_full(port, method, path, body, headers).map(|(status, _, body)| (status, body))
}

/// [`http_with`] that also returns the response's head (status line and
/// headers, as sent).
pub fn http_full(port: u16, method: &str, path: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Option<(u16, String, String)> {
    use std::io::{Read, Write};
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).ok()?;
    let auth: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n").map_or((text.clone(), String::new()), |(h, b)| (h.to_owned(), b.to_owned()));
    Some((status, head, body))
}

/// `GET path`; see [`http`].
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http(port, "GET", path, None, None)
}
