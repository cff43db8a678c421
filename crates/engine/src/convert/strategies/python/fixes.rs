//! Python-only adjustments of the runtime and builder stages: `COPY
//! --chown` in the builder, `poetry run`/`pipenv run`/`uv run` commands,
//! data that build steps download, the user the source stage creates, and
//! the directories and ports a non-root user needs.

use std::collections::BTreeSet;

use super::super::common::{add, command_words};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::plan::{ChangeSpec, Item};
use crate::convert::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::model::Instruction;

/// Where NLTK data downloaded at build time goes: a directory NLTK searches
/// by default, readable by every user (not root's home).
pub(super) const NLTK_DIR: &str = "/usr/share/nltk_data";
/// Where Playwright's browsers go, readable by every user.
pub(super) const PLAYWRIGHT_DIR: &str = "/ms-playwright";

/// A builder `COPY`/`ADD` without its `--chown` flag when the flag names a
/// user by name: the builder only reads the files, and the user exists
/// only where the source's `RUN useradd` runs (the runtime stage).
pub(super) fn builder_copy(cx: &ConvertContext<'_>, i: &Instruction) -> Option<Item> {
    let node = cx.node(i)?;
    let flag = node
        .flags
        .iter()
        .find(|f| f.to_ascii_lowercase().starts_with("--chown="))?;
    let owner = flag.get("--chown=".len()..).unwrap_or_default();
    if !super::super::common::chown_names_account(owner) || crate::convert::user::is_root(owner) {
        return None;
    }
    let text = node.text(&cx.doc.source).trim_end();
    let without = text.replacen(&format!("{flag} "), "", 1);
    (without != text).then(|| Item::Rewrite {
        node: i.node,
        text: without,
        change: ChangeSpec::new(
            ChangeKind::Rewrite,
            format!("The builder's copy drops `{flag}`"),
            format!(
                "the builder only reads these files, and `{owner}` is created only in the runtime stage (BuildKit fails on a --chown to a user the stage lacks)"
            ),
            vec![i.start_line],
        ),
    })
}

/// Package-manager runners a command may start with, and the options of
/// each that take no value and can be dropped with it.
const RUNNERS: &[(&str, &[&str])] = &[
    ("poetry", &["-q", "--quiet", "--no-interaction", "-n"]),
    ("pipenv", &[]),
    (
        "uv",
        &[
            "--frozen",
            "--locked",
            "--no-sync",
            "--no-dev",
            "--offline",
            "--no-project",
            "-q",
            "--quiet",
        ],
    ),
];

/// What became of a `CMD`/`ENTRYPOINT` that starts with a runner.
pub(super) enum RunnerCommand {
    /// The command without the runner, as the instruction's new text.
    Rewritten {
        /// The new instruction.
        text: String,
        /// The runner (`poetry run`).
        runner: String,
    },
    /// A runner command restage cannot rewrite (options it does not know).
    Kept(String),
}

/// A `CMD`/`ENTRYPOINT` that runs `poetry run X …`, `pipenv run X …` or
/// `uv run X …`, rewritten to `X …`: the runtime stage has the virtualenv
/// on PATH but not the package manager.
pub(super) fn runner_command(cx: &ConvertContext<'_>, i: &Instruction) -> Option<RunnerCommand> {
    let (words, shell) = command_words(cx, i);
    let tool = words.first()?;
    let tool = tool.rsplit('/').next().unwrap_or(tool);
    let (name, flags) = RUNNERS.iter().find(|(n, _)| *n == tool)?;
    if words.get(1).map(String::as_str) != Some("run") {
        return None;
    }
    let rest = words.get(2..).unwrap_or_default();
    let skip = rest
        .iter()
        .take_while(|w| flags.contains(&w.as_str()))
        .count();
    let program = rest.get(skip..).unwrap_or_default();
    let runner = format!("{name} run");
    if program.is_empty() || program.first().is_some_and(|w| w.starts_with('-')) {
        return Some(RunnerCommand::Kept(runner));
    }
    let keyword = cx
        .node(i)
        .map_or_else(|| "CMD".to_string(), |n| n.keyword.to_ascii_uppercase());
    let text = if shell {
        format!("{keyword} {}", program.join(" "))
    } else {
        let json = serde_json::to_string(program).ok()?;
        format!("{keyword} {}", json.replace("\",\"", "\", \""))
    };
    Some(RunnerCommand::Rewritten { text, runner })
}

/// The runtime item for a `CMD`/`ENTRYPOINT`, with `poetry run`/`pipenv
/// run`/`uv run` removed; a warning when a runner stays.
pub(super) fn command_item(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    warnings: &mut Vec<String>,
) -> Item {
    match runner_command(cx, i) {
        Some(RunnerCommand::Rewritten { text, runner }) => Item::Rewrite {
            node: i.node,
            text,
            change: ChangeSpec::new(
                ChangeKind::Rewrite,
                format!("`{runner}` is dropped from the command"),
                format!(
                    "the runtime stage has the virtualenv on PATH but not `{runner}`'s package manager; the command runs from the virtualenv directly"
                ),
                vec![i.start_line],
            ),
        },
        Some(RunnerCommand::Kept(runner)) => {
            warnings.push(format!(
                "line {}: the command runs `{runner}`, which the runtime stage does not have; run the program from the virtualenv (on PATH) instead",
                i.start_line
            ));
            super::super::common::keep_quiet(i)
        }
        None => super::super::common::keep_quiet(i),
    }
}

