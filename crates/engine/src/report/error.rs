//! Why an input cannot be analysed, with where.

use serde::Serialize;
use thiserror::Error;

use crate::dockerfile::ParseError;

/// An input restage cannot analyse.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum InputError {
    /// No instructions at all (empty, blank, or only comments).
    #[error("the Dockerfile has no instructions")]
    Empty,
    /// Larger than the limit.
    #[error("the Dockerfile is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Not text, or not a Dockerfile BuildKit accepts.
    #[error("line {line}, column {column}: {message}")]
    Invalid {
        /// What is wrong (BuildKit's message for syntax errors).
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl From<ParseError> for InputError {
    fn from(err: ParseError) -> Self {
        match err {
            ParseError::TooLarge { size, limit } => Self::TooLarge { size, limit },
            ParseError::InvalidUtf8 { line, column, .. } => Self::Invalid {
                message: "the input is not UTF-8 text".into(),
                line,
                column,
            },
            ParseError::NulByte { line, column, .. } => Self::Invalid {
                message: "the input contains a NUL byte; a Dockerfile is text".into(),
                line,
                column,
            },
            ParseError::Syntax { message, .. } if message == "file with no instructions" => {
                Self::Empty
            }
            ParseError::Syntax {
                message, location, ..
            } => Self::Invalid {
                message,
                // An error of the whole file (a line over the limit) has
                // line 0: the first line then.
                line: location.line.max(1),
                column: location.column.max(1),
            },
        }
    }
}
