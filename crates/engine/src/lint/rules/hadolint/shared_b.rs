//! Helpers shared by the part-B hadolint rules (DL3032–DL4006): which
//! `RUN`s shell rules read, which stages end up in the image, the variables
//! in scope before an instruction, variable references in words, and
//! cleanup/cache detection for the package-cache rules.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::dockerfile::instructions::{CommandKind, MountType};
use crate::dockerfile::resolve::Expanded;
use crate::dockerfile::shell::{Env, Lexer};
use crate::lint::context::{CommandView, LintContext, RunView};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{Instruction, RunInfo, StageModel, covers};

/// `RUN`s (and with `onbuild`, `ONBUILD RUN` triggers) that a POSIX shell
/// runs, or that are in exec form. Scripts of PowerShell or cmd are split
/// by a POSIX parser, so their "commands" are not reliable: shell rules
/// skip them, as hadolint skips non-POSIX shells.
pub(super) fn shell_runs<'a>(
    cx: &LintContext<'a>,
    onbuild: bool,
) -> impl Iterator<Item = RunView<'a>> + 'a {
    cx.runs(onbuild).filter(|r| r.run.posix || r.run.exec_form)
}

/// Every simple command of [`shell_runs`].
pub(super) fn shell_commands<'a>(
    cx: &LintContext<'a>,
    onbuild: bool,
) -> impl Iterator<Item = CommandView<'a>> + 'a {
    shell_runs(cx, onbuild).flat_map(|run| {
        run.run
            .commands()
            .map(move |command| CommandView { run, command })
    })
}

/// Invocations of `tool` (wrappers such as `sudo`, `env`, `xargs` and
/// `python -m pip` removed) in [`shell_runs`].
pub(super) fn invocations<'a>(
    cx: &LintContext<'a>,
    tool: Tool,
    onbuild: bool,
) -> impl Iterator<Item = (CommandView<'a>, Invocation<'a>)> + 'a {
    shell_commands(cx, onbuild).filter_map(move |view| {
        recognise(view.command)
            .filter(|inv| inv.tool == tool)
            .map(|inv| (view, inv))
    })
}

/// The invocations of one `RUN`, in order, with their position among the
/// `RUN`'s commands.
pub(super) fn run_invocations(run: &RunInfo) -> Vec<(usize, &SimpleCommand, Invocation<'_>)> {
    run.commands()
        .enumerate()
        .filter_map(|(i, c)| recognise(c).map(|inv| (i, c, inv)))
        .collect()
}

/// The stage an instruction belongs to.
pub(super) fn stage_of<'a>(
    cx: &LintContext<'a>,
    instruction: &Instruction,
) -> Option<&'a StageModel> {
    instruction.stage.and_then(|i| cx.stages().get(i))
}

/// The stage a `COPY --from` / `--mount from=` value names, if it is a
/// stage of this file (a name, case-insensitively, or an index).
pub(super) fn stage_named<'a>(
    cx: &LintContext<'a>,
    reference: &str,
    before: usize,
) -> Option<&'a StageModel> {
    let lower = reference.to_ascii_lowercase();
    cx.stages()
        .iter()
        .take(before)
        .find(|s| s.name.as_deref() == Some(lower.as_str()))
        .or_else(|| {
            reference
                .parse::<usize>()
                .ok()
                .filter(|&i| i < before)
                .and_then(|i| cx.stages().get(i))
        })
}

/// Indexes of the stages whose files end up in the image the build
/// produces: the final stage, the stages it is built on (`FROM <stage>`),
/// and stages whose whole filesystem is copied in (`COPY --from=x / ...`),
/// transitively. A stage that is only a source of `COPY --from` for
/// selected paths does not ship its layers.
pub(super) fn shipped_stages(cx: &LintContext<'_>) -> BTreeSet<usize> {
    let mut shipped = BTreeSet::new();
    let mut stack: Vec<usize> = cx.final_stage().map(|s| s.index).into_iter().collect();
    while let Some(index) = stack.pop() {
        if !shipped.insert(index) {
            continue;
        }
        let Some(stage) = cx.stages().get(index) else {
            continue;
        };
        if let Some(parent) = cx.parent(stage) {
            stack.push(parent.index);
        }
        for instruction in cx.stage_instructions(stage) {
            if let Some(CommandKind::Copy(copy)) = instruction.kind()
                && let Some(from) = &copy.from
                && copy.sources.iter().any(|s| is_root(s))
                && let Some(source) = stage_named(cx, from, index)
            {
                stack.push(source.index);
            }
        }
    }
    shipped
}

