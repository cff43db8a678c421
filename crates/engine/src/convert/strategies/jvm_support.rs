//! Helpers shared by the Java (`java.rs`) and .NET (`dotnet.rs`)
//! strategies: both build one artifact (a jar, a publish directory) with an
//! SDK in a builder stage and copy it onto a runtime image, so both need
//! the commands the container starts with, whole-word path rewrites in
//! them, cache mounts with image-specific targets, the runtime user, and a
//! runtime stage that mirrors the source stage's runtime instructions.

use super::common::{add, install_command, runtime_package_list};
use crate::convert::context::{ConvertContext, glob_match};
use crate::convert::plan::Item;
use crate::convert::types::{ChangeKind, Ecosystem, Refusal};
use crate::convert::user::{DEFAULT_UID, ImageUsers, is_root, plan_user, runs_as};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::{Distro, package_name};
use crate::model::shell::{Script, ScriptKind, SimpleCommand};
use crate::model::{BaseImage, Instruction, join_workdir};

/// The instruction's text as written (continuation lines kept, no trailing
/// newline).
pub(super) fn node_text(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
        .unwrap_or_default()
}

/// The last path component (`target/app.jar` → `app.jar`).
pub(super) fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The directory part of a path (`target/app.jar` → `target`, `app.jar` → `.`).
pub(super) fn dir_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => "/",
        Some(i) => trimmed.get(..i).unwrap_or("."),
        None => ".",
    }
}

/// `path` made absolute against the working directory `dir`.
pub(super) fn absolute(dir: Option<&str>, path: &str) -> String {
    join_workdir(dir, path)
}

/// The simple commands a `CMD`/`ENTRYPOINT` runs: the shell form parsed
/// as a script, the exec form as one command, or, when it runs a shell
/// ([`super::shell_command`]), the shell (from its name on, `env` left
/// out) and the commands of its script; a `CMD` that is the script of an
/// `ENTRYPOINT ["sh", "-c"]` gives the script's commands.
pub(super) fn entry_commands(
    cx: &ConvertContext<'_>,
    instruction: &Instruction,
) -> Vec<SimpleCommand> {
    let Some(CommandKind::Cmd(c) | CommandKind::Entrypoint(c)) = instruction.kind() else {
        return Vec::new();
    };
    if c.prepend_shell {
        return Script::parse(&c.args.join(" "), ScriptKind::Shell).commands;
    }
    let shell = super::shell_command::of_stage(cx).filter(|s| s.exec && s.involves(instruction));
    if let Some(s) = shell
        .as_ref()
        .filter(|s| s.instruction.node == instruction.node && s.line != instruction.start_line)
    {
        return s.commands.clone();
    }
    let words = match shell
        .as_ref()
        .and_then(|_| super::shell_command::shell_at(&c.args))
    {
        Some((at, _)) => c.args.get(at..).unwrap_or_default(),
        None => &c.args,
    };
    let Some((name, args)) = words.split_first() else {
        return Vec::new();
    };
    let mut out = vec![SimpleCommand {
        name: name.clone(),
        args: args.to_vec(),
        assignments: Vec::new(),
        pipeline: 0,
        piped: false,
        nested: false,
        recognition: Default::default(),
    }];
    if let Some(s) = shell.filter(|s| s.instruction.node == instruction.node) {
        out.extend(s.commands);
    }
    out
}

/// A command with `exec` (and `exec -a name`) removed.
pub(super) fn without_exec(cmd: &SimpleCommand) -> Option<SimpleCommand> {
    if cmd.base_name() != "exec" {
        return Some(cmd.clone());
    }
    let mut args = cmd.args.iter().peekable();
    while let Some(a) = args.peek() {
        if a.as_str() == "-a" {
            args.next();
            args.next();
        } else if a.starts_with('-') {
            args.next();
        } else {
            break;
        }
    }
    let name = args.next()?.clone();
    Some(SimpleCommand {
        name,
        args: args.cloned().collect(),
        ..cmd.clone()
    })
}

/// Characters that may surround a path written in an instruction.
fn is_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ':' | ';' | ',' | '[' | ']')
}

