//! DL3057: `HEALTHCHECK` instruction missing.
//!
//! ## What it does
//! Reports an image without a `HEALTHCHECK`: the final stage has none,
//! and neither has a stage it is built on (`FROM <stage>`). `HEALTHCHECK
//! NONE` counts as a decision and passes.
//!
//! ## Why is this bad?
//! Without a health check, Docker and orchestrators only know whether the
//! main process runs, not whether it works.
//!
//! ## Where restage differs from hadolint
//! hadolint checks every stage, build stages included, although their
//! health checks never reach the image. restage checks the image the build
//! produces: the final stage with what it inherits.
//!
//! ## Notes
//! Off by default, as in hadolint (where its severity is `ignore`): enable
//! it with an override (`override: {info: [DL3057]}`). A `HEALTHCHECK` set
//! by the base image is not known and does not count.

use crate::dockerfile::Keyword;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3057;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3057",
    aliases: &[],
    name: "healthcheck-missing",
    title: "`HEALTHCHECK` instruction missing",
    severity: Severity::Info,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: false,
    doc: "Without a `HEALTHCHECK`, Docker only knows whether the process runs, not whether it works. Off by default (hadolint's `ignore`). Unlike hadolint, which checks every stage, restage checks the produced image: the final stage and the stages it is built on.",
    bad: "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n",
    good: "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\n",
};

impl Rule for Dl3057 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.final_stage() else {
            return;
        };
        let has = cx.lineage(last).iter().any(|s| {
            cx.stage_instructions(s)
                .any(|i| i.keyword == Keyword::Healthcheck)
        });
        if !has {
            out.push(
                cx.at_stage(last, "`HEALTHCHECK` instruction missing: the image has no health check")
                    .with_fix("Add `HEALTHCHECK CMD <command>` to the final stage (or `HEALTHCHECK NONE` to say there is none)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn final_image_health_check() {
        assert_lines(
            &Dl3057,
            &[
                ("FROM a\n", &[1]),
                ("FROM a\nHEALTHCHECK CMD x\n", &[]),
                ("FROM a\nHEALTHCHECK NONE\n", &[]),
                ("FROM a AS b\nHEALTHCHECK CMD x\nFROM b\n", &[]),
                (
                    "FROM a AS b\nHEALTHCHECK CMD x\nFROM c\nCOPY --from=b /x /x\n",
                    &[3],
                ),
                ("FROM a AS b\nRUN x\nFROM c\nHEALTHCHECK CMD x\n", &[]),
                (
                    "ARG BASE=b\nFROM a AS b\nHEALTHCHECK CMD x\nFROM ${BASE}\n",
                    &[],
                ),
                ("ARG BASE=nginx:1.27\nFROM ${BASE}\n", &[2]),
            ],
        );
    }
}
