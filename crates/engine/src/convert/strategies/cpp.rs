//! C and C++ built with make, CMake, Meson, Ninja or autotools: the
//! original stage becomes the builder (compilers, `-dev` headers, sources),
//! and the runtime stage is the slim image of the same distribution release
//! with the runtime libraries of the `-dev` packages and only the program —
//! the file `CMD`/`ENTRYPOINT` runs from the build tree, or everything the
//! install step installed, staged into `/out` with `DESTDIR` and copied
//! whole.
//!
//! The second half of this file holds the helpers the Rust and generic
//! strategies share with it: which distribution a builder image is, which
//! runtime packages a stage needs, what `CMD`/`ENTRYPOINT` run, shell-word
//! editing, and the assembly of the builder and runtime stages.

use super::common::{
    add, command_words, exec_form, install_command, keep, keep_quiet, runtime_package_list,
    trim_after_last_run, user_items,
};
use super::{Detection, Strategy};
use std::collections::{BTreeSet, HashSet};

use crate::convert::classify::{
    ACCOUNT_COMMANDS, classify_run, is_account_guard, is_runtime_setup, runtime_package_names,
};
use crate::convert::context::ConvertContext;
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::{ImageUsers, is_root};
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::{CommandKind, HealthTest};
use crate::knowledge::packages::{Distro, is_dev, package_name, runtime_for};
use crate::model::{BaseImage, Instruction, join_workdir};

/// The strategy.
pub struct Cpp;

/// Where the install step is staged.
const STAGE_DIR: &str = "/out";

/// Commands that build C or C++.
const BUILD_TOOLS: &[&str] = &[
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "gcc",
    "g++",
    "cc",
    "c++",
    "clang",
    "clang++",
    "autoreconf",
    "bootstrap",
    "autogen.sh",
    "configure",
    "scons",
    "b2",
];

/// Compiler drivers (their `-o` names an output).
const COMPILERS: &[&str] = &[
    "gcc", "g++", "cc", "c++", "clang", "clang++", "gcc-12", "g++-12", "gcc-13", "g++-13",
    "gcc-14", "g++-14",
];

/// System packages that mean a C/C++ toolchain.
const TOOLCHAIN_PACKAGES: &[&str] = &[
    "build-essential",
    "build-base",
    "g++",
    "gcc",
    "gcc-c++",
    "clang",
    "cmake",
    "meson",
    "ninja-build",
    "samurai",
    "autoconf",
    "automake",
    "libtool",
    "make",
];

/// Files that mean a C/C++ project.
const PROJECT_FILES: &[&str] = &[
    "CMakeLists.txt",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "meson.build",
    "configure",
    "configure.ac",
    "*.c",
    "*.cc",
    "*.cpp",
    "*.cxx",
    "*.h",
    "*.hpp",
    "conanfile.txt",
    "conanfile.py",
    "vcpkg.json",
];

/// Base images of other language toolchains: `make` alone there builds
/// that language, not C.
const OTHER_TOOLCHAIN_IMAGES: &[&str] = &[
    "golang",
    "rust",
    "node",
    "python",
    "ruby",
    "php",
    "maven",
    "gradle",
    "openjdk",
    "sdk",
    "composer",
    "eclipse-temurin",
    "elixir",
    "erlang",
    "haskell",
    "swift",
];

/// What a C/C++ build installs or produces.
#[derive(Debug, Default)]
struct Builds {
    /// Directories builds ran in (absolute), and `-B`/`-C` directories.
    dirs: Vec<String>,
    /// Compiler `-o` outputs (absolute).
    outputs: Vec<String>,
    /// Install prefixes seen (`--prefix`, `CMAKE_INSTALL_PREFIX`).
    prefixes: Vec<String>,
    /// `RUN`s with an install step: node, line, the rewritten text.
    installs: Vec<(usize, usize, Option<String>)>,
    /// Whether `-static` links the program.
    static_link: bool,
    /// Whether the build already writes to a `DESTDIR`.
    own_destdir: bool,
}

fn is_build_word(word: &str) -> bool {
    let base = word.rsplit('/').next().unwrap_or(word);
    BUILD_TOOLS.contains(&base)
}

/// Reads the build commands of the stage.
fn read_builds(cx: &ConvertContext<'_>) -> Builds {
    let mut b = Builds::default();
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        let text = instruction_text(cx, i);
        let mut dir = i.context.workdir.as_deref().unwrap_or("/").to_string();
        let mut install_found = false;
        for cmd in shell_commands(&text, cx.escape()) {
            let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
            let Some(t) = tool_index(&words) else {
                continue;
            };
            let Some(tool) = words.get(t) else { continue };
            let base = tool.rsplit('/').next().unwrap_or(tool).to_string();
            let rest: Vec<&str> = words.iter().skip(t + 1).map(String::as_str).collect();
            if base == "cd" {
                if let Some(d) = rest.first() {
                    dir = join_workdir(Some(&dir), d);
                }
                continue;
            }
            if words.iter().any(|w| w == "-static") || rest.iter().any(|w| w.contains("-static\""))
            {
                b.static_link = true;
            }
            if is_build_word(tool) {
                if !b.dirs.contains(&dir) {
                    b.dirs.push(dir.clone());
                }
                for flag in ["-B", "-C", "--build"] {
                    if let Some(v) = flag_arg(&rest, flag) {
                        let d = join_workdir(Some(&dir), v);
                        if !b.dirs.contains(&d) {
                            b.dirs.push(d);
                        }
                    }
                }
            }
            if COMPILERS.contains(&base.as_str())
                && let Some(out) = flag_arg(&rest, "-o")
            {
                b.outputs.push(join_workdir(Some(&dir), out));
            }
            for w in &rest {
                for key in [
                    "--prefix=",
                    "-DCMAKE_INSTALL_PREFIX=",
                    "-DCMAKE_INSTALL_PREFIX:PATH=",
                    "PREFIX=",
                    "prefix=",
                ] {
                    if let Some(p) = w.strip_prefix(key).and_then(|p| resolved_path(cx, p)) {
                        b.prefixes.push(p);
                    }
                }
            }
            if let Some(p) = flag_arg(&rest, "--prefix").and_then(|p| resolved_path(cx, p)) {
                b.prefixes.push(p);
            }
            if is_install(&base, &rest) {
                if words.iter().any(|w| w.starts_with("DESTDIR=")) {
                    b.own_destdir = true;
                } else {
                    install_found = true;
                }
            }
        }
        let _ = run;
        if install_found {
            b.installs
                .push((i.node, i.start_line, staged_install(&text, cx.escape())));
        }
    }
    if b.prefixes.is_empty() {
        b.prefixes.push("/usr/local".into());
    }
    b
}

/// An absolute path as a build uses it, without trailing slashes: as
/// written, or with a leading `$NAME`/`${NAME}` replaced by the stage's
/// value of that variable (`--prefix=${NAGIOS_HOME}`).
pub(super) fn resolved_path(cx: &ConvertContext<'_>, path: &str) -> Option<String> {
    let path = if let Some(var) = path.strip_prefix('$') {
        let (name, rest) = match var.strip_prefix('{') {
            Some(braced) => braced.split_once('}')?,
            None => {
                let end = var
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(var.len());
                (var.get(..end)?, var.get(end..)?)
            }
        };
        let (_, value) = cx.stage.env.iter().rev().find(|(k, _)| k == name)?;
        format!("{value}{rest}")
    } else {
        path.to_string()
    };
    (path.starts_with('/') && !path.contains('$'))
        .then(|| path.trim_end_matches('/').to_string())
        .filter(|p| !p.is_empty())
}

/// Whether a command installs what a build made.
fn is_install(tool: &str, rest: &[&str]) -> bool {
    let positional = |w: &&&str| !w.starts_with('-') && !w.contains('=');
    match tool {
        "make" | "gmake" | "ninja" | "samu" => rest
            .iter()
            .filter(positional)
            .any(|w| *w == "install" || w.starts_with("install-")),
        "cmake" => {
            rest.contains(&"--install")
                || (rest.contains(&"--build")
                    && (flag_arg(rest, "--target") == Some("install")
                        || flag_arg(rest, "-t") == Some("install")
                        || rest.contains(&"--target=install")))
        }
        "meson" => rest
            .iter()
            .find(positional)
            .is_some_and(|w| *w == "install"),
        _ => false,
    }
}

/// The RUN text with every install command followed by the same install
/// into the staging directory (`make install && make DESTDIR=/out install`).
fn staged_install(text: &str, escape: char) -> Option<String> {
    let mut edits: Vec<(usize, String)> = Vec::new();
    for cmd in shell_commands(text, escape) {
        let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(text))).collect();
        let Some(t) = tool_index(&words) else {
            continue;
        };
        let (Some(tool), Some(tool_word), Some(first), Some(last)) =
            (words.get(t), cmd.get(t), cmd.first(), cmd.last())
        else {
            continue;
        };
        let base = tool.rsplit('/').next().unwrap_or(tool);
        let rest: Vec<&str> = words.iter().skip(t + 1).map(String::as_str).collect();
        if !is_install(base, &rest) || words.iter().any(|w| w.starts_with("DESTDIR=")) {
            continue;
        }
        let original = text.get(first.start..last.end)?;
        let staged = if base == "make" || base == "gmake" {
            let at = tool_word.end - first.start;
            format!(
                "{} DESTDIR={STAGE_DIR}{}",
                original.get(..at)?,
                original.get(at..)?
            )
        } else {
            let at = tool_word.start - first.start;
            format!(
                "{}DESTDIR={STAGE_DIR} {}",
                original.get(..at)?,
                original.get(at..)?
            )
        };
        edits.push((last.end, format!(" && {staged}")));
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    edits.sort_by_key(|b| std::cmp::Reverse(b.0));
    for (at, insert) in edits {
        if at > out.len() {
            return None;
        }
        out.insert_str(at, &insert);
    }
    Some(out)
}

