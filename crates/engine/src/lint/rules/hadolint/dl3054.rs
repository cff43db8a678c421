//! DL3054: Label is not a valid SPDX license identifier.
//!
//! ## What it does
//! With a label schema configured, reports a label of type `spdx` whose
//! value is not an SPDX license expression: known license ids (matched
//! case-insensitively, optionally with `+`), `LicenseRef-...`, joined by
//! `AND`/`OR`, with `WITH <exception>` and parentheses.
//!
//! ## Why is this bad?
//! License scanners read this label; `Apache 2.0` or `GPL` do not name a
//! license precisely.
//!
//! ## Where restage differs from hadolint
//! hadolint accepts only a single license id from its list, matched
//! case-sensitively, so `MIT OR Apache-2.0` (a valid SPDX expression, and
//! what the OCI annotation asks for), `mit` (ids are case-insensitive),
//! `GPL-2.0+`, `LicenseRef-Proprietary` and `... WITH LLVM-exception` are
//! all reported there.
//!
//! ## Notes
//! Ids are checked against a built-in list of about 175 commonly used
//! entries of the SPDX License List (deprecated ids such as `GPL-2.0`
//! included), not all of its 600; a rare valid id is reported. Use
//! `LicenseRef-` for licenses outside the list.
//!
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
pub struct Dl3054;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3054",
    aliases: &[],
    name: "label-not-spdx",
    title: "Label is not a valid SPDX license identifier",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "A schema label of type `spdx` must be an SPDX license identifier or expression (`MIT`, `Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`, `LicenseRef-x`). Unlike hadolint, which accepts a single case-sensitive identifier only, restage accepts expressions, `LicenseRef-`s and any case. Identifiers are checked against a built-in list of the common SPDX ids.",
    bad: "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2.0\"\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=Apache-2.0\n",
};

impl Rule for Dl3054 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        report_invalid(
            cx,
            out,
            LabelType::Spdx,
            "a valid SPDX license expression",
            "Use an SPDX identifier or expression, e.g. `MIT`, `Apache-2.0`, `MIT OR Apache-2.0`",
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
            &Dl3054,
            &[
                ("FROM a\nLABEL org.opencontainers.image.licenses=MIT\n", &[]),
                (
                    "FROM a\nLABEL org.opencontainers.image.licenses=\"MIT OR Apache-2.0\"\n",
                    &[],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.licenses=\"Apache 2.0\"\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.licenses=GPL\n",
                    &[2],
                ),
                (
                    "FROM a\nLABEL org.opencontainers.image.licenses=LicenseRef-Proprietary\n",
                    &[],
                ),
            ],
        );
    }
}
