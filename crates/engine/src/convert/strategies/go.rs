//! Go: the builder compiles one binary; the runtime stage gets only that
//! binary — on distroless static (or `scratch`) when it is static, on
//! distroless base (glibc) when it needs cgo.
//!
//! What the container runs besides the binary decides what else it needs:
//! a `HEALTHCHECK` that needs a shell or curl/wget moves `auto` to a
//! runtime with a shell (Debian slim, Alpine for an Alpine builder), and
//! on a shell-less runtime asked for it is left out with a warning
//! ([`HealthNeeds`]). Runtime setup `RUN`s stay in a runtime with a shell;
//! without one, the `VOLUME` and working directories they prepare are
//! copied from the builder with their owner (`crate::convert::setup`), and
//! the rest is left out with a change-log entry. A cgo binary keeps the C
//! library of its builder: glibc is never put on Alpine, nor musl on
//! Debian or distroless.

use super::common::{
    add, command_words, exec_form, is_runtime_behaviour, keep, keep_quiet, named_chown_lines,
    trim_after_last_run, user_items, workdir_item,
};
use super::cpp::is_script;
use super::shell_command::ShellStart;
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::health::HealthNeeds;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::{CommandKind, CopyCommand};
use crate::knowledge::packages::Distro;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction, join_workdir};

/// The strategy.
pub struct Go;

/// Paths a Go program commonly reads at run time.
const ASSET_DIRS: &[&str] = &[
    "templates",
    "static",
    "public",
    "assets",
    "web",
    "migrations",
    "config",
    "configs",
    "views",
    "i18n",
    "locales",
    "www",
    "ui",
    "dist",
];

/// How the binary is built.
struct Build<'a> {
    /// The `RUN` that builds it.
    instruction: &'a Instruction,
    /// Where the binary ends up (absolute); a directory (ending in `/`)
    /// when `go install` builds a package pattern (`./...`) and no command
    /// names one of its binaries.
    artifact: String,
    /// Where the runtime stage puts it: the same path, or `/usr/local/bin`
    /// for `go install`'s bin directory, which is not on the runtime
    /// image's `PATH`.
    runtime: String,
    /// A rewrite of the `RUN` (adds `-o` or `CGO_ENABLED=0`).
    rewrite: Option<String>,
    /// A new `RUN` when the source only had `go run` in `CMD`.
    added: Option<String>,
    /// The `go run PKG` the start command's shell script runs, which the
    /// built binary replaces there.
    go_run_in_script: Option<String>,
    /// Other `go` commands of that script (`go mod download`), which the
    /// runtime image cannot run: they are dropped from it (`go build`
    /// fetches the modules itself).
    go_steps_in_script: Vec<String>,
    /// How many words after `go` a `go run` start command spans
    /// (`run`, its flags and its package).
    go_run_words: usize,
}

/// Where the binary built for a `go run` start command goes.
const GO_RUN_BINARY: &str = "/out/app";

/// Where the runtime stage puts what `go install` writes to `bin_dir`.
const RUNTIME_BIN: &str = "/usr/local/bin";

/// The directory `go install` writes binaries to: `GOBIN`, or `GOPATH/bin`
/// (`/go/bin` in the golang image).
fn install_dir(cx: &ConvertContext<'_>) -> String {
    let env = |key: &str| {
        cx.stage
            .env
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim_matches('"').trim_end_matches('/').to_string())
            .filter(|v| v.starts_with('/') && !v.contains('$'))
    };
    env("GOBIN").unwrap_or_else(|| format!("{}/bin", env("GOPATH").unwrap_or_else(|| "/go".into())))
}

/// The binary the image's command runs from `bin_dir`: its first word,
/// bare (found on `PATH`) or under `bin_dir`.
fn named_binary(cx: &ConvertContext<'_>, bin_dir: &str) -> Option<String> {
    let i = cx
        .last(Keyword::Entrypoint)
        .or_else(|| cx.last(Keyword::Cmd))?;
    let (words, _) = command_words(cx, i);
    let first = words.first()?;
    let name = match first.strip_prefix(&format!("{bin_dir}/")) {
        Some(rest) => rest,
        None => first.as_str(),
    };
    (!name.is_empty() && !name.contains(['/', '$']) && !is_script(name)).then(|| name.to_string())
}

/// The builder path and runtime path of what `go install` builds:
/// `bin_dir/name` to `/usr/local/bin/name` (on every runtime image's
/// `PATH`; `/go/bin` is not); the whole `bin_dir` for a package pattern
/// (`./...`) whose binary no command names.
fn install_paths(cx: &ConvertContext<'_>, operand: Option<&str>, dir: &str) -> (String, String) {
    let bin_dir = install_dir(cx);
    let runtime_of = |name: &str| {
        if super::cpp::PATH_DIRS.contains(&bin_dir.as_str()) {
            format!("{bin_dir}/{name}")
        } else {
            format!("{RUNTIME_BIN}/{name}")
        }
    };
    let pattern = operand.is_some_and(|p| p.contains("..."));
    let name = if pattern {
        named_binary(cx, &bin_dir)
    } else {
        Some(
            operand
                .map(|p| base_name(p.split('@').next().unwrap_or(p)))
                .unwrap_or_else(|| base_name(dir)),
        )
    };
    match name {
        Some(name) => (format!("{bin_dir}/{name}"), runtime_of(&name)),
        None => (format!("{bin_dir}/"), runtime_of("")),
    }
}

fn workdir_before(i: &Instruction) -> String {
    i.context.workdir.as_deref().unwrap_or("/go").to_string()
}

fn base_name(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_string()
}

