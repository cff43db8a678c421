//! DL3045: `COPY` to a relative destination without `WORKDIR` set.
//!
//! ## What it does
//! Reports `COPY` and `ADD` whose destination is relative while no
//! `WORKDIR` has been set in the stage or in a stage it is built on.
//!
//! ## Why is this bad?
//! A relative destination is resolved against the working directory, which
//! then comes from the base image: the files land somewhere else when the
//! base image changes its `WORKDIR` (or has none and they land in `/`).
//!
//! ## Example
//! ```dockerfile
//! FROM node:22
//! COPY package.json .
//! ```
//! Use instead:
//! ```dockerfile
//! FROM node:22
//! WORKDIR /app
//! COPY package.json .
//! ```
//!
//! ## Where restage differs from hadolint
//! - `ADD` has the same problem and is reported too.
//! - A destination with variables is expanded (`$APP/x` with `ENV
//!   APP=/srv` is absolute, `$SUB/x` with `ENV SUB=data` is relative);
//!   hadolint accepts anything that starts with `$`. A variable without a
//!   known value is not reported.
//! - `WORKDIR` inherited through `FROM <stage>` counts, as in hadolint.

use super::shared_b::{Scope, unquote, var_refs};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3045;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3045",
    aliases: &[],
    name: "copy-relative-without-workdir",
    title: "`COPY` to a relative destination without `WORKDIR` set",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Without a `WORKDIR` in the stage (or a stage it is built on), a relative destination depends on the base image's working directory. Unlike hadolint, restage also checks `ADD` and expands variables in the destination instead of accepting anything that starts with `$`.",
    bad: "FROM node:22\nCOPY package.json .\n",
    good: "FROM node:22\nWORKDIR /app\nCOPY package.json .\n",
};

/// `/x`, `C:\x`, `C:/x`.
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.first().is_some_and(u8::is_ascii_alphabetic)
            && b.get(1) == Some(&b':')
            && matches!(b.get(2), Some(b'/' | b'\\')))
}

impl Rule for Dl3045 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            let (keyword, raw) = match instruction.kind() {
                Some(CommandKind::Copy(c)) => ("COPY", c.dest.as_str()),
                Some(CommandKind::Add(a)) => ("ADD", a.dest.as_str()),
                _ => continue,
            };
            if instruction.context.workdir.is_some() {
                continue;
            }
            if raw.contains('$') {
                let scope = Scope::before(cx, instruction);
                if var_refs(raw, cx.model.doc.escape)
                    .iter()
                    .any(|r| !scope.knows(r))
                {
                    continue;
                }
            }
            let dest = match &instruction.expanded {
                Some(Expanded::Copy(c) | Expanded::Add(c)) => c.dest.clone(),
                _ if raw.contains('$') => continue,
                _ => unquote(raw).to_string(),
            };
            if dest.is_empty() || is_absolute(&dest) {
                continue;
            }
            out.push(
                cx.at(
                    instruction,
                    format!(
                        "`{keyword}` to a relative destination without `WORKDIR` set: `{dest}` depends on the base image's working directory"
                    ),
                )
                .with_fix("Set `WORKDIR /some/dir` before, or use an absolute destination"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn relative_destinations() {
        assert_lines(
            &Dl3045,
            &[
                ("FROM a\nCOPY x y\n", &[2]),
                ("FROM a\nCOPY x .\n", &[2]),
                ("FROM a\nCOPY x /y\n", &[]),
                ("FROM a\nCOPY [\"x\", \"y\"]\n", &[2]),
                ("FROM a\nCOPY x \"/y\"\n", &[]),
                ("FROM a\nCOPY x C:\\\\y\n", &[]),
                ("FROM a\nCOPY x C:/y\n", &[]),
                ("FROM a\nWORKDIR /app\nCOPY x y\n", &[]),
                ("FROM a\nCOPY x y\nWORKDIR /app\n", &[2]),
                ("FROM a AS b\nWORKDIR /app\nFROM b\nCOPY x y\n", &[]),
                ("FROM a AS b\nWORKDIR /app\nFROM c\nCOPY x y\n", &[4]),
                ("FROM a\nADD x y\n", &[2]),
                ("FROM a\nCOPY <<EOF y\nhi\nEOF\n", &[2]),
                ("FROM a\nCOPY --from=b x y\n", &[2]),
                ("FROM a\nENV D=/srv\nCOPY x $D/y\n", &[]),
                ("FROM a\nENV D=data\nCOPY x $D/y\n", &[3]),
                ("FROM a\nARG D\nCOPY x $D/y\n", &[]),
                ("FROM a\nCOPY x $UNSET/y\n", &[]),
                ("FROM a\nONBUILD COPY x y\n", &[]),
            ],
        );
    }
}
