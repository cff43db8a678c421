//! RS004: a package manager's download cache is left in a layer of the
//! final image.
//!
//! ## What it does
//! Reports a `RUN` of the final image (the final stage and the stages it
//! builds on through `FROM <stage>`) that leaves a package manager's cache
//! behind: apt lists (`apt-get update`), the apk index (`apk add` without
//! `--no-cache`, `apk update`), the dnf/yum/zypper caches, pip, uv and
//! Poetry caches, npm's `~/.npm`, yarn's cache, Go's build and module
//! caches, Cargo's registry, Composer's cache, the gem cache of `bundle
//! install`, Maven's `~/.m2`, Gradle's `~/.gradle` and NuGet's packages.
//!
//! A cache counts as handled when, in the same `RUN`:
//! - a later command cleans it (`rm -rf` of the directory or a parent,
//!   `apt-get dist-clean`, `apk`/`dnf`/`yum`/`zypper` clean commands, `pip cache purge`,
//!   `npm cache clean --force`, `yarn cache clean`, `go clean -cache
//!   -modcache`, `composer clear-cache`, `dotnet nuget locals all --clear`,
//!   ...);
//! - a cache or tmpfs mount covers it (`RUN --mount=type=cache,target=...`);
//! - the manager is told not to cache: `apk --no-cache`, `pip
//!   --no-cache-dir` or `PIP_NO_CACHE_DIR`, `uv --no-cache` or
//!   `UV_NO_CACHE`, `poetry --no-cache`, `composer --no-cache`.
//!
//! Relocated caches are followed through `ENV`/`ARG`/inline variables
//! (`PIP_CACHE_DIR`, `npm_config_cache`, `YARN_CACHE_FOLDER`, `GOCACHE`,
//! `GOMODCACHE`, `GOPATH`, `CARGO_HOME`, `COMPOSER_HOME`,
//! `COMPOSER_CACHE_DIR`, `BUNDLE_PATH`, `GEM_HOME`, `GRADLE_USER_HOME`,
//! `NUGET_PACKAGES`, `-Dmaven.repo.local`).
//!
//! ## Why is this bad?
//! A layer keeps every file its `RUN` leaves, and deleting them in a later
//! `RUN` does not shrink the image. Caches are only useful to the next
//! build, never at run time: apt lists are tens of MB, a pip cache holds a
//! copy of every wheel installed (about 38 MB for numpy, pandas, Pillow and
//! psycopg2-binary), npm's cache a copy of every tarball, and Go's build
//! cache and module cache are often hundreds of MB. A cache mount keeps
//! the cache for the next build without putting it in the image.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY package.json package-lock.json ./
//! RUN npm ci --omit=dev
//! ```
//! Use instead:
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM node:20-slim
//! COPY package.json package-lock.json ./
//! RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint reports some of these cases: DL3009 (apt lists), DL3019 (`apk
//! add` without `--no-cache`), DL3042 (pip without `--no-cache-dir`),
//! DL3060 (`yarn install`), DL3032 (yum), DL3040 (dnf) and DL3036
//! (zypper). When one of those rules is enabled, RS004 leaves its case to
//! it so that one problem gives one finding; when it is ignored or turned
//! off, RS004 reports the case. RS004 adds the managers hadolint does not
//! know, `apk update`, bare `yarn`/`yarn add`, and accepts `rm -rf` of a
//! parent directory, relocated caches and cache mounts everywhere.
//!
//! ## Notes
//! - Build stages are not checked: a cache there never reaches the final
//!   image (a cache mount still makes rebuilds faster).
//! - pnpm's store is not reported: pnpm hard-links packages from the store
//!   into `node_modules`, so in the same layer the store adds little.
//! - Installs of single tools are not reported — `gem install bundler`,
//!   `npm install -g pnpm`, `yarn global add x`: their cache is a few MB.
//!   Installing a project's dependency tree is (`npm ci`, `npm install`,
//!   `yarn`, `bundle install`, ...).
//! - Toolchain, CI and development images are not checked: a final image
//!   that exposes no port and whose command is a shell, a bare interpreter
//!   or a build tool (or none), or whose stage is named `dev`, `test`,
//!   `builder`, ...
//! - `ONBUILD RUN` triggers are not checked: they run in child images.

