//! Building blocks shared by strategies: the runtime behaviour of the
//! source stage, runtime system packages, the user, and item helpers.

use super::super::classify::{RunFacts, classify_run};
use super::super::context::ConvertContext;
use super::super::plan::{ChangeSpec, Item, Plan};
use super::super::types::{ChangeKind, Confidence};
use super::super::user::{ImageUsers, UserPlan, is_root, plan_user, runs_as};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::Distro;
use crate::model::Instruction;

/// Instructions that define how the image runs and move to the runtime stage.
pub fn is_runtime_behaviour(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Env
            | Keyword::Label
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Shell
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Maintainer
            | Keyword::Onbuild
    )
}

/// A `Keep` item with a change.
pub fn keep(instruction: &Instruction, kind: ChangeKind, summary: &str, reason: &str) -> Item {
    Item::Keep {
        node: instruction.node,
        change: Some(ChangeSpec::new(
            kind,
            summary,
            reason,
            vec![instruction.start_line],
        )),
    }
}

/// A `Keep` item recording nothing.
pub fn keep_quiet(instruction: &Instruction) -> Item {
    Item::Keep {
        node: instruction.node,
        change: None,
    }
}

/// A new instruction.
pub fn add(
    text: impl Into<String>,
    kind: ChangeKind,
    summary: impl Into<String>,
    reason: impl Into<String>,
    source_lines: Vec<usize>,
) -> Item {
    Item::Add {
        text: text.into(),
        change: ChangeSpec::new(kind, summary, reason, source_lines),
    }
}

/// The runtime behaviour of the source stage (`ENV`, `LABEL`, `EXPOSE`,
/// `VOLUME`, `HEALTHCHECK`, `STOPSIGNAL`, `SHELL`, `CMD`, `ENTRYPOINT`, ...)
/// as runtime-stage items, in their order, with the stage `ARG`s they use.
/// `rewrite` may replace an instruction's text (for paths that moved).
pub fn runtime_behaviour(
    cx: &ConvertContext<'_>,
    rewrite: &dyn Fn(&Instruction) -> Option<String>,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut texts = Vec::new();
    for i in cx
        .instructions()
        .filter(|i| is_runtime_behaviour(i.keyword))
    {
        match rewrite(i) {
            Some(text) => {
                texts.push(text.clone());
                items.push(Item::Rewrite {
                    node: i.node,
                    text,
                    change: ChangeSpec::new(
                        ChangeKind::Rewrite,
                        format!("`{}` points at the artifact's new place", keyword_of(cx, i)),
                        "the artifact was copied from the builder stage to a new path",
                        vec![i.start_line],
                    ),
                });
            }
            None => {
                if let Some(n) = cx.node(i) {
                    texts.push(n.original.clone());
                }
                items.push(keep_quiet(i));
            }
        }
    }
    // Stage ARGs the runtime instructions use come first.
    let mut args = Vec::new();
    for i in cx.with_keyword(Keyword::Arg) {
        let names: Vec<String> = cx
            .node(i)
            .map(|n| {
                n.args
                    .iter()
                    .map(|a| a.split('=').next().unwrap_or(a).to_string())
                    .collect()
            })
            .unwrap_or_default();
        if names.iter().any(|n| {
            texts
                .iter()
                .any(|t| t.contains(&format!("${n}")) || t.contains(&format!("${{{n}")))
        }) {
            args.push(keep(
                i,
                ChangeKind::Keep,
                "Build argument kept for the runtime stage",
                "runtime instructions use it",
            ));
        }
    }
    args.extend(items);
    args
}

fn keyword_of(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map_or_else(String::new, |n| n.keyword.to_ascii_uppercase())
}

/// The command that installs system packages on a distribution, in one
/// layer with its cache removed.
pub fn install_command(distro: Distro, packages: &[String], escape: char) -> String {
    let list = packages.join(" ");
    match distro {
        Distro::Alpine => format!("RUN apk add --no-cache {list}"),
        Distro::Rhel => {
            format!("RUN microdnf install -y {list} {escape}\n    && microdnf clean all")
        }
        Distro::Bookworm | Distro::Trixie => format!(
            "RUN apt-get update {escape}\n    && apt-get install -y --no-install-recommends {list} {escape}\n    && rm -rf /var/lib/apt/lists/*"
        ),
    }
}

