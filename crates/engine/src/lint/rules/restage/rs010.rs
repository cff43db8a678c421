//! RS010: `ADD` downloads a remote file without `--checksum`.
//!
//! ## What it does
//! Reports an `ADD` (in any stage, and in `ONBUILD` triggers) with an
//! `http://` or `https://` source and no `--checksum=` flag. Sources are
//! read after `ARG` expansion (`ADD ${URL} /x` with `ARG
//! URL=https://...`). Git sources are not reported: `git@…`, `git://…`,
//! `ssh://…`, and `http(s)` URLs ending in `.git` (with an optional
//! `#ref`), which BuildKit clones instead of downloading.
//!
//! ## Why is this bad?
//! Without a checksum, the build trusts whatever the server returns today:
//! a compromised or changed release file ends up in the image silently,
//! and two builds of the same Dockerfile can produce different images.
//! `ADD --checksum=sha256:<digest>` (Dockerfile syntax 1.6+) makes
//! BuildKit verify the download and fail on a mismatch.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine:3.20
//! ADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu
//! ```
//! Use instead:
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM alpine:3.20
//! ADD --checksum=sha256:bbc4136d03ab138b1ad66fa4fc051bafc6cc7ffae632b069a53657279a450de3 \
//!     https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu
//! ```
//!
//! ## Notes
//! - `RUN curl …` downloads are not reported here: whether they are
//!   verified depends on the commands that follow.
//! - For git sources, pin a commit (`#<sha>`) instead; BuildKit's
//!   `--checksum` for git sources is a commit check.

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Rs010;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS010",
    aliases: &[],
    name: "remote-add-without-checksum",
    title: "ADD downloads a remote file without --checksum",
    severity: Severity::Warning,
    category: Category::Security,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "`ADD https://...` without `--checksum=sha256:...` trusts whatever the server returns at build time: a changed or compromised file goes into the image unnoticed, and builds are not reproducible. Add `--checksum` (Dockerfile syntax 1.6+) so BuildKit verifies the download. Sources are read after `ARG` expansion; git sources (`git@`, `git://`, `ssh://`, `*.git`) are not reported.",
    bad: "FROM alpine:3.20\nADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu\n",
    good: "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nADD --checksum=sha256:bbc4136d03ab138b1ad66fa4fc051bafc6cc7ffae632b069a53657279a450de3 https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu\n",
};

/// Whether a source is an http(s) download (not a git repository).
fn is_download(source: &str) -> bool {
    let lower = source.trim_matches('"').to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return false;
    }
    let path = lower.split(['#', '?']).next().unwrap_or(&lower);
    !path.trim_end_matches('/').ends_with(".git")
}

impl Rule for Rs010 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, onbuild) in cx.typed(true) {
            let CommandKind::Add(add) = kind else {
                continue;
            };
            if add.checksum.is_some() {
                continue;
            }
            let sources: Vec<&str> = match (&instruction.expanded, onbuild) {
                (Some(Expanded::Add(expanded)), false) => {
                    expanded.sources.iter().map(String::as_str).collect()
                }
                _ => add.sources.iter().map(String::as_str).collect(),
            };
            for source in sources.into_iter().filter(|s| is_download(s)) {
                out.push(
                    cx.at(
                        instruction,
                        format!("ADD downloads `{source}` without --checksum: its content is not verified"),
                    )
                    .with_fix(format!(
                        "Add `--checksum=sha256:<digest of {source}>` (needs `# syntax=docker/dockerfile:1.6` or later)"
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
    fn remote_adds() {
        assert_lines(
            &Rs010,
            &[
                ("FROM alpine:3.20\nADD https://example.com/a.tgz /a\n", &[2]),
                ("FROM alpine:3.20\nADD http://example.com/a.tgz /a\n", &[2]),
                (
                    "FROM alpine:3.20\nADD --checksum=sha256:abc https://example.com/a.tgz /a\n",
                    &[],
                ),
                ("FROM alpine:3.20\nADD a.tgz /a\n", &[]),
                (
                    "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nADD --keep-git-dir=true https://github.com/o/r.git /src\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nADD https://a.example/x https://b.example/y /d/\n",
                    &[2, 2],
                ),
                // ARG-expanded source; ONBUILD; build stages count.
                (
                    "FROM alpine:3.20\nARG URL=https://example.com/a.tgz\nADD ${URL} /a\n",
                    &[3],
                ),
                ("FROM alpine:3.20\nARG URL=./a.tgz\nADD ${URL} /a\n", &[]),
                (
                    "FROM alpine:3.20\nONBUILD ADD https://example.com/a.tgz /a\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20 AS dl\nADD https://example.com/a.tgz /a\nFROM scratch\nCOPY --from=dl /a /a\n",
                    &[2],
                ),
            ],
        );
    }
}