impl Strategy for Cpp {
    fn name(&self) -> &'static str {
        "cpp-make"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Cpp
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let base = base_info(cx);
        let short = base
            .as_ref()
            .map(|b| b.resolved.short_name().to_string())
            .unwrap_or_default();
        if short == "gcc" {
            d.add(
                10,
                cx.stage.line,
                format!("base image `{}` is the GCC toolchain", cx.stage.base_text),
            );
        }
        'packages: for i in cx.instructions() {
            if let Some(system) = classify_run(i).system {
                for p in &system.installed {
                    if TOOLCHAIN_PACKAGES.contains(&package_name(p)) {
                        d.add(
                            5,
                            i.start_line,
                            format!("installs the C/C++ toolchain package `{}`", package_name(p)),
                        );
                        break 'packages;
                    }
                }
            }
        }
        if let Some((i, s)) = cx
            .copies()
            .flat_map(|(i, _)| cx.copy_sources(i).into_iter().map(move |s| (i, s)))
            .find(|(_, s)| {
                let b = base_name(s);
                PROJECT_FILES
                    .iter()
                    .any(|p| crate::convert::context::glob_match(p, &b))
            })
        {
            d.add(
                5,
                i.start_line,
                format!("copies the C/C++ project file `{s}`"),
            );
        }
        let mut build: Option<(usize, String)> = None;
        let mut only_make = true;
        for (i, c) in cx.commands() {
            let name = c.base_name();
            if is_build_word(name) || name.ends_with("configure") {
                if !matches!(name, "make" | "gmake") {
                    only_make = false;
                }
                if build.is_none() {
                    build = Some((i.start_line, name.to_string()));
                }
            }
        }
        let (line, tool) = build?;
        // Another language's toolchain image running `make` builds that language.
        if only_make && OTHER_TOOLCHAIN_IMAGES.contains(&short.as_str()) {
            return None;
        }
        d.add(10, line, format!("builds with `{tool}`"));
        (d.score >= 15).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let eco = Some(Ecosystem::Cpp);
        super::common::refuse_unresolved_packages(cx, eco)?;
        let base = base_info(cx).ok_or_else(|| {
            Refusal::new(eco, "the build stage does not start from an image restage can derive a runtime image from")
        })?;
        let mut plan = Plan::new(Ecosystem::Cpp, self.name(), Confidence::High);
        let builds = read_builds(cx);
        if builds.own_destdir {
            return Err(Refusal::new(
                eco,
                "the install step already writes to its own DESTDIR, and nothing copies it to where CMD/ENTRYPOINT look; restage cannot tell which installed files the program needs",
            ));
        }
        let programs = programs(cx);
        if programs.is_empty() {
            return Err(Refusal::new(
                eco,
                "no CMD or ENTRYPOINT names the program, so restage cannot tell which file the build produces for the runtime image",
            ));
        }
        let workdir = cx.final_workdir();
        let copies = context_destinations(cx);
        let installed = !builds.installs.is_empty();
        let mut in_tree: Vec<(String, usize)> = Vec::new();
        // The programs the staged install must hold (checked), and whether
        // the check can test for them: only for paths under the install
        // prefixes and for names looked up on PATH.
        let mut from_install: Vec<(String, usize, bool)> = Vec::new();
        // Whether a kept `COPY`/`ADD` of the build context provides a program.
        let mut copied_program = false;
        let mut artifact_words: Vec<String> = Vec::new();
        let mut scripts: Vec<String> = Vec::new();
        let outs = copy_outs(cx);
        for p in &programs {
            let word = p.word.as_str();
            let base = base_name(word);
            if p.keyword == Keyword::Healthcheck && is_system_program(&base) {
                continue;
            }
            if is_script(&base) {
                scripts.push(format!("`{word}` (line {})", p.line));
                continue;
            }
            if !word.contains('/') {
                let built = builds
                    .outputs
                    .iter()
                    .chain(outs.iter().map(|o| &o.dest))
                    .find(|o| {
                        base_name(o) == word
                            && PATH_DIRS.iter().any(|d| o.starts_with(&format!("{d}/")))
                    });
                if let Some(path) = built {
                    if !in_tree.iter().any(|(a, _)| a == path) {
                        in_tree.push((path.clone(), p.line));
                    }
                    artifact_words.push(word.to_string());
                } else if copies
                    .iter()
                    .any(|c| PATH_DIRS.iter().any(|d| *c == format!("{d}/{word}")))
                {
                    copied_program = true;
                } else if installed && !is_system_program(word) {
                    from_install.push((word.to_string(), p.line, true));
                    artifact_words.push(word.to_string());
                }
                continue;
            }
            let abs = join_workdir(workdir.as_deref(), word);
            let under_prefix = builds
                .prefixes
                .iter()
                .any(|pre| abs.starts_with(&format!("{pre}/")));
            let inside =
                |d: &String| d != "/" && abs.starts_with(&format!("{}/", d.trim_end_matches('/')));
            if copies.contains(&abs) {
                // A file of the build context, copied as a runtime file: the
                // staged install does not have it.
                copied_program = true;
            } else if installed && under_prefix {
                from_install.push((abs, p.line, true));
                artifact_words.push(word.to_string());
            } else if builds.outputs.contains(&abs)
                || outs.iter().any(|o| o.dest == abs)
                || builds.dirs.iter().any(inside)
            {
                if !in_tree.iter().any(|(a, _)| *a == abs) {
                    in_tree.push((abs, p.line));
                }
                artifact_words.push(word.to_string());
            } else if copies.iter().any(inside) {
                // A file of the build context: copied as a runtime file.
                copied_program = true;
            } else if installed && under_prefix_like(&abs) {
                // Not under the prefixes: a later step may put it there
                // (`ln -s`), so the check does not test for it.
                from_install.push((abs, p.line, false));
                artifact_words.push(word.to_string());
            }
        }
        // A program copied from the build context runs what the install
        // step installed: everything it installed is copied, unchecked.
        let stage_install = !from_install.is_empty() || (installed && copied_program);
        if in_tree.is_empty() && !stage_install && !scripts.is_empty() {
            return Err(Refusal::new(
                eco,
                format!(
                    "the image starts {}, a script restage cannot read, so it cannot tell which built files the script runs",
                    scripts.join(", ")
                ),
            ));
        }
        if in_tree.is_empty() && !stage_install {
            let words: Vec<String> = programs
                .iter()
                .map(|p| format!("`{}` (line {})", p.word, p.line))
                .collect();
            return Err(Refusal::new(
                eco,
                format!(
                    "restage cannot tell which file the build produces: {} is neither a compiler output (`-o`), a file in a build directory, nor installed by `make install`/`cmake --install`",
                    words.join(", ")
                ),
            ));
        }

        // The runtime image.
        let needs = shell_reasons(cx, &artifact_words);
        let source_distro = base.package_distro();
        let family = base.family.clone();
        let toolchain_cxx = cx.instructions().any(|i| {
            classify_run(i).system.is_some_and(|s| {
                s.installed.iter().any(|p| {
                    matches!(
                        package_name(p),
                        "g++" | "build-base" | "build-essential" | "clang" | "gcc-c++" | "cmake"
                    )
                })
            })
        });
        let choice =
            choose_native_runtime(&base, cx.options.runtime, builds.static_link, &needs, eco)?;
        let mut head = Vec::new();
        let runtime_words = runtime_text(cx);
        let need = runtime_needs(cx, source_distro, choice.distro, &runtime_words);
        super::common::refuse_unmapped(&need.no_name, plan.ecosystem, choice.distro)?;
        if !need.unmapped.is_empty() {
            plan.warnings.push(format!(
                "no runtime package is known for {}; if the program links these libraries, install their runtime packages in the runtime stage",
                need.unmapped.join(", ")
            ));
            plan.confidence = Confidence::Medium;
        }
        if !need.dropped.is_empty() {
            plan.assumptions.push(format!(
                "Left out of the runtime stage: {} (build-time helpers that fetch or generate sources)",
                need.dropped.join(", ")
            ));
        }
        let mut packages = need.packages.clone();
        if choice.distro == Distro::Alpine && toolchain_cxx && !builds.static_link {
            for p in ["libstdc++", "libgcc"] {
                if !packages.iter().any(|q| q == p) {
                    packages.push(p.into());
                }
            }
        }
        if choice.shell {
            if !packages.is_empty() {
                let mut reason = need.reason.clone();
                if choice.distro == Distro::Alpine && toolchain_cxx && !builds.static_link {
                    reason.push_str(
                        "; Alpine has no C++ runtime (libstdc++, libgcc) until it is installed",
                    );
                }
                head.push(add(
                    install_command(choice.distro, &packages, cx.escape()),
                    ChangeKind::RuntimeLibrary,
                    format!("Runtime packages: {}", packages.join(", ")),
                    reason,
                    need.lines.clone(),
                ));
            }
            note_ubuntu_names(&base, &need, &choice.image, &mut plan);
        } else if !packages.is_empty() {
            return Err(Refusal::new(
                eco,
                format!(
                    "the program needs {} at run time, which cannot be installed in `{}` (no package manager); use --runtime slim",
                    packages.join(", "),
                    choice.image
                ),
            ));
        }
        if base.resolved.short_name() == "gcc" && !builds.static_link {
            head.push(add(
                "COPY --from=builder /usr/local/lib64/libstdc++.so.6* /usr/local/lib64/libgcc_s.so.1 /usr/local/lib64/",
                ChangeKind::CopyArtifact,
                "The C++ runtime of the builder's GCC",
                "the gcc image's compiler is built from source and newer than Debian's: a program it compiles needs its libstdc++ (`GLIBCXX_… not found` otherwise)",
                vec![cx.stage.line],
            ));
            if choice.shell {
                head.push(add(
                    "RUN echo /usr/local/lib64 > /etc/ld.so.conf.d/000-local-lib.conf && ldconfig",
                    ChangeKind::Add,
                    "The dynamic loader looks in /usr/local/lib64 first",
                    "as in the gcc image, so the program finds the newer libstdc++",
                    vec![cx.stage.line],
                ));
            } else {
                head.push(add(
                    "ENV LD_LIBRARY_PATH=/usr/local/lib64",
                    ChangeKind::Add,
                    "The dynamic loader looks in /usr/local/lib64",
                    "there is no shell to run ldconfig; the program must find the newer libstdc++",
                    vec![cx.stage.line],
                ));
            }
        }

        // Builder: the source stage, with the install step staged.
        let mut replace: Vec<(usize, Item)> = Vec::new();
        let mut after: Vec<(usize, Item)> = Vec::new();
        let mut artifacts: Vec<Item> = Vec::new();
        let mut artifact_node: Option<usize> = None;
        if stage_install {
            let Some(&(last_node, _, _)) = builds.installs.last() else {
                return Err(Refusal::new(eco, "internal: no install step"));
            };
            for (node, line, staged) in &builds.installs {
                let Some(text) = staged else {
                    return Err(Refusal::new(
                        eco,
                        format!(
                            "line {line}: restage could not add a staged install (`DESTDIR={STAGE_DIR}`) to this RUN"
                        ),
                    ));
                };
                replace.push((
                    *node,
                    Item::Rewrite {
                        node: *node,
                        text: text.clone(),
                        change: ChangeSpec::new(
                            ChangeKind::Rewrite,
                            format!("The install step is repeated into `{STAGE_DIR}`"),
                            format!("`DESTDIR={STAGE_DIR}` puts exactly the installed files under {STAGE_DIR}, so the runtime stage copies them in one step; the normal install stays for the builder's later steps"),
                            vec![*line],
                        ),
                    },
                ));
            }
            let mut checks: Vec<String> = from_install
                .iter()
                .filter(|(_, _, checked)| *checked)
                .map(|(w, _, _)| {
                    if w.starts_with('/') {
                        format!("test -e {STAGE_DIR}{w}")
                    } else {
                        format!(
                            "test -n \"$(find {STAGE_DIR} -name '{w}' \\( -type f -o -type l \\))\""
                        )
                    }
                })
                .collect();
            if checks.is_empty() {
                checks.push(format!("test -d {STAGE_DIR}"));
            }
            let esc = cx.escape();
            after.push((
                last_node,
                add(
                    format!(
                        "RUN {} {esc}\n    && find {STAGE_DIR} \\( -name '*.a' -o -name '*.la' \\) -type f -delete {esc}\n    && find {STAGE_DIR} -type d \\( -name include -o -name pkgconfig -o -path '*/share/man' -o -path '*/share/doc' \\) -prune -exec rm -rf {{}} +",
                        checks.join(" && ")
                    ),
                    ChangeKind::Add,
                    "The staged install is checked and trimmed",
                    "the build stops here if the install step ignored DESTDIR; headers, static libraries, pkg-config files and manuals are only needed to build",
                    vec![],
                ),
            ));
            artifact_node = Some(last_node);
            artifacts.push(add(
                format!("COPY --from=builder {STAGE_DIR}/ /"),
                ChangeKind::CopyArtifact,
                "Everything the install step installed is copied",
                "the staged install holds the program and the shared libraries the project installs, at their installed paths",
                builds.installs.iter().map(|(_, l, _)| *l).collect(),
            ));
            if choice.shell && choice.distro != Distro::Alpine {
                artifacts.push(add(
                    "RUN ldconfig",
                    ChangeKind::Add,
                    "The dynamic loader learns the installed libraries",
                    "libraries installed into /usr/local/lib are found through the loader cache",
                    vec![],
                ));
            } else if !choice.shell && choice.distro != Distro::Alpine {
                let dirs: Vec<String> =
                    builds.prefixes.iter().map(|p| format!("{p}/lib")).collect();
                artifacts.push(add(
                    format!("ENV LD_LIBRARY_PATH={}", dirs.join(":")),
                    ChangeKind::Add,
                    "The dynamic loader looks in the install prefix",
                    "there is no shell to run ldconfig for installed shared libraries",
                    vec![],
                ));
            }
        }
        for (path, line) in &in_tree {
            let producer = cx
                .instructions()
                .filter(|i| i.run.is_some() && classify_run(i).builds)
                .last()
                .map(|i| i.node);
            if artifact_node.is_none() {
                artifact_node = producer;
            }
            artifacts.push(add(
                format!("COPY --from=builder {path} {path}"),
                ChangeKind::CopyArtifact,
                format!("Only the program `{path}` is copied"),
                "it is what CMD/ENTRYPOINT runs; the compilers, headers, sources and object files stay in the builder",
                vec![*line],
            ));
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        if !in_tree.is_empty() {
            plan.assumptions.push("The program is copied alone from the build tree. If the project also builds shared libraries it loads from there, copy them too (or install them with `make install`).".into());
        }
        let builder = builder_items(cx, &replace, &after, Vec::new());
        let spec = RuntimeSpec {
            image: choice.image.clone(),
            shell: choice.shell,
            distro: choice.distro,
            existing_user: choice.existing_user,
            head,
            artifacts,
            artifact_node,
            rewrites: Vec::new(),
            artifact_words,
            overrides: Vec::new(),
        };
        let runtime = runtime_items(cx, &spec, &mut plan)?;
        if matches!(family, Family::Ubuntu) {
            plan.confidence = plan.confidence.min(Confidence::Medium);
        }
        plan.stages.push(builder_stage(
            cx,
            builder,
            "it keeps the compilers, headers and sources to build",
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
        super::system_files::copy_written_files(cx, &mut plan, "builder");
        Ok(plan)
    }
}

/// Whether a program is a script (its interpreter runs it).
pub(super) fn is_script(name: &str) -> bool {
    [".sh", ".bash", ".py", ".pl", ".rb", ".js"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// Absolute paths in the usual install places.
fn under_prefix_like(path: &str) -> bool {
    ["/usr/local/", "/opt/"].iter().any(|p| path.starts_with(p))
}

/// Programs every image has, or that a Dockerfile usually gets from packages.
pub(super) fn is_system_program(word: &str) -> bool {
    matches!(
        word,
        "sh" | "bash"
            | "ash"
            | "dash"
            | "zsh"
            | "env"
            | "exec"
            | "sleep"
            | "tail"
            | "cat"
            | "echo"
            | "true"
            | "curl"
            | "wget"
            | "nc"
            | "python"
            | "python3"
            | "node"
            | "java"
            | "perl"
            | "ruby"
            | "php"
            | "nginx"
            | "supervisord"
            | "runsvdir"
            | "runsv"
            | "my_init"
            | "s6-svscan"
            | "cron"
            | "crond"
            | "tini"
            | "dumb-init"
            | "gosu"
            | "su-exec"
            | "ls"
            | "ps"
            | "printenv"
            | "test"
            | "["
    )
}

// ---------------------------------------------------------------------------
// Shared with rust.rs and generic.rs: helpers for native-code builds.
// ---------------------------------------------------------------------------

/// The distribution a builder image is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Family {
    /// Debian, or an image built on it, with the codename.
    Debian(&'static str),
    /// Ubuntu.
    Ubuntu,
    /// Alpine.
    Alpine,
    /// Anything else.
    Other,
}

/// The image the build stage starts from.
#[derive(Debug, Clone)]
pub(super) struct BaseInfo {
    /// The image text as written (variables kept) when it names the same
    /// image as the resolved text, otherwise the resolved text.
    pub raw: ImageText,
    /// The image after `ARG` defaults.
    pub resolved: ImageText,
    /// Its distribution.
    pub family: Family,
}

impl BaseInfo {
    /// The distribution whose package names the builder's packages use.
    pub fn package_distro(&self) -> Distro {
        match &self.family {
            Family::Debian("trixie") => Distro::Trixie,
            Family::Debian(_) => Distro::Bookworm,
            Family::Alpine => Distro::Alpine,
            Family::Ubuntu => {
                let tag = self.resolved.tag.as_deref().unwrap_or("latest");
                if ["18.", "20.", "22.", "bionic", "focal", "jammy"]
                    .iter()
                    .any(|t| tag.starts_with(t))
                {
                    Distro::Bookworm
                } else {
                    Distro::Trixie
                }
            }
            Family::Other => match self.resolved.distro() {
                Distro::Rhel => Distro::Rhel,
                d => d,
            },
        }
    }

    /// The Debian release number of the builder (`12`, `13`), for
    /// distroless image names; `None` for releases distroless dropped.
    pub fn debian_release(&self) -> Option<&'static str> {
        match &self.family {
            Family::Debian("bookworm") => Some("12"),
            Family::Debian("trixie") => Some("13"),
            Family::Debian(_) | Family::Other | Family::Alpine => None,
            Family::Ubuntu => match self.package_distro() {
                Distro::Bookworm => Some("12"),
                _ => Some("13"),
            },
        }
    }
}

/// The root image of the stage (through `FROM <earlier stage>`).
pub(super) fn base_info(cx: &ConvertContext<'_>) -> Option<BaseInfo> {
    let mut stage = cx.stage;
    for _ in 0..cx.model.stages.len() + 1 {
        match &stage.base {
            BaseImage::Image { reference, .. } => {
                let resolved = ImageText::parse(reference);
                let written = ImageText::parse(&stage.base_text);
                let raw = if written.short_name() == resolved.short_name() {
                    written
                } else {
                    resolved.clone()
                };
                let family = family_of(&resolved);
                return Some(BaseInfo {
                    raw,
                    resolved,
                    family,
                });
            }
            BaseImage::Stage { index } => stage = cx.model.stages.get(*index)?,
            BaseImage::Scratch => return None,
        }
    }
    None
}

/// The distribution of an image.
pub(super) fn family_of(image: &ImageText) -> Family {
    let short = image.short_name();
    let tag = image.tag.as_deref().unwrap_or("latest");
    if short == "alpine" || tag.contains("alpine") {
        return Family::Alpine;
    }
    if short == "ubuntu" {
        return Family::Ubuntu;
    }
    if image.distro() == Distro::Rhel {
        return Family::Other;
    }
    match debian_codename(image) {
        Some(c) => Family::Debian(c),
        None => Family::Other,
    }
}

/// Images known to be built on Debian whose tag may omit the codename.
const DEBIAN_IMAGES: &[&str] = &[
    "python",
    "node",
    "ruby",
    "golang",
    "perl",
    "php",
    "buildpack-deps",
    "haskell",
    "erlang",
    "elixir",
];

/// The Debian codename an image is built on, when known.
pub(super) fn debian_codename(image: &ImageText) -> Option<&'static str> {
    if let Some(c) = image.codename() {
        return Some(c);
    }
    let tag = image.tag.as_deref().unwrap_or("latest");
    let number = |t: &str, n: usize| -> Option<u32> { t.split(['.', '-']).nth(n)?.parse().ok() };
    match image.short_name() {
        "debian" => Some(match tag {
            t if t.starts_with("12") => "bookworm",
            t if t.starts_with("11") => "bullseye",
            t if t.starts_with("10") => "buster",
            _ => "trixie",
        }),
        // The gcc images: 12–15 on bookworm, 16 on trixie.
        "gcc" => Some(match number(tag, 0) {
            Some(n) if n >= 16 => "trixie",
            Some(n) if n >= 12 => "bookworm",
            Some(n) if n >= 10 => "bullseye",
            Some(_) => "buster",
            None => "trixie",
        }),
        // The rust images: bookworm from 1.71, trixie from 1.89.
        "rust" => Some(match (number(tag, 0), number(tag, 1)) {
            (Some(1), Some(m)) if m >= 89 => "trixie",
            (Some(1), Some(m)) if m >= 71 => "bookworm",
            (Some(1), Some(_)) => "bullseye",
            _ => "trixie",
        }),
        short if DEBIAN_IMAGES.contains(&short) => Some(match image.distro() {
            Distro::Bookworm => "bookworm",
            _ => "trixie",
        }),
        _ => None,
    }
}

/// The Alpine image matching an Alpine-based builder (`rust:1.80-alpine3.20`
/// → `alpine:3.20`); the builder itself when it is `alpine`.
pub(super) fn alpine_image(base: &BaseInfo) -> String {
    if base.raw.short_name() == "alpine" {
        return base
            .raw
            .with_tag(base.raw.tag.as_deref().unwrap_or("latest"));
    }
    let tag = base.raw.tag.clone().unwrap_or_default();
    match tag.split_once("alpine") {
        Some((_, version)) if !version.is_empty() => format!("alpine:{version}"),
        _ => "alpine:3.20".into(),
    }
}

/// The slim tag of a `debian` image: `debian:bookworm` → `debian:bookworm-slim`,
/// `debian:12` → `debian:12-slim`, `debian` → `debian:trixie-slim`.
/// (`ImageText::slim` gives `debian:bookworm-slim-bookworm` for these.)
pub(super) fn debian_slim(raw: &ImageText, codename: &str) -> String {
    match raw.tag.as_deref() {
        None | Some("latest") => raw.with_tag(&format!("{codename}-slim")),
        Some(t) if t.contains("slim") => raw.with_tag(t),
        Some(t) => raw.with_tag(&format!("{t}-slim")),
    }
}

/// A runtime image decision.
#[derive(Debug, Clone)]
pub(super) struct RuntimeChoice {
    /// The image text.
    pub image: String,
    /// The `FROM` of the runtime stage.
    pub from: StageFrom,
    /// Whether it has a shell and a package manager.
    pub shell: bool,
    /// Its package-name distribution.
    pub distro: Distro,
    /// Its own non-root user.
    pub existing_user: Option<&'static str>,
    /// Why this image.
    pub reason: String,
}

impl RuntimeChoice {
    fn image(
        image: String,
        shell: bool,
        distro: Distro,
        user: Option<&'static str>,
        reason: String,
    ) -> Self {
        Self {
            from: StageFrom::Image {
                image: image.clone(),
                platform: None,
            },
            image,
            shell,
            distro,
            existing_user: user,
            reason,
        }
    }
}

/// The image with a shell for a glibc or musl build: the slim image of the
/// same Debian release, the same Ubuntu, or the matching Alpine.
pub(super) fn shell_image(
    base: &BaseInfo,
    eco: Option<Ecosystem>,
) -> Result<RuntimeChoice, Refusal> {
    let distro = base.package_distro();
    match &base.family {
        Family::Debian(code) => {
            let (image, from) = if base.raw.short_name() == "debian" {
                let slim = debian_slim(&base.raw, code);
                (slim.clone(), StageFrom::SourceImage(slim))
            } else {
                let image = format!("debian:{code}-slim");
                (
                    image.clone(),
                    StageFrom::Image {
                        image,
                        platform: None,
                    },
                )
            };
            Ok(RuntimeChoice {
                reason: format!(
                    "the same Debian release as the builder ({code}), so the program finds the same glibc and library versions, without compilers and headers"
                ),
                image,
                from,
                shell: true,
                distro,
                existing_user: None,
            })
        }
        Family::Ubuntu => {
            let image = base
                .raw
                .with_tag(base.raw.tag.as_deref().unwrap_or("latest"));
            Ok(RuntimeChoice {
                reason: "the builder's own Ubuntu release (already small), so glibc and library versions match; the compilers and headers are not installed in it".into(),
                from: StageFrom::SourceImage(image.clone()),
                image,
                shell: true,
                distro,
                existing_user: None,
            })
        }
        Family::Alpine => {
            let image = alpine_image(base);
            let from = if base.raw.short_name() == "alpine" {
                StageFrom::SourceImage(image.clone())
            } else {
                StageFrom::Image {
                    image: image.clone(),
                    platform: None,
                }
            };
            Ok(RuntimeChoice {
                reason: "the builder links against musl; the matching Alpine release runs it without the build packages".into(),
                image,
                from,
                shell: true,
                distro: Distro::Alpine,
                existing_user: None,
            })
        }
        Family::Other => Err(Refusal::new(
            eco,
            format!(
                "restage cannot name a runtime image for the builder `{}` (it knows Debian, Ubuntu and Alpine based images); the runtime image must have the same C library and library versions",
                base.resolved
                    .with_tag(base.resolved.tag.as_deref().unwrap_or("latest"))
            ),
        )),
    }
}

/// The runtime image for a C/C++ (or generic) program.
fn choose_native_runtime(
    base: &BaseInfo,
    preference: RuntimePreference,
    static_link: bool,
    shell_needs: &[String],
    eco: Option<Ecosystem>,
) -> Result<RuntimeChoice, Refusal> {
    let musl = base.family == Family::Alpine;
    let need_shell = |image: &str| -> Result<(), Refusal> {
        match shell_needs.first() {
            Some(why) => Err(Refusal::new(
                eco,
                format!("{why}, and `{image}` has no shell; use --runtime slim"),
            )),
            None => Ok(()),
        }
    };
    match preference {
        RuntimePreference::Auto | RuntimePreference::Slim
            if !musl || preference == RuntimePreference::Auto =>
        {
            shell_image(base, eco)
        }
        RuntimePreference::Slim => {
            if static_link {
                Ok(RuntimeChoice::image(
                    "debian:trixie-slim".into(),
                    true,
                    Distro::Trixie,
                    None,
                    "the program is linked statically, so any distribution runs it".into(),
                ))
            } else {
                Err(Refusal::new(
                    eco,
                    "the program is built on Alpine and links musl; it does not run on Debian slim (use --runtime alpine)",
                ))
            }
        }
        RuntimePreference::Alpine => {
            if musl {
                shell_image(base, eco)
            } else if static_link {
                Ok(RuntimeChoice::image(
                    "alpine:3.20".into(),
                    true,
                    Distro::Alpine,
                    None,
                    "the program is linked statically, so Alpine runs it".into(),
                ))
            } else {
                Err(Refusal::new(
                    eco,
                    "the program is built against glibc; it does not run on Alpine (musl)",
                ))
            }
        }
        RuntimePreference::Distroless => {
            if static_link {
                need_shell("gcr.io/distroless/static-debian12:nonroot")?;
                return Ok(RuntimeChoice::image("gcr.io/distroless/static-debian12:nonroot".into(), false, Distro::Bookworm, Some("nonroot:nonroot"), "the program is linked statically; distroless static adds only CA certificates, time zones and a non-root user".into()));
            }
            if musl {
                return Err(Refusal::new(
                    eco,
                    "the program links musl (built on Alpine); distroless images are glibc",
                ));
            }
            let Some(release) = base.debian_release() else {
                return Err(Refusal::new(
                    eco,
                    "distroless images exist for Debian 12 and 13 only; the builder's release has none",
                ));
            };
            let image = format!("gcr.io/distroless/cc-debian{release}:nonroot");
            need_shell(&image)?;
            Ok(RuntimeChoice::image(
                image,
                false,
                Distro::Bookworm,
                Some("nonroot:nonroot"),
                format!(
                    "distroless cc has glibc, libstdc++, libgcc and OpenSSL of Debian {release}, nothing else"
                ),
            ))
        }
        RuntimePreference::Scratch => {
            if static_link {
                need_shell("scratch")?;
                Ok(RuntimeChoice::image(
                    "scratch".into(),
                    false,
                    Distro::Bookworm,
                    None,
                    "the program is linked statically and needs no C library".into(),
                ))
            } else {
                Err(Refusal::new(
                    eco,
                    "the program is linked dynamically (no `-static` is visible), so it cannot run on scratch, which has no C library; use --runtime distroless or slim",
                ))
            }
        }
        RuntimePreference::Auto => shell_image(base, eco),
    }
}

/// A program `CMD`, `ENTRYPOINT` or `HEALTHCHECK` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Program {
    /// The word as written (`./target/release/app`, `app`).
    pub word: String,
    /// The instruction's line.
    pub line: usize,
    /// The instruction's keyword.
    pub keyword: Keyword,
}