/// The index of the first kept or rewritten `CMD`, `ENTRYPOINT` or
/// `HEALTHCHECK` among a stage's items: where items that must come before
/// the start command go.
pub fn first_start_item(cx: &ConvertContext<'_>, items: &[Item]) -> Option<usize> {
    items.iter().position(|item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
            cx.doc.nodes.get(*node).is_some_and(|n| {
                matches!(
                    n.kind,
                    Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
                )
            })
        }
        _ => false,
    })
}

/// The system packages the runtime stage needs: everything the source
/// stage installed that is not build-only, plus the runtime library of
/// every `-dev` package (from `data/runtime-libraries.toml`). `runtime`
/// is the runtime image's distribution.
pub fn runtime_packages(cx: &ConvertContext<'_>, source: Distro, runtime: Distro) -> Option<Item> {
    let needed = runtime_package_list(cx, source, runtime).filter(|n| !n.packages.is_empty())?;
    Some(add(
        install_command(runtime, &needed.packages, cx.escape()),
        ChangeKind::RuntimeLibrary,
        format!("Runtime packages: {}", needed.packages.join(", ")),
        needed.reason,
        needed.lines,
    ))
}

/// The system packages a runtime stage needs, with why and where from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimePackages {
    /// Package names on the runtime distribution.
    pub packages: Vec<String>,
    /// Why they are needed.
    pub reason: String,
    /// The source lines that installed them (or their `-dev` packages).
    pub lines: Vec<usize>,
    /// Package words that are shell variables set inside their own `RUN`
    /// (`$runDeps`): the runtime stage cannot install them by name.
    pub unresolved: Vec<String>,
    /// Packages of the source's distribution that have no name restage
    /// knows on the runtime's (a Debian package on Alpine).
    pub unmapped: Vec<String>,
}

/// Whether an image is the Docker Official Image `name` (`ruby`,
/// `library/ruby`, `docker.io/library/ruby`, a registry mirror of
/// `library/ruby`), not another image that happens to end in the same
/// name (`ghcr.io/rails/devcontainer/images/ruby`).
pub fn is_official_image(image: &crate::convert::images::ImageText, name: &str) -> bool {
    let full = image.name.as_str();
    full == name
        || full
            .strip_suffix(name)
            .is_some_and(|prefix| prefix == "library/" || prefix.ends_with("/library/"))
}

/// Package words of the stage's installs that are shell variables set
/// inside their own `RUN` (`apk add --virtual .rundeps $runDeps` after a
/// `scanelf`), with their lines: the packages a program needs at run time
/// that no name in the Dockerfile tells.
pub fn unresolved_packages(cx: &ConvertContext<'_>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        let Some(system) = classify_run(i).system else {
            continue;
        };
        for p in &system.installed {
            if p.contains('$')
                && !system.removed.iter().any(|r| r == p)
                && expand_package_word(cx, p).is_none()
                && !declared_variables(cx, p)
                && !out.iter().any(|(_, q)| q == p)
            {
                out.push((i.start_line, p.clone()));
            }
        }
    }
    out
}

/// A refusal when the stage installs run-time packages from a list
/// computed inside a `RUN` (see [`unresolved_packages`]).
pub fn refuse_unresolved_packages(
    cx: &ConvertContext<'_>,
    ecosystem: Option<super::super::types::Ecosystem>,
) -> Result<(), super::super::types::Refusal> {
    match unresolved_packages(cx).first() {
        Some((line, word)) => Err(super::super::types::Refusal::new(
            ecosystem,
            format!(
                "line {line} installs `{word}`, a package list computed inside that RUN (by scanelf or ldd over what it built); restage cannot tell which libraries the program needs at run time, so a runtime stage could lack them"
            ),
        )),
        None => Ok(()),
    }
}

/// Whether every variable a word uses is an `ARG` or `ENV` of the stage
/// (so the runtime stage can declare it too), not a variable of the shell.
fn declared_variables(cx: &ConvertContext<'_>, word: &str) -> bool {
    let mut names = Vec::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        let after = rest.get(at + 1..).unwrap_or_default();
        let after = after.strip_prefix('{').unwrap_or(after);
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            return false;
        }
        rest = after.get(name.len()..).unwrap_or_default();
        names.push(name);
    }
    names.iter().all(|n| {
        cx.stage.env.iter().any(|(k, _)| k == n)
            || cx.with_keyword(Keyword::Arg).any(|i| {
                cx.node(i).is_some_and(|node| {
                    node.args
                        .iter()
                        .any(|a| a.split('=').next().unwrap_or(a) == n)
                })
            })
    })
}

