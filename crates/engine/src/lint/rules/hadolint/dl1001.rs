//! DL1001: inline ignore pragma used.
//!
//! ## What it does
//! Reports every inline `# hadolint ignore=...` (or `# restage ignore=...`)
//! comment. Off by default: teams that forbid silencing findings turn it on.
//!
//! ## Why is this bad?
//! An inline pragma hides a finding next to the code, where reviewers
//! rarely question it. Teams that want exceptions to be visible keep them
//! in the configuration file instead.
//!
//! ## Notes
//! As in hadolint, only next-line pragmas are reported: `global` and
//! `stage` pragmas, `# hadolint shell=...` and BuildKit's `# check=` are
//! not. The `# restage ignore=` spelling counts too, since restage honours
//! it the same way.

use crate::dockerfile::TriviaKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::lint::suppress::{Scope, parse_pragma};

/// The rule.
pub struct Dl1001;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL1001",
    aliases: &[],
    name: "no-inline-ignore-pragma",
    title: "Please refrain from using inline ignore pragmas",
    severity: Severity::Info,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "Off by default. Reports inline `# hadolint ignore=...` and `# restage ignore=...` comments, for teams that want every exception listed in the configuration rather than hidden next to the code. `global` and `stage` pragmas are not reported, as in hadolint.",
    bad: "FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add --no-cache curl\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
};

impl Rule for Dl1001 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let doc = cx.model.doc;
        for trivia in doc.trivia.iter().filter(|t| t.kind == TriviaKind::Comment) {
            let Some(pragma) = parse_pragma(trivia.span.text(&doc.source), trivia.line) else {
                continue;
            };
            if pragma.scope != Scope::NextLine {
                continue;
            }
            out.push(
                cx.lines(trivia.line,
                    trivia.line,
                    format!(
                        "Please refrain from using inline ignore pragmas: this one ignores {}",
                        pragma.codes.join(", ")
                    ),
                )
                .with_fix("Remove the pragma and fix the finding, or ignore the code in the configuration file"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn inline_pragmas_are_reported() {
        assert_lines(
            &Dl1001,
            &[
                ("FROM a:1\nRUN x\n", &[]),
                ("FROM a:1\n# hadolint ignore=DL3008\nRUN x\n", &[2]),
                ("FROM a:1\n  #hadolint ignore = DL3008 # why\nRUN x\n", &[2]),
                ("FROM a:1\n# restage ignore=RS001,DL3009\nRUN x\n", &[2]),
                ("# hadolint global ignore=DL3008\nFROM a:1\nRUN x\n", &[]),
                ("FROM a:1\n# hadolint stage ignore=DL3008\nRUN x\n", &[]),
                ("# hadolint shell=powershell\nFROM a:1\n", &[]),
                ("FROM a:1\n# hadolint ignore=crazy!\nRUN x\n", &[]),
                ("FROM a:1\n# check=skip=JSONArgsRecommended\nCMD x\n", &[]),
            ],
        );
    }
}
