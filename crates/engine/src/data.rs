//! restage's data tables (`data/*.toml`: base images, package sizes and
//! dependencies, heuristics, runtime libraries), embedded gzip-compressed by
//! the build script and inflated once, on first use: about 500 KB of text
//! takes about a sixth of that in the binary.

use std::io::Read;
use std::sync::LazyLock;

/// One table's text. Broken embedded bytes (which the tests would catch,
/// since they parse every table) give an empty text, which each reader
/// treats as an empty table.
fn inflate(gz: &[u8]) -> String {
    let mut text = String::new();
    match flate2::read::GzDecoder::new(gz).read_to_string(&mut text) {
        Ok(_) => text,
        Err(_) => String::new(),
    }
}

/// A table of `data/`, by file name.
macro_rules! table {
    ($name:ident, $file:literal) => {
        #[doc = concat!("`data/", $file, "`.")]
        pub static $name: LazyLock<String> =
            LazyLock::new(|| inflate(include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".gz"))));
    };
}

table!(DEBIAN_PACKAGES, "debian-packages.toml");
table!(HEURISTICS, "heuristics.toml");
table!(IMAGES, "images.toml");
table!(PACKAGE_SIZES, "package-sizes.toml");
table!(RUNTIME_LIBRARIES, "runtime-libraries.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_back_as_the_file_it_was_made_from() {
        for (text, file) in [
            (&DEBIAN_PACKAGES, "debian-packages.toml"),
            (&HEURISTICS, "heuristics.toml"),
            (&IMAGES, "images.toml"),
            (&PACKAGE_SIZES, "package-sizes.toml"),
            (&RUNTIME_LIBRARIES, "runtime-libraries.toml"),
        ] {
            let path = format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"));
            let on_disk = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(text.as_str(), on_disk, "{file}");
        }
    }
}
