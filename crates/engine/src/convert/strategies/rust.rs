//! Rust: cargo builds in the builder stage, which keeps the toolchain,
//! the registry and `target/`; the runtime stage gets only the binary —
//! on `gcr.io/distroless/cc-debianNN:nonroot` (glibc, libgcc, OpenSSL, CA
//! certificates, nothing else) for a glibc build of the builder's Debian
//! release, on `scratch` with the builder's CA bundle for a static musl
//! build, and on the slim image of the builder's release (Debian slim,
//! Alpine) when the binary links other C libraries or the image needs a
//! shell. The binary leaves `target/`, which is a build cache, for
//! `/usr/local/bin`.

use super::common::{add, exec_form, install_command};
use super::cpp::{
    BaseInfo, Family, PATH_DIRS, RuntimeChoice, RuntimeSpec, alpine_image, base_info, base_name,
    builder_items, builder_stage, copy_outs, instruction_text, is_script, launch_words,
    note_ubuntu_names, programs, runtime_items, runtime_needs, runtime_text, shell_commands,
    shell_image, shell_reasons, tool_index, unquote,
};
use super::{Detection, Strategy};
use crate::convert::context::ConvertContext;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::is_root;
use crate::dockerfile::Keyword;
use crate::knowledge::packages::{Distro, package_name};
use crate::model::tools::Tool;
use crate::model::{Instruction, join_workdir};

/// The strategy.
pub struct Rust;

/// Where the runtime stage keeps the binary.
const BIN_DIR: &str = "/usr/local/bin";

/// Cargo flags that take a value.
const VALUE_FLAGS: &[&str] = &[
    "-p",
    "--package",
    "--bin",
    "--example",
    "--test",
    "--bench",
    "-F",
    "--features",
    "--target",
    "--target-dir",
    "--profile",
    "-j",
    "--jobs",
    "--manifest-path",
    "--config",
    "-Z",
    "--root",
    "--version",
    "--git",
    "--branch",
    "--tag",
    "--rev",
    "--path",
    "--index",
    "--registry",
    "--color",
    "--exclude",
    "--message-format",
    "--lockfile-path",
];

/// Libraries distroless cc has (OpenSSL 3 of its Debian release).
const IN_DISTROLESS_CC: &[&str] = &[
    "libssl3",
    "libssl3t64",
    "openssl",
    "ca-certificates",
    "tzdata",
    "libgcc-s1",
    "libc6",
    "libstdc++6",
];

/// One `cargo` command of a `RUN` (or of `CMD cargo run`).
#[derive(Debug, Clone, Default)]
struct Cargo {
    /// The `RUN`'s node (the `CMD`'s for `cargo run`).
    node: usize,
    /// Its line.
    line: usize,
    /// `build`, `install`, `rustc`, `run`, `chef`, `fetch`.
    sub: String,
    /// `--bin` values.
    bins: Vec<String>,
    /// `-p` values.
    packages: Vec<String>,
    /// `--target` triple.
    triple: Option<String>,
    /// `release`, `debug` or a custom profile's directory.
    profile_dir: String,
    /// Whether the profile was given.
    profile_given: bool,
    /// The target directory (absolute).
    target_dir: String,
    /// For `cargo install`: where binaries go.
    install_bin: Option<String>,
    /// Words between the subcommand and `--` (for `cargo run`).
    flags: Vec<String>,
    /// Words after `--` (for `cargo run`).
    program_args: Vec<String>,
    /// Byte offset of the command's end in the `RUN` text.
    end: usize,
    /// Whether the `RUN` runs as root.
    root: bool,
}

impl Cargo {
    /// Where a binary of this build lands.
    fn binary(&self, name: &str) -> String {
        match &self.triple {
            Some(t) => format!("{}/{t}/{}/{name}", self.target_dir, self.profile_dir),
            None => format!("{}/{}/{name}", self.target_dir, self.profile_dir),
        }
    }

    fn builds(&self) -> bool {
        matches!(self.sub.as_str(), "build" | "rustc" | "chef")
    }
}

/// All values of a flag (`--bin a --bin=b`).
fn values(words: &[&str], short: Option<&str>, long: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(w) = words.get(k) {
        if *w == "--" {
            break;
        }
        if *w == long || short == Some(*w) {
            if let Some(v) = words.get(k + 1) {
                out.push((*v).to_string());
            }
            k += 1;
        } else if let Some(v) = w.strip_prefix(long).and_then(|r| r.strip_prefix('=')) {
            out.push(v.to_string());
        } else if let Some(s) = short
            && let Some(v) = w.strip_prefix(s)
            && !v.is_empty()
            && !w.starts_with("--")
        {
            out.push(v.trim_start_matches('=').to_string());
        }
        k += 1;
    }
    out
}

/// The positional words of a cargo command line (after the subcommand).
fn positional<'w>(words: &[&'w str]) -> Vec<&'w str> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(w) = words.get(k) {
        if *w == "--" {
            break;
        }
        if VALUE_FLAGS.contains(w) {
            k += 1;
        } else if !w.starts_with('-') {
            out.push(*w);
        }
        k += 1;
    }
    out
}

