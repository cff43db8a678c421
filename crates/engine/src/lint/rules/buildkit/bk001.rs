//! BK001: stage names should be lowercase (BuildKit's `StageNameCasing`).
//!
//! ## What it does
//! Reports `FROM image AS Name` when the stage name, as written, is not all
//! lower case.
//!
//! ## Why is this bad?
//! BuildKit lower-cases stage names, so `AS Builder` is the stage
//! `builder`; writing it in mixed case suggests a distinction that does not
//! exist and makes `COPY --from=Builder` and `--target builder` look
//! different when they are the same.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine AS BuildStage
//! ```
//! Use instead:
//! ```dockerfile
//! FROM alpine AS build-stage
//! ```
//!
//! ## Notes
//! As in BuildKit, only a `FROM` with exactly three arguments
//! (`image AS name`) is checked, and the check runs on the words as parsed,
//! even when the `FROM` is otherwise invalid.
//! <https://docs.docker.com/go/dockerfile/rule/stage-name-casing/>

use super::common::go_lower;
use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk001;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK001",
    aliases: &["StageNameCasing"],
    name: "stage-name-casing",
    title: "Stage names should be lowercase",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "BuildKit lower-cases stage names, so `AS Builder` names the stage `builder`; mixed case suggests a difference that does not exist. See <https://docs.docker.com/go/dockerfile/rule/stage-name-casing/>.",
    bad: "FROM alpine AS BuildStage\nRUN true\n",
    good: "FROM alpine AS build-stage\nRUN true\n",
};

impl Rule for Bk001 {
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
            let [_, _, name] = node.args.as_slice() else {
                continue;
            };
            let lower = go_lower(name);
            if *name != lower {
                out.push(
                    cx.lines(
                        node.start_line,
                        node.end_line,
                        format!("Stage name '{name}' should be lowercase"),
                    )
                    .with_fix(format!("Name the stage `{lower}`")),
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
    fn mixed_case_stage_names_are_reported() {
        // BuildKit's testStageName.
        assert_lines(
            &Bk001,
            &[
                (
                    "\n# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\n# warning: 'as' should match 'FROM' cmd casing.\n#\nFROM scratch as base2\n\nFROM scratch AS base3\n",
                    &[4],
                ),
                ("FROM a AS b\n", &[]),
                ("FROM a\n", &[]),
                ("FROM --platform=$BUILDPLATFORM a AS Build\n", &[1]),
                ("FROM a AS b\nFROM b as FINAL\n", &[2]),
                ("from a as Final\n", &[1]),
                ("FROM a AS b\nONBUILD RUN x\n", &[]),
            ],
        );
    }

    #[test]
    fn message_is_buildkit_s() {
        let d = diagnostics(&Bk001, "FROM scratch AS BadStageName\n");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some("Stage name 'BadStageName' should be lowercase")
        );
    }
}
