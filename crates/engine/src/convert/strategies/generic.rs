//! The last resort, for a stage no specific strategy recognises that
//! installs build-only packages (compilers, `-dev` headers):
//!
//! - when nothing in the stage compiles, the build-only packages are just
//!   not installed (a `-dev` package becomes its runtime library): one
//!   stage, fewer packages;
//! - when something compiles and `CMD`/`ENTRYPOINT` names a file a `RUN`
//!   creates, the stage becomes the builder and the slim image of the same
//!   distribution gets that file, the runtime packages and the runtime
//!   behaviour;
//! - otherwise it refuses with the reason.
//!
//! It always scores below every specific strategy.

use super::common::{add, install_command, keep_quiet, user_items};
use super::cpp::{
    Family, NO_RUNTIME, RuntimeSpec, base_info, base_name, builder_items, builder_stage,
    instruction_text, is_script, is_system_program, note_ubuntu_names, programs, runtime_items,
    runtime_needs, runtime_text, shell_commands, shell_image, shell_reasons, tool_index, unquote,
};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::ConvertContext;
use crate::convert::minimal::is_toolchain_image;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::{ImageUsers, is_root};
use crate::dockerfile::Keyword;
use crate::knowledge::packages::{Distro, is_dev, package_name, runtime_for};
use crate::model::tools::{Tool, recognise};
use crate::model::{Instruction, join_workdir};

/// The strategy.
pub struct Generic;

/// Commands that neither compile nor run a program that could.
const INERT: &[&str] = &[
    "curl",
    "wget",
    "tar",
    "unzip",
    "gzip",
    "gunzip",
    "xz",
    "unxz",
    "bzip2",
    "zstd",
    "sha256sum",
    "sha512sum",
    "sha1sum",
    "md5sum",
    "gpg",
    "gpgv",
    "apt-key",
    "update-alternatives",
    "ldconfig",
    "locale-gen",
    "localedef",
    "update-ca-certificates",
    "git",
    "dpkg-reconfigure",
    "which",
    "command",
    "ln",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "chmod",
    "chown",
    "echo",
    "printf",
    "sed",
    "tee",
    "cat",
    "touch",
    "true",
    "set",
    "cd",
    "export",
    "test",
    "[",
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "id",
    "ls",
    "date",
    "install",
];

/// Programs that mean the image is a build or development environment.
const TOOLCHAIN_COMMANDS: &[&str] = &[
    "gcc", "g++", "cc", "c++", "clang", "make", "cmake", "ninja", "meson", "cargo", "rustc", "go",
    "javac", "mvn", "gradle", "bash", "sh", "zsh", "ash",
];

/// Whether a `RUN` only installs packages, prepares files or downloads.
fn inert(i: &Instruction) -> bool {
    let Some(run) = &i.run else { return true };
    run.commands().all(|c| {
        c.name.is_empty()
            || INERT.contains(&c.base_name())
            || recognise(c).is_some_and(|inv| {
                inv.tool.is_package_manager()
                    && matches!(
                        inv.tool,
                        Tool::AptGet
                            | Tool::Apt
                            | Tool::Aptitude
                            | Tool::Apk
                            | Tool::Dnf
                            | Tool::Yum
                            | Tool::Microdnf
                            | Tool::Zypper
                    )
            })
    })
}

/// Whether a command is a system package manager.
fn is_system_manager(tool: &str) -> bool {
    matches!(
        tool,
        "apt-get" | "apt" | "aptitude" | "apk" | "dnf" | "yum" | "microdnf" | "zypper"
    )
}

/// A `RUN` with its build-only packages taken out (`-dev` packages
/// replaced by their runtime libraries), or `None` when nothing is left to
/// install and the `RUN` does nothing else (it can go).
enum Trimmed {
    Rewritten(String),
    Dropped,
}

