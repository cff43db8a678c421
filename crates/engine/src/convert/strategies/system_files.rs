//! Files that build steps of the builder write into the system's run-time
//! configuration (`cp sample-config/httpd.conf
//! /etc/apache2/conf.d/nagios.conf`, `echo ... > /etc/x.conf`, `sed -i ...
//! /etc/apache2/envvars`, `tee`, `install`, `mv`): the runtime stage does
//! not run those steps, so it gets each file from the builder with a
//! `COPY --from`, next to the build's artifacts.

use std::collections::{BTreeSet, HashSet};

use super::common::add;
use super::cpp::{copy_outs, resolved_path, shell_commands, tool_index, unquote};
use crate::convert::context::ConvertContext;
use crate::convert::plan::{Item, Plan};
use crate::convert::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::model::{Instruction, join_workdir};

/// Where files that configure the image at run time live.
const RUNTIME_ROOTS: &[&str] = &["/etc", "/usr/local/etc", "/var/www", "/srv"];

/// Paths under [`RUNTIME_ROOTS`] that are not the runtime stage's to copy:
/// package sources (the runtime stage installs its own packages), the
/// accounts (its setup creates them), the loader cache (it runs
/// `ldconfig`), and files Docker manages.
const NOT_COPIED: &[&str] = &[
    "/etc/apt",
    "/etc/apk",
    "/etc/yum.repos.d",
    "/etc/dnf",
    "/etc/zypp",
    "/etc/ld.so.cache",
    "/etc/passwd",
    "/etc/group",
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
];

/// One file a build step writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WrittenFile {
    /// The absolute path.
    pub path: String,
    /// The line of the `RUN`.
    pub line: usize,
    /// The command that writes it (`cp`, `>`, `sed -i`).
    pub how: &'static str,
}

/// Whether `path` is `dir` or below it.
fn within(path: &str, dir: &str) -> bool {
    path == dir || path.starts_with(&format!("{dir}/"))
}

/// Whether a written path is a run-time system file the runtime stage
/// should get: below a [`RUNTIME_ROOTS`] directory (not the directory
/// itself, which would copy all of it), outside [`NOT_COPIED`].
fn is_runtime_file(path: &str) -> bool {
    RUNTIME_ROOTS
        .iter()
        .any(|r| path.starts_with(&format!("{r}/")))
        && !NOT_COPIED.iter().any(|n| within(path, n))
        && !path.contains(['$', '*', '?', '[', '`'])
}

/// An absolute path of a word a command writes to, from the directory the
/// command runs in, with a leading stage variable resolved
/// (`${NGINX_CONF}/site.conf`).
fn written_path(cx: &ConvertContext<'_>, dir: &str, word: &str) -> Option<String> {
    if word.is_empty() || word.starts_with('-') {
        return None;
    }
    let path = if word.starts_with('$') {
        resolved_path(cx, word)?
    } else {
        join_workdir(Some(dir), word)
    };
    let path = path.trim_end_matches('/').to_string();
    is_runtime_file(&path).then_some(path)
}

