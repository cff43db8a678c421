//! Building the model from a parsed document.

use std::collections::BTreeSet;

use super::image::ImageRef;
use super::shell::{Script, ScriptKind, SimpleCommand};
use super::types::{BaseImage, Context, Instruction, Model, Problem, RunInfo, StageModel, Trigger};
use crate::dockerfile::instructions::{
    self as ins, Command, CommandKind, Instructions, Mount, RunCommand, parse_command, parse_mount,
};
use crate::dockerfile::resolve::{self, Base, Expanded, ResolveOptions, Source};
use crate::dockerfile::{Document, Keyword, Location, heredoc::parse_heredoc};

impl<'a> Model<'a> {
    /// Builds the model with default build arguments and platform.
    pub fn build(doc: &'a Document) -> Self {
        Self::build_with(doc, &ResolveOptions::default())
    }

    /// Builds the model. Instructions BuildKit rejects are kept (as
    /// [`Problem`]s) and the rest of the file is still modelled.
    pub fn build_with(doc: &'a Document, options: &ResolveOptions) -> Self {
        let mut instructions = Vec::with_capacity(doc.nodes.len());
        let mut problems = Vec::new();
        let mut typed = Instructions::default();
        for (i, node) in doc.nodes.iter().enumerate() {
            let mut instr = Instruction {
                node: i,
                start_line: node.start_line,
                end_line: node.end_line,
                keyword: node.kind,
                stage: typed.stages.len().checked_sub(1),
                command: None,
                error: None,
                context: Context::default(),
                run: None,
                trigger: None,
                expanded: None,
                undefined: BTreeSet::new(),
            };
            match parse_command(node) {
                Ok(ins::Instruction::Stage(mut stage)) => {
                    stage.index = typed.stages.len();
                    stage.node = i;
                    instr.stage = Some(stage.index);
                    typed.stages.push(stage);
                }
                Ok(ins::Instruction::Command(mut command)) => {
                    command.node = i;
                    if let CommandKind::Onbuild(onbuild) = &command.kind {
                        instr.trigger = Some(trigger(&onbuild.expression));
                    }
                    // A command of a stage (or a meta ARG) lives in `typed`
                    // for the resolution and moves to its instruction at
                    // the end (`return_commands`).
                    match typed.stages.last_mut() {
                        Some(stage) => stage.commands.push(command),
                        None if matches!(command.kind, CommandKind::Arg(_)) => {
                            typed.meta_args.push(command);
                        }
                        None => {
                            let message = "no build stage in current context".to_string();
                            problems.push(Problem {
                                message: message.clone(),
                                start_line: node.start_line,
                                end_line: node.end_line,
                                location: node.keyword_location(),
                            });
                            instr.error = Some(message);
                            instr.command = Some(command);
                        }
                    }
                }
                Err(err) => {
                    problems.push(Problem {
                        message: err.to_string(),
                        start_line: err.start_line,
                        end_line: err.end_line,
                        location: err.location,
                    });
                    instr.error = Some(err.message.clone());
                }
            }
            instructions.push(instr);
        }

        let mut resolution = if typed.stages.is_empty() {
            // Only meta ARGs (the rest reported above): BuildKit stops on
            // the file as a whole, without a line.
            if problems.is_empty() {
                problems.push(Problem {
                    message: "dockerfile contains no stages to build".to_string(),
                    start_line: 1,
                    end_line: 1,
                    location: Location::default(),
                });
            }
            None
        } else {
            // What BuildKit dispatched before an error is still known.
            let (partial, error) = resolve::resolve_partial(doc, &typed, options);
            if let Some(err) = error {
                problems.push(Problem {
                    message: err.message.clone(),
                    start_line: err.start_line,
                    end_line: err.end_line,
                    location: err.location,
                });
            }
            Some(partial)
        };

        let meta_resolved = resolution
            .as_ref()
            .filter(|r| r.meta_args.len() == typed_meta_arg_count(&typed));
        let meta_args: Vec<(String, Option<String>)> = match meta_resolved {
            Some(r) => r
                .meta_args
                .iter()
                .map(|a| (a.name.clone(), a.value.clone()))
                .collect(),
            None => typed
                .meta_args
                .iter()
                .flat_map(|c| match &c.kind {
                    CommandKind::Arg(decls) => decls
                        .iter()
                        .map(|d| (d.key.clone(), d.default.clone()))
                        .collect(),
                    _ => Vec::new(),
                })
                .collect(),
        };

        let mut stages = Vec::with_capacity(typed.stages.len());
        for (index, stage) in typed.stages.iter().enumerate() {
            // The expansions move to the model; the dependencies stay for
            // `link_stages`.
            let mut resolved = resolution.as_mut().and_then(|r| r.stages.get_mut(index));
            let base = match resolved.as_deref() {
                Some(r) => match &r.base {
                    Base::Scratch => BaseImage::Scratch,
                    Base::Stage(s) => BaseImage::Stage { index: *s },
                    Base::Image(name) => BaseImage::Image {
                        reference: name.clone(),
                        image: ImageRef::parse(name),
                    },
                },
                None => unresolved_base(&typed, index, &meta_args),
            };
            if let Some(r) = resolved.as_deref_mut() {
                for (command, done) in stage.commands.iter().zip(&mut r.commands) {
                    if let Some(instr) = instructions.get_mut(command.node) {
                        instr.expanded =
                            Some(std::mem::replace(&mut done.expanded, Expanded::None));
                        instr.undefined = done.undefined_names();
                    }
                }
            }
            let resolved = resolved.as_deref();
            stages.push(StageModel {
                index,
                name: stage.name.clone(),
                name_as_written: doc
                    .nodes
                    .get(stage.node)
                    .and_then(|n| n.args.get(2))
                    .filter(|_| stage.name.is_some())
                    .cloned(),
                node: stage.node,
                line: stage.start_line,
                base_text: stage.base.clone(),
                base,
                platform: stage.platform.clone(),
                platform_resolved: resolved.and_then(|r| r.platform.clone()),
                from_undefined: resolved
                    .map(|r| r.from_unmatched.clone())
                    .unwrap_or_default(),
                instructions: stage.commands.iter().map(|c| c.node).collect(),
                is_final: index + 1 == typed.stages.len(),
                used_by: Vec::new(),
                reaches_final: false,
                end: Context::default(),
                env: resolved.map(|r| r.env.clone()).unwrap_or_default(),
            });
        }
        link_stages(&mut stages, &typed, resolution.as_ref());
        return_commands(&mut instructions, typed);
        let line_widths = doc
            .source
            .lines()
            .map(|l| l.trim_end_matches('\r').chars().count())
            .collect();
        let mut model = Model {
            doc,
            instructions,
            stages,
            meta_args,
            problems,
            line_widths,
        };
        model.track_context();
        model
    }

