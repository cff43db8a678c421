//! DL3000: use absolute WORKDIR.
//!
//! ## What it does
//! Reports a `WORKDIR` whose path is relative.
//!
//! ## Why is this bad?
//! A relative `WORKDIR` is resolved against whatever directory the base
//! image (or an earlier `WORKDIR`) left, so the same Dockerfile can put
//! files in different places when the base image changes.
//!
//! ## Notes
//! As in hadolint, a path starting with `$` is accepted without expanding
//! it, quotes are ignored, and a Windows drive (`C:\app`) counts as absolute.

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3000;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3000",
    aliases: &[],
    name: "absolute-workdir",
    title: "Use absolute WORKDIR",
    severity: Severity::Error,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "A relative WORKDIR is resolved against the directory the base image or an earlier WORKDIR left, so the result depends on things outside this file. Paths starting with `$` are accepted unexpanded, as in hadolint.",
    bad: "FROM alpine\nWORKDIR app\n",
    good: "FROM alpine\nWORKDIR /app\n",
};

/// Whether DL3000 accepts `path` as written (absolute, a variable, or a
/// Windows drive path).
pub(crate) fn is_absolute(path: &str) -> bool {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('$')
        || (bytes.len() >= 2
            && bytes.first().is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(1) == Some(&b':'))
}

impl Rule for Dl3000 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, _) in cx.typed(true) {
            if let CommandKind::Workdir(path) = kind
                && !is_absolute(path)
            {
                out.push(
                    cx.at(
                        instruction,
                        format!("Use absolute WORKDIR: `{path}` is relative"),
                    )
                    .with_fix(format!(
                        "Write the full path, e.g. `WORKDIR /{}`",
                        path.trim_start_matches("./")
                    )),
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
    fn relative_paths_are_reported() {
        assert_lines(
            &Dl3000,
            &[
                ("FROM a\nWORKDIR /app\n", &[]),
                ("FROM a\nWORKDIR app\n", &[2]),
                ("FROM a\nWORKDIR \"/app\"\n", &[]),
                ("FROM a\nWORKDIR $HOME/app\n", &[]),
                ("FROM a\nWORKDIR C:\\app\n", &[]),
                ("FROM a\nONBUILD WORKDIR app\n", &[2]),
            ],
        );
    }
}
