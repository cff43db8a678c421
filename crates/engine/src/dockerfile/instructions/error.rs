//! The typed layer's error.

use thiserror::Error;

use crate::dockerfile::{Location, Node};

/// Why a node is not a valid instruction, with BuildKit's message.
///
/// Displayed as BuildKit prints it: `dockerfile parse error on line N: msg`,
/// except for `no build stage in current context`, which BuildKit reports
/// without that prefix (`parse_error` is `false`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.render())]
pub struct InstructionError {
    /// BuildKit's message, e.g. `unknown flag: --chwon (did you mean chown?)`.
    pub message: String,
    /// The instruction's first line (1-based); the line BuildKit reports.
    pub start_line: usize,
    /// The instruction's last line.
    pub end_line: usize,
    /// Whether BuildKit wraps the message as a `dockerfile parse error`.
    pub parse_error: bool,
    /// What is wrong in the source: the flag, option or argument at fault,
    /// else the instruction's keyword.
    pub location: Location,
}

impl InstructionError {
    /// A parse error for `node`, at its keyword.
    pub(crate) fn at(node: &Node, message: impl Into<String>) -> Self {
        Self::located(node, node.keyword_location(), message)
    }

    /// A parse error for `node`, about the text at `location`.
    pub(crate) fn located(node: &Node, location: Location, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            start_line: node.start_line,
            end_line: node.end_line,
            parse_error: true,
            location,
        }
    }

    /// BuildKit's `no build stage in current context` for `node`.
    pub(crate) fn no_stage(node: &Node) -> Self {
        Self {
            parse_error: false,
            ..Self::at(node, "no build stage in current context")
        }
    }

    fn render(&self) -> String {
        if self.parse_error {
            format!(
                "dockerfile parse error on line {}: {}",
                self.start_line, self.message
            )
        } else {
            self.message.clone()
        }
    }
}
