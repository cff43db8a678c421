//! DL3018: pin versions in apk add.
//!
//! ## What it does
//! Reports `apk add` of packages without a version constraint
//! (`pkg=1.2.3-r0`, `pkg~1.2`, `pkg>1`, `pkg<2`).
//!
//! ## Why is this bad?
//! An unpinned package installs whatever the Alpine repository holds at
//! build time, so rebuilds differ and an update can break the image.
//!
//! ## Where restage differs from hadolint
//! - Package lists in variables are read through their values, from
//!   `ARG`/`ENV` or from a shell variable the same `RUN` sets (`ARG
//!   PKGS="curl git"` + `apk add $PKGS` reports both). hadolint reports
//!   every `$VAR` word as one unpinned package. A word that is only a
//!   variable restage cannot know (set by the base image, a loop, `$(...)`,
//!   a build argument without default) is not reported; a word mixing text
//!   and an unknown variable is judged by its shape (`php${PHP}-fpm` is
//!   unpinned, `curl=${V}` is pinned).
//! - Commands behind `sudo`/`env`, in `sh -c` strings and in heredoc
//!   scripts are seen.
//!
//! ## Notes
//! As in hadolint, local `.apk` files are accepted and the values of
//! `-t`/`--virtual`, `-X`/`--repository` (and apk's other value flags) are
//! not packages. Applies to `ONBUILD RUN` too. One finding per `RUN`.

use super::shared_a::{invocations_in, quoted_list, RunVariables, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rules::UniqueList;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3018;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3018",
    aliases: &[],
    name: "apk-pin-versions",
    title: "Pin versions in apk add",
    severity: Severity::Warning,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `apk add` of packages without a version constraint (`=`, `~`, `>`, `<`): each build installs the repository's current release. Unlike hadolint, restage reads package lists in `ARG`/`ENV` variables through their values and skips variables it cannot know instead of reporting them.",
    bad: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
};

fn pinned(package: &str) -> bool {
    package.contains(['=', '~', '>', '<']) || package.ends_with(".apk")
}

impl Rule for Dl3018 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Apk]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for run in shell_runs(cx, true) {
            let invocations = invocations_in(&run, &[Tool::Apk], &["add"]);
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
                            "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`: {}",
                            quoted_list(unpinned.items())
                        ),
                    )
                    .with_fix("Add `=<version>` to each package (`apk policy <package>` lists the versions)"),
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
            &Dl3018,
            &[
                (
                    "FROM a:1\nRUN apk add --no-cache curl=8.9.1-r0 git~2.45\n",
                    &[],
                ),
                ("FROM a:1\nRUN apk add --no-cache curl\n", &[2]),
                ("FROM a:1\nRUN apk add --no-cache 'curl>8'\n", &[]),
                ("FROM a:1\nRUN apk add --virtual .deps gcc=13.2.1-r0\n", &[]),
                ("FROM a:1\nRUN apk add -t .deps gcc\n", &[2]),
                ("FROM a:1\nRUN apk add -X http://r.example/main x=1\n", &[]),
                ("FROM a:1\nRUN apk add /tmp/x.apk\n", &[]),
                ("FROM a:1\nRUN apk del curl\n", &[]),
                ("FROM a:1\nRUN apk --no-cache add curl\n", &[2]),
                ("FROM a:1\nARG PKGS=\"curl git\"\nRUN apk add $PKGS\n", &[3]),
                ("FROM a:1\nRUN apk add $BUILD_DEPS\n", &[]),
                ("FROM a:1\nRUN <<EOF\napk add curl\nEOF\n", &[2]),
                ("FROM a:1\nONBUILD RUN apk add curl\n", &[2]),
                (
                    "FROM a:1 AS b\nRUN apk add x\nFROM b\nRUN apk add y\n",
                    &[2, 4],
                ),
                ("FROM a:1\nRUN apk add php${PHP}-fpm\n", &[2]),
                ("FROM a:1\nRUN apk add curl=${V}\n", &[]),
            ],
        );
    }
}
