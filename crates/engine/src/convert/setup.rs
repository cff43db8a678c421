//! Runtime setup `RUN`s (`mkdir`, `chown`, `chmod`, `useradd`) on a runtime
//! image without a shell, where they cannot run: the directories they
//! prepare for the runtime (a `VOLUME`, the working directory) are made in
//! the builder and copied with their owner
//! (`COPY --from=builder --chown=1000:1000 /data /data`); the rest is left
//! out with a change-log entry saying why.

use super::context::ConvertContext;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::model::shell::SimpleCommand;
use crate::model::{Instruction, join_workdir};

/// A directory a setup `RUN` prepares that the runtime uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedDir {
    /// The absolute path.
    pub path: String,
    /// The owner the last `chown` gave it (`1000:1000`, `app`), if any.
    pub owner: Option<String>,
    /// The node of the `RUN` that prepares it (the last one that does).
    pub node: usize,
    /// That `RUN`'s line.
    pub line: usize,
}

/// The most runtime directories [`prepared_dirs`] looks at.
const MAX_DIRS: usize = 16;

/// One path a command touches, and whether it touches what is below it.
struct Touch {
    path: String,
    recursive: bool,
}

/// The directories the runtime uses (`VOLUME`s and the final working
/// directory) that setup `RUN`s create, `chown` or `chmod`, and that hold
/// nothing else in the builder (no `COPY`/`ADD` writes there and no other
/// `RUN` works there), so copying them copies only what setup made.
pub fn prepared_dirs(cx: &ConvertContext<'_>) -> Vec<PreparedDir> {
    let mut out: Vec<PreparedDir> = Vec::new();
    let runs = setup_runs(cx);
    // Each directory is checked against every instruction: a bound keeps a
    // file with thousands of `VOLUME`s linear (real ones have a few).
    for dir in runtime_dirs(cx).into_iter().take(MAX_DIRS) {
        if !holds_only_setup(cx, &dir) {
            continue;
        }
        let mut found: Option<PreparedDir> = None;
        for &i in &runs {
            if let Some(owner) = prepares(i, &dir) {
                let owner = owner.or_else(|| found.as_ref().and_then(|f| f.owner.clone()));
                found = Some(PreparedDir {
                    path: dir.clone(),
                    owner,
                    node: i.node,
                    line: i.start_line,
                });
            }
        }
        out.extend(found);
    }
    out
}

/// `VOLUME` paths and the final working directory (literal, absolute).
fn runtime_dirs(cx: &ConvertContext<'_>) -> Vec<String> {
    let mut dirs = crate::convert::strategies::common::volume_paths(cx);
    if let Some(w) = cx.final_workdir().filter(|w| w != "/" && !w.contains('$'))
        && !dirs.contains(&w)
    {
        dirs.push(w);
    }
    dirs.into_iter()
        .map(|d| trimmed(&d).to_string())
        .filter(|d| d != "/")
        .collect()
}

/// The setup `RUN`s of the stage.
fn setup_runs<'a>(cx: &ConvertContext<'a>) -> Vec<&'a Instruction> {
    crate::convert::strategies::common::setup_runs(cx)
}

/// Whether nothing but setup `RUN`s puts files in `dir` in the builder.
fn holds_only_setup(cx: &ConvertContext<'_>, dir: &str) -> bool {
    cx.instructions().all(|i| match i.keyword {
        Keyword::Copy | Keyword::Add => copy_dest(i).is_none_or(|d| !within(&d, dir)),
        Keyword::Run => {
            crate::convert::classify::classify_run(i).setup_only
                || !within(i.context.workdir.as_deref().unwrap_or("/"), dir)
        }
        _ => true,
    })
}

/// The absolute destination of a `COPY`/`ADD`.
fn copy_dest(i: &Instruction) -> Option<String> {
    let dest = match i.kind()? {
        CommandKind::Copy(c) => c.dest.clone(),
        CommandKind::Add(a) => a.dest.clone(),
        _ => return None,
    };
    Some(join_workdir(i.context.workdir.as_deref(), &dest))
}

