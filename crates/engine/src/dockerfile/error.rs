//! Errors of the node layer: bad input bytes and BuildKit's parse errors.

use thiserror::Error;

use super::node::Location;

/// Why a Dockerfile could not be turned into nodes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// The input is larger than [`crate::dockerfile::ParseOptions::max_bytes`].
    #[error("input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// The input is not valid UTF-8.
    #[error("invalid UTF-8 at byte offset {offset} (line {line}, column {column})")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
    },
    /// The input contains a NUL byte, which no text Dockerfile does.
    #[error("NUL byte at byte offset {offset} (line {line}, column {column})")]
    NulByte {
        /// Byte offset of the NUL.
        offset: usize,
        /// 1-based line of the NUL.
        line: usize,
        /// 1-based column (in characters) of the NUL.
        column: usize,
    },
    /// BuildKit rejects the file; `message` is BuildKit's own text.
    #[error("{message}")]
    Syntax {
        /// BuildKit's message, e.g. `unterminated heredoc`.
        message: String,
        /// First line BuildKit reports for the error (BuildKit's numbering,
        /// which is 0-based for directive errors).
        start_line: usize,
        /// Last line BuildKit reports for the error.
        end_line: usize,
        /// What is wrong, in the source (1-based; line 0 for an error of
        /// the whole file).
        location: Location,
    },
}

impl ParseError {
    /// Builds a BuildKit syntax error with its location, the way BuildKit's
    /// `withLocation(err, start, end)` does (an end before the start means the start).
    /// `location` is what is wrong.
    pub(crate) fn syntax(
        message: impl Into<String>,
        start_line: usize,
        end_line: usize,
        location: Location,
    ) -> Self {
        Self::Syntax {
            message: message.into(),
            start_line,
            end_line: end_line.max(start_line),
            location,
        }
    }

    /// The line the error is reported at, as BuildKit reports it (0-based
    /// for directive errors); [`ParseError::location`] says where it is.
    pub fn line(&self) -> usize {
        match self {
            Self::TooLarge { .. } => 0,
            Self::InvalidUtf8 { line, .. } | Self::NulByte { line, .. } => *line,
            Self::Syntax { start_line, .. } => *start_line,
        }
    }

    /// Where the error is: the offending character (invalid UTF-8, NUL) or
    /// text (a flag, a heredoc marker, a directive's value, or else the
    /// instruction's keyword). `None` for an error of the whole file.
    pub fn location(&self) -> Option<Location> {
        match self {
            Self::TooLarge { .. } => None,
            Self::InvalidUtf8 { line, column, .. } | Self::NulByte { line, column, .. } => {
                Some(Location {
                    line: *line,
                    column: *column,
                    end_line: *line,
                    end_column: column + 1,
                })
            }
            Self::Syntax { location, .. } => Some(*location).filter(|l| l.line > 0),
        }
    }

    /// A stable machine-readable name for the kind of error.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too-large",
            Self::InvalidUtf8 { .. } => "invalid-utf8",
            Self::NulByte { .. } => "nul-byte",
            Self::Syntax { .. } => "syntax",
        }
    }
}
