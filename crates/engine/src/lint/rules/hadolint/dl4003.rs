//! DL4003: multiple `CMD` instructions.
//!
//! ## What it does
//! Reports every `CMD` of a stage after the first one.
//!
//! ## Why is this bad?
//! Only the last `CMD` of a stage takes effect; the earlier ones are dead
//! code that suggests otherwise.
//!
//! ## Notes
//! Like hadolint, the later instructions are reported (so existing `#
//! hadolint ignore=DL4003` comments keep working); the message names the
//! line of the one that is overridden. BuildKit's
//! `MultipleInstructionsDisallowed` reports the same problem at the
//! earlier instruction. A `CMD` inherited from a parent stage or the base
//! image is meant to be overridden and does not count.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl4003;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4003",
    aliases: &[],
    name: "multiple-cmd",
    title: "Multiple `CMD` instructions found",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Only the last `CMD` of a stage takes effect; earlier ones are dead code. The later ones are reported, as in hadolint.",
    bad: "FROM alpine:3.20\nCMD [\"sh\"]\nCMD [\"app\"]\n",
    good: "FROM alpine:3.20\nCMD [\"app\"]\n",
};

impl Rule for Dl4003 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            let mut previous: Option<usize> = None;
            for instruction in cx.stage_instructions(stage) {
                if instruction.keyword != Keyword::Cmd {
                    continue;
                }
                if let Some(line) = previous {
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect (this one overrides line {line})"
                            ),
                        )
                        .with_fix("Keep only the last CMD of the stage"),
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
            &Dl4003,
            &[
                ("FROM a\nCMD [\"a\"]\n", &[]),
                ("FROM a\nCMD [\"a\"]\nCMD [\"b\"]\n", &[3]),
                ("FROM a\nCMD a\nRUN x\nCMD b\nCMD c\n", &[4, 5]),
                ("FROM a AS b\nCMD a\nFROM b\nCMD c\n", &[]),
                ("FROM a\nCMD a\nONBUILD CMD b\n", &[]),
            ],
        );
    }
}
