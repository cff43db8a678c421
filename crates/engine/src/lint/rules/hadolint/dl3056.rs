//! DL3056: Label does not conform to semantic versioning.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `semver` whose
//! value is not a semantic version as semver.org 2.0.0 defines it:
//! `MAJOR.MINOR.PATCH`, an optional `-pre.release` and `+build`, numeric
//! parts without leading zeros. `v1.2.3` and `1.2` are not.
//!
//! ## Why is this bad?
//! Tools compare these versions; anything else sorts wrongly or not at all.
//!
//! ## Where restage differs from hadolint
//! hadolint's parser accepts leading zeros (`01.0.0`, `1.0.0-01`) and an
//! empty build part (`1.0.0+`), which the semver grammar forbids; restage
//! reports them.
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
pub struct Dl3056;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3056",
    aliases: &[],
    name: "label-not-semver",
    title: "Label does not conform to semantic versioning",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `semver` must be a semantic version (semver.org 2.0.0): `MAJOR.MINOR.PATCH`, optional `-pre.release` and `+build`, no leading zeros, no leading `v`. restage checks the value after variable expansion and, unlike hadolint, rejects leading zeros (`1.0.0-01`) and an empty `+`.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.2\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0\n",
};

impl Rule for Dl3056 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Semver,
            "a semantic version",
            "Use a semantic version such as `1.2.3` or `1.2.3-rc.1` (no leading `v`)",
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
            &Dl3056,
            &[
                (
                    "FROM a\nLABEL org.opencontainers.image.version=1.2.0\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.version=1.2.0-rc.1+build.5\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.version=v1.2.0\n",
                    &[2],
                ),
                ("FROM a\nLABEL org.opencontainers.image.version=1.2\n", &[2]),
                (
                    "FROM a\nARG V=1.2.3\nLABEL org.opencontainers.image.version=$V\n",
                    &[],
                ),
                (
                    "FROM a\nARG V=latest\nLABEL org.opencontainers.image.version=$V\n",
                    &[3],
                ),
            ],
        );
    }
}