/// Takes the build-only packages out of a `RUN`'s install commands.
fn trim_packages(
    cx: &ConvertContext<'_>,
    i: &Instruction,
    build_only: &[String],
    distro: Distro,
) -> Result<Trimmed, String> {
    let text = instruction_text(cx, i);
    let escape = cx.escape();
    let mut removals: Vec<(usize, usize, String)> = Vec::new();
    let mut emptied = 0usize;
    let mut installs = 0usize;
    let mut other_commands = false;
    for cmd in shell_commands(&text, escape) {
        let words: Vec<String> = cmd.iter().map(|w| unquote(w.text(&text))).collect();
        let Some(t) = tool_index(&words) else {
            continue;
        };
        let Some(tool) = words.get(t) else { continue };
        let base = tool.rsplit('/').next().unwrap_or(tool);
        if !is_system_manager(base) {
            if !(base == "rm"
                && words
                    .iter()
                    .any(|w| w.contains("/var/lib/apt/lists") || w.contains("/var/cache")))
            {
                other_commands = true;
            }
            continue;
        }
        let sub = words
            .iter()
            .skip(t + 1)
            .find(|w| !w.starts_with('-'))
            .cloned()
            .unwrap_or_default();
        if !matches!(sub.as_str(), "install" | "add" | "in") {
            continue;
        }
        installs += 1;
        let mut kept = 0usize;
        let mut seen_sub = false;
        let mut skip_value = false;
        for (k, w) in words.iter().enumerate().skip(t + 1) {
            if skip_value {
                skip_value = false;
                continue;
            }
            if w.starts_with('-') {
                // apk's `-t`/`--virtual` and apt's `-t`/`-o` take a value.
                skip_value = matches!(
                    w.as_str(),
                    "-t" | "--virtual" | "-o" | "--option" | "-X" | "--repository"
                );
                continue;
            }
            if !seen_sub {
                seen_sub = true;
                continue;
            }
            let Some(word) = cmd.get(k) else { continue };
            if build_only.iter().any(|b| b == w) {
                let replacement = if is_dev(package_name(w)) {
                    runtime_for(package_name(w), distro)
                        .map(|libs| libs.join(" "))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                if !replacement.is_empty() {
                    kept += 1;
                }
                removals.push((word.start, word.end, replacement));
            } else {
                kept += 1;
            }
        }
        if kept == 0 {
            emptied += 1;
        }
    }
    if installs > 0 && emptied == installs && !other_commands {
        return Ok(Trimmed::Dropped);
    }
    if emptied > 0 {
        return Err(format!(
            "line {}: every package of an install command there is build-only, and the RUN does more than install packages",
            i.start_line
        ));
    }
    let mut out = text.clone();
    removals.sort_by_key(|b| std::cmp::Reverse(b.0));
    for (start, end, replacement) in removals {
        if replacement.is_empty() {
            // Take the blanks before the word too (not the line break).
            let before = out.get(..start).unwrap_or_default();
            let trimmed = before.trim_end_matches([' ', '\t']);
            let from = if trimmed.ends_with(['\n', '\r']) {
                start
            } else {
                trimmed.len()
            };
            out.replace_range(from..end, "");
        } else {
            out.replace_range(start..end, &replacement);
        }
    }
    // Lines left holding only a line continuation go.
    let lines: Vec<&str> = out.split('\n').collect();
    let mut kept_lines: Vec<&str> = Vec::new();
    for l in lines {
        let t = l.trim();
        if t == escape.to_string() {
            continue;
        }
        kept_lines.push(l);
    }
    let mut out = kept_lines.join("\n");
    out = without_caches(&out, i, escape);
    Ok(Trimmed::Rewritten(out))
}

/// A runtime-stage install `RUN` that keeps no package-manager cache.
fn without_caches(text: &str, i: &Instruction, escape: char) -> String {
    let Some(run) = &i.run else {
        return text.to_string();
    };
    if run.exec_form || !run.posix || text.contains("<<") {
        return text.to_string();
    }
    let mut out = text.to_string();
    let apt = run.commands().filter_map(recognise).any(|inv| {
        matches!(inv.tool, Tool::AptGet | Tool::Apt) && inv.subcommand() == Some("install")
    });
    if apt && !out.contains("/var/lib/apt/lists") && !run.has_cache_mount("/var/lib/apt/lists") {
        out.push_str(&format!(" {escape}\n    && rm -rf /var/lib/apt/lists/*"));
    }
    let apk = run.commands().filter_map(recognise).any(|inv| {
        inv.tool == Tool::Apk && inv.subcommand() == Some("add") && !inv.has_flag(&["no-cache"])
    });
    if apk && !run.has_cache_mount("/var/cache/apk") {
        out = out.replacen("apk add ", "apk add --no-cache ", 1);
    }
    out
}

impl Strategy for Generic {
    fn name(&self) -> &'static str {
        "generic-split"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Generic
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let base = base_info(cx)?;
        if is_toolchain_image(&base.resolved) {
            return None;
        }
        let distro = base.package_distro();
        let mut d = Detection::default();
        for i in cx.instructions() {
            let facts = classify_run(i);
            if let Some(system) = &facts.system {
                let build: Vec<&str> = system
                    .build_only(distro)
                    .into_iter()
                    .filter(|p| !system.removed.iter().any(|r| r == package_name(p)))
                    .collect();
                if !build.is_empty() {
                    let weight = u32::from(d.score == 0);
                    d.add(
                        weight,
                        i.start_line,
                        format!("installs build-only packages: {}", build.join(", ")),
                    );
                }
            }
            if facts.builds {
                let weight = u32::from(d.score == 0);
                d.add(weight, i.start_line, "compiles");
            }
        }
        // Always below every specific strategy.
        (!d.evidence.is_empty()).then_some(Detection {
            score: 1,
            evidence: d.evidence,
        })
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let eco = Some(Ecosystem::Generic);
        super::common::refuse_unresolved_packages(cx, eco)?;
        let base = base_info(cx)
            .ok_or_else(|| Refusal::new(eco, "the stage does not start from an image"))?;
        if base.family == Family::Other {
            return Err(Refusal::new(
                eco,
                format!(
                    "restage only splits builds on Debian, Ubuntu and Alpine images; `{}` is neither",
                    cx.stage.base_text
                ),
            ));
        }
        let distro = base.package_distro();
        let mut build_only: Vec<String> = Vec::new();
        let mut package_runs: Vec<&Instruction> = Vec::new();
        let mut compiles: Vec<&Instruction> = Vec::new();
        let mut unknown: Vec<&Instruction> = Vec::new();
        for i in cx.instructions() {
            if i.keyword != Keyword::Run {
                continue;
            }
            let facts = classify_run(i);
            if let Some(system) = &facts.system {
                let build: Vec<String> = system
                    .build_only(distro)
                    .into_iter()
                    .filter(|p| !system.removed.iter().any(|r| r == package_name(p)))
                    .map(str::to_string)
                    .collect();
                if !build.is_empty() {
                    package_runs.push(i);
                    build_only.extend(build);
                }
            }
            if facts.builds {
                compiles.push(i);
            } else if !inert(i) && !facts.setup_only {
                unknown.push(i);
            }
        }
        let programs = programs(cx);
        if compiles.is_empty() && unknown.is_empty() {
            return self.drop_packages(cx, &build_only, &package_runs, &programs, distro);
        }

        // Something compiles: the program must be a file a RUN creates.
        let workdir = cx.final_workdir();
        let first = compiles
            .first()
            .or(unknown.first())
            .map_or(0, |i| i.start_line);
        let Some(program) = programs.iter().find(|p| p.keyword != Keyword::Healthcheck) else {
            return Err(Refusal::new(
                eco,
                format!(
                    "line {first} builds something, and no CMD or ENTRYPOINT names the program, so restage cannot tell the artifact from the build tools"
                ),
            ));
        };
        let word = program.word.clone();
        let name = base_name(&word);
        if is_script(&name) || is_system_program(&name) {
            return Err(Refusal::new(
                eco,
                format!(
                    "line {first} builds something, and the image starts `{word}` (line {}), which restage cannot trace to a built file",
                    program.line
                ),
            ));
        }
        let abs = if word.starts_with('/') || word.contains('/') {
            join_workdir(workdir.as_deref(), &word)
        } else {
            format!("/usr/local/bin/{word}")
        };
        let producer = cx
            .instructions()
            .filter(|i| i.run.is_some() && classify_run(i).system.is_none())
            .filter(|i| {
                let text = instruction_text(cx, i);
                text.contains(&abs)
                    || text
                        .split(|c: char| {
                            c.is_whitespace() || matches!(c, '"' | '\'' | ';' | '&' | '|')
                        })
                        .any(|w| w == name || w.ends_with(&format!("/{name}")))
            })
            .last();
        let Some(producer) = producer else {
            return Err(Refusal::new(
                eco,
                format!(
                    "line {first} builds something, and no RUN names `{abs}` (what line {} starts), so restage cannot tell where the artifact is",
                    program.line
                ),
            ));
        };
        let copy_path = match abs.strip_prefix("/opt/").and_then(|r| r.split_once('/')) {
            Some((top, _)) => format!("/opt/{top}"),
            None => abs.clone(),
        };
        let mut plan = Plan::new(Ecosystem::Generic, self.name(), Confidence::Low);
        let needs = shell_reasons(cx, std::slice::from_ref(&word));
        let _ = needs;
        let choice = match cx.options.runtime {
            RuntimePreference::Auto | RuntimePreference::Slim if base.family != Family::Alpine => {
                shell_image(&base, eco)?
            }
            RuntimePreference::Auto | RuntimePreference::Alpine
                if base.family == Family::Alpine =>
            {
                shell_image(&base, eco)?
            }
            p => {
                return Err(Refusal::new(
                    eco,
                    format!(
                        "restage cannot tell which libraries `{abs}` loads or whether it is static, so it only uses the builder's own distribution ({}) for it, not --runtime {}",
                        if base.family == Family::Alpine {
                            "alpine"
                        } else {
                            "slim"
                        },
                        match p {
                            RuntimePreference::Scratch => "scratch",
                            RuntimePreference::Distroless => "distroless",
                            RuntimePreference::Alpine => "alpine",
                            _ => "slim",
                        }
                    ),
                ));
            }
        };
        let need = runtime_needs(cx, distro, choice.distro, &runtime_text(cx));
        let mut head = Vec::new();
        if !need.packages.is_empty() {
            head.push(add(
                install_command(choice.distro, &need.packages, cx.escape()),
                if need.libraries.is_empty() {
                    ChangeKind::Add
                } else {
                    ChangeKind::RuntimeLibrary
                },
                format!("Runtime packages: {}", need.packages.join(", ")),
                need.reason.clone(),
                need.lines.clone(),
            ));
        }
        note_ubuntu_names(&base, &need, &choice.image, &mut plan);
        if !need.unmapped.is_empty() {
            plan.warnings.push(format!(
                "no runtime package is known for {}; if the program links these libraries, install their runtime packages",
                need.unmapped.join(", ")
            ));
        }
        if !need.dropped.is_empty() {
            plan.assumptions.push(format!(
                "Left out of the runtime stage: {} (build-time helpers that fetch or generate sources)",
                need.dropped.join(", ")
            ));
        }
        plan.assumptions.push(format!(
            "Only `{copy_path}` (what CMD/ENTRYPOINT starts, created on line {}) is copied into the runtime stage. If the build installs other files the program needs (shared libraries, data), copy them too.",
            producer.start_line
        ));
        let spec = RuntimeSpec {
            image: choice.image.clone(),
            shell: choice.shell,
            distro: choice.distro,
            existing_user: choice.existing_user,
            head,
            artifacts: vec![add(
                format!("COPY --from=builder {copy_path} {copy_path}"),
                ChangeKind::CopyArtifact,
                format!("Only `{copy_path}` is copied"),
                "it is what the image runs; the build tools stay in the builder",
                vec![producer.start_line],
            )],
            artifact_node: Some(producer.node),
            rewrites: Vec::new(),
            artifact_words: vec![word],
            overrides: Vec::new(),
        };
        let builder = builder_items(cx, &[], &[], Vec::new());
        let runtime = runtime_items(cx, &spec, &mut plan)?;
        plan.stages
            .push(builder_stage(cx, builder, "it keeps the build tools"));
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

impl Generic {
    /// Nothing compiles: the same stage without its build-only packages.
    fn drop_packages(
        &self,
        cx: &ConvertContext<'_>,
        build_only: &[String],
        package_runs: &[&Instruction],
        programs: &[super::cpp::Program],
        distro: Distro,
    ) -> Result<Plan, Refusal> {
        let eco = Some(Ecosystem::Generic);
        let list = build_only.join(", ");
        let Some(program) = programs.iter().find(|p| p.keyword != Keyword::Healthcheck) else {
            return Err(Refusal::new(
                eco,
                format!(
                    "the image installs {list} and has no CMD or ENTRYPOINT of its own: it starts the base image's shell, so the build tools may be what the image is for"
                ),
            ));
        };
        let name = base_name(&program.word);
        if TOOLCHAIN_COMMANDS.contains(&name.as_str()) {
            return Err(Refusal::new(
                eco,
                format!(
                    "the image installs {list} and starts `{}` (line {}): a build or development environment, where the build tools are the point",
                    program.word, program.line
                ),
            ));
        }
        // An SDK or CI image (emsdk, a cross toolchain) exposes no service and
        // starts a script that may well run the compilers it installs.
        let toolchain = build_only
            .iter()
            .any(|p| crate::knowledge::packages::is_toolchain(p, distro));
        let unreadable = is_script(&program.word) || program.word.contains("/src/");
        if toolchain && unreadable && cx.with_keyword(Keyword::Expose).next().is_none() {
            return Err(Refusal::new(
                eco,
                format!(
                    "the image installs {list}, exposes no port and starts `{}` (line {}), a script or a program in a source tree restage cannot read: it looks like an SDK, benchmark, CI or development image that may run those build tools itself",
                    program.word, program.line
                ),
            ));
        }
        let mut plan = Plan::new(Ecosystem::Generic, self.name(), Confidence::Medium);
        let mut items: Vec<Item> = Vec::new();
        for i in cx.instructions() {
            if !package_runs.iter().any(|p| p.node == i.node) {
                items.push(keep_quiet(i));
                continue;
            }
            let build: Vec<String> = classify_run(i)
                .system
                .map(|s| {
                    s.build_only(distro)
                        .into_iter()
                        .filter(|p| !s.removed.iter().any(|r| r == package_name(p)))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            match trim_packages(cx, i, &build, distro) {
                Ok(Trimmed::Rewritten(text)) => items.push(Item::Rewrite {
                    node: i.node,
                    text,
                    change: ChangeSpec::new(
                        ChangeKind::Drop,
                        format!("Build-only packages are not installed: {}", build.join(", ")),
                        "nothing in the Dockerfile compiles, so compilers and headers are dead weight; a -dev package is replaced by its runtime library",
                        vec![i.start_line],
                    ),
                }),
                Ok(Trimmed::Dropped) => plan.notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    format!("The RUN installing only build-only packages ({}) is gone", build.join(", ")),
                    "nothing in the Dockerfile compiles",
                    vec![i.start_line],
                )),
                Err(why) => return Err(Refusal::new(eco, why)),
            }
        }
        let unmapped: Vec<&String> = build_only
            .iter()
            .filter(|p| {
                is_dev(package_name(p))
                    && !NO_RUNTIME.contains(&package_name(p))
                    && runtime_for(package_name(p), distro).is_none()
            })
            .collect();
        if !unmapped.is_empty() {
            let names: Vec<&str> = unmapped.iter().map(|s| s.as_str()).collect();
            plan.warnings.push(format!(
                "no runtime package is known for {}; if the program loads these libraries, install their runtime packages",
                names.join(", ")
            ));
        }
        plan.assumptions.push(format!(
            "Nothing in the Dockerfile compiles, so {list} are left out and the image stays one stage. If the program compiles at run time (plugins, native extensions), keep them."
        ));
        // A non-root user, unless the stage has one.
        if cx.final_user().is_none_or(|u| is_root(&u)) || cx.options.user.is_some() {
            let (user, _) = user_items(cx, None, ImageUsers::Shell(distro));
            let at = super::common::first_start_item(cx, &items).unwrap_or(items.len());
            for (k, item) in user.into_iter().enumerate() {
                items.insert(at + k, item);
            }
        }
        let name = cx
            .stage
            .name_as_written
            .clone()
            .unwrap_or_else(|| "runtime".into());
        plan.stages.push(StagePlan {
            name,
            from: StageFrom::Source,
            from_change: None,
            items,
        });
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::{ConvertOptions, convert_text};

    #[test]
    fn unused_compilers_are_dropped_or_refused() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            (
                "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make curl ca-certificates && rm -rf /var/lib/apt/lists/*\nCOPY app /usr/local/bin/app\nCMD [\"app\"]\n",
                Ok(
                    "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
                ),
            ),
            (
                "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y build-essential git\nCMD [\"bash\"]\n",
                Err("development environment"),
            ),
            (
                "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc\nCOPY . /src\nRUN /src/build.sh\nCMD [\"/start.sh\"]\n",
                Err("cannot trace"),
            ),
        ];
        for (input, want) in cases {
            let got = convert_text(input, &ConvertOptions::default());
            match (got, want) {
                (Ok(o), Ok(text)) => {
                    assert_eq!(o.conversion.strategy, "generic-split");
                    assert!(
                        o.conversion.dockerfile.contains(text),
                        "{input}\n---\n{}",
                        o.conversion.dockerfile
                    );
                }
                (Err(r), Err(why)) => assert!(r.reason.contains(why), "{input}\n---\n{}", r.reason),
                (got, _) => panic!("{input}\n---\n{got:?}"),
            }
        }
    }
}