/// The files one `RUN` writes besides copies (which [`copy_outs`] reads):
/// redirection targets (`>`, `>>`, `&>`), `tee` operands, the files of
/// `sed -i`, `curl -o` and `wget -O` outputs. `cd` is followed.
fn redirected_and_edited(cx: &ConvertContext<'_>, i: &Instruction) -> Vec<(String, &'static str)> {
    let text = super::cpp::instruction_text(cx, i);
    let mut dir = i.context.workdir.as_deref().unwrap_or("/").to_string();
    let mut out = Vec::new();
    for cmd in shell_commands(&text, cx.escape()) {
        let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
        // Redirections may stand anywhere in the command.
        let mut k = 0;
        while let Some(w) = words.get(k) {
            let op = [">>", "1>>", "&>>", ">|", ">", "1>", "&>"]
                .iter()
                .find(|op| w.starts_with(**op));
            if let Some(op) = op {
                let rest = w.get(op.len()..).unwrap_or_default();
                let target = if rest.is_empty() {
                    k += 1;
                    words.get(k).map(String::as_str).unwrap_or_default()
                } else {
                    rest
                };
                if !target.starts_with('&')
                    && let Some(p) = written_path(cx, &dir, target)
                {
                    out.push((p, ">"));
                }
            }
            k += 1;
        }
        let Some(t) = tool_index(&words) else {
            continue;
        };
        let Some(tool) = words.get(t) else { continue };
        let base = tool.rsplit('/').next().unwrap_or(tool);
        // The arguments before the first redirection.
        let rest: Vec<&str> = words
            .iter()
            .skip(t + 1)
            .map(String::as_str)
            .take_while(|w| !w.starts_with('>') && !w.starts_with("1>") && !w.starts_with("&>"))
            .collect();
        match base {
            "cd" => {
                if let Some(d) = rest.first().filter(|d| !d.starts_with('-')) {
                    dir = join_workdir(Some(&dir), d);
                }
            }
            "tee" => {
                for w in rest.iter().filter(|w| !w.starts_with('-')) {
                    out.extend(written_path(cx, &dir, w).map(|p| (p, "tee")));
                }
            }
            "sed" => out.extend(
                sed_in_place_files(&rest)
                    .into_iter()
                    .filter_map(|w| written_path(cx, &dir, w))
                    .map(|p| (p, "sed -i")),
            ),
            "curl" | "wget" => {
                let flags: &[&str] = if base == "curl" {
                    &["-o", "--output"]
                } else {
                    &["-O", "--output-document"]
                };
                let target = rest.iter().enumerate().find_map(|(n, w)| {
                    if flags.contains(w) {
                        rest.get(n + 1).copied()
                    } else {
                        flags.iter().find_map(|f| {
                            w.strip_prefix(&format!("{f}="))
                                .or_else(|| w.strip_prefix(f).filter(|_| f.len() == 2))
                                .filter(|v| !v.is_empty())
                        })
                    }
                });
                out.extend(
                    target
                        .and_then(|w| written_path(cx, &dir, w))
                        .map(|p| (p, if base == "curl" { "curl -o" } else { "wget -O" })),
                );
            }
            _ => {}
        }
    }
    out
}

/// The files `sed` edits in place (`sed -i 's/a/b/' f`, `sed -ri -e x f`,
/// `sed --in-place=.bak x f`); none without `-i`.
fn sed_in_place_files<'w>(args: &[&'w str]) -> Vec<&'w str> {
    let mut in_place = false;
    let mut script_given = false;
    let mut positional = Vec::new();
    let mut k = 0;
    while let Some(w) = args.get(k) {
        if let Some(long) = w.strip_prefix("--") {
            in_place |= long.starts_with("in-place");
            if matches!(long, "expression" | "file") {
                script_given = true;
                k += 1;
            }
            script_given |= long.starts_with("expression=") || long.starts_with("file=");
        } else if let Some(short) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            // A cluster of flags; `-i` takes its suffix attached.
            for (n, c) in short.char_indices() {
                match c {
                    'i' => {
                        in_place = true;
                        break;
                    }
                    'e' | 'f' => {
                        script_given = true;
                        if short.get(n + 1..).is_some_and(str::is_empty) {
                            k += 1;
                        }
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            positional.push(*w);
        }
        k += 1;
    }
    if !in_place {
        return Vec::new();
    }
    positional
        .into_iter()
        .skip(usize::from(!script_given))
        .collect()
}

/// The run-time system files the `RUN`s `runs` write (in the stage's
/// order, each path once): copies, moves and installs ([`copy_outs`]),
/// redirections, `tee`, `sed -i` and downloads.
pub(super) fn written_files(cx: &ConvertContext<'_>, runs: &HashSet<usize>) -> Vec<WrittenFile> {
    let mut copies: std::collections::HashMap<usize, Vec<String>> =
        std::collections::HashMap::new();
    for c in copy_outs(cx).into_iter().filter(|c| runs.contains(&c.node)) {
        // `cp x /etc` copies into /etc: the file, not the directory.
        let dest = if RUNTIME_ROOTS.contains(&c.dest.as_str()) {
            join_workdir(Some(&c.dest), &super::cpp::base_name(&c.source))
        } else {
            c.dest
        };
        copies.entry(c.node).or_default().push(dest);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in cx
        .instructions()
        .filter(|i| i.keyword == Keyword::Run && runs.contains(&i.node))
    {
        let copied = copies
            .remove(&i.node)
            .unwrap_or_default()
            .into_iter()
            .map(|d| d.trim_end_matches('/').to_string())
            .filter(|d| is_runtime_file(d))
            .map(|d| (d, "cp"));
        for (path, how) in copied.chain(redirected_and_edited(cx, i)) {
            if seen.insert(path.clone()) {
                out.push(WrittenFile {
                    path,
                    line: i.start_line,
                    how,
                });
            }
        }
    }
    out
}

/// The `RUN` nodes a stage plan writes.
fn run_nodes(cx: &ConvertContext<'_>, items: &[Item]) -> HashSet<usize> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Keep { node, .. } | Item::Rewrite { node, .. } => Some(*node),
            _ => None,
        })
        .filter(|node| {
            cx.doc
                .nodes
                .get(*node)
                .is_some_and(|n| n.kind == Keyword::Run)
        })
        .collect()
}

