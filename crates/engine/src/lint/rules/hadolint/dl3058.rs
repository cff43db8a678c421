//! DL3058: Label is not a valid e-mail address.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `email` whose
//! value is not an e-mail address as RFC 5322 defines a `mailbox`: an
//! `addr-spec` (`jane@example.com`) or a display name with the address
//! in angle brackets (`Jane Doe <jane@example.com>`).
//!
//! ## Why is this bad?
//! Tools use the label to reach the people responsible for the image.
//!
//! ## Where restage differs from hadolint
//! hadolint accepts only a bare `addr-spec`; `Jane Doe <jane@example.com>`
//! is also a valid RFC 5322 mailbox (and the usual way to write an author)
//! and passes in restage.
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
pub struct Dl3058;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3058",
    aliases: &[],
    name: "label-not-email",
    title: "Label is not a valid e-mail address",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `email` must be an RFC 5322 mailbox: `jane@example.com` or `Jane Doe <jane@example.com>`. Unlike hadolint, restage accepts the `Name <address>` form RFC 5322 defines, checks the value after variable expansion and skips values only known at build time.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=jane\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=jane@example.com\n",
};

impl Rule for Dl3058 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Email,
            "a valid e-mail address (RFC 5322)",
            "Use an address such as `jane@example.com` or `Jane Doe <jane@example.com>`",
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
            &Dl3058,
            &[
                (
                    "FROM a\nLABEL org.opencontainers.image.authors=jane@example.com\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.authors=jane\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.authors=\"jane at example.com\"\n",
                    &[2],
                ),
                (
                    "FROM a\nARG A\nLABEL org.opencontainers.image.authors=$A\n",
                    &[],
                ),
            ],
        );
    }
}
