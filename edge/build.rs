//! Compiles the widget's message catalogues (`widget/i18n/*.ftl`, with
//! `kindred_core::i18n::compile`, as xtask does for the loader) into
//! `catalogues.rs`: the locales the edge renders the first view in.

fn main() {
    println!("cargo:rerun-if-changed=../core/src");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    println!("cargo:rerun-if-changed=../widget/i18n");
    println!("cargo:rerun-if-changed=i18n");
    if let Err(e) = catalogues(&out) {
        println!("cargo:warning=cannot compile the message catalogues: {e}");
        std::process::exit(1);
    }
}

/// `pub const CATALOGUES: &[(&str, &str)]`: each locale and its compiled
/// catalogue (JSON), English first: the widget's messages
/// (`widget/i18n/*.ftl`) and those of the pages only the edge renders
/// (`edge/i18n/*.ftl`, "How reviews work"), in one catalogue per locale.
/// Neither set may name a message of the other.
fn catalogues(out: &std::path::Path) -> Result<(), String> {
    use kindred_core::i18n::{compile, LOCALES};
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let read = |dir: &str, l: &str| std::fs::read_to_string(root.join(dir).join(format!("{l}.ftl"))).map_err(|e| format!("{dir}/{l}.ftl: {e}"));
    let en = compile("en", &read("../widget/i18n", "en")?, None)?;
    let en_pages = compile("en", &read("i18n", "en")?, None)?;
    let mut rs = String::from("pub const CATALOGUES: &[(&str, &str)] = &[\n");
    for l in LOCALES {
        let (mut c, pages) = if *l == "en" {
            (en.clone(), en_pages.clone())
        } else {
            (compile(l, &read("../widget/i18n", l)?, Some(&en))?, compile(l, &read("i18n", l)?, Some(&en_pages))?)
        };
        let (Some(widget), Some(extra)) = (c.json.get_mut("messages").and_then(|m| m.as_object_mut()), pages.json.get("messages").and_then(|m| m.as_object())) else {
            return Err(format!("{l}: a compiled catalogue has no messages"));
        };
        for (k, v) in extra {
            if widget.insert(k.clone(), v.clone()).is_some() {
                return Err(format!("{l}: message '{k}' is in both widget/i18n and edge/i18n"));
            }
        }
        rs.push_str(&format!("    ({l:?}, {:?}),\n", c.json.to_string()));
    }
    rs.push_str("];\n");
    std::fs::write(out.join("catalogues.rs"), rs).map_err(|e| e.to_string())
}
