//! DL3053: Label is not a valid RFC 3339 timestamp.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `rfc3339` whose
//! value is not an RFC 3339 `date-time` (`2024-05-01T10:00:00Z`,
//! `2024-05-01T12:00:00.5+02:00`): a real date, a time with seconds, and
//! an offset. A space instead of `T` is accepted (RFC 3339 §5.6; `date
//! --rfc-3339=seconds` writes it).
//!
//! ## Why is this bad?
//! Tools sort and compare these timestamps; `yesterday` or a date without
//! a time cannot be read.
//!
//! ## Where restage differs from hadolint
//! hadolint accepts an offset without a colon (`+0100`, not RFC 3339) and
//! rejects a space between date and time (which RFC 3339 §5.6 allows);
//! restage does the opposite.
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
pub struct Dl3053;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3053",
    aliases: &[],
    name: "label-not-rfc3339",
    title: "Label is not a valid RFC 3339 timestamp",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `rfc3339` must be an RFC 3339 date-time such as `2024-05-01T10:00:00Z` (date, time and offset, valid ranges). restage checks the value after variable expansion, skips values only known at build time (hadolint reports `$BUILD_DATE`), accepts the space separator RFC 3339 allows and rejects an offset without a colon.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01T10:00:00Z\n",
};

impl Rule for Dl3053 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Rfc3339,
            "a valid RFC 3339 timestamp",
            "Use a timestamp such as `2024-05-01T10:00:00Z` (`date -u +%Y-%m-%dT%H:%M:%SZ`)",
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
            &Dl3053,
            &[
                (
                    "FROM a\nLABEL org.opencontainers.image.created=2024-05-01T10:00:00Z\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.created=2024-05-01\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.created=2023-02-29T10:00:00Z\n",
                    &[2],
                ),
                (
                    "FROM a\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.created=$BUILD_DATE\n",
                    &[],
                ),
            ],
        );
    }
}
