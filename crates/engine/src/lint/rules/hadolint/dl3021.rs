//! DL3021: COPY with more than one source needs a destination ending in `/`.
//!
//! ## What it does
//! Reports a `COPY` (or `ADD`) with several sources whose destination does
//! not end with `/`.
//!
//! ## Why is this bad?
//! With several sources the destination must be a directory. Written
//! without the slash, it only works when the directory already exists;
//! otherwise BuildKit creates a file and each source overwrites the
//! previous one (the classic builder refuses to build).
//!
//! ## Where restage differs from hadolint
//! - `.` is accepted: BuildKit treats a destination of exactly `.` as a
//!   directory (`COPY package.json package-lock.json .` works), while
//!   hadolint reports it.
//! - Heredoc sources count as sources, and `ADD` is checked too: the same
//!   rule applies to it.
//! - The destination is read after `ARG`/`ENV` expansion (`ARG DIR=/app/` +
//!   `COPY a b $DIR` passes); a destination with an unknown variable is not
//!   reported.
//!
//! ## Notes
//! One source with a wildcard may match several files; restage cannot know
//! and does not report it. `ONBUILD COPY` is not checked, as in hadolint.

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3021;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3021",
    aliases: &[],
    name: "copy-multiple-sources-dir",
    title: "COPY with more than 2 arguments requires the last argument to end with /",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a `COPY` or `ADD` with several sources whose destination does not end with `/`: it only works if the directory already exists, otherwise each source overwrites the last. Unlike hadolint, restage accepts `.` (BuildKit treats it as a directory), counts heredoc sources, checks `ADD`, and reads the destination after `ARG`/`ENV` expansion.",
    bad: "FROM node:20-slim\nCOPY package.json package-lock.json /app\n",
    good: "FROM node:20-slim\nCOPY package.json package-lock.json /app/\n",
};

impl Rule for Dl3021 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            let (keyword, count, written) = match instruction.kind() {
                Some(CommandKind::Copy(c)) => ("COPY", c.sources.len() + c.contents.len(), &c.dest),
                Some(CommandKind::Add(a)) => ("ADD", a.sources.len() + a.contents.len(), &a.dest),
                _ => continue,
            };
            if count < 2 {
                continue;
            }
            let dest = match &instruction.expanded {
                Some(Expanded::Copy(e) | Expanded::Add(e)) => e.dest.as_str(),
                _ => written.as_str(),
            };
            let unknown = written.contains('$')
                && (!instruction.undefined.is_empty() || instruction.expanded.is_none());
            let dest_trimmed = dest.trim_matches(|c| c == '"' || c == '\'');
            if unknown || dest_trimmed.ends_with('/') || dest_trimmed == "." || dest.contains('$') {
                continue;
            }
            out.push(
                cx.at(
                    instruction,
                    format!(
                        "{keyword} with more than 2 arguments requires the last argument to end with /: `{dest}`"
                    ),
                )
                .with_fix(format!("Write the destination as `{dest_trimmed}/`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn multiple_sources_need_a_directory() {
        assert_lines(
            &Dl3021,
            &[
                ("FROM a:1\nCOPY a /app\n", &[]),
                ("FROM a:1\nCOPY a b /app\n", &[2]),
                ("FROM a:1\nCOPY a b /app/\n", &[]),
                ("FROM a:1\nCOPY a b .\n", &[]),
                ("FROM a:1\nCOPY a b ./\n", &[]),
                ("FROM a:1\nCOPY [\"a\", \"b\", \"/x\"]\n", &[2]),
                ("FROM a:1\nADD a b /app\n", &[2]),
                ("FROM a:1\nCOPY --from=x a b /app\n", &[2]),
                ("FROM a:1\nCOPY <<one <<two /d\nx\none\ny\ntwo\n", &[2]),
                ("FROM a:1\nARG D=/app/\nCOPY a b $D\n", &[]),
                ("FROM a:1\nARG D=/app\nCOPY a b ${D}\n", &[3]),
                ("FROM a:1\nCOPY a b $UNKNOWN\n", &[]),
                ("FROM a:1\nONBUILD COPY a b /app\n", &[]),
            ],
        );
    }
}
