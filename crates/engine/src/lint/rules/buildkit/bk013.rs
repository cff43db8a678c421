//! BK013: legacy `ENV key value` / `LABEL key value` format (BuildKit's
//! `LegacyKeyValueFormat`).
//!
//! ## What it does
//! Reports `ENV` and `LABEL` written as `KEY value`, with a space instead of
//! `=` between the key and the value.
//!
//! ## Why is this bad?
//! The legacy form sets one variable to the whole rest of the line, spaces
//! and all: `ENV PATH /a /b` is one value, `ENV A=1 B=2` is two. Mixing the
//! forms is a classic source of surprises, and the legacy form is
//! deprecated.
//!
//! ## Example
//! ```dockerfile
//! ENV NODE_ENV production
//! ```
//! Use instead:
//! ```dockerfile
//! ENV NODE_ENV=production
//! ```
//!
//! ## Notes
//! BuildKit's documentation shows `ARG foo bar`, but its check covers only
//! `ENV` and `LABEL` (`ARG foo bar` declares two arguments); restage does
//! the same. The message names the instruction as written. An `ONBUILD ENV`
//! is not reported: it runs in another build.
//! <https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/>

use super::common::keyword_as_written;
use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk013;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK013",
    aliases: &["LegacyKeyValueFormat"],
    name: "legacy-key-value-format",
    title: "Legacy key/value format with whitespace separator should not be used",
    severity: Severity::Warning,
    category: Category::Style,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "`ENV KEY value` sets one variable to the rest of the line, spaces included, unlike `ENV A=1 B=2`; the form is deprecated. Only `ENV` and `LABEL` are checked, as in BuildKit (its docs mention `ARG`, its code does not). See <https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/>.",
    bad: "FROM alpine\nENV NODE_ENV production\n",
    good: "FROM alpine\nENV NODE_ENV=production\n",
};

impl Rule for Bk013 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            for instruction in cx.stage_instructions(stage) {
                let pairs = match instruction.kind() {
                    Some(CommandKind::Env(pairs) | CommandKind::Label(pairs)) => pairs,
                    _ => continue,
                };
                let name = keyword_as_written(cx, instruction);
                for pair in pairs.iter().filter(|p| p.no_delim) {
                    let value = pair.value.trim();
                    let value = if value.chars().any(char::is_whitespace)
                        && !value.starts_with(['"', '\''])
                    {
                        format!("\"{}\"", value.replace('"', "\\\""))
                    } else {
                        value.to_string()
                    };
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
                            ),
                        )
                        .with_fix(format!(
                            "Write `{} {}={value}`",
                            instruction.keyword.name(),
                            pair.key
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn legacy_pairs_are_reported() {
        assert_lines(
            &Bk013,
            &[
                // BuildKit's testLegacyKeyValueFormat.
                (
                    "\nFROM scratch\nENV testkey value\nLABEL key value\n",
                    &[3, 4],
                ),
                ("\nFROM scratch\nENV testkey=value\nLABEL key=value\n", &[]),
                (
                    "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n",
                    &[5, 6],
                ),
                ("FROM a\nENV PATH /a /b\n", &[2]),
                ("FROM a\nARG foo bar\n", &[]),
                ("FROM a\nONBUILD ENV a b\n", &[]),
                ("ARG A=1\nFROM a\nENV A=$A B=2\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m = |text: &str| {
            diagnostics(&Bk013, text)
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m("FROM a\nENV testkey value\nlabel key value\n"),
            [
                "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format",
                "\"label key=value\" should be used instead of legacy \"label key value\" format",
            ]
        );
    }
}
