//! DL3044: do not refer to an environment variable within the same `ENV`
//! statement where it is defined.
//!
//! ## What it does
//! Reports an `ENV` whose value uses (`$X`, `${X}`) a variable that the
//! same `ENV` instruction sets in another pair.
//!
//! ## Why is this bad?
//! Docker expands every value of an `ENV` with the environment as it was
//! *before* the instruction. In `ENV VERSION=2.0 URL=https://x/$VERSION`,
//! `URL` gets the old `VERSION` (or nothing), not `2.0`.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine:3.20
//! ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
//! ```
//! Use instead:
//! ```dockerfile
//! FROM alpine:3.20
//! ENV APP_HOME=/app
//! ENV APP_BIN=$APP_HOME/bin
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint stays quiet when the variable was declared before by an `ARG`
//! or `ENV`, yet the reference still gets the *old* value: `ENV
//! VERSION=1.0` then `ENV VERSION=2.0 URL=x/$VERSION` sets `URL` to
//! `x/1.0`. restage reports it unless the old value is known and equal to
//! the new one. A value referring to itself (`PATH=$PATH:/x`) is fine.
//! Escaped (`\$X`) and single-quoted references are literal text and are
//! not reported.

use super::shared_b::{Scope, var_refs};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3044;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3044",
    aliases: &[],
    name: "env-same-statement-reference",
    title: "Do not refer to an environment variable within the same `ENV` statement where it is defined",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "All values of one `ENV` are expanded with the environment from before the instruction, so a reference to a variable the same `ENV` sets gets the old value. Unlike hadolint, restage also reports it when the variable existed before with a different (or unknown) value.",
    bad: "FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin\n",
    good: "FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_BIN=$APP_HOME/bin\n",
};

impl Rule for Dl3044 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        for instruction in cx.instructions() {
            let Some(CommandKind::Env(pairs)) = instruction.kind() else {
                continue;
            };
            if pairs.len() < 2 {
                continue;
            }
            let expanded = match &instruction.expanded {
                Some(Expanded::Env { vars }) if vars.len() == pairs.len() => Some(vars),
                _ => None,
            };
            let mut scope: Option<Scope> = None;
            let mut problems = Vec::new();
            for (j, pair) in pairs.iter().enumerate() {
                for name in var_refs(&pair.value, escape) {
                    let Some((i, _)) = pairs
                        .iter()
                        .enumerate()
                        .find(|(i, p)| *i != j && p.key == name)
                    else {
                        continue;
                    };
                    let scope = scope.get_or_insert_with(|| Scope::before(cx, instruction));
                    let new = expanded.and_then(|v| v.get(i)).map(|(_, v)| v.as_str());
                    if let (Some(old), Some(new)) = (scope.value(&name), new)
                        && old == new
                    {
                        continue;
                    }
                    let old = match scope.value(&name) {
                        Some(v) => format!("`{v}`"),
                        None if scope.declares(&name) => {
                            "its earlier value (a build argument)".to_string()
                        }
                        None => "the base image's value, or nothing".to_string(),
                    };
                    let new = new.map_or(String::new(), |n| format!(", not `{n}`"));
                    let problem =
                        format!("`{}` uses `${name}`, which expands to {old}{new}", pair.key);
                    if !problems.contains(&problem) {
                        problems.push(problem);
                    }
                }
            }
            if !problems.is_empty() {
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "Do not refer to an environment variable within the same `ENV` statement where it is defined: {}",
                            problems.join("; ")
                        ),
                    )
                    .with_fix("Split the ENV so that the variable is set by an earlier ENV instruction"),
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
    fn same_statement_references() {
        assert_lines(
            &Dl3044,
            &[
                ("FROM a\nENV A=1 B=$A\n", &[2]),
                ("FROM a\nENV A=1 B=${A}/x\n", &[2]),
                ("FROM a\nENV B=$A A=1\n", &[2]),
                ("FROM a\nENV A=1\nENV B=$A\n", &[]),
                ("FROM a\nENV A=1 B=$AB\n", &[]),
                ("FROM a\nENV A=1 B=\\$A\n", &[]),
                ("FROM a\nENV A=1 B='$A'\n", &[]),
                ("FROM a\nENV PATH=$PATH:/x A=1\n", &[]),
                // Declared before, but with another value: B gets the old one.
                ("FROM a\nENV V=1\nENV V=2 B=$V\n", &[3]),
                // Declared before with the same value: no surprise.
                ("FROM a\nENV V=1\nENV V=1 B=$V\n", &[]),
                ("FROM a\nARG V\nENV V=1 B=$V\n", &[3]),
                ("FROM a\nENV A 1\n", &[]),
            ],
        );
    }
}
