//! DL4004: multiple `ENTRYPOINT` instructions.
//!
//! ## What it does
//! Reports every `ENTRYPOINT` of a stage after the first one.
//!
//! ## Why is this bad?
//! Only the last `ENTRYPOINT` of a stage takes effect; the earlier ones are dead
//! code that suggests otherwise.
//!
//! ## Notes
//! Like hadolint, the later instructions are reported (so existing `#
//! hadolint ignore=DL4004` comments keep working); the message names the
//! line of the one that is overridden. BuildKit's
//! `MultipleInstructionsDisallowed` reports the same problem at the
//! earlier instruction. A `ENTRYPOINT` inherited from a parent stage or the base
//! image is meant to be overridden and does not count.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl4004;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4004",
    aliases: &[],
    name: "multiple-entrypoint",
    title: "Multiple `ENTRYPOINT` instructions found",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Only the last `ENTRYPOINT` of a stage takes effect; earlier ones are dead code. The later ones are reported, as in hadolint.",
    bad: "FROM alpine:3.20\nENTRYPOINT [\"sh\"]\nENTRYPOINT [\"app\"]\n",
    good: "FROM alpine:3.20\nENTRYPOINT [\"app\"]\n",
};

impl Rule for Dl4004 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let mut previous: Option<usize> = None;
            for instruction in cx.stage_instructions(stage) {
                if instruction.keyword != Keyword::Entrypoint {
                    continue;
                }
                if let Some(line) = previous {
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect (this one overrides line {line})"
                            ),
                        )
                        .with_fix("Keep only the last ENTRYPOINT of the stage"),
                    );
                }
                previous = Some(instruction.start_line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn repeated() {
        assert_lines(
            &Dl4004,
            &[
                ("FROM a\nENTRYPOINT [\"a\"]\n", &[]),
                ("FROM a\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", &[3]),
                (
                    "FROM a\nENTRYPOINT a\nRUN x\nENTRYPOINT b\nENTRYPOINT c\n",
                    &[4, 5],
                ),
                ("FROM a AS b\nENTRYPOINT a\nFROM b\nENTRYPOINT c\n", &[]),
                ("FROM a\nENTRYPOINT a\nONBUILD ENTRYPOINT b\n", &[]),
            ],
        );
    }
}