    /// Walks each stage in order, recording the context before every
    /// instruction and parsing `RUN` scripts in that context.
    fn track_context(&mut self) {
        let mut finals: Vec<Context> = Vec::with_capacity(self.stages.len());
        let (mut workdir_bytes, mut following_workdirs) = (0usize, true);
        for stage in &self.stages {
            let mut ctx = match stage.base {
                BaseImage::Stage { index } => finals.get(index).cloned().unwrap_or_default(),
                _ => Context::default(),
            };
            if let Some(from) = self.instructions.get_mut(stage.node) {
                from.context = ctx.clone();
            }
            for &i in &stage.instructions {
                let Some(instr) = self.instructions.get_mut(i) else {
                    continue;
                };
                instr.context = ctx.clone();
                match (&instr.command, ()) {
                    (
                        Some(Command {
                            kind: CommandKind::Run(run),
                            ..
                        }),
                        (),
                    ) => {
                        let mounts = match &instr.expanded {
                            Some(Expanded::Run { mounts }) => mounts.clone(),
                            _ => raw_mounts(run),
                        };
                        instr.run = Some(run_info(run, &ctx, mounts));
                    }
                    (
                        Some(Command {
                            kind: CommandKind::User(user),
                            ..
                        }),
                        _,
                    ) => {
                        ctx.user = Some(match &instr.expanded {
                            Some(Expanded::User { user }) => user.as_str().into(),
                            _ => user.as_str().into(),
                        });
                    }
                    (
                        Some(Command {
                            kind: CommandKind::Workdir(path),
                            ..
                        }),
                        _,
                    ) => {
                        let path = match &instr.expanded {
                            Some(Expanded::Workdir { path }) => path.clone(),
                            _ => path.clone(),
                        };
                        if following_workdirs {
                            let dir = next_workdir(ctx.workdir.as_deref(), &path);
                            workdir_bytes = workdir_bytes.saturating_add(dir.len());
                            let problem = if workdir_bytes > MAX_WORKDIR_BYTES_IN_ALL {
                                following_workdirs = false;
                                Some(format!(
                                    "WORKDIR paths over {MAX_WORKDIR_BYTES_IN_ALL} bytes in all: restage stops following them here"
                                ))
                            } else if dir.len() > MAX_WORKDIR_BYTES {
                                Some(format!(
                                    "WORKDIR path longer than {MAX_WORKDIR_BYTES} bytes: the build cannot create it"
                                ))
                            } else {
                                ctx.workdir = Some(dir.into());
                                None
                            };
                            if let Some(message) = problem {
                                let location = self
                                    .doc
                                    .nodes
                                    .get(instr.node)
                                    .map(|n| n.keyword_location())
                                    .unwrap_or_default();
                                self.problems.push(Problem {
                                    message: message.clone(),
                                    start_line: instr.start_line,
                                    end_line: instr.end_line,
                                    location,
                                });
                                instr.error = Some(message);
                            }
                        }
                    }
                    (
                        Some(Command {
                            kind: CommandKind::Shell(shell),
                            ..
                        }),
                        _,
                    ) => {
                        ctx.shell = Some(shell.as_slice().into());
                    }
                    _ => {}
                }
                if let Some(trigger) = instr.trigger.as_mut()
                    && let Some(Command {
                        kind: CommandKind::Run(run),
                        ..
                    }) = &trigger.command
                {
                    trigger.run = Some(run_info(run, &ctx, raw_mounts(run)));
                }
            }
            finals.push(ctx);
        }
        for (stage, end) in self.stages.iter_mut().zip(finals) {
            stage.end = end;
        }
    }
}

