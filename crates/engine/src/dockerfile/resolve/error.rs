//! Errors of the dispatch layer, with BuildKit's messages.

use thiserror::Error;

/// Why BuildKit would refuse to build the file although it parses.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct ResolveError {
    /// BuildKit's message.
    pub message: String,
    /// First line of the instruction at fault (0 when none).
    pub start_line: usize,
    /// Last line of the instruction at fault.
    pub end_line: usize,
}

impl ResolveError {
    pub(crate) fn new(message: impl Into<String>, start_line: usize, end_line: usize) -> Self {
        Self {
            message: message.into(),
            start_line,
            end_line: end_line.max(start_line),
        }
    }
}
