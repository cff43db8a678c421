//! DL3015: avoid additional packages by specifying --no-install-recommends.
//!
//! ## What it does
//! Reports `apt-get install` (and `apt install`) that installs recommended
//! packages: no `--no-install-recommends` and no
//! `APT::Install-Recommends=false`.
//!
//! ## Why is this bad?
//! Debian and Ubuntu install "recommended" packages by default: often
//! documentation, X libraries or whole toolchains the image never uses,
//! which add size and attack surface.
//!
//! ## Where restage differs from hadolint
//! - An `APT::Install-Recommends "false";` (or `"0"`) setting written to
//!   `/etc/apt/apt.conf.d` by an earlier `RUN` of the image is honoured, as
//!   is `-o APT::Install-Recommends=0`.
//! - `apt install` is checked too, as are commands behind
//!   `sudo`/`env`/`xargs`, in `sh -c` strings and in heredoc scripts.
//!
//! ## Notes
//! Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{AptOption, apt_installs, shell_runs};
use crate::lint::context::LintContext;
use crate::model::tools::Tool;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3015;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3015",
    aliases: &[],
    name: "apt-no-install-recommends",
    title: "Avoid additional packages by specifying `--no-install-recommends`",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apt-get install` without `--no-install-recommends`: apt then also installs recommended packages the image rarely needs. Unlike hadolint, restage honours an `APT::Install-Recommends \"false\"` setting written to apt.conf.d by an earlier step and `-o APT::Install-Recommends=0`, and checks `apt install` too.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
};

impl Rule for Dl3015 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::AptGet, Tool::Apt]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut recommends_off = None;
        for run in shell_runs(cx, true) {
            let missing = apt_installs(&run)
                .iter()
                .any(|inv| !inv.has_flag(&["no-install-recommends"]));
            if !missing
                || recommends_off
                    .get_or_insert_with(|| {
                        AptOption::find(cx, "::Install-Recommends", &["false", "0", "no"])
                    })
                    .set_for(cx, &run)
            {
                continue;
            }
            out.push(
                cx.at(
                    run.instruction,
                    "Avoid additional packages by specifying `--no-install-recommends`",
                )
                .with_fix("Add `--no-install-recommends` to `apt-get install`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn recommends_are_reported() {
        assert_lines(
            &Dl3015,
            &[
                (
                    "FROM a:1\nRUN apt-get install -y --no-install-recommends curl\n",
                    &[],
                ),
                ("FROM a:1\nRUN apt-get install -y curl\n", &[2]),
                ("FROM a:1\nRUN apt-get update\n", &[]),
                (
                    "FROM a:1\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get install -y -o APT::Install-Recommends=0 curl\n",
                    &[],
                ),
                ("FROM a:1\nRUN apt install -y curl\n", &[2]),
                ("FROM a:1\nRUN sudo apt-get install -y curl\n", &[2]),
                (
                    "FROM a:1\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norecommend\nRUN apt-get install -y curl\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN echo 'APT::Install-Recommends \"1\";' > /etc/apt/apt.conf.d/01rec\nRUN apt-get install -y curl\n",
                    &[3],
                ),
                ("FROM a:1\nRUN <<EOF\napt-get install -y curl\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN apt-get install -y curl\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN apt-get install -y x\nFROM b\nRUN apt-get install -y y\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