impl resolve::ResolvedCommand {
    /// The undefined variable names of a resolved command.
    fn undefined_names(&self) -> BTreeSet<String> {
        self.unmatched.clone()
    }
}

/// Parses an `ONBUILD` trigger expression.
fn trigger(expression: &str) -> Trigger {
    let parsed = crate::dockerfile::parse(expression).ok();
    let node = parsed.as_ref().and_then(|d| d.nodes.first());
    let command = node.and_then(|n| match parse_command(n) {
        Ok(ins::Instruction::Command(c)) => Some(c),
        _ => None,
    });
    Trigger {
        keyword: node.map_or(Keyword::Unknown, |n| n.kind),
        command,
        run: None,
    }
}

/// Mounts read with no variable expansion (values as written).
fn raw_mounts(run: &RunCommand) -> Vec<Mount> {
    run.mounts
        .iter()
        .filter_map(|m| parse_mount(&m.raw, &mut |w| Ok(w.to_string())).ok())
        .collect()
}

/// The scripts of a `RUN`: its command line, and heredoc bodies a shell runs.
fn run_info(run: &RunCommand, ctx: &Context, mounts: Vec<Mount>) -> RunInfo {
    let mut scripts = Vec::new();
    let exec_form = !run.cmd.prepend_shell;
    if exec_form {
        scripts.push(Script::exec(&run.cmd.args));
    } else {
        let text = run.cmd.args.join(" ");
        let whole_marker = parse_heredoc(text.trim()).ok().flatten();
        match (whole_marker, run.cmd.files.first()) {
            // `RUN <<EOF`: the body is the script.
            (Some(_), Some(file)) => {
                if is_shell_body(&file.data) {
                    scripts.push(Script::parse(&body(file), ScriptKind::Heredoc));
                }
            }
            _ => {
                // As BuildKit runs it: the line, then each body and its delimiter.
                let mut full = text.clone();
                for file in &run.cmd.files {
                    full.push('\n');
                    full.push_str(&file.data);
                    full.push_str(&file.name);
                }
                let line = Script::parse(&full, ScriptKind::Shell);
                let feeds_shell = line.commands.iter().any(reads_script_from_stdin);
                scripts.push(line);
                if feeds_shell {
                    for file in &run.cmd.files {
                        if is_shell_body(&file.data) {
                            scripts.push(Script::parse(&body(file), ScriptKind::Heredoc));
                        }
                    }
                }
            }
        }
    }
    RunInfo {
        scripts,
        exec_form,
        posix: ctx.posix_shell(),
        mounts,
    }
}

