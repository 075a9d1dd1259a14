//! The app's wasm keeps its relocations, which wasm-split (run by `cargo xtask build-web`)
//! needs to cut the split points (`#[wasm_split]`) into modules loaded on first use. Only the app binary:
//! tests and the other wasm crates link with the defaults.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=backboard-web=--emit-relocs");
    }
}
