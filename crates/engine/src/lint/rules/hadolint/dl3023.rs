//! DL3023: COPY --from cannot reference its own FROM alias.
//!
//! ## What it does
//! Reports a `COPY --from` (or `RUN --mount from=`) that names the stage it
//! is in, by name or by index.
//!
//! ## Why is this bad?
//! A stage cannot read its own result while building it: BuildKit stops
//! with "circular dependency detected".
//!
//! ## Where restage differs from hadolint
//! Names are compared case-insensitively and stage indexes count, as in
//! BuildKit (`COPY --from=0` in the first stage); `RUN --mount from=` is
//! checked too.
//!
//! ## Notes
//! `ONBUILD COPY --from` runs in another build and is not checked.

use super::shared_a::{FromSource, from_references, from_source};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3023;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3023",
    aliases: &[],
    name: "copy-from-own-stage",
    title: "COPY --from cannot reference its own FROM alias",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `COPY --from` naming the stage it is in: a stage cannot read its own result, and BuildKit stops with a circular dependency. restage matches names case-insensitively and stage indexes as BuildKit does, and checks `RUN --mount from=` too.",
    bad: "FROM golang:1.23 AS build\nCOPY --from=build /src /src\n",
    good: "FROM golang:1.23 AS src\nFROM golang:1.23 AS build\nCOPY --from=src /src /src\n",
};

impl Rule for Dl3023 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, value, is_copy) in from_references(cx) {
            let Some(current) = instruction.stage else {
                continue;
            };
            if let FromSource::Stage(stage) = from_source(cx, value, is_copy)
                && stage.index == current
            {
                let what = if is_copy {
                    "`COPY --from`"
                } else {
                    "`RUN --mount from=`"
                };
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "{what} cannot reference its own `FROM` alias: `{value}` is this stage"
                        ),
                    )
                    .with_fix("Copy from an earlier stage, or use a plain `COPY` from the context"),
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
    fn self_references_are_reported() {
        assert_lines(
            &Dl3023,
            &[
                ("FROM a:1 AS x\nCOPY --from=x /a /b\n", &[2]),
                ("FROM a:1 AS x\nCOPY --from=X /a /b\n", &[2]),
                ("FROM a:1 AS x\nCOPY --from=0 /a /b\n", &[2]),
                ("FROM a:1 AS x\nFROM b:1 AS y\nCOPY --from=x /a /b\n", &[]),
                ("FROM a:1 AS x\nFROM b:1\nCOPY --from=1 /a /b\n", &[3]),
                ("FROM a:1 AS x\nRUN --mount=from=x,target=/s make\n", &[2]),
                ("FROM a:1 AS x\nONBUILD COPY --from=x /a /b\n", &[]),
                ("FROM a:1\nCOPY --from=nginx:1 /a /b\n", &[]),
            ],
        );
    }
}
