//! Writes `openapi.json` (`kindred_core::openapi::document`) into `OUT_DIR`;
//! `GET /v1/openapi.json` serves it byte for byte. Generated here, natively,
//! so neither utoipa nor the schemas weigh on the worker.

fn main() {
    println!("cargo:rerun-if-changed=../core/src");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    if let Err(e) = std::fs::write(out.join("openapi.json"), kindred_core::openapi::document_json()) {
        println!("cargo:warning=cannot write openapi.json: {e}");
        std::process::exit(1);
    }
}
