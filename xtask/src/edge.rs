//! The local edge: the built worker in workerd via `wrangler dev --local`,
//! with D1 and KV persisted in a state folder we choose.

use crate::tools::Tools;
use crate::util::{err, http_get, run, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Applies the numbered D1 migrations to local state in `state`.
pub fn migrate(tools: &Tools, state: &Path) -> Result<()> {
    let mut c = tools.wrangler();
    c.args(["d1", "migrations", "apply", "kindred", "--local", "--persist-to"])
        .arg(state)
        .env("CI", "true") // never prompt
        .stdout(Stdio::null());
    run(&mut c)
}

/// Runs an SQL file against local D1 in `state`.
pub fn execute_sql(tools: &Tools, state: &Path, sql_file: &Path) -> Result<()> {
    let mut c = tools.wrangler();
    c.args(["d1", "execute", "kindred", "--local", "--yes", "--persist-to"])
        .arg(state)
        .arg("--file")
        .arg(sql_file)
        .env("CI", "true")
        .stdout(Stdio::null());
    run(&mut c)
}

/// A running `wrangler dev --local`; stopped (with workerd) on drop.
pub struct Edge {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Edge {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the edge and waits until `/healthz` answers (first start
    /// compiles the worker in workerd: allow a minute).
    pub fn start(tools: &Tools, port: u16, inspector_port: u16, state: &Path, operator_key: &str, log: &Path) -> Result<Edge> {
        if crate::util::port_in_use(port) {
            return err(format!("port {port} is already in use; stop whatever listens there (an earlier demo?)"));
        }
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let out = File::create(log)?;
        let mut c = tools.wrangler();
        c.args(["dev", "--local", "--ip", "127.0.0.1", "--log-level", "warn", "--show-interactive-dev-session=false", "--test-scheduled"])
            // The edge first (it serves the port), then the share-card
            // renderer it calls through its CARDS service binding.
            .args(["-c", "wrangler.toml", "-c", "../cards/wrangler.toml"])
            .args(["--port", &port.to_string(), "--inspector-port", &inspector_port.to_string()])
            .arg("--persist-to")
            .arg(state)
            // A secret in production (`wrangler secret put`); a var locally.
            .args(["--var", &format!("KINDRED_OPERATOR_KEY:{operator_key}")])
            // Local only: webhooks may go to plain http on loopback (the demo's
            // and the tests' receivers). Never set in wrangler.toml.
            .args(["--var", "WEBHOOK_LOOPBACK_HTTP:allow"])
            // Local only: each answer says how many rows D1 read and wrote
            // for it (`Server-Timing`), for the bench and the tests.
            .args(["--var", "D1_METER:on"])
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        // Its own process group, so stopping it also stops workerd.
        std::os::unix::process::CommandExt::process_group(&mut c, 0);
        let child = c.spawn().map_err(|e| crate::Error(format!("could not start wrangler dev: {e}")))?;
        let mut edge = Edge { child, port, log: log.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some((200, _)) = http_get(port, "/healthz") {
                return Ok(edge);
            }
            if let Ok(Some(status)) = edge.child.try_wait() {
                return err(format!("wrangler dev exited ({status}) before serving; log:\n{}", tail(log)));
            }
            if Instant::now() > deadline {
                return err(format!("wrangler dev did not answer on port {port} within 90 s; log:\n{}", tail(log)));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The processes of the edge's group (wrangler, its node, workerd).
    pub fn pids(&self) -> Vec<u32> {
        let group = self.child.id();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return vec![group];
        };
        dir.flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                // Field 5 of /proc/PID/stat is the process group (after "(comm)").
                std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .ok()
                    .and_then(|s| s.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().nth(2).map(str::to_owned)))
                    .flatten()
                    .and_then(|g| g.parse::<u32>().ok())
                    == Some(group)
            })
            .collect()
    }

    pub fn stop(&mut self) {
        let pgid = self.child.id();
        signal_group("TERM", pgid);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // Whatever is left of the group (workerd) goes now.
        signal_group("KILL", pgid);
        let _ = self.child.wait();
    }
}

/// Signals a whole process group (`kill -s SIG -- -PGID`; the `--` matters:
/// without it procps' kill reads the negative group id as an option).
fn signal_group(signal: &str, pgid: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-s", signal, "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
}

impl Drop for Edge {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The last lines of a log, for error messages.
pub fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
