//! DL3012: multiple HEALTHCHECK instructions.
//!
//! ## What it does
//! Reports a `HEALTHCHECK` that follows another one in the same stage.
//!
//! ## Why is this bad?
//! Only the last `HEALTHCHECK` of a stage takes effect; the earlier ones
//! are dead code that readers may believe is active.
//!
//! ## Notes
//! As in hadolint, the later `HEALTHCHECK` is reported (BuildKit's
//! `MultipleInstructionsDisallowed` reports the earlier one). A
//! `HEALTHCHECK` that overrides one of a stage this stage builds on is
//! fine: that is how a base's check is replaced. `ONBUILD HEALTHCHECK` is
//! not counted.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3012;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3012",
    aliases: &[],
    name: "multiple-healthchecks",
    title: "Multiple HEALTHCHECK instructions",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a second `HEALTHCHECK` in a stage: only the last one takes effect, so the earlier one is dead code. Replacing a base stage's check in a stage built on it is fine.",
    bad: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/health\"]\n",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/health\"]\n",
};

impl Rule for Dl3012 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let mut first: Option<usize> = None;
            for instruction in cx.stage_instructions(stage) {
                if instruction.keyword != Keyword::Healthcheck {
                    continue;
                }
                match first {
                    None => first = Some(instruction.start_line),
                    Some(line) => out.push(
                        cx.at(
                            instruction,
                            format!(
                                "Multiple `HEALTHCHECK` instructions: this one overrides the one on line {line}"
                            ),
                        )
                        .with_fix("Keep a single HEALTHCHECK per stage"),
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn second_healthcheck_is_reported() {
        assert_lines(
            &Dl3012,
            &[
                ("FROM a:1\nHEALTHCHECK CMD x\n", &[]),
                ("FROM a:1\nHEALTHCHECK CMD x\nHEALTHCHECK NONE\n", &[3]),
                (
                    "FROM a:1\nHEALTHCHECK CMD x\nHEALTHCHECK CMD y\nHEALTHCHECK CMD z\n",
                    &[3, 4],
                ),
                (
                    "FROM a:1 AS b\nHEALTHCHECK CMD x\nFROM b\nHEALTHCHECK CMD y\n",
                    &[],
                ),
                (
                    "FROM a:1\nONBUILD HEALTHCHECK CMD x\nHEALTHCHECK CMD y\n",
                    &[],
                ),
            ],
        );
    }
}
