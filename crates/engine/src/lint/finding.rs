//! A finding: one rule's report at one place, as every format prints it.

use serde::{Deserialize, Serialize};

use super::rule::{Fix, Origin, RuleMeta, Severity};

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// The rule's code (`DL3008`, `BK011`, `RS003`).
    pub code: String,
    /// Its other names (BuildKit check names).
    pub aliases: Vec<String>,
    /// Its kebab-case name.
    pub name: String,
    /// Which rule set it comes from.
    pub origin: Origin,
    /// Severity after configuration.
    pub severity: Severity,
    /// First line (1-based).
    pub line: usize,
    /// First column (1-based).
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the end.
    pub end_column: usize,
    /// What is wrong here.
    pub message: String,
    /// How to fix it.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding of `meta` from a diagnostic.
    pub fn new(meta: &RuleMeta, severity: Severity, d: super::rule::Diagnostic) -> Self {
        Self {
            code: meta.code.to_string(),
            aliases: meta.aliases.iter().map(|a| a.to_string()).collect(),
            name: meta.name.to_string(),
            origin: meta.origin,
            severity,
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            message: d.message,
            fix: d.fix,
        }
    }
}
