//! DL3046: `useradd` without `-l` and a high UID.
//!
//! ## What it does
//! Reports `useradd -u <uid>` with a UID of 100000 or more and without
//! `-l`/`--no-log-init`.
//!
//! ## Why is this bad?
//! `useradd` records the user in `/var/log/lastlog` and
//! `/var/log/faillog`, sparse files indexed by UID. A layer does not keep
//! files sparse, so a high UID makes those files, and the image, gigabytes
//! large. `-l` skips them.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN useradd -u 123456 app
//! ```
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! RUN useradd -l -u 123456 app
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint measures the text after `-u`, so `useradd -u ${APP_UID} app`
//! (seven characters) is reported whatever the value. restage expands the
//! variable with the `ARG`/`ENV` values in scope and skips values it cannot
//! know. `sudo useradd` and `/usr/sbin/useradd` are recognised.

use super::shared_b::{Scope, invocations};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3046;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3046",
    aliases: &[],
    name: "useradd-high-uid",
    title: "`useradd` without flag `-l` and high UID will result in excessively large image",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`useradd` writes sparse log files indexed by UID; a layer stores them in full, so a high UID without `-l` makes the image huge. Unlike hadolint, restage checks the UID's value (expanding `ARG`/`ENV` variables) rather than the length of the text.",
    bad: "FROM debian:12\nRUN useradd -u 123456 app\n",
    good: "FROM debian:12\nRUN useradd -l -u 123456 app\n",
};

impl Rule for Dl3046 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Useradd]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let escape = cx.model.doc.escape;
        let mut seen = Vec::new();
        for (view, inv) in invocations(cx, Tool::Useradd, true) {
            if inv.has_flag(&["l", "no-log-init"]) {
                continue;
            }
            let Some(raw) = inv.flag_value(&["u", "uid"]) else {
                continue;
            };
            let value = if raw.contains('$') {
                match Scope::for_run(cx, &view.run).expand(raw, escape) {
                    Some(words) if words.len() == 1 => words.join(""),
                    _ => continue,
                }
            } else {
                raw.to_string()
            };
            let high = value.bytes().all(|b| b.is_ascii_digit())
                && value.trim_start_matches('0').len() > 5;
            let key = (view.run.instruction.node, view.run.onbuild);
            if !high || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(
                cx.at(
                    view.run.instruction,
                    format!("`useradd` without flag `-l` and high UID {value} will result in excessively large image"),
                )
                .with_fix("Add `-l` (`--no-log-init`) to `useradd`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn high_uids() {
        assert_lines(
            &Dl3046,
            &[
                ("FROM a\nRUN useradd -u 123456 app\n", &[2]),
                ("FROM a\nRUN useradd -l -u 123456 app\n", &[]),
                ("FROM a\nRUN useradd --no-log-init --uid=123456 app\n", &[]),
                ("FROM a\nRUN useradd -lu 123456 app\n", &[]),
                ("FROM a\nRUN useradd -u 12345 app\n", &[]),
                ("FROM a\nRUN useradd --uid 1000000 app\n", &[2]),
                ("FROM a\nRUN useradd -u ${APP_UID} app\n", &[]),
                (
                    "FROM a\nARG APP_UID=1000\nRUN useradd -u ${APP_UID} app\n",
                    &[],
                ),
                (
                    "FROM a\nARG APP_UID=100000\nRUN useradd -u $APP_UID app\n",
                    &[3],
                ),
                ("FROM a\nRUN sudo useradd -u 123456 app\n", &[2]),
                ("FROM a\nONBUILD RUN useradd -u 123456 app\n", &[2]),
                ("FROM a\nRUN <<EOF\nuseradd -u 123456 app\nEOF\n", &[2]),
            ],
        );
    }
}
