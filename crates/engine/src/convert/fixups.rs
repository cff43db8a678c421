//! Mechanical fixes of error-level problems in instructions a plan keeps,
//! so that the converted file lints clean at error level: `MAINTAINER`
//! becomes a label, a relative `WORKDIR` becomes absolute, `sudo` goes
//! (builds run as root), `ADD` of a plain file becomes `COPY`, and only
//! the last `HEALTHCHECK`/`ENTRYPOINT` of a stage is kept.

use super::plan::{ChangeSpec, Item, Plan};
use super::types::ChangeKind;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::{Document, Keyword};
use crate::model::tools::{Tool, recognise};
use crate::model::{Instruction, Model, join_workdir};

fn rewrite(node: usize, text: String, summary: &str, reason: &str, line: usize) -> Item {
    Item::Rewrite {
        node,
        text,
        change: ChangeSpec::new(ChangeKind::Rewrite, summary, reason, vec![line]),
    }
}

/// Archive extensions `ADD` unpacks.
pub(crate) const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz", ".zst",
];

fn fix(doc: &Document, instruction: &Instruction) -> Option<(String, &'static str, &'static str)> {
    let node = doc.nodes.get(instruction.node)?;
    let original = node.text(&doc.source).trim_end().to_string();
    match instruction.kind()? {
        CommandKind::Maintainer(name) => Some((
            format!(
                "LABEL maintainer={}",
                crate::dockerfile::gotext::quote(name)
            ),
            "`MAINTAINER` became a label",
            "MAINTAINER is deprecated (DL4000)",
        )),
        // Quotes are the word's, not the path's (`WORKDIR "$APP"`), and a
        // path with a variable is whatever the build makes it.
        CommandKind::Workdir(path) => {
            let path = crate::model::shell::unquote(path);
            (!path.starts_with('/') && !path.contains('$')).then(|| {
                (
                    format!(
                        "WORKDIR {}",
                        join_workdir(instruction.context.workdir.as_deref(), &path)
                    ),
                    "The working directory is absolute",
                    "a relative WORKDIR depends on the base image (DL3000)",
                )
            })
        }
        CommandKind::Add(add)
            if add.sources.iter().all(|s| {
                !s.contains("://")
                    && !ARCHIVES.iter().any(|e| s.ends_with(e))
                    && !s.starts_with("git@")
            }) && add.checksum.is_none() =>
        {
            let rest = original.get(node.keyword.len()..).unwrap_or_default();
            Some((
                format!("COPY{rest}"),
                "`ADD` became `COPY`",
                "ADD of a local file that is not an archive should be COPY (DL3020)",
            ))
        }
        CommandKind::Run(_)
            if instruction
                .run
                .as_ref()
                .is_some_and(|r| r.commands().any(|c| c.is("sudo"))) =>
        {
            Some((
                original.replace("sudo -E ", "").replace("sudo ", ""),
                "`sudo` removed",
                "build steps run as root; sudo is not needed (DL3004)",
            ))
        }
        _ => None,
    }
}

/// A `RUN` of the final stage that leaves a package-manager cache in its
/// layer, rewritten so that it does not: apt lists removed in the same
/// `RUN`, `apk add --no-cache`, `pip install --no-cache-dir`. Heredoc and
/// exec-form `RUN`s are left as they are.
fn without_caches(doc: &Document, model: &Model<'_>, instruction: &Instruction) -> Option<String> {
    let run = instruction.run.as_ref()?;
    let node = doc.nodes.get(instruction.node)?;
    if run.exec_form || !run.posix || !node.heredocs.is_empty() {
        return None;
    }
    let mut text = node.text(&doc.source).trim_end().to_string();
    let original = text.clone();
    let mut apt_installs = false;
    let mut apt_cleaned = false;
    let mut apk_cached = false;
    let mut pip_cached = false;
    for c in run.commands() {
        match recognise(c) {
            Some(inv) if matches!(inv.tool, Tool::AptGet | Tool::Apt) => {
                if matches!(
                    inv.subcommand(),
                    Some("install" | "update" | "dist-upgrade" | "upgrade")
                ) {
                    apt_installs = true;
                }
                if inv.subcommand() == Some("dist-clean") {
                    apt_cleaned = true;
                }
            }
            Some(inv)
                if inv.tool == Tool::Apk
                    && inv.subcommand() == Some("add")
                    && !inv.has_flag(&["no-cache"]) =>
            {
                apk_cached = true;
            }
            Some(inv)
                if inv.tool == Tool::Pip
                    && inv.subcommand() == Some("install")
                    && !inv.has_flag(&["no-cache-dir"]) =>
            {
                pip_cached = true;
            }
            _ => {}
        }
        if c.is("rm") && c.args.iter().any(|a| a.starts_with("/var/lib/apt/lists")) {
            apt_cleaned = true;
        }
    }
    if apk_cached && !run.has_cache_mount("/var/cache/apk") {
        text = text.replacen("apk add ", "apk add --no-cache ", 1);
    }
    let pip_env_off = instruction
        .stage
        .and_then(|s| model.stages.get(s))
        .is_some_and(|s| {
            s.env
                .iter()
                .any(|(k, v)| k == "PIP_NO_CACHE_DIR" && !matches!(v.as_str(), "" | "0" | "false"))
        });
    if pip_cached && !pip_env_off && !run.has_cache_mount("/root/.cache/pip") {
        text = text.replacen("pip install ", "pip install --no-cache-dir ", 1);
    }
    if apt_installs && !apt_cleaned && !run.has_cache_mount("/var/lib/apt/lists") {
        text.push_str(&format!(
            " {}\n    && rm -rf /var/lib/apt/lists/*",
            doc.escape
        ));
    }
    (text != original).then_some(text)
}