/// `text` with every whole-word occurrence of `old` replaced by `new`;
/// `None` when `old` does not occur as a whole word.
pub(super) fn replace_token(text: &str, old: &str, new: &str) -> Option<String> {
    if old.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut replaced = false;
    for (pos, _) in text.match_indices(old) {
        if pos < last {
            continue;
        }
        let before = text.get(..pos).and_then(|s| s.chars().last());
        let after = text.get(pos + old.len()..).and_then(|s| s.chars().next());
        if before.is_none_or(is_boundary) && after.is_none_or(is_boundary) {
            out.push_str(text.get(last..pos).unwrap_or_default());
            out.push_str(new);
            last = pos + old.len();
            replaced = true;
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    replaced.then_some(out)
}

/// Words that are neither flags nor the values of `value_flags` (names
/// without dashes). Unlike [`SimpleCommand::positional`], `-Dname` and
/// `-Pprofile` are single words, as Maven and Gradle read them.
pub(super) fn positional(words: &[String], value_flags: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == "--" {
            break;
        }
        if let Some(flag) = w.strip_prefix('-') {
            let name = flag.trim_start_matches('-');
            if !name.contains('=') && value_flags.contains(&name) {
                it.next();
            }
            continue;
        }
        out.push(w.clone());
    }
    out
}

/// The value of a flag in `words` (`-o x`, `-ox`, `--output x`, `--output=x`).
pub(super) fn flag_value(words: &[String], short: &[&str], long: &[&str]) -> Option<String> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if let Some(l) = w.strip_prefix("--") {
            if let Some((n, v)) = l.split_once('=') {
                if long.contains(&n) {
                    return Some(v.to_string());
                }
            } else if long.contains(&l) {
                return it.next().cloned();
            }
        } else if let Some(s) = w.strip_prefix('-') {
            for f in short {
                if s == *f {
                    return it.next().cloned();
                }
                if let Some(v) = s.strip_prefix(f)
                    && f.len() == 1
                    && !v.is_empty()
                {
                    return Some(v.trim_start_matches([':', '=']).to_string());
                }
            }
        }
    }
    None
}

/// The runtime stage's `--platform`: the source's, unless it is the build
/// platform (which only a builder should run on).
pub(super) fn runtime_platform(cx: &ConvertContext<'_>) -> Option<String> {
    cx.stage
        .platform
        .clone()
        .filter(|p| !p.contains("BUILDPLATFORM"))
}

/// `RUN ...` with a cache mount for each of `targets` it does not have yet.
pub(super) fn with_mounts(instruction: &str, targets: &[String]) -> String {
    let keyword_len = instruction
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(instruction.len(), |(i, _)| i);
    let (keyword, rest) = instruction.split_at(keyword_len);
    let mut flags = String::new();
    for t in targets {
        let target = format!("target={t}");
        if !instruction.contains(&target) && !flags.contains(&target) {
            flags.push_str(" --mount=type=cache,");
            flags.push_str(&target);
        }
    }
    format!("{keyword}{flags}{rest}")
}

/// Whether a `RUN` mentions any of `needles` (whole words or path parts).
pub(super) fn mentions(cx: &ConvertContext<'_>, i: &Instruction, needles: &[&str]) -> bool {
    let text = node_text(cx, i);
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|' | '(' | ')'))
        .any(|w| {
            let w = w.trim_start_matches("./");
            needles.iter().any(|n| {
                w == *n || w.starts_with(&format!("{n}/")) || w.ends_with(&format!("/{n}"))
            })
        })
}

/// System packages for the runtime stage, with why and where from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Packages {
    /// Package names on the runtime distribution.
    pub names: Vec<String>,
    /// Why they are installed.
    pub reasons: Vec<String>,
    /// Source lines they come from.
    pub lines: Vec<usize>,
    /// Whether development packages were mapped to runtime libraries.
    pub mapped: bool,
}

impl Packages {
    /// Adds a package (once) with a reason.
    pub fn push(&mut self, name: &str, reason: String, line: Option<usize>) {
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
            if !self.reasons.contains(&reason) {
                self.reasons.push(reason);
            }
            if let Some(l) = line
                && !self.lines.contains(&l)
            {
                self.lines.push(l);
            }
        }
    }

    /// The install instruction, when there is anything to install.
    pub fn item(&self, cx: &ConvertContext<'_>, runtime: Distro) -> Option<Item> {
        if self.names.is_empty() {
            return None;
        }
        let mut lines = self.lines.clone();
        lines.sort_unstable();
        Some(add(
            install_command(runtime, &self.names, cx.escape()),
            if self.mapped {
                ChangeKind::RuntimeLibrary
            } else {
                ChangeKind::Add
            },
            format!("Runtime packages: {}", self.names.join(", ")),
            self.reasons.join("; "),
            lines,
        ))
    }
}