/// The stage's value of an environment variable, when set in the file.
fn env_value(cx: &ConvertContext<'_>, key: &str) -> Option<String> {
    cx.stage
        .env
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// `CARGO_HOME` of the builder.
fn cargo_home(cx: &ConvertContext<'_>, base: &BaseInfo) -> String {
    env_value(cx, "CARGO_HOME").unwrap_or_else(|| {
        if base.resolved.short_name() == "rust" {
            "/usr/local/cargo".into()
        } else {
            "/root/.cargo".into()
        }
    })
}

/// Reads one cargo command line (`words` after the `cargo` word).
fn read_cargo(
    cx: &ConvertContext<'_>,
    base: &BaseInfo,
    dir: &str,
    assignments: &[(String, String)],
    words: &[&str],
) -> Option<Cargo> {
    let pos = positional(words);
    let sub = (*pos.first()?).to_string();
    let sub = if sub.starts_with('+') {
        (*pos.get(1)?).to_string()
    } else {
        sub
    };
    let var = |k: &str| {
        assignments
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .or_else(|| env_value(cx, k))
    };
    let (flags, program_args): (Vec<String>, Vec<String>) = {
        let at = words.iter().position(|w| *w == "--");
        let after_sub = words.iter().position(|w| *w == sub).map_or(0, |p| p + 1);
        let end = at.unwrap_or(words.len());
        (
            words
                .get(after_sub..end)
                .unwrap_or_default()
                .iter()
                .map(|w| (*w).to_string())
                .collect(),
            at.map(|a| words.iter().skip(a + 1).map(|w| (*w).to_string()).collect())
                .unwrap_or_default(),
        )
    };
    let profile = values(words, None, "--profile");
    let release = words.iter().any(|w| *w == "--release" || *w == "-r");
    let profile_dir = match profile.first().map(String::as_str) {
        Some("dev" | "test") => "debug".to_string(),
        Some("release" | "bench") => "release".to_string(),
        Some(p) => p.to_string(),
        None if release || sub == "install" => "release".into(),
        None => "debug".into(),
    };
    let manifest = values(words, None, "--manifest-path");
    let project_dir = match manifest.first() {
        Some(m) => {
            let p = join_workdir(Some(dir), m);
            p.rsplit_once('/').map_or(p.clone(), |(d, _)| d.to_string())
        }
        None => dir.to_string(),
    };
    let target_dir = match values(words, None, "--target-dir")
        .first()
        .cloned()
        .or_else(|| var("CARGO_TARGET_DIR"))
    {
        Some(t) => join_workdir(Some(dir), &t),
        None => join_workdir(Some(&project_dir), "target"),
    };
    let triple = values(words, None, "--target")
        .first()
        .cloned()
        .or_else(|| var("CARGO_BUILD_TARGET"));
    let install_bin = (sub == "install").then(|| {
        let root = values(words, None, "--root")
            .first()
            .cloned()
            .or_else(|| var("CARGO_INSTALL_ROOT"))
            .unwrap_or_else(|| cargo_home(cx, base));
        format!(
            "{}/bin",
            join_workdir(Some(dir), &root).trim_end_matches('/')
        )
    });
    Some(Cargo {
        sub,
        bins: values(words, None, "--bin"),
        packages: values(words, Some("-p"), "--package"),
        triple,
        profile_given: release || !profile.is_empty(),
        profile_dir,
        target_dir,
        install_bin,
        flags,
        program_args,
        ..Cargo::default()
    })
}

/// Every cargo command of the stage's `RUN`s that builds, installs or fetches.
fn cargo_commands(cx: &ConvertContext<'_>, base: &BaseInfo) -> Vec<Cargo> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        if i.run.is_none() {
            continue;
        }
        let text = instruction_text(cx, i);
        let mut dir = i.context.workdir.as_deref().unwrap_or("/").to_string();
        let root = i.context.user.as_deref().is_none_or(is_root);
        for cmd in shell_commands(&text, cx.escape()) {
            let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
            let Some(t) = tool_index(&words) else {
                continue;
            };
            let Some(tool) = words.get(t) else { continue };
            let name = tool.rsplit('/').next().unwrap_or(tool);
            let rest: Vec<&str> = words.iter().skip(t + 1).map(String::as_str).collect();
            if name == "cd" {
                if let Some(d) = rest.first() {
                    dir = join_workdir(Some(&dir), d);
                }
                continue;
            }
            if name != "cargo" {
                continue;
            }
            let assignments: Vec<(String, String)> = words
                .iter()
                .take(t)
                .filter_map(|w| {
                    w.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                })
                .collect();
            let Some(mut c) = read_cargo(cx, base, &dir, &assignments, &rest) else {
                continue;
            };
            if !matches!(
                c.sub.as_str(),
                "build" | "b" | "install" | "rustc" | "chef" | "fetch"
            ) {
                continue;
            }
            if c.sub == "b" {
                c.sub = "build".into();
            }
            c.node = i.node;
            c.line = i.start_line;
            c.end = cmd.last().map_or(text.len(), |w| w.end);
            c.root = root;
            out.push(c);
        }
    }
    out
}

/// The binary the runtime stage gets.
#[derive(Debug, Clone)]
struct Artifact {
    /// Its name.
    name: String,
    /// Where it is in the builder.
    builder_path: String,
    /// Where it goes in the runtime stage.
    runtime_path: String,
    /// How the runtime commands name it.
    words: Vec<String>,
    /// The `RUN` that produced it (`None`: a `RUN` restage adds).
    node: Option<usize>,
    /// The source line.
    line: usize,
    /// The cargo command that built it, when it is in `target/`.
    build: Option<usize>,
}

impl Artifact {
    fn in_target(&self) -> bool {
        self.build.is_some()
    }
}

/// `CMD`/`ENTRYPOINT` running `cargo run`: the cargo command and the instruction.
fn cargo_run_command<'a>(
    cx: &ConvertContext<'a>,
    base: &BaseInfo,
) -> Option<(Cargo, &'a Instruction)> {
    for keyword in [Keyword::Entrypoint, Keyword::Cmd] {
        let Some(i) = cx.last(keyword) else { continue };
        let (words, _) = launch_words(cx, i);
        let t = words
            .iter()
            .position(|w| w.rsplit('/').next() == Some("cargo"))?;
        let rest: Vec<&str> = words.iter().skip(t + 1).map(String::as_str).collect();
        let dir = cx.final_workdir().unwrap_or_else(|| "/".into());
        let mut c = read_cargo(cx, base, &dir, &[], &rest)?;
        c.node = i.node;
        c.line = i.start_line;
        return Some((c, i));
    }
    None
}