/// A `$NAME`/`${NAME}` package word expanded from the stage's `ENV`s.
fn expand_package_word(cx: &ConvertContext<'_>, word: &str) -> Option<Vec<String>> {
    let name = word
        .strip_prefix("${")
        .and_then(|w| w.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    cx.stage
        .env
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.split_whitespace().map(str::to_string).collect())
}

/// The list behind [`runtime_packages`], for strategies that add packages
/// of their own to the same install.
pub fn runtime_package_list(
    cx: &ConvertContext<'_>,
    source: Distro,
    runtime: Distro,
) -> Option<RuntimePackages> {
    let mut packages: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let mut mapped_notes = Vec::new();
    let mut unresolved: Vec<String> = Vec::new();
    let mut unmapped: Vec<String> = Vec::new();
    for i in cx.instructions() {
        let facts: RunFacts = classify_run(i);
        let Some(mut system) = facts.system else {
            continue;
        };
        // Package lists in variables: an `ENV` of the stage is known; a
        // variable set inside the RUN (`runDeps="$(scanelf ...)"`) is not.
        let mut installed = Vec::new();
        for p in std::mem::take(&mut system.installed) {
            if !p.contains('$') {
                installed.push(p);
                continue;
            }
            if system.removed.contains(&p) {
                continue;
            }
            match expand_package_word(cx, &p) {
                Some(words) => installed.extend(words),
                // `postgresql-client-$PG_MAJOR`: the runtime stage can
                // declare the same ARG.
                None if declared_variables(cx, &p) => installed.push(p),
                None => {
                    if !unresolved.contains(&p) {
                        unresolved.push(p);
                    }
                }
            }
        }
        system.installed = installed;
        let (keep, mapped) = system.runtime(source);
        if keep.is_empty() && mapped.is_empty() {
            continue;
        }
        lines.push(i.start_line);
        for p in keep {
            for name in kept_package_names(p, source, runtime, &mut unmapped) {
                if !packages.contains(&name) {
                    packages.push(name);
                }
            }
        }
        for (dev, libs) in mapped {
            let libs = library_names(&dev, libs, source, runtime);
            mapped_notes.push(format!("{dev} → {}", libs.join(" ")));
            for lib in libs {
                if !packages.contains(&lib) {
                    packages.push(lib);
                }
            }
        }
    }
    if packages.is_empty() && unmapped.is_empty() {
        return None;
    }
    let mut reason = if mapped_notes.is_empty() {
        "these packages are used at run time".to_string()
    } else {
        format!(
            "development packages are only needed to build; their runtime libraries are ({})",
            mapped_notes.join(", ")
        )
    };
    if !unresolved.is_empty() {
        reason.push_str(&format!(
            "; {} {} computed inside the build's RUN and cannot be installed here by name",
            unresolved.join(", "),
            if unresolved.len() == 1 { "is" } else { "are" }
        ));
    }
    Some(RuntimePackages {
        packages,
        reason,
        lines,
        unresolved,
        unmapped,
    })
}

/// Development packages the stage installs and keeps (not removed in
/// their `RUN`) that have no runtime package in
/// `data/runtime-libraries.toml`, with their first line: the runtime stage
/// gets no library for them, so a strategy should warn.
pub fn unknown_dev_packages(cx: &ConvertContext<'_>, source: Distro) -> Vec<(usize, String)> {
    use crate::knowledge::packages::{is_dev, is_toolchain, package_name, runtime_for};
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for i in cx.instructions() {
        let Some(system) = classify_run(i).system else {
            continue;
        };
        for p in &system.installed {
            let name = package_name(p);
            let auto_removed = system.auto_removed.iter().any(|r| r == name);
            let removed = system.removed.iter().any(|r| r == name) && !auto_removed;
            if p.contains('$')
                || removed
                || !is_dev(p)
                || is_toolchain(p, source)
                || runtime_for(p, source).is_some()
            {
                continue;
            }
            if seen.insert(name.to_string()) {
                out.push((i.start_line, name.to_string()));
            }
        }
    }
    out
}

