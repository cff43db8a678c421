//! DL3028: pin versions in gem install.
//!
//! ## What it does
//! Reports `gem install` (or `gem i`) of gems without a version
//! (`gem:1.2.3`, or `-v`/`--version`).
//!
//! ## Why is this bad?
//! An unpinned gem installs the latest release at build time, so rebuilds
//! differ and a new release can break the image.
//!
//! ## Where restage differs from hadolint
//! - hadolint takes the word after any flag for the flag's value, so `gem
//!   install -N rails` or `gem install --no-document rails` passes there;
//!   restage knows which gem flags take a value and reports `rails`.
//! - Local gem files (`./pkg-1.0.gem`) are pinned by the file and accepted.
//! - Gem lists in variables are read through their values, from `ARG`/`ENV`
//!   or from a shell variable the same `RUN` sets (`ARG GEMS="rails puma"`
//!   then `gem install $GEMS` reports both). hadolint reports every `$VAR`
//!   word as one unpinned package. A word that is only a variable restage
//!   cannot know (set by the base image, a loop, `$(...)`, a build argument
//!   without default) is not reported; a word mixing text and an unknown
//!   variable is judged by its shape (`rails:${V}` is pinned).
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! As in hadolint, `-v`/`--version` anywhere pins the command. Applies to
//! `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{invocations_in, quoted_list, RunVariables, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rules::UniqueList;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3028;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3028",
    aliases: &[],
    name: "gem-pin-versions",
    title: "Pin versions in gem install",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `gem install <gem>` without `:<version>` or `-v`: the latest release is installed, so rebuilds differ. Unlike hadolint, which takes the word after any flag for its value (so `gem install -N rails` passes there), restage knows gem's value flags, accepts local `.gem` files, and reads gem lists in `ARG`/`ENV` variables through their values.",
    bad: "FROM ruby:3.3-slim\nRUN gem install bundler\n",
    good: "FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n",
};

impl Rule for Dl3028 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Gem]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let invocations = invocations_in(&run, &[Tool::Gem], &["install", "i"]);
            if invocations.is_empty() {
                continue;
            }
            let vars = RunVariables::new(cx, &run);
            let mut unpinned = UniqueList::default();
            for inv in invocations {
                if inv.has_flag(&["v", "version"]) {
                    continue;
                }
                for operand in inv.operands() {
                    for gem in vars.expand(operand).unwrap_or_default() {
                        if !gem.contains(':') && !gem.ends_with(".gem") {
                            unpinned.push(gem);
                        }
                    }
                }
            }
            if !unpinned.is_empty() {
                out.push(
                    cx.at(
                        run.instruction,
                        format!(
                            "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`: {}",
                            quoted_list(unpinned.items())
                        ),
                    )
                    .with_fix("Add `:<version>` to each gem, or `-v <version>`"),
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
    fn unpinned_gems_are_reported() {
        assert_lines(
            &Dl3028,
            &[
                ("FROM a:1\nRUN gem install rails:7.1.0\n", &[]),
                ("FROM a:1\nRUN gem install rails\n", &[2]),
                ("FROM a:1\nRUN gem i rails\n", &[2]),
                ("FROM a:1\nRUN gem install rails -v 7.1.0\n", &[]),
                ("FROM a:1\nRUN gem install bundler --version=2.5\n", &[]),
                ("FROM a:1\nRUN gem install -N rails\n", &[2]),
                (
                    "FROM a:1\nRUN gem install --no-document rails:7 puma\n",
                    &[2],
                ),
                ("FROM a:1\nRUN gem install ./pkg-1.0.gem\n", &[]),
                ("FROM a:1\nRUN gem update --system\n", &[]),
                (
                    "FROM a:1\nRUN gem install --install-dir /opt/gems rails:7\n",
                    &[],
                ),
                (
                    "FROM a:1\nARG GEMS=\"rails puma\"\nRUN gem install $GEMS\n",
                    &[3],
                ),
                ("FROM a:1\nRUN <<EOF\ngem install rails\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN gem install rails\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN gem install x\nFROM b\nRUN gem install y\n",
                    &[2, 4],
                ),
            ],
        );
    }
}