use super::support::{
    Env, ShellVars, cache_mounted, enabled, env_before, final_runs, path_covers, removes,
    runs_application, truthy,
};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::RunInfo;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};

/// The rule.
pub struct Rs004;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS004",
    aliases: &[],
    name: "package-cache-in-layer",
    title: "Package manager cache left in a layer of the final image",
    severity: Severity::Info,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A `RUN` of the final image leaves a package manager's download cache in its layer: apt lists, the apk index, dnf/yum/zypper caches, pip/uv/Poetry caches, `~/.npm`, yarn's cache, Go's build and module caches, Cargo's registry, Composer's cache, the gem cache of `bundle install`, `~/.m2`, `~/.gradle`, NuGet packages. Caches only help the next build; a later `RUN` that deletes them does not shrink the image. Clean the cache in the same `RUN`, tell the manager not to cache (`--no-cache`, `--no-cache-dir`, `PIP_NO_CACHE_DIR`), or use `RUN --mount=type=cache`. The apt, apk, pip, yarn, yum, dnf and zypper cases that hadolint's DL3009, DL3019, DL3042, DL3060, DL3032, DL3040 and DL3036 report are left to those rules while they are enabled.",
    bad: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
    good: "# syntax=docker/dockerfile:1\nFROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
};

/// A cache a command fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cache {
    Apt,
    ApkAdd,
    ApkUpdate,
    Yum,
    Dnf,
    Zypper,
    Pip,
    Uv,
    Poetry,
    Npm,
    YarnInstall,
    Yarn,
    GoBuild,
    GoMod,
    Cargo,
    Composer,
    Bundler,
    Maven,
    Gradle,
    Nuget,
}

impl Cache {
    /// What the cache is, for the message.
    fn label(self) -> &'static str {
        match self {
            Self::Apt => "apt lists (`/var/lib/apt/lists`)",
            Self::ApkAdd | Self::ApkUpdate => "apk index cache (`/var/cache/apk`)",
            Self::Yum => "yum cache (`/var/cache/yum`)",
            Self::Dnf => "dnf cache (`/var/cache/dnf`)",
            Self::Zypper => "zypper cache (`/var/cache/zypp`)",
            Self::Pip => "pip cache (`~/.cache/pip`)",
            Self::Uv => "uv cache (`~/.cache/uv`)",
            Self::Poetry => "Poetry cache (`~/.cache/pypoetry`)",
            Self::Npm => "npm cache (`~/.npm`)",
            Self::Yarn | Self::YarnInstall => "yarn cache",
            Self::GoBuild => "Go build cache (`~/.cache/go-build`)",
            Self::GoMod => "Go module cache (`/go/pkg/mod`)",
            Self::Cargo => "Cargo registry (`$CARGO_HOME/registry`)",
            Self::Composer => "Composer cache",
            Self::Bundler => "gem cache of `bundle install`",
            Self::Maven => "Maven repository (`~/.m2`)",
            Self::Gradle => "Gradle cache (`~/.gradle`)",
            Self::Nuget => "NuGet packages (`~/.nuget/packages`)",
        }
    }

    /// The hadolint rule that reports this case.
    fn hadolint(self) -> Option<&'static str> {
        Some(match self {
            Self::Apt => "DL3009",
            Self::ApkAdd => "DL3019",
            Self::Pip => "DL3042",
            Self::YarnInstall => "DL3060",
            Self::Yum => "DL3032",
            Self::Dnf => "DL3040",
            Self::Zypper => "DL3036",
            _ => return None,
        })
    }

    /// How to fix it.
    fn fix(self) -> &'static str {
        match self {
            Self::Apt => "end the RUN with `rm -rf /var/lib/apt/lists/*`",
            Self::ApkAdd | Self::ApkUpdate => "use `apk add --no-cache` (no `apk update`)",
            Self::Yum => "end the RUN with `yum clean all`",
            Self::Dnf => "end the RUN with `dnf clean all`",
            Self::Zypper => "end the RUN with `zypper clean --all`",
            Self::Pip => "use `pip install --no-cache-dir` or `ENV PIP_NO_CACHE_DIR=1`",
            Self::Uv => "use `uv --no-cache` or `ENV UV_NO_CACHE=1`",
            Self::Poetry => "use `poetry install --no-cache` or `rm -rf ~/.cache/pypoetry`",
            Self::Npm => "end the RUN with `npm cache clean --force`",
            Self::Yarn | Self::YarnInstall => "end the RUN with `yarn cache clean`",
            Self::GoBuild | Self::GoMod => "end the RUN with `go clean -cache -modcache`",
            Self::Cargo => "remove `$CARGO_HOME/registry` in the same RUN",
            Self::Composer => "use `composer install --no-cache` or `composer clear-cache`",
            Self::Bundler => {
                "end the RUN with `rm -rf \"${BUNDLE_PATH:-/usr/local/bundle}\"/ruby/*/cache /usr/local/bundle/cache`"
            }
            Self::Maven => "remove `~/.m2/repository` in the same RUN",
            Self::Gradle => "remove `~/.gradle` in the same RUN",
            Self::Nuget => "end the RUN with `dotnet nuget locals all --clear`",
        }
    }
}