/// The system packages the runtime stage installs: what the source stage
/// installed minus build-only packages (the data table) and minus what
/// `provided` says the runtime image already has or must not get; a
/// refusal when one has no name on the runtime's distribution.
pub(super) fn runtime_packages(
    cx: &ConvertContext<'_>,
    source: Distro,
    runtime: Distro,
    provided: &dyn Fn(&str) -> bool,
    ecosystem: Ecosystem,
) -> Result<Packages, Refusal> {
    let mut out = Packages::default();
    let Some(mut needed) = runtime_package_list(cx, source, runtime) else {
        return Ok(out);
    };
    needed.unmapped.retain(|p| !provided(package_name(p)));
    super::common::refuse_unmapped(&needed.unmapped, ecosystem, runtime)?;
    out.mapped = needed.reason.contains("development packages");
    for p in &needed.packages {
        if !provided(package_name(p)) {
            out.names.push(p.clone());
        }
    }
    if !out.names.is_empty() {
        out.reasons.push(needed.reason);
        out.lines = needed.lines;
    }
    Ok(out)
}

/// HTTP clients (`curl`, `wget`) the runtime instructions run that the
/// runtime image does not have (`has`): each with the line that runs it.
pub(super) fn missing_clients(cx: &ConvertContext<'_>, has: &[&str]) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&'static str, usize)> = Vec::new();
    for i in cx.instructions().filter(|i| {
        matches!(
            i.keyword,
            Keyword::Healthcheck | Keyword::Cmd | Keyword::Entrypoint
        )
    }) {
        let text = node_text(cx, i);
        for client in ["curl", "wget"] {
            let used = text
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ']' | ',' | ';' | '&' | '|')
                })
                .any(|w| w == client || w.ends_with(&format!("/{client}")));
            if used && !has.contains(&client) && !out.iter().any(|(c, _)| *c == client) {
                out.push((client, i.start_line));
            }
        }
    }
    out
}

/// How the runtime stage gets its non-root user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RuntimeUser {
    /// Whether the source stage's `USER` instructions stay (in place).
    pub keep_source: bool,
    /// A `RUN` creating the user the source's `USER` names, placed before
    /// the first kept `USER`.
    pub create_source: Option<Item>,
    /// Items placed before `CMD`/`ENTRYPOINT` (a created user, `USER`).
    pub before_command: Vec<Item>,
    /// The user the container runs as.
    pub user: String,
}

/// Whether a `RUN` creates the user `name`.
fn creates_user(i: &Instruction, name: &str) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().any(|c| {
            matches!(c.base_name(), "useradd" | "adduser")
                && c.args
                    .iter()
                    .any(|a| a == name || a.ends_with(&format!(" {name}")))
        })
    })
}

