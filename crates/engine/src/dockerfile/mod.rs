//! Dockerfile parsing, exactly as BuildKit does it, in BuildKit's three layers:
//! nodes ([`parse`]), typed instructions ([`instructions`]) and shell-word
//! expansion ([`shell`]).
//!
//! The node layer is lossless: every byte of the input belongs to a node or
//! to a line of trivia between nodes, so [`Document::print`] gives the input
//! back byte for byte.

mod args;
pub mod directives;
pub mod dump;
mod error;
pub mod export;
pub mod gotext;
pub mod heredoc;
pub mod instructions;
pub mod json_form;
mod node;
mod parser;
pub mod resolve;
pub mod shell;
pub mod source;
pub mod split;
pub mod words;

pub use directives::DirectiveKind;
pub use error::ParseError;
pub use node::{
    Directive, Document, Heredoc, Keyword, LineMap, Location, Node, Parts, Segment, Span, Trigger,
    Trivia, TriviaKind, Warning,
};

/// The default input size limit: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;

/// Limits for parsing untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Parses Dockerfile text with the default limits.
pub fn parse(text: &str) -> Result<Document, ParseError> {
    parse_with(text, &ParseOptions::default())
}

/// Parses Dockerfile text.
pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Document, ParseError> {
    let text = source::check_text(text, options.max_bytes)?;
    parser::parse_text(text)
}

/// Parses raw bytes, rejecting invalid UTF-8 with its byte offset.
pub fn parse_bytes(bytes: &[u8], options: &ParseOptions) -> Result<Document, ParseError> {
    let text = source::validate(bytes, options.max_bytes)?;
    parser::parse_text(text)
}
