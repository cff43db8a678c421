//! Fuzzes the converter with every runtime preference: no panic, and a
//! conversion's Dockerfile always parses again (BuildKit would accept it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::convert::{ConvertOptions, RuntimePreference, convert};
use restage::dockerfile;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = dockerfile::parse_bytes(data, &Default::default()) else {
        return;
    };
    for runtime in [
        RuntimePreference::Auto,
        RuntimePreference::Slim,
        RuntimePreference::Alpine,
        RuntimePreference::Distroless,
        RuntimePreference::Scratch,
    ] {
        let options = ConvertOptions {
            runtime,
            user: None,
            cache_mounts: runtime == RuntimePreference::Auto,
        };
        if let Ok(outcome) = convert(&doc, &options) {
            assert!(
                dockerfile::parse(&outcome.conversion.dockerfile).is_ok(),
                "the conversion does not parse:\n{}",
                outcome.conversion.dockerfile
            );
        }
    }
});
