//! Fuzzes the node parser: no panic on any bytes, and every accepted input
//! prints back byte for byte, dumps and serialises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::dockerfile::{self, dump::dump, export::DocumentJson};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = dockerfile::parse_bytes(data, &Default::default()) else {
        return;
    };
    assert_eq!(doc.print().as_bytes(), data);
    let mut pos = 0;
    for segment in doc.segments() {
        assert_eq!(segment.span().start, pos);
        pos = segment.span().end;
    }
    assert_eq!(pos, data.len());
    let _ = dump(&doc);
    let _ = serde_json::to_string(&DocumentJson::new(&doc));
});