/// The caches an invocation fills.
fn producers(inv: &Invocation<'_>, vars: &ShellVars<'_>) -> Vec<Cache> {
    let positional = inv.positional();
    let sub = positional.first().copied().unwrap_or_default();
    let second = positional.get(1).copied().unwrap_or_default();
    match inv.tool {
        Tool::AptGet | Tool::Apt | Tool::Aptitude if sub == "update" => vec![Cache::Apt],
        // `--no-network` installs from local files: no index is fetched.
        Tool::Apk if inv.has_flag(&["no-cache", "no-network"]) => vec![],
        Tool::Apk if matches!(sub, "add" | "upgrade") => vec![Cache::ApkAdd],
        Tool::Apk if sub == "update" => vec![Cache::ApkUpdate],
        Tool::Yum
            if matches!(
                sub,
                "install" | "groupinstall" | "update" | "upgrade" | "makecache"
            ) =>
        {
            vec![Cache::Yum]
        }
        Tool::Dnf | Tool::Microdnf
            if matches!(
                sub,
                "install" | "groupinstall" | "update" | "upgrade" | "makecache" | "in" | "up"
            ) =>
        {
            vec![Cache::Dnf]
        }
        Tool::Zypper if matches!(sub, "install" | "in" | "update" | "up" | "refresh" | "ref") => {
            vec![Cache::Zypper]
        }
        Tool::Pip if sub == "install" => vec![Cache::Pip],
        Tool::Uv => {
            let fills = matches!(sub, "sync" | "add")
                || (sub == "pip" && matches!(second, "install" | "sync"))
                || (sub == "tool" && second == "install");
            if fills { vec![Cache::Uv] } else { vec![] }
        }
        Tool::Poetry if matches!(sub, "install" | "add" | "update") => vec![Cache::Poetry],
        // A project's dependency tree, not one global tool (`npm install -g
        // pnpm` caches a few MB).
        Tool::Npm
            if matches!(sub, "ci" | "install-ci-test")
                || (matches!(sub, "install" | "i")
                    && positional.len() == 1
                    && !inv.has_flag(&["g", "global"])) =>
        {
            vec![Cache::Npm]
        }
        Tool::Yarn => {
            if sub == "install" {
                vec![Cache::YarnInstall]
            } else if sub.is_empty() && !inv.has_flag(&["version", "v", "help", "h"]) {
                vec![Cache::Yarn]
            } else {
                vec![]
            }
        }
        Tool::Go => {
            let vendored = inv
                .line
                .args
                .iter()
                .any(|a| a == "-mod=vendor" || a == "--mod=vendor")
                || var(vars, inv.command, "GOFLAGS").is_some_and(|f| f.contains("-mod=vendor"));
            let mut out = Vec::new();
            if matches!(sub, "build" | "install" | "test" | "run") {
                out.push(Cache::GoBuild);
            }
            let downloads = matches!(sub, "build" | "install" | "test" | "run" | "get")
                || (sub == "mod" && second == "download");
            if downloads && !vendored {
                out.push(Cache::GoMod);
            }
            out
        }
        Tool::Cargo if matches!(sub, "build" | "install" | "fetch" | "run" | "test") => {
            vec![Cache::Cargo]
        }
        Tool::Composer => {
            let fills = matches!(
                sub,
                "install" | "update" | "require" | "create-project" | "i" | "u"
            ) || (sub == "global"
                && matches!(second, "require" | "install" | "update"));
            if fills && !inv.has_flag(&["no-cache"]) {
                vec![Cache::Composer]
            } else {
                vec![]
            }
        }
        Tool::Bundle if sub == "install" => vec![Cache::Bundler],
        Tool::Maven if !sub.is_empty() => vec![Cache::Maven],
        Tool::Gradle if !sub.is_empty() => vec![Cache::Gradle],
        Tool::Dotnet if matches!(sub, "restore" | "build" | "publish" | "test" | "pack") => {
            vec![Cache::Nuget]
        }
        _ => vec![],
    }
}