/// Whether a path names the root directory (`/`, `/.`, `"/"`).
pub(super) fn is_root(path: &str) -> bool {
    let path = unquote(path);
    !path.is_empty() && path.split('/').all(|p| p.is_empty() || p == ".") && path.starts_with('/')
}

/// Whether the layer a `RUN` writes ends up in the produced image: the
/// `RUN` is in a shipped stage, or it is an `ONBUILD` trigger (which runs
/// in, and ships with, the image built on this one).
pub(super) fn run_ships(run: &RunView<'_>, shipped: &BTreeSet<usize>) -> bool {
    run.onbuild || run.instruction.stage.is_some_and(|s| shipped.contains(&s))
}

/// Removes one pair of surrounding quotes.
pub(super) fn unquote(text: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    text
}

/// Names of the variables a word references (`$X`, `${X}`, `${X:-d}`),
/// BuildKit style: text after the escape character and text in single
/// quotes is literal.
pub(super) fn var_refs(text: &str, escape: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut single, mut double) = (false, false);
    while let Some(c) = chars.next() {
        if c == escape && !single {
            chars.next();
            continue;
        }
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single => {
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push(name);
                }
            }
            _ => {}
        }
    }
    out
}

/// An `ENV` or `ARG` variable a stage sets, as [`Scope`] reads it.
#[derive(Debug)]
struct Var {
    /// The node of the instruction that sets it.
    node: usize,
    name: String,
    /// `None` when the value is not known at lint time.
    value: Option<String>,
    /// Set by an `ARG` (only in scope in its own stage).
    arg: bool,
}

/// The variables each stage sets, in order (by stage index), worked out
/// once per lint: a [`Scope`] is then a view of them, so that the scopes
/// of all `RUN`s of a file cost no more than its variables, not their
/// product (a 250 KB file of alternating `ENV`s and `RUN`s took 1.4 s).
#[derive(Debug, Default)]
pub(crate) struct Memo {
    vars: OnceLock<Vec<StageVars>>,
}

/// The variables one stage sets, in order; once there are many, where each
/// name is set, so that looking a name up does not read them all.
#[derive(Debug, Default)]
struct StageVars {
    vars: Vec<Var>,
    /// Positions in `vars` by name, ascending, for a long `vars`.
    by_name: Option<HashMap<String, Vec<usize>>>,
}

/// How many variables a stage sets before they are indexed by name.
const INDEXED_FROM: usize = 32;

impl StageVars {
    fn new(vars: Vec<Var>) -> Self {
        let by_name = (vars.len() > INDEXED_FROM).then(|| {
            let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
            for (at, var) in vars.iter().enumerate() {
                by_name.entry(var.name.clone()).or_default().push(at);
            }
            by_name
        });
        Self { vars, by_name }
    }

    /// The latest of the first `len` variables named `name` that `wanted`
    /// accepts.
    fn latest(&self, len: usize, name: &str, wanted: impl Fn(&Var) -> bool) -> Option<&Var> {
        let first = self.vars.get(..len)?;
        match &self.by_name {
            Some(by_name) => {
                let at = by_name.get(name)?;
                let end = at.partition_point(|&p| p < len);
                at.get(..end)?
                    .iter()
                    .rev()
                    .filter_map(|&p| first.get(p))
                    .find(|v| wanted(v))
            }
            None => first.iter().rev().find(|v| v.name == name && wanted(v)),
        }
    }
}

impl Memo {
    fn stage_vars<'c>(&'c self, cx: &LintContext<'_>) -> &'c [StageVars] {
        self.vars.get_or_init(|| {
            cx.stages()
                .iter()
                .map(|stage| {
                    let mut vars = Vec::new();
                    for i in cx.stage_instructions(stage) {
                        add_vars(&mut vars, i);
                    }
                    StageVars::new(vars)
                })
                .collect()
        })
    }
}

