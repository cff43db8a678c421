//! Helpers shared by the part-A hadolint rules (DL1001, DL3001–DL3030):
//! which `RUN`s a shell rule reads, commands behind wrappers, values of
//! variables in package lists, cleanup commands and archive names.

use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::shell::Lexer;
use crate::lint::context::{LintContext, RunView};
use crate::model::shell::{Script, SimpleCommand};
use crate::model::tools::{Invocation, Tool, recognise};
use crate::model::{BaseImage, Instruction, StageModel, covers};

/// `RUN`s (and with `onbuild`, `ONBUILD RUN`s) that a POSIX shell runs, or
/// that are in exec form. Scripts of PowerShell or cmd are split by a POSIX
/// parser, so their "commands" are not reliable and shell rules skip them.
pub(super) fn shell_runs<'a>(
    cx: &LintContext<'a>,
    onbuild: bool,
) -> impl Iterator<Item = RunView<'a>> + 'a {
    cx.runs(onbuild).filter(|r| r.run.posix || r.run.exec_form)
}

/// Commands that run another command given as their arguments.
const WRAPPERS: &[(&str, &[&str])] = &[
    (
        "sudo",
        &["u", "g", "h", "p", "C", "D", "r", "t", "U", "user", "group"],
    ),
    ("env", &["u", "unset", "C", "chdir", "S", "split-string"]),
    ("nice", &["n", "adjustment"]),
    ("nohup", &[]),
    ("exec", &["a"]),
    ("command", &[]),
    ("time", &["o", "f"]),
    ("stdbuf", &["i", "o", "e"]),
    ("eatmydata", &[]),
    ("gosu", &[]),
    ("su-exec", &[]),
    (
        "xargs",
        &[
            "I",
            "i",
            "n",
            "P",
            "d",
            "a",
            "E",
            "L",
            "s",
            "max-args",
            "max-procs",
            "delimiter",
            "arg-file",
        ],
    ),
];

/// The programs a command runs, outermost first: `sudo -E apt install x`
/// gives `["sudo", "apt"]`; a command that is not a wrapper gives its own
/// base name. `gosu` and `su-exec` take a user before the command.
pub(super) fn program_chain(command: &SimpleCommand) -> Vec<&str> {
    chain_and_program(command).0
}

/// The program chain and the arguments of the innermost program.
pub(super) fn unwrapped(command: &SimpleCommand) -> (Vec<&str>, Vec<&str>) {
    let (chain, program) = chain_and_program(command);
    // The innermost program is word `program`; its arguments follow it.
    let args = command.args.iter().skip(program).map(String::as_str).collect();
    (chain, args)
}

/// The program chain, and the index of the innermost program among the
/// command's words (its name is word 0, its arguments the words after).
fn chain_and_program(command: &SimpleCommand) -> (Vec<&str>, usize) {
    // The command's words: its name, then its arguments.
    let words = |i: usize| match i.checked_sub(1) {
        None => Some(command.name.as_str()),
        Some(a) => command.args.get(a).map(String::as_str),
    };
    let mut chain = Vec::new();
    let mut i = 0;
    while let Some(word) = words(i) {
        let base = word.rsplit('/').next().unwrap_or(word);
        if base.is_empty() {
            break;
        }
        chain.push(base);
        let Some((_, value_flags)) = WRAPPERS.iter().find(|(n, _)| *n == base) else {
            break;
        };
        if chain.len() > 8 {
            break;
        }
        i += 1;
        while let Some(w) = words(i) {
            if w == "--" {
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
        if matches!(base, "gosu" | "su-exec") {
            i += 1;
        }
    }
    (chain, i)
}

/// The stage an instruction belongs to.
pub(super) fn stage_of<'a>(
    cx: &LintContext<'a>,
    instruction: &Instruction,
) -> Option<&'a StageModel> {
    instruction.stage.and_then(|i| cx.stages().get(i))
}

/// The variables a `RUN` can see with known values: the stage's `ENV` and
/// `ARG` values (none for `ONBUILD` triggers, which run in another build),
/// then the shell variables the `RUN` itself assigns (`PKGS="a b"; ...`,
/// `export PKGS=...`), each expanded with what is known before it. A shell
/// variable whose value depends on something unknown is left out.
fn run_variables(cx: &LintContext<'_>, run: &RunView<'_>) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = match stage_of(cx, run.instruction) {
        Some(stage) if !run.onbuild => stage.env.clone(),
        _ => Vec::new(),
    };
    let lexer = Lexer::new('\\');
    for command in run.run.commands() {
        let assignments: Vec<(String, String)> = if command.name.is_empty() {
            command.assignments.clone()
        } else if matches!(
            command.name.as_str(),
            "export" | "readonly" | "declare" | "local"
        ) {
            command
                .args
                .iter()
                .filter_map(|a| a.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        } else {
            continue;
        };
        for (name, value) in assignments {
            if value.contains("$(") || value.contains('`') {
                env.retain(|(k, _)| *k != name);
                continue;
            }
            match lexer.process_unsplit(&value, &env) {
                Ok(e) if e.unmatched.is_empty() => env.push((name, e.result)),
                _ => env.retain(|(k, _)| *k != name),
            }
        }
    }
    env
}

