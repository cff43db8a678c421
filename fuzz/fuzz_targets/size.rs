//! Fuzzes the size estimate: no panic, and every range is ordered
//! (low <= estimate <= high) in both units.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::size::{SizeOptions, estimate_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = SizeOptions {
        manifests: vec![(
            "requirements.txt".into(),
            text.lines().take(20).collect::<Vec<_>>().join("\n"),
        )],
        ..SizeOptions::default()
    };
    if let Ok(size) = estimate_text(text, &options) {
        for range in [size.disk, size.pull] {
            assert!(
                range.low_bytes <= range.estimate_bytes && range.estimate_bytes <= range.high_bytes,
                "unordered range {range:?}"
            );
        }
    }
});