/// A `VOLUME` directory must exist, owned by the runtime user, before the
/// `VOLUME` line: move `VOLUME`s of the final stage after the `RUN` that
/// creates the user and their directories, or warn when no such `RUN`
/// can exist (no shell in the runtime image).
fn order_volumes(doc: &Document, plan: &mut Plan) {
    let Some(stage) = plan.stages.last_mut() else {
        return;
    };
    let is_volume = |item: &Item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => doc
            .nodes
            .get(*node)
            .is_some_and(|n| n.kind == Keyword::Volume),
        _ => false,
    };
    if !stage.items.iter().any(is_volume) {
        return;
    }
    let creates = stage.items.iter().position(|item| {
        matches!(item, Item::Add { text, change } if change.kind == ChangeKind::User && text.contains("mkdir -p"))
    });
    let new_user = stage.items.iter().any(|item| {
        matches!(item, Item::Add { text, change } if change.kind == ChangeKind::User && text.starts_with("USER "))
    });
    match creates {
        Some(at) => {
            let mut moved = Vec::new();
            let mut kept = Vec::new();
            for (i, item) in std::mem::take(&mut stage.items).into_iter().enumerate() {
                if i < at && is_volume(&item) {
                    moved.push(item);
                } else {
                    kept.push(item);
                }
            }
            let insert_at = at.saturating_sub(moved.len()) + 1;
            let tail = kept.split_off(insert_at.min(kept.len()));
            kept.extend(moved);
            kept.extend(tail);
            stage.items = kept;
        }
        None if new_user && !copies_volumes(doc, stage) => plan.warnings.push(
            "Docker creates a missing VOLUME directory owned by root, and the runtime image has no shell to create it for the non-root user: if the program writes there, copy an empty directory owned by the user from the builder (`COPY --from=builder --chown=...`)".into(),
        ),
        None => {}
    }
}

/// Whether a runtime image has no shell (distroless, chiseled, `scratch`).
fn shell_less(from: &super::plan::StageFrom) -> bool {
    let image = match from {
        super::plan::StageFrom::Image { image, .. }
        | super::plan::StageFrom::SourceImage(image) => image,
        super::plan::StageFrom::Source => return false,
    };
    image == "scratch" || image.contains("distroless") || image.contains("chiseled")
}

/// Whether a `HEALTHCHECK` needs what a shell-less image lacks: a shell
/// (the shell form runs `/bin/sh -c`), or a shell or HTTP client as its
/// program.
fn needs_a_shell(instruction: &Instruction) -> bool {
    use crate::dockerfile::instructions::HealthTest;
    match instruction.kind() {
        Some(CommandKind::Healthcheck(h)) => match &h.test {
            HealthTest::CmdShell(_) => true,
            HealthTest::Cmd(words) => words.first().is_some_and(|w| {
                let base = w.rsplit('/').next().unwrap_or(w);
                matches!(base, "sh" | "bash" | "ash" | "curl" | "wget")
            }),
            HealthTest::None => false,
        },
        _ => false,
    }
}