/// Wrappers that start the real program.
const WRAPPERS: &[&str] = &["tini", "dumb-init", "exec", "nohup", "catatonit"];
/// Wrappers that take a user first.
const USER_WRAPPERS: &[&str] = &["gosu", "su-exec", "chpst"];

/// The words of a `CMD`/`ENTRYPOINT`/`HEALTHCHECK` and whether it is in
/// shell form.
pub(super) fn launch_words(cx: &ConvertContext<'_>, i: &Instruction) -> (Vec<String>, bool) {
    match i.kind() {
        Some(CommandKind::Healthcheck(h)) => match &h.test {
            HealthTest::Cmd(v) => (v.clone(), false),
            HealthTest::CmdShell(s) => (s.split_whitespace().map(str::to_string).collect(), true),
            HealthTest::None => (Vec::new(), false),
        },
        _ => command_words(cx, i),
    }
}

/// The first real program of a command line (wrappers and flags skipped).
fn first_program(words: &[String]) -> Option<String> {
    let mut iter = words.iter().peekable();
    while let Some(w) = iter.next() {
        let base = w.rsplit('/').next().unwrap_or(w);
        if w.starts_with('-') || w.contains('=') && !w.contains('/') {
            continue;
        }
        if WRAPPERS.contains(&base) {
            continue;
        }
        if USER_WRAPPERS.contains(&base) {
            iter.next();
            continue;
        }
        if base == "env" {
            continue;
        }
        return Some(w.clone());
    }
    None
}

