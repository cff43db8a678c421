//! DL3003: use WORKDIR to switch to a directory.
//!
//! ## What it does
//! Reports a `RUN` that changes directory with `cd`.
//!
//! ## Why is this bad?
//! `WORKDIR` states the directory once, for every later instruction, and
//! creates it if needed; a `cd` buried in a shell line only lasts for that
//! line, so later steps silently run elsewhere and readers must trace
//! every `cd` to know where files go.
//!
//! ## Where restage differs from hadolint
//! `cd` in heredoc scripts (`RUN <<EOF`) and in `sh -c '...'` strings is
//! seen too.
//!
//! ## Notes
//! As in hadolint, `ONBUILD RUN` is not checked.

use super::shared_a::shell_runs;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3003;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3003",
    aliases: &[],
    name: "use-workdir",
    title: "Use WORKDIR to switch to a directory",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `cd` in `RUN`. `WORKDIR` sets the directory for every later instruction and creates it; a `cd` only lasts for its own line, so later steps run elsewhere than they seem to. restage also reads heredoc scripts and `sh -c` strings.",
    bad: "FROM alpine:3.20\nRUN cd /app && make\n",
    good: "FROM alpine:3.20\nWORKDIR /app\nRUN make\n",
};

impl Rule for Dl3003 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, false) {
            let target = run
                .run
                .commands()
                .find(|c| c.is("cd"))
                .map(|c| c.args.first().cloned().unwrap_or_default());
            if let Some(target) = target {
                let message = if target.is_empty() {
                    "Use WORKDIR to switch to a directory instead of `cd`".to_string()
                } else {
                    format!("Use WORKDIR to switch to a directory instead of `cd {target}`")
                };
                let fix = if target.starts_with('/') {
                    format!("Use `WORKDIR {target}` before this RUN")
                } else {
                    "Use `WORKDIR <directory>` before this RUN".to_string()
                };
                out.push(cx.at(run.instruction, message).with_fix(fix));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn cd_is_reported() {
        assert_lines(
            &Dl3003,
            &[
                ("FROM a:1\nWORKDIR /app\nRUN make\n", &[]),
                ("FROM a:1\nRUN cd /app && make\n", &[2]),
                ("FROM a:1\nRUN echo cd\n", &[]),
                ("FROM a:1\nRUN (cd src; make)\n", &[2]),
                ("FROM a:1\nRUN <<EOF\ncd /app\nmake\nEOF\n", &[2]),
                ("FROM a:1\nRUN sh -c 'cd /app && make'\n", &[2]),
                ("FROM a:1\nONBUILD RUN cd /app\n", &[]),
                ("FROM a:1 AS b\nRUN cd /x\nFROM b\nRUN cd /y\n", &[2, 4]),
            ],
        );
    }
}
