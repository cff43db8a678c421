//! DL4001: either use `wget` or `curl`, but not both.
//!
//! ## What it does
//! Reports, within one stage, each `RUN` that uses `curl` or `wget` once
//! both have been used in the stage.
//!
//! ## Why is this bad?
//! Both tools do the same job here; having both means installing (and
//! shipping, and patching) one more tool than needed.
//!
//! ## Where restage differs from hadolint
//! - `sudo curl`, `/usr/bin/wget`, `env ... curl` and commands in heredoc
//!   scripts are recognised (hadolint only matches the bare names).
//! - `ONBUILD RUN` triggers are counted per stage, like other `RUN`s, in a
//!   set of their own (they run in the child build). hadolint never resets
//!   its `ONBUILD` state at `FROM`, so a `curl` trigger in one stage and a
//!   `wget` trigger in another are reported there.

use super::shared_b::shell_runs;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Dl4001;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4001",
    aliases: &[],
    name: "curl-and-wget",
    title: "Either use Wget or Curl but not both",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`curl` and `wget` do the same job; using both in a stage means one more tool to install and patch. restage recognises them behind `sudo`, by path and in heredoc scripts.",
    bad: "FROM debian:12\nRUN curl -fsSLO https://example.com/a.tgz\nRUN wget -q https://example.com/b.tgz\n",
    good: "FROM debian:12\nRUN curl -fsSLO https://example.com/a.tgz\nRUN curl -fsSLO https://example.com/b.tgz\n",
};

impl Rule for Dl4001 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Curl, Tool::Wget]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // Per (stage, onbuild): the first line each tool was seen on.
        let mut seen: Vec<(Option<usize>, bool, Tool, usize)> = Vec::new();
        for run in shell_runs(cx, true) {
            let key = (run.instruction.stage, run.onbuild);
            let tools: Vec<Tool> = run
                .run
                .commands()
                .filter_map(recognise)
                .map(|inv| inv.tool)
                .filter(|t| matches!(t, Tool::Curl | Tool::Wget))
                .collect();
            if tools.is_empty() {
                continue;
            }
            for tool in &tools {
                if !seen.iter().any(|(s, o, t, _)| (*s, *o) == key && t == tool) {
                    seen.push((key.0, key.1, *tool, run.instruction.start_line));
                }
            }
            let other = |tool: Tool| {
                seen.iter()
                    .find(|(s, o, t, _)| (*s, *o) == key && *t == tool)
                    .map(|(_, _, _, line)| *line)
            };
            if let (Some(curl), Some(wget)) = (other(Tool::Curl), other(Tool::Wget)) {
                out.push(
                    cx.at(
                        run.instruction,
                        format!(
                            "Either use Wget or Curl but not both: this stage uses `curl` (line {curl}) and `wget` (line {wget})"
                        ),
                    )
                    .with_fix("Use one download tool throughout the stage"),
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
    fn both_tools() {
        assert_lines(
            &Dl4001,
            &[
                ("FROM a\nRUN curl x\nRUN wget y\n", &[3]),
                (
                    "FROM a\nRUN curl x\nRUN echo\nRUN wget y\nRUN curl z\n",
                    &[4, 5],
                ),
                ("FROM a\nRUN curl x && wget y\n", &[2]),
                ("FROM a\nRUN curl x\nFROM b\nRUN wget y\n", &[]),
                ("FROM a\nRUN apt-get install -y curl wget\n", &[]),
                ("FROM a\nRUN /usr/bin/curl x && sudo wget y\n", &[2]),
                ("FROM a\nRUN curl x\nONBUILD RUN wget y\n", &[]),
                ("FROM a\nONBUILD RUN curl x\nONBUILD RUN wget y\n", &[3]),
                (
                    "FROM a\nONBUILD RUN curl x\nFROM b\nONBUILD RUN wget y\n",
                    &[],
                ),
                ("FROM a\nRUN <<EOF\ncurl x\nwget y\nEOF\n", &[2]),
            ],
        );
    }
}