fn body(file: &ins::InlineFile) -> String {
    if file.chomp {
        crate::dockerfile::heredoc::chomp_content(&file.data)
    } else {
        file.data.clone()
    }
}

/// A heredoc body is a shell script unless its shebang names another interpreter.
fn is_shell_body(data: &str) -> bool {
    match data.strip_prefix("#!") {
        None => true,
        Some(rest) => {
            let line = rest.lines().next().unwrap_or_default();
            let mut words = line.split_whitespace();
            let program = words.next().unwrap_or_default();
            let program = if program.ends_with("/env") {
                words.next().unwrap_or_default()
            } else {
                program
            };
            let base = program.rsplit('/').next().unwrap_or(program);
            matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
        }
    }
}

/// `bash`, `sh -e`, `bash -s --`: a shell reading its script from stdin.
fn reads_script_from_stdin(cmd: &SimpleCommand) -> bool {
    matches!(
        cmd.base_name(),
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"
    ) && !cmd.has_flag(&["c"])
        && cmd
            .positional(&["o"])
            .iter()
            .all(|a| a.starts_with("<<") || a.starts_with('<'))
}

/// The longest working directory a build can create: Linux's `PATH_MAX`.
pub const MAX_WORKDIR_BYTES: usize = 4096;

/// How many bytes of directories the `WORKDIR`s of one file may make in
/// all (each instruction keeps the directory it runs in): past it, the
/// model stops following them. Thousands of relative `WORKDIR`s would
/// otherwise make directories whose lengths add up to the square of
/// their number.
pub const MAX_WORKDIR_BYTES_IN_ALL: usize = 1 << 20;

/// The working directory after `WORKDIR path` in `current`.
///
/// `current` is a directory this function or [`join_workdir`] gave (clean),
/// so only `path` is read: a `WORKDIR` costs its own length, not the
/// directory's.
pub(super) fn next_workdir(current: Option<&str>, path: &str) -> String {
    match current.filter(|c| !c.is_empty()) {
        Some(current) if !path.starts_with('/') && current.starts_with('/') => {
            let mut dir = String::with_capacity(current.len() + path.len() + 1);
            dir.push_str(current);
            push_components(&mut dir, path);
            dir
        }
        Some(current) if !path.starts_with('/') => join_workdir(Some(current), path),
        _ => clean_path(path),
    }
}

/// BuildKit's `NormalizeWorkdir` on Linux: relative paths join the current one.
pub fn join_workdir(current: Option<&str>, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", current.unwrap_or("/").trim_end_matches('/'), path)
    };
    clean_path(&joined)
}

/// Go's `path.Clean` for absolute paths.
fn clean_path(path: &str) -> String {
    let mut dir = String::with_capacity(path.len() + 1);
    dir.push('/');
    push_components(&mut dir, path);
    dir
}