/// Adds what an `ENV` or `ARG` sets.
fn add_vars(vars: &mut Vec<Var>, instruction: &Instruction) {
    let node = instruction.node;
    let var = |name: &String, value: Option<String>, arg: bool| Var {
        node,
        name: name.clone(),
        value,
        arg,
    };
    match (instruction.kind(), &instruction.expanded) {
        (Some(CommandKind::Env(_)), Some(Expanded::Env { vars: set })) => {
            vars.extend(set.iter().map(|(k, v)| var(k, Some(v.clone()), false)));
        }
        (Some(CommandKind::Env(pairs)), _) => vars.extend(pairs.iter().map(|p| {
            let value = Some(unquote(&p.value).to_string()).filter(|v| !v.contains('$'));
            var(&p.key, value, false)
        })),
        (Some(CommandKind::Arg(_)), Some(Expanded::Arg { args: decls })) => {
            vars.extend(decls.iter().map(|a| var(&a.name, a.value.clone(), true)));
        }
        (Some(CommandKind::Arg(decls)), _) => vars.extend(decls.iter().map(|d| {
            let value = d
                .default
                .as_deref()
                .map(|v| unquote(v).to_string())
                .filter(|v| !v.contains('$'));
            var(&d.key, value, true)
        })),
        _ => {}
    }
}

/// The variables (`ARG` and `ENV`) in scope before an instruction: `ENV`s
/// of the stages it builds on, and `ENV`s and `ARG`s of its own stage
/// before it. Values are `None` when they are not known at lint time (an
/// `ARG` without a default or a build argument). Variables set by the base
/// image are not known.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope<'c> {
    /// Runs of variables in the order they are set: a stage's variables,
    /// how many of them are in scope, and whether its `ARG`s count (only
    /// the instruction's own stage's do).
    parts: Vec<(&'c StageVars, usize, bool)>,
    /// For `ONBUILD` triggers: nothing is known about the child build, so
    /// every variable counts as declared.
    open: bool,
}

impl<'c> Scope<'c> {
    /// The scope before `instruction`.
    pub(super) fn before(cx: &'c LintContext<'_>, instruction: &Instruction) -> Self {
        let mut scope = Self::default();
        let Some(stage) = stage_of(cx, instruction) else {
            return scope;
        };
        let all = cx.hadolint_memo.stage_vars(cx);
        let lineage = cx.lineage(stage);
        // Empty runs are left out: most scopes then need no allocation.
        for ancestor in lineage.iter().skip(1).rev() {
            if let Some(vars) = all.get(ancestor.index).filter(|v| !v.vars.is_empty()) {
                scope.parts.push((vars, vars.vars.len(), false));
            }
        }
        if let Some(vars) = all.get(stage.index) {
            let before = vars.vars.partition_point(|v| v.node < instruction.node);
            if before > 0 {
                scope.parts.push((vars, before, true));
            }
        }
        scope
    }

    /// The scope a `RUN` (or `ONBUILD RUN` trigger) runs in.
    pub(super) fn for_run(cx: &'c LintContext<'_>, run: &RunView<'_>) -> Self {
        if run.onbuild {
            Self {
                parts: Vec::new(),
                open: true,
            }
        } else {
            Self::before(cx, run.instruction)
        }
    }

    /// The variable named `name` set last of those `wanted` accepts.
    fn latest(&self, name: &str, wanted: impl Fn(&Var) -> bool) -> Option<&'c Var> {
        self.parts.iter().rev().find_map(|&(vars, len, args)| {
            vars.latest(len, name, |v| (args || !v.arg) && wanted(v))
        })
    }

    /// Whether `name` is declared (by `ARG` or `ENV`), with or without a
    /// known value.
    pub(super) fn declares(&self, name: &str) -> bool {
        self.open || self.latest(name, |_| true).is_some()
    }

    /// The known value of `name`.
    pub(super) fn value(&self, name: &str) -> Option<&'c str> {
        self.latest(name, |_| true)
            .and_then(|v| v.value.as_deref())
    }

    /// Whether `name` is declared with a value known at lint time.
    pub(super) fn knows(&self, name: &str) -> bool {
        !self.open && self.value(name).is_some()
    }

    /// `word` with its variables expanded, split into words; `None` when a
    /// variable it uses has no known value (or for command substitutions).
    pub(super) fn expand(&self, word: &str, escape: char) -> Option<Vec<String>> {
        if !word.contains('$') {
            return Some(vec![word.to_string()]);
        }
        if word.contains("$(") || word.contains('`') {
            return None;
        }
        if var_refs(word, escape).iter().any(|n| !self.knows(n)) {
            return None;
        }
        Lexer::new(escape)
            .process(word, &Known(self))
            .ok()
            .map(|e| e.words)
    }
}

/// The variables of a scope whose values are known, as the shell lexer
/// looks them up: the latest known value of a name.
struct Known<'s, 'c>(&'s Scope<'c>);