/// Warns (and lowers the plan's confidence) when the stage installs
/// development packages that have no known runtime package
/// ([`unknown_dev_packages`]): the runtime stage gets no library for them.
pub fn warn_unknown_dev_packages(cx: &ConvertContext<'_>, source: Distro, plan: &mut Plan) {
    let unknown = unknown_dev_packages(cx, source);
    if let Some((line, _)) = unknown.first() {
        let names: Vec<&str> = unknown.iter().map(|(_, n)| n.as_str()).collect();
        plan.warnings.push(format!(
            "line {line}: no runtime package is known for {}; if the application loads these libraries, install their runtime packages in the runtime stage",
            names.join(", ")
        ));
        plan.confidence = plan.confidence.min(Confidence::Medium);
    }
}

/// The names on the runtime distribution of a package the source stage
/// installs and the runtime stage needs too. From Debian to Alpine the
/// name usually differs (`libpq5` → `libpq`); a package restage has no
/// Alpine name for goes to `unmapped` instead.
fn kept_package_names(
    package: String,
    source: Distro,
    runtime: Distro,
    unmapped: &mut Vec<String>,
) -> Vec<String> {
    if source == runtime {
        return vec![package];
    }
    if runtime == Distro::Alpine && source != Distro::Alpine {
        return match crate::convert::alpine::package(&package) {
            Some(names) => names,
            None => {
                unmapped.push(package);
                Vec::new()
            }
        };
    }
    vec![crate::knowledge::packages::package_name(&package).to_string()]
}

/// The runtime libraries of a development package of the source
/// distribution (`dev`, whose libraries there are `libs`), named for the
/// runtime distribution: the same row of the runtime-library table, read
/// in the runtime's column.
fn library_names(dev: &str, libs: Vec<String>, source: Distro, runtime: Distro) -> Vec<String> {
    if source == runtime {
        return libs;
    }
    let Some(row) = crate::knowledge::packages::library_for(dev, source) else {
        return libs;
    };
    match runtime {
        Distro::Alpine => row.alpine_runtime.clone(),
        Distro::Trixie if !row.trixie.is_empty() => row.trixie.clone(),
        _ => row.runtime.clone(),
    }
}

/// A refusal when the runtime stage would install packages that have no
/// name restage knows on the runtime's distribution (see
/// [`RuntimePackages::unmapped`]).
pub fn refuse_unmapped(
    unmapped: &[String],
    ecosystem: super::super::types::Ecosystem,
    runtime: Distro,
) -> Result<(), super::super::types::Refusal> {
    let Some(first) = unmapped.first() else {
        return Ok(());
    };
    let distro = match runtime {
        Distro::Alpine => "Alpine",
        Distro::Rhel => "Red Hat",
        Distro::Bookworm | Distro::Trixie => "Debian",
    };
    Err(super::super::types::Refusal::new(
        Some(ecosystem),
        format!(
            "the runtime stage needs the package `{first}`, and restage knows no {distro} package of that name; use the source's distribution (--runtime slim) or install it under its {distro} name and convert again"
        ),
    ))
}

/// The user items of a runtime stage whose start command must begin as
/// root ([`super::root_start::keeps_root`]): none, and the user `root`.
/// Every strategy asks this before it picks a non-root user.
pub fn kept_root(cx: &ConvertContext<'_>) -> Option<(Vec<Item>, String)> {
    super::root_start::keeps_root(cx).map(|_| (Vec::new(), "root".to_string()))
}

