//! Errors of the shell-word lexer, with BuildKit's exact texts.

use crate::dockerfile::gotext::quote;

/// What went wrong while lexing or expanding a word.
///
/// The `Display` text of every variant is BuildKit's literal message (except
/// [`ShellErrorKind::TooDeep`], which BuildKit has no counterpart for).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellErrorKind {
    /// `${` at the end of the input, or a `${name<mod>...` word that runs
    /// into the end of the input.
    #[error("syntax error: missing '}}'")]
    MissingBrace,
    /// `${}`, `${:...}` or `${{...`.
    #[error("syntax error: bad substitution")]
    BadSubstitution,
    /// Any character after the name of `${name` that is not a supported
    /// modifier; `modifier` is that text (`=`, `:=`, `:#`, `a`, or U+FFFD for
    /// the end of the input, as Go prints it).
    #[error("unsupported modifier ({modifier}) in substitution")]
    UnsupportedModifier {
        /// The modifier text as BuildKit prints it.
        modifier: String,
    },
    /// A `'` without its closing `'`.
    #[error("unexpected end of statement while looking for matching single-quote")]
    UnterminatedSingleQuote,
    /// A `"` without its closing `"`.
    #[error("unexpected end of statement while looking for matching double-quote")]
    UnterminatedDoubleQuote,
    /// The end of the input was reached while looking for `stop`. BuildKit
    /// rewrites this into [`ShellErrorKind::MissingBrace`] /
    /// [`ShellErrorKind::MissingSlash`] in every reachable case; kept for
    /// completeness.
    #[error("unexpected end of statement while looking for matching {stop}")]
    UnexpectedEnd {
        /// The character that was being looked for.
        stop: char,
    },
    /// `${name/pattern` without the `/` that starts the replacement.
    #[error("syntax error: missing '/' in ${{}}")]
    MissingSlash,
    /// A glob pattern of `#`, `%` or `/` that cannot be converted.
    #[error("invalid pattern ({pattern}) in substitution: {reason}")]
    InvalidPattern {
        /// The pattern as BuildKit prints it (reversed for `%` / `%%`).
        pattern: String,
        /// Why, e.g. `invalid escape '\x'`.
        reason: String,
    },
    /// `${name?word}` / `${name:?word}` on an unset (or empty) variable.
    #[error("{name}: {message}")]
    Required {
        /// The variable name.
        name: String,
        /// The word, or `is not allowed to be unset` / `... empty`.
        message: String,
    },
    /// More nested `${...}` words or quotes than [`super::MAX_NESTING`].
    /// restage-specific guard against stack exhaustion; BuildKit has no cap.
    #[error("substitutions nested deeper than {limit} levels")]
    TooDeep {
        /// The nesting limit that was exceeded.
        limit: usize,
    },
    /// A word that takes in more than [`super::MAX_EXPANSION_BYTES`] of
    /// variable values. restage-specific guard against values that double
    /// on every `ENV`; BuildKit has no cap.
    #[error("variable expansion over {limit} bytes")]
    TooLong {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The expansions of a whole build producing more than
    /// [`crate::dockerfile::resolve::MAX_RESOLVED_BYTES`] together.
    /// restage-specific, as [`ShellErrorKind::TooLong`].
    #[error("variable expansions over {limit} bytes in all")]
    TooMuchInAll {
        /// The limit that was exceeded.
        limit: usize,
    },
}

/// A failed expansion: `failed to process "<input>": <message>`, exactly
/// as BuildKit words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to process {}: {message}", quote(.input))]
pub struct ShellError {
    input: String,
    kind: ShellErrorKind,
    message: String,
}

impl ShellError {
    /// Wraps `kind` for the word `input` that was being processed.
    pub fn new(input: &str, kind: ShellErrorKind) -> Self {
        let message = kind.to_string();
        ShellError {
            input: input.to_owned(),
            kind,
            message,
        }
    }

    /// The inner message alone, e.g. `syntax error: missing '}'`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The typed cause.
    pub fn kind(&self) -> &ShellErrorKind {
        &self.kind
    }

    /// The word whose processing failed.
    pub fn input(&self) -> &str {
        &self.input
    }
}
