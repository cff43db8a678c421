//! Helpers shared by restage's own rules: the final image, the variables in
//! effect before an instruction, packages installed and removed by a `RUN`,
//! cache directories, and base-image names.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::dockerfile::instructions::{CommandKind, MountType};
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::model::image::ImageRef;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction, RunInfo, StageModel};

// ---------------------------------------------------------------------------
// Worked out once per lint

/// Facts about the final image that several restage rules read, worked out
/// on first use and kept for the rest of the lint (the [`LintContext`]
/// holds one).
#[derive(Debug, Default)]
pub(crate) struct Memo<'a> {
    final_image: OnceLock<Vec<&'a StageModel>>,
    final_instructions: OnceLock<Vec<&'a Instruction>>,
    final_runs: OnceLock<Vec<(&'a Instruction, &'a RunInfo)>>,
    final_command: OnceLock<Option<(Vec<String>, &'a Instruction)>>,
    final_program: OnceLock<Option<(String, Vec<String>)>>,
    runs_application: OnceLock<bool>,
    posix_final_runs: OnceLock<Vec<FinalRun<'a>>>,
    env_history: OnceLock<EnvHistory>,
}

/// A POSIX-shell `RUN` of the final image, the toolchains and development
/// headers it leaves installed, and the toolchains it downloads (each read
/// with the variables in effect before it).
#[derive(Debug)]
pub(super) struct FinalRun<'a> {
    /// The instruction.
    pub instruction: &'a Instruction,
    /// Its scripts.
    pub run: &'a RunInfo,
    /// Toolchain packages it leaves installed.
    pub tools: Vec<Package>,
    /// Development-header packages it leaves installed.
    pub headers: Vec<Package>,
    /// Toolchains it downloads and unpacks (`go`, `node`, ...).
    pub downloads: Vec<&'static str>,
}

/// The POSIX-shell `RUN`s of the final image with what they install
/// ([`super::packages::classify`]) and download
/// ([`super::packages::downloaded_toolchains`]), worked out once per lint.
pub(super) fn posix_final_runs<'a, 'c>(cx: &'c LintContext<'a>) -> &'c [FinalRun<'a>] {
    cx.memo.posix_final_runs.get_or_init(|| {
        final_runs(cx)
            .iter()
            .filter(|(_, run)| run.posix)
            .map(|&(instruction, run)| {
                let env = env_before(cx, instruction);
                let (tools, headers) = super::packages::classify(run, &env);
                let downloads = super::packages::downloaded_toolchains(run, &env);
                FinalRun {
                    instruction,
                    run,
                    tools,
                    headers,
                    downloads,
                }
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------
// The final image

/// The final image: the final stage and the stages it builds on through
/// `FROM <stage>`, root first (build order).
pub(super) fn final_image<'a, 'c>(cx: &'c LintContext<'a>) -> &'c [&'a StageModel] {
    cx.memo.final_image.get_or_init(|| {
        let Some(last) = cx.final_stage() else {
            return Vec::new();
        };
        let mut chain = cx.lineage(last);
        chain.reverse();
        chain
    })
}

/// The instructions of the final image (`FROM` excluded), in build order.
pub(super) fn final_instructions<'a, 'c>(cx: &'c LintContext<'a>) -> &'c [&'a Instruction] {
    cx.memo.final_instructions.get_or_init(|| {
        final_image(cx)
            .iter()
            .flat_map(|s| cx.stage_instructions(s))
            .collect()
    })
}

/// The `RUN`s of the final image (not `ONBUILD` triggers: those run in the
/// images built from this one), in build order.
pub(super) fn final_runs<'a, 'c>(cx: &'c LintContext<'a>) -> &'c [(&'a Instruction, &'a RunInfo)] {
    cx.memo.final_runs.get_or_init(|| {
        final_instructions(cx)
            .iter()
            .filter_map(|&i| i.run.as_ref().map(|r| (i, r)))
            .collect()
    })
}

/// The stage the final image starts from (the root of its lineage) and the
/// image reference it is built on, when it is an image.
pub(super) fn final_base<'a>(cx: &LintContext<'a>) -> Option<(&'a StageModel, &'a ImageRef)> {
    let root = *final_image(cx).first()?;
    match &root.base {
        BaseImage::Image {
            image: Some(image), ..
        } => Some((root, image)),
        _ => None,
    }
}

/// Whether another rule (by code) is registered and enabled: restage then
/// leaves the cases that rule reports to it, to avoid duplicate findings.
pub(super) fn enabled(cx: &LintContext<'_>, code: &str) -> bool {
    cx.rule_enabled(code)
}

/// The command the final image runs: `ENTRYPOINT` words then `CMD` words
/// (the last of each in the final image), `None` when neither is set.
pub(super) fn final_command<'a, 'c>(
    cx: &'c LintContext<'a>,
) -> Option<(&'c [String], &'a Instruction)> {
    cx.memo
        .final_command
        .get_or_init(|| final_command_uncached(cx))
        .as_ref()
        .map(|(words, at)| (words.as_slice(), *at))
}

/// The program the final image runs and its arguments: [`main_program`]
/// of [`final_command`].
pub(super) fn final_program<'c>(cx: &'c LintContext<'_>) -> Option<(&'c str, &'c [String])> {
    cx.memo
        .final_program
        .get_or_init(|| final_command(cx).and_then(|(words, _)| main_program(words)))
        .as_ref()
        .map(|(program, args)| (program.as_str(), args.as_slice()))
}

