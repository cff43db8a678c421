//! DL1000: the Dockerfile does not build.
//!
//! ## What it does
//! Reports what BuildKit rejects: a file that does not parse, an
//! instruction BuildKit refuses (unknown instruction, bad flag, wrong
//! number of arguments), and errors BuildKit would stop the build on
//! (undefined base image, a `COPY --from` of a later stage, ...). The
//! message is BuildKit's own.
//!
//! ## Why is this bad?
//! `docker build` fails on it.
//!
//! ## Where restage differs from hadolint
//! hadolint reports DL1000 when its own parser fails and then runs no other
//! rule. restage uses BuildKit's rules, so it accepts what Docker accepts
//! and rejects what Docker rejects, with Docker's message, and still runs
//! every other rule on the instructions it could read.

use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl1000;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL1000",
    aliases: &[],
    name: "buildkit-error",
    title: "The Dockerfile does not build",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports what BuildKit rejects, with BuildKit's own message: a file that does not parse, an instruction it refuses, or an error it stops the build on. Unlike hadolint, restage still runs every other rule on the rest of the file.",
    bad: "FROM alpine\nCOPY --from=later /app /app\nFROM alpine AS later\n",
    good: "FROM alpine AS later\nFROM alpine\nCOPY --from=later /app /app\n",
};

impl Rule for Dl1000 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for p in &cx.model.problems {
            out.push(match p.location.line {
                // An error of the whole file: its first line.
                0 => cx.lines(p.start_line.max(1), p.end_line.max(1), p.message.clone()),
                _ => Diagnostic::at(p.location, p.message.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn reports_what_buildkit_rejects() {
        assert_lines(
            &Dl1000,
            &[
                ("FROM a\nRUN x\n", &[]),
                ("FROM a\nFOO x\n", &[2]),
                ("RUN x\nFROM a\n", &[1]),
                ("ARG B\nFROM $B\n", &[2]),
                ("FROM a\nCOPY --from=b /x /y\nFROM c AS b\n", &[2]),
                // Only ARGs: BuildKit has no stage to build.
                ("ARG X=1\n", &[1]),
                ("# syntax=docker/dockerfile:1\nARG A\nARG B\n", &[1]),
            ],
        );
    }
}