/// Finds the `go build`/`go install`, or plans one for `CMD go run`.
fn find_build<'a>(cx: &ConvertContext<'a>, cgo_off_needed: bool) -> Option<Build<'a>> {
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        for c in run.commands() {
            let Some(inv) = recognise(c).filter(|inv| inv.tool == Tool::Go) else {
                continue;
            };
            let sub = inv.subcommand().unwrap_or_default().to_string();
            if sub != "build" && sub != "install" {
                continue;
            }
            let dir = workdir_before(i);
            let text = cx
                .node(i)
                .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                .unwrap_or_default();
            let mut rewrite = None;
            let mut runtime = None;
            let artifact = if sub == "install" {
                let operand = inv.operands().first().copied();
                let (artifact, moved) = install_paths(cx, operand, &dir);
                runtime = Some(moved);
                artifact
            } else {
                match inv.flag_value(&["o"]) {
                    Some(out) if !out.ends_with('/') => join_workdir(Some(&dir), out),
                    Some(out) => join_workdir(Some(&dir), &format!("{out}app")),
                    None => {
                        let out = "/out/app".to_string();
                        rewrite = Some(text.replacen("go build", &format!("go build -o {out}"), 1));
                        out
                    }
                }
            };
            if cgo_off_needed {
                let base = rewrite.clone().unwrap_or_else(|| text.clone());
                rewrite = Some(
                    base.replacen("go build", "CGO_ENABLED=0 go build", 1)
                        .replacen("go install", "CGO_ENABLED=0 go install", 1),
                );
            }
            return Some(Build {
                instruction: i,
                runtime: runtime.unwrap_or_else(|| artifact.clone()),
                artifact,
                rewrite,
                added: None,
                go_run_in_script: None,
                go_steps_in_script: Vec::new(),
                go_run_words: 0,
            });
        }
    }
    // `CMD go run .` with no build: build it.
    let prefix = if cgo_off_needed { "CGO_ENABLED=0 " } else { "" };
    let go_run = |instruction: &'a Instruction, run: GoRun, steps: Option<Vec<String>>| Build {
        instruction,
        artifact: GO_RUN_BINARY.into(),
        runtime: GO_RUN_BINARY.into(),
        rewrite: None,
        added: Some(format!(
            "RUN {prefix}go build -o {GO_RUN_BINARY} {}",
            run.build_args
                .iter()
                .map(|a| super::node_support::quote_word(a))
                .collect::<Vec<_>>()
                .join(" ")
        )),
        go_run_in_script: steps.is_some().then(|| run.phrase()),
        go_steps_in_script: steps.unwrap_or_default(),
        go_run_words: run.words,
    };
    let cmd = cx
        .last(Keyword::Cmd)
        .or_else(|| cx.last(Keyword::Entrypoint))?;
    let (words, _) = command_words(cx, cmd);
    if words.first().map(String::as_str) == Some("go")
        && words.get(1).map(String::as_str) == Some("run")
    {
        return Some(go_run(cmd, GoRun::read(words.get(2..)?)?, None));
    }
    // `sh -c "go run ./cmd/server --port $PORT"`: the script runs the
    // built binary instead.
    let shell = super::shell_command::of_stage(cx)?;
    let programs = shell.programs();
    let is_run = |c: &SimpleCommand| c.args.first().map(String::as_str) == Some("run");
    let steps: Vec<String> = programs
        .iter()
        .filter(|c| c.base_name() == "go" && !is_run(c))
        .map(|c| format!("go {}", c.args.join(" ")))
        .collect();
    programs.iter().find_map(|c| {
        if c.base_name() != "go" || !is_run(c) {
            return None;
        }
        Some(go_run(
            shell.instruction,
            GoRun::read(c.args.get(1..)?)?,
            Some(steps.clone()),
        ))
    })
}

/// The start command's text with its script's `go run` replaced by the
/// built binary and its other `go` steps dropped, or `None` when one of
/// them is not written the way restage can replace it.
fn script_without_go(build: &Build<'_>, text: &str) -> Option<String> {
    let phrase = build.go_run_in_script.as_ref()?;
    let mut out = super::cpp::replace_word(text, phrase, &build.runtime)
        .or_else(|| replace_go_run_span(text, phrase, &build.runtime))?;
    for step in &build.go_steps_in_script {
        out = [" && ", "; ", ";"].iter().find_map(|sep| {
            let written = format!("{step}{sep}");
            out.contains(&written)
                .then(|| out.replacen(&written, "", 1))
        })?;
    }
    Some(out)
}

/// `text` with the span from `go run` to the package `phrase` ends with
/// replaced by `binary`: for flags the script quotes (`go run -ldflags
/// '-s -w' .`), which the unquoted phrase does not match as written.
fn replace_go_run_span(text: &str, phrase: &str, binary: &str) -> Option<String> {
    let package = phrase.rsplit(' ').next()?;
    let start = text.find("go run ")?;
    let before = text.get(..start)?.chars().last();
    if before
        .is_some_and(|c| !(c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|' | '(')))
    {
        return None;
    }
    let rest = text.get(start..)?;
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|' | ')'))
    };
    let end = rest.match_indices(package).find_map(|(at, _)| {
        let preceded = rest.get(..at)?.chars().last();
        let followed = rest.get(at + package.len()..)?.chars().next();
        (preceded.is_some_and(|c| c.is_whitespace() || matches!(c, '\'' | '"'))
            && boundary(followed))
        .then_some(start + at + package.len())
    })?;
    // Only the go run command: no operator between it and the package.
    if text.get(start..end)?.contains(['&', ';', '|', '\n']) {
        return None;
    }
    Some(format!(
        "{}{binary}{}",
        text.get(..start)?,
        text.get(end..)?
    ))
}

/// `go build` flags that take a value as the next word (`-tags prod`).
const GO_VALUE_FLAGS: &[&str] = &[
    "-C",
    "-p",
    "-asmflags",
    "-buildmode",
    "-buildvcs",
    "-compiler",
    "-gccgoflags",
    "-gcflags",
    "-installsuffix",
    "-ldflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-tags",
    "-toolexec",
];

/// `go build` flags without a value.
const GO_BOOL_FLAGS: &[&str] = &[
    "-a",
    "-n",
    "-race",
    "-msan",
    "-asan",
    "-cover",
    "-v",
    "-work",
    "-x",
    "-trimpath",
    "-linkshared",
];

/// What a `go run` builds: its build flags and package (or `.go` files),
/// read from the words after `run`.
struct GoRun {
    /// The flags and the package or files, for `go build`.
    build_args: Vec<String>,
    /// How many words after `go` the `run` and `build_args` span, so that
    /// the program's own arguments follow.
    words: usize,
}

impl GoRun {
    /// The `go run` words after `run`; `None` for a flag restage does not
    /// know (`-exec` runs the program through another).
    fn read(after_run: &[String]) -> Option<Self> {
        let mut build_args = Vec::new();
        let mut at = 0;
        while let Some(w) = after_run.get(at).filter(|w| w.starts_with('-')) {
            let name = w.split('=').next().unwrap_or(w);
            let name = name
                .strip_prefix('-')
                .filter(|n| n.starts_with('-'))
                .unwrap_or(name);
            build_args.push(w.clone());
            at += 1;
            if GO_VALUE_FLAGS.contains(&name) && !w.contains('=') {
                build_args.push(after_run.get(at)?.clone());
                at += 1;
            } else if !GO_VALUE_FLAGS.contains(&name) && !GO_BOOL_FLAGS.contains(&name) {
                return None;
            }
        }
        let files = after_run
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|w| w.ends_with(".go"))
            .count();
        let rest = after_run.get(at..).unwrap_or_default();
        let package = match (files, rest.first()) {
            (0, Some(p)) => {
                build_args.push(p.clone());
                1
            }
            (0, None) => {
                build_args.push(".".into());
                0
            }
            (n, _) => {
                build_args.extend(rest.iter().take(n).cloned());
                n
            }
        };
        Some(Self {
            words: 1 + at + package,
            build_args,
        })
    }

    /// The command as a script writes it (`go run -tags prod ./cmd/server`).
    fn phrase(&self) -> String {
        let args = self.build_args.join(" ");
        format!("go run {args}")
    }
}