/// The variables of one `RUN` ([`run_variables`]), worked out the first
/// time an argument with a `$` needs them: most arguments have none.
pub(super) struct RunVariables<'c, 'a> {
    cx: &'c LintContext<'a>,
    run: RunView<'a>,
    vars: std::cell::OnceCell<Vec<(String, String)>>,
}

impl<'c, 'a> RunVariables<'c, 'a> {
    /// The variables of `run`, not yet worked out.
    pub(super) fn new(cx: &'c LintContext<'a>, run: &RunView<'a>) -> Self {
        Self {
            cx,
            run: *run,
            vars: std::cell::OnceCell::new(),
        }
    }

    /// [`expand_arg`] with these variables.
    pub(super) fn expand(&self, arg: &str) -> Option<Vec<String>> {
        if !arg.contains(['$', '`']) {
            return expand_arg(&[], arg);
        }
        let vars = self.vars.get_or_init(|| run_variables(self.cx, &self.run));
        expand_arg(vars, arg)
    }
}

/// What an argument of a `RUN` command stands for, given the variables of
/// [`run_variables`]. An argument without variables is itself. One whose
/// variables are all known is expanded and split into words (a package
/// list in `$PKGS` gives each package). One that mixes text with unknown
/// variables (`postgresql-${PG_MAJOR}`, `curl=$V`) is kept as written: its
/// shape still tells a name from a pinned version. `None` when the argument
/// is nothing but unknown variables or a command substitution: its words
/// cannot be known.
fn expand_arg(vars: &[(String, String)], arg: &str) -> Option<Vec<String>> {
    if !arg.contains('$') && !arg.contains('`') {
        return Some(vec![arg.to_string()]);
    }
    if arg.contains("$(") || arg.contains('`') {
        return None;
    }
    let expansion = Lexer::new('\\').process(arg, vars).ok()?;
    if expansion.unmatched.is_empty() {
        return Some(expansion.words);
    }
    if expansion.result.trim().is_empty() {
        return None;
    }
    Some(vec![arg.to_string()])
}

/// For a base that could not be resolved to an image reference because a
/// variable has no default (`FROM ${REGISTRY}/gcc:latest`), what its text
/// still says about the tag: `Some(None)` when the last path component is
/// written without a variable and without a tag (`${REGISTRY}/python`),
/// `Some(Some(tag))` when the tag is written literally
/// (`${REGISTRY}/gcc:latest`), `None` when a variable may supply the tag
/// or a digest is given. `None` for resolved bases too.
pub(super) fn literal_tag(stage: &StageModel) -> Option<Option<&str>> {
    if !matches!(stage.base, BaseImage::Image { image: None, .. })
        || !stage.base_text.contains('$')
        || stage.base_text.contains('@')
    {
        return None;
    }
    let last = stage
        .base_text
        .rsplit('/')
        .next()
        .unwrap_or(&stage.base_text);
    match last.rsplit_once(':') {
        Some((_, tag)) if !tag.is_empty() && !tag.contains(['$', '}']) => Some(Some(tag)),
        Some(_) => None,
        None if last.contains('$') => None,
        None => Some(None),
    }
}

/// Whether `command` deletes `dir` or everything in it: `rm` (or `find
/// ... -delete`) of `dir`, `dir/`, `dir/*` or a parent directory.
pub(super) fn deletes(command: &SimpleCommand, dir: &str) -> bool {
    let (chain, line) = unwrapped(command);
    let targets: Vec<&str> = match chain.last().copied() {
        Some("rm") => line
            .iter()
            .filter(|a| !a.starts_with('-'))
            .copied()
            .collect(),
        Some("find") if line.contains(&"-delete") => line
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .copied()
            .collect(),
        _ => return false,
    };
    targets.iter().any(|t| {
        let mut path = *t;
        loop {
            let trimmed = path.trim_end_matches('*').trim_end_matches('/');
            if trimmed == path {
                break;
            }
            path = trimmed;
        }
        t.starts_with('/') && (path.is_empty() || covers(path, dir))
    })
}

