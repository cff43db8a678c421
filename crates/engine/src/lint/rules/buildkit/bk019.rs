//! BK019: a description comment does not name what it describes
//! (BuildKit's experimental `InvalidDefinitionDescription`).
//!
//! ## What it does
//! For a named stage (`FROM image AS name`) or an `ARG`, looks at the
//! comment lines directly above it. When there are some, the last one must
//! start with the stage name or one of the `ARG`'s names:
//! `# version the release to package`.
//!
//! ## Why is this bad?
//! BuildKit uses such comments as the descriptions of build targets and
//! arguments (`docker buildx build --call=outline`, `--call=targets`). A
//! comment that does not start with the name is not used as a description,
//! which is surprising when it was meant to be one.
//!
//! ## Example
//! ```dockerfile
//! # The version to package
//! ARG VERSION=1.0
//! ```
//! Use instead:
//! ```dockerfile
//! # VERSION the version to package
//! ARG VERSION=1.0
//! ```
//!
//! ## Notes
//! Experimental in BuildKit, so off by default: enable it with
//! `# check=experimental=InvalidDefinitionDescription` (or
//! `experimental=all`) or in the configuration. Comments are collected as
//! BuildKit collects them: blank lines do not separate a comment from the
//! instruction (BuildKit's documentation says otherwise); an empty `#` line
//! does. The stage name is compared in lower case, as BuildKit stores it.
//! <https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/>

use super::common::node;
use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk019;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK019",
    aliases: &["InvalidDefinitionDescription"],
    name: "invalid-definition-description",
    title: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: false,
    doc: "BuildKit takes the comment above a named stage or an `ARG` as its description only when it starts with the name (`# version the release to package`). Experimental in BuildKit, so off unless `# check=experimental=InvalidDefinitionDescription` or the configuration enables it. Only an empty `#` line (not a blank line) detaches a comment. See <https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/>.",
    bad: "# The version to package\nARG VERSION=1.0\nFROM alpine:${VERSION}\n",
    good: "# VERSION the version to package\nARG VERSION=1.0\nFROM alpine:${VERSION}\n",
};

/// The comments above an instruction, and what they should name.
fn check_one(comments: &[String], keys: &[&str]) -> Option<String> {
    let last = comments.last()?;
    let first_word = last.split(' ').next().unwrap_or_default();
    if keys.is_empty() || keys.contains(&first_word) {
        return None;
    }
    Some(match keys {
        [one] => (*one).to_string(),
        _ => "<arg_key>".to_string(),
    })
}

impl Rule for Bk019 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut found = Vec::new();
        for stage in cx.stages() {
            let (Some(name), Some(from)) =
                (stage.name.as_deref(), cx.model.instructions.get(stage.node))
            else {
                continue;
            };
            let Some(n) = node(cx, from) else { continue };
            if let Some(example) = check_one(&n.prev_comment, &[name]) {
                found.push(
                    cx.at(
                        from,
                        format!("Comment for FROM should follow the format: `# {example} <description>`"),
                    )
                    .with_fix(format!("Start the comment with `# {example} `, or separate it with an empty `#` line")),
                );
            }
        }
        for instruction in cx.instructions() {
            let Some(CommandKind::Arg(decls)) = instruction.kind() else {
                continue;
            };
            let Some(n) = node(cx, instruction) else {
                continue;
            };
            let keys: Vec<&str> = decls.iter().map(|d| d.key.as_str()).collect();
            if let Some(example) = check_one(&n.prev_comment, &keys) {
                found.push(
                    cx.at(
                        instruction,
                        format!("Comment for ARG should follow the format: `# {example} <description>`"),
                    )
                    .with_fix(format!("Start the comment with `# {example} `, or separate it with an empty `#` line")),
                );
            }
        }
        found.sort_by_key(|d: &Diagnostic| d.line);
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn descriptions_must_name_their_definition() {
        // BuildKit's testDefinitionDescription.
        assert_lines(
            &Bk019,
            &[
                (
                    "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\nARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n",
                    &[],
                ),
                (
                    "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n",
                    &[3, 5, 7, 9],
                ),
                // Blank lines do not detach a comment; `#` does.
                ("# not a description\n\nARG V=1\nFROM a\n", &[3]),
                ("# not a description\n#\nARG V=1\nFROM a\n", &[]),
                // Unnamed stages are not checked; the last comment line counts.
                ("# anything\nFROM a\n", &[]),
                ("# b is fine\n# not this one\nFROM a AS b\n", &[3]),
                ("# not this one\n# b is fine\nFROM a AS B\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m: Vec<String> = diagnostics(
            &Bk019,
            "# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# bad\nARG foo=baz bar=qux baz=quux\n",
        )
        .into_iter()
        .map(|d| d.message)
        .collect();
        assert_eq!(
            m,
            [
                "Comment for ARG should follow the format: `# foo <description>`",
                "Comment for FROM should follow the format: `# base <description>`",
                "Comment for ARG should follow the format: `# <arg_key> <description>`",
            ]
        );
    }
}
