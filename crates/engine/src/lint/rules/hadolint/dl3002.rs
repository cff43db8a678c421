//! DL3002: the last USER is root.
//!
//! ## What it does
//! Reports the `USER` that leaves the final image running as root (`root`,
//! `0`, `root:group`, `0:group`).
//!
//! ## Why is this bad?
//! A container that runs as root gives a process that escapes the
//! application full control of the container, and of the host when the
//! runtime is misconfigured. Switch back to an unprivileged user after the
//! steps that need root.
//!
//! ## Where restage differs from hadolint
//! - hadolint checks every stage. Only the final image's user matters at
//!   run time, so restage reports only the user the final stage ends with;
//!   build stages may run as root.
//! - That user may come from a stage the final stage builds on
//!   (`FROM builder`): a `USER root` at the end of `builder` that the final
//!   stage never changes is reported, at its line.
//! - The user is read after `ARG`/`ENV` expansion (`ARG U=root` + `USER $U`).
//!
//! ## Notes
//! A final stage that never sets `USER` is not reported: the base image's
//! user applies, and restage does not know it.

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::Instruction;

/// The rule.
pub struct Dl3002;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3002",
    aliases: &[],
    name: "last-user-root",
    title: "Last USER should not be root",
    severity: Severity::Warning,
    category: Category::Security,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports the `USER` that leaves the final image running as root. Unlike hadolint, which checks every stage, restage judges only the user the final stage ends with (including one inherited through `FROM <stage>`), because build stages never run in production; the user is read after `ARG`/`ENV` expansion.",
    bad: "FROM debian:12\nRUN useradd -r app\nUSER root\n",
    good: "FROM debian:12\nRUN useradd -r app\nUSER app\n",
};

/// The user a `USER` instruction sets, expanded when possible.
fn user_of(instruction: &Instruction) -> Option<&str> {
    match (&instruction.expanded, instruction.kind()) {
        (Some(Expanded::User { user }), _) => Some(user),
        (_, Some(CommandKind::User(user))) => Some(user),
        _ => None,
    }
}

/// `root`, `0`, `root:x`, `0:x`.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

impl Rule for Dl3002 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.final_stage() else {
            return;
        };
        let last_user = cx.lineage(last).into_iter().find_map(|stage| {
            cx.stage_instructions(stage)
                .filter_map(|i| user_of(i).map(|u| (i, u)))
                .last()
        });
        if let Some((instruction, user)) = last_user
            && is_root(user)
        {
            let mut message =
                format!("Last USER should not be root: the final image runs as `{user}`");
            if instruction.stage != Some(last.index) {
                message.push_str(", set in a stage the final stage builds on");
            }
            out.push(
                cx.at(instruction, message)
                    .with_fix("Add `USER <unprivileged user>` after the steps that need root"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn only_the_final_user_counts() {
        assert_lines(
            &Dl3002,
            &[
                ("FROM a:1\n", &[]),
                ("FROM a:1\nUSER root\n", &[2]),
                ("FROM a:1\nUSER 0:0\n", &[2]),
                ("FROM a:1\nUSER root:root\nRUN x\n", &[2]),
                ("FROM a:1\nUSER root\nRUN x\nUSER app\n", &[]),
                ("FROM a:1\nUSER app\nRUN x\nUSER root\n", &[4]),
                ("FROM a:1\nUSER rooted\n", &[]),
                // Build stages may run as root.
                (
                    "FROM a:1 AS build\nUSER root\nFROM b:1\nCOPY --from=build /x /x\n",
                    &[],
                ),
                ("FROM a:1 AS build\nUSER root\nFROM b:1\nUSER app\n", &[]),
                // Inherited through FROM <stage>.
                ("FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n", &[2]),
                ("FROM a:1 AS base\nUSER root\nFROM base\nUSER app\n", &[]),
                ("FROM a:1 AS base\nUSER app\nFROM base\nUSER 0\n", &[4]),
                // Expanded.
                ("FROM a:1\nARG U=root\nUSER $U\n", &[3]),
                ("FROM a:1\nARG U\nUSER ${U}\n", &[]),
                // ONBUILD USER is the child's business.
                ("FROM a:1\nONBUILD USER root\n", &[]),
            ],
        );
    }
}