/// The value of a variable for a command, when set and known.
fn var(vars: &ShellVars<'_>, cmd: &SimpleCommand, name: &str) -> Option<String> {
    vars.env_value(cmd, name).flatten()
}

/// Where the cache may be.
fn locations(cache: Cache, inv: &Invocation<'_>, vars: &ShellVars<'_>) -> Vec<String> {
    let cmd = inv.command;
    let relocated = |names: &[&str], suffix: &str| -> Vec<String> {
        names
            .iter()
            .filter_map(|n| var(vars, cmd, n))
            .map(|v| format!("{}{suffix}", v.trim_end_matches('/')))
            .collect()
    };
    let fixed = |paths: &[&str]| -> Vec<String> { paths.iter().map(|p| p.to_string()).collect() };
    let mut out = match cache {
        Cache::Apt => fixed(&["/var/lib/apt/lists"]),
        Cache::ApkAdd | Cache::ApkUpdate => fixed(&["/var/cache/apk", "/etc/apk/cache"]),
        Cache::Yum => fixed(&["/var/cache/yum", "/var/cache/dnf"]),
        Cache::Dnf => fixed(&["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"]),
        Cache::Zypper => fixed(&["/var/cache/zypp"]),
        Cache::Pip => {
            let mut v = fixed(&["~/.cache/pip"]);
            v.extend(relocated(&["PIP_CACHE_DIR"], ""));
            v
        }
        Cache::Uv => {
            let mut v = fixed(&["~/.cache/uv"]);
            v.extend(relocated(&["UV_CACHE_DIR"], ""));
            v
        }
        Cache::Poetry => {
            let mut v = fixed(&["~/.cache/pypoetry"]);
            v.extend(relocated(&["POETRY_CACHE_DIR"], ""));
            v
        }
        Cache::Npm => {
            let mut v = fixed(&["~/.npm"]);
            v.extend(relocated(&["npm_config_cache", "NPM_CONFIG_CACHE"], ""));
            if let Some(c) = inv.flag_value(&["cache"]) {
                v.push(c.to_string());
            }
            v
        }
        Cache::Yarn | Cache::YarnInstall => {
            let mut v = fixed(&[
                "/usr/local/share/.cache/yarn",
                "~/.cache/yarn",
                "~/.yarn/berry/cache",
                ".yarn/cache",
            ]);
            v.extend(relocated(&["YARN_CACHE_FOLDER"], ""));
            if let Some(c) = inv.flag_value(&["cache-folder"]) {
                v.push(c.to_string());
            }
            v
        }
        Cache::GoBuild => {
            let mut v = fixed(&["~/.cache/go-build"]);
            v.extend(relocated(&["GOCACHE"], ""));
            v
        }
        Cache::GoMod => {
            let mut v = fixed(&["/go/pkg/mod", "~/go/pkg/mod"]);
            v.extend(relocated(&["GOMODCACHE"], ""));
            v.extend(relocated(&["GOPATH"], "/pkg/mod"));
            v
        }
        Cache::Cargo => {
            let mut v = fixed(&[
                "/usr/local/cargo/registry",
                "~/.cargo/registry",
                "$CARGO_HOME/registry",
            ]);
            v.extend(relocated(&["CARGO_HOME"], "/registry"));
            v
        }
        Cache::Composer => {
            let mut v = fixed(&[
                "~/.composer/cache",
                "~/.cache/composer",
                "/tmp/cache",
                "$COMPOSER_HOME/cache",
            ]);
            v.extend(relocated(&["COMPOSER_CACHE_DIR"], ""));
            v.extend(relocated(&["COMPOSER_HOME"], "/cache"));
            v
        }
        Cache::Bundler => {
            let mut v = fixed(&[
                "/usr/local/bundle/cache",
                "/usr/local/bundle/ruby/*/cache",
                "$BUNDLE_PATH/ruby/*/cache",
                "$GEM_HOME/cache",
                "~/.bundle/cache",
                "~/.gem",
                "/usr/local/lib/ruby/gems/*/cache",
                "/var/lib/gems/*/cache",
                "vendor/bundle/ruby/*/cache",
            ]);
            v.extend(relocated(&["BUNDLE_PATH"], "/ruby/*/cache"));
            v.extend(relocated(&["GEM_HOME"], "/cache"));
            v
        }
        Cache::Maven => {
            let mut v = fixed(&["~/.m2/repository"]);
            for a in &inv.line.args {
                if let Some(repo) = a.strip_prefix("-Dmaven.repo.local=") {
                    v.push(repo.to_string());
                }
            }
            v
        }
        Cache::Gradle => {
            let mut v = fixed(&["~/.gradle/caches", "/home/gradle/.gradle/caches"]);
            v.extend(relocated(&["GRADLE_USER_HOME"], "/caches"));
            if let Some(g) = inv.flag_value(&["g", "gradle-user-home"]) {
                v.push(format!("{g}/caches"));
            }
            v
        }
        Cache::Nuget => {
            let mut v = fixed(&["~/.nuget/packages"]);
            v.extend(relocated(&["NUGET_PACKAGES"], ""));
            v
        }
    };
    out.dedup();
    out
}

