//! With the `split` feature, the linker keeps its relocations in the widget's
//! wasm: wasm-split needs them to cut the module into chunks (see
//! src/lazy.rs). Only this crate's link step gets the flag, so the edge
//! worker and the shared dependencies build exactly as before.
fn main() {
    println!("cargo:rerun-if-env-changed=CARGO_FEATURE_SPLIT");
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
}