/// The work behind [`final_command`].
fn final_command_uncached<'a>(cx: &LintContext<'a>) -> Option<(Vec<String>, &'a Instruction)> {
    let mut entrypoint: Option<(Vec<String>, &'a Instruction)> = None;
    let mut cmd: Option<(Vec<String>, &'a Instruction)> = None;
    for &i in final_instructions(cx) {
        match i.kind() {
            Some(CommandKind::Entrypoint(line)) => {
                entrypoint = Some((command_words(&line.args, line.prepend_shell), i));
                // An ENTRYPOINT resets the CMD set before it.
                cmd = None;
            }
            Some(CommandKind::Cmd(line)) => {
                cmd = Some((command_words(&line.args, line.prepend_shell), i));
            }
            _ => {}
        }
    }
    match (entrypoint, cmd) {
        (Some((mut e, at)), Some((c, _))) if !e.is_empty() => {
            e.extend(c);
            Some((e, at))
        }
        (Some((e, at)), None) if !e.is_empty() => Some((e, at)),
        (_, Some((c, at))) => Some((c, at)),
        _ => None,
    }
}

fn command_words(args: &[String], shell_form: bool) -> Vec<String> {
    if shell_form {
        crate::model::shell::shell_form_words(args)
    } else {
        args.to_vec()
    }
}

/// The program a command line runs, past wrappers (`tini --`,
/// `dumb-init`, `gosu user`, `su-exec user`, `exec`, `sh -c '...'`, an
/// entrypoint script followed by a command): the program's base name and
/// its arguments.
fn main_program(words: &[String]) -> Option<(String, Vec<String>)> {
    let mut rest: Vec<String> = words.to_vec();
    for _ in 0..8 {
        let first = rest.first()?.clone();
        let base = first.rsplit('/').next().unwrap_or(&first).to_string();
        let skip = match base.as_str() {
            "tini" | "tini-static" | "dumb-init" | "catatonit" | "exec" | "env" | "nohup" => {
                1 + rest
                    .iter()
                    .skip(1)
                    .take_while(|w| w.starts_with('-') || w.contains('='))
                    .count()
            }
            "gosu" | "su-exec" | "chpst" | "setpriv" => 2,
            "sh" | "bash" | "ash" | "dash" | "zsh" => {
                match rest
                    .iter()
                    .position(|w| w.starts_with('-') && w.contains('c'))
                {
                    Some(at) => {
                        let script = rest.get(at + 1).cloned().unwrap_or_default();
                        rest = script.split_whitespace().map(str::to_string).collect();
                        if rest.is_empty() {
                            return Some((base, Vec::new()));
                        }
                        continue;
                    }
                    None => 0,
                }
            }
            b if (b.contains("entrypoint") || b.ends_with(".sh")) && rest.len() > 1 => 1,
            _ => 0,
        };
        if skip == 0 {
            break;
        }
        rest = rest.into_iter().skip(skip).collect();
    }
    let first = rest.first()?.clone();
    let base = first.rsplit('/').next().unwrap_or(&first).to_string();
    Some((base, rest.into_iter().skip(1).collect()))
}

/// Whether a stage's name says it is a development, test, CI or build
/// target (`dev`, `devcontainer`, `test`, `lint`, `ci`, `build`, ...): the
/// last target of a multi-target file is often one of these.
pub(super) fn is_tooling_stage(stage: &StageModel) -> bool {
    stage.name.as_deref().is_some_and(|name| {
        name.split(['-', '_', '.']).any(|w| {
            matches!(
                w,
                "dev"
                    | "develop"
                    | "development"
                    | "devcontainer"
                    | "devel"
                    | "test"
                    | "tests"
                    | "testing"
                    | "ci"
                    | "lint"
                    | "linter"
                    | "validate"
                    | "build"
                    | "builder"
                    | "debug"
                    | "tools"
                    | "toolchain"
                    | "sdk"
            )
        })
    })
}

/// Whether the final image's environment says it is for development or
/// tests (`NODE_ENV=development`, `RAILS_ENV=test`,
/// `ASPNETCORE_ENVIRONMENT=Development`, ...).
pub(super) fn development_env(cx: &LintContext<'_>) -> bool {
    let Some(last) = cx.final_stage() else {
        return false;
    };
    last.env.iter().any(|(k, v)| {
        matches!(
            k.as_str(),
            "NODE_ENV"
                | "RAILS_ENV"
                | "RACK_ENV"
                | "FLASK_ENV"
                | "APP_ENV"
                | "DJANGO_ENV"
                | "MIX_ENV"
                | "ASPNETCORE_ENVIRONMENT"
                | "DOTNET_ENVIRONMENT"
                | "ENVIRONMENT"
        ) && matches!(
            v.to_ascii_lowercase().as_str(),
            "development" | "dev" | "test" | "testing" | "local"
        )
    })
}

/// Whether the final image looks like it runs an application rather than
/// being a toolchain, CI or development image that people run their own
/// commands in: its stage is not named like a development or build target
/// (`dev`, `test`, `builder`, ...), and it `EXPOSE`s a port or its command
/// is a program other than a shell, an idle command, a bare interpreter or
/// a build tool.
pub(super) fn runs_application(cx: &LintContext<'_>) -> bool {
    *cx.memo
        .runs_application
        .get_or_init(|| runs_application_uncached(cx))
}

/// The work behind [`runs_application`].
fn runs_application_uncached(cx: &LintContext<'_>) -> bool {
    if cx.final_stage().is_some_and(is_tooling_stage) || development_env(cx) {
        return false;
    }
    // An image with ONBUILD triggers is a base for other builds.
    if final_instructions(cx)
        .iter()
        .any(|i| matches!(i.kind(), Some(CommandKind::Onbuild(_))))
    {
        return false;
    }
    let exposes = final_instructions(cx)
        .iter()
        .any(|i| matches!(i.kind(), Some(CommandKind::Expose(_))));
    if exposes {
        return true;
    }
    let Some((program, args)) = final_program(cx) else {
        return false;
    };
    let program = program.to_ascii_lowercase();
    let bare = args.iter().all(|a| a.starts_with('-'));
    // Development servers and test runners: `npm run dev`, `dotnet watch`,
    // nodemon, `npx playwright test`, pytest.
    let dev_words = [
        "dev",
        "watch",
        "develop",
        "start:dev",
        "serve:dev",
        "test",
        "tests",
        "e2e",
    ];
    if args.iter().any(|a| dev_words.contains(&a.as_str()))
        || matches!(
            program.as_str(),
            "nodemon"
                | "air"
                | "reflex"
                | "cargo-watch"
                | "webpack-dev-server"
                | "ts-node-dev"
                | "pytest"
                | "jest"
                | "vitest"
                | "mocha"
                | "playwright"
                | "cypress"
                | "tox"
                | "rspec"
        )
    {
        return false;
    }
    let runs = args.iter().any(|a| {
        matches!(
            a.as_str(),
            "run" | "bootRun" | "spring-boot:run" | "serve" | "start"
        )
    });
    let shells = [
        "sh", "bash", "ash", "dash", "zsh", "fish", "sleep", "tail", "true", "cat", "login",
    ];
    let builders = [
        "gcc", "g++", "clang", "make", "cmake", "go", "cargo", "rustc", "rustup", "mvn", "mvnw",
        "gradle", "gradlew", "javac", "jshell", "dotnet", "emcc", "conan", "bazel", "ant",
    ];
    let interpreters = [
        "python",
        "python3",
        "node",
        "php",
        "ruby",
        "irb",
        "iex",
        "erl",
        "ghci",
        "perl",
        "java",
        "pwsh",
        "powershell",
    ];
    if shells.contains(&program.as_str()) {
        return false;
    }
    if builders.contains(&program.as_str()) {
        return runs || args.first().is_some_and(|a| a.ends_with(".dll"));
    }
    if interpreters.contains(&program.as_str()) {
        return !bare;
    }
    true
}

// ---------------------------------------------------------------------------
// Variables

/// Variables in effect at one point of the final image: name → value,
/// `None` when the variable is set but its value is not known statically
/// (an `ARG` without a default, a value using a variable restage cannot
/// resolve). A view into the lint's [`EnvHistory`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Env<'h> {
    history: &'h EnvHistory,
    before: usize,
}

impl<'h> Env<'h> {
    /// The value of `name`: `None` when it is not set, `Some(None)` when
    /// its value is not known.
    pub(super) fn get(&self, name: &str) -> Option<&'h Option<String>> {
        let values = self.history.values.get(name)?;
        let set_before = values.partition_point(|(position, _)| *position < self.before);
        values
            .get(set_before.checked_sub(1)?)
            .map(|(_, value)| value)
    }
}

