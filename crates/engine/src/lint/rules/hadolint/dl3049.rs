//! DL3049: a label required by the label schema is missing.
//!
//! ## What it does
//! With a label schema configured (`label-schema` in `.hadolint.yaml`),
//! reports each schema label the produced image does not set. Labels set
//! in a stage the final stage is built on (`FROM <stage>`) count.
//!
//! ## Why is this bad?
//! The schema lists the labels every image of the team must carry (source,
//! version, licence, ...); tools that read them find nothing.
//!
//! ## Where restage differs from hadolint
//! hadolint checks every stage and reports one finding per label and
//! stage. Labels of build stages do not end up in the image, so restage
//! checks only the final stage (with what it inherits) and reports there.
//!
//! ## Notes
//! Does nothing unless a label schema is configured. Labels the base image
//! sets are not known and do not count.

use super::labels_b::labels_of;
use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3049;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3049",
    aliases: &[],
    name: "label-missing",
    title: "Label is missing",
    severity: Severity::Info,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "With a label schema configured, every schema label must be set on the produced image. Unlike hadolint, restage checks only the final stage (labels inherited through `FROM <stage>` count), since labels of build stages are not in the image.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=app\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=app \\\n      org.opencontainers.image.source=https://github.com/org/app \\\n      org.opencontainers.image.version=1.2.3 \\\n      org.opencontainers.image.revision=0123abc \\\n      org.opencontainers.image.created=2024-05-01T10:00:00Z \\\n      org.opencontainers.image.licenses=MIT \\\n      org.opencontainers.image.authors=jane@example.com\n",
};

impl Rule for Dl3049 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.config.label_schema.is_empty() {
            return;
        }
        let Some(last) = cx.final_stage() else {
            return;
        };
        let mut present = Vec::new();
        for stage in cx.lineage(last) {
            for instruction in cx.stage_instructions(stage) {
                if let Some(CommandKind::Label(_)) = instruction.kind() {
                    present.extend(labels_of(cx, instruction).into_iter().map(|l| l.key));
                }
            }
        }
        for key in cx.config.label_schema.keys() {
            if !present.contains(key) {
                out.push(
                    cx.at_stage(
                        last,
                        format!(
                            "Label `{key}` is missing from the image (the label schema requires it)"
                        ),
                    )
                    .with_fix(format!("Add `LABEL {key}=...` to the final stage")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::{LabelType, LintConfig};
    use crate::lint::testing::diagnostics_with;

    fn config() -> LintConfig {
        LintConfig {
            label_schema: [
                ("title".to_string(), LabelType::Text),
                ("version".to_string(), LabelType::Semver),
            ]
            .into_iter()
            .collect(),
            ..LintConfig::default()
        }
    }

    fn lines(text: &str) -> Vec<usize> {
        diagnostics_with(&Dl3049, text, &config())
            .iter()
            .map(|d| d.line)
            .collect()
    }

    #[test]
    fn final_stage_labels() {
        assert_eq!(lines("FROM a\n"), [1, 1]);
        assert_eq!(
            lines("FROM a\nLABEL title=x version=1.0.0\n"),
            [] as [usize; 0]
        );
        assert_eq!(lines("FROM a\nLABEL title=x\n"), [1]);
        // Build stages are not checked; the final stage is.
        assert_eq!(
            lines("FROM a AS build\nRUN x\nFROM b\nLABEL title=x version=1.0.0\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            lines("FROM a AS build\nLABEL title=x version=1.0.0\nFROM b\n"),
            [3, 3]
        );
        // Inherited through FROM <stage>.
        assert_eq!(
            lines("FROM a AS base\nLABEL title=x\nFROM base\nLABEL version=1.0.0\n"),
            [] as [usize; 0]
        );
        // ARG-defined values still set the label.
        assert_eq!(
            lines("FROM a\nARG V\nLABEL title=x version=$V\n"),
            [] as [usize; 0]
        );
        // No schema, no findings.
        assert!(diagnostics_with(&Dl3049, "FROM a\n", &LintConfig::default()).is_empty());
    }
}
