//! DL3055: Label is not a valid git hash.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `hash` whose
//! value is not a git commit hash: 7 or 40 lowercase hexadecimal digits.
//!
//! ## Why is this bad?
//! Tools use this label to find the commit an image was built from.
//!
//! ## Where restage differs from hadolint
//! hadolint checks the text as written, so `LABEL
//! org.opencontainers.image.revision=$VCS_REF` is always reported there;
//! restage checks the value the build sees and skips values only known at
//! build time. An empty value is reported once, by DL3051 (hadolint
//! reports it under both codes).
//!
//! ## Notes
//! Does nothing unless a label schema is configured. The value checked is
//! the one the build sees: variables are expanded with the `ARG`/`ENV`
//! values in scope, and a value that depends on a build argument without a
//! default is not known at lint time and is not checked (hadolint checks
//! the text, so `LABEL created=$BUILD_DATE` is always reported there).
//! Empty values are left to DL3051.

use super::labels_b::report_invalid;
use crate::lint::config::LabelType;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3055;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3055",
    aliases: &[],
    name: "label-not-git-hash",
    title: "Label is not a valid git hash",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `hash` must be a git commit hash: 7 or 40 lowercase hexadecimal digits. Unlike hadolint, restage checks the value after variable expansion and does not report values only known at build time (`$VCS_REF`).",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.revision=0123abc\n",
};

impl Rule for Dl3055 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Hash,
            "a valid git hash (7 or 40 lowercase hex digits)",
            "Use the full (40) or short (7) lowercase commit hash, e.g. `git rev-parse HEAD`",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn values() {
        assert_lines(
            &Dl3055,
            &[
                (
                    "FROM a\nLABEL org.opencontainers.image.revision=0123abc\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.revision=main\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.revision=0123ABC\n",
                    &[2],
                ),
                (
                    "FROM a\nARG REV\nLABEL org.opencontainers.image.revision=$REV\n",
                    &[],
                ),
            ],
        );
    }
}