/// Whether the manager was told not to cache.
fn disabled(cache: Cache, inv: &Invocation<'_>, vars: &ShellVars<'_>) -> bool {
    let env_on = |name: &str| {
        vars.env_value(inv.command, name)
            .is_some_and(|v| truthy(&v))
    };
    match cache {
        // pip disables its cache for any boolean value of PIP_NO_CACHE_DIR,
        // `false` and `off` included (kept for backwards compatibility).
        // pip's option parser accepts `--no-cache` for `--no-cache-dir`.
        Cache::Pip => {
            inv.has_flag(&["no-cache-dir", "no-cache"])
                || vars
                    .env_value(inv.command, "PIP_NO_CACHE_DIR")
                    .is_some_and(|v| v.is_none_or(|v| !v.is_empty()))
        }
        Cache::Uv => inv.has_flag(&["no-cache", "n"]) || env_on("UV_NO_CACHE"),
        Cache::Poetry => inv.has_flag(&["no-cache"]),
        Cache::Composer => {
            inv.has_flag(&["no-cache"])
                || var(vars, inv.command, "COMPOSER_CACHE_DIR").is_some_and(|v| v == "/dev/null")
        }
        Cache::GoBuild => var(vars, inv.command, "GOCACHE").is_some_and(|v| v == "off"),
        _ => false,
    }
}