/// The user items of the runtime stage: none when the start command must
/// begin as root ([`kept_root`]); keep a non-root `USER` of the source
/// stage (and the `RUN` that created it when `setup` moved it), otherwise
/// the user [`plan_user`] picks for an image with the users `image`.
/// Returns the items and the user.
pub fn user_items(
    cx: &ConvertContext<'_>,
    existing: Option<&str>,
    image: ImageUsers,
) -> (Vec<Item>, String) {
    if let Some(kept) = kept_root(cx) {
        return kept;
    }
    let source_user = cx.final_user().filter(|u| !is_root(u));
    let unknown = source_user.clone().filter(|u| !image_resolves(image, u));
    if cx.options.user.is_none()
        && let Some(user) = source_user
        && unknown.is_none()
    {
        let items: Vec<Item> = cx
            .with_keyword(Keyword::User)
            .filter(|i| !i.kind().is_some_and(|k| matches!(k, crate::dockerfile::instructions::CommandKind::User(u) if is_root(u))))
            .map(|i| keep(i, ChangeKind::User, "The non-root user is kept", "the container keeps running as this user"))
            .collect();
        if !items.is_empty() {
            return (items, user);
        }
    }
    let planned = plan_user(cx.options, existing, image);
    let summary = planned.create_summary();
    let UserPlan {
        create,
        user,
        mut reason,
        ..
    } = planned;
    if let Some(name) = unknown.filter(|_| cx.options.user.is_none()) {
        reason = format!(
            "the source ran as `{name}`, which the runtime image's /etc/passwd lacks and which cannot be created without a shell (Docker would not start the container); {reason}"
        );
    }
    let lines: Vec<usize> = cx
        .with_keyword(Keyword::User)
        .map(|i| i.start_line)
        .collect();
    let mut items = Vec::new();
    if let Some(mut create) = create {
        // Docker creates a missing VOLUME directory owned by root, where
        // the new user could not write: create it owned by the user. The
        // directories the source's setup made (`mkdir`) while it ran as
        // root are the application's too (`/data`, `/app/uploads`).
        let mut dirs = volume_paths(cx);
        for dir in made_directories(cx) {
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        if !dirs.is_empty() {
            let list = dirs.join(" ");
            create.push_str(&format!(
                " {esc}\n    && mkdir -p {list} && chown {user} {list}",
                esc = cx.escape()
            ));
        }
        items.push(add(
            create,
            ChangeKind::User,
            summary,
            reason.clone(),
            lines.clone(),
        ));
    }
    items.push(add(
        format!("USER {user}"),
        ChangeKind::User,
        runs_as(&user),
        reason,
        lines,
    ));
    (items, user)
}

/// Whether Docker can start a container of an image with the users
/// `image` as `user`: any user on an image with a shell (a `RUN` of the
/// stage creates it), otherwise a uid or a name the image has, with a
/// gid or a group it has. A user given by a build argument is the
/// build's choice and counts as known.
pub fn image_resolves(image: ImageUsers, user: &str) -> bool {
    let ImageUsers::Fixed { users, .. } = image else {
        return true;
    };
    user.contains('$')
        || user
            .split(':')
            .all(|part| part.chars().all(|c| c.is_ascii_digit()) || users.contains(&part))
}

/// The numeric ports the stage's `EXPOSE`s name (`80`, `443/tcp`), with
/// their lines, in order.
pub fn exposed_ports(cx: &ConvertContext<'_>) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for i in cx.with_keyword(Keyword::Expose) {
        if let Some(CommandKind::Expose(list)) = i.kind() {
            for p in list {
                if let Ok(n) = p.split('/').next().unwrap_or(p).parse::<u32>() {
                    out.push((i.start_line, n));
                }
            }
        }
    }
    out
}

/// The ports below 1024 the container listens on, with their lines, in
/// file order, each once: those the stage `EXPOSE`s ([`exposed_ports`])
/// and those its `CMD`/`ENTRYPOINT` binds (`gunicorn -b 0.0.0.0:80`).
pub fn low_ports(cx: &ConvertContext<'_>) -> Vec<(usize, u32)> {
    let mut ports = exposed_ports(cx);
    for i in cx.instructions() {
        if let Some(CommandKind::Cmd(_) | CommandKind::Entrypoint(_)) = i.kind() {
            let (words, _) = command_words(cx, i);
            for w in &words {
                if let Some((_, port)) = w.rsplit_once(':')
                    && let Ok(n) = port.parse::<u32>()
                {
                    ports.push((i.start_line, n));
                }
            }
        }
    }
    ports.sort_by_key(|&(line, _)| line);
    let mut seen = std::collections::BTreeSet::new();
    ports
        .into_iter()
        .filter(|&(_, n)| (1..1024).contains(&n) && seen.insert(n))
        .collect()
}

