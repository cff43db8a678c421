//! DL3024: FROM aliases (stage names) must be unique.
//!
//! ## What it does
//! Reports a `FROM ... AS name` whose name an earlier stage already has.
//! Also selected by BuildKit's check name `DuplicateStageName`.
//!
//! ## Why is this bad?
//! `COPY --from=name` and `FROM name` can only mean one of the stages:
//! whichever the reader assumes, the build may use the other.
//!
//! ## Where restage differs from hadolint
//! Names are compared case-insensitively (`AS Build` and `AS build` are the
//! same stage name to BuildKit), and the message is BuildKit's.
//!
//! ## Notes
//! Reported at the later `FROM`.

use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3024;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3024",
    aliases: &["DuplicateStageName"],
    name: "unique-stage-names",
    title: "FROM aliases (stage names) must be unique",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a stage name used by an earlier stage (BuildKit's `DuplicateStageName`): `COPY --from` and `FROM` can then refer to only one of them. Names are compared case-insensitively, as BuildKit does.",
    bad: "FROM golang:1.23 AS build\nFROM node:20 AS build\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
    good: "FROM golang:1.23 AS build-go\nFROM node:20 AS build-web\nFROM alpine:3.20\nCOPY --from=build-go /app /app\n",
};

impl Rule for Dl3024 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for stage in cx.stages() {
            let Some(name) = stage.name.as_deref() else {
                continue;
            };
            let name = name.to_ascii_lowercase();
            match seen.iter().find(|(n, _)| *n == name) {
                Some((_, line)) => out.push(
                    cx.at_stage(
                        stage,
                        format!(
                            "Duplicate stage name \"{name}\", stage names should be unique (first used on line {line})"
                        ),
                    )
                    .with_fix("Give each stage its own name"),
                ),
                None => seen.push((name, stage.line)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn duplicate_names_are_reported() {
        assert_lines(
            &Dl3024,
            &[
                ("FROM a:1 AS x\nFROM b:1 AS y\n", &[]),
                ("FROM a:1 AS x\nFROM b:1 AS x\n", &[2]),
                ("FROM a:1 AS x\nFROM b:1 AS X\nFROM c:1 AS x\n", &[2, 3]),
                ("FROM a:1\nFROM b:1\n", &[]),
            ],
        );
    }
}