impl Env for Known<'_, '_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.0
            .latest(name, |v| v.value.is_some())
            .and_then(|v| v.value.as_deref())
    }
}

/// Names a `RUN` script assigns itself (`V=1`, `export V=1`, `read V`),
/// which therefore have a value when later commands use them.
pub(super) fn script_assigned(run: &RunInfo) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in run.commands() {
        out.extend(c.assignments.iter().map(|(k, _)| k.clone()));
        if matches!(
            c.base_name(),
            "export" | "declare" | "typeset" | "local" | "readonly" | "read"
        ) {
            for a in c.args.iter().filter(|a| !a.starts_with('-')) {
                let name = a.split('=').next().unwrap_or_default();
                if !name.is_empty() {
                    out.insert(name.to_string());
                }
            }
        }
    }
    out
}

/// Whether `command` deletes `dir` or everything in it: `rm` (or `find
/// ... -delete`) of `dir`, `dir/`, `dir/*`, `dir*` or a parent directory
/// (not `/` itself).
pub(super) fn deletes(command: &SimpleCommand, dirs: &[&str]) -> bool {
    let (name, args) = unwrap_command(command);
    let targets: Vec<&str> = match name {
        "rm" => args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .copied()
            .collect(),
        "find" if args.iter().any(|a| *a == "-delete" || *a == "-exec") => args
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .copied()
            .collect(),
        _ => return false,
    };
    targets.iter().any(|t| {
        let trimmed = t
            .trim_end_matches('*')
            .trim_end_matches('/')
            .trim_end_matches("/.");
        !trimmed.is_empty() && dirs.iter().any(|d| covers(trimmed, d))
    })
}

/// The program a command runs and its arguments, looking through `sudo`,
/// `env`, `xargs` and similar wrappers.
pub(super) fn unwrap_command(command: &SimpleCommand) -> (&str, Vec<&str>) {
    let words: Vec<&str> = std::iter::once(command.name.as_str())
        .chain(command.args.iter().map(String::as_str))
        .collect();
    let mut i = 0;
    for _ in 0..8 {
        let Some(word) = words.get(i) else { break };
        let base = word.rsplit('/').next().unwrap_or(word);
        let value_flags: &[&str] = match base {
            "sudo" => &["u", "g", "h", "p", "C", "D", "r", "t", "U", "user", "group"],
            "env" => &["u", "unset", "C", "chdir", "S", "split-string"],
            "xargs" => &["I", "i", "n", "P", "d", "a", "E", "L", "s"],
            "nice" => &["n", "adjustment"],
            "command" | "exec" | "nohup" | "time" | "stdbuf" | "eatmydata" => &[],
            _ => break,
        };
        i += 1;
        while let Some(w) = words.get(i) {
            if *w == "--" {
                i += 1;
                break;
            }
            if base == "env" && w.contains('=') && !w.starts_with('-') {
                i += 1;
                continue;
            }
            let Some(flag) = w.strip_prefix('-').filter(|f| !f.is_empty()) else {
                break;
            };
            let name = flag.trim_start_matches('-');
            i += 1;
            if !name.contains('=') && value_flags.contains(&name) {
                i += 1;
            }
        }
    }
    let name = words
        .get(i)
        .map_or("", |w| w.rsplit('/').next().unwrap_or(w));
    (name, words.iter().skip(i + 1).copied().collect())
}

/// `NAME=value` pairs a command sets for the program it runs: prefix
/// assignments and `env NAME=value` arguments.
pub(super) fn command_env(command: &SimpleCommand) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = command
        .assignments
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let words: Vec<&str> = std::iter::once(command.name.as_str())
        .chain(command.args.iter().map(String::as_str))
        .collect();
    let mut in_env = false;
    for w in words {
        let base = w.rsplit('/').next().unwrap_or(w);
        if base == "env" || base == "sudo" {
            in_env = true;
            continue;
        }
        if !in_env || w.starts_with('-') {
            continue;
        }
        match w.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push((k, v));
            }
            _ => break,
        }
    }
    out
}

/// The value of `name` the script exports before command `index`
/// (`export NAME=value`), if any.
pub(super) fn exported_before<'a>(run: &'a RunInfo, index: usize, name: &str) -> Option<&'a str> {
    let mut found = None;
    for c in run.commands().take(index) {
        if c.base_name() == "export" {
            for a in &c.args {
                if let Some((k, v)) = a.split_once('=')
                    && k == name
                {
                    found = Some(v);
                }
            }
        }
    }
    found
}