/// The runtime user. `image_user` is the runtime image's own non-root user
/// (`nonroot:nonroot`, `$APP_UID`), `known` names users the runtime image
/// has, `kept_runs` the `RUN`s the runtime stage keeps (a user they create
/// exists), `users` the users it has and whether more can be created.
/// None when the start command must begin as root
/// ([`super::common::kept_root`]).
pub(super) fn runtime_user(
    cx: &ConvertContext<'_>,
    image_user: Option<&str>,
    known: &[&str],
    kept_runs: &[&Instruction],
    users: ImageUsers,
) -> RuntimeUser {
    if let Some((before_command, user)) = super::common::kept_root(cx) {
        return RuntimeUser {
            keep_source: false,
            create_source: None,
            before_command,
            user,
        };
    }
    let (shell, distro) = match users {
        ImageUsers::Shell(distro) => (true, distro),
        ImageUsers::Fixed { .. } => (false, Distro::Bookworm),
    };
    let lines: Vec<usize> = cx
        .with_keyword(Keyword::User)
        .map(|i| i.start_line)
        .collect();
    let from_plan = |existing: Option<&str>| {
        let p = plan_user(cx.options, existing, users);
        let mut items = Vec::new();
        let summary = p.create_summary();
        if let Some(create) = p.create {
            items.push(add(
                create,
                ChangeKind::User,
                summary,
                p.reason.clone(),
                lines.clone(),
            ));
        }
        items.push(add(
            format!("USER {}", p.user),
            ChangeKind::User,
            runs_as(&p.user),
            p.reason,
            lines.clone(),
        ));
        RuntimeUser {
            keep_source: false,
            create_source: None,
            before_command: items,
            user: p.user,
        }
    };
    if cx.options.user.is_some() {
        return from_plan(image_user);
    }
    let has_user_instruction = cx.with_keyword(Keyword::User).next().is_some();
    let Some(source) = cx
        .final_user()
        .filter(|u| !is_root(u) && has_user_instruction)
    else {
        return from_plan(image_user);
    };
    let name = source.split(':').next().unwrap_or(&source).to_string();
    let numeric = name.chars().all(|c| c.is_ascii_digit());
    let image_name = image_user.map(|u| u.split(':').next().unwrap_or(u));
    if !shell {
        if numeric || image_name == Some(name.as_str()) || known.contains(&name.as_str()) {
            return RuntimeUser {
                keep_source: true,
                create_source: None,
                before_command: Vec::new(),
                user: source,
            };
        }
        let mut plan = from_plan(image_user);
        if let Some(Item::Add { change, .. }) = plan.before_command.last_mut() {
            change.reason = format!(
                "the runtime image has no shell to create `{name}`; its own non-root user is used instead"
            );
        }
        plan.keep_source = false;
        return plan;
    }
    let exists = numeric
        || known.contains(&name.as_str())
        || image_name == Some(name.as_str())
        || name.starts_with('$')
        || kept_runs.iter().any(|i| creates_user(i, &name));
    let create_source = (!exists).then(|| {
        let text = match distro {
            Distro::Alpine => format!("RUN adduser -D -u {DEFAULT_UID} {name}"),
            _ => format!("RUN useradd --create-home --uid {DEFAULT_UID} {name}"),
        };
        add(
            text,
            ChangeKind::User,
            format!("Created the user `{name}`"),
            format!(
                "the source stage runs as `{name}`, a user of its base image that the runtime image does not have"
            ),
            lines.clone(),
        )
    });
    RuntimeUser {
        keep_source: true,
        create_source,
        before_command: Vec::new(),
        user: source,
    }
}

/// For a stage built on an earlier stage (`FROM build`): the image at the
/// root of the chain and the name of the parent stage as the file writes it.
pub(super) fn parent_stage(cx: &ConvertContext<'_>) -> Option<(String, String)> {
    let BaseImage::Stage { index } = cx.stage.base else {
        return None;
    };
    let parent = cx.model.stages.get(index)?;
    let name = parent
        .name_as_written
        .clone()
        .unwrap_or_else(|| index.to_string());
    let mut current = parent;
    for _ in 0..cx.model.stages.len() {
        match &current.base {
            BaseImage::Image { reference, .. } => return Some((reference.clone(), name)),
            BaseImage::Stage { index } => current = cx.model.stages.get(*index)?,
            BaseImage::Scratch => return None,
        }
    }
    None
}

/// Whether a `RUN` only creates users and groups (it belongs to the
/// runtime stage, not the builder).
pub(super) fn only_creates_users(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().next().is_some()
            && r.commands().all(|c| {
                matches!(
                    c.base_name(),
                    "useradd" | "adduser" | "groupadd" | "addgroup" | "usermod" | "set" | "true"
                )
            })
    })
}

/// Whether the stage switches to a non-root user before `node` (the
/// builder then needs the users the stage creates).
pub(super) fn switches_user_before(cx: &ConvertContext<'_>, node: Option<usize>) -> bool {
    cx.with_keyword(Keyword::User).any(|i| {
        node.is_some_and(|n| i.node < n)
            && matches!(i.kind(), Some(CommandKind::User(u)) if !is_root(u))
    })
}

/// Whether a `COPY`/`ADD` before `node` gives its files a named owner
/// (`--chown=dev:dev`): the user must then exist in the builder too.
pub(super) fn chowns_to_name_before(cx: &ConvertContext<'_>, node: Option<usize>) -> bool {
    cx.instructions().any(|i| {
        node.is_some_and(|n| i.node < n)
            && super::common::chown_of(i).is_some_and(super::common::chown_names_account)
    })
}

