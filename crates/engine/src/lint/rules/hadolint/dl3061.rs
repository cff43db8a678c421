//! DL3061: invalid instruction order.
//!
//! ## What it does
//! Reports instructions other than `ARG` before the first `FROM` (comments
//! and parser directives are fine).
//!
//! ## Why is this bad?
//! A Dockerfile must start with `FROM`, optionally after global `ARG`s;
//! BuildKit rejects anything else before it (`no build stage in current
//! context`), so the image does not build.
//!
//! ## Notes
//! DL1000 reports BuildKit's own error for the same lines.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3061;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3061",
    aliases: &[],
    name: "instruction-before-from",
    title: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Only `ARG` (and comments or parser directives) may come before the first `FROM`; BuildKit rejects anything else.",
    bad: "LABEL org.opencontainers.image.title=app\nFROM alpine:3.20\n",
    good: "ARG VERSION=3.20\nFROM alpine:${VERSION}\nLABEL org.opencontainers.image.title=app\n",
};

impl Rule for Dl3061 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            if instruction.keyword == Keyword::From {
                break;
            }
            if instruction.keyword != Keyword::Arg {
                let keyword = cx
                    .model
                    .doc
                    .nodes
                    .get(instruction.node)
                    .map_or(String::new(), |n| n.keyword.to_ascii_uppercase());
                out.push(
                    cx.at(
                        instruction,
                        format!("Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment, not `{keyword}`"),
                    )
                    .with_fix("Move the instruction after the first FROM"),
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
    fn order() {
        assert_lines(
            &Dl3061,
            &[
                ("FROM a\nRUN x\n", &[]),
                ("# c\nARG A=1\nFROM a\n", &[]),
                ("LABEL a=1\nFROM a\n", &[1]),
                ("RUN x\nENV A=1\nFROM a\nRUN y\n", &[1, 2]),
            ],
        );
    }
}
