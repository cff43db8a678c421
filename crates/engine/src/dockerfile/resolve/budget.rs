//! A bound on how much text a build's expansions produce in all.
//!
//! Each word's expansion is bounded by the lexer
//! ([`crate::dockerfile::shell::MAX_EXPANSION_BYTES`]), but the results are
//! kept per instruction, so `ENV P=$P:more` repeated thousands of times
//! keeps a quadratic amount of text: 100 KB of such lines held 480 MB.
//! BuildKit has no bound; restage stops expanding at
//! [`MAX_RESOLVED_BYTES`]: sixteen times the largest Dockerfile the service
//! accepts, hundreds of times what a real one expands to.

use std::cell::Cell;
use std::rc::Rc;

use crate::dockerfile::shell::{Env, Expansion, Lexer, ShellError, ShellErrorKind};

/// The most text all of a build's expansions may produce together.
pub const MAX_RESOLVED_BYTES: usize = 4 << 20;

/// A lexer whose results count against a budget shared with its clones.
#[derive(Debug, Clone)]
pub(super) struct Budgeted {
    lex: Lexer,
    spent: Rc<Cell<usize>>,
}

impl Budgeted {
    /// `lex` with a budget of its own.
    pub(super) fn new(lex: Lexer) -> Self {
        Self {
            lex,
            spent: Rc::default(),
        }
    }

    /// `lex` sharing this lexer's budget.
    pub(super) fn sharing(&self, lex: Lexer) -> Self {
        Self {
            lex,
            spent: Rc::clone(&self.spent),
        }
    }

    /// [`Lexer::process_unsplit`] (the result and the names; every caller
    /// but [`Budgeted::process_words`] reads only those), or
    /// [`ShellErrorKind::TooMuchInAll`] once the results so far reach
    /// [`MAX_RESOLVED_BYTES`].
    pub(super) fn process<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<Expansion, ShellError> {
        let out = self.lex.process_unsplit(input, env)?;
        self.charge(input, out)
    }

    /// Counts an expansion's result against the budget.
    fn charge(&self, input: &str, out: Expansion) -> Result<Expansion, ShellError> {
        let spent = self.spent.get().saturating_add(out.result.len());
        if spent > MAX_RESOLVED_BYTES {
            return Err(ShellError::new(
                input,
                ShellErrorKind::TooMuchInAll {
                    limit: MAX_RESOLVED_BYTES,
                },
            ));
        }
        self.spent.set(spent);
        Ok(out)
    }

    /// [`Lexer::process_word`], within the budget.
    pub(super) fn process_word<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<String, ShellError> {
        self.process(input, env).map(|e| e.result)
    }

    /// [`Lexer::process_words`], within the budget.
    pub(super) fn process_words<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<Vec<String>, ShellError> {
        let out = self.lex.process(input, env)?;
        self.charge(input, out).map(|e| e.words)
    }
}
