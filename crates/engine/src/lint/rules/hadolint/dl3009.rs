//! DL3009: delete the apt lists after installing something.
//!
//! ## What it does
//! Reports a `RUN` that runs `apt-get update` (or `apt`/`aptitude update`)
//! and does not remove `/var/lib/apt/lists/*` afterwards in the same `RUN`,
//! in a stage whose files end up in the final image.
//!
//! ## Why is this bad?
//! `apt-get update` downloads tens of megabytes of package lists. A layer
//! keeps every file that exists when its `RUN` ends: removing the lists in
//! a later `RUN` hides them but does not shrink the image.
//!
//! ## Where restage differs from hadolint
//! - Only stages that the final image is built on are reported: the final
//!   stage and the stages it builds on through `FROM`. A stage that only
//!   serves as a `COPY --from` source leaves its lists behind, so it is not
//!   reported (hadolint reports a stage as soon as any later `FROM` builds
//!   on it, even when that later stage is itself only a `COPY --from`
//!   source).
//! - The removal must come after the last `update` of the `RUN`: `rm -rf
//!   /var/lib/apt/lists/* && apt-get update` still leaves the lists.
//! - `apt-get update` behind `sudo`/`env`, in `sh -c` strings and in
//!   heredoc scripts is seen. Cleanup means removing the lists or a parent
//!   (`rm -rf /var/lib/apt/lists/*`, `rm -rf /var/lib/apt/*`, `find
//!   /var/lib/apt/lists -delete`) or `apt-get dist-clean` (apt 3); hadolint
//!   accepts any `rm -rf` of anything.
//! - Any cache or tmpfs mount that covers `/var/lib/apt/lists` (on it, or
//!   on `/var/lib/apt`) exempts the `RUN`: the lists never reach the layer.
//!
//! ## Notes
//! `ONBUILD RUN` triggers of those stages are checked too: they run in
//! every image built from this one.

use super::shared_a::{deletes, shell_runs};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};

/// The rule.
pub struct Dl3009;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3009",
    aliases: &[],
    name: "apt-lists-not-deleted",
    title: "Delete the apt lists (/var/lib/apt/lists) after installing something",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a `RUN` with `apt-get update` that does not remove `/var/lib/apt/lists/*` after it in the same `RUN`: the lists (tens of MB) stay in the layer, and a later `RUN` cannot shrink it. Unlike hadolint, restage judges only the stages the final image is built on (not `COPY --from` sources), requires the removal to come after the update, and accepts any cache or tmpfs mount covering the lists.",
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
};

const LISTS: &str = "/var/lib/apt/lists";

/// `rm -rf /var/lib/apt/lists/*` and the like, or `apt-get dist-clean`
/// (apt 3), which removes the lists too.
fn cleans(command: &SimpleCommand) -> bool {
    deletes(command, LISTS)
        || recognise(command).is_some_and(|inv| {
            matches!(inv.tool, Tool::AptGet | Tool::Apt) && inv.subcommand() == Some("dist-clean")
        })
}

impl Rule for Dl3009 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::AptGet, Tool::Apt, Tool::Aptitude]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.final_stage() else {
            return;
        };
        let kept: Vec<usize> = cx.lineage(last).iter().map(|s| s.index).collect();
        for run in shell_runs(cx, true) {
            if !run.instruction.stage.is_some_and(|s| kept.contains(&s))
                || run.run.has_cache_mount(LISTS)
            {
                continue;
            }
            let commands: Vec<_> = run.run.commands().collect();
            let last_update = commands.iter().rposition(|c| {
                recognise(c).is_some_and(|inv| {
                    matches!(inv.tool, Tool::AptGet | Tool::Apt | Tool::Aptitude)
                        && inv.subcommand() == Some("update")
                })
            });
            let Some(update) = last_update else {
                continue;
            };
            if commands.iter().skip(update + 1).any(|c| cleans(c)) {
                continue;
            }
            let before = commands.iter().take(update).any(|c| cleans(c));
            let message = if before {
                "Delete the apt lists (/var/lib/apt/lists) after installing something: this RUN removes them before `apt-get update`, which downloads them again"
            } else {
                "Delete the apt lists (/var/lib/apt/lists) after installing something: this RUN runs `apt-get update` and leaves them in the layer"
            };
            out.push(cx.at(run.instruction, message).with_fix(
                "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache on /var/lib/apt/lists",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn lists_left_in_the_final_image_are_reported() {
        assert_lines(
            &Dl3009,
            &[
                (
                    "FROM a:1\nRUN apt-get update && apt-get install -y x\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get update && apt-get install -y x && apt-get clean && rm -rf /var/lib/apt/*\n",
                    &[],
                ),
                ("FROM a:1\nRUN apt update && apt install -y x\n", &[2]),
                ("FROM a:1\nRUN sudo apt-get update\n", &[2]),
                ("FROM a:1\nRUN apt-get install -y x\n", &[]),
                (
                    "FROM a:1\nRUN apt-get update; apt-get install -y x; apt-get dist-clean\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /tmp/x\n",
                    &[2],
                ),
                // Removal before the update does not help; a later RUN neither.
                (
                    "FROM a:1\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n",
                    &[2],
                ),
                // Cache mounts.
                (
                    "FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update\n",
                    &[],
                ),
                (
                    "FROM a:1\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n",
                    &[2],
                ),
                // Stages: only the final image's lineage.
                (
                    "FROM a:1 AS build\nRUN apt-get update\nFROM b:1\nCOPY --from=build /x /x\n",
                    &[],
                ),
                (
                    "FROM a:1 AS base\nRUN apt-get update\nFROM base\nRUN make\n",
                    &[2],
                ),
                (
                    "FROM a:1 AS base\nRUN apt-get update\nFROM base AS mid\nFROM mid\n",
                    &[2],
                ),
                (
                    "FROM a:1 AS base\nRUN apt-get update\nFROM base AS other\nFROM b:1\n",
                    &[],
                ),
                // Heredoc and ONBUILD.
                (
                    "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n",
                    &[2],
                ),
                (
                    "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y x\nrm -rf /var/lib/apt/lists/*\nEOF\n",
                    &[],
                ),
                ("FROM a:1\nONBUILD RUN apt-get update\n", &[2]),
            ],
        );
    }
}
