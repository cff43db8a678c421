//! Stores restage's data tables (`data/*.toml`, about 500 KB of text)
//! gzip-compressed in `OUT_DIR`, for `src/data.rs` to embed: the shipped
//! binary has a 12 MB budget, and the tables are read once, on first use.

use std::io::Write;
use std::path::PathBuf;

/// The tables under `data/` that the engine embeds.
const TABLES: &[&str] = &[
    "debian-packages.toml",
    "heuristics.toml",
    "images.toml",
    "package-sizes.toml",
    "runtime-libraries.toml",
];

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in TABLES {
        let path = format!("../../data/{name}");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let bytes = gz
            .write_all(&text)
            .and_then(|()| gz.finish())
            .unwrap_or_else(|e| panic!("gzip {path}: {e}"));
        std::fs::write(out.join(format!("{name}.gz")), bytes)
            .unwrap_or_else(|e| panic!("write {name}.gz: {e}"));
    }
}