/// Whether the build needs cgo: `CGO_ENABLED=1`, or a C toolchain or C
/// libraries installed.
fn needs_cgo(cx: &ConvertContext<'_>) -> (bool, bool) {
    let mut on = false;
    let mut off = false;
    let mut values: Vec<String> = Vec::new();
    for i in cx.instructions() {
        if let Some(CommandKind::Env(pairs)) = i.kind() {
            for kv in pairs {
                if kv.key == "CGO_ENABLED" {
                    values.push(kv.value.trim_matches('"').to_string());
                }
            }
        }
        if let Some(run) = &i.run {
            for c in run.commands() {
                for (k, v) in &c.assignments {
                    if k == "CGO_ENABLED" {
                        values.push(v.clone());
                    }
                }
                if c.is("export") {
                    for a in &c.args {
                        if let Some(v) = a.strip_prefix("CGO_ENABLED=") {
                            values.push(v.to_string());
                        }
                    }
                }
            }
        }
        if let Some(system) = classify_run(i).system
            && system.installed.iter().any(|p| {
                let n = crate::knowledge::packages::package_name(p);
                crate::knowledge::packages::is_dev(n)
                    || matches!(
                        n,
                        "gcc"
                            | "g++"
                            | "build-essential"
                            | "build-base"
                            | "musl-dev"
                            | "libc-dev"
                            | "libc6-dev"
                    )
            })
        {
            on = true;
        }
    }
    for v in &values {
        match v.as_str() {
            "0" => off = true,
            "1" => on = true,
            _ => {}
        }
    }
    (on && !off, off)
}