/// The programs the image runs: the first program of the last
/// `ENTRYPOINT`, of the last `CMD`, and of the last `HEALTHCHECK`.
pub(super) fn programs(cx: &ConvertContext<'_>) -> Vec<Program> {
    let mut out: Vec<Program> = Vec::new();
    let shell = super::shell_command::of_stage(cx).filter(|s| s.exec);
    for keyword in [Keyword::Entrypoint, Keyword::Cmd, Keyword::Healthcheck] {
        let Some(i) = cx.last(keyword) else { continue };
        if keyword == Keyword::Cmd && !cmd_is_program(cx) {
            continue;
        }
        // `sh -c SCRIPT`: the program is the one the script starts.
        if keyword != Keyword::Healthcheck
            && let Some(s) = shell.as_ref().filter(|s| s.involves(i))
            && let Some(program) = s.program()
        {
            let words: Vec<String> = std::iter::once(program.name).chain(program.args).collect();
            if let Some(word) = first_program(&words)
                && !out.iter().any(|p| p.word == word)
            {
                out.push(Program {
                    word,
                    line: s.instruction.start_line,
                    keyword,
                });
            }
            continue;
        }
        let (words, shell_form) = launch_words(cx, i);
        let words: Vec<String> = if shell_form && words.first().is_some_and(|w| w == "exec") {
            words.into_iter().skip(1).collect()
        } else {
            words
        };
        if let Some(word) = first_program(&words)
            && !out.iter().any(|p| p.word == word)
        {
            out.push(Program {
                word,
                line: i.start_line,
                keyword,
            });
        }
    }
    out
}

/// Whether `CMD` names a program: there is no `ENTRYPOINT`, or it only
/// wraps (`tini --`), or it is a script that runs its arguments (`exec
/// "$@"`) and `CMD` does not start with an option. Otherwise `CMD` holds
/// the `ENTRYPOINT`'s arguments.
pub(super) fn cmd_is_program(cx: &ConvertContext<'_>) -> bool {
    let Some(entrypoint) = cx.last(Keyword::Entrypoint) else {
        return true;
    };
    let (words, shell_form) = launch_words(cx, entrypoint);
    if words.is_empty() {
        return true;
    }
    if shell_form {
        return false;
    }
    match first_program(&words) {
        None => true,
        Some(p) => {
            let cmd_first = cx
                .last(Keyword::Cmd)
                .map(|c| launch_words(cx, c).0)
                .and_then(|w| w.first().cloned())
                .unwrap_or_default();
            is_script(&base_name(&p)) && !cmd_first.starts_with('-')
        }
    }
}

/// Why the runtime image needs a shell (empty when it does not): shell
/// features in the command, scripts, programs that are not artifacts, and
/// runtime setup beyond creating a user.
pub(super) fn shell_reasons(cx: &ConvertContext<'_>, artifact_words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in [Keyword::Entrypoint, Keyword::Cmd, Keyword::Healthcheck] {
        let Some(i) = cx.last(keyword) else { continue };
        if keyword == Keyword::Cmd && !cmd_is_program(cx) {
            continue;
        }
        let (words, shell_form) = launch_words(cx, i);
        if words.is_empty() {
            continue;
        }
        let name = keyword.name();
        if shell_form {
            let replaced: Vec<String> = words.clone();
            if exec_form(&replaced).is_none() {
                out.push(format!(
                    "line {}: the {name} uses shell features (`{}`)",
                    i.start_line,
                    words.join(" ")
                ));
                continue;
            }
        }
        if let Some(p) = first_program(&words) {
            let base = p.rsplit('/').next().unwrap_or(&p);
            if artifact_words.contains(&p) {
                continue;
            }
            if let Some(s) = super::shell_command::of_stage(cx).filter(|s| s.exec && s.involves(i))
            {
                out.push(s.describe());
            } else if matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh")
                || base.ends_with(".sh")
            {
                out.push(format!(
                    "line {}: the {name} runs a shell script",
                    i.start_line
                ));
            } else if keyword == Keyword::Healthcheck || !artifact_words.is_empty() {
                out.push(format!(
                    "line {}: the {name} runs `{p}`, which is not the built program",
                    i.start_line
                ));
            }
        }
    }
    for i in cx.instructions() {
        if i.keyword == Keyword::Run
            && classify_run(i).setup_only
            && !creates_user_only(i)
            && !runs_after_nothing(cx, i)
        {
            out.push(format!(
                "line {}: runtime setup (directories, permissions) runs with a shell",
                i.start_line
            ));
        }
    }
    out
}

/// Whether a setup `RUN` only creates users and groups (each perhaps
/// guarded: `id -u app || useradd app`).
pub(super) fn creates_user_only(i: &Instruction) -> bool {
    i.run.as_ref().is_some_and(|r| {
        r.commands().all(|c| {
            ACCOUNT_COMMANDS.contains(&c.base_name())
                || matches!(c.base_name(), "set" | "true" | "")
                || is_account_guard(c)
        })
    })
}

/// The packages of the stage that the runtime stage installs too, by name.
pub(super) fn stage_runtime_packages(cx: &ConvertContext<'_>) -> Vec<String> {
    let distro = base_info(cx).map_or(Distro::Bookworm, |b| b.package_distro());
    runtime_package_names(cx.instructions(), distro)
}

