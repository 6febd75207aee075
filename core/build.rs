//! With the `aspects` feature: writes `stopwords.rs` into `OUT_DIR`, the
//! function words of each of the widget's UI locales (NLTK's lists, from
//! the `stop-words` crate), lowercased and deduplicated (`aspects`). Only these languages ship: the crate's whole data
//! would add about 170 KB to the worker.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "aspects")]
    stopwords();
}

#[cfg(feature = "aspects")]
fn stopwords() {
    /// The widget's locales (widget/i18n) with an NLTK list; Persian has none.
    const LANGUAGES: [&str; 7] = ["en", "de", "es", "fr", "pt", "ar", "he"];
    let mut out = String::from("/// Function words per UI language, sorted (build.rs).\npub(super) static STOPWORDS: &[(&str, &[&str])] = &[\n");
    for lang in LANGUAGES {
        let mut words: Vec<String> = stop_words::lookup(lang).unwrap_or_default().iter().map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
        words.sort();
        words.dedup();
        out.push_str(&format!("    ({lang:?}, &{words:?}),\n"));
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    if let Err(e) = std::fs::write(dir.join("stopwords.rs"), out) {
        println!("cargo:warning=cannot write stopwords.rs: {e}");
        std::process::exit(1);
    }
}