/// The warning when the runtime stage runs as the non-root user `user`
/// where the source stage ran as root, and the container listens on ports
/// below 1024 ([`low_ports`]): binding them needs a privilege that Docker
/// grants any user and other runtimes do not.
pub fn low_port_warning(cx: &ConvertContext<'_>, user: &str) -> Option<String> {
    if is_root(user) || cx.final_user().is_some_and(|u| !is_root(&u)) {
        return None;
    }
    let ports = low_ports(cx);
    let (lines, numbers): (Vec<String>, Vec<String>) = ports
        .iter()
        .map(|(line, n)| (line.to_string(), n.to_string()))
        .unzip();
    let mut lines = lines;
    lines.dedup();
    let (line_word, port_word) = match (lines.len(), numbers.len()) {
        (0, _) | (_, 0) => return None,
        (1, 1) => ("line", "port"),
        (1, _) => ("line", "ports"),
        _ => ("lines", "ports"),
    };
    Some(format!(
        "{line_word} {}: the container listens on {port_word} {}, below 1024, and now runs as `{user}`, not root; Docker 20.10 and later let any user bind such a port (`net.ipv4.ip_unprivileged_port_start=0`), Kubernetes and other runtimes do not unless configured (\"permission denied\"): listen on a port of 1024 or above, or keep root with --user root",
        lines.join(", "),
        numbers.join(", ")
    ))
}

/// Adds [`low_port_warning`] for the user the plan's runtime stage (its
/// last) ends with, unless the strategy checked the ports the application
/// listens on itself ([`Plan::ports_checked`]).
pub fn warn_low_ports(cx: &ConvertContext<'_>, plan: &mut Plan) {
    if plan.ports_checked {
        return;
    }
    let user = plan
        .stages
        .last()
        .and_then(|s| super::super::user::final_user(cx.doc, &s.items))
        .map(|(user, _)| user);
    if let Some(warning) = user.and_then(|u| low_port_warning(cx, &u)) {
        plan.warnings.push(warning);
    }
}

/// The literal absolute paths the stage declares as `VOLUME`s.
pub fn volume_paths(cx: &ConvertContext<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in cx.with_keyword(Keyword::Volume) {
        if let Some(crate::dockerfile::instructions::CommandKind::Volume(paths)) = i.kind() {
            for p in paths {
                if p.starts_with('/') && !p.contains('$') && !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
    }
    out
}

/// Directories the stage's setup `RUN`s and system-package installs create
/// (`mkdir`; not those of build steps), as absolute literal paths
/// (relative ones under the `WORKDIR` they ran in), leaving out temporary
/// ones, for a user restage creates to own.
pub fn made_directories(cx: &ConvertContext<'_>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for i in cx.instructions().filter(|i| {
        i.keyword == Keyword::Run && {
            let facts = classify_run(i);
            facts.setup_only || (facts.system.is_some() && !facts.builds)
        }
    }) {
        let Some(run) = &i.run else { continue };
        let workdir = i.context.workdir.as_deref().unwrap_or("/");
        for c in run.commands().filter(|c| c.base_name() == "mkdir") {
            for a in c.args.iter().filter(|a| !a.starts_with('-')) {
                if a.contains(['$', '*', '?', '{', '~', '\'', '"', ' ', '\t']) {
                    continue;
                }
                let path = if a.starts_with('/') {
                    a.trim_end_matches('/').to_string()
                } else {
                    format!(
                        "{}/{}",
                        workdir.trim_end_matches('/'),
                        a.trim_start_matches("./").trim_end_matches('/')
                    )
                };
                let temporary = ["/tmp", "/var/tmp", "/dev", "/proc", "/run"]
                    .iter()
                    .any(|t| path == *t || path.starts_with(&format!("{t}/")));
                if !path.is_empty() && !temporary && seen.insert(path.clone()) {
                    out.push(path);
                }
            }
        }
    }
    out
}

/// The `WORKDIR` item for the runtime stage.
pub fn workdir_item(dir: &str) -> Item {
    add(
        format!("WORKDIR {dir}"),
        ChangeKind::Keep,
        format!("Working directory `{dir}`"),
        "the application runs from the same directory as before",
        Vec::new(),
    )
}

/// Setup `RUN`s of the source stage (users, directories, permissions) that
/// the runtime stage needs too.
pub fn setup_runs<'a>(cx: &ConvertContext<'a>) -> Vec<&'a Instruction> {
    cx.instructions()
        .filter(|i| i.keyword == Keyword::Run && classify_run(i).setup_only)
        .collect()
}