impl Strategy for Go {
    fn name(&self) -> &'static str {
        "go-binary"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Go
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        if let BaseImage::Image { reference, .. } = &cx.stage.base
            && ImageText::parse(reference).short_name() == "golang"
        {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is Go", cx.stage.base_text),
            );
        }
        for (i, c) in cx.copies() {
            if c.sources
                .iter()
                .any(|s| base_name(s) == "go.mod" || base_name(s) == "go.sum")
            {
                d.add(5, i.start_line, "copies go.mod");
            }
        }
        let mut builds = false;
        for (i, inv) in cx.uses(Tool::Go) {
            match inv.subcommand() {
                Some("build" | "install") if !builds => {
                    builds = true;
                    d.add(10, i.start_line, "builds with `go build`");
                }
                Some("mod") => d.add(3, i.start_line, "downloads modules"),
                _ => {}
            }
        }
        if let Some(cmd) = cx
            .last(Keyword::Cmd)
            .or_else(|| cx.last(Keyword::Entrypoint))
        {
            let (words, _) = command_words(cx, cmd);
            let in_script = || {
                super::shell_command::of_stage(cx).is_some_and(|s| {
                    s.programs().iter().any(|c| {
                        c.base_name() == "go" && c.args.first().map(String::as_str) == Some("run")
                    })
                })
            };
            if words.first().map(String::as_str) == Some("go")
                && words.get(1).map(String::as_str) == Some("run")
                || in_script()
            {
                builds = true;
                d.add(10, cmd.start_line, "runs the program with `go run`");
            }
        }
        (builds && d.score >= 15).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let eco = Some(Ecosystem::Go);
        let builder_image = match &cx.stage.base {
            BaseImage::Image { reference, .. } => ImageText::parse(reference),
            _ => {
                return Err(Refusal::new(
                    eco,
                    "the build stage does not start from an image",
                ));
            }
        };
        let (cgo, cgo_off) = needs_cgo(cx);
        let mut plan = Plan::new(Ecosystem::Go, self.name(), Confidence::High);
        let static_build = !cgo;
        let make_static = static_build && !cgo_off && builder_image.distro() != Distro::Alpine;
        let build = find_build(cx, make_static).ok_or_else(|| Refusal::new(eco, "no `go build`, `go install` or `go run` was found, so restage cannot tell which binary to ship"))?;
        if let Some(phrase) = &build.go_run_in_script {
            let text = super::jvm_support::node_text(cx, build.instruction);
            if script_without_go(&build, &text).is_none() {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "line {}: the start command's script runs {} in a way restage cannot rewrite for a runtime image without Go; build the binary with `go build -o` in a RUN and start that",
                        build.instruction.start_line,
                        build
                            .go_steps_in_script
                            .iter()
                            .chain([phrase])
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                ));
            }
        }
        if make_static {
            plan.assumptions.push("The binary is built with CGO_ENABLED=0 so that it is static and runs on distroless static/scratch; Go then uses its pure-Go DNS resolver and user lookup. If the program needs cgo, set CGO_ENABLED=1 and use --runtime slim.".into());
        }
        let codename = match builder_image.distro() {
            Distro::Bookworm => "12",
            _ => "13",
        };
        let slim_distro = if codename == "12" {
            Distro::Bookworm
        } else {
            Distro::Trixie
        };
        let musl_builder = builder_image.distro() == Distro::Alpine;
        // A cgo binary links the C library of the image it is built on.
        let preference = if cgo {
            cgo_preference(cx, musl_builder, &mut plan)?
        } else {
            cx.options.runtime
        };
        // C libraries beyond libc (from `-dev` packages) must be installed in
        // the runtime image, which distroless cannot do.
        let libraries = if cgo {
            let target = match preference {
                RuntimePreference::Alpine => Distro::Alpine,
                _ => slim_distro,
            };
            super::common::runtime_package_list(cx, builder_image.distro(), target)
        } else {
            None
        };
        let preference = match (preference, &libraries) {
            (RuntimePreference::Auto, Some(_)) => {
                plan.assumptions.push("The build installs C development packages, so the binary is taken to link their libraries, and the runtime stage is Debian slim where they can be installed (distroless base has only glibc). If they are linked statically, `--runtime distroless` makes a smaller image.".into());
                RuntimePreference::Slim
            }
            (RuntimePreference::Distroless, Some(_)) => {
                plan.warnings.push("the binary links C libraries besides libc that distroless base does not have; use --runtime slim".into());
                plan.confidence = Confidence::Low;
                RuntimePreference::Distroless
            }
            (p, _) => p,
        };
        let artifact_dir_on_path = super::cpp::PATH_DIRS
            .iter()
            .any(|d| format!("{d}/{}", base_name(&build.runtime)) == build.runtime);
        let is_app = |word: &str| {
            word == build.runtime
                || moved_word(&build, word).is_some()
                || (artifact_dir_on_path
                    && !word.contains('/')
                    && (word == base_name(&build.runtime) || build.runtime.ends_with('/')))
                || (!word.starts_with('/')
                    && cx.final_workdir().is_some_and(|w| {
                        crate::model::join_workdir(Some(&w), word) == build.runtime
                    }))
        };
        let health = HealthNeeds::of(cx, &is_app);
        let preference = health_preference(
            preference,
            health.as_ref(),
            (musl_builder, &build.runtime),
            &mut plan,
        );
        let script = launch_script(cx);
        let preference = script_preference(preference, script.as_ref(), musl_builder, &mut plan)?;
        let start_shell = super::shell_command::of_stage(cx);
        let preference = shell_preference(
            preference,
            start_shell.as_ref(),
            (musl_builder, &build.runtime),
            &mut plan,
        )?;
        let (runtime_image, shell, distro, existing_user) = match (preference, static_build) {
            (RuntimePreference::Scratch, true) => {
                ("scratch".to_string(), false, Distro::Bookworm, None)
            }
            (RuntimePreference::Scratch, false) => {
                return Err(Refusal::new(
                    eco,
                    "the binary needs cgo (it links the C library), so it cannot run on scratch; use --runtime distroless or slim",
                ));
            }
            (RuntimePreference::Auto | RuntimePreference::Distroless, true) => (
                "gcr.io/distroless/static-debian12:nonroot".to_string(),
                false,
                Distro::Bookworm,
                Some("nonroot:nonroot"),
            ),
            (RuntimePreference::Auto | RuntimePreference::Distroless, false) => (
                format!("gcr.io/distroless/base-debian{codename}:nonroot"),
                false,
                Distro::Bookworm,
                Some("nonroot:nonroot"),
            ),
            (RuntimePreference::Alpine, _) => {
                ("alpine:3.20".to_string(), true, Distro::Alpine, None)
            }
            (RuntimePreference::Slim, _) => {
                let code = if codename == "12" {
                    "bookworm"
                } else {
                    "trixie"
                };
                (format!("debian:{code}-slim"), true, slim_distro, None)
            }
        };

        // Runtime setup cannot run without a shell: the directories it
        // prepares are made in the builder and copied with their owner.
        let prepared = if shell {
            Vec::new()
        } else {
            crate::convert::setup::prepared_dirs(cx)
        };
        if shell && distro == Distro::Alpine && !musl_builder {
            refuse_debian_setup(cx)?;
        }

        // Builder: everything but runtime behaviour and runtime setup.
        let mut builder = Vec::new();
        let chown_lines = named_chown_lines(cx);
        for i in cx.instructions() {
            if is_runtime_behaviour(i.keyword) && i.keyword != Keyword::Env
                || i.keyword == Keyword::User
            {
                continue;
            }
            if i.keyword == Keyword::Run && classify_run(i).setup_only {
                if prepared.iter().any(|d| d.node == i.node) {
                    builder.push(keep(
                        i,
                        ChangeKind::Move,
                        "Directory setup runs in the builder stage",
                        "the runtime image has no shell to run it; the directories it prepares are copied into the runtime stage with their owner",
                    ));
                } else if let Some(line) = chown_needing_users(i, &chown_lines) {
                    builder.push(Item::Keep {
                        node: i.node,
                        change: Some(ChangeSpec::new(
                            ChangeKind::Keep,
                            "The user is created in the builder stage too",
                            format!("line {line} copies files with `--chown` to a user or group by name, which must exist in the stage"),
                            vec![i.start_line, line],
                        )),
                    });
                }
                continue;
            }
            if std::ptr::eq(i, build.instruction) && i.keyword == Keyword::Run {
                match &build.rewrite {
                    Some(text) => builder.push(Item::Rewrite {
                        node: i.node,
                        text: text.clone(),
                        change: ChangeSpec::new(ChangeKind::Rewrite, format!("The build writes the binary to `{}`", build.artifact), if make_static { "CGO_ENABLED=0 makes a static binary; a fixed output path lets the runtime stage copy it" } else { "a fixed output path lets the runtime stage copy it" }, vec![i.start_line]),
                    }),
                    None => builder.push(keep(i, ChangeKind::Move, "The build runs in the builder stage", "the Go toolchain stays out of the final image")),
                }
                continue;
            }
            builder.push(keep_quiet(i));
        }
        if let Some(text) = &build.added {
            builder.push(add(
                text.clone(),
                ChangeKind::Add,
                "The program is compiled once in the builder",
                "`go run` compiles at every start and needs the whole toolchain at run time",
                vec![build.instruction.start_line],
            ));
            if !build.go_steps_in_script.is_empty() {
                plan.notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    format!(
                        "The start command no longer runs {}",
                        build
                            .go_steps_in_script
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    "the runtime image has no Go toolchain, and `go build` in the builder fetches the modules itself",
                    vec![build.instruction.start_line],
                ));
            }
        }
        trim_after_last_run(cx, &mut builder);
        // Root (kept for a start command that needs it) writes to the
        // VOLUME directories Docker creates.
        let volumes = if shell || super::common::kept_root(cx).is_some() {
            Vec::new()
        } else {
            unprepared_volumes(cx, &prepared)
        };
        if !volumes.is_empty() {
            builder.push(add(
                format!("RUN mkdir -p {}", volumes.join(" ")),
                ChangeKind::Add,
                "Volume directories are made in the builder",
                "the runtime image has no shell; they are copied into it owned by the user the container now runs as",
                volume_lines(cx),
            ));
        }

        // Runtime: the binary, assets the program reads, runtime behaviour.
        let mut runtime = Vec::new();
        if shell {
            // One install: the C libraries the binary links (if any), CA
            // certificates and time zones, which slim and Alpine both lack.
            let mut packages: Vec<String> = Vec::new();
            let mut lines = Vec::new();
            let mut summary = String::from("CA certificates and time zones");
            let mut reason = String::from(
                "the runtime image has neither; TLS clients and time zone lookups need them",
            );
            if let Some(libs) = &libraries {
                packages.extend(libs.packages.iter().cloned());
                lines.extend(libs.lines.iter().copied());
                summary = format!(
                    "Runtime packages: {}, CA certificates and time zones",
                    libs.packages.join(", ")
                );
                reason = format!("{}; and {reason}", libs.reason);
            }
            for p in ["ca-certificates", "tzdata"] {
                if !packages.iter().any(|q| q == p) {
                    packages.push(p.into());
                }
            }
            if let Some(h) = &health {
                for client in health_clients(h, distro) {
                    if !packages.contains(&client) {
                        summary.push_str(&format!(", {client}"));
                        reason.push_str(&format!(
                            "; line {} runs `{client}`, which the runtime image does not have",
                            h.line
                        ));
                        lines.push(h.line);
                        packages.push(client);
                    }
                }
            }
            runtime.push(add(
                super::common::install_command(distro, &packages, cx.escape()),
                if libraries.is_some() {
                    ChangeKind::RuntimeLibrary
                } else {
                    ChangeKind::Add
                },
                summary,
                reason,
                lines,
            ));
        }
        if runtime_image == "scratch" {
            runtime.push(add(
                "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
                ChangeKind::CopyArtifact,
                "CA certificates from the builder",
                "scratch is empty; TLS clients need the CA bundle",
                Vec::new(),
            ));
            runtime.push(add(
                "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo",
                ChangeKind::CopyArtifact,
                "Time zone data from the builder",
                "scratch is empty; time.LoadLocation needs it",
                Vec::new(),
            ));
        }
        let workdir = cx.final_workdir();
        if let Some(dir) = &workdir {
            runtime.push(workdir_item(dir));
        }
        runtime.push(artifact_copy(&build));
        let mut whole_context = false;
        for (i, copy) in cx.copies() {
            if cx.copies_everything(i) {
                whole_context = true;
                continue;
            }
            if let Some(item) = asset_copy(cx, i, copy, script.as_ref()) {
                runtime.push(item);
            }
        }
        let mut from_builder: Vec<(String, &str)> = Vec::new();
        if let Some(s) = script.as_ref().filter(|s| !s.from_context) {
            from_builder.push((
                s.path.clone(),
                "the image starts with this script; it came with the build context",
            ));
        }
        let artifact_words = [build.artifact.clone(), build.runtime.clone()];
        for path in super::cpp::named_context_files(cx, &artifact_words) {
            if !from_builder.iter().any(|(p, _)| *p == path) {
                from_builder.push((
                    path,
                    "the command line names it; it came with the build context",
                ));
            }
        }
        for (path, why) in from_builder {
            runtime.push(add(
                format!("COPY --from=builder {path} {path}"),
                ChangeKind::CopyArtifact,
                format!("`{}` is copied", base_name(&path)),
                why,
                vec![build.instruction.start_line],
            ));
        }
        if whole_context {
            plan.assumptions.push("Only the binary (and recognised asset directories) is copied into the runtime stage. If the program reads other files of the source tree at run time, copy them too, or embed them with `//go:embed`.".into());
            plan.confidence = Confidence::Medium;
        }
        let artifact = build.runtime.clone();
        let go_run = build.added.is_some();
        let mut rewrites_failed = Vec::new();
        let rewrite = |i: &Instruction| -> Option<String> {
            if !matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                return None;
            }
            // A script keeps its shell; a moved binary is renamed inside it.
            if let Some(s) = start_shell
                .as_ref()
                .filter(|s| s.instruction.node == i.node)
            {
                let text = super::jvm_support::node_text(cx, i);
                if build.go_run_in_script.is_some() {
                    return script_without_go(&build, &text);
                }
                return s.rewrite(&text, &|w| moved_word(&build, w));
            }
            let (words, shell_form) = command_words(cx, i);
            let keyword = if i.keyword == Keyword::Cmd {
                "CMD"
            } else {
                "ENTRYPOINT"
            };
            let moved: Vec<String> = words
                .iter()
                .map(|w| moved_word(&build, w).unwrap_or_else(|| w.clone()))
                .collect();
            let words: Vec<String> = if go_run && words.first().map(String::as_str) == Some("go") {
                std::iter::once(artifact.clone())
                    .chain(words.into_iter().skip(1 + build.go_run_words))
                    .collect()
            } else if shell_form && !shell || moved != words {
                moved
            } else {
                return None;
            };
            exec_form(&words).map(|json| format!("{keyword} {json}"))
        };
        let mut behaviour = super::common::runtime_behaviour(cx, &rewrite);
        if !shell && let Some(h) = &health {
            behaviour.retain(|item| !matches!(item, Item::Keep { node, .. } if *node == h.node));
            plan.notes.push(h.drop_note(&runtime_image));
            plan.warnings
                .push(h.drop_warning(&runtime_image, Some(&build.runtime)));
        }
        for i in cx
            .instructions()
            .filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        {
            let (words, shell_form) = command_words(cx, i);
            if shell_form && !shell && exec_form(&words).is_none() {
                rewrites_failed.push(i.start_line);
            }
        }
        if let Some(line) = rewrites_failed.first() {
            return Err(Refusal::new(
                eco,
                format!(
                    "line {line}: the command uses shell features, and the runtime image has no shell; use --runtime alpine or slim"
                ),
            ));
        }
        let users = ImageUsers::of(&runtime_image, shell, distro);
        let (user, run_as) = user_items(cx, existing_user, users);
        let mut setup = if shell {
            setup_keeps(cx, &build.runtime, &mut plan)
        } else {
            setup_copies(cx, &prepared, users, &run_as, &runtime_image, &mut plan)
        };
        let line = volume_lines(cx).first().copied().unwrap_or_default();
        for v in &volumes {
            // Ordered just before the `VOLUME` (merge_in_order places an
            // item before the first later line).
            setup.push((
                line.saturating_sub(1),
                add(
                    format!("COPY --from=builder --chown={run_as} {v} {v}"),
                    ChangeKind::CopyArtifact,
                    format!("The volume directory `{v}` is owned by `{run_as}`"),
                    "the source ran as root; the container now runs as a non-root user, and Docker would create a missing VOLUME directory owned by root, where it could not write",
                    vec![line],
                ),
            ));
        }
        setup.sort_by_key(|(l, _)| *l);
        runtime.extend(merge_in_order(cx, behaviour, setup));
        // The user goes before CMD/ENTRYPOINT.
        let at = runtime
            .iter()
            .position(|item| matches!(item, Item::Keep { node, .. } | Item::Rewrite { node, .. } if cx.doc.nodes.get(*node).is_some_and(|n| matches!(n.kind, Keyword::Cmd | Keyword::Entrypoint))))
            .unwrap_or(runtime.len());
        for (k, item) in user.into_iter().enumerate() {
            runtime.insert(at + k, item);
        }
        plan.stages.push(StagePlan {
            name: "builder".into(),
            from: StageFrom::Source,
            from_change: Some(ChangeSpec::new(
                ChangeKind::RenameStage,
                "The original stage becomes the builder",
                "it keeps the Go toolchain to compile",
                vec![cx.stage.line],
            )),
            items: builder,
        });
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image { image: runtime_image.clone(), platform: None },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{runtime_image}`"),
                match (static_build, shell) {
                    (true, false) => "a static Go binary needs nothing but CA certificates and time zones (distroless static is about 2 MB)",
                    (true, true) => "a static Go binary needs no toolchain; this image adds a shell and the packages installed below for what the container runs besides the binary",
                    (false, _) => "the binary links glibc; distroless base has glibc and OpenSSL and nothing else",
                },
                vec![cx.stage.line],
            )),
            items: runtime,
        });
        Ok(plan)
    }
}

/// The `VOLUME` directories no setup prepared, when the source ran as
/// root and the runtime stage runs as a user restage picks.
fn unprepared_volumes(
    cx: &ConvertContext<'_>,
    prepared: &[crate::convert::setup::PreparedDir],
) -> Vec<String> {
    let root = cx
        .final_user()
        .is_none_or(|u| crate::convert::user::is_root(&u));
    if !root || cx.options.user.is_some() {
        return Vec::new();
    }
    super::common::volume_paths(cx)
        .into_iter()
        .filter(|v| v != "/" && !prepared.iter().any(|d| d.path == v.trim_end_matches('/')))
        .collect()
}

/// The lines of the stage's `VOLUME`s.
fn volume_lines(cx: &ConvertContext<'_>) -> Vec<usize> {
    cx.with_keyword(Keyword::Volume)
        .map(|i| i.start_line)
        .collect()
}

/// A script the image starts with (`ENTRYPOINT ["./docker-entrypoint.sh"]`).
struct Script {
    /// Its absolute path in the image.
    path: String,
    /// Its line.
    line: usize,
    /// Whether a `COPY` of the build context names it (the runtime stage
    /// copies it from the context as the source did; otherwise it came
    /// with the whole context and is copied from the builder).
    from_context: bool,
}

/// The script the last `ENTRYPOINT` (or `CMD`, without one) starts.
fn launch_script(cx: &ConvertContext<'_>) -> Option<Script> {
    let i = cx
        .last(Keyword::Entrypoint)
        .or_else(|| cx.last(Keyword::Cmd))?;
    let (words, _) = command_words(cx, i);
    let first = words.first()?;
    let name = base_name(first);
    if !is_script(&name) || first.contains('$') || super::cpp::is_system_program(&name) {
        return None;
    }
    let from_context = cx.copies().any(|(c, _)| {
        !cx.copies_everything(c) && cx.copy_sources(c).iter().any(|s| base_name(s) == name)
    });
    Some(Script {
        path: join_workdir(cx.final_workdir().as_deref(), first),
        line: i.start_line,
        from_context,
    })
}

/// The runtime `auto` moves to when the container needs a shell: the
/// builder's family with one (Alpine for a musl builder, else Debian slim),
/// and its name for the assumption.
fn runtime_with_a_shell(musl_builder: bool) -> (RuntimePreference, &'static str) {
    if musl_builder {
        (RuntimePreference::Alpine, "Alpine")
    } else {
        (RuntimePreference::Slim, "Debian slim")
    }
}

/// The runtime preference when the image starts with a script: it needs a
/// shell, so `auto` moves to the builder's family with one (Debian slim,
/// Alpine for an Alpine builder); distroless and scratch are refused.
fn script_preference(
    preference: RuntimePreference,
    script: Option<&Script>,
    musl_builder: bool,
    plan: &mut Plan,
) -> Result<RuntimePreference, Refusal> {
    let Some(s) = script else {
        return Ok(preference);
    };
    match preference {
        RuntimePreference::Auto => {
            let (chosen, name) = runtime_with_a_shell(musl_builder);
            plan.assumptions.push(format!("The runtime stage is {name}, not distroless: line {}: the container starts with the script `{}`, which needs a shell; the script is copied into the runtime stage. If it only runs the binary, start the binary directly and convert with --runtime distroless", s.line, s.path));
            Ok(chosen)
        }
        RuntimePreference::Distroless | RuntimePreference::Scratch => Err(Refusal::new(
            Some(Ecosystem::Go),
            format!(
                "line {}: the container starts with the script `{}`, which needs a shell, and the runtime image has none; use --runtime slim or alpine, or start the binary directly",
                s.line, s.path
            ),
        )),
        p => Ok(p),
    }
}

/// The runtime preference when the command runs a shell (`sh -c`, or a
/// shell-form command with shell features): `auto` moves to the builder's
/// family with one (Debian slim, Alpine for an Alpine builder), and the
/// assumption says how to get distroless; distroless and scratch are
/// refused.
fn shell_preference(
    preference: RuntimePreference,
    start: Option<&ShellStart<'_>>,
    (musl_builder, artifact): (bool, &str),
    plan: &mut Plan,
) -> Result<RuntimePreference, Refusal> {
    let Some(s) = start else {
        return Ok(preference);
    };
    match preference {
        RuntimePreference::Auto => {
            let (chosen, name) = runtime_with_a_shell(musl_builder);
            plan.assumptions.push(format!("The runtime stage is {name}, not distroless: {}, and distroless has none. For a distroless image, start the binary in exec form with the values instead of variables (`CMD [\"{artifact}\", \"…\"]`) and convert with --runtime distroless", s.describe()));
            Ok(chosen)
        }
        RuntimePreference::Distroless | RuntimePreference::Scratch => {
            let image = if preference == RuntimePreference::Scratch {
                "scratch"
            } else {
                "distroless"
            };
            Err(Refusal::new(
                Some(Ecosystem::Go),
                s.refusal(image, "use --runtime auto"),
            ))
        }
        p => Ok(p),
    }
}