/// Every value the `ENV`s and `ARG`s of the final image give each
/// variable, with the position (in [`final_instructions`]) of the
/// instruction that sets it. Worked out once per lint: the variables
/// before a `RUN` are then looked up, not collected again from every
/// instruction before it (quadratic in the instructions of a long file).
#[derive(Debug, Default)]
pub(super) struct EnvHistory {
    /// Each variable's values in build order.
    values: BTreeMap<String, Vec<(usize, Option<String>)>>,
    /// The position of each instruction of the final image, by node.
    positions: HashMap<usize, usize>,
}

impl EnvHistory {
    /// The variables the final image's instructions set, in one pass.
    fn of_final_image(cx: &LintContext<'_>) -> Self {
        let mut history = Self::default();
        for (position, instruction) in final_instructions(cx).iter().enumerate() {
            history.positions.insert(instruction.node, position);
            let set = assignments(history.at(position), instruction);
            for (name, value) in set {
                history
                    .values
                    .entry(name)
                    .or_default()
                    .push((position, value));
            }
        }
        history
    }

    /// The variables in effect before the instruction at `position`.
    fn at(&self, position: usize) -> Env<'_> {
        Env {
            history: self,
            before: position,
        }
    }

    /// The variables in effect after every instruction (tests).
    #[cfg(test)]
    pub(super) fn at_end(&self) -> Env<'_> {
        self.at(usize::MAX)
    }

    /// A history of variables set before every instruction (tests).
    #[cfg(test)]
    pub(super) fn with(values: &[(&str, Option<&str>)]) -> Self {
        let mut history = Self::default();
        for (name, value) in values {
            history
                .values
                .entry((*name).to_string())
                .or_default()
                .push((0, value.map(str::to_string)));
        }
        history
    }
}

