//! BK003: empty continuation line (BuildKit's `NoEmptyContinuation`).
//!
//! ## What it does
//! Reports an instruction continued with `\` across a line that is empty
//! or only whitespace. Comment lines inside a continuation are fine.
//!
//! ## Why is this bad?
//! The empty line is silently skipped today, but it reads as the end of the
//! instruction, and Docker has announced that it will become an error.
//!
//! ## Example
//! ```dockerfile
//! RUN apk add \
//!
//!     curl
//! ```
//!
//! ## Notes
//! One warning per instruction, on the instruction's last line, as
//! BuildKit reports it.
//! <https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/>

use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk003;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK003",
    aliases: &["NoEmptyContinuation"],
    name: "no-empty-continuation",
    title: "Empty continuation lines will become errors in a future release",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "An empty line inside a `\\` continuation is skipped today but reads as the end of the instruction, and Docker will make it an error. Reported on the instruction's last line, as BuildKit does. See <https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/>.",
    bad: "FROM alpine\nRUN apk add \\\n\n    curl\n",
    good: "FROM alpine\nRUN apk add \\\n    curl\n",
};

impl Rule for Bk003 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for warning in &cx.model.doc.warnings {
            out.push(
                cx.lines(
                    warning.end_line,
                    warning.end_line,
                    "Empty continuation line",
                )
                .with_fix("Remove the empty line, or end the instruction before it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn empty_continuation_lines_are_reported() {
        assert_lines(
            &Bk003,
            &[
                // BuildKit's testNoEmptyContinuation.
                (
                    "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n",
                    &[6],
                ),
                ("FROM a\nRUN a \\\n  # comment\n  b\n", &[]),
                ("FROM a\nRUN a \\\n   \t\n  b \\\n\n  c\n", &[6]),
                ("FROM a\nRUN a \\\n\n  b\nRUN c \\\n\n  d\n", &[4, 7]),
                ("FROM a\nONBUILD RUN a \\\n\n  b\n", &[4]),
            ],
        );
    }
}