/// The line of a later `COPY`/`ADD --chown` of the stage that names a user
/// or group (`chown_lines`, from [`named_chown_lines`]), when `i` creates
/// users or groups: BuildKit resolves the name in the stage's /etc/passwd
/// and fails without it.
fn chown_needing_users(i: &Instruction, chown_lines: &[usize]) -> Option<usize> {
    let creates = i.run.as_ref()?.commands().any(|c| {
        matches!(
            c.base_name(),
            "useradd" | "adduser" | "groupadd" | "addgroup"
        )
    });
    if !creates {
        return None;
    }
    let later = chown_lines.partition_point(|&line| line <= i.start_line);
    chown_lines.get(later).copied()
}

/// The runtime `COPY` of the binary (or of `go install`'s bin directory).
fn artifact_copy(build: &Build<'_>) -> Item {
    let (summary, reason) = if build.artifact.ends_with('/') {
        (
            format!(
                "The binaries `go install` wrote to `{}` are copied to `{}`",
                build.artifact, build.runtime
            ),
            "a package pattern builds one binary per main package and no command names one; the directory is on the runtime image's PATH",
        )
    } else if build.artifact != build.runtime {
        (
            format!(
                "Only the binary `{}` is copied, to `{}`",
                build.artifact, build.runtime
            ),
            "a Go binary needs no toolchain, source or module cache to run; `go install`'s bin directory is not on the runtime image's PATH",
        )
    } else {
        (
            format!("Only the binary `{}` is copied", build.artifact),
            "a Go binary needs no toolchain, source or module cache to run",
        )
    };
    add(
        format!("COPY --from=builder {} {}", build.artifact, build.runtime),
        ChangeKind::CopyArtifact,
        summary,
        reason,
        vec![build.instruction.start_line],
    )
}