/// Adds to the plan's runtime stage (its last) a `COPY --from=builder` of
/// every run-time system file ([`written_files`]) that a `RUN` of the
/// builder stage (`builder`) writes and the runtime stage does not run:
/// after the last artifact copied from the builder (before the loader
/// cache is refreshed), or before the command when there is none.
pub(super) fn copy_written_files(cx: &ConvertContext<'_>, plan: &mut Plan, builder: &str) {
    let Some(built) = plan
        .stages
        .iter()
        .find(|s| s.name == builder)
        .map(|s| run_nodes(cx, &s.items))
    else {
        return;
    };
    let Some(runtime) = plan.stages.last_mut().filter(|s| s.name != builder) else {
        return;
    };
    let repeated = run_nodes(cx, &runtime.items);
    let dropped: HashSet<usize> = built.difference(&repeated).copied().collect();
    let files = written_files(cx, &dropped);
    if files.is_empty() {
        return;
    }
    let from = format!("COPY --from={builder} ");
    let at = runtime
        .items
        .iter()
        .rposition(|item| {
            matches!(item, Item::Add { text, change } if change.kind == ChangeKind::CopyArtifact && text.starts_with(&from))
        })
        .map(|k| k + 1)
        .or_else(|| super::common::first_start_item(cx, &runtime.items))
        .unwrap_or(runtime.items.len());
    let copies = files.into_iter().map(|f| {
        add(
            format!("{from}{p} {p}", p = f.path),
            ChangeKind::CopyArtifact,
            format!("`{}` is copied from the builder", f.path),
            format!(
                "the build step on line {} writes it (`{}`), the runtime stage does not run that step, and the image reads it at run time",
                f.line, f.how
            ),
            vec![f.line],
        )
    });
    let tail = runtime.items.split_off(at.min(runtime.items.len()));
    runtime.items.extend(copies);
    runtime.items.extend(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_edits_in_place_only_with_i() {
        let files = |args: &[&'static str]| sed_in_place_files(args);
        assert_eq!(files(&["-i", "s/a/b/", "/etc/x"]), ["/etc/x"]);
        assert_eq!(
            files(&["-i.bak", "s/a/b/", "/etc/x", "/etc/y"]),
            ["/etc/x", "/etc/y"]
        );
        assert_eq!(files(&["-ri", "-e", "s/a/b/", "/etc/x"]), ["/etc/x"]);
        assert_eq!(
            files(&["-i", "-e", "s/a/b/", "-e", "s/c/d/", "/etc/x"]),
            ["/etc/x"]
        );
        assert_eq!(files(&["--in-place", "s/a/b/", "/etc/x"]), ["/etc/x"]);
        assert!(files(&["s/a/b/", "/etc/x"]).is_empty());
        assert!(files(&["-n", "p", "/etc/x"]).is_empty());
    }

    #[test]
    fn only_files_below_runtime_roots_count() {
        assert!(is_runtime_file("/etc/apache2/conf.d/nagios.conf"));
        assert!(is_runtime_file("/var/www/html/index.php"));
        assert!(!is_runtime_file("/etc"));
        assert!(!is_runtime_file("/etc/apt/sources.list.d/x.list"));
        assert!(!is_runtime_file("/etc/passwd"));
        assert!(!is_runtime_file("/opt/app/etc/x.cfg"));
        assert!(!is_runtime_file("/etc/$NAME.conf"));
        assert!(!is_runtime_file("/tmp/etc/x"));
    }
}
