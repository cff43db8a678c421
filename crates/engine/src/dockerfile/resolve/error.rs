//! Errors of the dispatch layer, with BuildKit's messages.

use thiserror::Error;

use crate::dockerfile::{Document, Location};

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
    /// What is wrong in the source: the flag or mount option at fault,
    /// else the instruction's keyword (line 0 when there is no instruction).
    pub location: Location,
    /// What the error is about, until [`ResolveError::placed`] finds it.
    about: About,
}

/// The part of the instruction an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum About {
    Keyword,
    /// The value of the last flag with this name.
    Flag(&'static str),
    /// Inside the `n`-th flag with this name: this text, or its value.
    FlagPart(&'static str, usize, Option<String>),
}

impl ResolveError {
    pub(crate) fn new(message: impl Into<String>, start_line: usize, end_line: usize) -> Self {
        Self {
            message: message.into(),
            start_line,
            end_line: end_line.max(start_line),
            location: Location::default(),
            about: About::Keyword,
        }
    }

    /// The error is about the value of flag `--name`.
    pub(crate) fn about_flag(self, name: &'static str) -> Self {
        Self {
            about: About::Flag(name),
            ..self
        }
    }

    /// The error is about `part` (or the value) of the `n`-th `--name` flag.
    pub(crate) fn about_flag_part(
        self,
        name: &'static str,
        n: usize,
        part: Option<String>,
    ) -> Self {
        Self {
            about: About::FlagPart(name, n, part),
            ..self
        }
    }

    /// Fills in [`ResolveError::location`] from the instruction at
    /// `start_line` in `doc`.
    pub(crate) fn placed(self, doc: &Document) -> Self {
        let Some(node) = doc.nodes.iter().find(|n| n.start_line == self.start_line) else {
            return self;
        };
        let location = match &self.about {
            About::Keyword => node.keyword_location(),
            About::Flag(name) => node
                .flag_value_location(name)
                .unwrap_or_else(|| node.keyword_location()),
            About::FlagPart(name, n, part) => match node.nth_flag(name, *n) {
                Some(index) => node.flag_part_location(index, part.as_deref()),
                None => node.keyword_location(),
            },
        };
        Self { location, ..self }
    }
}