/// A command word naming the binary where the builder had it, rewritten
/// to where the runtime stage has it (`/go/bin/app` → `/usr/local/bin/app`).
fn moved_word(build: &Build<'_>, word: &str) -> Option<String> {
    if build.artifact == build.runtime {
        return None;
    }
    if word == build.artifact {
        return Some(build.runtime.clone());
    }
    let name = word.strip_prefix(build.artifact.as_str())?;
    (build.artifact.ends_with('/') && !name.is_empty() && !name.contains('/'))
        .then(|| format!("{}{name}", build.runtime))
}

/// The runtime preference for a cgo binary, which links the C library of
/// the builder: glibc on Debian, musl on Alpine. The runtime image must
/// have the same one, so a preference for the other family is refused,
/// and `auto` on an Alpine builder is Alpine.
fn cgo_preference(
    cx: &ConvertContext<'_>,
    musl_builder: bool,
    plan: &mut Plan,
) -> Result<RuntimePreference, Refusal> {
    let base = &cx.stage.base_text;
    match (cx.options.runtime, musl_builder) {
        (RuntimePreference::Auto, true) => {
            plan.assumptions.push(format!("The binary is built with cgo on `{base}` and links musl, so the runtime stage is Alpine, which has the same C library"));
            Ok(RuntimePreference::Alpine)
        }
        (RuntimePreference::Slim | RuntimePreference::Distroless, true) => Err(Refusal::new(
            Some(Ecosystem::Go),
            format!(
                "the binary is built with cgo on `{base}` (Alpine) and links musl; Debian slim and distroless are glibc images, where it does not run. Use --runtime alpine, or build with CGO_ENABLED=0"
            ),
        )),
        (RuntimePreference::Alpine, false) => Err(Refusal::new(
            Some(Ecosystem::Go),
            format!(
                "the binary is built with cgo on `{base}` (Debian) and links glibc; Alpine uses musl, where it does not run. Build from the `-alpine` golang image (with Alpine packages) and convert again, or use --runtime slim or distroless"
            ),
        )),
        (p, _) => Ok(p),
    }
}

