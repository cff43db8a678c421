//! DL3014: use the `-y` switch with apt-get install.
//!
//! ## What it does
//! Reports `apt-get install` (and `apt install`) without an answer to its
//! confirmation prompt: `-y`, `--yes`, `--assume-yes`, `-qq` (`-q -q`,
//! `-q=2`).
//!
//! ## Why is this bad?
//! Without a terminal, apt asks "Do you want to continue?", reads no
//! answer and aborts, so the build fails as soon as the package needs
//! anything not already installed.
//!
//! ## Where restage differs from hadolint
//! - The prompt is also answered by `-o APT::Get::Assume-Yes=true`, by an
//!   `APT::Get::Assume-Yes "true";` setting an earlier `RUN` of the image
//!   wrote to `/etc/apt/apt.conf.d`, and by `yes | apt-get install ...`;
//!   restage accepts them all.
//! - `apt install` is checked too (DL3027 reports `apt` itself), as are
//!   commands behind `sudo`/`env`/`xargs`, in `sh -c` strings and in
//!   heredoc scripts.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{AptOption, apt_installs, fed_by_yes, shell_runs};
use crate::lint::context::LintContext;
use crate::model::tools::Tool;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Invocation;

/// The rule.
pub struct Dl3014;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3014",
    aliases: &[],
    name: "apt-assume-yes",
    title: "Use the `-y` switch to avoid manual input",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apt-get install` without `-y` (or `--yes`, `--assume-yes`, `-qq`): without a terminal apt cannot be answered and aborts the build. Unlike hadolint, restage also accepts `-o APT::Get::Assume-Yes=true`, an `Assume-Yes` setting written to apt.conf.d by an earlier step, and `yes |`, and checks `apt install` too.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
};

/// Whether the command line answers the prompt.
fn assumes_yes(inv: &Invocation<'_>) -> bool {
    let quiet_two = inv.line.args.iter().any(|a| {
        a.strip_prefix("-q=")
            .or_else(|| a.strip_prefix("--quiet="))
            .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 2))
    });
    inv.has_flag(&["y", "yes", "assume-yes"])
        || inv.line.count_flag(&["q", "quiet"]) >= 2
        || quiet_two
}

impl Rule for Dl3014 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::AptGet, Tool::Apt]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut assume_yes = None;
        for run in shell_runs(cx, true) {
            let installs = apt_installs(&run);
            let unanswered: Vec<&Invocation<'_>> = installs
                .iter()
                .filter(|inv| !assumes_yes(inv))
                .filter(|inv| !fed_by_yes(&run, inv.command))
                .collect();
            if unanswered.is_empty()
                || assume_yes
                    .get_or_insert_with(|| AptOption::find(cx, "::Assume-Yes", &["true", "1", "yes"]))
                    .set_for(cx, &run)
            {
                continue;
            }
            out.push(
                cx.at(
                    run.instruction,
                    "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
                )
                .with_fix("Add `-y` to `apt-get install`"),
            );
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
            &Dl3014,
            &[
                ("FROM a:1\nRUN apt-get install -y curl\n", &[]),
                ("FROM a:1\nRUN apt-get install curl\n", &[2]),
                ("FROM a:1\nRUN apt-get -qy install curl\n", &[]),
                (
                    "FROM a:1\nRUN apt-get install --yes curl && apt-get install --assume-yes git\n",
                    &[],
                ),
                ("FROM a:1\nRUN apt-get install -qq curl\n", &[]),
                ("FROM a:1\nRUN apt-get install -q -q curl\n", &[]),
                ("FROM a:1\nRUN apt-get install -q=2 curl\n", &[]),
                ("FROM a:1\nRUN apt-get install -q curl\n", &[2]),
                ("FROM a:1\nRUN apt-get update\n", &[]),
                ("FROM a:1\nRUN apt install curl\n", &[2]),
                ("FROM a:1\nRUN sudo apt-get install curl\n", &[2]),
                ("FROM a:1\nRUN yes | apt-get install curl\n", &[]),
                (
                    "FROM a:1\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n",
                    &[],
                ),
                (
                    "FROM a:1 AS base\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nFROM base\nRUN apt-get install curl\n",
                    &[],
                ),
                (
                    "FROM a:1 AS base\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nFROM a:1\nRUN apt-get install curl\n",
                    &[4],
                ),
                ("FROM a:1\nRUN <<EOF\napt-get install curl\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN apt-get install curl\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN apt-get install x\nFROM b\nRUN apt-get install y\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
