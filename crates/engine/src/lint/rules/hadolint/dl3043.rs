//! DL3043: `ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD`.
//!
//! ## What it does
//! Reports `ONBUILD ONBUILD ...`, `ONBUILD FROM ...` and `ONBUILD
//! MAINTAINER ...`.
//!
//! ## Why is this bad?
//! Docker does not allow these triggers: BuildKit rejects the instruction
//! (`Chaining ONBUILD via ONBUILD ONBUILD isn't allowed`, `FROM isn't
//! allowed as an ONBUILD trigger`), so the image does not build.
//!
//! ## Notes
//! The keyword is matched case-insensitively, as BuildKit does. DL1000
//! reports BuildKit's own error for the same line.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3043;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3043",
    aliases: &[],
    name: "onbuild-forbidden-trigger",
    title: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed: BuildKit rejects them and the image does not build.",
    bad: "FROM alpine:3.20\nONBUILD FROM alpine:3.20\n",
    good: "FROM alpine:3.20\nONBUILD RUN echo child build\n",
};

impl Rule for Dl3043 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.with_keyword(Keyword::Onbuild) {
            let Some(trigger) = cx
                .model
                .doc
                .nodes
                .get(instruction.node)
                .and_then(|n| n.trigger())
            else {
                continue;
            };
            if matches!(
                trigger.kind,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "`{}` triggered from within `ONBUILD` instruction: Docker does not allow `ONBUILD`, `FROM` or `MAINTAINER` as a trigger",
                            trigger.keyword.to_ascii_uppercase()
                        ),
                    )
                    .with_fix("Remove the instruction, or move it out of ONBUILD"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn forbidden_triggers() {
        assert_lines(
            &Dl3043,
            &[
                ("FROM a\nONBUILD ONBUILD RUN x\n", &[2]),
                ("FROM a\nONBUILD FROM b\n", &[2]),
                ("FROM a\nonbuild maintainer me\n", &[2]),
                ("FROM a\nONBUILD RUN x\nONBUILD COPY a b\n", &[]),
            ],
        );
    }
}