/// Where `CMD`/`ENTRYPOINT`/`HEALTHCHECK` find the binaries, or why not.
fn find_artifacts(
    cx: &ConvertContext<'_>,
    cargos: &[Cargo],
    plan: &mut Plan,
) -> Result<Vec<Artifact>, Refusal> {
    let eco = Some(Ecosystem::Rust);
    let workdir = cx.final_workdir();
    let outs = copy_outs(cx);
    let mut found: Vec<Artifact> = Vec::new();
    let mut unresolved: Vec<String> = Vec::new();
    let push = |a: Artifact, found: &mut Vec<Artifact>| match found
        .iter_mut()
        .find(|f| f.builder_path == a.builder_path)
    {
        Some(f) => {
            for w in a.words {
                if !f.words.contains(&w) {
                    f.words.push(w);
                }
            }
        }
        None => found.push(a),
    };
    for p in programs(cx) {
        let word = p.word.clone();
        let base = base_name(&word);
        if super::cpp::is_system_program(&base) || base == "cargo" || is_script(&base) {
            if is_script(&base) && p.keyword != Keyword::Healthcheck {
                unresolved.push(format!("`{word}` (line {})", p.line));
            }
            continue;
        }
        let abs = word
            .contains('/')
            .then(|| join_workdir(workdir.as_deref(), &word));
        let in_target = abs.as_ref().and_then(|a| {
            cargos
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, c)| c.builds())
                .find(|(_, c)| a.starts_with(&format!("{}/", c.target_dir)))
        });
        if let (Some(a), Some((k, c))) = (&abs, in_target) {
            push(
                Artifact {
                    name: base.clone(),
                    builder_path: a.clone(),
                    runtime_path: format!("{BIN_DIR}/{base}"),
                    words: vec![word.clone()],
                    node: Some(c.node),
                    line: c.line,
                    build: Some(k),
                },
                &mut found,
            );
            continue;
        }
        let copied = outs.iter().rev().find(|o| match &abs {
            Some(a) => o.dest == *a,
            None => {
                base_name(&o.dest) == word
                    && PATH_DIRS.iter().any(|d| o.dest == format!("{d}/{word}"))
            }
        });
        if let Some(o) = copied {
            push(
                Artifact {
                    name: base.clone(),
                    builder_path: o.dest.clone(),
                    runtime_path: o.dest.clone(),
                    words: vec![word.clone()],
                    node: Some(o.node),
                    line: o.line,
                    build: None,
                },
                &mut found,
            );
            continue;
        }
        let installed = cargos.iter().rev().find(|c| {
            c.install_bin.as_ref().is_some_and(|bin| match &abs {
                Some(a) => *a == format!("{bin}/{base}"),
                None => true,
            })
        });
        if let Some(c) = installed
            && let Some(bin) = &c.install_bin
        {
            let on_path = PATH_DIRS.contains(&bin.as_str());
            push(
                Artifact {
                    name: base.clone(),
                    builder_path: format!("{bin}/{base}"),
                    runtime_path: if on_path {
                        format!("{bin}/{base}")
                    } else {
                        format!("{BIN_DIR}/{base}")
                    },
                    words: vec![word.clone()],
                    node: Some(c.node),
                    line: c.line,
                    build: None,
                },
                &mut found,
            );
            continue;
        }
        if p.keyword != Keyword::Healthcheck {
            unresolved.push(format!("`{word}` (line {})", p.line));
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    if !unresolved.is_empty() {
        return Err(Refusal::new(
            eco,
            format!(
                "the image runs {}, which is not a binary restage can trace to a cargo build (a path under target/, a file copied out of it, or `cargo install`)",
                unresolved.join(", ")
            ),
        ));
    }
    // No command names it: a binary copied out of target/, or named by --bin / -p.
    let from_target: Vec<_> = outs
        .iter()
        .filter(|o| {
            cargos
                .iter()
                .any(|c| o.source.starts_with(&format!("{}/", c.target_dir)))
        })
        .collect();
    if let [o] = from_target.as_slice() {
        return Ok(vec![Artifact {
            name: base_name(&o.dest),
            builder_path: o.dest.clone(),
            runtime_path: o.dest.clone(),
            words: Vec::new(),
            node: Some(o.node),
            line: o.line,
            build: None,
        }]);
    }
    let last = cargos.iter().enumerate().rev().find(|(_, c)| c.builds());
    if let Some((k, c)) = last {
        let name = match (c.bins.as_slice(), c.packages.as_slice()) {
            ([b], _) => b.clone(),
            ([], [p]) => {
                plan.assumptions.push(format!("The binary is taken to be named after the package `{p}` (`-p {p}`); Cargo.toml is not visible. If its `[[bin]]` has another name, change the COPY line."));
                plan.confidence = Confidence::Low;
                p.clone()
            }
            _ => {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "line {}: restage cannot tell the binary's name — Cargo.toml is not visible, and neither CMD/ENTRYPOINT, `--bin` nor a copy out of target/ names it",
                        c.line
                    ),
                ));
            }
        };
        return Ok(vec![Artifact {
            runtime_path: format!("{BIN_DIR}/{name}"),
            builder_path: c.binary(&name),
            name,
            words: Vec::new(),
            node: Some(c.node),
            line: c.line,
            build: Some(k),
        }]);
    }
    Err(Refusal::new(
        eco,
        "restage cannot tell the binary's name: Cargo.toml is not visible, and no CMD/ENTRYPOINT, `--bin` or copy out of target/ names it",
    ))
}

/// Whether a text turns static linking off (`-C target-feature=-crt-static`).
fn crt_static_off(text: &str) -> bool {
    text.contains("-crt-static")
}

/// Inserts cache mounts after the `RUN` keyword (those not there yet).
fn with_mounts(text: &str, targets: &[String]) -> String {
    let at = text
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| i);
    let (keyword, rest) = text.split_at(at);
    let mut flags = String::new();
    for t in targets {
        if !text.contains(&format!("target={t}")) && !flags.contains(&format!("target={t}")) {
            flags.push_str(&format!(" --mount=type=cache,target={t}"));
        }
    }
    format!("{keyword}{flags}{rest}")
}