/// The runtime preference once the `HEALTHCHECK` is known: `auto` would
/// pick distroless, which has no shell and no HTTP client, so a check
/// that needs a shell or curl/wget moves the runtime to the builder's
/// family with a shell (Debian slim, or Alpine for an Alpine builder),
/// where the check runs as before; the assumption says how to get
/// distroless instead. An explicit preference is kept (a shell-less one
/// then leaves the check out, see [`HealthNeeds::drop_warning`]).
fn health_preference(
    preference: RuntimePreference,
    health: Option<&HealthNeeds>,
    (musl_builder, artifact): (bool, &str),
    plan: &mut Plan,
) -> RuntimePreference {
    let Some(h) = health.filter(|h| {
        preference == RuntimePreference::Auto
            && (h.shell || !h.clients.is_empty())
            && h.runs_with_a_shell()
    }) else {
        return preference;
    };
    let (chosen, name) = if musl_builder {
        (RuntimePreference::Alpine, "Alpine")
    } else {
        (RuntimePreference::Slim, "Debian slim")
    };
    plan.assumptions.push(format!(
        "The runtime stage is {name}, not distroless: line {}: the HEALTHCHECK {}, and distroless has neither a shell nor an HTTP client. For a distroless image, give the program a health-check mode and write the check in exec form (`HEALTHCHECK CMD [\"{artifact}\", \"healthcheck\"]`) or leave health checks to the orchestrator, then convert with --runtime distroless",
        h.line,
        h.describe()
    ));
    chosen
}

/// The HTTP clients a check runs that the runtime image lacks and a
/// package install adds (Alpine's BusyBox has `wget`).
fn health_clients(h: &HealthNeeds, distro: Distro) -> Vec<String> {
    h.clients
        .iter()
        .filter(|c| !(distro == Distro::Alpine && c.as_str() == "wget"))
        .cloned()
        .collect()
}

/// A refusal when runtime setup uses Debian commands (`useradd`) and the
/// runtime image is Alpine, which does not have them.
fn refuse_debian_setup(cx: &ConvertContext<'_>) -> Result<(), Refusal> {
    for i in super::common::setup_runs(cx) {
        if let Some(command) = crate::convert::alpine::debian_only_command(i) {
            return Err(Refusal::new(
                Some(Ecosystem::Go),
                format!(
                    "line {} runs `{command}` to set up the runtime, and Alpine does not have it (BusyBox has `adduser` and `addgroup`, with other options); use --runtime slim or distroless, or write the step for Alpine and convert again",
                    i.start_line
                ),
            ));
        }
    }
    Ok(())
}

/// Runtime setup `RUN`s kept in a runtime stage with a shell, with their
/// lines: users, directories and permissions the program needs. A setup
/// step on files the runtime stage does not get (it has the binary and
/// the working directory, not the sources) would fail there: it is left
/// out with a change-log entry and a warning.
fn setup_keeps(cx: &ConvertContext<'_>, artifact: &str, plan: &mut Plan) -> Vec<(usize, Item)> {
    let mut present = vec![artifact.to_string()];
    present.extend(cx.final_workdir());
    let mut out = Vec::new();
    for i in super::common::setup_runs(cx) {
        if crate::convert::setup::runs_in_runtime(i, &present) {
            out.push((
                i.start_line,
                keep(
                    i,
                    ChangeKind::Keep,
                    "Runtime setup stays in the runtime stage",
                    "users, directories and permissions belong to the final image",
                ),
            ));
        } else {
            plan.notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "Runtime setup is left out of the runtime stage",
                "it works on files of the build that the runtime stage does not get (it has only the binary and the asset files)",
                vec![i.start_line],
            ));
            plan.warnings.push(format!("line {}: this setup step works on files the runtime stage does not have and was left out; if the program needs its result, repeat it in the runtime stage for the files copied there", i.start_line));
        }
    }
    out
}

/// On a runtime image without a shell: a `COPY --from=builder --chown`
/// of each directory setup prepared (see [`crate::convert::setup`]), and a
/// change-log entry (with a warning when it did more than create users)
/// for each setup `RUN` that prepared none. A `chown` owner the image
/// cannot resolve becomes the user the runtime stage runs as (`run_as`).
fn setup_copies(
    cx: &ConvertContext<'_>,
    prepared: &[crate::convert::setup::PreparedDir],
    users: ImageUsers,
    run_as: &str,
    image: &str,
    plan: &mut Plan,
) -> Vec<(usize, Item)> {
    let mut out = Vec::new();
    for d in prepared {
        let (chown, why) = match d.owner.as_deref() {
            Some(o) if super::common::image_resolves(users, o) => (
                format!(" --chown={o}"),
                format!("owned by `{o}` as the setup made it"),
            ),
            Some(o) => (
                format!(" --chown={run_as}"),
                format!(
                    "owned by `{run_as}`, the user the container runs as (the setup gave it to `{o}`, which `{image}` does not have)"
                ),
            ),
            None => (String::new(), "as the setup made it".to_string()),
        };
        out.push((
            d.line,
            add(
                format!("COPY --from=builder{chown} {0} {0}", d.path),
                ChangeKind::CopyArtifact,
                format!("The directory `{}` is copied from the builder", d.path),
                format!("`{image}` has no shell to run the setup; the directory is created {why}"),
                vec![d.line],
            ),
        ));
    }
    for i in super::common::setup_runs(cx) {
        if prepared.iter().any(|d| d.node == i.node) {
            continue;
        }
        let only_users = super::cpp::creates_user_only(i);
        plan.notes.push(ChangeSpec::new(
            ChangeKind::Drop,
            if only_users {
                "The user is not created in the runtime stage"
            } else {
                "Runtime setup is left out of the runtime stage"
            },
            format!("`{image}` has no shell to run it; the container runs as `{run_as}`"),
            vec![i.start_line],
        ));
        if !only_users {
            plan.warnings.push(format!("line {}: runtime setup cannot run in `{image}` (no shell) and was left out; if the program needs what it made, create it in the builder and copy it (`COPY --from=builder --chown=...`), or use --runtime slim or alpine", i.start_line));
        }
    }
    out
}

/// The runtime behaviour items with setup items (and their source lines)
/// placed among them in source order: each before the first kept or
/// rewritten instruction of a later line.
fn merge_in_order(
    cx: &ConvertContext<'_>,
    behaviour: Vec<Item>,
    setup: Vec<(usize, Item)>,
) -> Vec<Item> {
    let line_of = |item: &Item| match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
            cx.doc.nodes.get(*node).map(|n| n.start_line)
        }
        _ => None,
    };
    let mut pending = setup.into_iter().peekable();
    let mut out = Vec::new();
    for item in behaviour {
        if let Some(line) = line_of(&item) {
            while let Some((_, s)) = pending.next_if(|(l, _)| *l < line) {
                out.push(s);
            }
        }
        out.push(item);
    }
    out.extend(pending.map(|(_, s)| s));
    out
}

/// File names a Go program typically reads at run time.
fn is_asset(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".yaml", ".yml", ".json", ".toml", ".conf", ".html", ".sql", ".tmpl", ".pem", ".crt",
    ];
    name != "go.sum" && (ASSET_DIRS.contains(&name) || EXTENSIONS.iter().any(|e| name.ends_with(e)))
}

