//! DL3052: Label is not a valid URL.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `url` whose
//! value is not an absolute URI (RFC 3986): a scheme followed by `:`, only
//! characters a URI may contain, valid `%` escapes, and for schemes that
//! locate a server (`http`, `https`, `git`, ...) a host.
//!
//! ## Why is this bad?
//! Tools follow these labels (a registry links the source repository);
//! `github.com/org/repo` without a scheme is not a URL.
//!
//! ## Where restage differs from hadolint
//! hadolint accepts any string its URI parser takes, including `https://`
//! and `https:///path` (no host) and `https://x/%zz` (a broken escape);
//! restage reports them.
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
pub struct Dl3052;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3052",
    aliases: &[],
    name: "label-not-url",
    title: "Label is not a valid URL",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `url` must be an absolute URI (RFC 3986): a scheme, and for `http(s)` a host (`https://github.com/org/repo`, not `github.com/org/repo`). restage checks the value after variable expansion, and unlike hadolint rejects a URL without a host (`https://`) or with a broken `%` escape.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=github.com/org/app\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/org/app\n",
};

impl Rule for Dl3052 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Url,
            "a valid URL",
            "Use an absolute URL such as `https://github.com/org/repo`",
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
            &Dl3052,
            &[
                (
                    "FROM a\nLABEL org.opencontainers.image.source=https://github.com/o/r\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.source=github.com/o/r\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.source=\"not a url\"\n",
                    &[2],
                ),
                (
                    "FROM a\nARG SRC\nLABEL org.opencontainers.image.source=$SRC\n",
                    &[],
                ),
                (
                    "FROM a\nARG SRC=https://x.org/y\nLABEL org.opencontainers.image.source=$SRC\n",
                    &[],
                ),
                (
                    "FROM a\nARG SRC=x.org/y\nLABEL org.opencontainers.image.source=$SRC\n",
                    &[3],
                ),
                ("FROM a\nLABEL other=github.com/o/r\n", &[]),
            ],
        );
    }
}
