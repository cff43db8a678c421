//! BK010: relative `WORKDIR` without an absolute one before it (BuildKit's
//! `WorkdirRelativePath`).
//!
//! ## What it does
//! Reports the first `WORKDIR` of a stage when, after variable expansion,
//! it is relative and no `WORKDIR` was set earlier in the stage or in a
//! stage it builds on.
//!
//! ## Why is this bad?
//! A relative `WORKDIR` is resolved against the base image's working
//! directory, which this Dockerfile does not control: a new base image
//! version can move the files somewhere else.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20
//! WORKDIR app
//! ```
//! Use instead:
//! ```dockerfile
//! FROM node:20
//! WORKDIR /app
//! ```
//!
//! ## Notes
//! As in BuildKit, only the first `WORKDIR` of a stage chain is looked at
//! (fixing it fixes the later ones), the path is checked after expansion,
//! and a `WORKDIR` in the base image does not count. A `WORKDIR` registered
//! with `ONBUILD` runs in another build and is not reported.
//!
//! ## Where restage differs from BuildKit
//! A Windows path with a drive letter (`C:\app`, `C:/app`) counts as
//! absolute. BuildKit checks the path for the stage's platform, which is
//! Linux unless the builder or `--platform` says Windows; but a stage on a
//! Windows base image only builds on a Windows builder, where the path is
//! absolute, so reporting it would be noise.
//! Overlaps hadolint's DL3000, which reports every relative `WORKDIR` as
//! written (and accepts any path starting with `$`): while DL3000 is
//! enabled, this check stays quiet on the lines DL3000 reports, so one
//! problem gives one finding; it still reports a variable that expands to a
//! relative path, which DL3000 cannot see.
//! <https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/>

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::{Expanded, Platform};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk010;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK010",
    aliases: &["WorkdirRelativePath"],
    name: "workdir-relative-path",
    title: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "A relative first `WORKDIR` is resolved against the base image's working directory, which can change with the base image. Only the first `WORKDIR` of a stage chain is checked, after expansion; a Windows drive path (`C:/app`) counts as absolute. Overlaps hadolint's DL3000, which checks every `WORKDIR` as written. See <https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/>.",
    bad: "FROM node:20\nARG APP_DIR=app\nWORKDIR $APP_DIR\n",
    good: "FROM node:20\nWORKDIR /app\n",
};

/// BuildKit's `system.IsAbs` for the stage's operating system, except that
/// a path with a drive letter (`C:\app`, `C:/app`) is always absolute.
fn is_absolute(path: &str, windows: bool) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), Some(b'/' | b'\\'));
    path.starts_with('/') || drive || (windows && path.starts_with('\\'))
}

impl Rule for Bk010 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // Where hadolint's DL3000 reports the same line (a relative path as
        // written), it speaks for both: one problem, one finding.
        let dl3000 = cx.rule_enabled("DL3000");
        for stage in cx.stages() {
            let windows = stage
                .platform_resolved
                .as_deref()
                .and_then(|p| Platform::parse(p).ok())
                .is_some_and(|p| p.os == "windows");
            for instruction in cx.stage_instructions(stage) {
                let Some(CommandKind::Workdir(raw)) = instruction.kind() else {
                    continue;
                };
                if instruction.context.workdir.is_some() {
                    // A WORKDIR was set before in this stage chain.
                    break;
                }
                let path = match &instruction.expanded {
                    Some(Expanded::Workdir { path }) => path.as_str(),
                    _ if !raw.contains('$') => raw.as_str(),
                    _ => break,
                };
                let reported_by_dl3000 =
                    dl3000 && !crate::lint::rules::hadolint::dl3000::is_absolute(raw);
                if !is_absolute(path, windows) && !reported_by_dl3000 {
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "Relative workdir {} can have unexpected results if the base image changes",
                                crate::dockerfile::gotext::quote(path)
                            ),
                        )
                        .with_fix(format!(
                            "Use an absolute path, e.g. `WORKDIR /{}`",
                            path.trim_start_matches("./")
                        )),
                    );
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{diagnostics, diagnostics_with, example_config};

    /// BuildKit's behaviour: DL3000 switched off.
    fn alone() -> LintConfig {
        let mut config = example_config();
        config.ignored.push("DL3000".into());
        config
    }

    fn assert_lines(rule: &Bk010, table: &[(&str, &[usize])]) {
        for (text, want) in table {
            let got: Vec<usize> = diagnostics_with(rule, text, &alone())
                .iter()
                .map(|d| d.line)
                .collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn dl3000_speaks_for_the_lines_it_reports() {
        let lines = |text: &str| -> Vec<usize> {
            diagnostics(&Bk010, text).iter().map(|d| d.line).collect()
        };
        assert_eq!(lines("FROM a\nWORKDIR app\n"), Vec::<usize>::new());
        assert_eq!(lines("FROM a\nARG D=srv\nWORKDIR $D\n"), vec![3]);
    }

    #[test]
    fn first_relative_workdir_is_reported() {
        assert_lines(
            &Bk010,
            &[
                // BuildKit's testWorkdirRelativePath.
                ("\nFROM scratch\nWORKDIR app/\n", &[3]),
                (
                    "\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
                    &[],
                ),
                // Only the first WORKDIR of a chain.
                ("FROM a\nWORKDIR app\nWORKDIR sub\n", &[2]),
                ("FROM a\nWORKDIR /app\nWORKDIR sub\n", &[]),
                ("FROM a AS b\nWORKDIR app\nFROM b\nWORKDIR sub\n", &[2]),
                // A sibling stage's WORKDIR does not count.
                ("FROM a AS b\nWORKDIR /app\nFROM a\nWORKDIR sub\n", &[4]),
                // Checked after expansion.
                ("FROM a\nENV D=/srv\nWORKDIR $D/app\n", &[]),
                ("FROM a\nARG D=srv\nWORKDIR $D\n", &[3]),
                // `$HOME` is not set: the path is `/app`.
                ("FROM a\nWORKDIR $HOME/app\n", &[]),
                ("FROM a\nONBUILD WORKDIR app\n", &[]),
                ("FROM --platform=windows/amd64 a\nWORKDIR C:/app\n", &[]),
                // A drive letter is absolute (with the default escape `\`,
                // `C:\app` is `C:app`, which is not).
                ("FROM a\nWORKDIR C:/app\n", &[]),
                ("# escape=`\nFROM a\nWORKDIR C:\\app\n", &[]),
                ("FROM a\nWORKDIR C:\\app\n", &[2]),
            ],
        );
    }

    #[test]
    fn message_quotes_the_expanded_path() {
        let d = diagnostics(&Bk010, "FROM a\nARG D=srv\nWORKDIR $D/\n");
        assert_eq!(
            d.first().map(|d| d.message.as_str()),
            Some("Relative workdir \"srv/\" can have unexpected results if the base image changes")
        );
    }
}