/// Whether `cmd` cleans the cache with the manager's own command.
fn cleans(cache: Cache, cmd: &SimpleCommand) -> bool {
    let Some(inv) = recognise(cmd) else {
        return false;
    };
    let positional = inv.positional();
    let sub = positional.first().copied().unwrap_or_default();
    let second = positional.get(1).copied().unwrap_or_default();
    match (cache, inv.tool) {
        // apt 2.7+ (Debian 13): `dist-clean` also removes the lists.
        (Cache::Apt, Tool::AptGet | Tool::Apt) => sub == "dist-clean",
        (Cache::ApkAdd | Cache::ApkUpdate, Tool::Apk) => {
            sub == "cache" && matches!(second, "clean" | "purge")
        }
        (Cache::Yum | Cache::Dnf, Tool::Yum | Tool::Dnf | Tool::Microdnf) => {
            sub == "clean"
                && positional
                    .iter()
                    .any(|p| matches!(*p, "all" | "packages" | "metadata"))
        }
        (Cache::Zypper, Tool::Zypper) => matches!(sub, "clean" | "cc"),
        (Cache::Pip, Tool::Pip) => sub == "cache" && matches!(second, "purge" | "remove"),
        (Cache::Uv, Tool::Uv) => sub == "cache" && matches!(second, "clean" | "prune"),
        (Cache::Poetry, Tool::Poetry) => sub == "cache" && second == "clear",
        (Cache::Npm, Tool::Npm) => sub == "cache" && matches!(second, "clean" | "rm" | "clear"),
        (Cache::Yarn | Cache::YarnInstall, Tool::Yarn) => sub == "cache" && second == "clean",
        // Go's flags take one dash: `-cache` is one flag, not five.
        (Cache::GoBuild, Tool::Go) => sub == "clean" && go_flag(&inv, "cache"),
        (Cache::GoMod, Tool::Go) => sub == "clean" && go_flag(&inv, "modcache"),
        (Cache::Composer, Tool::Composer) => matches!(sub, "clear-cache" | "clearcache" | "cc"),
        (Cache::Nuget, Tool::Dotnet) => {
            sub == "nuget" && second == "locals" && inv.has_flag(&["clear", "c"])
        }
        _ => false,
    }
}

/// Whether a Go command has `-name` or `--name`.
fn go_flag(inv: &Invocation<'_>, name: &str) -> bool {
    inv.line
        .args
        .iter()
        .any(|a| a.trim_start_matches('-') == name && a.starts_with('-'))
}

/// The caches a `RUN` leaves behind, in order, without repeats.
fn left_behind(cx: &LintContext<'_>, run: &RunInfo, env: &Env<'_>) -> Vec<(Cache, String)> {
    let commands: Vec<&SimpleCommand> = run.commands().collect();
    let mut vars = ShellVars::new(env);
    // Shell variables as each command saw them.
    let mut states: Vec<ShellVars<'_>> = Vec::with_capacity(commands.len());
    for cmd in &commands {
        states.push(vars.clone());
        vars.step(cmd);
    }
    let mut out: Vec<(Cache, String)> = Vec::new();
    for (index, (cmd, state)) in commands.iter().zip(&states).enumerate() {
        let Some(inv) = recognise(cmd) else {
            continue;
        };
        for cache in producers(&inv, state) {
            if out.iter().any(|(c, _)| *c == cache)
                || cache.hadolint().is_some_and(|code| enabled(cx, code))
                || disabled(cache, &inv, state)
            {
                continue;
            }
            let paths = locations(cache, &inv, state);
            if cache_mounted(run, &paths, state) {
                continue;
            }
            let cleaned =
                commands
                    .iter()
                    .zip(&states)
                    .skip(index + 1)
                    .any(|(later, later_vars)| {
                        cleans(cache, later)
                            || removes(later, &paths, later_vars)
                            || relative_removal(later, &paths)
                    });
            if !cleaned {
                out.push((cache, inv.line.line()));
            }
        }
    }
    out
}

/// `rm -rf .yarn/cache` and other relative cache paths, compared as written.
fn relative_removal(cmd: &SimpleCommand, paths: &[String]) -> bool {
    cmd.is("rm")
        && cmd.positional(&[]).iter().any(|a| {
            let a = a.trim_start_matches("./");
            !a.starts_with('/')
                && paths
                    .iter()
                    .filter(|p| !p.starts_with(['/', '~', '$']))
                    .any(|p| path_covers(a, p, None))
        })
}

