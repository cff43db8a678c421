//! Every rule over the 599 corpus files: no crash, and the number of
//! findings per rule is pinned (a snapshot), so any change in what a rule
//! reports on real Dockerfiles is seen in review.

use std::collections::BTreeMap;
use std::fs;

use restage::lint::{LintConfig, lint_text, registry};

const CORPUS: &str = "../shared/corpus/files";

/// Every rule on, with the configuration its examples assume.
fn everything_on() -> LintConfig {
    let mut config = LintConfig {
        trusted_registries: vec![
            "docker.io".into(),
            "gcr.io".into(),
            "mcr.microsoft.com".into(),
        ],
        strict_labels: false,
        ..LintConfig::default()
    };
    for meta in registry::catalogue() {
        config
            .overrides
            .push((meta.code.to_string(), meta.severity));
    }
    config
}

#[test]
fn every_rule_runs_on_every_corpus_file() {
    let mut names: Vec<_> = fs::read_dir(CORPUS)
        .expect("corpus beside the checkout")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 599);
    let config = everything_on();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        let text = fs::read_to_string(format!("{CORPUS}/{name}")).expect("UTF-8 corpus file");
        for finding in lint_text(&text, &config) {
            assert!(
                finding.line >= 1 && finding.end_line >= finding.line,
                "{name}: {finding:?}"
            );
            assert!(!finding.message.is_empty(), "{name}: {finding:?}");
            *counts.entry(finding.code).or_default() += 1;
        }
    }
    insta::assert_json_snapshot!("corpus_findings_per_rule", counts);
}