/// Whether an instruction is a `RUN` that is runtime setup when the
/// runtime stage installs `packages` (see [`is_runtime_setup`]).
fn runtime_setup(i: &Instruction, packages: &[String]) -> bool {
    i.keyword == Keyword::Run && is_runtime_setup(&classify_run(i), packages)
}

/// Whether a setup `RUN` only touches build paths (nothing the runtime
/// stage has): `mkdir -p /src` before sources are copied, for example.
fn runs_after_nothing(cx: &ConvertContext<'_>, i: &Instruction) -> bool {
    let last_build = cx
        .instructions()
        .filter(|j| j.run.is_some() && !classify_run(j).setup_only)
        .map(|j| j.start_line)
        .max()
        .unwrap_or(0);
    i.start_line < last_build
        && cx.final_user().is_none_or(|u| is_root(&u))
        && i.run.as_ref().is_some_and(|r| {
            r.commands()
                .all(|c| matches!(c.base_name(), "mkdir" | "cd" | "set" | "true" | ""))
        })
}

/// The text of `CMD`, `ENTRYPOINT`, `HEALTHCHECK` and setup `RUN`s: the
/// words the runtime stage uses.
pub(super) fn runtime_text(cx: &ConvertContext<'_>) -> String {
    let mut out = String::new();
    let packages = stage_runtime_packages(cx);
    for i in cx.instructions() {
        let runtime = matches!(
            i.keyword,
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        ) || runtime_setup(i, &packages);
        if runtime && let Some(n) = cx.node(i) {
            out.push_str(&n.original);
            out.push('\n');
        }
    }
    out
}

/// Packages that only fetch or generate sources (not in the toolchain table).
const BUILD_HELPERS: &[&str] = &[
    "git",
    "git-core",
    "wget",
    "curl",
    "unzip",
    "xz-utils",
    "bzip2",
    "gnupg",
    "gnupg2",
    "dirmngr",
    "gpg",
    "gpg-agent",
    "software-properties-common",
    "apt-transport-https",
    "lsb-release",
    "file",
    "protobuf-compiler",
    "m4",
    "gperf",
    "re2c",
    "texinfo",
    "help2man",
    "doxygen",
    "autoconf-archive",
    "libtool-bin",
    "scons",
    "rustup",
    "perl",
];

/// Development packages with nothing to install at run time (headers only,
/// test frameworks, the C/C++ standard library headers).
pub(super) const NO_RUNTIME: &[&str] = &[
    "libboost-dev",
    "nlohmann-json3-dev",
    "nlohmann-json-dev",
    "libeigen3-dev",
    "eigen-dev",
    "libasio-dev",
    "asio-dev",
    "libglm-dev",
    "glm-dev",
    "rapidjson-dev",
    "libcxxopts-dev",
    "libcereal-dev",
    "libgtest-dev",
    "libgmock-dev",
    "gtest-dev",
    "libcatch2-dev",
    "catch2",
    "libtclap-dev",
    "libmsgsl-dev",
    "libutfcpp-dev",
    "libstb-dev",
    "libc6-dev",
    "libc-dev",
    "musl-dev",
    "linux-libc-dev",
    "linux-headers",
    "libstdc++-dev",
    "libstdc++-12-dev",
    "libstdc++-13-dev",
    "libstdc++-14-dev",
    "python3-dev",
    "python-dev",
    "openssl-libs-static",
    "zlib-static",
];

/// The runtime packages of a native build.
#[derive(Debug, Clone, Default)]
pub(super) struct RuntimeNeeds {
    /// Packages on the runtime distribution.
    pub packages: Vec<String>,
    /// Why.
    pub reason: String,
    /// Source lines.
    pub lines: Vec<usize>,
    /// The runtime libraries of the `-dev` packages.
    pub libraries: Vec<String>,
    /// Build helpers left out.
    pub dropped: Vec<String>,
    /// `-dev` packages without a known runtime package.
    pub unmapped: Vec<String>,
    /// Packages of the source's distribution with no name restage knows
    /// on the runtime's (a Debian package on Alpine).
    pub no_name: Vec<String>,
}

/// The system packages a runtime stage needs: the source stage's packages
/// that are neither build-only nor build helpers (unless the runtime
/// commands use them), plus the runtime library of each `-dev` package.
pub(super) fn runtime_needs(
    cx: &ConvertContext<'_>,
    source: Distro,
    runtime: Distro,
    runtime_words: &str,
) -> RuntimeNeeds {
    let mut out = RuntimeNeeds::default();
    let used = |p: &str| {
        runtime_words
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '.')
            .any(|w| w == p)
    };
    if let Some(list) = runtime_package_list(cx, source, runtime) {
        out.no_name = list.unmapped;
        out.reason = list.reason;
        out.lines = list.lines;
        for p in list.packages {
            let name = package_name(&p).to_string();
            if NO_RUNTIME.contains(&name.as_str()) || is_dev(&name) {
                continue;
            }
            if BUILD_HELPERS.contains(&name.as_str()) && !used(&name) {
                out.dropped.push(name);
                continue;
            }
            out.packages.push(p);
        }
    }
    for i in cx.instructions() {
        let Some(system) = classify_run(i).system else {
            continue;
        };
        for p in &system.installed {
            let name = package_name(p);
            if !is_dev(name)
                || system.removed.iter().any(|r| r == name)
                || NO_RUNTIME.contains(&name)
            {
                continue;
            }
            match runtime_for(name, source) {
                Some(libs) => {
                    for l in libs {
                        if !out.libraries.contains(l) {
                            out.libraries.push(l.clone());
                        }
                    }
                }
                None => {
                    if !out.unmapped.contains(&name.to_string()) {
                        out.unmapped.push(name.to_string());
                    }
                }
            }
        }
    }
    // Programs the runtime commands call that the base image had.
    for tool in ["curl", "wget"] {
        if used(tool)
            && !out.packages.iter().any(|p| package_name(p) == tool)
            && runtime != Distro::Rhel
        {
            out.packages.push(tool.into());
            if out.reason.is_empty() {
                out.reason = format!("the runtime commands use {tool}");
            } else {
                out.reason
                    .push_str(&format!("; the runtime commands use {tool}"));
            }
        }
    }
    if out.packages.is_empty() {
        out.reason.clear();
    }
    out
}

/// On Ubuntu, runtime library names come from Debian's table: say so.
pub(super) fn note_ubuntu_names(
    base: &BaseInfo,
    needs: &RuntimeNeeds,
    image: &str,
    plan: &mut Plan,
) {
    if base.family == Family::Ubuntu && !needs.libraries.is_empty() {
        plan.assumptions.push(format!(
            "The runtime library names ({}) come from Debian's table for the matching release; check them on `{image}`",
            needs.libraries.join(", ")
        ));
        plan.confidence = plan.confidence.min(Confidence::Medium);
    }
}

/// Absolute destinations of the stage's context `COPY`/`ADD`s.
pub(super) fn context_destinations(cx: &ConvertContext<'_>) -> Vec<String> {
    cx.instructions()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
        .flat_map(|i| copy_targets(cx, i))
        .collect()
}