/// The runtime copy of a context `COPY` whose sources are assets: the same
/// sources from the build context, to the same absolute place, so directory
/// and file semantics stay exactly as the original had them.
fn asset_copy(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    copy: &CopyCommand,
    script: Option<&Script>,
) -> Option<Item> {
    let sources: Vec<String> = cx
        .copy_sources(i)
        .into_iter()
        .filter(|s| {
            let name = base_name(s);
            is_asset(&name) || script.is_some_and(|sc| base_name(&sc.path) == name)
        })
        .collect();
    if sources.is_empty() || !copy.contents.is_empty() {
        return None;
    }
    let dest = match &i.expanded {
        Some(crate::dockerfile::resolve::Expanded::Copy(c)) => c.dest.clone(),
        _ => copy.dest.clone(),
    };
    let mut target = join_workdir(Some(&workdir_before(i)), &dest);
    if (dest.ends_with('/') || sources.len() > 1) && !target.ends_with('/') {
        target.push('/');
    }
    let mut text = String::from("COPY");
    if let Some(chmod) = &copy.chmod {
        text.push_str(&format!(" --chmod={chmod}"));
    }
    for s in &sources {
        text.push(' ');
        text.push_str(s);
    }
    text.push(' ');
    text.push_str(&target);
    let names: Vec<String> = sources
        .iter()
        .map(|s| format!("`{}`", base_name(s)))
        .collect();
    Some(add(
        text,
        ChangeKind::CopyArtifact,
        format!("{} copied from the build context", names.join(", ")),
        "the program may read it at run time",
        vec![i.start_line],
    ))
}

#[cfg(test)]
mod go_run_tests {
    use super::{GoRun, replace_go_run_span};

    #[test]
    fn a_quoted_go_run_in_a_script_is_replaced_whole() {
        let table: &[(&str, &str, Option<&str>)] = &[
            (
                r#"CMD ["sh", "-c", "go run -ldflags '-s -w' ./cmd/api --port $PORT"]"#,
                "go run -ldflags -s -w ./cmd/api",
                Some(r#"CMD ["sh", "-c", "/out/app --port $PORT"]"#),
            ),
            (
                "CMD go run -ldflags '-X main.v=.' . -v",
                "go run -ldflags -X main.v=. .",
                Some("CMD /out/app -v"),
            ),
            // Another command between `go run` and the package word.
            ("CMD go run -tags x; echo .", "go run -tags x .", None),
            ("CMD ago run .", "go run .", None),
            ("CMD go run ./cmd/apiserver", "go run ./cmd/api", None),
        ];
        for (text, phrase, want) in table {
            assert_eq!(
                replace_go_run_span(text, phrase, "/out/app").as_deref(),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn go_run_words_become_go_build_arguments() {
        let table: &[(&str, Option<(&str, usize)>)] = &[
            (".", Some((". ", 2))),
            ("./cmd/api --port 80", Some(("./cmd/api ", 2))),
            ("main.go util.go -v", Some(("main.go util.go ", 3))),
            ("-tags prod ./cmd/api x", Some(("-tags prod ./cmd/api ", 4))),
            ("-tags=prod -race .", Some(("-tags=prod -race . ", 4))),
            ("--ldflags=-s .", Some(("--ldflags=-s . ", 3))),
            ("", Some((". ", 1))),
            // go run's own -exec, and flags restage does not know.
            ("-exec sudo .", None),
            ("-bogus .", None),
            ("-tags", None),
        ];
        for (after_run, want) in table {
            let words: Vec<String> = after_run.split_whitespace().map(str::to_string).collect();
            let got = GoRun::read(&words).map(|r| (r.build_args.join(" ") + " ", r.words));
            assert_eq!(
                got.as_ref().map(|(a, n)| (a.as_str(), *n)),
                *want,
                "{after_run:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::types::RuntimePreference;
    use crate::convert::{ConvertOptions, Refusal, convert_text};

    fn convert(text: &str, runtime: RuntimePreference) -> Result<String, Refusal> {
        let options = ConvertOptions {
            runtime,
            ..ConvertOptions::default()
        };
        convert_text(text, &options).map(|o| o.conversion.dockerfile)
    }

    #[test]
    fn go_install_binaries_go_to_a_directory_on_path() {
        let named = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/api\nCMD [\"/go/bin/api\"]\n";
        let out = convert(named, RuntimePreference::Auto).unwrap_or_else(|r| panic!("{r}"));
        assert!(
            out.contains("COPY --from=builder /go/bin/api /usr/local/bin/api\n"),
            "{out}"
        );
        assert!(out.contains("CMD [\"/usr/local/bin/api\"]"), "{out}");
        let pattern =
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install ./...\nCMD [\"/src/run\"]\n";
        let out = convert(pattern, RuntimePreference::Auto).unwrap_or_else(|r| panic!("{r}"));
        assert!(
            out.contains("COPY --from=builder /go/bin/ /usr/local/bin/\n"),
            "{out}"
        );
        assert!(!out.contains("/go/bin/..."), "{out}");
    }

    /// A command that runs a shell gets a runtime with one under `auto`
    /// (Alpine for an Alpine builder) and is refused on distroless and
    /// scratch, with the line and the command.
    #[test]
    fn a_command_that_runs_a_shell_needs_a_runtime_with_one() {
        let cases = [
            (
                "golang:1.22",
                "CMD [\"sh\", \"-c\", \"/app --port $PORT\"]",
                "FROM debian:",
                "line 5: the command runs a shell (`sh -c /app --port $PORT`), and {} has none; use --runtime auto",
            ),
            (
                "golang:1.22-alpine",
                "ENTRYPOINT [\"/bin/sh\", \"-ec\"]\nCMD [\"exec /app --port $PORT\"]",
                "FROM alpine:",
                "line 5: the command runs a shell (`/bin/sh -ec exec /app --port $PORT`), and {} has none",
            ),
            (
                "golang:1.22",
                "CMD [\"/usr/bin/env\", \"bash\", \"-c\", \"/app\"]",
                "FROM debian:",
                "line 5: the command runs a shell (`bash -c /app`)",
            ),
            (
                "golang:1.22",
                "ENV PORT=8080\nCMD /app --port $PORT",
                "FROM debian:",
                "line 6: the command uses shell features (`/app --port $PORT`), and {} has no shell",
            ),
        ];
        for (builder, command, auto_base, refusal) in cases {
            let text = format!(
                "FROM {builder}\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n{command}\n"
            );
            let out = convert(&text, RuntimePreference::Auto).unwrap_or_else(|r| panic!("{r}"));
            assert!(out.contains(auto_base), "{out}");
            assert!(
                out.contains(command.rsplit('\n').next().unwrap_or_default()),
                "{out}"
            );
            for (runtime, name) in [
                (RuntimePreference::Distroless, "distroless"),
                (RuntimePreference::Scratch, "scratch"),
            ] {
                let want = refusal.replace("{}", name);
                assert!(
                    convert(&text, runtime).is_err_and(|r| r.reason.contains(&want)),
                    "{command} {name}: {want}"
                );
            }
        }
    }

    #[test]
    fn an_entrypoint_script_needs_a_shell() {
        let text = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"entrypoint.sh\"]\nCMD [\"./server\"]\n";
        let out = convert(text, RuntimePreference::Auto).unwrap_or_else(|r| panic!("{r}"));
        assert!(out.contains("FROM debian:"), "{out}");
        assert!(
            out.contains("COPY entrypoint.sh /usr/local/bin/\n"),
            "{out}"
        );
        for shell_less in [RuntimePreference::Distroless, RuntimePreference::Scratch] {
            assert!(
                convert(text, shell_less).is_err_and(|r| r.reason.contains("needs a shell")),
                "{shell_less:?}"
            );
        }
    }
}