/// Whether exec-form words start a shell (`["sh", "-c", "..."]`,
/// `["/usr/bin/env", "bash", "-c", "..."]`, `["sh", "start.sh"]`).
pub(super) fn runs_shell(words: &[String]) -> bool {
    super::shell_command::shell_at(words).is_some()
}

/// Whether an item is a kept or rewritten instruction with this keyword.
pub(super) fn item_is(cx: &ConvertContext<'_>, item: &Item, keywords: &[Keyword]) -> bool {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => cx
            .doc
            .nodes
            .get(*node)
            .is_some_and(|n| keywords.contains(&n.kind)),
        Item::Add { text, .. } => {
            let word = text.split_whitespace().next().unwrap_or_default();
            keywords.iter().any(|k| k.name().eq_ignore_ascii_case(word))
        }
        Item::Comment(_) | Item::Blank => false,
    }
}

/// Inserts `new` before the first `CMD`/`ENTRYPOINT` of `items` (or at the end).
pub(super) fn insert_before_command(
    cx: &ConvertContext<'_>,
    items: &mut Vec<Item>,
    new: Vec<Item>,
) {
    let at = items
        .iter()
        .position(|i| item_is(cx, i, &[Keyword::Cmd, Keyword::Entrypoint]))
        .unwrap_or(items.len());
    for (k, item) in new.into_iter().enumerate() {
        items.insert(at + k, item);
    }
}

/// Inserts `new` before the first `USER` of `items`.
pub(super) fn insert_before_user(cx: &ConvertContext<'_>, items: &mut Vec<Item>, new: Item) {
    let at = items
        .iter()
        .position(|i| item_is(cx, i, &[Keyword::User]))
        .unwrap_or(items.len());
    items.insert(at, new);
}

/// Whether an item works relative to the working directory: a `RUN` of
/// the source, or a `COPY`/`ADD` with a relative destination.
fn uses_workdir(cx: &ConvertContext<'_>, item: &Item) -> bool {
    let relative = |dest: Option<&str>| dest.is_some_and(|d| !d.starts_with('/'));
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
            cx.doc.nodes.get(*node).is_some_and(|n| match n.kind {
                Keyword::Run => true,
                Keyword::Copy | Keyword::Add => relative(n.args.last().map(String::as_str)),
                _ => false,
            })
        }
        Item::Add { text, .. } => {
            let word = text.split_whitespace().next().unwrap_or_default();
            // Generated `RUN`s use absolute paths only.
            match word {
                "COPY" | "ADD" => relative(text.split_whitespace().last()),
                _ => false,
            }
        }
        Item::Comment(_) | Item::Blank => false,
    }
}

/// Removes `WORKDIR`s of the runtime stage that only served the build: a
/// `WORKDIR` that nothing uses (no `RUN`, no `COPY` to a relative path)
/// before the next absolute `WORKDIR` — or, when `final_matters` is false
/// (the start command does not depend on it), before the end. Returns
/// their lines.
pub(super) fn drop_unused_workdirs(
    cx: &ConvertContext<'_>,
    items: &mut Vec<Item>,
    final_matters: bool,
) -> Vec<usize> {
    let workdir_of = |item: &Item| -> Option<(String, usize)> {
        match item {
            Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
                let n = cx.doc.nodes.get(*node)?;
                (n.kind == Keyword::Workdir)
                    .then(|| (n.args.first().cloned().unwrap_or_default(), n.start_line))
            }
            Item::Add { text, .. } => text
                .strip_prefix("WORKDIR ")
                .map(|p| (p.trim().to_string(), 0)),
            _ => None,
        }
    };
    let mut dropped = Vec::new();
    let mut k = 0;
    while k < items.len() {
        let Some((_, line)) = items.get(k).and_then(workdir_of) else {
            k += 1;
            continue;
        };
        let mut unused = !final_matters;
        for later in items.iter().skip(k + 1) {
            if let Some((path, _)) = workdir_of(later) {
                unused = path.starts_with('/');
                break;
            }
            if uses_workdir(cx, later) {
                unused = false;
                break;
            }
        }
        if unused {
            items.remove(k);
            if line > 0 {
                dropped.push(line);
            }
        } else {
            k += 1;
        }
    }
    dropped
}