/// File name extensions of tar archives that `ADD` unpacks (BuildKit
/// detects plain, gzip, bzip2, xz and zstd compressed tar streams).
pub(super) const TAR_EXTENSIONS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz", ".tar.zst",
    ".tzst",
];

/// hadolint's archive extensions (used by DL3020 to accept `ADD`).
pub(super) const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz", ".zst", ".tzst",
];

/// The last path component, quotes removed.
pub(super) fn basename(path: &str) -> &str {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

pub(super) use crate::lint::rules::quoted_list;

/// The invocations of `tools` with a subcommand in `subcommands` in one
/// `RUN` (behind any wrapper, in `sh -c` strings and heredoc scripts).
pub(super) fn invocations_in<'a>(
    run: &RunView<'a>,
    tools: &[Tool],
    subcommands: &[&str],
) -> Vec<Invocation<'a>> {
    run.run
        .commands()
        .filter_map(recognise)
        .filter(|inv| {
            tools.contains(&inv.tool) && inv.subcommand().is_some_and(|s| subcommands.contains(&s))
        })
        .collect()
}

/// `apt-get install` and `apt install` in one `RUN`.
pub(super) fn apt_installs<'a>(run: &RunView<'a>) -> Vec<Invocation<'a>> {
    invocations_in(run, &[Tool::AptGet, Tool::Apt], &["install"])
}

/// Whether `script` writes or passes an apt option `key` (lower case,
/// without `APT::`) with one of the `values`.
fn script_sets_apt_option(script: &Script, key: &str, values: &[&str]) -> bool {
    let text = script.text.as_str();
    find_ignore_ascii_case(text, key).is_some()
        && text.lines().any(|line| {
            find_ignore_ascii_case(line, key).is_some_and(|at| {
                let rest = line.get(at + key.len()..).unwrap_or_default();
                let value = rest.trim_start_matches(|c: char| {
                    matches!(c, '"' | '\\' | '\'' | '=' | ':') || c.is_whitespace()
                });
                values.iter().any(|v| {
                    value
                        .as_bytes()
                        .get(..v.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(v.as_bytes()))
                })
            })
        })
}

/// Where `needle` (lower case) first occurs in `hay`, ASCII letters
/// matched in either case: `hay.to_ascii_lowercase().find(needle)`
/// without the copy.
fn find_ignore_ascii_case(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).find(|&at| {
        hay.get(at..at + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

/// Where an apt option is set in a file: which `RUN`s write it (to
/// `/etc/apt/apt.conf.d/...`) or pass it with `-o`. Found in one pass over
/// the file, so that asking for every `RUN` stays linear.
pub(super) struct AptOption {
    key: String,
    values: &'static [&'static str],
    /// The nodes of the `RUN`s that set it, in order.
    setters: Vec<usize>,
}

impl AptOption {
    /// Finds option `key` (without `APT::`) set to one of `values`.
    pub(super) fn find(cx: &LintContext<'_>, key: &str, values: &'static [&'static str]) -> Self {
        let key = key.to_ascii_lowercase();
        let setters = cx
            .instructions()
            .filter(|i| {
                i.run.as_ref().is_some_and(|r| {
                    r.scripts
                        .iter()
                        .any(|script| script_sets_apt_option(script, &key, values))
                })
            })
            .map(|i| i.node)
            .collect();
        Self {
            key,
            values,
            setters,
        }
    }

    /// Whether `run` itself, or an earlier `RUN` of its stage or of a stage
    /// it builds on, sets the option.
    pub(super) fn set_for(&self, cx: &LintContext<'_>, run: &RunView<'_>) -> bool {
        // An instruction's own RUN was read by `find`; an ONBUILD trigger's
        // was not.
        let own = run
            .instruction
            .run
            .as_ref()
            .is_some_and(|r| std::ptr::eq(r, run.run));
        let sets = if own {
            self.setters.binary_search(&run.instruction.node).is_ok()
        } else {
            run.run
                .scripts
                .iter()
                .any(|script| script_sets_apt_option(script, &self.key, self.values))
        };
        sets || earlier_in_lineage(cx, run, &self.setters)
    }
}

/// Whether one of `nodes` (in order) is an instruction before `run` in
/// `run`'s stage or a stage it builds on: a binary search per stage.
pub(super) fn earlier_in_lineage(cx: &LintContext<'_>, run: &RunView<'_>, nodes: &[usize]) -> bool {
    if nodes.is_empty() {
        return false;
    }
    let Some(stage) = stage_of(cx, run.instruction) else {
        return false;
    };
    let before = run.instruction.node;
    cx.lineage(stage).iter().any(|s| {
        let (Some(&first), Some(&last)) = (s.instructions.first(), s.instructions.last()) else {
            return false;
        };
        let end = last.min(before.saturating_sub(1));
        let at = nodes.partition_point(|&n| n < first);
        nodes.get(at).is_some_and(|&n| n <= end && n < before)
    })
}

/// Whether `command` reads its answers from `yes` (`yes | apt-get install x`).
pub(super) fn fed_by_yes(run: &RunView<'_>, command: &SimpleCommand) -> bool {
    run.run.scripts.iter().any(|script| {
        script.commands.iter().any(|c| std::ptr::eq(c, command))
            && script
                .commands
                .iter()
                .any(|c| c.is("yes") && c.piped && c.pipeline == command.pipeline)
    })
}

/// What a `COPY --from` or `RUN --mount from=` value names, looked up as
/// BuildKit does: a stage index (`COPY` only), a stage name
/// (case-insensitively, any stage of the file), or else an image.
#[derive(Debug, Clone, Copy)]
pub(super) enum FromSource<'a> {
    /// A stage of this file.
    Stage(&'a StageModel),
    /// An index that names no stage.
    BadIndex,
    /// An image reference.
    Image,
}

/// Looks up a `--from` value (taken literally: BuildKit does not expand it).
pub(super) fn from_source<'a>(
    cx: &LintContext<'a>,
    value: &str,
    allow_index: bool,
) -> FromSource<'a> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if allow_index && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match value
            .parse::<i64>()
            .ok()
            .and_then(|n| usize::try_from(n).ok())
        {
            Some(n) => cx
                .stages()
                .get(n)
                .map_or(FromSource::BadIndex, FromSource::Stage),
            None => FromSource::BadIndex,
        };
    }
    let lower = value.to_ascii_lowercase();
    match cx
        .stages()
        .iter()
        .find(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        Some(stage) => FromSource::Stage(stage),
        None => FromSource::Image,
    }
}