/// Whether a cache or tmpfs mount of the `RUN` covers one of `dirs`, or
/// has a target ending in one of `suffixes` (`.cache/pip` for any home).
pub(super) fn cache_mounted(run: &RunInfo, dirs: &[&str], suffixes: &[&str]) -> bool {
    dirs.iter().any(|d| run.has_cache_mount(d))
        || run.mounts.iter().any(|m| {
            matches!(m.kind, MountType::Cache | MountType::Tmpfs)
                && m.target.as_deref().is_some_and(|t| {
                    let t = t.trim_end_matches('/');
                    suffixes.iter().any(|s| {
                        t.strip_suffix(s)
                            .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
                    })
                })
        })
}

/// For the package-cache rules: each `RUN` whose layer ships (see
/// [`shipped_stages`]) where the last command that fills a cache (`fills`
/// gives its description, e.g. `yum install`) is not followed by a command
/// that empties it (`cleans`), and no cache or tmpfs mount covers one of
/// `caches` (or a target ending in one of `suffixes`).
pub(super) fn missing_cleanup<'a>(
    cx: &LintContext<'a>,
    fills: impl Fn(&Invocation<'_>) -> Option<String>,
    cleans: impl Fn(&SimpleCommand) -> bool,
    caches: &[&str],
    suffixes: &[&str],
) -> Vec<(RunView<'a>, String)> {
    let shipped = shipped_stages(cx);
    let mut out = Vec::new();
    for run in shell_runs(cx, true) {
        if !run_ships(&run, &shipped) || cache_mounted(run.run, caches, suffixes) {
            continue;
        }
        let last = run_invocations(run.run)
            .iter()
            .filter_map(|(i, _, inv)| fills(inv).map(|what| (*i, what)))
            .last();
        let Some((index, what)) = last else {
            continue;
        };
        if !run.run.commands().skip(index + 1).any(&cleans) {
            out.push((run, what));
        }
    }
    out
}

/// The first positional words of an invocation joined (`install`, or
/// `module install` when the first is one of `groups`).
pub(super) fn subcommand_words(inv: &Invocation<'_>, groups: &[&str]) -> Option<String> {
    let positional = inv.positional();
    let first = positional.first()?;
    if groups.contains(first) {
        let second = positional.get(1)?;
        Some(format!("{first} {second}"))
    } else {
        Some((*first).to_string())
    }
}

/// What a package argument of `yum`/`dnf`/`zypper` says about its
/// version, after variables: the words it stands for, or `None` when that
/// is not known at lint time (a command substitution, an `ARG` without a
/// default, a variable the script sets itself).
pub(super) fn package_words(
    word: &str,
    scope: &Scope,
    assigned: &BTreeSet<String>,
    escape: char,
) -> Option<Vec<String>> {
    if word.contains("$(") || word.contains('`') {
        return None;
    }
    if !word.contains('$') {
        return Some(vec![word.to_string()]);
    }
    let refs = var_refs(word, escape);
    if refs.iter().any(|r| assigned.contains(r)) {
        return None;
    }
    if let Some(words) = scope.expand(word, escape) {
        return Some(words);
    }
    // A variable without a known value: only a whole-word reference hides
    // what the argument is.
    let whole = refs.len() == 1 && {
        let bare = word.trim_start_matches('$');
        let bare = bare
            .strip_prefix('{')
            .and_then(|b| b.strip_suffix('}'))
            .unwrap_or(bare);
        refs.first().is_some_and(|r| r == bare)
    };
    if whole {
        None
    } else {
        Some(vec![word.to_string()])
    }
}

/// Arguments of `yum`/`dnf`/`zypper` that are not package names and so
/// cannot be pinned: rpm files, paths, URLs, groups (`@core`),
/// capabilities (`perl(Foo)`).
pub(super) fn not_a_package_name(word: &str) -> bool {
    word.ends_with(".rpm")
        || word.starts_with('/')
        || word.starts_with("./")
        || word.contains("://")
        || (word.starts_with('@') && !word.contains(':'))
        || word.contains('(')
        || word.is_empty()
}

