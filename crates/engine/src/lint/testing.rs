//! Helpers for rule tests: run one rule over a Dockerfile.

use std::collections::BTreeMap;

use super::config::{LabelType, LintConfig};
use super::context::LintContext;
use super::rule::{Diagnostic, Rule};
use crate::model::Model;

/// A configuration that turns on every configurable rule, as the rule
/// documentation examples assume: trusted registry `docker.io`, an OCI
/// label schema, strict labels.
pub fn example_config() -> LintConfig {
    let schema: BTreeMap<String, LabelType> = [
        ("org.opencontainers.image.title", LabelType::Text),
        ("org.opencontainers.image.source", LabelType::Url),
        ("org.opencontainers.image.version", LabelType::Semver),
        ("org.opencontainers.image.revision", LabelType::Hash),
        ("org.opencontainers.image.created", LabelType::Rfc3339),
        ("org.opencontainers.image.licenses", LabelType::Spdx),
        ("org.opencontainers.image.authors", LabelType::Email),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    LintConfig {
        trusted_registries: vec!["docker.io".into()],
        label_schema: schema,
        strict_labels: true,
        ..LintConfig::default()
    }
}

/// The diagnostics of one rule on `text` with `config` (no suppression),
/// run as the engine runs it (not at all when the file runs none of the
/// rule's tools).
pub fn diagnostics_with(rule: &dyn Rule, text: &str, config: &LintConfig) -> Vec<Diagnostic> {
    let doc = match crate::dockerfile::parse(text) {
        Ok(doc) => doc,
        Err(e) => panic!("test Dockerfile must parse: {e}\n{text}"),
    };
    let model = Model::build(&doc);
    let cx = LintContext::new(&model, config);
    let mut out = Vec::new();
    cx.check(rule, &mut out);
    out
}

/// The diagnostics of one rule on `text` with the example configuration.
pub fn diagnostics(rule: &dyn Rule, text: &str) -> Vec<Diagnostic> {
    diagnostics_with(rule, text, &example_config())
}

/// The lines one rule reports on `text`.
pub fn lines(rule: &dyn Rule, text: &str) -> Vec<usize> {
    diagnostics(rule, text).iter().map(|d| d.line).collect()
}

/// Asserts the lines a rule reports for each Dockerfile of a table.
#[track_caller]
pub fn assert_lines(rule: &dyn Rule, table: &[(&str, &[usize])]) {
    for (text, want) in table {
        assert_eq!(lines(rule, text), *want, "{}:\n{text}", rule.meta().code);
    }
}
