//! DL4000: `MAINTAINER` is deprecated.
//!
//! ## What it does
//! Reports the `MAINTAINER` instruction.
//!
//! ## Why is this bad?
//! `MAINTAINER` has been deprecated since Docker 1.13; it sets a field
//! tools no longer read. A label (`org.opencontainers.image.authors`) is
//! the standard place for it. BuildKit warns about it too
//! (`MaintainerDeprecated`).
//!
//! ## Notes
//! Same check as BuildKit's `MaintainerDeprecated`, an alias of this rule.
//! The fix replaces the instruction with the equivalent `LABEL`, escaping
//! `"`, `$` and the escape character (a `LABEL` value is expanded, a
//! `MAINTAINER` value is not).

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl4000;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4000",
    aliases: &["MaintainerDeprecated"],
    name: "maintainer-deprecated",
    title: "MAINTAINER is deprecated",
    severity: Severity::Error,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`MAINTAINER` is deprecated; use `LABEL org.opencontainers.image.authors=...`. Same as BuildKit's `MaintainerDeprecated`.",
    bad: "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
};

impl Rule for Dl4000 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        for instruction in cx.instructions() {
            let Some(CommandKind::Maintainer(who)) = instruction.kind() else {
                continue;
            };
            let mut value = String::new();
            for c in who.chars() {
                if c == '"' || c == '$' || c == escape {
                    value.push(escape);
                }
                value.push(c);
            }
            out.push(
                cx.at(
                    instruction,
                    "MAINTAINER is deprecated in favor of using a label: use `LABEL org.opencontainers.image.authors=...`",
                )
                .with_replacement(
                    "Replace with a LABEL",
                    format!("LABEL org.opencontainers.image.authors=\"{value}\""),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn maintainer() {
        assert_lines(
            &Dl4000,
            &[
                ("FROM a\nMAINTAINER me\n", &[2]),
                ("FROM a\nmaintainer me\n", &[2]),
                ("FROM a\nLABEL maintainer=me\n", &[]),
            ],
        );
        let d = diagnostics(&Dl4000, "FROM a\nMAINTAINER Jane \"J\" $x\n");
        let fix = d.first().and_then(|d| d.fix.as_ref());
        assert_eq!(
            fix.and_then(|f| f.replacement.as_deref()),
            Some("LABEL org.opencontainers.image.authors=\"Jane \\\"J\\\" \\$x\"")
        );
    }
}