/// Whether an rpm package argument names a version: `name-VERSION` with
/// the last `-` part starting with a digit, or `name-VERSION-RELEASE`
/// with the release containing a digit. Variables declared by `ARG`/`ENV`
/// in the version part count as a version. `java-11-openjdk` is a name,
/// not `java` at version `11-openjdk`.
pub(super) fn rpm_version_pinned(word: &str, scope: &Scope, escape: char) -> bool {
    let version_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '~' | '^' | '_' | ':' | '+' | '*');
    let valid = |p: &str| !p.is_empty() && p.chars().all(version_char);
    let starts_digit = |p: &str| p.starts_with(|c: char| c.is_ascii_digit());
    let Some((_, suffix)) = word.split_once('-') else {
        return false;
    };
    if var_refs(suffix, escape).iter().any(|r| scope.declares(r)) {
        return true;
    }
    let parts: Vec<&str> = word.split('-').collect();
    let n = parts.len();
    let last = parts.last().copied().unwrap_or_default();
    if starts_digit(last) && valid(last) {
        return true;
    }
    n >= 3
        && parts
            .get(n - 2)
            .is_some_and(|v| starts_digit(v) && valid(v))
        && valid(last)
        && last.contains(|c: char| c.is_ascii_digit())
}

/// For DL3033/DL3041: each `RUN` (and `ONBUILD RUN`) where `tools`
/// install packages without a version (`install`/`in`) or modules without
/// a stream (`module install`), with the offending arguments.
pub(super) fn rpm_unpinned<'a>(
    cx: &LintContext<'a>,
    tools: &[Tool],
) -> Vec<(RunView<'a>, Vec<String>)> {
    let escape = cx.model.doc.escape;
    let mut out = Vec::new();
    for run in shell_runs(cx, true) {
        // Worked out for the first install of `tools` in this RUN.
        let mut scope: Option<Scope> = None;
        let mut assigned: Option<BTreeSet<String>> = None;
        let mut bad = Vec::new();
        for (_, _, inv) in run_invocations(run.run) {
            if !tools.contains(&inv.tool) {
                continue;
            }
            let positional = inv.positional();
            let (module, args) = match positional.as_slice() {
                [sub, rest @ ..] if matches!(*sub, "install" | "in") => (false, rest),
                [m, sub, rest @ ..] if *m == "module" && *sub == "install" => (true, rest),
                _ => continue,
            };
            let scope = scope.get_or_insert_with(|| Scope::for_run(cx, &run));
            let assigned = assigned.get_or_insert_with(|| script_assigned(run.run));
            for arg in args {
                let Some(words) = package_words(arg, scope, assigned, escape) else {
                    continue;
                };
                for word in words {
                    let pinned = if module {
                        word.contains(':')
                    } else {
                        not_a_package_name(&word) || rpm_version_pinned(&word, scope, escape)
                    };
                    if !pinned && !bad.contains(&word) {
                        bad.push(word);
                    }
                }
            }
        }
        if !bad.is_empty() {
            out.push((run, bad));
        }
    }
    out
}

/// `a`, `` `a` and `b` ``: names for a message.
pub(super) fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A long stage's index finds what reading its variables from the
        /// last one finds.
        #[test]
        fn indexed_lookups_read_like_a_backward_scan(
            vars in proptest::collection::vec((0u8..6, proptest::bool::ANY, proptest::option::of(0u8..3)), 0..90),
            len in 0usize..100,
            name in 0u8..7,
            args in proptest::bool::ANY,
            known in proptest::bool::ANY,
        ) {
            let vars: Vec<Var> = vars
                .into_iter()
                .enumerate()
                .map(|(node, (name, arg, value))| Var {
                    node,
                    name: format!("V{name}"),
                    value: value.map(|v| v.to_string()),
                    arg,
                })
                .collect();
            let indexed = StageVars::new(vars);
            let name = format!("V{name}");
            let wanted = |v: &Var| (args || !v.arg) && (!known || v.value.is_some());
            let scanned = indexed
                .vars
                .get(..len.min(indexed.vars.len()))
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|v| v.name == name && wanted(v));
            proptest::prop_assert_eq!(
                indexed.latest(len.min(indexed.vars.len()), &name, wanted).map(|v| v.node),
                scanned.map(|v| v.node)
            );
        }
    }

    #[test]
    fn variable_references() {
        assert_eq!(var_refs("a-$B-${C}-${D:-x}", '\\'), ["B", "C", "D"]);
        assert_eq!(var_refs("\\$A '$B' \"$C\" $1", '\\'), ["C"]);
    }

    #[test]
    fn roots() {
        assert!(is_root("/") && is_root("\"/\"") && is_root("/.") && !is_root("/app"));
    }
}
