//! What a rule is: its metadata and its check.

use serde::{Deserialize, Serialize};

use super::context::LintContext;
use crate::model::tools::Tool;

/// How serious a finding is. Ordered from most to least severe, as
/// hadolint orders them (`error < warning < info < style`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build is wrong or will fail.
    Error,
    /// Likely a mistake or a real cost.
    Warning,
    /// Worth knowing; often a size or maintainability improvement.
    Info,
    /// Style.
    Style,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Style => "style",
        }
    }

    /// Parses `error`, `warning`, `info` or `style`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            "style" => Some(Self::Style),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The build or the image does not do what it should.
    Correctness,
    /// Secrets, privileges, untrusted sources.
    Security,
    /// Image size and layer bloat.
    Size,
    /// Reproducibility and ease of change.
    Maintainability,
    /// Consistent writing.
    Style,
}

/// Which rule set a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// hadolint's DL rules.
    Hadolint,
    /// BuildKit's build checks.
    Buildkit,
    /// restage's own rules.
    Restage,
}

/// A rule's metadata: the single source for lint output, the rule pages
/// and the rule catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// The code: hadolint's `DLxxxx`, `BKxxx` for BuildKit checks,
    /// `RSxxx` for restage's own rules.
    pub code: &'static str,
    /// Other names that select the rule (BuildKit check names, hadolint
    /// codes of merged rules).
    pub aliases: &'static [&'static str],
    /// A kebab-case name.
    pub name: &'static str,
    /// One line saying what is wrong.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What the rule is about.
    pub category: Category,
    /// Which rule set it belongs to.
    pub origin: Origin,
    /// Whether it runs unless enabled by configuration.
    pub enabled_by_default: bool,
    /// Documentation (Markdown): why it matters, and where restage differs
    /// from hadolint or BuildKit.
    pub doc: &'static str,
    /// A Dockerfile that triggers the rule.
    pub bad: &'static str,
    /// The same Dockerfile written so that it does not.
    pub good: &'static str,
}

impl RuleMeta {
    /// Whether `name` selects this rule (code, alias or kebab-case name;
    /// codes and aliases case-insensitively).
    pub fn matches(&self, name: &str) -> bool {
        self.code.eq_ignore_ascii_case(name)
            || self.name == name
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// A fix hint: what to change, and optionally the replacement text for the
/// instruction's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fix {
    /// What to do, for a person.
    pub title: String,
    /// Text that replaces the whole instruction, when the fix is mechanical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

/// What a rule reports; the engine adds the rule's code and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// First line (1-based).
    pub line: usize,
    /// First column (1-based, in characters).
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column just past the end.
    pub end_column: usize,
    /// The message.
    pub message: String,
    /// A fix hint.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic spanning whole lines `start..=end`.
    ///
    /// This scans `source` for the last line; rules use
    /// [`LintContext::lines`](super::context::LintContext::lines), which
    /// does not (a file with thousands of findings would be quadratic).
    pub fn lines(source: &str, start: usize, end: usize, message: impl Into<String>) -> Self {
        let end = end.max(start);
        let end_column = source
            .lines()
            .nth(end.saturating_sub(1))
            .map_or(1, |l| l.trim_end_matches('\r').chars().count() + 1);
        Self::spanning(start, end, end_column, message)
    }

    /// A diagnostic from line `start`, column 1 to line `end` (at least
    /// `start`), column `end_column`.
    pub fn spanning(
        start: usize,
        end: usize,
        end_column: usize,
        message: impl Into<String>,
    ) -> Self {
        let end = end.max(start);
        Self {
            line: start,
            column: 1,
            end_line: end,
            end_column,
            message: message.into(),
            fix: None,
        }
    }

    /// A diagnostic covering `location` (at least one character).
    pub fn at(location: crate::dockerfile::Location, message: impl Into<String>) -> Self {
        let end_line = location.end_line.max(location.line);
        let end_column = match end_line == location.line {
            true => location.end_column.max(location.column + 1),
            false => location.end_column,
        };
        Self {
            line: location.line,
            column: location.column,
            end_line,
            end_column,
            message: message.into(),
            fix: None,
        }
    }

    /// Adds a fix hint.
    pub fn with_fix(mut self, title: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            replacement: None,
        });
        self
    }

    /// Adds a fix with replacement text for the instruction.
    pub fn with_replacement(
        mut self,
        title: impl Into<String>,
        replacement: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            replacement: Some(replacement.into()),
        });
        self
    }
}

/// A lint rule: metadata plus a check over the model.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// Reports every violation in the file.
    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>);

    /// The tools whose commands the rule reports on. When it names any, it
    /// finds nothing in a file whose `RUN`s (and `ONBUILD RUN`s) run none
    /// of them, and the engine does not run it there
    /// ([`LintContext::runs_any`]). Empty: it always runs.
    fn tools(&self) -> &'static [Tool] {
        &[]
    }
}
