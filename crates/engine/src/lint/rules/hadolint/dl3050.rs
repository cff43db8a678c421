//! DL3050: superfluous label present.
//!
//! ## What it does
//! With `strict-labels` on, reports `LABEL`s that set a key the label
//! schema does not list.
//!
//! ## Why is this bad?
//! Teams that use a strict schema want every label to be one they know
//! about; others are typos or leftovers (`maintaner`, `version2`).
//!
//! ## Notes
//! Does nothing unless `strict-labels` is on. The message names the keys.

use super::labels_b::label_instructions;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3050;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3050",
    aliases: &[],
    name: "label-superfluous",
    title: "Superfluous label(s) present",
    severity: Severity::Info,
    category: Category::Style,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "With strict labels on, every label key must be in the label schema; others are typos or leftovers.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=app maintainer=jane\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=app\n",
};

impl Rule for Dl3050 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.config.strict_labels {
            return;
        }
        for (instruction, labels) in label_instructions(cx) {
            let extra: Vec<String> = labels
                .iter()
                .filter(|l| !cx.config.label_schema.contains_key(&l.key))
                .map(|l| format!("`{}`", l.key))
                .collect();
            if !extra.is_empty() {
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "Superfluous label(s) present: {} not in the label schema",
                            extra.join(", ")
                        ),
                    )
                    .with_fix("Remove the label, or add it to the label schema"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics_with};

    #[test]
    fn labels_outside_the_schema() {
        assert_lines(
            &Dl3050,
            &[
                ("FROM a\nLABEL org.opencontainers.image.title=x\n", &[]),
                (
                    "FROM a\nLABEL org.opencontainers.image.title=x other=1\n",
                    &[2],
                ),
                ("FROM a\nLABEL a=1\nLABEL b=2\n", &[2, 3]),
            ],
        );
        assert!(
            diagnostics_with(&Dl3050, "FROM a\nLABEL a=1\n", &LintConfig::default()).is_empty()
        );
    }
}
