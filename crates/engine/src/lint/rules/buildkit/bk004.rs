//! BK004: instructions should use one casing (BuildKit's
//! `ConsistentInstructionCasing`).
//!
//! ## What it does
//! Counts the instruction keywords of every stage (each `FROM` and each
//! instruction after it) written all lower case and all upper case. The
//! majority is lower case only when strictly more keywords are lower case.
//! Every keyword not in the majority case is reported, and so is every
//! mixed-case keyword (`From`, `Run`).
//!
//! ## Why is this bad?
//! Keywords are case-insensitive, but a file that mixes `RUN` and `run`
//! is harder to scan, and mixed case usually means copy-paste from
//! different sources.
//!
//! ## Notes
//! As in BuildKit, `ARG`s before the first `FROM` are neither counted nor
//! checked, and an `ONBUILD` counts as `ONBUILD` (its trigger's keyword is
//! not looked at).
//! <https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/>

use super::common::{consistent_casing, go_lower, go_upper, is_go_lower, is_go_upper};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk004;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK004",
    aliases: &["ConsistentInstructionCasing"],
    name: "consistent-instruction-casing",
    title: "All commands within the Dockerfile should use the same casing (either upper or lower)",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "Keywords are case-insensitive, but mixing `RUN` and `run` makes a file harder to read. The majority case of the stages' keywords wins (upper case on a tie); mixed-case keywords are always reported; global ARGs are not counted, as in BuildKit. See <https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/>.",
    bad: "FROM alpine\nrun echo hi\nCOPY . /app\n",
    good: "FROM alpine\nRUN echo hi\nCOPY . /app\n",
};

impl Rule for Bk004 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // (keyword as written, first line, last line), in file order.
        let mut keywords: Vec<(&str, usize, usize)> = Vec::new();
        for stage in cx.stages() {
            for index in std::iter::once(stage.node).chain(stage.instructions.iter().copied()) {
                if let Some(node) = cx.model.doc.nodes.get(index) {
                    keywords.push((node.keyword.as_str(), node.start_line, node.end_line));
                }
            }
        }
        let (mut lower, mut upper) = (0usize, 0usize);
        for (keyword, _, _) in &keywords {
            if consistent_casing(keyword) {
                if is_go_lower(keyword) {
                    lower += 1;
                } else {
                    upper += 1;
                }
            }
        }
        let majority_lower = lower > upper;
        for (keyword, start, end) in keywords {
            let (matches, casing) = if majority_lower {
                (is_go_lower(keyword), "lowercase")
            } else {
                (is_go_upper(keyword), "uppercase")
            };
            if !matches {
                let want = if majority_lower {
                    go_lower(keyword)
                } else {
                    go_upper(keyword)
                };
                out.push(
                    cx.lines(start,
                        end,
                        format!(
                            "Command '{keyword}' should match the case of the command majority ({casing})"
                        ),
                    )
                    .with_fix(format!("Write `{want}`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn minority_and_mixed_keywords_are_reported() {
        // BuildKit's testConsistentInstructionCasing.
        assert_lines(
            &Bk004,
            &[
                (
                    "\n# warning\n#\nFrom scratch as base\nFROM scratch AS base2\n",
                    &[4],
                ),
                (
                    "\nFROM scratch\n# warning\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
                    &[4],
                ),
                (
                    "\n# warning\n#\nfrOM scratch as base\nfrom scratch as base2\n",
                    &[4],
                ),
                (
                    "\nfrom scratch\n# warning\nCOPY Dockerfile /foo\ncopy Dockerfile /bar\n",
                    &[4],
                ),
                (
                    "\n# warning\n#\nfrom scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\nCOPY Dockerfile /baz\n",
                    &[4],
                ),
                (
                    "\n# warning\n#\nFROM scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\ncopy Dockerfile /baz\n",
                    &[4],
                ),
                (
                    "\nfrom scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n",
                    &[],
                ),
                (
                    "\nFROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n",
                    &[],
                ),
                ("\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n", &[]),
                // Global ARGs are not counted or checked.
                ("arg A=1\narg B=2\nFROM alpine\nRUN x\n", &[]),
                ("ARG A=1\nfrom alpine\nrun x\n", &[]),
                // Multi-stage, ONBUILD.
                (
                    "FROM a AS b\nrun x\nFROM b\nonbuild run y\nrun z\n",
                    &[1, 3],
                ),
                ("FROM a\nONBUILD run y\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let d = diagnostics(
            &Bk004,
            "\nFROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
        );
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some("Command 'copy' should match the case of the command majority (uppercase)")
        );
        let d = diagnostics(&Bk004, "frOM scratch as base\nfrom scratch as base2\n");
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some("Command 'frOM' should match the case of the command majority (lowercase)")
        );
    }
}
