//! DL3067: do not copy an entire filesystem from another stage.
//!
//! ## What it does
//! Reports `COPY --from=<stage or image> / /`: a copy of the whole root
//! filesystem onto the root.
//!
//! ## Why is this bad?
//! It copies everything, package databases, caches and build tools
//! included, into a new layer on top of the current one: the image keeps
//! both copies, and the point of a multi-stage build (copying only the
//! artifacts) is lost.
//!
//! ## Notes
//! `/.` and quoted `"/"` count as the root too. `ONBUILD COPY` is checked
//! as well.

use super::shared_b::is_root;
use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3067;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3067",
    aliases: &[],
    name: "copy-entire-filesystem",
    title: "Do not copy an entire filesystem from another stage",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`COPY --from=x / /` copies a whole filesystem, caches and tools included, over the current one; copy only the artifacts you need. restage also checks `ONBUILD COPY` and `/.` as the root.",
    bad: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build / /\n",
    good: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n",
};

impl Rule for Dl3067 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, _) in cx.typed(true) {
            let CommandKind::Copy(copy) = kind else {
                continue;
            };
            let Some(from) = &copy.from else {
                continue;
            };
            if is_root(&copy.dest) && copy.sources.iter().any(|s| is_root(s)) {
                out.push(
                    cx.at(
                        instruction,
                        format!("Do not copy an entire filesystem from another stage: `COPY --from={from} / /`"),
                    )
                    .with_fix("Copy only the files the image needs, e.g. `COPY --from=build /out/app /app`"),
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
    fn whole_filesystem() {
        assert_lines(
            &Dl3067,
            &[
                ("FROM a AS b\nFROM c\nCOPY --from=b / /\n", &[3]),
                ("FROM a AS b\nFROM c\nCOPY --from=b \"/\" /.\n", &[3]),
                ("FROM a AS b\nFROM c\nCOPY --from=b /app /\n", &[]),
                ("FROM a AS b\nFROM c\nCOPY --from=b / /app\n", &[]),
                ("FROM c\nCOPY / /\n", &[]),
                ("FROM c\nONBUILD COPY --from=x / /\n", &[2]),
            ],
        );
    }
}