/// The `ENV`s and `ARG`s in effect before `instruction`, an instruction of
/// the final image ([`final_instructions`]): those of its stage and of the
/// stages it builds on. Base-image variables are not known; nothing is
/// known before an instruction outside the final image.
pub(super) fn env_before<'c>(cx: &'c LintContext<'_>, instruction: &Instruction) -> Env<'c> {
    let history = cx
        .memo
        .env_history
        .get_or_init(|| EnvHistory::of_final_image(cx));
    let position = history.positions.get(&instruction.node).copied();
    history.at(position.unwrap_or(0))
}

/// What an `ENV` or `ARG` sets, in order, given the variables before it.
fn assignments(env: Env<'_>, i: &Instruction) -> Vec<(String, Option<String>)> {
    match (i.kind(), &i.expanded) {
        (Some(CommandKind::Env(pairs)), Some(Expanded::Env { vars })) => vars
            .iter()
            .zip(pairs.iter().map(Some).chain(std::iter::repeat(None)))
            .map(|((k, v), raw)| {
                let uses_unknown = raw.is_some_and(|r| {
                    referenced(&r.value).iter().any(|name| {
                        i.undefined.contains(name) || matches!(env.get(name), Some(None))
                    })
                });
                (k.clone(), (!uses_unknown).then(|| v.clone()))
            })
            .collect(),
        (Some(CommandKind::Env(pairs)), _) => pairs
            .iter()
            .map(|p| {
                let v = unquote(&p.value);
                (p.key.clone(), (!v.contains('$')).then_some(v))
            })
            .collect(),
        (Some(CommandKind::Arg(_)), Some(Expanded::Arg { args })) => args
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect(),
        (Some(CommandKind::Arg(decls)), _) => decls
            .iter()
            .map(|d| {
                let v = d.default.as_deref().map(unquote);
                (d.key.clone(), v.filter(|v| !v.contains('$')))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The variable names a value refers to (`$A`, `${B}`, `${C:-x}`).
fn referenced(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(pos) = rest.find('$') {
        let after = rest.get(pos + 1..).unwrap_or_default();
        let after = after.strip_prefix('{').unwrap_or(after);
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if let Some(name) = after.get(..len).filter(|n| !n.is_empty()) {
            out.push(name.to_string());
        }
        rest = after.get(len..).unwrap_or_default();
    }
    out
}

/// Removes one level of surrounding quotes.
pub(super) fn unquote(text: &str) -> String {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.to_string()
}

/// The shell variables of a script as its commands run: `NAME=value`
/// commands and `export NAME=value`, on top of the `ENV`/`ARG` environment.
#[derive(Debug, Clone)]
pub(super) struct ShellVars<'e> {
    env: &'e Env<'e>,
    vars: BTreeMap<String, Option<String>>,
    exported: BTreeMap<String, Option<String>>,
}

impl<'e> ShellVars<'e> {
    /// Starts with the instruction's environment.
    pub(super) fn new(env: &'e Env<'e>) -> Self {
        Self {
            env,
            vars: BTreeMap::new(),
            exported: BTreeMap::new(),
        }
    }

    /// Records what a command sets for the commands after it.
    pub(super) fn step(&mut self, cmd: &SimpleCommand) {
        if cmd.name.is_empty() {
            for (k, v) in &cmd.assignments {
                let value = self.expand(v);
                self.vars.insert(k.clone(), value);
            }
        } else if cmd.is("export") {
            for arg in &cmd.args {
                if let Some((k, v)) = arg.split_once('=') {
                    let value = self.expand(v);
                    self.vars.insert(k.to_string(), value.clone());
                    self.exported.insert(k.to_string(), value);
                }
            }
        }
    }

    /// The value a variable has for `cmd`'s environment (its own prefix
    /// assignments, exported shell variables, `ENV`/`ARG`). Outer `None`:
    /// unset; inner `None`: set, value unknown.
    pub(super) fn env_value(&self, cmd: &SimpleCommand, name: &str) -> Option<Option<String>> {
        if let Some((_, v)) = cmd.assignments.iter().rev().find(|(k, _)| k == name) {
            return Some(self.expand(v));
        }
        self.exported
            .get(name)
            .cloned()
            .or_else(|| self.env.get(name).cloned())
    }

    /// A variable's value for expansion in the script.
    fn lookup(&self, name: &str) -> Option<Option<String>> {
        self.vars
            .get(name)
            .cloned()
            .or_else(|| self.env.get(name).cloned())
    }

    /// Expands `$NAME`, `${NAME}` and `${NAME:-default}` in `word`; `None`
    /// when a variable is unknown or another expansion is used.
    pub(super) fn expand(&self, word: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = word;
        while let Some(pos) = rest.find('$') {
            out.push_str(rest.get(..pos)?);
            let after = rest.get(pos + 1..)?;
            if let Some(inner) = after.strip_prefix('{') {
                let end = inner.find('}')?;
                let body = inner.get(..end)?;
                let (name, default) = match body.split_once(":-").or_else(|| body.split_once('-')) {
                    Some((n, d)) => (n, Some(d)),
                    None => (body, None),
                };
                if !is_name(name) {
                    return None;
                }
                match (self.lookup(name), default) {
                    (Some(Some(v)), _) => out.push_str(&v),
                    (Some(None), _) => return None,
                    (None, Some(d)) => out.push_str(d),
                    (None, None) => return None,
                }
                rest = inner.get(end + 1..)?;
            } else {
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                if len == 0 {
                    return None;
                }
                let name = after.get(..len)?;
                match self.lookup(name) {
                    Some(Some(v)) => out.push_str(&v),
                    _ => return None,
                }
                rest = after.get(len..)?;
            }
        }
        out.push_str(rest);
        Some(out)
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether an environment value turns an option on (`1`, `true`, `yes`,
/// `on`, or unknown — given the benefit of the doubt).
pub(super) fn truthy(value: &Option<String>) -> bool {
    match value {
        None => true,
        Some(v) => !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        ),
    }
}

// ---------------------------------------------------------------------------
// Packages

/// A package manager family: packages installed by one can be removed by
/// another of the same family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// apt-get, apt, aptitude (Debian, Ubuntu).
    Apt,
    /// apk (Alpine).
    Apk,
    /// dnf, yum, microdnf (Fedora, RHEL).
    Rpm,
    /// zypper (openSUSE).
    Zypper,
}

impl Family {
    fn of(tool: Tool) -> Option<Self> {
        Some(match tool {
            Tool::AptGet | Tool::Apt | Tool::Aptitude => Self::Apt,
            Tool::Apk => Self::Apk,
            Tool::Dnf | Tool::Yum | Tool::Microdnf => Self::Rpm,
            Tool::Zypper => Self::Zypper,
            _ => return None,
        })
    }
}

/// A package a `RUN` installs and does not remove again in the same `RUN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Package {
    /// Its family.
    pub family: Family,
    /// The command that installs it (`apt-get`, `apk`, ...).
    pub tool: String,
    /// Its name, without version or architecture.
    pub name: String,
}

/// The name of a package operand without version, release or architecture
/// (`gcc=4:12.2`, `gcc~12`, `gcc>=1`, `gcc:amd64`, `gcc/bookworm`); `None`
/// for files and URLs.
fn package_name(family: Family, operand: &str) -> Option<String> {
    let lower = operand.to_ascii_lowercase();
    if lower.starts_with(['/', '-'])
        || lower.starts_with("./")
        || lower.starts_with("../")
        || lower.contains("://")
        || [".deb", ".rpm", ".apk"].iter().any(|e| lower.ends_with(e))
    {
        return None;
    }
    let cut = match family {
        Family::Apt => lower.find(['=', ':', '/']),
        Family::Apk => lower.find(['=', '~', '>', '<']),
        Family::Zypper => lower.find(['=', '>', '<']),
        Family::Rpm => lower.find(['=', '>', '<']),
    };
    let mut name = lower;
    if let Some(i) = cut {
        // `i` is the offset of an ASCII char: a char boundary.
        name.truncate(i);
    }
    (!name.is_empty()).then_some(name)
}

/// The packages a `RUN` installs with apt/apk/dnf/yum/microdnf/zypper and
/// does not remove later in the same `RUN` (`apt-get purge`, `apk del` of
/// the packages or of their `--virtual` name, `apt-mark auto` followed by
/// `apt-get purge --auto-remove`, ...). Package lists in shell variables
/// are expanded when their value is known; packages that cannot be known
/// are left out, and a removal that cannot be read is taken to remove
/// everything its family installed before it.
pub(super) fn kept_packages(run: &RunInfo, env: &Env<'_>) -> Vec<Package> {
    struct Installed {
        pkg: Package,
        group: Option<String>,
        removed: bool,
    }
    let mut installed: Vec<Installed> = Vec::new();
    let mut vars = ShellVars::new(env);
    let mut marked_auto = false;
    for cmd in run.commands() {
        // `apt-mark auto '.*'`, `apt-mark showmanual | xargs apt-mark auto`.
        let words: Vec<&str> = std::iter::once(cmd.base_name())
            .chain(cmd.args.iter().map(String::as_str))
            .collect();
        if words.windows(2).any(|w| w == ["apt-mark", "auto"]) {
            marked_auto = true;
        }
        if let Some(inv) = recognise(cmd)
            && let Some(family) = Family::of(inv.tool)
        {
            let positional = inv.positional();
            let sub = positional.first().copied().unwrap_or_default();
            let mut operands: Vec<&str> = positional.iter().skip(1).copied().collect();
            let (install, remove) = match family {
                Family::Apt => (
                    sub == "install",
                    matches!(sub, "purge" | "remove" | "autoremove"),
                ),
                Family::Apk => (sub == "add", sub == "del"),
                Family::Rpm => {
                    if sub == "group" && operands.first().is_some_and(|o| *o == "install") {
                        operands.remove(0);
                        (true, false)
                    } else {
                        (
                            matches!(sub, "install" | "groupinstall"),
                            matches!(sub, "remove" | "erase" | "autoremove" | "groupremove"),
                        )
                    }
                }
                Family::Zypper => (
                    matches!(sub, "install" | "in"),
                    matches!(sub, "remove" | "rm"),
                ),
            };
            // Expand variables: `apt-get install $buildDeps`.
            let mut names: Vec<String> = Vec::new();
            let mut unknown = false;
            for op in &operands {
                if !op.contains('$') {
                    names.extend(package_name(family, op));
                    continue;
                }
                match vars.expand(op) {
                    Some(text) => names.extend(
                        text.split_whitespace()
                            .filter_map(|w| package_name(family, w)),
                    ),
                    None => unknown = true,
                }
            }
            if install {
                let group = (family == Family::Apk)
                    .then(|| inv.flag_value(&["t", "virtual"]).map(str::to_string))
                    .flatten();
                for name in names {
                    installed.push(Installed {
                        pkg: Package {
                            family,
                            tool: inv.line.base_name().to_string(),
                            name,
                        },
                        group: group.clone(),
                        removed: false,
                    });
                }
            } else if remove {
                let auto_remove = sub == "autoremove"
                    || inv.has_flag(&["auto-remove", "autoremove"])
                    || family == Family::Apk;
                let all = unknown || (family == Family::Apt && marked_auto && auto_remove);
                for i in installed.iter_mut().filter(|i| i.pkg.family == family) {
                    if all
                        || names.contains(&i.pkg.name)
                        || i.group.as_ref().is_some_and(|g| names.contains(g))
                    {
                        i.removed = true;
                    }
                }
            }
        }
        vars.step(cmd);
    }
    installed
        .into_iter()
        .filter(|i| !i.removed)
        .map(|i| i.pkg)
        .collect()
}

// ---------------------------------------------------------------------------
// Paths and caches

/// Normalises a path for comparison: `$HOME`, `/root` and `/home/<user>`
/// become `~`; `${X}` becomes `$X`; known variables are expanded; a
/// trailing `/` or `/*` is dropped.
fn normalise_path(path: &str, vars: Option<&ShellVars<'_>>) -> String {
    let mut p = path.trim().replace("${", "$").replace('}', "");
    if let Some(v) = vars
        && p.contains('$')
        && !p.starts_with("$HOME")
        && let Some(expanded) = v.expand(&p)
    {
        p = expanded;
    }
    let p = if let Some(rest) = p.strip_prefix("$HOME") {
        format!("~{rest}")
    } else if p == "/root" || p.starts_with("/root/") {
        format!("~{}", p.get(5..).unwrap_or_default())
    } else if let Some(rest) = p.strip_prefix("/home/") {
        match rest.find('/') {
            Some(i) => format!("~{}", rest.get(i..).unwrap_or_default()),
            None => "~".to_string(),
        }
    } else {
        p
    };
    let mut p = p.as_str();
    loop {
        let before = p;
        p = p.trim_end_matches('/');
        if let Some(stripped) = p.strip_suffix("/*") {
            p = stripped;
        }
        if let Some(stripped) = p.strip_suffix("/.*") {
            p = stripped;
        }
        if p == before {
            break;
        }
    }
    p.to_string()
}

/// Shell-style `*` and `?` matching of one path segment.
fn glob_segment(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|c| *c == '*')
}

fn segments_match(a: &str, b: &str) -> bool {
    a == b
        || (a.contains(['*', '?']) && glob_segment(a, b))
        || (b.contains(['*', '?']) && glob_segment(b, a))
}

/// Whether directory (or glob) `dir` is `path` or one of its parents, after
/// normalising both.
pub(super) fn path_covers(dir: &str, path: &str, vars: Option<&ShellVars<'_>>) -> bool {
    let dir = normalise_path(dir, vars);
    let path = normalise_path(path, vars);
    if dir.is_empty() {
        return false;
    }
    let d: Vec<&str> = dir.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    d.len() <= p.len() && d.iter().zip(&p).all(|(a, b)| segments_match(a, b))
}

/// Whether a cache or tmpfs mount of the `RUN` covers one of `paths`.
pub(super) fn cache_mounted(run: &RunInfo, paths: &[String], vars: &ShellVars<'_>) -> bool {
    paths
        .iter()
        .any(|p| p.starts_with('/') && !p.contains('$') && run.has_cache_mount(p))
        || run.mounts.iter().any(|m| {
            matches!(m.kind, MountType::Cache | MountType::Tmpfs)
                && m.target
                    .as_deref()
                    .is_some_and(|t| paths.iter().any(|p| path_covers(t, p, Some(vars))))
        })
}

/// Whether `cmd` is an `rm` that deletes one of `paths` (or a parent).
pub(super) fn removes(cmd: &SimpleCommand, paths: &[String], vars: &ShellVars<'_>) -> bool {
    cmd.is("rm")
        && cmd
            .positional(&[])
            .iter()
            .any(|a| paths.iter().any(|p| path_covers(a, p, Some(vars))))
}

// ---------------------------------------------------------------------------
// Images

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shell::{Script, ScriptKind};

    fn run(text: &str) -> RunInfo {
        RunInfo {
            scripts: vec![Script::parse(text, ScriptKind::Shell)],
            exec_form: false,
            posix: true,
            mounts: Vec::new(),
        }
    }

    fn kept(text: &str) -> Vec<String> {
        kept_packages(&run(text), &EnvHistory::default().at_end())
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn packages_installed_and_removed() {
        assert_eq!(
            kept(
                "apt-get update && apt-get install -y --no-install-recommends gcc=4:12 libpq-dev:amd64 ./x.deb"
            ),
            ["gcc", "libpq-dev"]
        );
        assert_eq!(
            kept("apt-get install -y gcc make && make && apt-get purge -y gcc"),
            ["make"]
        );
        assert_eq!(
            kept(
                "apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            kept(
                "buildDeps='gcc make' && apt-get install -y $buildDeps curl && apt-get purge -y --auto-remove $buildDeps"
            ),
            ["curl"]
        );
        assert_eq!(
            kept(
                "apt-mark auto '.*' > /dev/null; apt-get install -y gcc; apt-mark manual x; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false"
            ),
            Vec::<String>::new()
        );
        assert_eq!(kept("apt-get install -y $UNKNOWN gcc"), ["gcc"]);
        assert_eq!(
            kept("apt-get install -y gcc && apt-get purge -y $UNKNOWN"),
            Vec::<String>::new()
        );
        assert_eq!(
            kept("dnf group install -y 'Development Tools' && dnf install -y gcc"),
            ["development tools", "gcc"]
        );
    }

    #[test]
    fn paths_cover() {
        let history = EnvHistory::default();
        let env = history.at_end();
        let vars = ShellVars::new(&env);
        let v = Some(&vars);
        assert!(path_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists", v));
        assert!(path_covers("~/.cache", "~/.cache/pip", v));
        assert!(path_covers("/root/.cache/pip", "~/.cache/pip", v));
        assert!(path_covers("/home/node/.npm/", "~/.npm", v));
        assert!(path_covers(
            "$BUNDLE_PATH/ruby/*/cache",
            "$BUNDLE_PATH/ruby/*/cache",
            v
        ));
        assert!(path_covers(
            "/usr/local/bundle/ruby/*/cache",
            "/usr/local/bundle/ruby/3.3.0/cache",
            v
        ));
        assert!(!path_covers("/tmp/*", "~/.cache/pip", v));
        assert!(!path_covers("/var/lib/apt", "/var/cache/apt", v));
        assert!(!path_covers("~", "/usr/local/cargo/registry", v));
    }

    #[test]
    fn expansion() {
        let history = EnvHistory::with(&[("A", Some("x y")), ("U", None)]);
        let env = history.at_end();
        let vars = ShellVars::new(&env);
        assert_eq!(vars.expand("$A-${A}").as_deref(), Some("x y-x y"));
        assert_eq!(vars.expand("${B:-d}").as_deref(), Some("d"));
        assert_eq!(vars.expand("$U"), None);
        assert_eq!(vars.expand("$B"), None);
        assert_eq!(vars.expand("$(x)"), None);
    }
}