/// The absolute paths a `COPY`/`ADD` creates: the destination itself for
/// a directory's contents or a renamed file, `dest/name` for files copied
/// into a directory.
fn copy_targets(cx: &ConvertContext<'_>, i: &Instruction) -> Vec<String> {
    let Some(dest) = copy_dest(i) else {
        return Vec::new();
    };
    let abs = join_workdir(i.context.workdir.as_deref(), &dest);
    let sources = cx.copy_sources(i);
    let into_dir = dest.ends_with('/') || sources.len() > 1;
    let mut out = Vec::new();
    for s in &sources {
        let path =
            if s.ends_with('/') || matches!(s.as_str(), "." | "./" | "*" | "./*") || !into_dir {
                abs.clone()
            } else {
                join_workdir(Some(&abs), &base_name(s))
            };
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// The destination of a `COPY`/`ADD`, expanded when the build resolved.
fn copy_dest(i: &Instruction) -> Option<String> {
    match (&i.expanded, i.kind()) {
        (
            Some(
                crate::dockerfile::resolve::Expanded::Copy(c)
                | crate::dockerfile::resolve::Expanded::Add(c),
            ),
            _,
        ) => Some(c.dest.clone()),
        (_, Some(CommandKind::Copy(c))) => Some(c.dest.clone()),
        (_, Some(CommandKind::Add(a))) => Some(a.dest.clone()),
        _ => None,
    }
}

/// The last path component.
pub(super) fn base_name(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_string()
}

/// Directory names and extensions of files a program reads at run time.
const ASSET_DIRS: &[&str] = &[
    "templates",
    "static",
    "public",
    "assets",
    "migrations",
    "config",
    "configs",
    "conf",
    "views",
    "i18n",
    "locales",
    "www",
    "ui",
    "dist",
    "data",
    "resources",
    "etc",
    "scripts",
];
const ASSET_EXTENSIONS: &[&str] = &[
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".conf",
    ".cfg",
    ".ini",
    ".html",
    ".sql",
    ".tmpl",
    ".pem",
    ".crt",
    ".key",
    ".sh",
    ".env",
    ".xml",
    ".properties",
];
/// Files that only build (never assets).
const BUILD_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    "rust-toolchain",
    "package.json",
    "package-lock.json",
    "CMakeLists.txt",
    "CMakePresets.json",
    "meson.build",
    "conanfile.txt",
    "vcpkg.json",
    "compile_commands.json",
    "go.mod",
    "go.sum",
    "Makefile",
    "build.sh",
    "configure",
    "deny.toml",
    "clippy.toml",
    "rustfmt.toml",
    ".cargo",
];

/// Whether a build-context path is a file the program reads at run time.
fn is_asset(path: &str) -> bool {
    let name = base_name(path);
    !BUILD_FILES.contains(&name.as_str())
        && (ASSET_DIRS.contains(&name.as_str())
            || ASSET_EXTENSIONS.iter().any(|e| name.ends_with(e)))
}

/// Words of the runtime commands that name files (for matching copies).
fn runtime_paths(cx: &ConvertContext<'_>) -> Vec<String> {
    let workdir = cx.final_workdir();
    let mut out = Vec::new();
    for keyword in [Keyword::Entrypoint, Keyword::Cmd, Keyword::Healthcheck] {
        let Some(i) = cx.last(keyword) else { continue };
        let (words, _) = launch_words(cx, i);
        for w in words {
            let value = w.split_once('=').map_or(w.as_str(), |(_, v)| v);
            if value.contains('/') || value.contains('.') {
                out.push(join_workdir(workdir.as_deref(), value));
            } else if !value.starts_with('-') && !value.is_empty() {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// Files named on the command line that came with the whole build context
/// (`CMD ["./server", "--config", "config.yaml"]` after `COPY . .`): copied
/// from the builder to the same place.
pub(super) fn named_context_files(
    cx: &ConvertContext<'_>,
    artifact_words: &[String],
) -> Vec<String> {
    let workdir = cx.final_workdir();
    let whole: Vec<String> = cx
        .instructions()
        .filter(|i| cx.copies_everything(i))
        .filter_map(|i| copy_dest(i).map(|d| join_workdir(i.context.workdir.as_deref(), &d)))
        .collect();
    let volumes = super::common::volume_paths(cx);
    let mut out = Vec::new();
    for keyword in [Keyword::Entrypoint, Keyword::Cmd] {
        let Some(i) = cx.last(keyword) else { continue };
        let (words, _) = launch_words(cx, i);
        for w in &words {
            let value = w.split_once('=').map_or(w.as_str(), |(_, v)| v);
            if value.starts_with('-')
                || value.contains('$')
                || artifact_words.iter().any(|a| a == value)
                || !is_asset(value)
            {
                continue;
            }
            let abs = join_workdir(workdir.as_deref(), value);
            let inside = |d: &String| abs.starts_with(&format!("{}/", d.trim_end_matches('/')));
            if whole.iter().any(inside) && !volumes.iter().any(inside) && !out.contains(&abs) {
                out.push(abs);
            }
        }
    }
    out
}

/// What the runtime stage of a native build gets.
#[derive(Debug, Clone)]
pub(super) struct RuntimeSpec {
    /// The image.
    pub image: String,
    /// Whether it has a shell.
    pub shell: bool,
    /// Its distribution (for creating a user).
    pub distro: Distro,
    /// Its own non-root user.
    pub existing_user: Option<&'static str>,
    /// Items at the top (packages, libraries from the builder).
    pub head: Vec<Item>,
    /// The artifact copies.
    pub artifacts: Vec<Item>,
    /// The node of the instruction that produced them: the copies go where
    /// it was (`None`: before the command).
    pub artifact_node: Option<usize>,
    /// Words of the runtime commands to replace (as written → new).
    pub rewrites: Vec<(String, String)>,
    /// The words that name artifacts in the runtime commands.
    pub artifact_words: Vec<String>,
    /// Runtime commands replaced whole (node, text, why).
    pub overrides: Vec<(usize, String, ChangeSpec)>,
}

/// The runtime stage's items, in the source's order: packages, the
/// artifacts where they were built, runtime files of the build context,
/// setup `RUN`s (when there is a shell), runtime behaviour with the
/// commands pointing at moved artifacts, used `ARG`s, and the user.
pub(super) fn runtime_items(
    cx: &ConvertContext<'_>,
    spec: &RuntimeSpec,
    plan: &mut Plan,
) -> Result<Vec<Item>, Refusal> {
    let eco = Some(plan.ecosystem);
    let mut items: Vec<Item> = spec.head.clone();
    let mut artifacts_done = false;
    let referenced = runtime_paths(cx);
    let source_user = cx.final_user().filter(|u| !is_root(u));
    let keep_users = spec.shell && source_user.is_some() && cx.options.user.is_none();
    let mut dropped_sources: Vec<usize> = Vec::new();
    let mut dropped_setup: Vec<usize> = Vec::new();
    let mut whole_context = false;
    let extra = named_context_files(cx, &spec.artifact_words);
    let packages = stage_runtime_packages(cx);
    let runtime_files = runtime_file_copies(cx, &packages);
    // A working directory inherited from an earlier stage is set again.
    if cx.with_keyword(Keyword::Workdir).next().is_none()
        && let Some(dir) = cx.final_workdir()
    {
        items.push(super::common::workdir_item(&dir));
    }
    for i in cx.instructions() {
        match i.keyword {
            Keyword::Run => {
                if Some(i.node) == spec.artifact_node && !artifacts_done {
                    artifacts_done = true;
                    items.extend(spec.artifacts.iter().cloned());
                    for path in &extra {
                        items.push(add(
                            format!("COPY --from=builder {path} {path}"),
                            ChangeKind::CopyArtifact,
                            format!("`{}` is copied", base_name(path)),
                            "the command line names it; it came with the build context",
                            vec![i.start_line],
                        ));
                    }
                } else {
                    let facts = classify_run(i);
                    if !is_runtime_setup(&facts, &packages) {
                        continue;
                    }
                    if !spec.shell {
                        dropped_setup.push(i.start_line);
                    } else if facts.setup_only {
                        items.push(keep(
                            i,
                            ChangeKind::Keep,
                            "Runtime setup stays in the runtime stage",
                            "users, directories and permissions belong to the final image",
                        ));
                    } else {
                        items.push(keep(
                            i,
                            ChangeKind::Keep,
                            "Runtime packages are configured in the runtime stage",
                            &format!(
                                "it runs the configuration programs of {}, which the runtime stage installs, and writes only configuration and data",
                                facts.configures.join(", ")
                            ),
                        ));
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                let from_stage = matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some());
                let sources = cx.copy_sources(i);
                let targets = copy_targets(cx, i);
                let named = referenced.iter().any(|r| {
                    targets.iter().any(|t| {
                        r == t
                            || r.starts_with(&format!("{}/", t.trim_end_matches('/')))
                            || (!r.contains('/')
                                && base_name(t) == *r
                                && PATH_DIRS.iter().any(|d| *t == format!("{d}/{r}")))
                    })
                });
                if cx.copies_everything(i) {
                    whole_context = true;
                    dropped_sources.push(i.start_line);
                    continue;
                }
                let asset =
                    !from_stage && !sources.is_empty() && sources.iter().all(|s| is_asset(s));
                if named || asset {
                    items.push(runtime_copy(cx, i, spec, "the program reads or runs them"));
                } else if runtime_files.contains(&i.node) {
                    items.push(runtime_copy(
                        cx,
                        i,
                        spec,
                        "they go to a place the image uses at run time, not to the sources of the build, and no build step reads them",
                    ));
                } else {
                    dropped_sources.push(i.start_line);
                }
            }
            Keyword::User => {
                if keep_users {
                    items.push(keep_quiet(i));
                }
            }
            Keyword::Workdir
            | Keyword::Env
            | Keyword::Label
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Stopsignal
            | Keyword::Maintainer
            | Keyword::Onbuild => items.push(keep_quiet(i)),
            Keyword::Shell => {
                if spec.shell {
                    items.push(keep_quiet(i));
                }
            }
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                if !artifacts_done {
                    artifacts_done = true;
                    items.extend(spec.artifacts.iter().cloned());
                }
                items.push(launch_item(cx, i, spec, eco)?);
            }
            Keyword::Arg | Keyword::From | Keyword::Unknown => {}
        }
    }
    if !artifacts_done {
        items.extend(spec.artifacts.iter().cloned());
    }
    if !dropped_sources.is_empty() {
        plan.notes.push(ChangeSpec::new(
            ChangeKind::Drop,
            "The sources stay in the builder stage",
            "the runtime stage gets the built program, not the code it was built from",
            dropped_sources,
        ));
    }
    if whole_context {
        plan.assumptions.push("Only the program (and files the command line names or that look like runtime files: configuration, templates, static files) is copied into the runtime stage. If the program reads other files of the source tree at run time, copy them too.".into());
        plan.confidence = plan.confidence.min(Confidence::Medium);
    }
    if !dropped_setup.is_empty() {
        let lines: Vec<String> = dropped_setup.iter().map(usize::to_string).collect();
        let only_users = cx
            .instructions()
            .filter(|i| dropped_setup.contains(&i.start_line))
            .all(creates_user_only);
        if only_users {
            plan.notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "The user is not created in the runtime stage",
                format!(
                    "`{}` has no shell to run it; it has its own non-root user",
                    spec.image
                ),
                dropped_setup,
            ));
        } else {
            plan.warnings.push(format!(
                "line {}: runtime setup cannot run in `{}` (no shell) and was left out",
                lines.join(", "),
                spec.image
            ));
        }
    }
    // The user: the source's non-root USER where it was, or a new one
    // before the command.
    if !keep_users {
        let user = if !spec.shell
            && source_user.as_deref().is_some_and(|u| !is_numeric_user(u))
            && cx.options.user.is_none()
        {
            let name = spec.existing_user.unwrap_or("65532:65532");
            let lines: Vec<usize> = cx
                .with_keyword(Keyword::User)
                .map(|i| i.start_line)
                .collect();
            vec![add(
                format!("USER {name}"),
                ChangeKind::User,
                format!("Runs as `{name}`, not root"),
                format!(
                    "the source's user `{}` is created with a shell command, which `{}` cannot run; the image's own non-root user (uid 65532) takes its place",
                    source_user.clone().unwrap_or_default(),
                    spec.image
                ),
                lines,
            )]
        } else {
            user_items(
                cx,
                spec.existing_user,
                ImageUsers::of(&spec.image, spec.shell, spec.distro),
            )
            .0
        };
        let at = super::common::first_start_item(cx, &items).unwrap_or(items.len());
        for (k, item) in user.into_iter().enumerate() {
            items.insert(at + k, item);
        }
    }
    // Stage ARGs the runtime stage uses go first.
    let texts: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Keep { node, .. } => cx.doc.nodes.get(*node).map(|n| n.original.clone()),
            Item::Rewrite { text, .. } | Item::Add { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let mut args = Vec::new();
    for i in cx.with_keyword(Keyword::Arg) {
        let Some(CommandKind::Arg(decls)) = i.kind() else {
            continue;
        };
        if decls.iter().any(|d| {
            let n = &d.key;
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
    Ok(args)
}

/// Whether a `USER` value is numeric (`1000`, `1000:1000`).
fn is_numeric_user(user: &str) -> bool {
    !user.is_empty() && user.chars().all(|c| c.is_ascii_digit() || c == ':')
}

/// A build-context `COPY` for the runtime stage: verbatim, or with a
/// named `--chown` user replaced when the image cannot have that user.
fn runtime_copy(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    spec: &RuntimeSpec,
    reason: &str,
) -> Item {
    let chown = match i.kind() {
        Some(CommandKind::Copy(c)) => c.chown.clone(),
        Some(CommandKind::Add(a)) => a.chown.clone(),
        _ => None,
    };
    if let Some(owner) = chown
        && !spec.shell
        && !is_numeric_user(&owner)
        && let Some(n) = cx.node(i)
    {
        let text = n.text(&cx.doc.source).trim_end().to_string();
        let new = text.replacen(&format!("--chown={owner}"), "--chown=65532:65532", 1);
        if new != text {
            return Item::Rewrite {
                node: i.node,
                text: new,
                change: ChangeSpec::new(
                    ChangeKind::Rewrite,
                    "The files belong to uid 65532",
                    format!(
                        "`{}` has no user `{owner}`; 65532 is its non-root user",
                        spec.image
                    ),
                    vec![i.start_line],
                ),
            };
        }
    }
    keep(
        i,
        ChangeKind::CopyArtifact,
        "Runtime files are copied from the build context",
        reason,
    )
}

/// Directories under which no runtime file goes (a build's scratch space).
const SCRATCH_DIRS: &[&str] = &["/tmp", "/var/tmp"];

/// The context `COPY`/`ADD`s (nodes) that put files where the image uses
/// them at run time, so that the runtime stage copies them too (`ADD
/// nagios.init /etc/sv/nagios/run`): local files, no archive `ADD`, no
/// `--from`, not the whole context, to absolute destinations outside
/// `/tmp` and outside every directory a build step works in, that no
/// later build step names (the destination, a directory holding it or
/// inside it, or its file name). Build steps are the `RUN`s that are not
/// runtime setup. One pass from the end: linear in the instructions.
fn runtime_file_copies(cx: &ConvertContext<'_>, packages: &[String]) -> HashSet<usize> {
    let builds: HashSet<usize> = cx
        .instructions()
        .filter(|i| i.run.is_some() && !runtime_setup(i, packages))
        .map(|i| i.node)
        .collect();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for i in cx.instructions().filter(|i| builds.contains(&i.node)) {
        dirs.extend(run_dirs(cx, i));
    }
    let instructions: Vec<&Instruction> = cx.instructions().collect();
    let mut later: BTreeSet<String> = BTreeSet::new();
    let mut out = HashSet::new();
    for i in instructions.into_iter().rev() {
        if builds.contains(&i.node) {
            later.extend(path_words(&instruction_text(cx, i)));
        } else if is_runtime_file_copy(cx, i, &dirs, &later) {
            out.insert(i.node);
        }
    }
    out
}

/// The directories a `RUN` works in (its working directory and where
/// `cd` goes), `/` left out.
fn run_dirs(cx: &ConvertContext<'_>, i: &Instruction) -> Vec<String> {
    let text = instruction_text(cx, i);
    let mut dir = i.context.workdir.as_deref().unwrap_or("/").to_string();
    let mut out = vec![dir.clone()];
    for cmd in shell_commands(&text, cx.escape()) {
        let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
        if let (Some("cd"), Some(to)) = (
            words.first().map(String::as_str),
            words.get(1).filter(|w| !w.starts_with('-')),
        ) {
            dir = join_workdir(Some(&dir), to);
            out.push(dir.clone());
        }
    }
    out.into_iter()
        .map(|d| d.trim_end_matches('/').to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

/// The words of shell text that may name files: split at blanks,
/// operators, quotes and `=`, trailing slashes removed.
fn path_words(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ';' | '&' | '|' | '(' | ')' | '<' | '>' | '=' | '"' | '\''
            )
    })
    .map(|w| w.trim_end_matches('/'))
    .filter(|w| !w.is_empty())
    .map(str::to_string)
    .collect()
}

/// Whether `set` holds `path`, a directory above it (not `/`), or a path
/// inside it.
fn names_path(set: &BTreeSet<String>, path: &str) -> bool {
    let mut at = path;
    while !at.is_empty() {
        if set.contains(at) {
            return true;
        }
        at = at.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
    let below = format!("{path}/");
    set.range(below.clone()..)
        .next()
        .is_some_and(|w| w.starts_with(&below))
}

/// Whether one `COPY`/`ADD` puts local files at a runtime place (see
/// [`runtime_file_copies`]).
fn is_runtime_file_copy(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    dirs: &BTreeSet<String>,
    later: &BTreeSet<String>,
) -> bool {
    let is_add = match i.kind() {
        Some(CommandKind::Copy(c)) if c.from.is_none() => false,
        Some(CommandKind::Add(_)) => true,
        _ => return false,
    };
    let sources = cx.copy_sources(i);
    let archive = |s: &String| {
        is_add
            && crate::convert::fixups::ARCHIVES
                .iter()
                .any(|e| s.ends_with(e))
    };
    let local = |s: &String| !(s.contains("://") || s.starts_with("git@") || archive(s));
    if sources.is_empty() || !sources.iter().all(local) || cx.copies_everything(i) {
        return false;
    }
    let targets = copy_targets(cx, i);
    !targets.is_empty()
        && targets.iter().all(|t| {
            let t = t.trim_end_matches('/');
            t.starts_with('/')
                && !t.contains('$')
                && !SCRATCH_DIRS
                    .iter()
                    .any(|d| t == *d || t.starts_with(&format!("{d}/")))
                && !names_path(dirs, t)
                && !names_path(later, t)
                && !later.contains(&base_name(t))
        })
}

/// A `CMD`/`ENTRYPOINT`/`HEALTHCHECK` for the runtime stage: paths of
/// moved artifacts replaced, shell form turned into exec form when the
/// image has no shell.
fn launch_item(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    spec: &RuntimeSpec,
    eco: Option<Ecosystem>,
) -> Result<Item, Refusal> {
    if let Some((_, text, change)) = spec.overrides.iter().find(|(n, _, _)| *n == i.node) {
        return Ok(Item::Rewrite {
            node: i.node,
            text: text.clone(),
            change: change.clone(),
        });
    }
    let (words, shell_form) = launch_words(cx, i);
    let Some(node) = cx.node(i) else {
        return Ok(keep_quiet(i));
    };
    let original = node.text(&cx.doc.source).trim_end().to_string();
    let replaced: Vec<String> = words
        .iter()
        .map(|w| {
            spec.rewrites
                .iter()
                .find(|(old, _)| old == w)
                .map_or_else(|| w.clone(), |(_, new)| new.clone())
        })
        .collect();
    // A moved program named inside an exec-form `sh -c` script.
    let lookup = |w: &str| {
        spec.rewrites
            .iter()
            .find(|(old, _)| old == w)
            .map(|(_, new)| new.clone())
    };
    let in_script = super::shell_command::of_stage(cx)
        .filter(|s| s.exec && s.instruction.node == i.node)
        .is_some_and(|s| s.rewrite(&original, &lookup).is_some());
    let changed = replaced != words || in_script;
    if shell_form && !spec.shell && !words.is_empty() {
        let words: Vec<String> = if replaced.first().is_some_and(|w| w == "exec") {
            replaced.into_iter().skip(1).collect()
        } else {
            replaced
        };
        let Some(json) = exec_form(&words) else {
            return Err(Refusal::new(
                eco,
                format!(
                    "line {}: the command uses shell features, and `{}` has no shell; use --runtime slim",
                    i.start_line, spec.image
                ),
            ));
        };
        let text = match i.keyword {
            Keyword::Healthcheck => {
                let upper = original.to_ascii_uppercase();
                let Some(at) = upper.find(" CMD ") else {
                    return Ok(keep_quiet(i));
                };
                format!("{} CMD {json}", original.get(..at).unwrap_or("HEALTHCHECK"))
            }
            k => format!("{} {json}", k.name()),
        };
        return Ok(Item::Rewrite {
            node: i.node,
            text,
            change: ChangeSpec::new(
                ChangeKind::Rewrite,
                format!(
                    "`{}` is in exec form{}",
                    i.keyword.name(),
                    if changed {
                        " and runs the copied program"
                    } else {
                        ""
                    }
                ),
                format!("`{}` has no shell to run the shell form", spec.image),
                vec![i.start_line],
            ),
        });
    }
    if !changed {
        return Ok(keep_quiet(i));
    }
    let mut text = original.clone();
    for (old, new) in &spec.rewrites {
        if let Some(t) = replace_word(&text, old, new) {
            text = t;
        }
    }
    if text == original {
        return Ok(keep_quiet(i));
    }
    Ok(Item::Rewrite {
        node: i.node,
        text,
        change: ChangeSpec::new(
            ChangeKind::Rewrite,
            format!("`{}` runs the program from its new place", i.keyword.name()),
            "the binary was copied out of the build directory into the runtime stage",
            vec![i.start_line],
        ),
    })
}

/// The builder stage's items: the source stage without its runtime-only
/// instructions, with some instructions replaced (`replace`), items added
/// after some (`after`) and at the end (`append`), ending at the last `RUN`.
pub(super) fn builder_items(
    cx: &ConvertContext<'_>,
    replace: &[(usize, Item)],
    after: &[(usize, Item)],
    append: Vec<Item>,
) -> Vec<Item> {
    let mut items = Vec::new();
    for i in cx.instructions() {
        if matches!(
            i.keyword,
            Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Healthcheck
                | Keyword::Expose
                | Keyword::Volume
                | Keyword::Label
                | Keyword::Stopsignal
                | Keyword::Maintainer
                | Keyword::Onbuild
        ) {
            continue;
        }
        match replace.iter().find(|(n, _)| *n == i.node) {
            Some((_, item)) => items.push(item.clone()),
            None => items.push(keep_quiet(i)),
        }
        for (_, item) in after.iter().filter(|(n, _)| *n == i.node) {
            items.push(item.clone());
        }
    }
    items.extend(append);
    trim_after_last_run(cx, &mut items);
    // Runtime setup after the last build step (users, directories,
    // configuring runtime packages) is not needed to build.
    let packages = stage_runtime_packages(cx);
    let is_setup = |item: &Item| match item {
        Item::Keep { node, .. } => cx
            .instructions()
            .find(|i| i.node == *node)
            .is_some_and(|i| runtime_setup(i, &packages)),
        _ => false,
    };
    while items.len() > 1 && items.last().is_some_and(is_setup) {
        items.pop();
    }
    trim_after_last_run(cx, &mut items);
    items
}

/// The builder stage plan.
pub(super) fn builder_stage(cx: &ConvertContext<'_>, items: Vec<Item>, why: &str) -> StagePlan {
    StagePlan {
        name: "builder".into(),
        from: StageFrom::Source,
        from_change: Some(ChangeSpec::new(
            ChangeKind::RenameStage,
            "The original stage becomes the builder",
            why,
            vec![cx.stage.line],
        )),
        items,
    }
}

/// Directories on the default `PATH`.
pub(super) const PATH_DIRS: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

/// A file a `RUN` copies or moves (`cp target/release/app /usr/local/bin/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CopyOut {
    /// The source (absolute).
    pub source: String,
    /// The destination file (absolute).
    pub dest: String,
    /// The `RUN`'s node.
    pub node: usize,
    /// The `RUN`'s line.
    pub line: usize,
}

/// Every single file the stage's `RUN`s copy, move or install
/// (`cp`, `mv`, `install`), with `cd` followed.
pub(super) fn copy_outs(cx: &ConvertContext<'_>) -> Vec<CopyOut> {
    let workdirs: Vec<String> = cx
        .instructions()
        .filter_map(|i| i.context.workdir.as_deref().map(str::to_string))
        .collect();
    let mut out = Vec::new();
    for i in cx.instructions() {
        if i.run.is_none() {
            continue;
        }
        let text = instruction_text(cx, i);
        let mut dir = i.context.workdir.as_deref().unwrap_or("/").to_string();
        for cmd in shell_commands(&text, cx.escape()) {
            let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
            let Some(t) = tool_index(&words) else {
                continue;
            };
            let Some(tool) = words.get(t) else { continue };
            let base = tool.rsplit('/').next().unwrap_or(tool);
            let rest: Vec<&str> = words.iter().skip(t + 1).map(String::as_str).collect();
            if base == "cd" {
                if let Some(d) = rest.first() {
                    dir = join_workdir(Some(&dir), d);
                }
                continue;
            }
            if !matches!(base, "cp" | "mv" | "install") {
                continue;
            }
            let value_flags: &[&str] = if base == "install" {
                &[
                    "-m",
                    "-o",
                    "-g",
                    "-t",
                    "--mode",
                    "--owner",
                    "--group",
                    "--target-directory",
                ]
            } else {
                &["-t", "--target-directory"]
            };
            let mut positional: Vec<&str> = Vec::new();
            let mut target_dir: Option<&str> = None;
            let mut k = 0;
            while let Some(w) = rest.get(k) {
                if let Some(v) = w.strip_prefix("--target-directory=") {
                    target_dir = Some(v);
                } else if value_flags.contains(w) {
                    if matches!(*w, "-t" | "--target-directory") {
                        target_dir = rest.get(k + 1).copied();
                    }
                    k += 1;
                } else if !w.starts_with('-') {
                    positional.push(w);
                }
                k += 1;
            }
            let (sources, dest, dest_is_dir): (Vec<&str>, &str, bool) = match target_dir {
                Some(d) => (positional.clone(), d, true),
                None => {
                    let Some((dest, sources)) = positional.split_last() else {
                        continue;
                    };
                    let abs = join_workdir(Some(&dir), dest);
                    let is_dir = dest.ends_with('/')
                        || sources.len() > 1
                        || PATH_DIRS.contains(&abs.as_str())
                        || matches!(*dest, "." | "./")
                        || workdirs.contains(&abs);
                    (sources.to_vec(), *dest, is_dir)
                }
            };
            if sources.is_empty() || sources.iter().any(|s| s.contains(['*', '$', '?'])) {
                continue;
            }
            let dest_abs = join_workdir(Some(&dir), dest);
            for s in sources {
                let source = join_workdir(Some(&dir), s);
                let dest = if dest_is_dir {
                    join_workdir(Some(&dest_abs), &base_name(s))
                } else {
                    dest_abs.clone()
                };
                out.push(CopyOut {
                    source,
                    dest,
                    node: i.node,
                    line: i.start_line,
                });
            }
        }
    }
    out
}

/// The instruction's text as written (continuations and heredocs kept).
pub(super) fn instruction_text(cx: &ConvertContext<'_>, i: &Instruction) -> String {
    cx.node(i)
        .map(|n| n.text(&cx.doc.source).trim_end().to_string())
        .unwrap_or_default()
}

/// One word of shell text with its byte range; operators (`&&`, `||`,
/// `;`, `|`, `&`, `(`, `)`, a newline) are separator words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Word {
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Whether it is an operator.
    pub sep: bool,
}

impl Word {
    /// The word's text (quotes kept).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Splits shell text into words and operators, keeping quoted strings,
/// `$(...)` and backquotes inside words and treating an escaped newline as
/// a space.
pub(super) fn shell_words(text: &str, escape: char) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut k = 0usize;
    let end_word = |out: &mut Vec<Word>, start: &mut Option<usize>, at: usize| {
        if let Some(s) = start.take() {
            out.push(Word {
                start: s,
                end: at,
                sep: false,
            });
        }
    };
    while let Some(&(pos, c)) = chars.get(k) {
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let prev = k.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, p)| p);
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q != '\'' {
                k += 1;
            }
            k += 1;
            continue;
        }
        if depth > 0 {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                '\'' | '"' | '`' => quote = Some(c),
                _ => {}
            }
            k += 1;
            continue;
        }
        if c == escape && matches!(next, Some('\n' | '\r')) {
            end_word(&mut out, &mut start, pos);
            k += 2;
            if next == Some('\r') && chars.get(k).is_some_and(|&(_, n)| n == '\n') {
                k += 1;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                start.get_or_insert(pos);
                quote = Some(c);
            }
            '$' if next == Some('(') => {
                start.get_or_insert(pos);
                depth = 1;
                k += 2;
                continue;
            }
            '\\' => {
                start.get_or_insert(pos);
                k += 2;
                continue;
            }
            ' ' | '\t' | '\r' => end_word(&mut out, &mut start, pos),
            '#' if start.is_none() => {
                while chars.get(k + 1).is_some_and(|&(_, n)| n != '\n') {
                    k += 1;
                }
            }
            '&' if matches!(prev, Some('>' | '<')) || next == Some('>') => {
                start.get_or_insert(pos);
            }
            '\n' | '&' | '|' | ';' | '(' | ')' => {
                end_word(&mut out, &mut start, pos);
                let double = matches!(c, '&' | '|' | ';') && next == Some(c);
                let len = if double { 2 } else { 1 };
                out.push(Word {
                    start: pos,
                    end: pos + len,
                    sep: true,
                });
                if double {
                    k += 1;
                }
            }
            _ => {
                start.get_or_insert(pos);
            }
        }
        k += 1;
    }
    end_word(&mut out, &mut start, text.len());
    out
}

/// The simple commands of shell text (the `RUN` keyword, its flags and
/// heredoc markers left out).
pub(super) fn shell_commands(text: &str, escape: char) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut first = true;
    for w in shell_words(text, escape) {
        if w.sep {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let t = w.text(text);
        if first && current.is_empty() && t.eq_ignore_ascii_case("run") {
            continue;
        }
        if first && current.is_empty() && (t.starts_with("--") || t.starts_with("<<")) {
            continue;
        }
        first = false;
        if current.is_empty() && t.starts_with("<<") {
            continue;
        }
        current.push(w);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A word without its quotes.
pub(super) fn unquote(word: &str) -> String {
    word.chars().filter(|c| *c != '"' && *c != '\'').collect()
}

/// The index of the command word: assignments and wrappers skipped.
pub(super) fn tool_index(words: &[String]) -> Option<usize> {
    let mut k = 0;
    while let Some(w) = words.get(k) {
        let base = w.rsplit('/').next().unwrap_or(w);
        let assignment = w.split_once('=').is_some_and(|(n, _)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if assignment || w.starts_with('-') && k > 0 {
            k += 1;
            continue;
        }
        if matches!(
            base,
            "sudo"
                | "env"
                | "time"
                | "nice"
                | "exec"
                | "command"
                | "then"
                | "do"
                | "else"
                | "{"
                | "!"
        ) {
            k += 1;
            continue;
        }
        return Some(k);
    }
    None
}

/// The value of a flag in a word list (`-o out`, `-oout`, `--flag=v`, `--flag v`).
pub(super) fn flag_arg<'w>(words: &[&'w str], flag: &str) -> Option<&'w str> {
    let mut iter = words.iter();
    while let Some(w) = iter.next() {
        if *w == flag {
            return iter.next().copied();
        }
        if flag.starts_with("--") {
            if let Some(v) = w.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        } else if flag.len() == 2
            && let Some(v) = w.strip_prefix(flag)
            && !v.is_empty()
            && !w.starts_with("--")
        {
            return Some(v);
        }
    }
    None
}

/// Replaces every occurrence of the word `old` (bounded by quotes, spaces,
/// brackets or commas) in `text` with `new`.
pub(super) fn replace_word(text: &str, old: &str, new: &str) -> Option<String> {
    if old.is_empty() {
        return None;
    }
    let boundary_before = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | '=' | ',' | '('))
    };
    let boundary_after = |c: Option<char>| {
        c.is_none_or(|c| {
            c.is_whitespace() || matches!(c, '"' | '\'' | ']' | ',' | ';' | ')' | '&' | '|')
        })
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    let mut prev: Option<char> = None;
    while let Some(at) = rest.find(old) {
        let before = rest.get(..at).unwrap_or_default();
        let last = before.chars().last().or(prev);
        let after = rest.get(at + old.len()..).unwrap_or_default();
        out.push_str(before);
        if boundary_before(last) && boundary_after(after.chars().next()) {
            out.push_str(new);
            changed = true;
        } else {
            out.push_str(old);
        }
        prev = old.chars().last();
        rest = after;
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    fn words(text: &str) -> Vec<String> {
        shell_words(text, '\\')
            .iter()
            .map(|w| w.text(text).to_string())
            .collect()
    }

    #[test]
    fn shell_words_keep_quotes_substitutions_and_redirections() {
        assert_eq!(
            words("RUN make -j\"$(nproc)\" install 2>&1 && cd / \\\n    && rm -rf /src"),
            [
                "RUN",
                "make",
                "-j\"$(nproc)\"",
                "install",
                "2>&1",
                "&&",
                "cd",
                "/",
                "&&",
                "rm",
                "-rf",
                "/src"
            ]
        );
        assert_eq!(words("a;b|c"), ["a", ";", "b", "|", "c"]);
    }

    #[test]
    fn install_steps_are_repeated_into_the_staging_directory() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "RUN ./configure && make && make install && cd / && rm -rf /src",
                Some(
                    "RUN ./configure && make && make install && make DESTDIR=/out install && cd / && rm -rf /src",
                ),
            ),
            (
                "RUN cmake --build build && cmake --install build",
                Some(
                    "RUN cmake --build build && cmake --install build && DESTDIR=/out cmake --install build",
                ),
            ),
            (
                "RUN ninja -C build install",
                Some("RUN ninja -C build install && DESTDIR=/out ninja -C build install"),
            ),
            (
                "RUN make -j$(nproc) install-strip",
                Some(
                    "RUN make -j$(nproc) install-strip && make DESTDIR=/out -j$(nproc) install-strip",
                ),
            ),
            ("RUN make && make test", None),
            ("RUN make DESTDIR=/pkg install", None),
        ];
        for (input, want) in cases {
            assert_eq!(staged_install(input, '\\').as_deref(), *want, "{input}");
        }
    }

    #[test]
    fn words_are_replaced_only_whole() {
        assert_eq!(
            replace_word(
                "CMD [\"./target/release/app\", \"--x\"]",
                "./target/release/app",
                "/usr/local/bin/app"
            )
            .as_deref(),
            Some("CMD [\"/usr/local/bin/app\", \"--x\"]")
        );
        assert_eq!(replace_word("CMD ./app2 run", "./app", "/x"), None);
    }

    #[test]
    fn debian_codenames_of_toolchain_images() {
        let c = |s: &str| debian_codename(&ImageText::parse(s));
        assert_eq!(c("gcc:13"), Some("bookworm"));
        assert_eq!(c("gcc:16"), Some("trixie"));
        assert_eq!(c("gcc:14-trixie"), Some("trixie"));
        assert_eq!(c("rust:1.80"), Some("bookworm"));
        assert_eq!(c("rust:1.92-slim"), Some("trixie"));
        assert_eq!(c("rust:1"), Some("trixie"));
        assert_eq!(c("debian:12"), Some("bookworm"));
        assert_eq!(c("ubuntu:22.04"), None);
        assert_eq!(family_of(&ImageText::parse("ubuntu:22.04")), Family::Ubuntu);
        assert_eq!(
            family_of(&ImageText::parse("rust:1.80-alpine3.20")),
            Family::Alpine
        );
    }

    fn convert(text: &str) -> Result<crate::convert::Outcome, crate::convert::Refusal> {
        convert_text(text, &ConvertOptions::default())
    }

    #[test]
    fn detection_and_artifacts() {
        // cmake build run from the build tree.
        let out = convert(
            "FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN cmake -B build && cmake --build build\nCMD [\"./build/server\"]\n",
        );
        let c = out.unwrap_or_else(|r| panic!("{r}")).conversion;
        assert_eq!(c.strategy, "cpp-make");
        assert!(
            c.dockerfile
                .contains("COPY --from=builder /src/build/server /src/build/server"),
            "{}",
            c.dockerfile
        );
        assert!(
            c.dockerfile
                .contains("FROM debian:bookworm-slim AS runtime"),
            "{}",
            c.dockerfile
        );
        // `make` alone on a Go image is not C.
        let out = convert(
            "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN make build\nCMD [\"./bin/app\"]\n",
        );
        assert!(out.is_err_and(|r| r.ecosystem != Some(Ecosystem::Cpp)));
        // Unknown artifact: refused.
        let out = convert(
            "FROM debian:bookworm\nRUN apt-get update && apt-get install -y build-essential\nCOPY . /src\nRUN make -C /src\nCMD [\"/start.sh\"]\n",
        );
        assert!(out.is_err_and(|r| r.reason.contains("a script restage cannot read")));
        let out = convert(
            "FROM debian:bookworm\nRUN apt-get update && apt-get install -y build-essential\nCOPY . /src\nRUN make -C /src\nCMD [\"/usr/bin/server\"]\n",
        );
        assert!(out.is_err_and(|r| r.reason.contains("cannot tell which file")));
        // Scratch needs a static program.
        let opts = ConvertOptions {
            runtime: RuntimePreference::Scratch,
            ..ConvertOptions::default()
        };
        let out = convert_text(
            "FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN g++ -O2 -o app main.cpp\nCMD [\"./app\"]\n",
            &opts,
        );
        assert!(out.is_err_and(|r| r.reason.contains("scratch")));
        let out = convert_text(
            "FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN g++ -O2 -static -o app main.cpp\nCMD [\"./app\"]\n",
            &opts,
        );
        let c = out.unwrap_or_else(|r| panic!("{r}")).conversion;
        assert!(
            c.dockerfile.contains("FROM scratch AS runtime"),
            "{}",
            c.dockerfile
        );
        assert!(!c.dockerfile.contains("libstdc++"), "{}", c.dockerfile);
    }
}