/// Drops builder items after the last `RUN`: files copied after the last
/// build step are not used by the builder.
pub fn trim_after_last_run(cx: &ConvertContext<'_>, items: &mut Vec<Item>) {
    let is_run = |item: &Item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => cx
            .doc
            .nodes
            .get(*node)
            .is_some_and(|n| n.kind == Keyword::Run),
        Item::Add { text, .. } => text.trim_start().to_ascii_uppercase().starts_with("RUN"),
        Item::Comment(_) | Item::Blank => false,
    };
    if let Some(last) = items.iter().rposition(is_run) {
        items.truncate(last + 1);
    }
}

/// A shell-form command as an exec-form JSON array, when it is plain
/// words (no variables, operators, redirections or globs) and starts with
/// a program, not a shell builtin.
pub fn exec_form(words: &[String]) -> Option<String> {
    if words.is_empty()
        || words
            .first()
            .is_some_and(|w| crate::model::shell::shell_only(w))
        || words.iter().any(|w| {
            w.is_empty()
                || w.contains([
                    '$', '|', '&', ';', '<', '>', '*', '?', '`', '(', ')', '\\', '"', '\'', '~',
                ])
        })
    {
        return None;
    }
    serde_json::to_string(words)
        .ok()
        .map(|json| json.replace("\",\"", "\", \""))
}

/// The words of a `CMD`/`ENTRYPOINT` (exec form as is; shell form split).
pub fn command_words(cx: &ConvertContext<'_>, instruction: &Instruction) -> (Vec<String>, bool) {
    match instruction.kind() {
        Some(
            crate::dockerfile::instructions::CommandKind::Cmd(c)
            | crate::dockerfile::instructions::CommandKind::Entrypoint(c),
        ) => {
            if c.prepend_shell {
                let _ = cx;
                (crate::model::shell::shell_form_words(&c.args), true)
            } else {
                (c.args.clone(), false)
            }
        }
        _ => (Vec::new(), false),
    }
}

/// A command of a `RUN` that downloads or unpacks files (`git clone`,
/// `curl -o`, `wget`, `tar -x`, `unzip`), as written.
pub fn fetches_files(instruction: &Instruction) -> Option<String> {
    let run = instruction.run.as_ref()?;
    run.commands().find_map(|c| {
        let fetches = match c.base_name() {
            "git" => c.args.iter().any(|a| a == "clone"),
            "wget" | "unzip" => true,
            "curl" => c.has_flag(&["o", "O", "output", "remote-name"]),
            "tar" => {
                c.args
                    .first()
                    .is_some_and(|a| !a.starts_with("--") && a.contains('x'))
                    || c.has_flag(&["x", "extract"])
            }
            _ => false,
        };
        fetches.then(|| {
            let mut words = vec![c.base_name().to_string()];
            words.extend(c.args.iter().take(2).cloned());
            words.join(" ")
        })
    })
}

/// A script from the build context that the container runs or a `RUN`
/// marks executable (`ENTRYPOINT ["./entrypoint.sh"]`, `RUN chmod +x
/// ./entrypoint.sh`), which the source stage had through a copy of the
/// whole context and the runtime stage does not get with the build output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextScript {
    /// The absolute path, the same in the builder and the runtime stage.
    pub path: String,
    /// The lines that name it.
    pub lines: Vec<usize>,
}

/// Takes out of `scripts` those `line` names, or all that are left when
/// `line` is `None`, so that each is placed once.
pub fn take_scripts(scripts: &mut Vec<ContextScript>, line: Option<usize>) -> Vec<ContextScript> {
    let (now, later): (Vec<_>, Vec<_>) = std::mem::take(scripts)
        .into_iter()
        .partition(|s| line.is_none_or(|l| s.lines.contains(&l)));
    *scripts = later;
    now
}

/// The scripts of the whole-context copy that the runtime stage needs and
/// does not have (`present` says which paths the runtime already gets),
/// in the order the stage names them.
pub fn context_scripts(
    cx: &ConvertContext<'_>,
    present: &dyn Fn(&str) -> bool,
) -> Vec<ContextScript> {
    let context_dirs: Vec<String> = cx
        .instructions()
        .filter(|i| cx.copies_everything(i) && !copies_from_stage(i))
        .filter_map(copy_destination)
        .collect();
    let mut out: Vec<ContextScript> = Vec::new();
    let mut index: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (path, line) in named_scripts(cx) {
        let copied = context_dirs.iter().any(|d| path_within(&path, d));
        if !copied || present(&path) {
            continue;
        }
        match index.get(&path).and_then(|&k| out.get_mut(k)) {
            // A stage names a script on increasing lines: the last one
            // tells whether this line is there already.
            Some(s) if s.lines.last() != Some(&line) => s.lines.push(line),
            Some(_) => {}
            None => {
                index.insert(path.clone(), out.len());
                out.push(ContextScript {
                    path,
                    lines: vec![line],
                });
            }
        }
    }
    out
}

