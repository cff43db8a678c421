//! DL3066: non-numeric user id.
//!
//! ## What it does
//! Reports `USER` with a user name instead of a numeric UID (`USER app`,
//! `USER app:app`; only the part before `:` is checked).
//!
//! ## Why is this bad?
//! A name is resolved through the image's `/etc/passwd` at run time, which
//! the host and orchestrators cannot see: Kubernetes cannot verify
//! `runAsNonRoot` for `USER app` and refuses to start the container, and
//! security policies cannot tell which UID will run.
//!
//! ## Where restage differs from hadolint
//! - Variables are expanded with the `ARG`/`ENV` values in scope: `ARG
//!   USER=app` then `USER $USER` is the name `app` and is reported
//!   (hadolint accepts any declared `ARG`); `ARG UID=1000` then `USER $UID`
//!   passes. A variable whose value is not known at lint time (a build
//!   argument without default, a variable of the base image such as
//!   `$NB_USER`) passes; hadolint reports every variable it does not see
//!   declared.
//! - `USER root` is not reported: UID 0 has the same name everywhere (DL3002
//!   is the rule about running as root).
//! - `ONBUILD USER` is checked too.

use super::shared_b::{Scope, var_refs};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3066;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3066",
    aliases: &[],
    name: "user-non-numeric",
    title: "Non-numeric user-id may not be resolvable by host system",
    severity: Severity::Info,
    category: Category::Security,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "A user name is resolved inside the image, so Kubernetes cannot verify `runAsNonRoot` and refuses to start the container. Use a numeric UID. Unlike hadolint, restage expands `ARG`/`ENV` values (an `ARG` whose default is a name is reported) and does not report `root`.",
    bad: "FROM node:22\nUSER node\n",
    good: "FROM node:22\nUSER 1000:1000\n",
};

impl Rule for Dl3066 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        for (instruction, kind, onbuild) in cx.typed(true) {
            let CommandKind::User(raw) = kind else {
                continue;
            };
            let value = if raw.contains('$') {
                if onbuild {
                    continue;
                }
                let scope = Scope::before(cx, instruction);
                let refs = var_refs(raw, escape);
                if refs.iter().any(|r| !scope.knows(r)) {
                    continue;
                }
                match &instruction.expanded {
                    Some(Expanded::User { user }) => user.clone(),
                    _ => continue,
                }
            } else {
                raw.clone()
            };
            let uid = value.split(':').next().unwrap_or_default();
            if uid.is_empty() || uid == "root" || uid.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            out.push(
                cx.at(
                    instruction,
                    format!("Non-numeric user-id may not be resolvable by host system: `{uid}`"),
                )
                .with_fix("Use the numeric UID (and GID), e.g. `USER 1000:1000`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn user_ids() {
        assert_lines(
            &Dl3066,
            &[
                ("FROM a\nUSER app\n", &[2]),
                ("FROM a\nUSER app:app\n", &[2]),
                ("FROM a\nUSER 1000\n", &[]),
                ("FROM a\nUSER 1000:app\n", &[]),
                ("FROM a\nUSER root\n", &[]),
                ("FROM a\nARG U\nUSER $U\n", &[]),
                ("FROM a\nARG U=1000\nUSER ${U}:1\n", &[]),
                ("FROM a\nARG U=app\nUSER $U\n", &[3]),
                ("FROM a\nUSER $FROM_BASE_IMAGE\n", &[]),
                ("FROM a\nONBUILD USER app\n", &[2]),
            ],
        );
    }
}
