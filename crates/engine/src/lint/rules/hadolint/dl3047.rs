//! DL3047: `wget` without progress bar.
//!
//! ## What it does
//! Reports `wget` without `--progress` and without an option that quiets
//! it (`-q`/`--quiet`, `-nv`/`--no-verbose`) or sends its log to a file
//! (`-o`/`--output-file`, `-a`/`--append-output`).
//!
//! ## Why is this bad?
//! Without a terminal, wget prints a line of dots for every few kilobytes:
//! downloading a large file fills the build log with thousands of lines.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12
//! RUN wget https://example.com/big.tar.gz
//! ```
//! Use instead:
//! ```dockerfile
//! FROM debian:12
//! RUN wget --progress=dot:giga https://example.com/big.tar.gz
//! ```
//!
//! ## Where restage differs from hadolint
//! `sudo wget`, `env ... wget` and `/usr/bin/wget` are recognised too.

use super::shared_b::invocations;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::tools::Tool;

/// The rule.
pub struct Dl3047;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3047",
    aliases: &[],
    name: "wget-progress",
    title: "Avoid use of wget without progress bar",
    severity: Severity::Info,
    category: Category::Style,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Without a terminal, wget's progress output is thousands of lines of dots for a large download. Use `--progress=dot:giga`, or `-q`/`-nv`. restage also recognises `wget` behind `sudo` or by path.",
    bad: "FROM debian:12\nRUN wget https://example.com/big.tar.gz\n",
    good: "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/big.tar.gz\n",
};

impl Rule for Dl3047 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn tools(&self) -> &'static [Tool] {
        &[Tool::Wget]
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = Vec::new();
        for (view, inv) in invocations(cx, Tool::Wget, true) {
            let quiet = inv.has_flag(&[
                "progress",
                "q",
                "quiet",
                "no-verbose",
                "o",
                "output-file",
                "a",
                "append-output",
            ]) || inv.line.args.iter().any(|a| a == "-nv");
            let key = (view.run.instruction.node, view.run.onbuild);
            if quiet || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(
                cx.at(
                    view.run.instruction,
                    "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)",
                )
                .with_fix("Add `--progress=dot:giga` (or `-q`/`-nv`) to wget"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn noisy_wget() {
        assert_lines(
            &Dl3047,
            &[
                ("FROM a\nRUN wget http://x/y\n", &[2]),
                ("FROM a\nRUN wget --progress=dot:giga http://x/y\n", &[]),
                ("FROM a\nRUN wget -q http://x/y\n", &[]),
                ("FROM a\nRUN wget -qO- http://x/y\n", &[]),
                ("FROM a\nRUN wget -nv http://x/y\n", &[]),
                ("FROM a\nRUN wget --no-verbose http://x/y\n", &[]),
                ("FROM a\nRUN wget -o log http://x/y\n", &[]),
                ("FROM a\nRUN wget -O out http://x/y\n", &[2]),
                ("FROM a\nRUN wget -a log http://x/y\n", &[]),
                ("FROM a\nRUN sudo wget http://x/y\n", &[2]),
                ("FROM a\nRUN wget a && wget b\n", &[2]),
                ("FROM a\nONBUILD RUN wget http://x/y\n", &[2]),
                ("FROM a\nRUN <<EOF\nwget http://x/y\nEOF\n", &[2]),
            ],
        );
    }
}