/// Data a build step downloads into the running user's home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Download {
    /// `python -m nltk.downloader …` (to `~/nltk_data` by default).
    Nltk,
    /// `python -c "…nltk.download(…)…"`: to the first existing writable
    /// directory NLTK searches, else `~/nltk_data`.
    NltkCode,
    /// `playwright install` (to `~/.cache/ms-playwright`).
    Playwright,
}

/// What a `RUN` downloads into root's home, if anything.
pub(super) fn download(i: &Instruction) -> Option<Download> {
    let run = i.run.as_ref()?;
    run.commands().find_map(|c| {
        let name = c.base_name();
        let code = name
            .starts_with("python")
            .then(|| {
                let at = c.args.iter().position(|a| a == "-c")?;
                c.args.get(at + 1)
            })
            .flatten();
        if code.is_some_and(|code| code.contains("nltk.download(")) {
            return Some(Download::NltkCode);
        }
        let module = if name.starts_with("python") {
            c.args
                .iter()
                .position(|a| a == "-m")
                .and_then(|p| c.args.get(p + 1))
                .map(String::as_str)
        } else {
            Some(name)
        };
        match module {
            Some("nltk.downloader") => Some(Download::Nltk),
            Some("playwright") if c.args.iter().any(|a| a == "install") => {
                Some(Download::Playwright)
            }
            _ => None,
        }
    })
}

/// The runtime items for a `RUN` that downloads data, in place of keeping
/// it: an `ENV` that puts the data in a shared directory (once per kind,
/// tracked in `done`) and the `RUN`, with `-d` for NLTK.
pub(super) fn download_items(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    kind: Download,
    done: &mut BTreeSet<&'static str>,
) -> Vec<Item> {
    let mut items = Vec::new();
    let (var, dir, what) = match kind {
        Download::Nltk | Download::NltkCode => ("NLTK_DATA", NLTK_DIR, "NLTK data"),
        Download::Playwright => (
            "PLAYWRIGHT_BROWSERS_PATH",
            PLAYWRIGHT_DIR,
            "Playwright's browsers",
        ),
    };
    let set = cx.stage.env.iter().any(|(k, _)| k == var);
    if !set && done.insert(var) {
        items.push(add(
            format!("ENV {var}={dir}"),
            ChangeKind::Add,
            format!("{what} go to `{dir}`"),
            "the step runs as root, whose home the non-root user of the runtime stage cannot read",
            vec![i.start_line],
        ));
    }
    let text = cx
        .node(i)
        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
        .unwrap_or_default();
    if kind == Download::NltkCode && !text.contains("download_dir") && done.insert(NLTK_DIR) {
        items.push(add(
            format!("RUN mkdir -p {NLTK_DIR}"),
            ChangeKind::Add,
            format!("NLTK data is downloaded to `{NLTK_DIR}`"),
            "`nltk.download()` writes to the first existing writable directory NLTK searches, else to root's home (/root/nltk_data), which the non-root user cannot read",
            vec![i.start_line],
        ));
    }
    let has_dir = i.run.as_ref().is_some_and(|r| {
        r.commands().any(|c| {
            c.args
                .iter()
                .any(|a| a == "-d" || a.starts_with("--dir") || a.starts_with("-d"))
        })
    });
    let rewritten = (kind == Download::Nltk && !set && !has_dir)
        .then(|| text.replacen("nltk.downloader", &format!("nltk.downloader -d {dir}"), 1))
        .filter(|t| *t != text);
    items.push(match rewritten {
        Some(new) => Item::Rewrite {
            node: i.node,
            text: new,
            change: ChangeSpec::new(
                ChangeKind::Rewrite,
                format!("NLTK data is downloaded to `{dir}`"),
                "by default it goes to root's home (/root/nltk_data), which the non-root user cannot read; NLTK searches this directory",
                vec![i.start_line],
            ),
        },
        None => super::super::common::keep(
            i,
            ChangeKind::Move,
            "Downloads data in the runtime stage",
            "it needs the installed dependencies and its files belong to the final image",
        ),
    });
    items
}

/// The user the source stage creates (`useradd …`, `adduser …`) with its
/// line, when the stage never switches to a non-root user.
pub(super) fn created_user(cx: &ConvertContext<'_>) -> Option<(String, usize)> {
    if cx
        .final_user()
        .is_some_and(|u| !crate::convert::user::is_root(&u))
    {
        return None;
    }
    cx.instructions()
        .filter(|i| i.keyword == Keyword::Run && classify_run(i).setup_only)
        .find_map(|i| {
            let run = i.run.as_ref()?;
            run.commands()
                .filter(|c| matches!(c.base_name(), "useradd" | "adduser"))
                .find_map(|c| {
                    let name = c.args.last()?;
                    (!name.starts_with('-')
                        && !name.contains('$')
                        && crate::convert::user::check_user(name).is_ok())
                    .then(|| (name.clone(), i.start_line))
                })
        })
}

/// The `USER` item for a user the source stage creates (see [`created_user`]).
pub(super) fn created_user_item(user: &str, line: usize) -> Item {
    add(
        format!("USER {user}"),
        ChangeKind::User,
        format!("Runs as `{user}`, the user the source creates"),
        format!(
            "line {line} creates `{user}` for the application (and gives it its directories); a container should not run as root, so it runs as that user rather than a new one"
        ),
        vec![line],
    )
}
