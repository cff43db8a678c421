//! The lint engine: hadolint's DL rules, BuildKit's build checks and
//! restage's own rules about size and stage structure, run over one shared
//! [`Model`](crate::model::Model).
//!
//! A rule is a unit ([`rule::Rule`]): metadata (code, aliases, name, title,
//! severity, category, documentation with a bad and a good example) and a
//! check that reads the model only. Suppression follows hadolint's pragmas
//! and BuildKit's `# check=` directive; configuration follows
//! `.hadolint.yaml`.

pub mod config;
pub mod context;
pub mod finding;
pub mod finding_json;
pub mod format;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod severities;
pub mod suppress;
#[cfg(test)]
pub mod testing;

pub use config::{LintConfig, Threshold};
pub use context::LintContext;
pub use finding::Finding;
pub use finding_json::findings_json;
pub use rule::{Category, Diagnostic, Fix, Origin, Rule, RuleMeta, Severity};

use crate::dockerfile::{self, ParseError};
use crate::model::Model;
use suppress::Suppressions;

/// Lints a model.
pub fn lint(model: &Model<'_>, config: &LintConfig) -> Vec<Finding> {
    let suppressions = Suppressions::read(model.doc, !config.disable_ignore_pragma);
    let cx = LintContext::new(model, config);
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    for (position, rule) in registry::all().enumerate() {
        let meta = rule.meta();
        let severity = match cx.severities.get(position) {
            Some(s) => s,
            None if !cx.severities.ignored(position) && suppressions.experimental_enabled(meta) => {
                meta.severity
            }
            None => continue,
        };
        cx.check(rule, &mut diagnostics);
        // Most rules find nothing; an empty `drain` still costs its setup.
        if diagnostics.is_empty() {
            continue;
        }
        for d in diagnostics.drain(..) {
            if !suppressions.suppresses(meta, d.line) {
                findings.push(Finding::new(meta, severity, d));
            }
        }
    }
    findings.sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
    findings
}

/// Lints Dockerfile text. Text that does not parse gives one `DL1000`
/// finding at the error, as hadolint does.
pub fn lint_text(text: &str, config: &LintConfig) -> Vec<Finding> {
    match dockerfile::parse(text) {
        Ok(doc) => lint(&Model::build(&doc), config),
        Err(err) => parse_error_finding(&err, config).into_iter().collect(),
    }
}

/// The `DL1000` finding for a parse error, unless `DL1000` is ignored.
pub fn parse_error_finding(err: &ParseError, config: &LintConfig) -> Option<Finding> {
    let meta = rules::hadolint::dl1000::META;
    let severity = config.severity_for(meta)?;
    let diagnostic = match err.location() {
        Some(location) => Diagnostic::at(location, err.to_string()),
        // An error of the whole file (no instructions): line 1, no width.
        None => Diagnostic {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            message: err.to_string(),
            fix: None,
        },
    };
    Some(Finding::new(meta, severity, diagnostic))
}
