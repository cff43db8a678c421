//! What one `RUN` adds to its layer: system packages, language
//! dependencies, build outputs, downloads and the caches each leaves
//! behind, less what the same `RUN` deletes again (a later `RUN` cannot
//! shrink an earlier layer).

use std::collections::BTreeSet;

use super::deps;
use super::env::StageEnv;
use super::heuristics::{Class, H};
use super::ledger::{Content, Tag, base_name, looks_like_file, resolve, under};
use super::manifests::{Dependency, Manifest, ManifestKind, Manifests, parse_requirement};
use super::packages::{self, Os, Table};
use super::render::{count, mb};
use super::types::{Basis, Range};
use crate::convert::classify::classify_run;
use crate::model::shell::{AlternativeKind, SimpleCommand};
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{Instruction, RunInfo};

/// The ecosystem a stage works in, for context and build-output figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Family {
    Python,
    Node,
    Go,
    Rust,
    Java,
    Dotnet,
    Ruby,
    Php,
    Static,
    Generic,
}

impl Family {
    /// From a catalog name.
    pub fn from_image(name: &str) -> Self {
        let short = name.rsplit('/').next().unwrap_or(name);
        match short {
            "python" | "python3" => Self::Python,
            "node" | "nodejs18" | "nodejs20" | "nodejs22" | "nodejs24" => Self::Node,
            "golang" => Self::Go,
            "rust" => Self::Rust,
            "eclipse-temurin" | "maven" | "gradle" | "openjdk" | "amazoncorretto" | "java"
            | "java17" | "java21" => Self::Java,
            "sdk" | "aspnet" | "runtime" | "runtime-deps" => Self::Dotnet,
            "ruby" => Self::Ruby,
            "php" | "composer" => Self::Php,
            "nginx" | "nginx-unprivileged" | "httpd" | "caddy" => Self::Static,
            _ => Self::Generic,
        }
    }

    /// The heuristic for `COPY . .` of this ecosystem's project.
    pub fn context(self) -> H {
        match self {
            Self::Python => H::ContextPython,
            Self::Node => H::ContextNode,
            Self::Go => H::ContextGo,
            Self::Rust => H::ContextRust,
            Self::Java => H::ContextJava,
            Self::Dotnet => H::ContextDotnet,
            Self::Ruby => H::ContextRuby,
            Self::Php => H::ContextPhp,
            Self::Static | Self::Generic => H::ContextGeneric,
        }
    }
}

/// What a `RUN` sees.
pub(super) struct RunCx<'a> {
    pub instruction: &'a Instruction,
    pub run: &'a RunInfo,
    pub workdir: String,
    pub home: String,
    /// The stage's environment before the `RUN` (`ENV`s, in order).
    pub env: &'a StageEnv,
    pub os: Os,
    pub have: &'a BTreeSet<String>,
    pub pip_have: &'a BTreeSet<String>,
    pub ledger: &'a [Content],
    pub manifests: &'a Manifests,
    pub family: Family,
    pub python: Option<String>,
}

/// What a `RUN` adds.
#[derive(Debug, Default)]
pub(super) struct RunOut {
    pub contents: Vec<Content>,
    pub notes: Vec<String>,
    pub packages_added: Vec<String>,
    pub pip_added: Vec<String>,
    pub family: Option<Family>,
    pub manifests_used: Vec<String>,
}

/// The value of a variable.
fn env_get<'e>(env: &'e [(String, String)], key: &str) -> Option<&'e str> {
    env.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Whether a value is a true one (`1`, `true`, `yes`, `on`, `y`).
fn is_true(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "y"
    )
}

/// Every value of a flag (`-r a.txt -r b.txt`, `--requirement=c.txt`).
fn flag_values<'c>(cmd: &'c SimpleCommand, names: &[&str]) -> Vec<&'c str> {
    let mut out = Vec::new();
    let mut args = cmd.args.iter().peekable();
    while let Some(arg) = args.next() {
        if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) if names.contains(&n) => out.push(v),
                None if names.contains(&long) => {
                    if let Some(v) = args.next() {
                        out.push(v.as_str());
                    }
                }
                _ => {}
            }
        } else if let Some(short) = arg.strip_prefix('-')
            && let Some(first) = short.get(..1)
            && names.contains(&first)
            && short.len() == 1
        {
            if let Some(v) = args.next() {
                out.push(v.as_str());
            }
        } else if let Some(short) = arg.strip_prefix('-')
            && short.len() > 1
            && !short.starts_with('-')
            && let Some(first) = short.get(..1)
            && names.contains(&first)
            && names.iter().any(|n| n.len() == 1)
            && first.chars().all(|c| c.is_ascii_lowercase())
            && matches!(first, "r" | "o" | "t" | "C")
        {
            out.push(short.get(1..).unwrap_or_default());
        }
    }
    out
}

/// The value of a Go tool flag, which takes one dash or two and its value
/// after `=` or as the next word (`-ldflags='-s -w'`, `--ldflags "-s"`).
fn go_flag<'i>(inv: &'i Invocation<'_>, name: &str) -> Option<&'i str> {
    let mut args = inv.line.args.iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            return None;
        }
        let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
            continue;
        };
        match flag.split_once('=') {
            Some((n, v)) if n == name => return Some(v),
            None if flag == name => return args.next().map(String::as_str),
            _ => {}
        }
    }
    None
}

/// Sizes one `RUN`.
pub(super) fn run_layer(cx: &RunCx<'_>) -> RunOut {
    let mut st = State {
        cx,
        out: RunOut::default(),
        env: Vec::new(),
        apt_update: false,
        apk_index: false,
        dnf_cache: false,
        c_build: false,
        current: None,
    };
    let commands: Vec<&SimpleCommand> = cx.run.commands().collect();
    for (i, cmd) in commands.iter().enumerate() {
        let next = commands.get(i + 1).copied();
        st.current = Some(i);
        st.command(cmd, next);
    }
    st.current = None;
    st.system_packages();
    keep_one_arm(cx.run, &mut st.out);
    st.out
}

/// Of arms of which one runs (`if`/`elif`/`else` bodies, `case` items, the
/// sides of `||`), keeps what the largest arm makes and drops the others',
/// so that neither the layer nor a later `COPY --from` adds them up; says
/// so in a note. Inner alternatives are settled first, so an arm's size is
/// that of its own largest inner arms.
fn keep_one_arm(run: &RunInfo, out: &mut RunOut) {
    let mut offset = 0;
    let mut dropped = vec![false; out.contents.len()];
    for script in &run.scripts {
        for alternative in &script.alternatives {
            let in_arm = |c: &Content, &(start, end): &(usize, usize)| {
                c.command
                    .is_some_and(|i| (offset + start..offset + end).contains(&i))
            };
            let sizes: Vec<u64> = alternative
                .arms
                .iter()
                .map(|arm| {
                    out.contents
                        .iter()
                        .zip(&dropped)
                        .filter(|(c, gone)| !**gone && in_arm(c, arm))
                        .map(|(c, _)| c.disk.estimate_bytes)
                        .sum()
                })
                .collect();
            let sized = sizes.iter().filter(|&&b| b > 0).count();
            let Some((best, &largest)) = sizes.iter().enumerate().rev().max_by_key(|(_, b)| **b)
            else {
                continue;
            };
            if sized < 2 {
                continue;
            }
            for (k, arm) in alternative.arms.iter().enumerate() {
                if k == best {
                    continue;
                }
                for (c, gone) in out.contents.iter().zip(dropped.iter_mut()) {
                    if in_arm(c, arm) {
                        *gone = true;
                    }
                }
            }
            let label = match alternative.kind {
                AlternativeKind::If => "`if … elif … else`",
                AlternativeKind::Case => "`case`",
                AlternativeKind::Or => "`a || b`",
            };
            out.notes.push(format!(
                "one branch of {label} runs: the largest is counted ({} MB), not all {sized} ({} MB)",
                mb(largest),
                mb(sizes.iter().sum())
            ));
        }
        offset += script.commands.len();
    }
    let mut gone = dropped.into_iter();
    out.contents.retain(|_| !gone.next().unwrap_or(false));
}

struct State<'a, 'b> {
    cx: &'b RunCx<'a>,
    out: RunOut,
    /// What the script sets itself (`A=1 cmd`, `export A=1`), over the
    /// stage's environment in `cx.env`.
    env: Vec<(String, String)>,
    apt_update: bool,
    apk_index: bool,
    dnf_cache: bool,
    c_build: bool,
    /// The index of the command being sized, among the `RUN`'s commands.
    current: Option<usize>,
}

impl State<'_, '_> {
    fn path(&self, p: &str) -> String {
        let expanded = self.expand(p);
        resolve(&self.cx.workdir, &self.cx.home, &expanded)
    }

    /// Replaces `$VAR` and `${VAR}` of the known environment.
    fn expand(&self, text: &str) -> String {
        let vars = self.env.iter().rev().chain(self.cx.env.vars().iter().rev());
        super::env::expand(text, vars, &self.cx.home)
    }

    fn cached(&self, path: &str) -> bool {
        self.cx.run.has_cache_mount(path)
    }

    fn env(&self, key: &str) -> Option<&str> {
        env_get(&self.env, key).or_else(|| self.cx.env.get(key))
    }

