//! DL3020: use COPY instead of ADD for files and folders.
//!
//! ## What it does
//! Reports an `ADD` whose sources include a plain local file or folder:
//! neither a URL, a git repository nor a local archive to unpack.
//!
//! ## Why is this bad?
//! `ADD` has extra behaviour (downloading URLs, unpacking archives) that
//! surprises readers and can change what lands in the image when a file
//! is renamed. `COPY` does only what it says.
//!
//! ## Where restage differs from hadolint
//! - Sources are judged after `ARG`/`ENV` expansion (`ADD $URL /x` with
//!   `ARG URL=https://...` passes); a source whose variables are unknown is
//!   not reported.
//! - Git sources (`git@host:repo.git`, `git://...`) are accepted: `ADD`
//!   clones them, `COPY` cannot.
//! - An archive added with `--unpack=false` is copied as is, so `COPY`
//!   would do: it is reported.
//!
//! ## Notes
//! Archives are recognised by name, as in hadolint (`.tar`, `.gz`, `.tgz`,
//! `.bz2`, `.xz`, `.zst`, ...). `ONBUILD ADD` is not checked.

use super::shared_a::{ARCHIVE_EXTENSIONS, quoted_list};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3020;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3020",
    aliases: &[],
    name: "use-copy-not-add",
    title: "Use COPY instead of ADD for files and folders",
    severity: Severity::Error,
    category: Category::Maintainability,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports `ADD` of plain local files or folders: `ADD` also downloads URLs and unpacks archives, so `COPY` says more precisely what happens. Unlike hadolint, restage judges sources after `ARG`/`ENV` expansion, accepts git sources, and reports archives added with `--unpack=false`.",
    bad: "FROM alpine:3.20\nADD app.py /app/\n",
    good: "FROM alpine:3.20\nCOPY app.py /app/\n",
};

fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ["http://", "https://", "git://", "git@", "ssh://"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn is_archive(source: &str) -> bool {
    let source = source.trim_matches(|c| c == '"' || c == '\'');
    ARCHIVE_EXTENSIONS.iter().any(|e| source.ends_with(e))
}

impl Rule for Dl3020 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for instruction in cx.instructions() {
            let Some(CommandKind::Add(add)) = instruction.kind() else {
                continue;
            };
            let expanded = match &instruction.expanded {
                Some(Expanded::Add(e)) if e.sources.len() == add.sources.len() => Some(&e.sources),
                _ => None,
            };
            let no_unpack = add.unpack == Some(false);
            let mut plain: Vec<&str> = Vec::new();
            for (i, written) in add.sources.iter().enumerate() {
                let source = expanded
                    .and_then(|e| e.get(i))
                    .map_or(written.as_str(), String::as_str);
                let unknown = written.contains('$')
                    && (expanded.is_none()
                        || !instruction.undefined.is_empty()
                        || source.is_empty());
                if unknown || source.contains('$') {
                    continue;
                }
                if !is_remote(source) && (no_unpack || !is_archive(source)) {
                    plain.push(source);
                }
            }
            if plain.is_empty() {
                continue;
            }
            out.push(
                cx.at(
                    instruction,
                    format!(
                        "Use COPY instead of ADD for files and folders: {}",
                        quoted_list(&plain)
                    ),
                )
                .with_fix("Replace `ADD` with `COPY`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn plain_adds_are_reported() {
        assert_lines(
            &Dl3020,
            &[
                ("FROM a:1\nADD app.py /app/\n", &[2]),
                ("FROM a:1\nADD . /app\n", &[2]),
                ("FROM a:1\nADD https://e.com/x.bin /x\n", &[]),
                ("FROM a:1\nADD app.tar.gz /opt/\n", &[]),
                ("FROM a:1\nADD app.tar.gz app.py /opt/\n", &[2]),
                ("FROM a:1\nADD --unpack=false app.tar.gz /opt/\n", &[2]),
                ("FROM a:1\nADD git@github.com:o/r.git /src\n", &[]),
                ("FROM a:1\nADD [\"a b.txt\", \"/x/\"]\n", &[2]),
                ("FROM a:1\nARG URL=https://e.com/x\nADD $URL /x\n", &[]),
                ("FROM a:1\nARG F=app.py\nADD ${F} /x\n", &[3]),
                ("FROM a:1\nADD $UNKNOWN /x\n", &[]),
                ("FROM a:1\nCOPY app.py /app/\n", &[]),
                ("FROM a:1\nONBUILD ADD app.py /app/\n", &[]),
            ],
        );
    }
}