impl Rule for Rs004 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !runs_application(cx) {
            return;
        }
        for (instruction, run) in final_runs(cx) {
            if !run.posix {
                continue;
            }
            let env = env_before(cx, instruction);
            let left = left_behind(cx, run, &env);
            if left.is_empty() {
                continue;
            }
            let what: Vec<String> = left
                .iter()
                .map(|(c, line)| format!("{} after `{}`", c.label(), shorten(line)))
                .collect();
            let mut fixes: Vec<&str> = left.iter().map(|(c, _)| c.fix()).collect();
            fixes.dedup();
            let message = format!(
                "Package manager cache left in a layer of the final image: {}",
                what.join("; ")
            );
            out.push(cx.at(instruction, message).with_fix(format!(
                "Use a cache mount (`RUN --mount=type=cache,target=...`), or {}",
                fixes.join("; ")
            )));
        }
    }
}

/// A command line cut to a readable length.
fn shorten(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() <= 6 {
        words.join(" ")
    } else {
        format!(
            "{} ...",
            words.iter().take(5).copied().collect::<Vec<_>>().join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics_with};

    /// A configuration with hadolint's cache rules off, so that every case
    /// is RS004's.
    fn alone() -> LintConfig {
        LintConfig {
            ignored: [
                "DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3040", "DL3036",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            ..LintConfig::default()
        }
    }

    fn lines_alone(text: &str) -> Vec<usize> {
        diagnostics_with(&Rs004, text, &alone())
            .iter()
            .map(|d| d.line)
            .collect()
    }

    #[test]
    fn managers_hadolint_does_not_cover() {
        assert_lines(
            &Rs004,
            &[
                ("FROM node:20\nRUN npm ci\nEXPOSE 80\n", &[2]),
                (
                    "FROM node:20\nRUN npm ci && npm cache clean --force\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM node:20\nRUN npm cache clean --force && npm ci\nEXPOSE 80\n",
                    &[2],
                ),
                (
                    "FROM node:20\nRUN npm ci && rm -rf /root/.npm\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM node:20\nUSER node\nRUN npm ci && rm -rf ~/.npm\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM node:20\nRUN npm ci\nRUN npm cache clean --force\nEXPOSE 80\n",
                    &[2],
                ),
                ("FROM node:20\nRUN npm run build\nEXPOSE 80\n", &[]),
                (
                    "FROM golang:1.22\nRUN go build -o /app .\nEXPOSE 80\n",
                    &[2],
                ),
                (
                    "FROM golang:1.22\nRUN go build -o /app . && go clean -cache -modcache\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM golang:1.22\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .\nEXPOSE 80\n",
                    &[],
                ),
                ("FROM rust:1\nRUN cargo build --release\nEXPOSE 80\n", &[2]),
                (
                    "FROM rust:1\nRUN cargo build --release && rm -rf $CARGO_HOME/registry\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM composer:2\nRUN composer install --no-dev\nEXPOSE 80\n",
                    &[2],
                ),
                (
                    "FROM composer:2\nRUN composer install --no-dev --no-cache\nEXPOSE 80\n",
                    &[],
                ),
                ("FROM ruby:3.3\nRUN bundle install\nEXPOSE 80\n", &[2]),
                (
                    "FROM ruby:3.3\nENV BUNDLE_PATH=/usr/local/bundle\nRUN bundle install && rm -rf ~/.bundle/ \"${BUNDLE_PATH}\"/ruby/*/cache\nEXPOSE 80\n",
                    &[],
                ),
                ("FROM ruby:3.3\nRUN gem install bundler\nEXPOSE 80\n", &[]),
                ("FROM node:20\nRUN npm install -g pnpm\nEXPOSE 80\n", &[]),
                ("FROM node:20\nRUN npm install\nEXPOSE 80\n", &[2]),
                // Toolchain and development images are not checked.
                ("FROM node:20\nRUN npm ci\n", &[]),
                ("FROM node:20\nRUN npm ci\nCMD [\"bash\"]\n", &[]),
                ("FROM maven:3\nRUN mvn package\nEXPOSE 80\n", &[2]),
                (
                    "FROM maven:3\nRUN --mount=type=cache,target=/root/.m2 mvn package\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl\nEXPOSE 80\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add --no-cache curl\nEXPOSE 80\n",
                    &[],
                ),
                ("FROM python:3.12\nRUN uv sync --frozen\nEXPOSE 80\n", &[2]),
                (
                    "FROM python:3.12\nENV UV_NO_CACHE=1\nRUN uv sync --frozen\nEXPOSE 80\n",
                    &[],
                ),
                ("FROM node:20\nRUN yarn\nEXPOSE 80\n", &[2]),
                (
                    "FROM node:20\nRUN pnpm install --frozen-lockfile\nEXPOSE 80\n",
                    &[],
                ),
                // Relocated caches.
                (
                    "FROM node:20\nENV npm_config_cache=/tmp/npm\nRUN npm ci && rm -rf /tmp/npm\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM golang:1.22\nENV GOCACHE=/tmp/gc GOMODCACHE=/tmp/gm\nRUN go build . && rm -rf /tmp/gc /tmp/gm\nEXPOSE 80\n",
                    &[],
                ),
                // Build stages are not the final image.
                (
                    "FROM node:20 AS build\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=build /app /usr/share/nginx/html\nEXPOSE 80\n",
                    &[],
                ),
                (
                    "FROM node:20 AS base\nRUN npm ci\nFROM base\nEXPOSE 80\n",
                    &[2],
                ),
                // Heredoc; ONBUILD is the child's.
                ("FROM node:20\nRUN <<EOF\nnpm ci\nEOF\nEXPOSE 80\n", &[2]),
                ("FROM node:20\nONBUILD RUN npm ci\nEXPOSE 80\n", &[]),
                // ARG-defaulted base and variables.
                (
                    "ARG NODE=20\nFROM node:${NODE}\nARG CACHE=/tmp/c\nRUN npm ci --cache $CACHE && rm -rf $CACHE\n",
                    &[],
                ),
            ],
        );
    }

    #[test]
    fn hadolint_cases_are_left_to_hadolint_when_it_is_on() {
        let cases: &[(&str, &[usize])] = &[
            (
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nEXPOSE 80\n",
                &[2],
            ),
            (
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\nEXPOSE 80\n",
                &[],
            ),
            ("FROM alpine:3.20\nRUN apk add curl\nEXPOSE 80\n", &[2]),
            (
                "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM python:3.12\nRUN pip install -r requirements.txt\nEXPOSE 80\n",
                &[2],
            ),
            (
                "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM python:3.12\nRUN PIP_NO_CACHE_DIR=off pip install flask\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\nEXPOSE 80\n",
                &[],
            ),
            (
                "FROM node:20\nRUN yarn install --frozen-lockfile\nEXPOSE 80\n",
                &[2],
            ),
            ("FROM fedora:40\nRUN dnf install -y curl\nEXPOSE 80\n", &[2]),
            (
                "FROM fedora:40\nRUN dnf install -y curl && dnf clean all\nEXPOSE 80\n",
                &[],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(lines_alone(text), *want, "{text}");
        }
        // With the default configuration hadolint's rules own these cases
        // (when they are registered).
        for (text, _) in cases {
            let theirs = ["DL3009", "DL3019", "DL3042", "DL3060", "DL3040"]
                .iter()
                .all(|c| crate::lint::registry::find(c).is_some());
            if theirs {
                assert_eq!(
                    diagnostics_with(&Rs004, text, &LintConfig::default()).len(),
                    0,
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn message_names_cache_and_command() {
        let d = diagnostics_with(
            &Rs004,
            "FROM node:20\nRUN npm ci --omit=dev\nEXPOSE 80\n",
            &alone(),
        );
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        assert!(
            m.contains("npm cache (`~/.npm`) after `npm ci --omit=dev`"),
            "{m}"
        );
    }
}