/// Whether a `COPY` takes its files from another stage or image.
fn copies_from_stage(i: &Instruction) -> bool {
    matches!(i.kind(), Some(crate::dockerfile::instructions::CommandKind::Copy(c)) if c.from.is_some())
}

/// The absolute destination directory of a `COPY`/`ADD`.
fn copy_destination(i: &Instruction) -> Option<String> {
    let dest = match i.kind()? {
        crate::dockerfile::instructions::CommandKind::Copy(c) => c.dest.clone(),
        crate::dockerfile::instructions::CommandKind::Add(a) => a.dest.clone(),
        _ => return None,
    };
    (!dest.contains('$')).then(|| crate::model::join_workdir(i.context.workdir.as_deref(), &dest))
}

/// Whether `path` is `dir` or below it.
fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"))
}

/// The script paths the stage names, absolute, with their lines: the
/// program of a `CMD`/`ENTRYPOINT` given as a path (`./entrypoint.sh`,
/// `sh start.sh`), and files a `chmod` makes executable.
fn named_scripts(cx: &ConvertContext<'_>) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        let workdir = i.context.workdir.as_deref();
        match i.keyword {
            Keyword::Cmd | Keyword::Entrypoint => {
                let (words, _) = command_words(cx, i);
                if let Some(path) = started_script(&words) {
                    out.push((crate::model::join_workdir(workdir, path), i.start_line));
                }
            }
            Keyword::Run => {
                let Some(run) = &i.run else { continue };
                for c in run.commands().filter(|c| c.base_name() == "chmod") {
                    let operands = c.positional(&["reference"]);
                    for p in operands.iter().skip(1).filter(|p| is_script_path(p)) {
                        out.push((crate::model::join_workdir(workdir, p), i.start_line));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The script a command starts: its program when written as a path, or
/// the script a shell is given (`sh start.sh`, `bash ./run.sh`).
fn started_script(words: &[String]) -> Option<&str> {
    let first = words.first()?;
    let name = crate::model::last_segment(first);
    if matches!(name, "sh" | "bash" | "ash" | "dash") {
        return words
            .get(1)
            .map(String::as_str)
            .filter(|w| is_script_path(w));
    }
    (is_script_path(first) || first.starts_with("./"))
        .then_some(first.as_str())
        .filter(|w| !w.contains(['$', '*', '&', ';', '|']))
}

/// Whether a word names a script file (`entrypoint.sh`, `./bin/start.sh`).
fn is_script_path(word: &str) -> bool {
    !word.starts_with('-')
        && !word.contains(['$', '*', '&', ';', '|'])
        && crate::model::last_segment(word).ends_with(".sh")
}

/// Whether a `--chown` owner (`app`, `app:app`, `1000:1000`) names a user
/// or group that must exist in the stage: BuildKit looks names up in the
/// stage's /etc/passwd and /etc/group; numbers and `root` need nothing.
pub fn chown_names_account(owner: &str) -> bool {
    owner
        .split(':')
        .any(|part| !part.is_empty() && part != "root" && !part.chars().all(|c| c.is_ascii_digit()))
}

/// The `--chown` owner of a `COPY` or `ADD`.
pub fn chown_of(i: &Instruction) -> Option<&str> {
    match i.kind() {
        Some(CommandKind::Copy(copy)) => copy.chown.as_deref(),
        Some(CommandKind::Add(add)) => add.chown.as_deref(),
        _ => None,
    }
}

/// The lines of the stage's `COPY`/`ADD`s whose `--chown` names an account
/// ([`chown_names_account`]), ascending.
pub fn named_chown_lines(cx: &ConvertContext<'_>) -> Vec<usize> {
    cx.instructions()
        .filter(|i| chown_of(i).is_some_and(chown_names_account))
        .map(|i| i.start_line)
        .collect()
}
