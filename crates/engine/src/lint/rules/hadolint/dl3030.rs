//! DL3030: use the `-y` switch with yum install.
//!
//! ## What it does
//! Reports `yum install`, `groupinstall` or `localinstall` without `-y`
//! (`--assumeyes`).
//!
//! ## Why is this bad?
//! Without a terminal, yum cannot be answered and aborts the install, so
//! the build fails.
//!
//! ## Where restage differs from hadolint
//! - `-y` in a bundle (`-qy`) counts, and `yes | yum install ...` answers
//!   the prompt too.
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`. `dnf` and
//! `microdnf` are DL3038's.

use super::shared_a::{fed_by_yes, invocations_in, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3030;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3030",
    aliases: &[],
    name: "yum-assume-yes",
    title: "Use the -y switch to avoid manual input `yum install -y <package>`",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `yum install` without `-y`: without a terminal yum cannot be answered and aborts the build. restage also accepts `yes | yum install`, and sees commands behind `sudo`/`env` and in heredoc scripts.",
    bad: "FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
};

impl Rule for Dl3030 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Yum]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let installs = invocations_in(
                &run,
                &[Tool::Yum],
                &["install", "groupinstall", "localinstall"],
            );
            let unanswered = installs
                .iter()
                .any(|inv| !inv.has_flag(&["y", "assumeyes"]) && !fed_by_yes(&run, inv.command));
            if unanswered {
                out.push(
                    cx.at(
                        run.instruction,
                        "Use the -y switch to avoid manual input `yum install -y <package>`",
                    )
                    .with_fix("Add `-y` to `yum install`"),
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
    fn install_without_yes_is_reported() {
        assert_lines(
            &Dl3030,
            &[
                ("FROM a:1\nRUN yum install -y httpd\n", &[]),
                ("FROM a:1\nRUN yum install httpd\n", &[2]),
                ("FROM a:1\nRUN yum -qy install httpd\n", &[]),
                ("FROM a:1\nRUN yum --assumeyes groupinstall x\n", &[]),
                ("FROM a:1\nRUN yum localinstall /tmp/x.rpm\n", &[2]),
                ("FROM a:1\nRUN yum clean all\n", &[]),
                ("FROM a:1\nRUN yes | yum install httpd\n", &[]),
                ("FROM a:1\nRUN sudo yum install httpd\n", &[2]),
                ("FROM a:1\nRUN <<EOF\nyum install httpd\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN yum install httpd\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN yum install x\nFROM b\nRUN yum install y\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