/// A safety net for every strategy: a `HEALTHCHECK` kept in a final stage
/// without a shell that it needs (see [`needs_a_shell`]) would mark the
/// container unhealthy forever, so it is left out with a change-log entry
/// and a warning saying how to keep a check.
fn drop_unrunnable_healthchecks(model: &Model<'_>, plan: &mut Plan) {
    let Some(stage) = plan.stages.last_mut() else {
        return;
    };
    if !shell_less(&stage.from) {
        return;
    }
    let mut dropped = Vec::new();
    stage.items.retain(|item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
            match model.instructions.get(*node).filter(|i| needs_a_shell(i)) {
                Some(i) => {
                    dropped.push(i.start_line);
                    false
                }
                None => true,
            }
        }
        _ => true,
    });
    for line in dropped {
        plan.notes.push(ChangeSpec::new(
            ChangeKind::Drop,
            "The HEALTHCHECK is left out of the runtime stage",
            "it needs a shell or an HTTP client, and the runtime image has neither: Docker would report the container unhealthy forever",
            vec![line],
        ));
        plan.warnings.push(format!("line {line}: the HEALTHCHECK was left out because the runtime image cannot run it; give the program a health-check mode and write the check in exec form, use the orchestrator's probe, or convert with --runtime slim or alpine"));
    }
}

/// Whether every `VOLUME` of a stage is a directory the plan copies with
/// an owner (`COPY --from=builder --chown=... /data /data`), so that it
/// exists, owned as the setup made it, before the `VOLUME` line.
fn copies_volumes(doc: &Document, stage: &super::plan::StagePlan) -> bool {
    let copied: Vec<&str> = stage
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Add { text, .. }
                if text.starts_with("COPY --from=") && text.contains(" --chown=") =>
            {
                text.rsplit(' ').next()
            }
            _ => None,
        })
        .collect();
    stage.items.iter().all(|item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
            doc.nodes.get(*node).is_none_or(|n| {
                n.kind != Keyword::Volume
                    || n.args
                        .iter()
                        .all(|a| copied.contains(&a.trim_end_matches('/')))
            })
        }
        _ => true,
    })
}

/// Paths that say where system packages come from: apt sources, keys and
/// pins, Alpine's repositories and keys, yum/dnf/zypper repositories.
const PACKAGE_SOURCE_PATHS: &[&str] = &[
    "/etc/apt/sources.list",
    "/etc/apt/trusted.gpg",
    "/etc/apt/keyrings",
    "/usr/share/keyrings",
    "/etc/apt/preferences",
    "/etc/apk/repositories",
    "/etc/apk/keys",
    "/etc/yum.repos.d",
    "/etc/pki/rpm-gpg",
    "/etc/zypp/repos.d",
];

/// Programs that add package sources or their keys.
const PACKAGE_SOURCE_PROGRAMS: &[&str] = &["add-apt-repository", "apt-key", "yum-config-manager"];

/// Whether a `RUN` changes where system packages come from (and installs
/// none itself): it names a package-source path or runs a program that
/// adds sources (`dnf config-manager` too).
fn changes_package_sources(instruction: &Instruction) -> bool {
    let Some(run) = &instruction.run else {
        return false;
    };
    let names_path = run
        .scripts
        .iter()
        .any(|s| PACKAGE_SOURCE_PATHS.iter().any(|p| s.text.contains(p)));
    let adds_sources = run.commands().any(|c| {
        PACKAGE_SOURCE_PROGRAMS.contains(&c.base_name())
            || (matches!(c.base_name(), "dnf" | "yum")
                && c.positional(&[]).first() == Some(&"config-manager"))
    });
    (names_path || adds_sources) && super::classify::classify_run(instruction).system.is_none()
}

/// Whether shell commands install system packages.
fn installs_system_packages<'a>(
    commands: impl IntoIterator<Item = &'a crate::model::shell::SimpleCommand>,
) -> bool {
    commands.into_iter().any(|c| {
        recognise(c).is_some_and(|inv| {
            matches!(
                (inv.tool, inv.subcommand().unwrap_or_default()),
                (Tool::AptGet | Tool::Apt | Tool::Aptitude, "install")
                    | (Tool::Apk, "add")
                    | (
                        Tool::Dnf | Tool::Yum | Tool::Microdnf | Tool::Zypper,
                        "install" | "in"
                    )
            )
        })
    })
}

