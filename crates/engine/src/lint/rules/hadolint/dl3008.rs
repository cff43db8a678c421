//! DL3008: pin versions in apt-get install.
//!
//! ## What it does
//! Reports `apt-get install` (and `apt install`) of packages without a
//! version (`pkg=1.2.3`).
//!
//! ## Why is this bad?
//! Without a version, each build installs whatever the archive holds that
//! day: rebuilds of the same Dockerfile produce different images, and an
//! upstream change can break the build or the application unnoticed.
//!
//! ## Where restage differs from hadolint
//! - Package lists in variables are read through their values, from
//!   `ARG`/`ENV` or from a shell variable the same `RUN` sets: `ARG
//!   PKGS="curl git"` + `apt-get install $PKGS` reports `curl` and `git`,
//!   `deps="curl=8.5.0-2"; apt-get install $deps` passes. hadolint reports
//!   every `$VAR` word as one unpinned package. A word that is only a
//!   variable restage cannot know (set by the base image, a loop, `$(...)`,
//!   a build argument without default) is not reported; a word mixing text
//!   and an unknown variable is judged by its shape
//!   (`postgresql-${PG_MAJOR}` is unpinned, `curl=${V}` is pinned).
//! - `apt install` is checked too (DL3027 reports `apt` itself).
//! - Commands behind wrappers (`sudo`, `env`, `xargs`), in `sh -c '...'`
//!   and in heredoc scripts are seen.
//!
//! ## Notes
//! As in hadolint, an argument containing `/` (a release, `pkg/bookworm`,
//! or a path) or ending in `.deb` is accepted, and the value of
//! `-t`/`--target-release` and `-o` is not a package. Applies to `ONBUILD
//! RUN` too. One finding per `RUN`.

use super::shared_a::{apt_installs, quoted_list, RunVariables, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rules::UniqueList;
use crate::model::tools::Tool;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3008;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3008",
    aliases: &[],
    name: "apt-pin-versions",
    title: "Pin versions in apt-get install",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apt-get install` of packages without `=<version>`: each build then installs whatever the archive holds that day. Unlike hadolint, restage reads package lists in `ARG`/`ENV` variables through their values (and skips variables whose value it cannot know, instead of reporting `$VAR` as a package), checks `apt install` too, and sees commands behind `sudo`/`env` and in heredoc scripts.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
};

/// `pkg=version`, `pkg/release`, `./file.deb`.
fn pinned(package: &str) -> bool {
    package.contains('=') || package.contains('/') || package.ends_with(".deb")
}

impl Rule for Dl3008 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::AptGet, Tool::Apt]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let invocations = apt_installs(&run);
            if invocations.is_empty() {
                continue;
            }
            let vars = RunVariables::new(cx, &run);
            let mut unpinned = UniqueList::default();
            for inv in invocations {
                for operand in inv.operands() {
                    for package in vars.expand(operand).unwrap_or_default() {
                        if !pinned(&package) {
                            unpinned.push(package);
                        }
                    }
                }
            }
            if !unpinned.is_empty() {
                out.push(
                    cx.at(
                        run.instruction,
                        format!(
                            "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`: {}",
                            quoted_list(unpinned.items())
                        ),
                    )
                    .with_fix("Add `=<version>` to each package (`apt-cache policy <package>` lists the versions)"),
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
    fn unpinned_packages_are_reported() {
        assert_lines(
            &Dl3008,
            &[
                (
                    "FROM a:1\nRUN apt-get install -y curl=7.0 git=1:2.39\n",
                    &[],
                ),
                ("FROM a:1\nRUN apt-get install -y curl=7.0 git\n", &[2]),
                ("FROM a:1\nRUN apt-get install -y curl=7.0\n", &[]),
                ("FROM a:1\nRUN apt-get update\n", &[]),
                (
                    "FROM a:1\nRUN apt-get install -y ./local.deb /tmp/x.deb\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get install -y -t bookworm-backports curl=1\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get -o Dpkg::Options::=--force-confold install -y curl=1\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get install -y curl/bookworm-backports\n",
                    &[],
                ),
                ("FROM a:1\nRUN sudo apt-get install -y curl\n", &[2]),
                ("FROM a:1\nRUN apt install -y curl\n", &[2]),
                ("FROM a:1\nRUN echo apt-get install curl\n", &[]),
                // Variables are read through their values.
                (
                    "FROM a:1\nARG PKGS=\"curl git\"\nRUN apt-get install -y $PKGS\n",
                    &[3],
                ),
                (
                    "FROM a:1\nENV PKGS=\"curl=1 git=2\"\nRUN apt-get install -y ${PKGS}\n",
                    &[],
                ),
                ("FROM a:1\nARG PKGS\nRUN apt-get install -y $PKGS\n", &[]),
                ("FROM a:1\nRUN apt-get install -y $(cat /pkgs.txt)\n", &[]),
                ("FROM a:1\nARG V=1.0\nRUN apt-get install -y curl=$V\n", &[]),
                ("FROM a:1\nRUN apt-get install -y curl=$CURL_VERSION\n", &[]),
                (
                    "FROM a:1\nRUN apt-get install -y postgresql-${PG_MAJOR}\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN deps='curl git'; apt-get install -y $deps\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN deps='curl=1 git=2'; apt-get install -y $deps\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN export deps=\"$(cat /x)\"; apt-get install -y $deps\n",
                    &[],
                ),
                // Heredoc and ONBUILD.
                (
                    "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
                    &[2],
                ),
                ("FROM a:1\nONBUILD RUN apt-get install -y curl\n", &[2]),
                ("FROM a:1\nONBUILD RUN apt-get install -y $PKG\n", &[]),
                (
                    "FROM a:1 AS b\nRUN apt-get install -y x\nFROM b\nRUN apt-get install -y y\n",
                    &[2, 4],
                ),
                // One finding per RUN.
                (
                    "FROM a:1\nRUN apt-get install -y x && apt-get install -y y\n",
                    &[2],
                ),
            ],
        );
    }
}
