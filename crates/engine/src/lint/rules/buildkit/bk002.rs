//! BK002: the `AS` keyword should match the case of `FROM` (BuildKit's
//! `FromAsCasing`).
//!
//! ## What it does
//! Reports `FROM image as name` and `from image AS name`: a `FROM` written
//! all upper or all lower case whose `AS` is not in the same case.
//!
//! ## Why is this bad?
//! Mixed keyword case makes a Dockerfile harder to scan and is a sign of
//! copy-paste between files with different conventions.
//!
//! ## Notes
//! As in BuildKit, a mixed-case `From` is left to
//! `ConsistentInstructionCasing` (BK004), and the word in the `AS` position
//! is compared whatever it is, so `FROM a b c` is reported too (and BuildKit
//! then rejects it). The message is BuildKit's: `'as' and 'FROM' keywords'
//! casing do not match`.
//! <https://docs.docker.com/go/dockerfile/rule/from-as-casing/>

use super::common::{go_lower, go_upper};
use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk002;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK002",
    aliases: &["FromAsCasing"],
    name: "from-as-casing",
    title: "The 'as' keyword should match the case of the 'from' keyword",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "`FROM image as name` mixes keyword cases; write `AS` in the case of `FROM`. A mixed-case `From` is left to ConsistentInstructionCasing, as in BuildKit. See <https://docs.docker.com/go/dockerfile/rule/from-as-casing/>.",
    bad: "FROM alpine as build\nRUN true\n",
    good: "FROM alpine AS build\nRUN true\n",
};

impl Rule for Bk002 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for node in cx
            .model
            .doc
            .nodes
            .iter()
            .filter(|n| n.kind == Keyword::From)
        {
            if node.args.len() < 3 {
                continue;
            }
            let Some(as_word) = node.args.get(1) else {
                continue;
            };
            let from = node.keyword.as_str();
            let want = if from == go_lower(from) {
                go_lower(as_word)
            } else if from == go_upper(from) {
                go_upper(as_word)
            } else {
                continue;
            };
            if *as_word != want {
                out.push(
                    cx.lines(
                        node.start_line,
                        node.end_line,
                        format!("'{as_word}' and '{from}' keywords' casing do not match"),
                    )
                    .with_fix(format!("Write `{want}`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn as_must_match_from() {
        assert_lines(
            &Bk002,
            &[
                // BuildKit's testStageName.
                (
                    "\n# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\n# warning: 'as' should match 'FROM' cmd casing.\n#\nFROM scratch as base2\n\nFROM scratch AS base3\n",
                    &[8],
                ),
                (
                    "\n# warning: 'AS' should match 'from' cmd casing.\n#\nfrom scratch AS base\n\nfrom scratch as base2\n",
                    &[4],
                ),
                // testConsistentInstructionCasing: `From` is not this rule's.
                ("\nFrom scratch as base\nFROM scratch AS base2\n", &[]),
                ("FROM a\n", &[]),
                ("FROM --platform=linux/arm64 a As b\n", &[1]),
                ("FROM a b c\n", &[1]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m = |text: &str| {
            diagnostics(&Bk002, text)
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m("FROM scratch as base\n"),
            ["'as' and 'FROM' keywords' casing do not match"]
        );
        assert_eq!(
            m("from scratch AS base\n"),
            ["'AS' and 'from' keywords' casing do not match"]
        );
    }
}
