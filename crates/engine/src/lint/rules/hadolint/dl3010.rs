//! DL3010: use ADD for extracting archives into an image.
//!
//! ## What it does
//! Reports a `COPY` of a local tar archive that a later `RUN` of the same
//! stage (or of a stage built on it) extracts with `tar` or decompresses.
//!
//! ## Why is this bad?
//! The copied archive stays in the `COPY` layer even when the `RUN`
//! deletes it afterwards, so the image carries both the archive and its
//! contents. `ADD` unpacks a local tar archive in a single layer.
//!
//! ## Where restage differs from hadolint
//! - Every stage is checked (hadolint forgets everything at each `FROM`,
//!   so only the last stage can be reported), and an archive copied in a
//!   stage and extracted in a stage built on it is found too.
//! - Old-style `tar xzf file` (no dash) is recognised as extraction.
//! - Only archives `ADD` really unpacks are reported: tar files, plain or
//!   compressed with gzip, bzip2, xz or zstd (`.tar`, `.tar.gz`, `.tgz`,
//!   `.tar.bz2`, `.tbz2`, `.tar.xz`, `.txz`, `.tar.zst`, ...). hadolint also
//!   suggests `ADD` for a single compressed file (`.gz`, `.xz`, `.Z`) and
//!   for `unzip`, which `ADD` would copy unchanged.
//! - `tar` with `--strip-components`, `--exclude`, `--wildcards` or
//!   `--transform` is not reported: `ADD` cannot do that.
//!
//! ## Notes
//! `COPY --from` is ignored (`ADD` cannot read another stage). Heredoc
//! scripts are read. One finding per `COPY`.

use super::shared_a::{TAR_EXTENSIONS, basename, quoted_list, unwrapped};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::BaseImage;
use crate::model::shell::SimpleCommand;

/// The rule.
pub struct Dl3010;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3010",
    aliases: &[],
    name: "use-add-for-archives",
    title: "Use ADD for extracting archives into an image",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "Reports a `COPY` of a local tar archive that a later `RUN` extracts: the archive stays in the `COPY` layer even if deleted later, while `ADD` unpacks it in one layer. Unlike hadolint, restage checks every stage (not only the last), recognises `tar xzf` without a dash, and reports only archives `ADD` can unpack (tar, optionally gzip/bzip2/xz/zstd compressed) and `tar` calls `ADD` can replace (no `--strip-components`).",
    bad: "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n",
    good: "FROM alpine:3.20\nADD app.tar.gz /opt/\n",
};

/// Whether a file name is a tar archive `ADD` unpacks.
fn is_tar_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TAR_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// Decompressors that take the archive as an argument.
const DECOMPRESSORS: &[&str] = &[
    "gunzip", "bunzip2", "unxz", "unzstd", "zcat", "gzcat", "bzcat", "xzcat", "zstdcat",
];

/// Compressors that decompress with `-d`.
const COMPRESSORS: &[&str] = &["gzip", "bzip2", "xz", "zstd", "pigz", "pbzip2"];

/// tar options `ADD` has no equivalent for.
const TAR_ONLY: &[&str] = &[
    "strip-components",
    "exclude",
    "wildcards",
    "transform",
    "xform",
];

/// The archive names (basenames) a command extracts, or nothing.
fn extracted(command: &SimpleCommand) -> Vec<&str> {
    let (chain, args) = unwrapped(command);
    let Some(program) = chain.last().copied() else {
        return Vec::new();
    };
    let extracts = match program {
        "tar" | "bsdtar" | "gtar" => {
            let old_style = args.first().is_some_and(|a| {
                !a.starts_with('-') && a.chars().all(|c| c.is_ascii_alphabetic()) && a.contains('x')
            });
            let short = args
                .iter()
                .any(|a| !a.starts_with("--") && a.starts_with('-') && a.contains('x'));
            let long = args.iter().any(|a| matches!(*a, "--extract" | "--get"));
            let unsupported = args.iter().any(|a| {
                a.strip_prefix("--")
                    .is_some_and(|f| TAR_ONLY.contains(&f.split('=').next().unwrap_or(f)))
            });
            (old_style || short || long) && !unsupported
        }
        p if DECOMPRESSORS.contains(&p) => true,
        p if COMPRESSORS.contains(&p) => args.iter().any(|a| {
            *a == "--decompress" || (!a.starts_with("--") && a.starts_with('-') && a.contains('d'))
        }),
        _ => false,
    };
    if !extracts {
        return Vec::new();
    }
    args.iter()
        .map(|a| a.strip_prefix("--file=").unwrap_or(a))
        .map(basename)
        .filter(|b| is_tar_archive(b))
        .collect()
}

/// An archive put in the image by a `COPY`.
#[derive(Clone)]
struct Copied {
    /// The `COPY`'s node.
    node: usize,
    /// The archive's file name.
    name: String,
}