/// The libc a build links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Libc {
    Glibc,
    MuslStatic,
    MuslDynamic,
}

impl Strategy for Rust {
    fn name(&self) -> &'static str {
        "rust-binary"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Rust
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        if let Some(base) = base_info(cx)
            && base.resolved.short_name() == "rust"
        {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is Rust", cx.stage.base_text),
            );
        }
        if let Some((i, s)) = cx
            .copies()
            .flat_map(|(i, _)| cx.copy_sources(i).into_iter().map(move |s| (i, s)))
            .find(|(_, s)| matches!(base_name(s).as_str(), "Cargo.toml" | "Cargo.lock"))
        {
            d.add(5, i.start_line, format!("copies the manifest `{s}`"));
        }
        let mut builds = false;
        for (i, inv) in cx.uses(Tool::Cargo) {
            match inv.subcommand() {
                Some("build" | "b" | "install" | "rustc") if !builds => {
                    builds = true;
                    d.add(
                        10,
                        i.start_line,
                        format!(
                            "builds with `cargo {}`",
                            inv.subcommand().unwrap_or_default()
                        ),
                    );
                }
                Some("chef") if !builds => {
                    d.add(3, i.start_line, "caches dependencies with cargo-chef")
                }
                Some("fetch") => d.add(3, i.start_line, "fetches crates with `cargo fetch`"),
                _ => {}
            }
        }
        for keyword in [Keyword::Entrypoint, Keyword::Cmd] {
            let Some(i) = cx.last(keyword) else { continue };
            let (words, _) = launch_words(cx, i);
            let runs_cargo = words
                .iter()
                .position(|w| w.rsplit('/').next() == Some("cargo"))
                .and_then(|t| words.get(t + 1))
                .is_some_and(|s| s == "run" || s == "r");
            if runs_cargo && !builds {
                builds = true;
                d.add(10, i.start_line, "runs the program with `cargo run`");
            }
        }
        (builds && d.score >= 15).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let eco = Some(Ecosystem::Rust);
        let base = base_info(cx).ok_or_else(|| {
            Refusal::new(eco, "the build stage does not start from an image restage can derive a runtime image from")
        })?;
        let mut plan = Plan::new(Ecosystem::Rust, self.name(), Confidence::High);
        let mut cargos = cargo_commands(cx, &base);

        // `CMD cargo run`: build once in the builder instead.
        let mut added_build: Option<String> = None;
        let mut overrides: Vec<(usize, String, ChangeSpec)> = Vec::new();
        let mut artifacts = match cargo_run_command(cx, &base) {
            Some((run, instruction)) if matches!(run.sub.as_str(), "run" | "r") => {
                let name = match (run.bins.as_slice(), run.packages.as_slice()) {
                    ([b], _) => b.clone(),
                    ([], [p]) => {
                        plan.assumptions.push(format!("The binary is taken to be named after the package `{p}`; Cargo.toml is not visible. If its `[[bin]]` has another name, change the COPY line and CMD."));
                        plan.confidence = Confidence::Low;
                        p.clone()
                    }
                    _ => {
                        return Err(Refusal::new(
                            eco,
                            format!(
                                "line {}: `cargo run` compiles at every start, and restage cannot tell the binary's name without Cargo.toml; name it (`cargo run --release --bin <name>`) and convert again",
                                run.line
                            ),
                        ));
                    }
                };
                let mut flags: Vec<String> = run.flags.clone();
                if !run.profile_given {
                    flags.insert(0, "--release".into());
                    plan.assumptions.push("`cargo run` without `--release` ran a debug build; the runtime stage gets an optimised release build (no debug assertions or overflow checks)".into());
                }
                let mut build = run.clone();
                build.sub = "build".into();
                build.profile_dir = if run.profile_given {
                    run.profile_dir.clone()
                } else {
                    "release".into()
                };
                let mut text = format!("RUN cargo build {}", flags.join(" "));
                text = text.trim_end().to_string();
                let builder_path = build.binary(&name);
                build.end = text.len();
                build.root = cx.final_user().is_none_or(|u| is_root(&u));
                let runtime_path = format!("{BIN_DIR}/{name}");
                let mut words = vec![runtime_path.clone()];
                words.extend(run.program_args.iter().cloned());
                let json = exec_form(&words).ok_or_else(|| {
                    Refusal::new(eco, format!("line {}: the program's arguments use shell features; restage cannot write them in exec form", run.line))
                })?;
                overrides.push((
                    instruction.node,
                    format!("{} {json}", instruction.keyword.name()),
                    ChangeSpec::new(
                        ChangeKind::Rewrite,
                        format!("`{}` runs the compiled binary", instruction.keyword.name()),
                        "`cargo run` compiles at every start and needs the whole toolchain at run time; the binary is built once in the builder",
                        vec![instruction.start_line],
                    ),
                ));
                added_build = Some(text);
                cargos.push(build);
                vec![Artifact {
                    name,
                    builder_path,
                    runtime_path,
                    words: Vec::new(),
                    node: None,
                    line: run.line,
                    build: Some(cargos.len().saturating_sub(1)),
                }]
            }
            Some((run, _)) => {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "line {}: the image runs `cargo {}`, a development command; restage cannot make a release image of it",
                        run.line, run.sub
                    ),
                ));
            }
            None => find_artifacts(cx, &cargos, &mut plan)?,
        };
        if cargos.is_empty() {
            return Err(Refusal::new(
                eco,
                "no `cargo build`, `cargo install` or `cargo run` was found",
            ));
        }
        for a in &artifacts {
            if a.builder_path.contains("wasm32") {
                return Err(Refusal::new(
                    eco,
                    "the build targets WebAssembly (wasm32); restage cannot pick a runtime for it",
                ));
            }
            if a.builder_path.contains("/debug/") {
                plan.warnings.push(format!("`{}` is a debug build (no `--release`); it is kept as in the source, but a release build is smaller and faster", a.builder_path));
            }
        }

        // Is the binary's target/ a cache mount already (then it is not in the image)?
        for a in &artifacts {
            if let (Some(k), Some(node)) = (a.build, a.node)
                && let Some(c) = cargos.get(k)
                && let Some(i) = cx.instructions().find(|i| i.node == node)
                && i.run
                    .as_ref()
                    .is_some_and(|r| r.has_cache_mount(&c.target_dir))
            {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "line {}: `{}` is a cache mount, so `{}` is not in the image; copy the binary out of it in the same RUN and convert again",
                        c.line, c.target_dir, a.builder_path
                    ),
                ));
            }
        }

        // Which libc, and the runtime image.
        let all_text: String = cx
            .instructions()
            .filter(|i| i.run.is_some())
            .map(|i| instruction_text(cx, i))
            .collect::<Vec<_>>()
            .join("\n");
        let musl = base.family == Family::Alpine
            || artifacts.iter().any(|a| a.builder_path.contains("-musl"))
            || artifacts.iter().any(|a| {
                a.build
                    .and_then(|k| cargos.get(k))
                    .is_some_and(|c| c.triple.as_deref().is_some_and(|t| t.contains("musl")))
            })
            || copy_outs(cx).iter().any(|o| {
                o.source.contains("-musl/") && artifacts.iter().any(|a| a.builder_path == o.dest)
            });
        let libc = match (
            musl,
            crt_static_off(&all_text)
                || env_value(cx, "RUSTFLAGS").is_some_and(|f| crt_static_off(&f)),
        ) {
            (false, _) => Libc::Glibc,
            (true, false) => Libc::MuslStatic,
            (true, true) => Libc::MuslDynamic,
        };
        let artifact_words: Vec<String> = artifacts.iter().flat_map(|a| a.words.clone()).collect();
        let needs = shell_reasons(cx, &artifact_words);
        let source_distro = base.package_distro();
        let rt_text = runtime_text(cx);
        let glibc_needs = runtime_needs(cx, source_distro, source_distro, &rt_text);
        let extra: Vec<String> = glibc_needs
            .packages
            .iter()
            .filter(|p| !IN_DISTROLESS_CC.contains(&package_name(p)))
            .cloned()
            .collect();
        let pref = cx.options.runtime;
        let static_distroless = || {
            RuntimeChoice {
                image: "gcr.io/distroless/static-debian12:nonroot".into(),
                from: StageFrom::Image { image: "gcr.io/distroless/static-debian12:nonroot".into(), platform: None },
                shell: false,
                distro: Distro::Bookworm,
                existing_user: Some("nonroot:nonroot"),
                reason: "the binary is linked statically against musl; distroless static adds only CA certificates, time zones and a non-root user".into(),
            }
        };
        let scratch = || {
            RuntimeChoice {
            image: "scratch".into(),
            from: StageFrom::Image { image: "scratch".into(), platform: None },
            shell: false,
            distro: Distro::Bookworm,
            existing_user: None,
            reason: "the binary is linked statically against musl and needs nothing from the image (about the size of the binary); the builder's CA bundle is copied for TLS".into(),
        }
        };
        let alpine = || {
            let image = if base.family == Family::Alpine {
                alpine_image(&base)
            } else {
                "alpine:3.20".into()
            };
            RuntimeChoice {
                from: if base.raw.short_name() == "alpine" {
                    StageFrom::SourceImage(image.clone())
                } else {
                    StageFrom::Image {
                        image: image.clone(),
                        platform: None,
                    }
                },
                image,
                shell: true,
                distro: Distro::Alpine,
                existing_user: None,
                reason: "Alpine has the musl C library the binary links, and a shell".into(),
            }
        };
        let no_shell = |image: &str| -> Result<(), Refusal> {
            match needs.first() {
                Some(why) => Err(Refusal::new(
                    eco,
                    format!("{why}, and `{image}` has no shell; use --runtime slim or alpine"),
                )),
                None => Ok(()),
            }
        };
        let cc = |release: &str| {
            let image = format!("gcr.io/distroless/cc-debian{release}:nonroot");
            RuntimeChoice {
                from: StageFrom::Image {
                    image: image.clone(),
                    platform: None,
                },
                image,
                shell: false,
                distro: Distro::Bookworm,
                existing_user: Some("nonroot:nonroot"),
                reason: format!(
                    "a Rust binary built against glibc links libc and libgcc_s; distroless cc has those, OpenSSL 3 and CA certificates of Debian {release} (the builder's release, so glibc is not older than the one the binary was linked against) and a non-root user, nothing else"
                ),
            }
        };
        let choice = match (libc, pref) {
            (Libc::MuslStatic, RuntimePreference::Auto) => {
                if needs.is_empty() {
                    scratch()
                } else if base.family == Family::Alpine {
                    plan.assumptions.push(format!("The binary is static, but {}; the runtime stage is Alpine, which has a shell", needs.join("; ")));
                    alpine()
                } else {
                    plan.assumptions.push(format!("The binary is static, but {}; the runtime stage is the builder's slim image, which has a shell", needs.join("; ")));
                    shell_image(&base, eco)?
                }
            }
            (Libc::MuslStatic, RuntimePreference::Scratch) => {
                no_shell("scratch")?;
                scratch()
            }
            (Libc::MuslStatic, RuntimePreference::Distroless) => {
                no_shell("gcr.io/distroless/static-debian12:nonroot")?;
                static_distroless()
            }
            (Libc::MuslStatic, RuntimePreference::Alpine) => alpine(),
            (Libc::MuslStatic, RuntimePreference::Slim) => match base.family {
                Family::Debian(_) | Family::Ubuntu => shell_image(&base, eco)?,
                _ => RuntimeChoice {
                    image: "debian:trixie-slim".into(),
                    from: StageFrom::Image {
                        image: "debian:trixie-slim".into(),
                        platform: None,
                    },
                    shell: true,
                    distro: Distro::Trixie,
                    existing_user: None,
                    reason: "the binary is linked statically, so Debian slim runs it".into(),
                },
            },
            (Libc::MuslDynamic, RuntimePreference::Auto | RuntimePreference::Alpine) => {
                plan.assumptions.push("`-crt-static` turns static linking off, so the binary loads musl and libgcc_s at run time; the runtime stage is Alpine with libgcc".into());
                alpine()
            }
            (Libc::MuslDynamic, p) => {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "the binary is linked dynamically against musl (`-crt-static`), so it needs Alpine's loader and libgcc; --runtime {} cannot run it (use alpine)",
                        pref_name(p)
                    ),
                ));
            }
            (Libc::Glibc, RuntimePreference::Auto) => match base.debian_release() {
                Some(release)
                    if needs.is_empty()
                        && extra.is_empty()
                        && matches!(base.family, Family::Debian(_) | Family::Ubuntu) =>
                {
                    if glibc_needs
                        .libraries
                        .iter()
                        .any(|l| l.starts_with("libssl"))
                    {
                        plan.assumptions.push(format!("The binary links OpenSSL (libssl-dev is installed); distroless cc-debian{release} includes libssl3 of the same Debian release, so no package is needed"));
                    }
                    cc(release)
                }
                _ => {
                    let mut why: Vec<String> = needs.clone();
                    if !extra.is_empty() {
                        why.push(format!(
                            "the binary needs {}, which distroless cc does not have",
                            extra.join(", ")
                        ));
                    }
                    if !why.is_empty() {
                        plan.assumptions.push(format!(
                            "The runtime stage is the builder's slim image: {}",
                            why.join("; ")
                        ));
                    }
                    shell_image(&base, eco)?
                }
            },
            (Libc::Glibc, RuntimePreference::Distroless) => {
                let Some(release) = base.debian_release() else {
                    return Err(Refusal::new(
                        eco,
                        "distroless cc exists for Debian 12 and 13; the builder's release has none (use --runtime slim)",
                    ));
                };
                no_shell(&format!("gcr.io/distroless/cc-debian{release}:nonroot"))?;
                if !extra.is_empty() {
                    plan.warnings.push(format!("the binary needs {}, which distroless cc does not have and cannot install; use --runtime slim", extra.join(", ")));
                    plan.confidence = Confidence::Low;
                }
                cc(release)
            }
            (Libc::Glibc, RuntimePreference::Slim) => shell_image(&base, eco)?,
            (Libc::Glibc, RuntimePreference::Alpine) => {
                return Err(Refusal::new(
                    eco,
                    "the binary is built against glibc and does not run on Alpine (musl); build for `x86_64-unknown-linux-musl` (or from `rust:alpine`) and convert again, or use --runtime slim",
                ));
            }
            (Libc::Glibc, RuntimePreference::Scratch) => {
                return Err(Refusal::new(
                    eco,
                    "the binary links glibc dynamically, so it cannot run on scratch. restage does not switch the build to musl: Cargo.lock is not visible, crates with C code (ring, openssl-sys, libsqlite3-sys) need a musl C toolchain, and the target triple depends on the architecture. Build with `--target x86_64-unknown-linux-musl` (or from `rust:alpine`) and convert again, or use --runtime distroless",
                ));
            }
        };
        if base.resolved.short_name() == "rust" && choice.image.contains("distroless/cc") {
            plan.assumptions.push("The rust image ships many C development libraries; if the binary links one besides OpenSSL that the Dockerfile does not install (libpq for diesel's postgres feature, libsqlite3, ...), use --runtime slim and install its runtime package".into());
        }

        // Runtime packages (images with a shell).
        let mut head: Vec<Item> = Vec::new();
        if choice.shell {
            let need = runtime_needs(cx, source_distro, choice.distro, &rt_text);
            super::common::refuse_unmapped(&need.no_name, Ecosystem::Rust, choice.distro)?;
            let mut packages = need.packages.clone();
            let mut reason = need.reason.clone();
            let mut summary_extra = String::new();
            if libc == Libc::MuslDynamic && !packages.iter().any(|p| p == "libgcc") {
                packages.push("libgcc".into());
                reason = if reason.is_empty() {
                    "the dynamically linked binary needs libgcc_s".into()
                } else {
                    format!("{reason}; the binary needs libgcc_s")
                };
            }
            if choice.distro != Distro::Alpine
                && !packages
                    .iter()
                    .any(|p| package_name(p) == "ca-certificates")
            {
                packages.push("ca-certificates".into());
                summary_extra = ", CA certificates".into();
                reason = if reason.is_empty() {
                    "Debian slim has no CA certificates; TLS clients need them".into()
                } else {
                    format!(
                        "{reason}; and Debian slim has no CA certificates, which TLS clients need"
                    )
                };
            }
            if !need.unmapped.is_empty() {
                plan.warnings.push(format!("no runtime package is known for {}; if the binary links these libraries, install their runtime packages", need.unmapped.join(", ")));
                plan.confidence = plan.confidence.min(Confidence::Medium);
            }
            if !need.dropped.is_empty() {
                plan.assumptions.push(format!(
                    "Left out of the runtime stage: {} (build-time helpers that fetch or generate sources)",
                    need.dropped.join(", ")
                ));
            }
            note_ubuntu_names(&base, &need, &choice.image, &mut plan);
            if !packages.is_empty() {
                head.push(add(
                    install_command(choice.distro, &packages, cx.escape()),
                    if need.libraries.is_empty() {
                        ChangeKind::Add
                    } else {
                        ChangeKind::RuntimeLibrary
                    },
                    format!(
                        "Runtime packages: {}{summary_extra}",
                        need.packages.join(", ")
                    )
                    .replace("packages: , ", "packages: "),
                    reason,
                    need.lines.clone(),
                ));
            }
        }
        if choice.image == "scratch" {
            head.push(add(
                "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
                ChangeKind::CopyArtifact,
                "CA certificates from the builder",
                "scratch is empty; TLS clients need the CA bundle",
                Vec::new(),
            ));
        }

        // Builder: the source stage; with --cache-mounts, registry and target caches.
        let mut replace: Vec<(usize, Item)> = Vec::new();
        let home = cargo_home(cx, &base);
        let mut cache_notes: Vec<String> = Vec::new();
        if cx.options.cache_mounts {
            let nodes_with_build: Vec<usize> = cargos
                .iter()
                .filter(|c| c.builds())
                .map(|c| c.node)
                .collect();
            let target_elsewhere = cx.instructions().any(|i| {
                i.run.is_some() && !nodes_with_build.contains(&i.node) && {
                    let t = instruction_text(cx, i);
                    t.contains("target/") || cargos.iter().any(|c| t.contains(&c.target_dir))
                }
            });
            let copied_later = artifacts.iter().any(|a| {
                !a.in_target() && a.node.is_some_and(|n| !cargos.iter().any(|c| c.node == n))
            });
            let target_ok = !target_elsewhere && !copied_later;
            if !target_ok {
                cache_notes.push("`target/` is not a cache mount: another RUN reads or changes it, and a cache mount is only there during its own RUN".into());
            }
            let mut nodes: Vec<usize> = cargos
                .iter()
                .filter(|c| c.line > 0 && c.sub != "run")
                .map(|c| c.node)
                .collect();
            nodes.dedup();
            for node in nodes {
                // The build planned for `CMD cargo run` has the CMD's node; it
                // is not a RUN of the source and gets its mounts below.
                let Some(i) = cx
                    .instructions()
                    .find(|i| i.node == node && i.run.is_some())
                else {
                    continue;
                };
                let in_run: Vec<(usize, &Cargo)> = cargos
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.node == node)
                    .collect();
                if in_run.iter().any(|(_, c)| !c.root) {
                    cache_notes.push(format!("line {}: no cache mounts: the RUN does not run as root, and cache mounts belong to root", i.start_line));
                    continue;
                }
                let mut text = instruction_text(cx, i);
                // Copy binaries out of target/ right after the command that builds them.
                let mut inserts: Vec<(usize, String)> = Vec::new();
                let mut targets = vec![format!("{home}/registry"), format!("{home}/git/db")];
                if target_ok {
                    for (k, c) in &in_run {
                        if !c.builds() {
                            continue;
                        }
                        if !targets.contains(&c.target_dir) {
                            targets.push(c.target_dir.clone());
                        }
                        for a in artifacts.iter_mut().filter(|a| a.build == Some(*k)) {
                            inserts.push((
                                c.end,
                                format!(" && cp {} {}", a.builder_path, a.runtime_path),
                            ));
                            a.builder_path = a.runtime_path.clone();
                        }
                    }
                }
                inserts.sort_by_key(|b| std::cmp::Reverse(b.0));
                for (at, s) in inserts {
                    if at <= text.len() {
                        text.insert_str(at, &s);
                    }
                }
                let text = with_mounts(&text, &targets);
                plan.needs_syntax = true;
                replace.push((
                    node,
                    Item::Rewrite {
                        node,
                        text,
                        change: ChangeSpec::new(
                            ChangeKind::CacheMount,
                            "Cargo's registry and build directory are cache mounts",
                            "crates and compiled dependencies are reused between builds without being stored in a layer; the binary is copied out of target/ in the same RUN because the mount is gone after it",
                            vec![i.start_line],
                        ),
                    },
                ));
            }
            if let Some(text) = &added_build {
                let mut targets = vec![format!("{home}/registry"), format!("{home}/git/db")];
                let mut text = text.clone();
                if target_ok && let Some(c) = cargos.last() {
                    targets.push(c.target_dir.clone());
                    for a in artifacts.iter_mut().filter(|a| a.node.is_none()) {
                        text.push_str(&format!(" && cp {} {}", a.builder_path, a.runtime_path));
                        a.builder_path = a.runtime_path.clone();
                    }
                }
                added_build = Some(with_mounts(&text, &targets));
                plan.needs_syntax = true;
            }
        }
        plan.assumptions.extend(cache_notes);
        let append: Vec<Item> = added_build
            .map(|text| {
                vec![add(
                    text,
                    ChangeKind::Add,
                    "The program is compiled once in the builder",
                    "`cargo run` compiles at every start and needs the whole toolchain at run time",
                    artifacts.iter().map(|a| a.line).collect(),
                )]
            })
            .unwrap_or_default();
        let builder = builder_items(cx, &replace, &[], append);

        // Runtime: the binaries where they were built, then the rest in order.
        let mut copies: Vec<Item> = Vec::new();
        let mut rewrites: Vec<(String, String)> = Vec::new();
        for a in &artifacts {
            copies.push(add(
                format!("COPY --from=builder {} {}", a.builder_path, a.runtime_path),
                ChangeKind::CopyArtifact,
                format!("Only the binary `{}` is copied", a.name),
                if a.in_target() {
                    "a Rust binary needs no toolchain, sources or target/ to run; target/ is a build cache, the binary goes to /usr/local/bin"
                } else {
                    "a Rust binary needs no toolchain, sources or target/ to run"
                },
                vec![a.line],
            ));
            for w in &a.words {
                if w.contains('/') && *w != a.runtime_path {
                    rewrites.push((w.clone(), a.runtime_path.clone()));
                }
            }
        }
        let artifact_node = artifacts.iter().find_map(|a| a.node);
        let spec = RuntimeSpec {
            image: choice.image.clone(),
            shell: choice.shell,
            distro: choice.distro,
            existing_user: choice.existing_user,
            head,
            artifacts: copies,
            artifact_node,
            rewrites,
            artifact_words,
            overrides,
        };
        let runtime = runtime_items(cx, &spec, &mut plan)?;
        plan.stages.push(builder_stage(
            cx,
            builder,
            "it keeps the Rust toolchain, the crate registry and target/ to compile",
        ));
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: choice.from.clone(),
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{}`", choice.image),
                choice.reason.clone(),
                vec![cx.stage.line],
            )),
            items: runtime,
        });
        Ok(plan)
    }
}

/// The option's name.
fn pref_name(p: RuntimePreference) -> &'static str {
    match p {
        RuntimePreference::Auto => "auto",
        RuntimePreference::Slim => "slim",
        RuntimePreference::Alpine => "alpine",
        RuntimePreference::Distroless => "distroless",
        RuntimePreference::Scratch => "scratch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    fn convert(
        text: &str,
        options: &ConvertOptions,
    ) -> Result<crate::convert::Conversion, crate::convert::Refusal> {
        convert_text(text, options).map(|o| o.conversion)
    }

    fn auto() -> ConvertOptions {
        ConvertOptions::default()
    }

    #[test]
    fn binary_names_and_runtime_images() {
        // (input, runtime FROM expected or refusal fragment, COPY line expected)
        let cases: &[(&str, Result<&str, &str>, &str)] = &[
            (
                "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n",
                Ok("FROM gcr.io/distroless/cc-debian12:nonroot AS runtime"),
                "COPY --from=builder /app/target/release/app /usr/local/bin/app",
            ),
            (
                "FROM rust:1.92\nWORKDIR /app\nCOPY . .\nRUN cargo install --path .\nCMD [\"server\"]\n",
                Ok("FROM gcr.io/distroless/cc-debian13:nonroot AS runtime"),
                "COPY --from=builder /usr/local/cargo/bin/server /usr/local/bin/server",
            ),
            (
                "FROM rust:1.80-alpine\nRUN apk add --no-cache musl-dev\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --bin api\nCMD [\"/app/target/release/api\"]\n",
                Ok("FROM scratch AS runtime"),
                "COPY --from=builder /app/target/release/api /usr/local/bin/api",
            ),
            (
                "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --target x86_64-unknown-linux-musl && cp target/x86_64-unknown-linux-musl/release/app /usr/local/bin/\nCMD [\"app\"]\n",
                Ok("FROM scratch AS runtime"),
                "COPY --from=builder /usr/local/bin/app /usr/local/bin/app",
            ),
            (
                "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release -p server\n",
                Ok("FROM gcr.io/distroless/cc-debian12:nonroot AS runtime"),
                "COPY --from=builder /app/target/release/server /usr/local/bin/server",
            ),
            (
                "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n",
                Err("cannot tell the binary's name"),
                "",
            ),
            (
                "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nCMD [\"cargo\", \"run\"]\n",
                Err("name it"),
                "",
            ),
            (
                "FROM rust:1.80\nRUN apt-get update && apt-get install -y libpq-dev\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n",
                Ok("FROM debian:bookworm-slim AS runtime"),
                "COPY --from=builder /app/target/release/app /usr/local/bin/app",
            ),
        ];
        for (input, want, copy) in cases {
            match (convert(input, &auto()), want) {
                (Ok(c), Ok(from)) => {
                    assert!(
                        c.dockerfile.contains(from),
                        "{input}\n---\n{}",
                        c.dockerfile
                    );
                    assert!(
                        c.dockerfile.contains(copy),
                        "{input}\n---\n{}",
                        c.dockerfile
                    );
                    assert_eq!(c.strategy, "rust-binary");
                }
                (Err(r), Err(why)) => assert!(r.reason.contains(why), "{input}\n---\n{}", r.reason),
                (got, _) => panic!("{input}\n---\n{got:?}"),
            }
        }
    }

    #[test]
    fn cargo_run_is_built_once() {
        let c = convert(
            "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nCMD [\"cargo\", \"run\", \"--release\", \"--bin\", \"web\", \"--\", \"--port\", \"8080\"]\n",
            &auto(),
        )
        .unwrap_or_else(|r| panic!("{r}"));
        assert!(
            c.dockerfile.contains("RUN cargo build --release --bin web"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.dockerfile
                .contains("CMD [\"/usr/local/bin/web\", \"--port\", \"8080\"]"),
            "{}",
            c.dockerfile
        );
    }

    #[test]
    fn scratch_with_glibc_is_refused_and_cache_mounts_copy_out() {
        let text = "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n";
        let scratch = ConvertOptions {
            runtime: RuntimePreference::Scratch,
            ..auto()
        };
        assert!(convert(text, &scratch).is_err_and(|r| r.reason.contains("musl")));
        let mounts = ConvertOptions {
            cache_mounts: true,
            ..auto()
        };
        let c = convert(text, &mounts).unwrap_or_else(|r| panic!("{r}"));
        assert!(
            c.dockerfile.contains("RUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/usr/local/cargo/git/db --mount=type=cache,target=/app/target cargo build --release && cp /app/target/release/app /usr/local/bin/app"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.dockerfile
                .contains("COPY --from=builder /usr/local/bin/app /usr/local/bin/app"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.dockerfile.starts_with("# syntax=docker/dockerfile:1"),
            "{}",
            c.dockerfile
        );
    }

    #[test]
    fn cache_mounts_copy_a_cargo_run_binary_out_of_target() {
        let text =
            "FROM rust:1.82\nWORKDIR /bot\nCOPY . .\nCMD cargo run --release --bin discord-bot\n";
        let mounts = ConvertOptions {
            cache_mounts: true,
            ..auto()
        };
        let c = convert(text, &mounts).unwrap_or_else(|r| panic!("{r}"));
        assert!(
            c.dockerfile.contains("--mount=type=cache,target=/bot/target cargo build --release --bin discord-bot && cp /bot/target/release/discord-bot /usr/local/bin/discord-bot\n"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.dockerfile.contains(
                "COPY --from=builder /usr/local/bin/discord-bot /usr/local/bin/discord-bot"
            ),
            "{}",
            c.dockerfile
        );
    }
}
