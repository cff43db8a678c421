//! The dispatch loop: global args, stage bases, dependencies, then each
//! stage's commands in order with its environment.

use std::collections::BTreeSet;

use super::budget::Budgeted;
use super::checks::{check_digest, check_port_spec, check_signal, is_git_ref, is_http_source};
use super::graph::{States, find_cycle};
use super::platform::{Platform, default_args};
use super::scope::Scope;
use super::types::{
    ArgSource, Base, Dependency, DependencyKind, Expanded, ExpandedCopy, Resolution, ResolvedArg,
    ResolvedCommand, ResolvedStage, Source,
};
use super::{ResolveError, ResolveOptions};
use crate::dockerfile::Document;
use crate::dockerfile::instructions::{
    ArgDecl, Command, CommandKind, Instruction, Instructions, KeyValue, MountSpec, SourceContent,
    parse_command, parse_mount_field,
};
use crate::dockerfile::shell::Lexer;

/// Build arguments BuildKit never puts in the environment.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// The `PATH` BuildKit sets when an image has none (Linux).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A stage's variables while it is dispatched.
#[derive(Debug, Clone, Default)]
struct StageVars {
    env: Scope,
    /// Names of the `ARG`s declared so far (and the base stage's).
    build_args: Vec<String>,
}

/// What is known of a stage before its commands run.
struct Prepared {
    base: Base,
    base_name: String,
    platform: Option<String>,
    from_unmatched: BTreeSet<String>,
    dependencies: Vec<Dependency>,
    onbuild: Vec<Command>,
    onbuild_dependencies: Vec<Dependency>,
}

pub(super) struct Dispatcher<'a> {
    doc: &'a Document,
    instructions: &'a Instructions,
    options: &'a ResolveOptions,
    lex: Budgeted,
    raw_lex: Budgeted,
}

impl<'a> Dispatcher<'a> {
    pub(super) fn new(
        doc: &'a Document,
        instructions: &'a Instructions,
        options: &'a ResolveOptions,
    ) -> Self {
        let lex = Budgeted::new(Lexer::new(doc.escape));
        let raw_lex = lex.sharing(Lexer {
            skip_process_quotes: true,
            ..Lexer::new('\\')
        });
        Self {
            doc,
            instructions,
            options,
            lex,
            raw_lex,
        }
    }

    pub(super) fn run(self) -> Result<Resolution, ResolveError> {
        match self.run_partial() {
            (resolution, None) => Ok(resolution),
            (_, Some(err)) => Err(err),
        }
    }

    /// Dispatches like [`Self::run`], but keeps what was dispatched before
    /// an error: BuildKit stops at the first failing instruction, and every
    /// instruction before it was expanded (and checked) normally.
    pub(super) fn run_partial(self) -> (Resolution, Option<ResolveError>) {
        let mut out = Resolution {
            global_args: Vec::new(),
            meta_args: Vec::new(),
            stages: Vec::new(),
        };
        let err = self.fill(&mut out).err().map(|e| e.placed(self.doc));
        (out, err)
    }

    fn fill(&self, out: &mut Resolution) -> Result<(), ResolveError> {
        let stages = &self.instructions.stages;
        let Some(last) = stages.last() else {
            return Err(ResolveError::new(
                "dockerfile contains no stages to build",
                0,
                0,
            ));
        };
        let target_name = match &self.options.target {
            Some(target) => {
                if !stages.iter().any(|s| {
                    s.name.as_deref() == Some(crate::dockerfile::gotext::to_lower(target).as_str())
                }) {
                    return Err(ResolveError::new(
                        format!(
                            "target stage {} could not be found",
                            crate::dockerfile::gotext::quote(target)
                        ),
                        0,
                        0,
                    ));
                }
                target.clone()
            }
            None => last.name.clone().unwrap_or_default(),
        };
        let mut global = Scope::from_distinct(default_args(
            &self.options.build_platform,
            &self.options.target_platform,
            &target_name,
            &self.options.build_args,
        ));
        out.meta_args = self.meta_args(&mut global)?;
        let stages = self.fill_stages(out, &global);
        out.global_args = global.into_vars();
        stages
    }