/// Whether `path` is `dir` or inside it.
fn within(path: &str, dir: &str) -> bool {
    let path = trimmed(path);
    path == dir || path.starts_with(&format!("{dir}/"))
}

/// A path without its trailing slashes (`/` stays `/`).
fn trimmed(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() { "/" } else { t }
}

/// Whether a setup `RUN` prepares `dir`: `Some(owner)` when one of its
/// commands creates it (or something below it), `chown`s or `chmod`s it
/// (or a parent, recursively); the owner is the last `chown`'s.
fn prepares(i: &Instruction, dir: &str) -> Option<Option<String>> {
    let run = i.run.as_ref()?;
    let workdir = i.context.workdir.as_deref();
    let mut touched = false;
    let mut owner = None;
    for c in run.commands() {
        let (touches, chown) = touches(c, workdir);
        let hit = touches.iter().any(|t| {
            t.path == dir
                || (t.recursive && dir.starts_with(&format!("{}/", t.path)))
                || (c.base_name() == "mkdir" && t.path.starts_with(&format!("{dir}/")))
        });
        if hit {
            touched = true;
            if chown.is_some() {
                owner = chown;
            }
        }
    }
    touched.then_some(owner)
}

/// The paths a `mkdir`, `chown` or `chmod` touches, and the owner a
/// `chown` gives.
fn touches(c: &SimpleCommand, workdir: Option<&str>) -> (Vec<Touch>, Option<String>) {
    let name = c.base_name();
    if !matches!(name, "mkdir" | "chown" | "chmod" | "chgrp") {
        return (Vec::new(), None);
    }
    let recursive = c.has_flag(&["R", "recursive"]);
    let operands = c.positional(&["m", "mode", "reference"]);
    let (owner, paths) = match (name, operands.split_first()) {
        ("mkdir", _) => (None, operands.as_slice()),
        ("chown", Some((owner, rest))) => (Some((*owner).to_string()), rest),
        (_, Some((_, rest))) => (None, rest),
        (_, None) => return (Vec::new(), None),
    };
    let touches = paths
        .iter()
        .filter(|p| !p.contains('$') && !p.contains('*'))
        .map(|p| Touch {
            path: trimmed(&join_workdir(workdir, p)).to_string(),
            recursive: recursive && name != "mkdir",
        })
        .collect();
    (touches, owner.filter(|o| !o.contains('$')))
}

/// Whether a setup `RUN` can run in a runtime stage that has a shell but
/// only the build's artifacts: every command creates users or groups, or
/// directories, or changes the owner or mode of a path the runtime stage
/// has (`present`: the binary, the working directory, `VOLUME`s) or that
/// the same `RUN` created. A step on other files (`chmod +x
/// scripts/start.sh` on a source file) would fail there.
pub fn runs_in_runtime(i: &Instruction, present: &[String]) -> bool {
    let Some(run) = &i.run else {
        return false;
    };
    let workdir = i.context.workdir.as_deref();
    let mut created: Vec<String> = Vec::new();
    run.commands().all(|c| match c.base_name() {
        "useradd" | "adduser" | "groupadd" | "addgroup" | "usermod" | "set" | "true" | "" => true,
        _ if crate::convert::classify::is_account_guard(c) => true,
        "mkdir" => {
            let (touches, _) = touches(c, workdir);
            created.extend(touches.into_iter().map(|t| t.path));
            true
        }
        "chown" | "chmod" | "chgrp" => {
            let (touches, _) = touches(c, workdir);
            !touches.is_empty()
                && touches.iter().all(|t| {
                    present.iter().any(|p| trimmed(p) == t.path)
                        || created.iter().any(|d| within(&t.path, d))
                })
        }
        _ => false,
    })
}
