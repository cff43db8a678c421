//! DL3035: do not use `zypper dist-upgrade`.
//!
//! ## What it does
//! Reports `zypper dist-upgrade` (`zypper dup`).
//!
//! ## Why is this bad?
//! A distribution upgrade inside an image build moves the image to whatever
//! the repositories hold that day, possibly a new release of the
//! distribution: the result depends on the day of the build and can differ
//! a lot from the base image it claims to be. Pick a newer base image
//! instead.
//!
//! ## Notes
//! `sudo zypper` and `/usr/bin/zypper` are recognised, and heredoc scripts
//! are read.

use super::shared_b::invocations;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3035;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3035",
    aliases: &[],
    name: "zypper-dist-upgrade",
    title: "Do not use `zypper dist-upgrade`",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "A `zypper dist-upgrade` in a build moves the image to whatever the repositories hold that day, possibly a new distribution release. Use a newer base image instead.",
    bad: "FROM opensuse/leap:15.6\nRUN zypper --non-interactive dist-upgrade\n",
    good: "FROM opensuse/leap:15.6\nRUN zypper --non-interactive patch\n",
};

impl Rule for Dl3035 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Zypper]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for (view, inv) in invocations(cx, Tool::Zypper, true) {
            let Some(sub @ ("dist-upgrade" | "dup")) = inv.subcommand() else {
                continue;
            };
            let key = (view.run.instruction.node, view.run.onbuild);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(
                cx.at(
                    view.run.instruction,
                    format!("Do not use `zypper {sub}`: the image becomes whatever the repositories hold on the day of the build"),
                )
                .with_fix("Use a newer base image, or `zypper patch` for fixes"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn dist_upgrade() {
        assert_lines(
            &Dl3035,
            &[
                ("FROM a\nRUN zypper dist-upgrade\n", &[2]),
                ("FROM a\nRUN zypper -n dup\n", &[2]),
                ("FROM a\nRUN zypper up\n", &[]),
                ("FROM a\nRUN sudo zypper dup\n", &[2]),
                ("FROM a\nONBUILD RUN zypper dup\n", &[2]),
                ("FROM a\nRUN <<EOF\nzypper dup\nEOF\n", &[2]),
                ("FROM a\nRUN echo zypper dup\n", &[]),
            ],
        );
    }
}
