//! Fuzzes all three parser layers: nodes, typed instructions and the
//! dispatch semantics (stage graph, scopes, expansion). No panic, whatever
//! the input; every layer either succeeds or returns its error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::dockerfile::{self, instructions::parse_instructions, resolve};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = dockerfile::parse_bytes(data, &Default::default()) else {
        return;
    };
    let Ok(instructions) = parse_instructions(&doc) else {
        return;
    };
    let _ = resolve::resolve(&doc, &instructions, &Default::default());
});
