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

    /// Where each kind of error points: (text, line, column, end column,
    /// message). Columns count characters; the end is one past the last.
    #[test]
    fn errors_point_at_what_is_wrong() {
        let table: &[(&str, usize, usize, usize, &str)] = &[
            // A flag's bad value.
            (
                "FROM alpine:3.20\nHEALTHCHECK --interval=abc CMD true\n",
                2,
                24,
                27,
                "dockerfile parse error on line 2: time: invalid duration \"abc\"",
            ),
            // An unknown flag: the whole flag.
            (
                "FROM a\nCOPY --chwon=1 a b\n",
                2,
                6,
                15,
                "dockerfile parse error on line 2: unknown flag: --chwon (did you mean chmod?)",
            ),
            // A bool flag with a bad value.
            (
                "FROM a\nCOPY --link=yes a b\n",
                2,
                6,
                16,
                "dockerfile parse error on line 2: expecting boolean value for flag --link, not: yes",
            ),
            // The mount option at fault.
            (
                "FROM a\nRUN --mount=type=bogus,target=/x true\n",
                2,
                13,
                23,
                "unsupported mount type \"bogus\"",
            ),
            // The mount option `from=` with a variable.
            (
                "FROM a\nRUN --mount=type=bind,from=a$b,target=/x true\n",
                2,
                23,
                31,
                "dockerfile parse error on line 2: 'from' doesn't support variable expansion, define alias stage instead",
            ),
            // The quote a mount's CSV trips on, under its escape.
            (
                "FROM a\nRUN --mount=\\\"a\\\"b true\n",
                2,
                17,
                18,
                "dockerfile parse error on line 2: failed to parse csv mounts: parse error on line 1, column 3: extraneous or missing \" in quoted-field",
            ),
            // A device's, likewise.
            (
                "FROM a\nRUN --device=x,\\\"b true\n",
                2,
                18,
                19,
                "dockerfile parse error on line 2: failed to parse csv devices: parse error on line 1, column 4: extraneous or missing \" in quoted-field",
            ),
            // The unterminated heredoc's marker, the second of two.
            (
                "FROM a\nRUN <<A <<'B'\nx\nA\n",
                2,
                9,
                14,
                "unterminated heredoc",
            ),
            // A JSON array that is not all strings.
            (
                "FROM a\nCMD [1, 2]\n",
                2,
                5,
                11,
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            // An unknown instruction: its word.
            (
                "FROM a\nFOO bar\n",
                2,
                1,
                4,
                "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)",
            ),
            // Indented with spaces, and with a tab (one column).
            (
                "FROM a\n    FOO bar\n",
                2,
                5,
                8,
                "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)",
            ),
            (
                "FROM a\n\tCMD [1]\n",
                2,
                6,
                9,
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            // A bad escape directive: its value; a repeated one: its name.
            (
                "# escape=x\nFROM a\n",
                1,
                10,
                11,
                "invalid escape token 'x' does not match ` or \\",
            ),
            (
                "# escape=\\\n#  escape=`\nFROM a\n",
                2,
                4,
                10,
                "only one escape parser directive can be used",
            ),
            // The backtick escape continues the line: the flag is on line 4.
            (
                "# escape=`\nFROM a\nHEALTHCHECK `\n  --interval=1x CMD true\n",
                4,
                14,
                16,
                "dockerfile parse error on line 3: time: unknown unit \"x\" in duration \"1x\"",
            ),
            // On a continued line, after a comment and a blank line.
            (
                "FROM a\nRUN --mount=type=cache,target=/x \\\n# c\n\n    --network=bogus true\n",
                5,
                15,
                20,
                "dockerfile parse error on line 2: invalid network mode \"bogus\"",
            ),
            // Characters of two bytes before the error count as one column.
            (
                "FROM a\nENV é=ü B\n",
                2,
                9,
                10,
                "Syntax error - can't find = in \"B\". Must be of the form: name=value",
            ),
            // The argument that makes the count wrong.
            (
                "FROM a b\n",
                1,
                8,
                9,
                "dockerfile parse error on line 1: FROM requires either one or three arguments",
            ),
            (
                "FROM a AS 1x\n",
                1,
                11,
                13,
                "dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            ),
            (
                "FROM a\nONBUILD ONBUILD RUN x\n",
                2,
                9,
                16,
                "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            // A stage named before it is defined: the `--from` value.
            (
                "FROM a\nCOPY --from=later /a /b\nFROM b AS later\n",
                2,
                13,
                18,
                "cannot copy from stage \"later\", it needs to be defined before current stage \"stage-0\"",
            ),
            // Nothing narrower known: the keyword.
            (
                "FROM a\n  ADD x\n",
                2,
                3,
                6,
                "dockerfile parse error on line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
        ];
        let config = crate::lint::LintConfig::default();
        for &(text, line, column, end_column, message) in table {
            let found: Vec<_> = crate::lint::lint_text(text, &config)
                .into_iter()
                .filter(|f| f.code == "DL1000")
                .map(|f| (f.line, f.column, f.end_column, f.message))
                .collect();
            assert_eq!(
                found,
                [(line, column, end_column, message.to_string())],
                "{text:?}"
            );
        }
    }
}