/// The working directory at the end of `items` (`WORKDIR`s joined in order).
pub(super) fn items_workdir(cx: &ConvertContext<'_>, items: &[Item]) -> Option<String> {
    let mut dir: Option<String> = None;
    for item in items {
        let path = match item {
            Item::Add { text, .. } => text.strip_prefix("WORKDIR ").map(|p| p.trim().to_string()),
            Item::Keep { node, .. } | Item::Rewrite { node, .. } => cx
                .model
                .instructions
                .get(*node)
                .filter(|i| i.keyword == Keyword::Workdir)
                .and_then(|i| match (&i.expanded, i.kind()) {
                    (Some(crate::dockerfile::resolve::Expanded::Workdir { path }), _) => {
                        Some(path.clone())
                    }
                    (_, Some(CommandKind::Workdir(p))) => Some(p.clone()),
                    _ => None,
                }),
            _ => None,
        };
        if let Some(p) = path {
            dir = Some(join_workdir(dir.as_deref(), &p));
        }
    }
    dir
}

/// The absolute destination of a `COPY`/`ADD` (a directory destination
/// keeps its trailing slash).
pub(super) fn copy_destination(i: &Instruction) -> Option<String> {
    let dest = match (&i.expanded, i.kind()) {
        (
            Some(
                crate::dockerfile::resolve::Expanded::Copy(c)
                | crate::dockerfile::resolve::Expanded::Add(c),
            ),
            _,
        ) => c.dest.clone(),
        (_, Some(CommandKind::Copy(c))) => c.dest.clone(),
        (_, Some(CommandKind::Add(a))) => a.dest.clone(),
        _ => return None,
    };
    let mut abs = absolute(i.context.workdir.as_deref(), &dest);
    if (dest.ends_with('/') || dest == "." || dest == "./") && !abs.ends_with('/') {
        abs.push('/');
    }
    Some(abs)
}

/// Whether the file or directory at `path` (absolute) is put in place by
/// the `COPY`/`ADD` `i`: its destination is the path or holds it. A source
/// without an extension is taken for a directory (its contents land in a
/// directory destination).
pub(super) fn copy_provides(cx: &ConvertContext<'_>, i: &Instruction, path: &str) -> bool {
    let Some(dest) = copy_destination(i) else {
        return false;
    };
    let dir = dest.trim_end_matches('/');
    if path == dir {
        return true;
    }
    let Some(rel) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) else {
        return false;
    };
    if !dest.ends_with('/') {
        return true;
    }
    let first = rel.split('/').next().unwrap_or(rel);
    cx.copy_sources(i).iter().any(|s| {
        let b = base_name(s);
        b == first || glob_match(b, first) || !b.contains('.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_whole() {
        assert_eq!(
            replace_token(
                r#"CMD ["java", "-jar", "target/app-1.0.jar"]"#,
                "target/app-1.0.jar",
                "/app/app.jar"
            )
            .as_deref(),
            Some(r#"CMD ["java", "-jar", "/app/app.jar"]"#)
        );
        assert_eq!(
            replace_token(
                "CMD java $JAVA_OPTS -jar target/*.jar --port=1",
                "target/*.jar",
                "/app/app.jar"
            )
            .as_deref(),
            Some("CMD java $JAVA_OPTS -jar /app/app.jar --port=1")
        );
        assert_eq!(
            replace_token("CMD java -jar mytarget/app.jar", "target/app.jar", "x"),
            None
        );
        assert_eq!(
            replace_token("ENV X=-javaagent:/a.jar", "/a.jar", "/b.jar").as_deref(),
            Some("ENV X=-javaagent:/b.jar")
        );
    }

    #[test]
    fn positional_words_keep_maven_properties_whole() {
        let words: Vec<String> = ["-DskipTests", "-s", "settings.xml", "clean", "package"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(positional(&words, &["s"]), ["clean", "package"]);
        assert_eq!(
            flag_value(&words, &["s"], &["settings"]).as_deref(),
            Some("settings.xml")
        );
    }

    #[test]
    fn paths() {
        assert_eq!(base_name("target/app.jar"), "app.jar");
        assert_eq!(dir_name("target/app.jar"), "target");
        assert_eq!(dir_name("/app.jar"), "/");
        assert_eq!(dir_name("app.jar"), ".");
        assert_eq!(
            with_mounts("RUN mvn package", &["/root/.m2".to_string()]),
            "RUN --mount=type=cache,target=/root/.m2 mvn package"
        );
    }
}
