//! Writes `openapi.json` (`kindred_core::openapi::document`) into `OUT_DIR`;
//! `GET /v1/openapi.json` serves it byte for byte. Generated here, natively,
//! so neither utoipa nor the schemas weigh on the worker.
//!
//! Also compiles the widget's message catalogues (`widget/i18n/*.ftl`, with
//! `kindred_core::i18n::compile`, as xtask does for the loader) into
//! `catalogues.rs`: the locales the edge renders the first view in.

fn main() {
    println!("cargo:rerun-if-changed=../core/src");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    if let Err(e) = std::fs::write(out.join("openapi.json"), kindred_core::openapi::document_json()) {
        println!("cargo:warning=cannot write openapi.json: {e}");
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=../widget/i18n");
    if let Err(e) = catalogues(&out) {
        println!("cargo:warning=cannot compile the message catalogues: {e}");
        std::process::exit(1);
    }
}

/// `pub const CATALOGUES: &[(&str, &str)]`: each locale and its compiled
/// catalogue (JSON), English first.
fn catalogues(out: &std::path::Path) -> Result<(), String> {
    use kindred_core::i18n::{compile, LOCALES};
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?).join("../widget/i18n");
    let read = |l: &str| std::fs::read_to_string(dir.join(format!("{l}.ftl"))).map_err(|e| format!("widget/i18n/{l}.ftl: {e}"));
    let en = compile("en", &read("en")?, None)?;
    let mut rs = String::from("pub const CATALOGUES: &[(&str, &str)] = &[\n");
    for l in LOCALES {
        let c = if *l == "en" { en.clone() } else { compile(l, &read(l)?, Some(&en))? };
        rs.push_str(&format!("    ({l:?}, {:?}),\n", c.json.to_string()));
    }
    rs.push_str("];\n");
    std::fs::write(out.join("catalogues.rs"), rs).map_err(|e| e.to_string())
}
