//! A conversion plan: the stages to write and where each line comes from.

use super::types::{ChangeKind, Confidence, Ecosystem};

/// A change to record, before output lines are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSpec {
    /// What kind of change.
    pub kind: ChangeKind,
    /// What changed.
    pub summary: String,
    /// Why.
    pub reason: String,
    /// Input lines it comes from.
    pub source_lines: Vec<usize>,
}

impl ChangeSpec {
    /// A change.
    pub fn new(
        kind: ChangeKind,
        summary: impl Into<String>,
        reason: impl Into<String>,
        source_lines: Vec<usize>,
    ) -> Self {
        Self {
            kind,
            summary: summary.into(),
            reason: reason.into(),
            source_lines,
        }
    }
}

/// Where a stage starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageFrom {
    /// The source stage's own `FROM` line, with the stage named as planned
    /// (flags and `ARG` parametrisation kept).
    Source,
    /// The source stage's `FROM` line with the image text replaced (the
    /// text may use the same `ARG`s: `python:${PY}-slim`).
    SourceImage(String),
    /// A new `FROM` line.
    Image {
        /// The image reference.
        image: String,
        /// `--platform`, if any.
        platform: Option<String>,
    },
}

/// One line (or instruction) of a planned stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An instruction of the input, verbatim, with the comments above it.
    Keep {
        /// Node index.
        node: usize,
        /// The change to record for it, if any.
        change: Option<ChangeSpec>,
    },
    /// An instruction of the input, rewritten (comments above it kept).
    Rewrite {
        /// Node index.
        node: usize,
        /// The new instruction text (without a trailing newline).
        text: String,
        /// Why.
        change: ChangeSpec,
    },
    /// A new instruction (text without a trailing newline; may span lines).
    Add {
        /// The instruction text.
        text: String,
        /// Why.
        change: ChangeSpec,
    },
    /// A comment line (text without `#`).
    Comment(String),
    /// An empty line.
    Blank,
}

/// One stage to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePlan {
    /// The stage name (`builder`, `deps`, `runtime`).
    pub name: String,
    /// Its `FROM`.
    pub from: StageFrom,
    /// Why the `FROM` is what it is.
    pub from_change: Option<ChangeSpec>,
    /// Its instructions.
    pub items: Vec<Item>,
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The strategy name.
    pub strategy: &'static str,
    /// How sure the strategy is.
    pub confidence: Confidence,
    /// The stages that replace the source stage, in order.
    pub stages: Vec<StagePlan>,
    /// Changes that produce no output line (instructions left out).
    pub notes: Vec<ChangeSpec>,
    /// Assumptions a person should check.
    pub assumptions: Vec<String>,
    /// Things that may behave differently.
    pub warnings: Vec<String>,
    /// Whether the output needs the `# syntax=docker/dockerfile:1` directive.
    pub needs_syntax: bool,
    /// Whether the strategy checked the port the application listens on
    /// against the runtime user itself (.NET's `ASPNETCORE_HTTP_PORTS`,
    /// nginx's port, Apache as www-data), so that the common warning about
    /// `EXPOSE`d ports below 1024 is not added.
    pub ports_checked: bool,
}

impl Plan {
    /// An empty plan.
    pub fn new(ecosystem: Ecosystem, strategy: &'static str, confidence: Confidence) -> Self {
        Self {
            ecosystem,
            strategy,
            confidence,
            stages: Vec::new(),
            notes: Vec::new(),
            assumptions: Vec::new(),
            warnings: Vec::new(),
            needs_syntax: false,
            ports_checked: false,
        }
    }
}
