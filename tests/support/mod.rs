//! Shared test helpers: fixture discovery and conversion invariants.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use restage::convert::{Conversion, ConvertOptions, convert_text};
use restage::lint::{LintConfig, Severity, lint_text};

/// Every `*.Dockerfile` under `dir`.
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "Dockerfile") {
            out.push(p);
        }
    }
}

/// What every successful conversion must satisfy: the output parses,
/// converting it again changes nothing, it has no error-level lint
/// finding the input did not have, and its final stage installs no
/// compiler or development package.
pub fn check_invariants(name: &str, input: &str, c: &Conversion) {
    let doc = restage::dockerfile::parse(&c.dockerfile)
        .unwrap_or_else(|e| panic!("{name}: output does not parse: {e}\n{}", c.dockerfile));
    let again = convert_text(&c.dockerfile, &ConvertOptions::default()).unwrap_or_else(|r| {
        panic!(
            "{name}: converting the output again is refused: {r}\n{}",
            c.dockerfile
        )
    });
    assert!(
        again.conversion.unchanged,
        "{name}: converting the output again changes it:\n{}\n---\n{}",
        c.dockerfile, again.conversion.dockerfile
    );
    let errors = |text: &str| -> Vec<String> {
        lint_text(text, &LintConfig::default())
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect()
    };
    let before = errors(input);
    let new: Vec<String> = errors(&c.dockerfile)
        .into_iter()
        .filter(|code| !before.contains(code))
        .collect();
    assert!(
        new.is_empty(),
        "{name}: the output has new error-level findings {new:?}\n{}",
        c.dockerfile
    );
    let model = restage::model::Model::build(&doc);
    if let Some(stage) = model.stages.last() {
        let bloat = restage::convert::minimal::bloat(&model, stage);
        assert!(
            bloat.is_empty(),
            "{name}: the final stage is not minimal: {bloat:?}\n{}",
            c.dockerfile
        );
    }
}
