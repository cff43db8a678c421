//! DL3063: stage name is a reserved word.
//!
//! ## What it does
//! Reports a stage named `scratch` or `context` (`FROM ... AS scratch`).
//!
//! ## Why is this bad?
//! `scratch` is the empty image and `context` names the build context in
//! `COPY --from` and `RUN --mount from=`. A stage with one of these names
//! makes later references ambiguous; BuildKit warns about it
//! (`ReservedStageName`).
//!
//! ## Notes
//! Same check as BuildKit's `ReservedStageName`, which is an alias of this
//! rule, with BuildKit's message. Names are compared in lower case, as
//! BuildKit stores them.

use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3063;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3063",
    aliases: &["ReservedStageName"],
    name: "reserved-stage-name",
    title: "Stage name should not be a reserved word",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`scratch` and `context` are reserved: a stage with one of these names makes `FROM`, `COPY --from` and `--mount from=` references ambiguous. Same as BuildKit's `ReservedStageName`.",
    bad: "FROM golang:1.23 AS scratch\nRUN go build -o /app .\n",
    good: "FROM golang:1.23 AS build\nRUN go build -o /app .\n",
};

impl Rule for Dl3063 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            if let Some(name @ ("scratch" | "context")) = stage.name.as_deref() {
                out.push(
                    cx.at_stage(
                        stage,
                        format!(
                            "Stage name should not use the same name as reserved stage \"{name}\""
                        ),
                    )
                    .with_fix("Rename the stage, e.g. `AS build`"),
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
    fn reserved_names() {
        assert_lines(
            &Dl3063,
            &[
                ("FROM a AS scratch\n", &[1]),
                ("FROM a AS Context\n", &[1]),
                ("FROM a AS build\nFROM scratch\n", &[]),
                ("FROM a\n", &[]),
                ("ARG BASE=alpine:3.20\nFROM ${BASE} AS scratch\n", &[2]),
            ],
        );
    }
}
