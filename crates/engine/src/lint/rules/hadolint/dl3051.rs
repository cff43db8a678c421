//! DL3051: a schema label is empty.
//!
//! ## What it does
//! With a label schema configured, reports a schema label set to an empty
//! value.
//!
//! ## Why is this bad?
//! An empty label is as good as a missing one, but hides from the check for
//! missing labels.
//!
//! ## Where restage differs from hadolint
//! The value is the one the build sees: `LABEL version=$VERSION` with `ARG
//! VERSION=` is empty and reported; with `ARG VERSION` (a build argument
//! without default) the value is not known at lint time and is not
//! reported. hadolint only sees the text and never reports a variable.

use super::labels_b::label_instructions;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3051;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3051",
    aliases: &[],
    name: "label-empty",
    title: "Label is empty",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label set to an empty value is as good as missing. restage checks the value the build sees (variables expanded), so `LABEL version=$V` with `ARG V=` is reported.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"\"\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=app\n",
};

impl Rule for Dl3051 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.config.label_schema.is_empty() {
            return;
        }
        for (instruction, labels) in label_instructions(cx) {
            for label in labels {
                if label.value.as_deref() == Some("")
                    && cx.config.label_schema.contains_key(&label.key)
                {
                    out.push(
                        cx.at(instruction, format!("Label `{}` is empty", label.key))
                            .with_fix("Give the label a value"),
                    );
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
    fn empty_values() {
        assert_lines(
            &Dl3051,
            &[
                ("FROM a\nLABEL org.opencontainers.image.title=\"\"\n", &[2]),
                ("FROM a\nLABEL org.opencontainers.image.title=x\n", &[]),
                ("FROM a\nLABEL other=\"\"\n", &[]),
                (
                    "FROM a\nARG T=\nLABEL org.opencontainers.image.title=$T\n",
                    &[3],
                ),
                (
                    "FROM a\nARG T\nLABEL org.opencontainers.image.title=$T\n",
                    &[],
                ),
            ],
        );
    }
}