    /// Whether a variable is set to a true value (`1`, `true`, `yes`, `on`).
    fn env_true(&self, key: &str) -> bool {
        self.env(key).is_some_and(is_true)
    }

    fn add(&mut self, mut c: Content) {
        if !c.disk.is_zero() || c.unknown {
            c.command = self.current;
            self.out.contents.push(c);
        }
    }

    fn uses(&mut self, m: &Manifest) {
        if !self.out.manifests_used.contains(&m.file) {
            self.out.manifests_used.push(m.file.clone());
        }
    }

    /// Content already in the stage or added by this `RUN` at `path`.
    fn present(&self, path: &str) -> bool {
        self.cx
            .ledger
            .iter()
            .chain(&self.out.contents)
            .any(|c| c.is_under(path) || c.contains(path))
    }

    fn command(&mut self, cmd: &SimpleCommand, next: Option<&SimpleCommand>) {
        for (k, v) in &cmd.assignments {
            self.env.push((k.clone(), v.clone()));
        }
        let name = cmd.base_name();
        match name {
            "export" => {
                for a in &cmd.args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.env.push((k.to_string(), v.to_string()));
                    }
                }
                return;
            }
            "rm" => return self.remove(cmd),
            "chown" | "chmod" | "chgrp" => return self.copy_up(cmd),
            "make" | "cmake" | "ninja" | "meson" | "gcc" | "g++" | "cc" | "c++" | "clang"
            | "clang++" => return self.c_build(cmd),
            "git" if cmd.args.first().is_some_and(|a| a == "clone") => return self.git_clone(cmd),
            "tar" | "unzip" => return self.extract(cmd),
            "tsc" | "vite" | "next" | "ng" | "react-scripts" | "nest" | "webpack" | "esbuild"
            | "rollup" | "parcel" | "astro" | "nuxt" | "gatsby" => {
                if !matches!(
                    cmd.args.first().map(String::as_str),
                    Some("dev" | "serve" | "start" | "preview" | "--version" | "-v")
                ) {
                    self.node_build(&cmd_words(cmd));
                }
                return;
            }
            "npx" | "bunx" => {
                let words: Vec<String> = cmd
                    .args
                    .iter()
                    .filter(|a| !a.starts_with('-'))
                    .cloned()
                    .collect();
                if words.iter().any(|w| w == "build") || words.first().is_some_and(|w| w == "tsc") {
                    self.node_build(&words);
                }
                return;
            }
            "virtualenv" => {
                let target = cmd.args.iter().rfind(|a| !a.starts_with('-'));
                if let Some(t) = target {
                    let p = self.path(t);
                    self.venv(&p);
                }
                return;
            }
            _ => {}
        }
        if is_python(name) {
            // `python -m venv X`, `python -m pip` is recognised below.
            if let (Some(m), Some(module)) = (cmd.args.first(), cmd.args.get(1))
                && m == "-m"
                && matches!(module.as_str(), "venv" | "virtualenv")
            {
                if let Some(t) = cmd.args.iter().skip(2).rfind(|a| !a.starts_with('-')) {
                    let p = self.path(t);
                    self.venv(&p);
                }
                return;
            }
        }
        let Some(inv) = recognise(cmd) else { return };
        let sub = inv.subcommand().unwrap_or_default().to_string();
        match inv.tool {
            Tool::AptGet | Tool::Apt | Tool::Aptitude => {
                if sub == "update" && !self.apt_update {
                    self.apt_update = true;
                    let lists = "/var/lib/apt/lists";
                    let before = self.cx.ledger.iter().any(|c| c.tag == Tag::AptLists);
                    if !self.cached(lists) && !before {
                        let h = H::AptLists.get();
                        self.add(
                            Content::new(
                                lists,
                                h.disk(),
                                h.class,
                                "apt package lists",
                                vec![h.basis()],
                            )
                            .tagged(Tag::AptLists),
                        );
                    }
                }
                if sub == "clean" {
                    self.remove_path("/var/cache/apt");
                }
            }
            Tool::Apk => {
                let add_cache = (sub == "update") || (sub == "add" && !inv.has_flag(&["no-cache"]));
                if add_cache && !self.apk_index && !self.cached("/var/cache/apk") {
                    self.apk_index = true;
                    let h = H::ApkIndex.get();
                    self.add(
                        Content::new(
                            "/var/cache/apk",
                            h.disk(),
                            h.class,
                            "apk index",
                            vec![h.basis()],
                        )
                        .tagged(Tag::Cache),
                    );
                }
                if sub == "cache" && inv.operands().first().is_some_and(|o| *o == "clean") {
                    self.remove_path("/var/cache/apk");
                }
            }
            Tool::Dnf | Tool::Yum | Tool::Microdnf | Tool::Zypper => {
                if matches!(
                    sub.as_str(),
                    "install" | "in" | "update" | "upgrade" | "makecache"
                ) && !self.dnf_cache
                    && !self.cached("/var/cache")
                {
                    self.dnf_cache = true;
                    let h = H::DnfCache.get();
                    self.add(
                        Content::new(
                            "/var/cache/dnf",
                            h.disk(),
                            h.class,
                            "package manager cache",
                            vec![h.basis()],
                        )
                        .also_at("/var/cache/yum")
                        .also_at("/var/cache/zypp")
                        .also_at("/var/cache/libdnf5")
                        .tagged(Tag::Cache),
                    );
                }
                if sub == "clean" {
                    for p in [
                        "/var/cache/dnf",
                        "/var/cache/yum",
                        "/var/cache/zypp",
                        "/var/cache/libdnf5",
                    ] {
                        self.remove_path(p);
                    }
                }
            }
            Tool::Pip => match sub.as_str() {
                "install" => self.pip_install(&inv),
                "wheel" | "download" => self.pip_wheel(&inv),
                "cache"
                    if inv
                        .operands()
                        .first()
                        .is_some_and(|o| matches!(*o, "purge" | "remove")) =>
                {
                    let p = self.pip_cache_dir();
                    self.remove_path(&p);
                }
                _ => {}
            },
            Tool::Uv => self.uv(&inv, &sub),
            Tool::Poetry if matches!(sub.as_str(), "install" | "sync") => self.poetry(&inv),
            Tool::Pipenv if matches!(sub.as_str(), "install" | "sync") => self.pipenv(&inv),
            Tool::Npm | Tool::Yarn | Tool::Pnpm => self.node_tool(&inv, &sub),
            Tool::Go => self.go(&inv, &sub),
            Tool::Cargo => self.cargo(&inv, &sub),
            Tool::Maven => self.maven(&inv),
            Tool::Gradle => self.gradle(&inv),
            Tool::Dotnet => self.dotnet(&inv, &sub),
            Tool::Bundle if matches!(sub.as_str(), "" | "install") => self.bundle(&inv),
            Tool::Gem if sub == "install" => self.gem(&inv),
            Tool::Composer => self.composer(&inv, &sub),
            Tool::Curl | Tool::Wget => self.download(&inv, cmd, next),
            _ => {}
        }
    }

    // ------------------------------------------------------------ removal

    /// `rm` of paths: content this `RUN` made there is gone.
    fn remove(&mut self, cmd: &SimpleCommand) {
        let targets: Vec<String> = cmd
            .args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .map(|a| self.path(a))
            .collect();
        for t in targets {
            let t = t
                .strip_suffix("/*")
                .or_else(|| t.strip_suffix("/*.*"))
                .map(str::to_string)
                .unwrap_or(t);
            if t == "/" {
                continue;
            }
            let earlier = self.cx.ledger.iter().any(|c| c.is_under(&t));
            if earlier {
                let note = format!(
                    "`rm {t}` cannot free what an earlier layer holds; delete it in the RUN that creates it"
                );
                if !self.out.notes.contains(&note) {
                    self.out.notes.push(note);
                }
            }
            self.remove_path(&t);
        }
    }

    fn remove_path(&mut self, dir: &str) {
        self.out.contents.retain(|c| !c.is_under(dir));
    }

    /// `chown -R` / `chmod -R` rewrite every file of earlier layers below
    /// their paths into this layer.
    fn copy_up(&mut self, cmd: &SimpleCommand) {
        let recursive = cmd.has_flag(&["R", "recursive"]);
        if !recursive {
            return;
        }
        let operands: Vec<&String> = cmd.args.iter().filter(|a| !a.starts_with('-')).collect();
        // The first operand is the owner or mode.
        for target in operands.iter().skip(1) {
            let t = self.path(target);
            let copies: Vec<Content> = self
                .cx
                .ledger
                .iter()
                .filter(|c| c.is_under(&t) && !c.disk.is_zero())
                .cloned()
                .collect();
            for mut c in copies {
                c.what = format!("{} copied again by `{} -R`", c.what, cmd.base_name());
                c.tag = Tag::Plain;
                c.command = self.current;
                self.out.contents.push(c);
            }
        }
        if self.out.contents.iter().any(|c| c.what.contains(" -R`")) {
            self.out.notes.push(format!(
                "`{} -R` copies every file it changes from earlier layers into this one; use COPY --chown instead",
                cmd.base_name()
            ));
        }
    }

    // ------------------------------------------------------------ system packages

    fn system_packages(&mut self) {
        let facts = classify_run(self.cx.instruction);
        let Some(sys) = facts.system else { return };
        let Some(manager) = sys.manager else { return };
        let installed: Vec<String> = sys
            .installed
            .iter()
            .filter(|p| !p.starts_with('$') && !p.contains('/'))
            .cloned()
            .collect();
        if installed.is_empty() {
            return;
        }
        let commands: Vec<&SimpleCommand> = self.cx.run.commands().collect();
        match manager {
            Tool::AptGet | Tool::Apt | Tool::Aptitude => {
                let mut recommends = false;
                let mut autoremove = false;
                for c in &commands {
                    let Some(inv) = recognise(c) else { continue };
                    if !matches!(inv.tool, Tool::AptGet | Tool::Apt | Tool::Aptitude) {
                        continue;
                    }
                    let sub = inv.subcommand().unwrap_or_default();
                    if sub == "install" {
                        let off = inv.has_flag(&["no-install-recommends"])
                            || c.args.iter().any(|a| {
                                let a = a.to_ascii_lowercase();
                                a.contains("install-recommends=false")
                                    || a.contains("install-recommends=0")
                                    || a.contains("install-recommends \"false\"")
                            });
                        recommends |= !off;
                    }
                    if sub == "autoremove" || inv.has_flag(&["auto-remove", "autoremove"]) {
                        autoremove = true;
                    }
                }
                let os = if self.cx.os.is_debian_like() {
                    self.cx.os
                } else {
                    Os::Unknown
                };
                let r = packages::debian_install(
                    &installed,
                    &sys.removed,
                    autoremove,
                    self.cx.have,
                    recommends,
                    os,
                );
                self.packages_content(r, "Debian packages", H::DebianPackageUnknown, recommends);
            }
            Tool::Apk => {
                let r = packages::alpine_install(&installed, &sys.removed, self.cx.have);
                self.packages_content(r, "Alpine packages", H::AlpinePackageUnknown, false);
            }
            _ => {
                let removed: BTreeSet<&str> = sys.removed.iter().map(String::as_str).collect();
                let kept: Vec<&String> = installed
                    .iter()
                    .filter(|p| !removed.contains(p.as_str()))
                    .collect();
                let h = H::RhelPackage.get();
                let disk: Range = kept.iter().map(|_| h.disk()).sum();
                let mut c = Content::new(
                    "/usr",
                    disk,
                    Class::Packages,
                    format!(
                        "{} ({})",
                        count(kept.len(), "package", "packages"),
                        manager_name(manager)
                    ),
                    vec![h.basis()],
                );
                c.unknown = false;
                self.out.notes.push(format!(
                    "{} installed with {}: restage has no size table for it, {} MB each on average",
                    count(kept.len(), "package", "packages"),
                    manager_name(manager),
                    mb(h.disk().estimate_bytes)
                ));
                self.add(c);
            }
        }
    }

    fn packages_content(
        &mut self,
        r: packages::PackageInstall,
        label: &str,
        unknown: H,
        recommends: bool,
    ) {
        let mut basis: Vec<Basis> = r.basis.iter().cloned().collect();
        let mut disk = r.disk;
        if !r.unknown.is_empty() {
            let h = unknown.get();
            disk += r.unknown.iter().map(|_| h.disk()).sum();
            basis.push(h.basis());
        }
        let mut what = String::from(label);
        if !r.added.is_empty() {
            what = format!(
                "{label}: {} with dependencies",
                count(r.added.len(), "package", "packages")
            );
        }
        if !r.already.is_empty() {
            self.out.notes.push(format!(
                "already in the base image (add nothing): {}",
                r.already.join(", ")
            ));
        }
        if !r.unknown.is_empty() {
            self.out.notes.push(format!(
                "not in the package table, sized at the average: {}",
                r.unknown.join(", ")
            ));
        }
        if recommends && !r.added.is_empty() {
            self.out.notes.push(
                "installed with recommended packages (no --no-install-recommends)".to_string(),
            );
        }
        self.out.packages_added.extend(r.added);
        self.add(Content::new("/usr", disk, Class::Packages, what, basis));
    }

    // ------------------------------------------------------------ Python

    /// Where a project tool that makes no virtualenv of its own (poetry
    /// with `virtualenvs.create false`, `pipenv --system`) installs: the
    /// active virtualenv (`VIRTUAL_ENV`, whose `pip` comes first on
    /// `PATH`), else the system's site-packages.
    fn active_environment(&self) -> String {
        match self.env("VIRTUAL_ENV") {
            Some(v) => self.path(v),
            None => self.site_packages(),
        }
    }

    fn site_packages(&self) -> String {
        let v = self.cx.python.clone().unwrap_or_else(|| "3".into());
        match self.cx.family {
            Family::Python => format!("/usr/local/lib/python{v}/site-packages"),
            _ => "/usr/lib/python3/dist-packages".to_string(),
        }
    }

    fn pip_cache_dir(&self) -> String {
        match self.env("PIP_CACHE_DIR") {
            Some(d) => self.path(d),
            None => format!("{}/.cache/pip", self.cx.home),
        }
    }

    /// Where `pip install` puts packages.
    fn pip_target(&self, inv: &Invocation<'_>) -> String {
        if let Some(t) = inv.flag_value(&["t", "target"]) {
            return self.path(t);
        }
        if let Some(p) = inv.flag_value(&["prefix"]) {
            return self.path(p);
        }
        if inv.has_flag(&["user"]) {
            return format!("{}/.local", self.cx.home);
        }
        let name = &inv.command.name;
        if let Some(bin) = name.strip_suffix(&format!("/{}", inv.command.base_name()))
            && let Some(venv) = bin.strip_suffix("/bin")
            && !matches!(venv, "" | "/usr" | "/usr/local")
        {
            return self.path(venv);
        }
        if let Some(v) = self.env("VIRTUAL_ENV") {
            return self.path(v);
        }
        if let Some(path) = self.env("PATH") {
            for dir in path.split(':') {
                if let Some(venv) = dir.strip_suffix("/bin")
                    && self
                        .cx
                        .ledger
                        .iter()
                        .chain(&self.out.contents)
                        .any(|c| c.tag == Tag::PythonEnv && c.paths.iter().any(|p| p == venv))
                {
                    return venv.to_string();
                }
            }
        }
        self.site_packages()
    }

    fn venv(&mut self, path: &str) {
        let h = H::Venv.get();
        self.add(
            Content::new(path, h.disk(), h.class, "virtualenv", vec![h.basis()])
                .tagged(Tag::PythonEnv),
        );
        self.out.family.get_or_insert(Family::Python);
    }

    fn pip_install(&mut self, inv: &Invocation<'_>) {
        self.out.family.get_or_insert(Family::Python);
        let mut deps: Vec<Dependency> = Vec::new();
        let mut unseen: Vec<String> = Vec::new();
        let mut index_urls: Vec<String> =
            flag_values(inv.line, &["i", "index-url", "extra-index-url"])
                .into_iter()
                .map(str::to_string)
                .collect();
        let mut used: Vec<Manifest> = Vec::new();
        for file in flag_values(inv.line, &["r", "requirement"]) {
            let file = self.expand(file);
            match self.cx.manifests.find(&file) {
                Some(m) => {
                    for part in self.cx.manifests.requirements_closure(m) {
                        deps.extend(part.dependencies.iter().cloned());
                        index_urls.extend(part.index_urls.iter().cloned());
                        used.push(part.clone());
                    }
                }
                None => unseen.push(file),
            }
        }
        let mut locked = false;
        for op in inv.operands() {
            if matches!(op, "." | "./")
                || op.starts_with("./")
                || op.starts_with('/')
                || op.starts_with(".[")
            {
                if let Some(m) = self.cx.manifests.first(ManifestKind::Pyproject) {
                    let groups: Vec<String> = op
                        .split_once('[')
                        .map(|(_, e)| {
                            e.trim_end_matches(']')
                                .split(',')
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    deps.extend(deps::selected(m, false, &groups).into_iter().cloned());
                    used.push(m.clone());
                }
                continue;
            }
            if let Ok(Some(d)) = parse_requirement(op) {
                deps.push(d);
            }
        }
        if inv.has_flag(&["e", "editable"])
            && let Some(m) = self.cx.manifests.first(ManifestKind::Pyproject)
            && !used.iter().any(|u| u.file == m.file)
        {
            deps.extend(deps::selected(m, false, &[]).into_iter().cloned());
            used.push(m.clone());
        }
        if used.iter().any(|m| m.locked) {
            locked = true;
        }
        for m in &used {
            self.uses(m);
        }
        let cpu = index_urls.iter().any(|u| u.contains("/cpu"));
        let target = self.pip_target(inv);
        let sized = deps::pip(&deps, locked, cpu, self.cx.pip_have);
        self.out.pip_added.extend(sized.known.iter().cloned());
        let mut disk = sized.disk;
        let mut download = sized.download;
        let mut basis = sized.basis.clone();
        for m in &used {
            basis.push(deps::manifest_basis(m));
        }
        let mut what = format!("pip packages: {}", sized.summary());
        if !unseen.is_empty() {
            let h = H::PipRequirementsUnseen.get();
            for _ in &unseen {
                disk += h.disk();
                download += H::PipCache.get().of(h.disk());
            }
            basis.push(h.basis());
            what = format!(
                "pip packages of {} (not provided: typical size)",
                unseen.join(", ")
            );
            if !sized.known.is_empty() || !sized.unknown.is_empty() {
                what.push_str(&format!(" and {}", sized.summary()));
            }
        }
        if disk.is_zero() && unseen.is_empty() && sized.known.is_empty() && sized.unknown.is_empty()
        {
            return;
        }
        self.add(
            Content::new(&target, disk, Class::Python, what, basis.clone()).tagged(Tag::PythonEnv),
        );
        let no_cache = inv.has_flag(&["no-cache-dir"])
            || self
                .env("PIP_NO_CACHE_DIR")
                .is_some_and(|v| !matches!(v, "0" | "false" | "no" | "off"));
        let cache = self.pip_cache_dir();
        if !no_cache && !self.cached(&cache) {
            let h = H::PipCache.get();
            self.add(
                Content::new(
                    &cache,
                    download,
                    Class::Compressed,
                    "pip cache (downloaded wheels)",
                    vec![h.basis()],
                )
                .tagged(Tag::Cache),
            );
        }
    }

    fn pip_wheel(&mut self, inv: &Invocation<'_>) {
        let dir = inv
            .flag_value(&["w", "wheel-dir", "d", "dest"])
            .map_or_else(|| self.cx.workdir.clone(), |d| self.path(d));
        let mut deps: Vec<Dependency> = Vec::new();
        for file in flag_values(inv.line, &["r", "requirement"]) {
            if let Some(m) = self.cx.manifests.find(&self.expand(file)) {
                deps.extend(m.dependencies.iter().cloned());
            }
        }
        let sized = deps::pip(&deps, false, false, &BTreeSet::new());
        let (disk, basis) = if deps.is_empty() {
            let h = H::PipRequirementsUnseen.get();
            (
                H::PipCache.get().of(h.disk()),
                vec![h.basis(), H::PipCache.get().basis()],
            )
        } else {
            (sized.download, sized.basis)
        };
        self.add(Content::new(&dir, disk, Class::Compressed, "wheels", basis));
    }

    fn uv(&mut self, inv: &Invocation<'_>, sub: &str) {
        match sub {
            "pip" if inv.operands().first().is_some_and(|o| *o == "install") => {
                self.pip_install(inv);
                // uv's own cache instead of pip's.
                let pip_cache = self.pip_cache_dir();
                self.remove_path(&pip_cache);
                self.uv_cache();
            }
            "venv" => {
                let target = inv
                    .operands()
                    .first()
                    .map_or_else(|| self.path(".venv"), |t| self.path(t));
                self.venv(&target);
            }
            "sync" => {
                let dev = !inv.has_flag(&["no-dev"]) && !inv.has_flag(&["only-group"]);
                let target = self
                    .env("UV_PROJECT_ENVIRONMENT")
                    .map_or_else(|| self.path(".venv"), |p| self.path(p));
                self.project_install(dev, &[], &target, Tool::Uv);
                self.uv_cache();
            }
            _ => {}
        }
    }

    fn uv_cache(&mut self) {
        let dir = self
            .env("UV_CACHE_DIR")
            .map_or_else(|| format!("{}/.cache/uv", self.cx.home), |d| self.path(d));
        if self.env_true("UV_NO_CACHE") || self.cached(&dir) {
            return;
        }
        let installed: Range = self
            .out
            .contents
            .iter()
            .filter(|c| c.tag == Tag::PythonEnv)
            .map(|c| c.disk)
            .sum();
        let h = H::UvCache.get();
        self.add(
            Content::new(
                &dir,
                h.of(installed),
                Class::Compressed,
                "uv cache",
                vec![h.basis()],
            )
            .tagged(Tag::Cache),
        );
    }

    fn poetry(&mut self, inv: &Invocation<'_>) {
        let only = flag_values(inv.line, &["only"]);
        let without = flag_values(inv.line, &["without"]);
        let dev = !inv.has_flag(&["no-dev"])
            && !only.iter().any(|o| o.split(',').all(|g| g == "main"))
            && !without
                .iter()
                .any(|w| w.split(',').any(|g| g == "dev" || g == "test"));
        let with: Vec<String> = flag_values(inv.line, &["with"])
            .iter()
            .flat_map(|w| w.split(','))
            .map(str::to_string)
            .collect();
        let target = if self
            .env("POETRY_VIRTUALENVS_CREATE")
            .is_some_and(|v| matches!(v, "false" | "0"))
        {
            self.active_environment()
        } else if self.env_true("POETRY_VIRTUALENVS_IN_PROJECT") {
            self.path(".venv")
        } else {
            format!("{}/.cache/pypoetry/virtualenvs", self.cx.home)
        };
        self.project_install(dev, &with, &target, Tool::Poetry);
        let cache = self.env("POETRY_CACHE_DIR").map_or_else(
            || format!("{}/.cache/pypoetry", self.cx.home),
            |d| self.path(d),
        );
        if !inv.has_flag(&["no-cache"]) && !self.cached(&cache) {
            let installed: Range = self
                .out
                .contents
                .iter()
                .filter(|c| c.tag == Tag::PythonEnv)
                .map(|c| c.disk)
                .sum();
            let h = H::PoetryCache.get();
            self.add(
                Content::new(
                    &cache,
                    h.of(installed),
                    Class::Compressed,
                    "poetry cache",
                    vec![h.basis()],
                )
                .tagged(Tag::Cache),
            );
        }
    }

    fn pipenv(&mut self, inv: &Invocation<'_>) {
        let target = if self.env_true("PIPENV_VENV_IN_PROJECT") {
            self.path(".venv")
        } else {
            self.active_environment()
        };
        let dev = inv.has_flag(&["dev", "d"]);
        self.project_install(dev, &[], &target, Tool::Pipenv);
    }

    /// Installs a Python project's dependencies from its lock file or
    /// project file: poetry.lock or pyproject.toml for poetry, uv.lock or
    /// pyproject.toml for uv, Pipfile.lock or Pipfile for pipenv.
    fn project_install(&mut self, dev: bool, groups: &[String], target: &str, tool: Tool) {
        self.out.family.get_or_insert(Family::Python);
        let tool_name = match tool {
            Tool::Poetry => "poetry",
            Tool::Pipenv => "pipenv",
            _ => "uv",
        };
        let chosen = self.cx.manifests.python_project(tool);
        let (disk, basis, what) = match chosen {
            Ok(m) => {
                self.uses(m);
                let deps: Vec<Dependency> = deps::selected(m, dev, groups)
                    .into_iter()
                    .cloned()
                    .collect();
                let sized = deps::pip(&deps, m.locked, false, self.cx.pip_have);
                self.out.pip_added.extend(sized.known.iter().cloned());
                let mut basis = sized.basis.clone();
                basis.push(deps::manifest_basis(m));
                (
                    sized.disk,
                    basis,
                    format!("{tool_name} packages: {}", sized.summary()),
                )
            }
            Err(project_file) => {
                let h = H::PipRequirementsUnseen.get();
                (
                    h.disk(),
                    vec![h.basis()],
                    format!("{tool_name} packages ({project_file} not provided: typical size)"),
                )
            }
        };
        self.add(Content::new(target, disk, Class::Python, what, basis).tagged(Tag::PythonEnv));
    }

    // ------------------------------------------------------------ Node.js

    fn node_tool(&mut self, inv: &Invocation<'_>, sub: &str) {
        let tool = inv.tool;
        let install = match tool {
            Tool::Npm => matches!(sub, "ci" | "install" | "i" | "add" | "isntall"),
            Tool::Yarn => {
                matches!(sub, "" | "install" | "add")
                    || (sub == "global" && inv.operands().first() == Some(&"add"))
            }
            Tool::Pnpm => matches!(sub, "install" | "i" | "add"),
            _ => false,
        };
        if install {
            return self.node_install(inv, sub);
        }
        let clean = match tool {
            Tool::Npm => sub == "cache" && inv.operands().first() == Some(&"clean"),
            Tool::Yarn => sub == "cache" && inv.operands().first() == Some(&"clean"),
            Tool::Pnpm => sub == "store" && inv.operands().first() == Some(&"prune"),
            _ => false,
        };
        if clean {
            let dirs: Vec<String> = self.node_cache_dirs(tool);
            for d in dirs {
                self.remove_path(&d);
            }
            return;
        }
        if sub == "prune" && (inv.has_flag(&["production", "prod", "omit"]) || tool == Tool::Pnpm) {
            let nm = self.path("node_modules");
            let mut pruned = false;
            for c in &mut self.out.contents {
                if let Tag::NodeModules { prod } = c.tag.clone()
                    && c.is_under(&nm)
                {
                    c.disk = prod;
                    c.what = "node_modules (pruned to production)".into();
                    pruned = true;
                }
            }
            if !pruned && self.cx.ledger.iter().any(|c| c.is_under(&nm)) {
                self.out.notes.push(
                    "`prune` in a later RUN cannot shrink node_modules installed by an earlier layer".into(),
                );
            }
            return;
        }
        let words: Vec<String> = std::iter::once(sub.to_string())
            .chain(inv.operands().into_iter().map(str::to_string))
            .collect();
        let is_build = match sub {
            "run" | "run-script" => words
                .get(1)
                .is_some_and(|s| s.starts_with("build") || s == "compile" || s == "dist"),
            "build" => true,
            _ => false,
        };
        if is_build {
            self.node_build(&words);
        }
    }

    fn node_cache_dirs(&self, tool: Tool) -> Vec<String> {
        let home = &self.cx.home;
        match tool {
            Tool::Npm => vec![
                self.env("npm_config_cache")
                    .or(self.env("NPM_CONFIG_CACHE"))
                    .map_or_else(|| format!("{home}/.npm"), |d| self.path(d)),
            ],
            Tool::Yarn => vec![
                self.env("YARN_CACHE_FOLDER").map_or_else(
                    || "/usr/local/share/.cache/yarn".to_string(),
                    |d| self.path(d),
                ),
                format!("{home}/.cache/yarn"),
                format!("{home}/.yarn/berry/cache"),
            ],
            Tool::Pnpm => vec![
                self.env("PNPM_STORE_DIR").map_or_else(
                    || format!("{home}/.local/share/pnpm/store"),
                    |d| self.path(d),
                ),
                "/pnpm/store".into(),
            ],
            _ => Vec::new(),
        }
    }

    fn node_install(&mut self, inv: &Invocation<'_>, sub: &str) {
        self.out.family.get_or_insert(Family::Node);
        let tool = inv.tool;
        let global = inv.has_flag(&["g", "global"]) || sub == "global";
        let omit: Vec<&str> = flag_values(inv.line, &["omit"]);
        let production_env = self.env("NODE_ENV") == Some("production");
        let include_dev_flag = flag_values(inv.line, &["include"]).contains(&"dev")
            || inv
                .line
                .args
                .iter()
                .any(|a| a == "--production=false" || a == "--prod=false");
        let prod_only = !include_dev_flag
            && (omit.contains(&"dev")
                || inv.has_flag(&["production", "prod", "only"])
                || (tool == Tool::Pnpm && inv.has_flag(&["P"]))
                || production_env);
        let operands: Vec<String> = inv
            .operands()
            .into_iter()
            .filter(|o| *o != "add" || sub != "global")
            .map(|o| strip_npm_version(o).to_string())
            .collect();
        let manifest = if global {
            None
        } else {
            self.cx.manifests.first(ManifestKind::PackageJson)
        };
        let mut deps: Vec<Dependency> = operands
            .iter()
            .map(|o| Dependency::main(o.clone(), None))
            .collect();
        if let Some(m) = manifest {
            self.uses(m);
            let extra: Vec<Dependency> = m
                .dependencies
                .iter()
                .filter(|d| !deps.iter().any(|x| x.name == d.name))
                .cloned()
                .collect();
            deps.extend(extra);
        }
        let dir = if global {
            "/usr/local/lib/node_modules".to_string()
        } else {
            self.path("node_modules")
        };
        let (disk, prod, basis, what) = if manifest.is_some() || !operands.is_empty() {
            let all: Vec<&Dependency> = deps.iter().filter(|d| !prod_only || !d.dev).collect();
            let prod_deps: Vec<&Dependency> = deps.iter().filter(|d| !d.dev).collect();
            let sized = deps::npm(&all);
            let prod = deps::npm(&prod_deps).disk;
            let mut basis = sized.basis.clone();
            if let Some(m) = manifest {
                basis.push(deps::manifest_basis(m));
            }
            let kind = if prod_only {
                "production"
            } else {
                "with devDependencies"
            };
            (
                sized.disk,
                prod,
                basis,
                format!("node_modules ({kind}): {}", sized.summary()),
            )
        } else {
            let dev = H::NodeModulesDevUnseen.get();
            let p = H::NodeModulesProdUnseen.get();
            if prod_only {
                (
                    p.disk(),
                    p.disk(),
                    vec![p.basis()],
                    "node_modules, production (package.json not provided: typical size)"
                        .to_string(),
                )
            } else {
                (
                    dev.disk(),
                    p.disk(),
                    vec![dev.basis()],
                    "node_modules with devDependencies (package.json not provided: typical size)"
                        .to_string(),
                )
            }
        };
        self.add(
            Content::new(&dir, disk, Class::NodeModules, what, basis)
                .tagged(Tag::NodeModules { prod }),
        );
        let caches = self.node_cache_dirs(tool);
        let Some(cache_dir) = caches.first().cloned() else {
            return;
        };
        let cache_flag = flag_values(inv.line, &["cache", "cache-folder", "store-dir"])
            .first()
            .map(|d| self.path(d));
        let cache_dir = cache_flag.unwrap_or(cache_dir);
        if self.cached(&cache_dir)
            || caches.iter().any(|c| self.cached(c))
            || self.present(&cache_dir)
        {
            return;
        }
        let h = match tool {
            Tool::Yarn => H::YarnCache,
            Tool::Pnpm => H::PnpmStore,
            _ => H::NpmCache,
        }
        .get();
        self.add(
            Content::new(
                &cache_dir,
                h.of(disk),
                Class::Compressed,
                format!("{} cache", tool_name(tool)),
                vec![h.basis()],
            )
            .tagged(Tag::Cache),
        );
    }

    /// A JavaScript build: what it produces depends on the framework.
    fn node_build(&mut self, words: &[String]) {
        self.out.family.get_or_insert(Family::Node);
        let manifest = self.cx.manifests.first(ManifestKind::PackageJson);
        let has = |name: &str| {
            manifest.is_some_and(|m| {
                m.dependencies
                    .iter()
                    .any(|d| d.name == name || d.name.starts_with(&format!("{name}/")))
            })
        };
        let said = |w: &str| {
            words.iter().any(|x| x == w)
                || manifest.is_some_and(|m| m.outputs.iter().any(|o| o.contains(w)))
        };
        let wd = self.cx.workdir.clone();
        if has("next") || said("next") {
            for (h, p) in [
                (H::NextStandalone, ".next/standalone"),
                (H::NextStatic, ".next/static"),
                (H::NextCache, ".next/cache"),
            ] {
                let g = h.get();
                self.add(Content::new(
                    &format!("{wd}/{p}"),
                    g.disk(),
                    g.class,
                    format!("Next.js build: {p}"),
                    vec![g.basis()],
                ));
            }
            return;
        }
        if has("react-scripts") || said("react-scripts") {
            let g = H::NodeBuildSpa.get();
            self.add(Content::new(
                &format!("{wd}/build"),
                g.disk(),
                g.class,
                "app build (build/)",
                vec![g.basis()],
            ));
            let c = H::CraCache.get();
            self.add(
                Content::new(
                    &format!("{wd}/node_modules/.cache"),
                    c.disk(),
                    c.class,
                    "react-scripts caches",
                    vec![c.basis()],
                )
                .tagged(Tag::Cache),
            );
            return;
        }
        let spa = [
            "vite",
            "@vitejs/plugin-react",
            "@angular/core",
            "@angular/cli",
            "@vue/cli-service",
            "vue",
            "react",
            "svelte",
            "parcel",
            "gatsby",
            "astro",
            "webpack",
        ]
        .iter()
        .any(|n| has(n))
            || ["vite", "ng", "parcel", "webpack", "gatsby", "astro"]
                .iter()
                .any(|w| said(w));
        let api = !spa
            && (["typescript", "@nestjs/core", "express", "fastify", "koa"]
                .iter()
                .any(|n| has(n))
                || said("tsc")
                || said("nest"));
        let (h, what) = if spa {
            (H::NodeBuildSpa, "app build (dist/)")
        } else if api {
            (H::NodeBuildApi, "compiled output (dist/)")
        } else {
            (H::NodeBuild, "build output")
        };
        let g = h.get();
        let mut c = Content::new(
            &format!("{wd}/dist"),
            g.disk(),
            g.class,
            what,
            vec![g.basis()],
        )
        .also_at(&format!("{wd}/build"))
        .also_at(&format!("{wd}/out"));
        if has("@angular/core") {
            c = c.also_at(&format!("{wd}/dist/*/browser"));
        }
        self.add(c);
    }

    // ------------------------------------------------------------ Go

    fn go(&mut self, inv: &Invocation<'_>, sub: &str) {
        self.out.family.get_or_insert(Family::Go);
        let gopath = self.env("GOPATH").map_or_else(
            || {
                if self.cx.family == Family::Go {
                    "/go".to_string()
                } else {
                    format!("{}/go", self.cx.home)
                }
            },
            str::to_string,
        );
        let modcache = self
            .env("GOMODCACHE")
            .map_or_else(|| format!("{gopath}/pkg/mod"), |d| self.path(d));
        let gocache = self.env("GOCACHE").map_or_else(
            || format!("{}/.cache/go-build", self.cx.home),
            |d| self.path(d),
        );
        let gomod = self.cx.manifests.first(ManifestKind::GoMod);
        match sub {
            "build" | "install" => {
                self.go_binary(inv, sub, &gopath, gomod);
                let tool_install =
                    sub == "install" && inv.operands().iter().any(|o| o.contains('@'));
                self.go_modules(&modcache, gomod, tool_install);
                if !self.cached(&gocache)
                    && self.env("GOCACHE") != Some("off")
                    && !self.present(&gocache)
                {
                    let h = H::GoBuildCache.get();
                    self.add(
                        Content::new(
                            &gocache,
                            h.disk(),
                            h.class,
                            "Go build cache",
                            vec![h.basis()],
                        )
                        .tagged(Tag::Cache),
                    );
                }
            }
            "mod" if matches!(inv.operands().first(), Some(&"download") | Some(&"tidy")) => {
                self.go_modules(&modcache, gomod, false);
            }
            "get" => self.go_modules(&modcache, gomod, false),
            "clean" => {
                if inv.has_flag(&["cache"]) {
                    self.remove_path(&gocache);
                }
                if inv.has_flag(&["modcache"]) {
                    self.remove_path(&modcache);
                }
            }
            _ => {}
        }
    }

    fn go_binary(
        &mut self,
        inv: &Invocation<'_>,
        sub: &str,
        gopath: &str,
        gomod: Option<&Manifest>,
    ) {
        let name_guess = || {
            inv.operands()
                .into_iter()
                .rfind(|o| !o.ends_with(".go") && *o != "." && *o != "./...")
                .map(|o| base_name(o.split('@').next().unwrap_or(o)).to_string())
                .or_else(|| {
                    gomod
                        .and_then(|m| m.name.as_deref())
                        .map(|n| base_name(n).to_string())
                })
                .unwrap_or_else(|| "*".to_string())
        };
        let path = match (sub, inv.flag_value(&["o"])) {
            ("build", Some(o)) => {
                let p = self.path(o);
                if o.ends_with('/') {
                    format!("{p}/{}", name_guess())
                } else {
                    p
                }
            }
            ("build", None) => format!("{}/{}", self.cx.workdir, name_guess()),
            _ => {
                let bin = self
                    .env("GOBIN")
                    .map_or_else(|| format!("{gopath}/bin"), str::to_string);
                format!("{bin}/{}", name_guess())
            }
        };
        let mut disk = deps::go_binary(if sub == "build" { gomod } else { None });
        let mut basis = vec![H::GoBinary.get().basis()];
        if let Some(m) = gomod.filter(|_| sub == "build") {
            basis.push(deps::manifest_basis(m));
            self.uses(m);
        }
        let ldflags = go_flag(inv, "ldflags").unwrap_or_default().to_string()
            + " "
            + self.env("GOFLAGS").unwrap_or_default();
        let stripped = ldflags.split([' ', '\'', '"', '=']).any(|w| w == "-s")
            && ldflags.split([' ', '\'', '"', '=']).any(|w| w == "-w");
        let mut what = "Go binary".to_string();
        if stripped {
            let s = H::GoStrip.get();
            disk = s.of(disk);
            basis.push(s.basis());
            what.push_str(" (-s -w)");
        }
        self.add(Content::new(&path, disk, Class::Binary, what, basis));
    }

    fn go_modules(&mut self, modcache: &str, gomod: Option<&Manifest>, tool: bool) {
        if self.cached(modcache) || self.present(modcache) {
            return;
        }
        if self
            .cx
            .ledger
            .iter()
            .any(|c| c.is_under(&format!("{}/vendor", self.cx.workdir)))
        {
            return;
        }
        let (disk, basis, what) = match gomod.filter(|_| !tool) {
            Some(m) if m.dependencies.is_empty() => {
                self.uses(m);
                (
                    Range::ZERO,
                    vec![deps::manifest_basis(m)],
                    "Go module cache (no requirements)".to_string(),
                )
            }
            Some(m) => {
                self.uses(m);
                let sized = deps::go_modules(m);
                (
                    sized.disk,
                    sized.basis.clone(),
                    format!("Go module cache: {}", sized.summary()),
                )
            }
            None => {
                let h = H::GoModCacheUnseen.get();
                (
                    h.disk(),
                    vec![h.basis()],
                    "Go module cache (go.mod not provided: typical size)".to_string(),
                )
            }
        };
        self.add(Content::new(modcache, disk, Class::Text, what, basis).tagged(Tag::Cache));
    }

    // ------------------------------------------------------------ Rust

    fn cargo(&mut self, inv: &Invocation<'_>, sub: &str) {
        self.out.family.get_or_insert(Family::Rust);
        let cargo_home = self.env("CARGO_HOME").map_or_else(
            || {
                if self.cx.family == Family::Rust {
                    "/usr/local/cargo".to_string()
                } else {
                    format!("{}/.cargo", self.cx.home)
                }
            },
            |d| self.path(d),
        );
        let registry = format!("{cargo_home}/registry");
        let manifest = self.cx.manifests.first(ManifestKind::CargoToml);
        let fetch_registry = |st: &mut Self| {
            if st.cached(&registry) || st.present(&registry) {
                return;
            }
            let (disk, basis, what) = match manifest {
                Some(m) => {
                    st.uses(m);
                    let names: Vec<String> = m
                        .dependencies
                        .iter()
                        .filter(|d| !d.dev)
                        .map(|d| d.name.clone())
                        .collect();
                    let sized =
                        deps::table(Table::Crate, &names, H::CrateUnknown, &BTreeSet::new());
                    let mut b = sized.basis.clone();
                    b.push(deps::manifest_basis(m));
                    (
                        sized.disk,
                        b,
                        format!("cargo registry: {}", sized.summary()),
                    )
                }
                None => {
                    let h = H::CargoRegistryUnseen.get();
                    (
                        h.disk(),
                        vec![h.basis()],
                        "cargo registry (Cargo.toml not provided: typical size)".to_string(),
                    )
                }
            };
            st.add(Content::new(&registry, disk, Class::Text, what, basis).tagged(Tag::Cache));
        };
        match sub {
            "build" | "b" => {
                let release =
                    inv.has_flag(&["release", "r"]) || inv.flag_value(&["profile"]).is_some();
                let profile = inv
                    .flag_value(&["profile"])
                    .map_or(if release { "release" } else { "debug" }, |p| p);
                let target_dir = inv
                    .flag_value(&["target-dir"])
                    .or(self.env("CARGO_TARGET_DIR"))
                    .map_or_else(|| self.path("target"), |d| self.path(d));
                let triple = inv.flag_value(&["target"]).map(str::to_string);
                let out_dir = match &triple {
                    Some(t) => format!("{target_dir}/{t}/{profile}"),
                    None => format!("{target_dir}/{profile}"),
                };
                let names: Vec<String> = match (inv.flag_value(&["bin"]), manifest) {
                    (Some(b), _) => vec![b.to_string()],
                    (None, Some(m)) if !m.outputs.is_empty() => m.outputs.clone(),
                    _ => vec!["*".to_string()],
                };
                let h = H::RustBinary.get();
                let factor = if release { 1.0 } else { 4.0 };
                for n in &names {
                    self.add(Content::new(
                        &format!("{out_dir}/{n}"),
                        h.disk().scale(factor),
                        Class::Binary,
                        format!("Rust binary {n}"),
                        vec![h.basis()],
                    ));
                }
                if !self.cached(&target_dir) {
                    let t = H::RustTarget.get();
                    let factor = if release { 1.0 } else { 1.5 };
                    self.add(
                        Content::new(
                            &target_dir,
                            t.disk().scale(factor),
                            t.class,
                            "cargo target directory",
                            vec![t.basis()],
                        )
                        .tagged(Tag::Cache),
                    );
                }
                fetch_registry(self);
            }
            "install" => {
                let name = inv.operands().first().map_or("*", |n| *n).to_string();
                let h = H::RustBinary.get();
                self.add(Content::new(
                    &format!("{cargo_home}/bin/{name}"),
                    h.disk(),
                    Class::Binary,
                    format!("Rust binary {name}"),
                    vec![h.basis()],
                ));
                if !self.cached(&registry) && !self.present(&registry) {
                    let r = H::CargoRegistryUnseen.get();
                    self.add(
                        Content::new(
                            &registry,
                            r.disk(),
                            Class::Text,
                            "cargo registry",
                            vec![r.basis()],
                        )
                        .tagged(Tag::Cache),
                    );
                }
            }
            "fetch" => fetch_registry(self),
            "clean" => {
                let t = self.path("target");
                self.remove_path(&t);
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ JVM

    fn maven(&mut self, inv: &Invocation<'_>) {
        self.out.family.get_or_insert(Family::Java);
        let goals: Vec<&str> = inv.positional();
        let packages = goals.iter().any(|g| {
            matches!(
                *g,
                "package" | "install" | "verify" | "deploy" | "spring-boot:repackage"
            )
        });
        let compiles = packages || goals.iter().any(|g| matches!(*g, "compile" | "test"));
        let resolves = compiles || goals.iter().any(|g| g.starts_with("dependency:"));
        let repo = inv
            .line
            .args
            .iter()
            .find_map(|a| a.strip_prefix("-Dmaven.repo.local="))
            .map_or_else(
                || format!("{}/.m2/repository", self.cx.home),
                |d| self.path(d),
            );
        let pom = self.cx.manifests.first(ManifestKind::PomXml);
        let runtime_deps = |m: &Manifest| -> Vec<String> {
            m.dependencies
                .iter()
                .filter(|d| !d.dev && !d.optional)
                .map(|d| d.name.clone())
                .collect()
        };
        if resolves
            && !self.cached(&format!("{}/.m2", self.cx.home))
            && !self.cached(&repo)
            && !self.present(&repo)
        {
            let (disk, basis, what) = match pom {
                Some(m) => {
                    self.uses(m);
                    let names: Vec<String> =
                        m.dependencies.iter().map(|d| d.name.clone()).collect();
                    let sized = deps::table(
                        Table::Maven,
                        &names,
                        H::MavenArtifactUnknown,
                        &BTreeSet::new(),
                    );
                    let plugins = H::MavenPlugins.get();
                    let mut b = sized.basis.clone();
                    b.push(plugins.basis());
                    b.push(deps::manifest_basis(m));
                    (
                        sized.disk + plugins.disk(),
                        b,
                        format!("Maven repository: {} and build plugins", sized.summary()),
                    )
                }
                None => {
                    let h = H::MavenRepoUnseen.get();
                    (
                        h.disk(),
                        vec![h.basis()],
                        "Maven repository (pom.xml not provided: typical size)".to_string(),
                    )
                }
            };
            self.add(Content::new(&repo, disk, Class::Compressed, what, basis).tagged(Tag::Cache));
        }
        if packages {
            let wd = self.cx.workdir.clone();
            let (disk, basis) = match pom {
                Some(m) => {
                    let sized = deps::table(
                        Table::Maven,
                        &runtime_deps(m),
                        H::MavenArtifactUnknown,
                        &BTreeSet::new(),
                    );
                    let mut b = sized.basis.clone();
                    b.push(deps::manifest_basis(m));
                    (sized.disk + Range::mb(0.05, 1.0, 20.0), b)
                }
                None => (H::JavaJar.disk(), vec![H::JavaJar.get().basis()]),
            };
            self.add(Content::new(
                &format!("{wd}/target/*.jar"),
                disk,
                Class::Compressed,
                "application jar",
                basis,
            ));
        }
        if compiles {
            let h = H::JavaBuildDir.get();
            let wd = self.cx.workdir.clone();
            self.add(Content::new(
                &format!("{wd}/target/classes"),
                h.disk(),
                h.class,
                "target/ (classes, reports)",
                vec![h.basis()],
            ));
        }
    }

    fn gradle(&mut self, inv: &Invocation<'_>) {
        self.out.family.get_or_insert(Family::Java);
        let tasks: Vec<&str> = inv.positional();
        let packages = tasks.iter().any(|t| {
            let t = t.rsplit(':').next().unwrap_or(t);
            matches!(
                t,
                "build"
                    | "bootJar"
                    | "jar"
                    | "assemble"
                    | "shadowJar"
                    | "installDist"
                    | "distTar"
                    | "bootDistTar"
            )
        });
        let home = self
            .env("GRADLE_USER_HOME")
            .map_or_else(|| format!("{}/.gradle", self.cx.home), |d| self.path(d));
        if self.cached(&home) || self.present(&format!("{home}/caches")) {
        } else {
            let h = H::GradleHome.get();
            self.add(
                Content::new(
                    &format!("{home}/caches"),
                    h.disk(),
                    h.class,
                    "Gradle caches",
                    vec![h.basis()],
                )
                .tagged(Tag::Cache),
            );
        }
        if inv.command.base_name() == "gradlew"
            && !self.cached(&home)
            && !self.present(&format!("{home}/wrapper"))
        {
            let h = H::GradleWrapper.get();
            self.add(
                Content::new(
                    &format!("{home}/wrapper"),
                    h.disk(),
                    h.class,
                    "Gradle distribution (wrapper)",
                    vec![h.basis()],
                )
                .tagged(Tag::Cache),
            );
        }
        if packages {
            let wd = self.cx.workdir.clone();
            let j = H::JavaJar.get();
            self.add(Content::new(
                &format!("{wd}/build/libs/*.jar"),
                j.disk(),
                j.class,
                "application jar",
                vec![j.basis()],
            ));
            let b = H::JavaBuildDir.get();
            self.add(Content::new(
                &format!("{wd}/build/classes"),
                b.disk(),
                b.class,
                "build/ (classes, reports)",
                vec![b.basis()],
            ));
        }
    }

    // ------------------------------------------------------------ .NET

    fn dotnet(&mut self, inv: &Invocation<'_>, sub: &str) {
        self.out.family.get_or_insert(Family::Dotnet);
        let nuget = self.env("NUGET_PACKAGES").map_or_else(
            || format!("{}/.nuget/packages", self.cx.home),
            |d| self.path(d),
        );
        let restores = matches!(sub, "restore" | "build" | "publish" | "test" | "pack")
            && !(sub != "restore" && inv.has_flag(&["no-restore"]));
        if restores && !self.cached(&nuget) && !self.present(&nuget) {
            let h = H::NugetPackages.get();
            self.add(
                Content::new(&nuget, h.disk(), h.class, "NuGet packages", vec![h.basis()])
                    .tagged(Tag::Cache),
            );
        }
        if !matches!(sub, "build" | "publish") {
            return;
        }
        let wd = self.cx.workdir.clone();
        let args = inv.line.args.join(" ").to_ascii_lowercase();
        let aot = args.contains("publishaot=true");
        let self_contained = (inv.has_flag(&["self-contained", "sc"])
            && !args.contains("self-contained false")
            && !args.contains("self-contained=false"))
            || args.contains("selfcontained=true");
        if sub == "publish" {
            let h = if aot {
                H::DotnetPublishAot
            } else if self_contained {
                H::DotnetPublishSelfContained
            } else {
                H::DotnetPublish
            }
            .get();
            let out = inv
                .flag_value(&["o", "output"])
                .map_or_else(|| format!("{wd}/bin/Release/*/publish"), |o| self.path(o));
            let c = Content::new(
                &out,
                h.disk(),
                h.class,
                "dotnet publish output",
                vec![h.basis()],
            )
            .also_at(&format!("{wd}/bin/Release/*/*/publish"));
            self.add(c);
        }
        let b = H::DotnetBuildDir.get();
        self.add(
            Content::new(
                &format!("{wd}/obj"),
                b.disk(),
                b.class,
                "bin/ and obj/",
                vec![b.basis()],
            )
            .also_at(&format!("{wd}/bin/Debug")),
        );
    }

    // ------------------------------------------------------------ Ruby, PHP

    fn bundle(&mut self, inv: &Invocation<'_>) {
        self.out.family.get_or_insert(Family::Ruby);
        let path = self
            .env("BUNDLE_PATH")
            .or(self.env("GEM_HOME"))
            .map_or_else(|| "/usr/local/bundle".to_string(), |d| self.path(d));
        let mut without: Vec<String> = self
            .env("BUNDLE_WITHOUT")
            .unwrap_or_default()
            .split([':', ' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        without.extend(
            flag_values(inv.line, &["without"])
                .iter()
                .flat_map(|w| w.split([':', ' ', ',']))
                .map(str::to_string),
        );
        for c in self.cx.run.commands() {
            if c.base_name() == "bundle" && c.args.iter().any(|a| a == "without") {
                without.extend(
                    c.args
                        .iter()
                        .skip_while(|a| *a != "without")
                        .skip(1)
                        .flat_map(|w| w.split([':', ' ', ',']))
                        .map(|s| s.trim_matches(['\'', '"']).to_string()),
                );
            }
        }
        let gemfile = self.cx.manifests.first(ManifestKind::Gemfile);
        let (disk, basis, what) = match gemfile {
            Some(m) => {
                self.uses(m);
                let names: Vec<String> = m
                    .dependencies
                    .iter()
                    .filter(|d| !d.group.as_ref().is_some_and(|g| without.contains(g)))
                    .map(|d| d.name.clone())
                    .collect();
                let sized = deps::table(Table::Gem, &names, H::GemUnknown, &BTreeSet::new());
                let mut b = sized.basis.clone();
                b.push(deps::manifest_basis(m));
                (sized.disk, b, format!("gems: {}", sized.summary()))
            }
            None => {
                let h = H::BundleUnseen.get();
                (
                    h.disk(),
                    vec![h.basis()],
                    "gems (Gemfile not provided: typical size)".to_string(),
                )
            }
        };
        self.add(Content::new(&path, disk, Class::Mixed, what, basis));
        let cache = format!("{path}/ruby/*/cache");
        if !self.cached(&path) {
            let h = H::GemCache.get();
            self.add(
                Content::new(
                    &cache,
                    h.of(disk),
                    Class::Compressed,
                    "bundler .gem cache",
                    vec![h.basis()],
                )
                .also_at(&format!("{path}/cache"))
                .tagged(Tag::Cache),
            );
        }
    }

    fn gem(&mut self, inv: &Invocation<'_>) {
        self.out.family.get_or_insert(Family::Ruby);
        let names: Vec<String> = inv.operands().iter().map(|s| s.to_string()).collect();
        let sized = deps::table(Table::Gem, &names, H::GemUnknown, &BTreeSet::new());
        let path = self
            .env("GEM_HOME")
            .map_or_else(|| "/usr/local/bundle".to_string(), |d| self.path(d));
        self.add(Content::new(
            &path,
            sized.disk,
            Class::Mixed,
            format!("gems: {}", sized.summary()),
            sized.basis.clone(),
        ));
    }

    fn composer(&mut self, inv: &Invocation<'_>, sub: &str) {
        self.out.family.get_or_insert(Family::Php);
        if matches!(sub, "clear-cache" | "clearcache" | "cc") {
            let dir = self.composer_cache();
            self.remove_path(&dir);
            return;
        }
        if !matches!(sub, "install" | "update" | "require" | "i" | "u") {
            return;
        }
        let dev =
            !inv.has_flag(&["no-dev"]) && self.env("COMPOSER_NO_DEV").is_none_or(|v| v == "0");
        let manifest = self.cx.manifests.first(ManifestKind::ComposerJson);
        let vendor = self
            .env("COMPOSER_VENDOR_DIR")
            .map_or_else(|| self.path("vendor"), |d| self.path(d));
        let (disk, download, basis, what) = match manifest {
            Some(m) => {
                self.uses(m);
                let mut names: Vec<String> = deps::selected(m, dev, &[])
                    .iter()
                    .map(|d| d.name.clone())
                    .collect();
                names.extend(
                    inv.operands()
                        .iter()
                        .map(|s| s.split(':').next().unwrap_or(s).to_string()),
                );
                let sized = deps::table(
                    Table::Composer,
                    &names,
                    H::ComposerUnknown,
                    &BTreeSet::new(),
                );
                let mut b = sized.basis.clone();
                b.push(deps::manifest_basis(m));
                (
                    sized.disk,
                    sized.download,
                    b,
                    format!("vendor/: {}", sized.summary()),
                )
            }
            None => {
                let h = H::ComposerUnseen.get();
                (
                    h.disk(),
                    h.disk().scale(0.5),
                    vec![h.basis()],
                    "vendor/ (composer.json not provided: typical size)".to_string(),
                )
            }
        };
        self.add(Content::new(&vendor, disk, Class::Text, what, basis));
        let cache = self.composer_cache();
        if !self.cached(&cache)
            && self.env("COMPOSER_CACHE_DIR") != Some("/dev/null")
            && !self.present(&cache)
        {
            let h = H::ComposerCache.get();
            let _ = download;
            self.add(
                Content::new(
                    &cache,
                    h.of(disk),
                    Class::Compressed,
                    "Composer cache",
                    vec![h.basis()],
                )
                .tagged(Tag::Cache),
            );
        }
    }

    fn composer_cache(&self) -> String {
        if let Some(d) = self.env("COMPOSER_CACHE_DIR") {
            return self.path(d);
        }
        match self.env("COMPOSER_HOME") {
            Some(h) => format!("{}/cache", self.path(h)),
            None => format!("{}/.cache/composer", self.cx.home),
        }
    }

    // ------------------------------------------------------------ builds and downloads

    fn c_build(&mut self, cmd: &SimpleCommand) {
        let install = cmd.args.iter().any(|a| a == "install" || a == "--install");
        if install {
            let h = H::MakeInstall.get();
            self.add(Content::new(
                "/usr/local",
                h.disk(),
                h.class,
                "files installed by `make install`",
                vec![h.basis()],
            ));
            return;
        }
        if cmd.args.iter().any(|a| a == "clean" || a == "--version") || self.c_build {
            return;
        }
        self.c_build = true;
        let h = H::CBuild.get();
        let wd = self.cx.workdir.clone();
        self.add(Content::new(
            &format!("{wd}/*"),
            h.disk(),
            h.class,
            "build output in the source tree",
            vec![h.basis()],
        ));
    }

    fn git_clone(&mut self, cmd: &SimpleCommand) {
        let positional: Vec<&String> = cmd
            .args
            .iter()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let Some(url) = positional.first() else {
            return;
        };
        let dir = positional.get(1).map_or_else(
            || base_name(url).trim_end_matches(".git").to_string(),
            |d| d.to_string(),
        );
        let h = H::GitClone.get();
        let shallow = cmd.args.iter().any(|a| a.starts_with("--depth"));
        let disk = if shallow {
            h.disk().scale(0.5)
        } else {
            h.disk()
        };
        let p = self.path(&dir);
        self.add(Content::new(
            &p,
            disk,
            h.class,
            format!("git clone of {url}"),
            vec![h.basis()],
        ));
    }

    fn download(
        &mut self,
        inv: &Invocation<'_>,
        cmd: &SimpleCommand,
        next: Option<&SimpleCommand>,
    ) {
        let piped_to = next.filter(|n| cmd.piped && n.piped && n.pipeline == cmd.pipeline);
        if let Some(n) = piped_to {
            let shell = matches!(
                n.base_name(),
                "sh" | "bash" | "zsh" | "dash" | "python" | "python3" | "sudo"
            );
            if shell {
                let h = H::Installer.get();
                self.add(Content::new(
                    "/usr/local",
                    h.disk(),
                    h.class,
                    "what an installer script installs",
                    vec![h.basis()],
                ));
                self.out.notes.push(
                    "an install script piped to a shell: restage cannot see what it installs"
                        .into(),
                );
                return;
            }
            if matches!(
                n.base_name(),
                "tar" | "unzip" | "bsdtar" | "gunzip" | "funzip"
            ) {
                let dir = flag_values(n, &["C", "directory"])
                    .first()
                    .map_or_else(|| self.cx.workdir.clone(), |d| self.path(d));
                let d = H::Download.get();
                let x = H::ArchiveExtract.get();
                self.add(Content::new(
                    &dir,
                    x.of(d.disk()),
                    x.class,
                    "unpacked download",
                    vec![d.basis(), x.basis()],
                ));
                return;
            }
            return;
        }
        let out = match inv.tool {
            Tool::Curl => inv
                .flag_value(&["o", "output"])
                .map(str::to_string)
                .or_else(|| {
                    inv.has_flag(&["O", "remote-name"])
                        .then(|| {
                            inv.operands()
                                .into_iter()
                                .find(|u| u.contains("://"))
                                .map(|u| base_name(u).to_string())
                        })
                        .flatten()
                }),
            _ => inv
                .flag_value(&["O", "output-document"])
                .map(str::to_string)
                .or_else(|| {
                    inv.positional()
                        .into_iter()
                        .find(|u| u.contains("://"))
                        .map(|u| {
                            let dir = inv.flag_value(&["P", "directory-prefix"]).unwrap_or(".");
                            format!("{dir}/{}", base_name(u))
                        })
                }),
        };
        let Some(out) = out.filter(|o| o != "-" && o != "/dev/null") else {
            return;
        };
        let h = H::Download.get();
        let p = self.path(&out);
        self.add(
            Content::new(
                &p,
                h.disk(),
                h.class,
                format!("download {}", base_name(&p)),
                vec![h.basis()],
            )
            .tagged(Tag::Download),
        );
    }

    fn extract(&mut self, cmd: &SimpleCommand) {
        let is_extract = cmd.base_name() == "unzip"
            || cmd
                .args
                .first()
                .is_some_and(|a| !a.starts_with("--") && a.trim_start_matches('-').contains('x'))
            || cmd.has_flag(&["x", "extract"]);
        if !is_extract {
            return;
        }
        let file = if cmd.base_name() == "unzip" {
            cmd.args.iter().find(|a| !a.starts_with('-')).cloned()
        } else {
            flag_values(cmd, &["f", "file"])
                .first()
                .map(|s| s.to_string())
                .or_else(|| {
                    cmd.args
                        .iter()
                        .find(|a| looks_like_file(a) && !a.starts_with('-'))
                        .cloned()
                })
        };
        let Some(file) = file else { return };
        let path = self.path(&file);
        let Some(dl) = self
            .out
            .contents
            .iter()
            .find(|c| c.tag == Tag::Download && c.paths.iter().any(|p| under(p, &path)))
        else {
            return;
        };
        let disk = dl.disk;
        let dir = if cmd.base_name() == "unzip" {
            flag_values(cmd, &["d"])
                .first()
                .map_or_else(|| self.cx.workdir.clone(), |d| self.path(d))
        } else {
            flag_values(cmd, &["C", "directory"])
                .first()
                .map_or_else(|| self.cx.workdir.clone(), |d| self.path(d))
        };
        let x = H::ArchiveExtract.get();
        self.add(Content::new(
            &dir,
            x.of(disk),
            x.class,
            format!("unpacked {}", base_name(&path)),
            vec![x.basis()],
        ));
    }
}

/// `express@4` → `express`, `@nestjs/cli@10` → `@nestjs/cli`.
fn strip_npm_version(spec: &str) -> &str {
    match spec.strip_prefix('@') {
        Some(rest) => match rest.find('@') {
            Some(i) => spec.get(..i + 1).unwrap_or(spec),
            None => spec,
        },
        None => spec.split('@').next().unwrap_or(spec),
    }
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn cmd_words(cmd: &SimpleCommand) -> Vec<String> {
    std::iter::once(cmd.base_name().to_string())
        .chain(cmd.args.iter().cloned())
        .collect()
}

fn tool_name(tool: Tool) -> &'static str {
    match tool {
        Tool::Yarn => "yarn",
        Tool::Pnpm => "pnpm store",
        _ => "npm",
    }
}

fn manager_name(tool: Tool) -> &'static str {
    match tool {
        Tool::Dnf => "dnf",
        Tool::Yum => "yum",
        Tool::Microdnf => "microdnf",
        Tool::Zypper => "zypper",
        _ => "the package manager",
    }
}
