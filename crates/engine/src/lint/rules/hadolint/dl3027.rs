//! DL3027: do not use apt.
//!
//! ## What it does
//! Reports a `RUN` that calls `apt` (not `apt-get` or `apt-cache`).
//!
//! ## Why is this bad?
//! `apt` is meant for people at a terminal: its output and behaviour may
//! change between releases, and it warns "apt does not have a stable CLI
//! interface. Use with caution in scripts." `apt-get` and `apt-cache` are
//! the stable interfaces for scripts.
//!
//! ## Where restage differs from hadolint
//! `apt` behind `sudo`/`env`/`xargs`, in `sh -c` strings and in heredoc
//! scripts is seen.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::shell_runs;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Dl3027;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3027",
    aliases: &[],
    name: "no-apt",
    title: "Do not use apt, use apt-get or apt-cache instead",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apt` in `RUN`: it is an interactive tool without a stable command-line interface; scripts should use `apt-get` and `apt-cache`. restage also sees `apt` behind `sudo`/`env` and in heredoc scripts.",
    bad: "FROM debian:12\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
};

impl Rule for Dl3027 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Apt]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            if run
                .run
                .commands()
                .any(|c| recognise(c).is_some_and(|inv| inv.tool == Tool::Apt))
            {
                out.push(
                    cx.at(
                        run.instruction,
                        "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
                    )
                    .with_fix("Replace `apt` with `apt-get` (or `apt-cache` for queries)"),
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
    fn apt_is_reported() {
        assert_lines(
            &Dl3027,
            &[
                ("FROM a:1\nRUN apt-get update\n", &[]),
                ("FROM a:1\nRUN apt update\n", &[2]),
                ("FROM a:1\nRUN apt-cache policy curl\n", &[]),
                ("FROM a:1\nRUN sudo apt install -y x\n", &[2]),
                ("FROM a:1\nRUN echo apt\n", &[]),
                ("FROM a:1\nRUN <<EOF\napt install -y x\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN apt update\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN apt update\nFROM b\nRUN apt list\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