    /// Dispatches every stage with the global scope `global`.
    fn fill_stages(&self, out: &mut Resolution, global: &Scope) -> Result<(), ResolveError> {
        let stages = &self.instructions.stages;
        let mut states = States::new(stages.len());
        let mut prepared = Vec::with_capacity(stages.len());
        for stage in stages {
            let p = self.prepare_stage(stage, global, &states)?;
            if let Some(name) = &stage.name {
                states.register(name, stage.index);
            }
            prepared.push(p);
        }
        // Every stage is registered before references are looked up.
        for (stage, p) in stages.iter().zip(prepared.iter_mut()) {
            for (i, command) in stage.commands.iter().enumerate() {
                p.dependencies
                    .extend(command_dependencies(command, i, &mut states)?);
            }
        }
        let edges: Vec<Vec<(usize, usize)>> = prepared
            .iter()
            .map(|p| {
                p.dependencies
                    .iter()
                    .filter_map(|d| match d.source {
                        Source::Stage(s) => Some((s, d.line)),
                        Source::Image(_) => None,
                    })
                    .collect()
            })
            .collect();
        let stage_names: Vec<String> = stages
            .iter()
            .map(|s| {
                s.name
                    .clone()
                    .unwrap_or_else(|| format!("stage-{}", s.index))
            })
            .collect();
        if let Some((start, lines)) = find_cycle(&edges) {
            let name = stage_names.get(start).cloned().unwrap_or_default();
            let first = lines.first().copied().unwrap_or_default();
            return Err(ResolveError::new(
                format!("circular dependency detected on stage: {name}"),
                first,
                first,
            ));
        }
        // BuildKit blanks the name of a lone stage after the cycle check.
        let display_names: Vec<String> = if states.len() == 1 {
            vec![String::new()]
        } else {
            stage_names
        };
        // ONBUILD triggers of a base stage run first in the stages built on it.
        for index in 0..prepared.len() {
            let Some(Base::Stage(base)) = prepared.get(index).map(|p| p.base.clone()) else {
                continue;
            };
            let (Some(stage), Some(base_stage)) = (stages.get(index), stages.get(base)) else {
                continue;
            };
            let triggers = onbuild_triggers(base_stage, stage.start_line, stage.end_line)?;
            if let Some(p) = prepared.get_mut(index) {
                for (i, trigger) in triggers.iter().enumerate() {
                    p.onbuild_dependencies
                        .extend(command_dependencies(trigger, i, &mut states)?);
                }
                p.onbuild = triggers;
            }
        }

        let mut finished: Vec<StageVars> = Vec::with_capacity(stages.len());
        for ((stage, p), display_name) in stages.iter().zip(prepared).zip(display_names.iter()) {
            let mut vars = match &p.base {
                Base::Stage(b) => finished.get(*b).cloned().unwrap_or_default(),
                _ => StageVars {
                    env: Scope::from_distinct(vec![("PATH".to_string(), DEFAULT_PATH.to_string())]),
                    build_args: Vec::new(),
                },
            };
            let mut args = Vec::new();
            let mut onbuild = Vec::with_capacity(p.onbuild.len());
            let of = |deps: &[Dependency], i: usize| -> Vec<Dependency> {
                deps.iter().filter(|d| d.command == i).cloned().collect()
            };
            let mut failed = None;
            for (i, command) in p.onbuild.iter().enumerate() {
                let deps = of(&p.onbuild_dependencies, i);
                match self.dispatch(
                    stage.index,
                    display_name,
                    command,
                    &mut vars,
                    global,
                    &mut args,
                    &deps,
                ) {
                    Ok(done) => onbuild.push(done),
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            let mut commands = Vec::with_capacity(stage.commands.len());
            if failed.is_none() {
                for (i, command) in stage.commands.iter().enumerate() {
                    let deps = of(&p.dependencies, i);
                    match self.dispatch(
                        stage.index,
                        display_name,
                        command,
                        &mut vars,
                        global,
                        &mut args,
                        &deps,
                    ) {
                        Ok(done) => commands.push(done),
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
            }
            out.stages.push(ResolvedStage {
                index: stage.index,
                display_name: display_name.clone(),
                base: p.base,
                base_name: p.base_name,
                platform: p.platform,
                from_unmatched: p.from_unmatched,
                onbuild,
                commands,
                args,
                env: vars.env.vars().to_vec(),
                dependencies: p.dependencies,
                onbuild_dependencies: p.onbuild_dependencies,
            });
            if let Some(e) = failed {
                return Err(e);
            }
            finished.push(vars);
        }
        Ok(())
    }

    /// BuildKit's `buildMetaArgs`.
    fn meta_args(&self, global: &mut Scope) -> Result<Vec<ResolvedArg>, ResolveError> {
        let mut out = Vec::new();
        for command in &self.instructions.meta_args {
            let CommandKind::Arg(decls) = &command.kind else {
                continue;
            };
            for decl in decls {
                let (value, source) = match (self.options.build_args.get(&decl.key), &decl.default)
                {
                    (Some(v), _) => (Some(v.clone()), ArgSource::BuildArg),
                    (None, Some(default)) => {
                        let value = self.lex.process_word(default, &*global).map_err(|e| {
                            ResolveError::new(e.to_string(), command.start_line, command.end_line)
                        })?;
                        (Some(value), ArgSource::Default)
                    }
                    (None, None) => (None, ArgSource::Unset),
                };
                if let Some(v) = &value {
                    global.set(decl.key.clone(), v.clone());
                }
                out.push(ResolvedArg {
                    name: decl.key.clone(),
                    value,
                    source,
                    line: command.start_line,
                });
            }
        }
        Ok(out)
    }

    /// Expands `FROM` and finds its base.
    fn prepare_stage(
        &self,
        stage: &crate::dockerfile::instructions::Stage,
        global: &Scope,
        states: &States,
    ) -> Result<Prepared, ResolveError> {
        let err = |m: String| ResolveError::new(m, stage.start_line, stage.end_line);
        let name = self
            .lex
            .process(&stage.base, global)
            .map_err(|e| err(e.to_string()))?;
        if name.result.is_empty() {
            return Err(err(format!(
                "base name ({}) should not be blank",
                stage.base
            )));
        }
        let mut from_unmatched = name.unmatched;
        let platform = match &stage.platform {
            Some(expr) if !expr.is_empty() => {
                let p = self
                    .lex
                    .process(expr, global)
                    .map_err(|e| err(format!("failed to process arguments for platform: {e}")))?;
                if p.result.is_empty() {
                    return Err(err(format!("empty platform value from expression {expr}")));
                }
                Platform::parse(&p.result)
                    .map_err(|e| err(format!("failed to parse platform {expr}: {e}")))?;
                from_unmatched.extend(p.unmatched);
                Some(p.result)
            }
            _ => None,
        };
        let base = match states.stage_named_exactly(&name.result) {
            Some(index) => Base::Stage(index),
            None if name.result == "scratch" => Base::Scratch,
            None => Base::Image(name.result.clone()),
        };
        Ok(Prepared {
            base,
            base_name: name.result,
            platform,
            from_unmatched,
            dependencies: Vec::new(),
            onbuild: Vec::new(),
            onbuild_dependencies: Vec::new(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &self,
        stage_index: usize,
        display_name: &str,
        command: &Command,
        vars: &mut StageVars,
        global: &Scope,
        stage_args: &mut Vec<ResolvedArg>,
        dependencies: &[Dependency],
    ) -> Result<ResolvedCommand, ResolveError> {
        let (line, end) = (command.start_line, command.end_line);
        let err = |m: String| ResolveError::new(m, line, end);
        let mut unmatched = BTreeSet::new();
        // Words are expanded before the instruction is dispatched (the
        // environment is only changed after the last expansion), so an
        // `ARG` does not see its own names (`ARG FOO=$FOO` is undefined):
        // the names declared before an `ARG` are kept aside.
        let args_declared_before =
            matches!(command.kind, CommandKind::Arg(_)).then(|| vars.build_args.len());
        let env_before = &vars.env;
        let mut expand =
            |word: &str, unmatched: &mut BTreeSet<String>| -> Result<String, ResolveError> {
                let out = self
                    .lex
                    .process(word, env_before)
                    .map_err(|e| err(e.to_string()))?;
                unmatched.extend(out.unmatched);
                Ok(out.result)
            };
        let expanded = match &command.kind {
            CommandKind::Arg(decls) => {
                let args = self.dispatch_args(decls, vars, global, line, end, &mut unmatched)?;
                stage_args.extend(args.iter().cloned());
                Expanded::Arg { args }
            }
            CommandKind::Env(pairs) => {
                let vars_out = expand_pairs(pairs, &mut expand, &mut unmatched)?;
                for (k, v) in &vars_out {
                    vars.env.set(k.clone(), v.clone());
                }
                Expanded::Env { vars: vars_out }
            }
            CommandKind::Label(pairs) => Expanded::Label {
                labels: expand_pairs(pairs, &mut expand, &mut unmatched)?,
            },
            CommandKind::Copy(c) => {
                let chown = expand_opt(c.chown.as_deref(), &mut expand, &mut unmatched)?;
                let chmod = expand_opt(c.chmod.as_deref(), &mut expand, &mut unmatched)?;
                let (sources, dest) =
                    expand_paths(&c.sources, &c.dest, &mut expand, &mut unmatched)?;
                let contents =
                    self.expand_contents(&c.contents, env_before, &mut unmatched, line, end)?;
                for source in &sources {
                    if is_git_ref(source) {
                        return Err(err("source can't be a git ref for COPY".into()));
                    }
                    if is_http_source(source) {
                        return Err(err("source can't be a URL for COPY".into()));
                    }
                }
                if let (Some(from), Some(dep)) = (&c.from, dependencies.first())
                    && matches!(dep.source, Source::Stage(s) if s > stage_index)
                {
                    return Err(err(format!(
                        "cannot copy from stage {}, it needs to be defined before current stage {}",
                        crate::dockerfile::gotext::quote(from),
                        crate::dockerfile::gotext::quote(display_name)
                    ))
                    .about_flag("from"));
                }
                Expanded::Copy(ExpandedCopy {
                    sources,
                    contents,
                    dest,
                    chown,
                    chmod,
                    checksum: None,
                })
            }
            CommandKind::Add(c) => {
                let chown = expand_opt(c.chown.as_deref(), &mut expand, &mut unmatched)?;
                let chmod = expand_opt(c.chmod.as_deref(), &mut expand, &mut unmatched)?;
                let checksum = expand_opt(c.checksum.as_deref(), &mut expand, &mut unmatched)?;
                let (sources, dest) =
                    expand_paths(&c.sources, &c.dest, &mut expand, &mut unmatched)?;
                let contents =
                    self.expand_contents(&c.contents, env_before, &mut unmatched, line, end)?;
                if let Some(sum) = checksum.as_deref().filter(|s| !s.is_empty()) {
                    check_digest(sum).map_err(err)?;
                    if sources.len() != 1 {
                        return Err(err(
                            "checksum can't be specified for multiple sources".into()
                        ));
                    }
                    if !sources.first().is_some_and(|s| is_http_source(s)) {
                        return Err(err(
                            "checksum can't be specified for non-HTTP(S) sources".into()
                        ));
                    }
                }
                Expanded::Add(ExpandedCopy {
                    sources,
                    contents,
                    dest,
                    chown,
                    chmod,
                    checksum,
                })
            }
            CommandKind::Workdir(path) => Expanded::Workdir {
                path: expand(path, &mut unmatched)?,
            },
            CommandKind::User(user) => Expanded::User {
                user: expand(user, &mut unmatched)?,
            },
            CommandKind::Stopsignal(signal) => {
                let signal = expand(signal, &mut unmatched)?;
                check_signal(&signal).map_err(err)?;
                Expanded::Stopsignal { signal }
            }
            CommandKind::Volume(paths) => {
                let mut out = Vec::with_capacity(paths.len());
                for p in paths {
                    let v = expand(p, &mut unmatched)?;
                    if v.is_empty() {
                        return Err(err("VOLUME specified can not be an empty string".into()));
                    }
                    out.push(v);
                }
                Expanded::Volume { paths: out }
            }
            CommandKind::Expose(ports) => {
                let mut out = Vec::new();
                for p in ports {
                    let words = self
                        .lex
                        .process_words(p, env_before)
                        .map_err(|e| err(e.to_string()))?;
                    out.extend(words);
                }
                for p in &out {
                    check_port_spec(p).map_err(err)?;
                }
                Expanded::Expose { ports: out }
            }
            CommandKind::Run(run) => {
                let mut mounts = Vec::with_capacity(run.mounts.len());
                for (n, spec) in run.mounts.iter().enumerate() {
                    let mut local = BTreeSet::new();
                    let mut failure = None;
                    let mount = parse_mount_field(&spec.raw, &mut |word: &str| match expand(
                        word, &mut local,
                    ) {
                        Ok(v) => Ok(v),
                        Err(e) => {
                            let message = e.message.clone();
                            failure = Some(e);
                            Err(message)
                        }
                    });
                    let mount = match (mount, failure) {
                        (Ok(m), _) => m,
                        (Err((_, field)), Some(e)) => {
                            return Err(e.about_flag_part("mount", n, field));
                        }
                        (Err((m, field)), None) => {
                            return Err(err(m).about_flag_part("mount", n, field));
                        }
                    };
                    unmatched.extend(local);
                    if let Some(from) = &mount.from {
                        let later = dependencies.iter().any(|d| {
                            d.kind == DependencyKind::MountFrom
                                && d.reference == *from
                                && matches!(d.source, Source::Stage(s) if s > stage_index)
                        });
                        if later {
                            return Err(err(format!(
                                "cannot mount from stage {} to {}, stage needs to be defined before current command",
                                crate::dockerfile::gotext::quote(from),
                                crate::dockerfile::gotext::quote(
                                    mount.target.as_deref().unwrap_or_default()
                                )
                            ))
                            .about_flag_part("mount", n, None));
                        }
                    }
                    mounts.push(mount);
                }
                Expanded::Run { mounts }
            }
            CommandKind::Cmd(_)
            | CommandKind::Entrypoint(_)
            | CommandKind::Shell(_)
            | CommandKind::Healthcheck(_)
            | CommandKind::Maintainer(_)
            | CommandKind::Onbuild(_) => Expanded::None,
        };
        let declared = match args_declared_before {
            Some(n) => vars.build_args.get(..n).unwrap_or(&vars.build_args),
            None => &vars.build_args,
        };
        unmatched.retain(|name| !declared.contains(name) && !NON_ENV_ARGS.contains(&name.as_str()));
        Ok(ResolvedCommand {
            line,
            expanded,
            unmatched,
        })
    }

    /// BuildKit's `dispatchArg`.
    fn dispatch_args(
        &self,
        decls: &[ArgDecl],
        vars: &mut StageVars,
        global: &Scope,
        line: usize,
        end: usize,
        unmatched: &mut BTreeSet<String>,
    ) -> Result<Vec<ResolvedArg>, ResolveError> {
        let mut out = Vec::with_capacity(decls.len());
        // Declarations are dispatched one by one: `ARG A=1 B=$A` sees `A`,
        // `ARG A=$B B=1` does not see `B`, `ARG FOO=$FOO` not `FOO`.
        for decl in decls {
            let given = self.options.build_args.get(&decl.key);
            let (value, source) = match (given, &decl.default) {
                (Some(v), _) => (Some(v.clone()), ArgSource::BuildArg),
                (None, Some(default)) => {
                    let x = self
                        .lex
                        .process(default, &vars.env)
                        .map_err(|e| ResolveError::new(e.to_string(), line, end))?;
                    unmatched.extend(
                        x.unmatched
                            .into_iter()
                            .filter(|n| !vars.build_args.contains(n)),
                    );
                    (Some(x.result), ArgSource::Default)
                }
                (None, None) => match global.get(&decl.key) {
                    Some(v) => (Some(v.to_string()), ArgSource::Global),
                    None => (None, ArgSource::Unset),
                },
            };
            if let Some(v) = &value
                && !NON_ENV_ARGS.contains(&decl.key.as_str())
            {
                vars.env.set(decl.key.clone(), v.clone());
            }
            vars.build_args.push(decl.key.clone());
            out.push(ResolvedArg {
                name: decl.key.clone(),
                value,
                source,
                line,
            });
        }
        Ok(out)
    }

    /// Heredoc bodies of `COPY`/`ADD`: expanded with `\` as escape and
    /// quotes left alone, when the delimiter was not quoted.
    fn expand_contents(
        &self,
        contents: &[SourceContent],
        env: &Scope,
        unmatched: &mut BTreeSet<String>,
        line: usize,
        end: usize,
    ) -> Result<Vec<(String, String)>, ResolveError> {
        let mut out = Vec::with_capacity(contents.len());
        for c in contents {
            let data = if c.expand {
                let x = self
                    .raw_lex
                    .process(&c.data, env)
                    .map_err(|e| ResolveError::new(e.to_string(), line, end))?;
                unmatched.extend(x.unmatched);
                x.result
            } else {
                c.data.clone()
            };
            out.push((c.path.clone(), data));
        }
        Ok(out)
    }
}

type Expander<'e> = dyn FnMut(&str, &mut BTreeSet<String>) -> Result<String, ResolveError> + 'e;

fn expand_pairs(
    pairs: &[KeyValue],
    expand: &mut Expander<'_>,
    unmatched: &mut BTreeSet<String>,
) -> Result<Vec<(String, String)>, ResolveError> {
    let mut out = Vec::with_capacity(pairs.len());
    for kv in pairs {
        let key = expand(&kv.key, unmatched)?;
        let value = expand(&kv.value, unmatched)?;
        out.push((key, value));
    }
    Ok(out)
}

fn expand_opt(
    value: Option<&str>,
    expand: &mut Expander<'_>,
    unmatched: &mut BTreeSet<String>,
) -> Result<Option<String>, ResolveError> {
    value.map(|v| expand(v, unmatched)).transpose()
}

fn expand_paths(
    sources: &[String],
    dest: &str,
    expand: &mut Expander<'_>,
    unmatched: &mut BTreeSet<String>,
) -> Result<(Vec<String>, String), ResolveError> {
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        out.push(expand(s, unmatched)?);
    }
    Ok((out, expand(dest, unmatched)?))
}

/// BuildKit's `toCommand`: the stages and images a command takes files from.
fn command_dependencies(
    command: &Command,
    index: usize,
    states: &mut States,
) -> Result<Vec<Dependency>, ResolveError> {
    let err = |m: String| ResolveError::new(m, command.start_line, command.end_line);
    let mut out = Vec::new();
    match &command.kind {
        CommandKind::Copy(c) => {
            if let Some(from) = c.from.as_deref().filter(|f| !f.is_empty()) {
                let source = states
                    .lookup_reference(from, true)
                    .map_err(|m| err(m).about_flag("from"))?;
                out.push(Dependency {
                    kind: DependencyKind::CopyFrom,
                    source,
                    reference: from.to_string(),
                    command: index,
                    line: command.start_line,
                });
            }
        }
        CommandKind::Run(run) => {
            for (n, spec) in run.mounts.iter().enumerate() {
                if let Some(from) = mount_from(spec) {
                    let source = states
                        .lookup_reference(&from, false)
                        .map_err(|m| err(m).about_flag_part("mount", n, None))?;
                    out.push(Dependency {
                        kind: DependencyKind::MountFrom,
                        source,
                        reference: from,
                        command: index,
                        line: command.start_line,
                    });
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

/// The `from=` of a mount as written (the last one wins), unless empty.
fn mount_from(spec: &MountSpec) -> Option<String> {
    spec.fields
        .iter()
        .filter_map(|f| f.split_once('='))
        .filter(|(k, _)| k.eq_ignore_ascii_case("from"))
        .map(|(_, v)| v.to_string())
        .next_back()
        .filter(|v| !v.is_empty())
}

/// The commands a stage registered with `ONBUILD`, parsed as BuildKit
/// parses triggers in a child build; errors point at the child's `FROM`.
fn onbuild_triggers(
    base: &crate::dockerfile::instructions::Stage,
    line: usize,
    end: usize,
) -> Result<Vec<Command>, ResolveError> {
    let err = |m: String| ResolveError::new(m, line, end);
    let mut out = Vec::new();
    for command in &base.commands {
        let CommandKind::Onbuild(onbuild) = &command.kind else {
            continue;
        };
        let doc = crate::dockerfile::parse(&onbuild.expression).map_err(|e| err(e.to_string()))?;
        let [node] = doc.nodes.as_slice() else {
            return Err(err("onbuild trigger should be a single expression".into()));
        };
        match parse_command(node).map_err(|e| err(e.to_string()))? {
            Instruction::Command(mut c) => {
                c.start_line = line;
                c.end_line = end;
                out.push(c);
            }
            Instruction::Stage(_) => {
                return Err(err("FROM isn't allowed as an ONBUILD trigger".into()));
            }
        }
    }
    Ok(out)
}