/// Applies the components of `path` to the clean absolute directory `dir`:
/// `..` goes up (never above `/`), `.` and empty ones are skipped.
fn push_components(dir: &mut String, path: &str) {
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                // `dir` starts with `/`: the cut is on a char boundary.
                let cut = dir.rfind('/').unwrap_or(0);
                dir.truncate(cut.max(1));
            }
            part => {
                if !dir.ends_with('/') {
                    dir.push('/');
                }
                dir.push_str(part);
            }
        }
    }
}

/// A stage's base when the build did not resolve: earlier stage names,
/// `scratch`, or the image text with meta `ARG` defaults substituted.
fn unresolved_base(
    typed: &Instructions,
    index: usize,
    meta_args: &[(String, Option<String>)],
) -> BaseImage {
    let Some(stage) = typed.stages.get(index) else {
        return BaseImage::Scratch;
    };
    if let Some(s) = typed
        .stages
        .iter()
        .take(index)
        .position(|s| s.name.as_deref() == Some(stage.base.as_str()))
    {
        return BaseImage::Stage { index: s };
    }
    if stage.base == "scratch" {
        return BaseImage::Scratch;
    }
    let env: Vec<(String, String)> = meta_args
        .iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
        .collect();
    let reference = crate::dockerfile::shell::Lexer::new('\\')
        .process_word(&stage.base, &env)
        .unwrap_or_else(|_| stage.base.clone());
    BaseImage::Image {
        image: ImageRef::parse(&reference),
        reference,
    }
}

/// Moves each command of `typed` to its instruction.
fn return_commands(instructions: &mut [Instruction], typed: Instructions) {
    let commands = typed
        .meta_args
        .into_iter()
        .chain(typed.stages.into_iter().flat_map(|s| s.commands));
    for command in commands {
        if let Some(instr) = instructions.get_mut(command.node) {
            instr.command = Some(command);
        }
    }
}

/// Fills `used_by` and `reaches_final`.
fn link_stages(
    stages: &mut [StageModel],
    typed: &Instructions,
    resolution: Option<&resolve::Resolution>,
) {
    let count = stages.len();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, stage) in stages.iter().enumerate() {
        if let BaseImage::Stage { index } = stage.base
            && let Some(d) = deps.get_mut(i)
        {
            d.push(index);
        }
    }
    match resolution {
        Some(r) => {
            for (i, stage) in r.stages.iter().enumerate() {
                for dep in stage.dependencies.iter().chain(&stage.onbuild_dependencies) {
                    if let (Source::Stage(s), Some(d)) = (&dep.source, deps.get_mut(i)) {
                        d.push(*s);
                    }
                }
            }
        }
        None => {
            for (i, stage) in typed.stages.iter().enumerate() {
                for command in &stage.commands {
                    let from = match &command.kind {
                        CommandKind::Copy(c) => c.from.clone(),
                        _ => None,
                    };
                    let Some(from) = from else { continue };
                    let target = from
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n < count)
                        .or_else(|| {
                            typed.stages.iter().position(|s| {
                                s.name.as_deref() == Some(from.to_ascii_lowercase().as_str())
                            })
                        });
                    if let (Some(t), Some(d)) = (target, deps.get_mut(i)) {
                        d.push(t);
                    }
                }
            }
        }
    }
    for (i, list) in deps.iter().enumerate() {
        for &d in list {
            if let Some(s) = stages.get_mut(d)
                && !s.used_by.contains(&i)
            {
                s.used_by.push(i);
            }
        }
    }
    // Everything the final stage needs, transitively.
    let mut stack: Vec<usize> = count.checked_sub(1).into_iter().collect();
    while let Some(i) = stack.pop() {
        let Some(stage) = stages.get_mut(i) else {
            continue;
        };
        if stage.reaches_final {
            continue;
        }
        stage.reaches_final = true;
        stack.extend(deps.get(i).into_iter().flatten().copied());
    }
}

/// How many names the meta `ARG`s (before the first `FROM`) declare.
fn typed_meta_arg_count(typed: &crate::dockerfile::instructions::Instructions) -> usize {
    typed
        .meta_args
        .iter()
        .map(|c| match &c.kind {
            CommandKind::Arg(decls) => decls.len(),
            _ => 0,
        })
        .sum()
}