impl Rule for Dl3010 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // Archives present at the end of each stage, and for each COPY the
        // archives extracted later and the lines that extract them.
        let mut at_end: Vec<Vec<Copied>> = Vec::new();
        let mut found: Vec<(usize, Vec<String>, Vec<usize>)> = Vec::new();
        for stage in cx.stages() {
            let mut present: Vec<Copied> = match stage.base {
                BaseImage::Stage { index } => at_end.get(index).cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            for instruction in cx.stage_instructions(stage) {
                if let Some(CommandKind::Copy(copy)) = instruction.kind() {
                    if copy.from.is_some() {
                        continue;
                    }
                    let (sources, dest) = match &instruction.expanded {
                        Some(Expanded::Copy(e)) => (&e.sources, &e.dest),
                        _ => (&copy.sources, &copy.dest),
                    };
                    let copied = |name: &str| Copied {
                        node: instruction.node,
                        name: name.to_string(),
                    };
                    if sources.len() == 1 && is_tar_archive(basename(dest)) {
                        present.push(copied(basename(dest)));
                    } else {
                        present.extend(
                            sources
                                .iter()
                                .map(|s| basename(s))
                                .filter(|b| is_tar_archive(b))
                                .map(copied),
                        );
                    }
                    continue;
                }
                // Nothing to extract until an archive has been copied.
                if present.is_empty() {
                    continue;
                }
                let Some(run) = &instruction.run else {
                    continue;
                };
                if !run.posix && !run.exec_form {
                    continue;
                }
                for command in run.commands() {
                    for name in extracted(command) {
                        for copied in present.iter().filter(|c| c.name == name) {
                            let entry = match found.iter_mut().position(|f| f.0 == copied.node) {
                                Some(i) => found.get_mut(i),
                                None => {
                                    found.push((copied.node, Vec::new(), Vec::new()));
                                    found.last_mut()
                                }
                            };
                            if let Some((_, names, lines)) = entry {
                                if !names.contains(&copied.name) {
                                    names.push(copied.name.clone());
                                }
                                if !lines.contains(&instruction.start_line) {
                                    lines.push(instruction.start_line);
                                }
                            }
                        }
                    }
                }
            }
            at_end.push(present);
        }
        found.sort_by_key(|f| f.0);
        for (node, names, lines) in found {
            let Some(copy) = cx.model.instructions.get(node) else {
                continue;
            };
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            out.push(
                cx.at(
                    copy,
                    format!(
                        "Use `ADD` for extracting archives into an image: {} is copied here and extracted on line {}",
                        quoted_list(&names),
                        lines.join(", ")
                    ),
                )
                .with_fix("`ADD <archive> <directory>/` unpacks a local tar archive in one layer"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn copied_then_extracted_archives_are_reported() {
        assert_lines(
            &Dl3010,
            &[
                (
                    "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
                    &[2],
                ),
                (
                    "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz\n",
                    &[2],
                ),
                (
                    "FROM a:1\nCOPY app.tgz /tmp/\nRUN tar --extract --file=/tmp/app.tgz\n",
                    &[2],
                ),
                (
                    "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN ls /tmp/app.tar.gz\n",
                    &[],
                ),
                (
                    "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -czf /tmp/app.tar.gz /opt\n",
                    &[],
                ),
                (
                    "FROM a:1\nCOPY src.tar.gz /tmp/app.tgz\nRUN tar -xf /tmp/app.tgz\n",
                    &[2],
                ),
                (
                    "FROM a:1\nCOPY app.tar.xz /tmp/\nRUN unxz /tmp/app.tar.xz && tar -xf /tmp/app.tar\n",
                    &[2],
                ),
                (
                    "FROM a:1\nCOPY app.tar.gz /tmp/\nRUN gzip -d /tmp/app.tar.gz\n",
                    &[2],
                ),
                // ADD cannot replace these.
                (
                    "FROM a:1\nCOPY app.zip /tmp/\nRUN unzip /tmp/app.zip\n",
                    &[],
                ),
                (
                    "FROM a:1\nCOPY data.gz /tmp/\nRUN gunzip /tmp/data.gz\n",
                    &[],
                ),
                (
                    "FROM a:1\nCOPY app.tgz /tmp/\nRUN tar -xzf /tmp/app.tgz --strip-components=1\n",
                    &[],
                ),
                (
                    "FROM a:1\nCOPY --from=b app.tgz /tmp/\nRUN tar -xzf /tmp/app.tgz\n",
                    &[],
                ),
                // Every stage, and through FROM <stage>.
                (
                    "FROM a:1 AS b\nCOPY app.tgz /tmp/\nRUN tar -xzf /tmp/app.tgz\nFROM c:1\nRUN x\n",
                    &[2],
                ),
                (
                    "FROM a:1 AS b\nCOPY app.tgz /tmp/\nFROM b\nRUN tar -xzf /tmp/app.tgz\n",
                    &[2],
                ),
                (
                    "FROM a:1 AS b\nCOPY app.tgz /tmp/\nFROM c:1\nRUN tar -xzf /tmp/app.tgz\n",
                    &[],
                ),
                // Heredoc, variables.
                (
                    "FROM a:1\nCOPY app.tgz /tmp/\nRUN <<EOF\ncd /opt\ntar xzf /tmp/app.tgz\nEOF\n",
                    &[2],
                ),
                (
                    "FROM a:1\nARG F=app.tgz\nCOPY $F /tmp/\nRUN tar xzf /tmp/app.tgz\n",
                    &[3],
                ),
                // Extraction before the COPY does not count.
                (
                    "FROM a:1\nRUN tar xzf /tmp/app.tgz\nCOPY app.tgz /tmp/\n",
                    &[],
                ),
            ],
        );
    }
}
