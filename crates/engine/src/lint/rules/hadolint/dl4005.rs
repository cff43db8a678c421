//! DL4005: use `SHELL` to change the default shell.
//!
//! ## What it does
//! Reports `ln` commands that replace `/bin/sh` (or `/usr/bin/sh`, the same
//! file on merged-`/usr` systems) with a link to another shell.
//!
//! ## Why is this bad?
//! Every shell-form `RUN` (and the image's scripts and packages) uses
//! `/bin/sh`. Replacing it changes the behaviour of everything that expects
//! a POSIX `sh`, in the image and in images built on it. `SHELL` changes
//! the shell of the Dockerfile's `RUN`s only.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN ln -sf /bin/bash /bin/sh
//! ```
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! SHELL ["/bin/bash", "-c"]
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint reports any `ln` with an argument `/bin/sh`, also when
//! `/bin/sh` is the link's *target* (`ln -s /bin/sh /usr/local/bin/sh`
//! changes nothing). restage reports only when the link created is
//! `/bin/sh` or `/usr/bin/sh` (last argument, or `-t /bin` with a source
//! named `sh`), and recognises `sudo ln`. Linking a POSIX `sh` (`dash`,
//! busybox's `sh`) as `/bin/sh` keeps `/bin/sh` a POSIX shell and is not
//! reported: images without a shell do this to provide one.

use super::shared_b::{shell_commands, unwrap_command};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl4005;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL4005",
    aliases: &[],
    name: "ln-bin-sh",
    title: "Use SHELL to change the default shell",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Replacing `/bin/sh` with a link to another shell changes everything that expects a POSIX `sh`; `SHELL` changes the shell of `RUN`s only. Unlike hadolint, restage reports only `ln` commands that create `/bin/sh` (or `/usr/bin/sh`), not those that merely point at it.",
    bad: "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n",
    good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\n",
};

const SH: &[&str] = &["/bin/sh", "/usr/bin/sh"];
const BIN: &[&str] = &["/bin", "/usr/bin"];
/// POSIX `sh` implementations: linking one of them as `/bin/sh` keeps it a
/// POSIX shell.
const POSIX_SH: &[&str] = &["sh", "dash", "ash", "busybox"];

/// Whether `ln` with these arguments creates `/bin/sh`.
fn replaces_sh(args: &[&str]) -> bool {
    let mut positional = Vec::new();
    let mut directory: Option<&str> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "-t" | "--target-directory" => directory = it.next().copied(),
            "-S" | "--suffix" => {
                it.next();
            }
            a if a.starts_with("--target-directory=") => {
                directory = a.split_once('=').map(|(_, d)| d);
            }
            a if a.starts_with('-') && a.len() > 1 => {}
            a => positional.push(a),
        }
    }
    let base_sh = |p: &&str| p.trim_end_matches('/').rsplit('/').next() == Some("sh");
    if let Some(dir) = directory {
        return BIN.contains(&dir.trim_end_matches('/')) && positional.iter().any(base_sh);
    }
    let Some((last, sources)) = positional.split_last() else {
        return false;
    };
    if sources.is_empty() {
        return false;
    }
    // Linking another POSIX `sh` (dash, busybox) is how such images
    // provide `/bin/sh`; only another shell changes its behaviour.
    if sources.iter().all(|s| {
        let base = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
        POSIX_SH.contains(&base)
    }) && SH.contains(&last.trim_end_matches('/'))
    {
        return false;
    }
    let last = last.trim_end_matches('/');
    SH.contains(&last) || (BIN.contains(&last) && sources.iter().any(base_sh))
}

impl Rule for Dl4005 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for view in shell_commands(cx, true) {
            let (name, args) = unwrap_command(view.command);
            let key = (view.run.instruction.node, view.run.onbuild);
            if name != "ln" || !replaces_sh(&args) || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(
                cx.at(
                    view.run.instruction,
                    format!(
                        "Use SHELL to change the default shell: `{}` replaces /bin/sh for everything in the image",
                        view.command.line()
                    ),
                )
                .with_fix("Use `SHELL [\"/bin/bash\", \"-c\"]` instead"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn links_to_bin_sh() {
        assert_lines(
            &Dl4005,
            &[
                ("FROM a\nRUN ln -sf /bin/bash /bin/sh\n", &[2]),
                ("FROM a\nRUN ln -sf bash /bin/sh\n", &[2]),
                ("FROM a\nRUN ln -sf /bin/bash /usr/bin/sh\n", &[2]),
                ("FROM a\nRUN ln -s /bin/sh /usr/local/bin/sh\n", &[]),
                ("FROM a\nRUN ln -sf /bin/dash /bin/sh\n", &[]),
                (
                    "FROM a\nRUN [\"/busybox/ln\", \"-s\", \"/busybox/sh\", \"/bin/sh\"]\n",
                    &[],
                ),
                ("FROM a\nRUN ln -sfn /bin/bash /bin/sh.distrib\n", &[]),
                ("FROM a\nRUN ln -sf -t /bin /opt/shells/sh\n", &[2]),
                ("FROM a\nRUN ln -sf /opt/shells/sh /bin/\n", &[2]),
                ("FROM a\nRUN sudo ln -sf /bin/bash /bin/sh\n", &[2]),
                ("FROM a\nRUN echo ln -s /bin/bash /bin/sh\n", &[]),
                ("FROM a\nONBUILD RUN ln -sf bash /bin/sh\n", &[2]),
                ("FROM a\nRUN <<EOF\nln -sf bash /bin/sh\nEOF\n", &[2]),
            ],
        );
    }
}