/// Every `--from` of the file: the instruction, the value, and whether it
/// is a `COPY --from` (else a `RUN --mount from=`).
pub(super) fn from_references<'a>(
    cx: &LintContext<'a>,
) -> impl Iterator<Item = (&'a Instruction, &'a str, bool)> + 'a {
    cx.instructions().flat_map(|instruction| {
        let copy = match instruction.kind() {
            Some(CommandKind::Copy(c)) => c.from.as_deref().filter(|f| !f.is_empty()),
            _ => None,
        };
        let mounts = instruction
            .run
            .iter()
            .flat_map(|r| r.mounts.iter())
            .filter_map(|m| m.from.as_deref().filter(|f| !f.is_empty()));
        copy.map(|f| (instruction, f, true))
            .into_iter()
            .chain(mounts.map(move |f| (instruction, f, false)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shell::{Script, ScriptKind};

    proptest::proptest! {
        /// The copy-free search finds what searching a lower-cased copy
        /// finds, at the same byte offset.
        #[test]
        fn case_blind_search_is_a_lower_cased_find(
            hay in "[aAsSyY:=é -]{0,24}",
            needle in "[asy:-]{0,4}",
        ) {
            proptest::prop_assert_eq!(
                find_ignore_ascii_case(&hay, &needle),
                hay.to_ascii_lowercase().find(needle.as_str())
            );
        }
    }

    fn first(text: &str) -> SimpleCommand {
        Script::parse(text, ScriptKind::Shell)
            .commands
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no command in {text}"))
    }

    #[test]
    fn chains_see_through_wrappers() {
        assert_eq!(
            program_chain(&first("sudo -E apt install x")),
            ["sudo", "apt"]
        );
        assert_eq!(
            program_chain(&first("env -u X A=1 B=2 /usr/bin/sudo -u me vim")),
            ["env", "sudo", "vim"]
        );
        assert_eq!(program_chain(&first("gosu app ps aux")), ["gosu", "ps"]);
        assert_eq!(program_chain(&first("ls -l")), ["ls"]);
    }

    #[test]
    fn deletions() {
        let d = |t: &str| deletes(&first(t), "/var/lib/apt/lists");
        assert!(d("rm -rf /var/lib/apt/lists/*"));
        assert!(d("rm -rf /var/lib/apt/lists"));
        assert!(d("rm -fr /tmp/* /var/lib/apt/lists/"));
        assert!(d("sudo rm -rf /var/lib/apt/*"));
        assert!(d("find /var/lib/apt/lists -type f -delete"));
        assert!(!d("rm -rf /var/lib/apt/lists/partial"));
        assert!(!d("rm -rf /tmp/*"));
        assert!(!d("ls /var/lib/apt/lists"));
    }
}