/// Whether a planned item installs system packages: a kept `RUN` that
/// does, or a new `RUN` (the runtime packages a strategy adds).
fn installs_packages(model: &Model<'_>, item: &Item) -> bool {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => model
            .instructions
            .get(*node)
            .and_then(|i| i.run.as_ref())
            .is_some_and(|r| installs_system_packages(r.commands())),
        Item::Add { text, .. } => text.strip_prefix("RUN ").is_some_and(|rest| {
            let script =
                crate::model::shell::Script::parse(rest, crate::model::shell::ScriptKind::Shell);
            installs_system_packages(&script.commands)
        }),
        Item::Comment(_) | Item::Blank => false,
    }
}

/// The instruction a kept or rewritten item writes.
fn item_instruction<'m>(model: &'m Model<'_>, item: &Item) -> Option<&'m Instruction> {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => model.instructions.get(*node),
        _ => None,
    }
}

/// Whether shell text uses the variable `name` (`$NAME`, `${NAME...}`).
fn uses_variable(text: &str, name: &str) -> bool {
    text.contains(&format!("${{{name}"))
        || text.match_indices(&format!("${name}")).any(|(at, m)| {
            !text
                .get(at + m.len()..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Setup that changes where packages come from (`sed -i ...
/// /etc/apt/sources.list`) must run before the runtime stage installs its
/// packages, or they cannot come from those sources: such `RUN`s of the
/// final stage that the plan put after its first package install move
/// just before it, with the `ENV`s between that they use.
fn order_package_sources(doc: &Document, model: &Model<'_>, plan: &mut Plan) {
    let Some(stage) = plan.stages.last_mut() else {
        return;
    };
    let Some(install) = stage
        .items
        .iter()
        .position(|item| installs_packages(model, item))
    else {
        return;
    };
    let sources: Vec<usize> = (install + 1..stage.items.len())
        .filter(|&k| {
            stage
                .items
                .get(k)
                .and_then(|item| item_instruction(model, item))
                .is_some_and(changes_package_sources)
        })
        .collect();
    let Some(&last) = sources.last() else {
        return;
    };
    let texts: Vec<&str> = sources
        .iter()
        .filter_map(|&k| stage.items.get(k))
        .filter_map(|item| item_instruction(model, item))
        .filter_map(|i| doc.nodes.get(i.node).map(|n| n.original.as_str()))
        .collect();
    let envs = (install + 1..last).filter(|&k| {
        let pairs = match stage
            .items
            .get(k)
            .and_then(|item| item_instruction(model, item))
            .and_then(Instruction::kind)
        {
            Some(CommandKind::Env(pairs)) => pairs,
            _ => return false,
        };
        pairs
            .iter()
            .any(|kv| texts.iter().any(|t| uses_variable(t, &kv.key)))
    });
    let mut moving: Vec<usize> = envs.chain(sources.iter().copied()).collect();
    moving.sort_unstable();
    let mut moved = Vec::new();
    for &k in moving.iter().rev() {
        if k < stage.items.len() {
            let mut item = stage.items.remove(k);
            if sources.contains(&k) {
                note_moved_source(model, &mut item);
            }
            moved.push(item);
        }
    }
    moved.reverse();
    let tail = stage.items.split_off(install.min(stage.items.len()));
    stage.items.extend(moved);
    stage.items.extend(tail);
}

/// The change a moved package-source setup records (a kept one; a
/// rewritten one keeps the change that explains the rewrite).
fn note_moved_source(model: &Model<'_>, item: &mut Item) {
    let line = item_instruction(model, item).map_or(0, |i| i.start_line);
    let change = ChangeSpec::new(
        ChangeKind::Keep,
        "Package sources are set up before the runtime packages are installed",
        "the runtime packages may come from the sources this step adds or changes",
        vec![line],
    );
    if let Item::Keep { change: c, .. } = item {
        *c = Some(change);
    }
}

/// A kept instruction that a fix rewrites still says why the plan kept
/// it where it is: the fix's change (a rewrite) is appended to the
/// plan's (`Runtime files are copied from the build context; `ADD`
/// became `COPY``).
fn keep_kept_change(fixed: &mut Item, kept: Option<&ChangeSpec>) {
    let (Item::Rewrite { change, .. }, Some(kept)) = (fixed, kept) else {
        return;
    };
    change.summary = format!("{}; {}", kept.summary, change.summary);
    change.reason = format!("{}; {}", kept.reason, change.reason);
}

/// Applies the fixes to every stage of the plan.
pub fn apply(doc: &Document, model: &Model<'_>, plan: &mut Plan) {
    order_volumes(doc, plan);
    order_package_sources(doc, model, plan);
    drop_unrunnable_healthchecks(model, plan);
    if let Some(last) = plan.stages.last_mut() {
        for item in &mut last.items {
            let Item::Keep { node, change } = item else {
                continue;
            };
            let Some(instruction) = model.instructions.get(*node) else {
                continue;
            };
            if let Some(text) = without_caches(doc, model, instruction) {
                let mut fixed = rewrite(
                    *node,
                    text,
                    "The package manager's cache stays out of the layer",
                    "a cache written in a layer stays in the image even if a later step deletes it (DL3009/DL3019/DL3042)",
                    instruction.start_line,
                );
                keep_kept_change(&mut fixed, change.as_ref());
                *item = fixed;
            }
        }
    }
    for stage in &mut plan.stages {
        for item in &mut stage.items {
            let Item::Keep { node, change } = item else {
                continue;
            };
            let Some(instruction) = model.instructions.get(*node) else {
                continue;
            };
            if let Some((text, summary, reason)) = fix(doc, instruction) {
                let mut fixed = rewrite(*node, text, summary, reason, instruction.start_line);
                keep_kept_change(&mut fixed, change.as_ref());
                *item = fixed;
            }
        }
        // Only the last HEALTHCHECK and ENTRYPOINT of a stage take effect.
        for keyword in [Keyword::Healthcheck, Keyword::Entrypoint] {
            let positions: Vec<usize> = stage
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| match item {
                    Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
                        doc.nodes.get(*node).is_some_and(|n| n.kind == keyword)
                    }
                    _ => false,
                })
                .map(|(i, _)| i)
                .collect();
            if positions.len() > 1 {
                for &p in positions.iter().rev().skip(1) {
                    let line = match stage.items.get(p) {
                        Some(Item::Keep { node, .. } | Item::Rewrite { node, .. }) => {
                            doc.nodes.get(*node).map_or(0, |n| n.start_line)
                        }
                        _ => 0,
                    };
                    stage.items.remove(p);
                    plan.notes.push(ChangeSpec::new(
                        ChangeKind::Drop,
                        format!("An earlier {} was dropped", keyword.name()),
                        "only the last one of a stage takes effect (DL3012/DL4004)",
                        vec![line],
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> Option<String> {
        let doc = crate::dockerfile::parse(text).expect("parses");
        let model = Model::build(&doc);
        let last = model.instructions.last().expect("an instruction");
        without_caches(&doc, &model, last)
    }

    /// A relative `WORKDIR` becomes absolute; a quoted or variable one is
    /// the build's to expand (it was `WORKDIR /"$APP"`, qdrant).
    #[test]
    fn only_literal_relative_workdirs_become_absolute() {
        let fixed = |text: &str| {
            let doc = crate::dockerfile::parse(text).expect("parses");
            let model = Model::build(&doc);
            let last = model.instructions.last().expect("an instruction");
            fix(&doc, last).map(|(text, _, _)| text)
        };
        let cases: &[(&str, Option<&str>)] = &[
            (
                "FROM a\nWORKDIR /srv\nWORKDIR app\n",
                Some("WORKDIR /srv/app"),
            ),
            ("FROM a\nWORKDIR \"app\"\n", Some("WORKDIR /app")),
            ("FROM a\nARG APP=/q\nWORKDIR \"$APP\"\n", None),
            ("FROM a\nARG APP=/q\nWORKDIR $APP\n", None),
            ("FROM a\nWORKDIR '${HOME}/x'\n", None),
            ("FROM a\nWORKDIR \"/abs\"\n", None),
        ];
        for (text, want) in cases {
            assert_eq!(fixed(text).as_deref(), *want, "{text}");
        }
    }

    #[test]
    fn caches_are_kept_out_of_runtime_layers() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
                Some(
                    "RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*",
                ),
            ),
            (
                "FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
                None,
            ),
            (
                "FROM alpine\nRUN apk add curl\n",
                Some("RUN apk add --no-cache curl"),
            ),
            ("FROM alpine\nRUN apk add --no-cache curl\n", None),
            (
                "FROM python:3.12-slim\nRUN pip install gunicorn\n",
                Some("RUN pip install --no-cache-dir gunicorn"),
            ),
            (
                "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install gunicorn\n",
                None,
            ),
            (
                "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn\n",
                None,
            ),
            (
                "# escape=`\nFROM debian\nRUN apt-get update && apt-get install -y curl\n",
                Some(
                    "RUN apt-get update && apt-get install -y curl `\n    && rm -rf /var/lib/apt/lists/*",
                ),
            ),
            (
                "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
                None,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(fixed(input).as_deref(), *want, "{input}");
        }
    }
}
