//! DL3048: invalid label key.
//!
//! ## What it does
//! Reports `LABEL` keys that break Docker's naming guidelines: a key must
//! start with a lowercase letter, end with a lowercase letter or a digit,
//! contain only `a-z`, `0-9`, `.`, `-`, `_` and `/`, have no `..` or `--`,
//! and not use the namespaces Docker reserves (`com.docker.`,
//! `io.docker.`, `org.dockerproject.`).
//!
//! ## Why is this bad?
//! Tools that read labels expect reverse-DNS, lowercase keys
//! (`org.opencontainers.image.source`); other keys are easy to get wrong
//! and the reserved namespaces belong to Docker.
//!
//! ## Notes
//! Labels set through `ONBUILD LABEL` are checked too (hadolint skips
//! them): they end up in the child image.

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3048;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3048",
    aliases: &[],
    name: "invalid-label-key",
    title: "Invalid label key",
    severity: Severity::Style,
    category: Category::Style,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Label keys should be lowercase reverse-DNS names (`[a-z0-9._/-]`, starting with a letter, ending with a letter or digit, no `..` or `--`) outside Docker's reserved namespaces. restage also checks `ONBUILD LABEL`.",
    bad: "FROM alpine:3.20\nLABEL Maintainer=jane\n",
    good: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=jane\n",
};

/// Why a key is invalid, if it is.
fn problem(key: &str) -> Option<&'static str> {
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it must start with a lowercase letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("it must end with a lowercase letter or a digit");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/'))
    {
        return Some("only `a-z`, `0-9`, `.`, `-`, `_` and `/` are allowed");
    }
    if key.contains("..") || key.contains("--") {
        return Some("`..` and `--` are not allowed");
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| key.starts_with(p))
    {
        return Some("the namespace is reserved by Docker");
    }
    None
}

impl Rule for Dl3048 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, _) in cx.typed(true) {
            let CommandKind::Label(pairs) = kind else {
                continue;
            };
            let bad: Vec<String> = pairs
                .iter()
                .filter_map(|p| {
                    let key = super::shared_b::unquote(&p.key);
                    problem(key).map(|why| format!("`{key}` ({why})"))
                })
                .collect();
            if !bad.is_empty() {
                out.push(
                    cx.at(
                        instruction,
                        format!("Invalid label key: {}", bad.join(", ")),
                    )
                    .with_fix(
                        "Use lowercase reverse-DNS keys, e.g. `org.opencontainers.image.authors`",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn label_keys() {
        assert_lines(
            &Dl3048,
            &[
                ("FROM a\nLABEL org.opencontainers.image.title=x\n", &[]),
                ("FROM a\nLABEL a_b=1 a/b=1 maintainer=x v2=1\n", &[]),
                ("FROM a\nLABEL Abc=1\n", &[2]),
                ("FROM a\nLABEL a..b=1\n", &[2]),
                ("FROM a\nLABEL a--b=1\n", &[2]),
                ("FROM a\nLABEL com.docker.x=1\n", &[2]),
                ("FROM a\nLABEL a-=1\n", &[2]),
                ("FROM a\nLABEL 1a=1\n", &[2]),
                ("FROM a\nLABEL a:b=1\n", &[2]),
                ("FROM a\nLABEL \"a b\"=1\n", &[2]),
                ("FROM a\nLABEL \"quoted.key\"=1\n", &[]),
                ("FROM a\nLABEL ok=1 Bad=2\n", &[2]),
                ("FROM a\nONBUILD LABEL X=1\n", &[2]),
            ],
        );
    }
}
