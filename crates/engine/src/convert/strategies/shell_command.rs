//! Whether the container's start command runs a shell, and what the shell
//! runs: exec-form `sh -c SCRIPT` (any common shell, by path or through
//! `env`, with flags such as `-e` or `-ex` before `-c`, behind `tini` or
//! `dumb-init`), `ENTRYPOINT ["/bin/sh", "-c"]` whose script is the `CMD`,
//! a shell run on a script file (`["sh", "start.sh"]`), and a shell-form
//! command that uses shell features (`CMD /app --port $PORT`). Every
//! strategy asks here, so that a runtime image without a shell is never
//! given such a command, a moved path is rewritten inside the script, and
//! the program is found inside the script.

use super::common::{command_words, exec_form};
use super::cpp::replace_word;
use super::jvm_support::{base_name, without_exec};
use crate::convert::context::ConvertContext;
use crate::dockerfile::Keyword;
use crate::model::Instruction;
use crate::model::shell::{Script, ScriptKind, SimpleCommand};

/// Programs that run a shell script.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// Programs that start the command after them (with their own flags and
/// an optional `--`).
const WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit"];

/// Shell builtins and helpers that are not the program a script starts.
const NOT_PROGRAMS: &[&str] = &[
    "set", "export", "cd", "echo", "printf", "true", "false", ":", "test", "[", "[[", "sleep",
    "trap", "umask", "ulimit", "source", ".", "wait", "exit", "unset", "shift", "mkdir",
];

/// A start command that runs a shell.
#[derive(Debug, Clone)]
pub struct ShellStart<'a> {
    /// The instruction whose text holds the script (the `CMD` for
    /// `ENTRYPOINT ["/bin/sh", "-c"]` with `CMD ["script"]`).
    pub instruction: &'a Instruction,
    /// The line of the instruction that starts the shell.
    pub line: usize,
    /// Whether the command starts the shell itself (exec form), not Docker
    /// for a shell-form command.
    pub exec: bool,
    /// The command from the shell on, for messages (`sh -c /app --port $PORT`).
    pub shown: String,
    /// The script as the shell reads it (empty for a shell run on a file).
    pub script: String,
    /// The script's simple commands (none for a shell run on a file).
    pub commands: Vec<SimpleCommand>,
}

impl ShellStart<'_> {
    /// The program the script starts: the first command of its last
    /// pipeline that runs one that is not a builtin or a helper (`exec`
    /// removed), when one is named.
    pub fn program(&self) -> Option<SimpleCommand> {
        let programs = self.programs();
        let last = programs.last()?.pipeline;
        programs.into_iter().find(|c| c.pipeline == last)
    }

    /// Every command of the script that runs a program (not a builtin or
    /// a helper), `exec` removed, in order.
    pub fn programs(&self) -> Vec<SimpleCommand> {
        self.commands
            .iter()
            .filter(|c| !c.nested)
            .filter_map(without_exec)
            .filter(|c| {
                !c.name.is_empty()
                    && !c.name.starts_with('$')
                    && !NOT_PROGRAMS.contains(&c.base_name())
            })
            .collect()
    }

    /// Why a runtime image without a shell (`image`: `distroless`,
    /// `scratch`) cannot run the command, naming the line and the command,
    /// with the option to use instead (`advice`: `use --runtime auto`).
    pub fn refusal(&self, image: &str, advice: &str) -> String {
        if self.exec {
            format!(
                "line {}: the command runs a shell (`{}`), and {image} has none; {advice}",
                self.line, self.shown
            )
        } else {
            format!(
                "line {}: the command uses shell features (`{}`), and {image} has no shell; {advice}",
                self.line, self.shown
            )
        }
    }

    /// What the command needs a shell for, for an assumption: `the command
    /// runs a shell (`sh -c …`)` or `the command uses shell features (…)`.
    pub fn describe(&self) -> String {
        if self.exec {
            format!(
                "line {}: the command runs a shell (`{}`)",
                self.line, self.shown
            )
        } else {
            format!(
                "line {}: the command uses shell features (`{}`), which need a shell",
                self.line, self.shown
            )
        }
    }

    /// Whether `i` is the instruction that starts the shell or holds its
    /// script.
    pub fn involves(&self, i: &Instruction) -> bool {
        i.node == self.instruction.node || i.start_line == self.line
    }

    /// `text` (the holder's instruction as written) with every word of the
    /// script that `moved` maps to a new path replaced in place, the rest
    /// kept byte for byte; `None` when nothing moved.
    pub fn rewrite(&self, text: &str, moved: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let mut out = text.to_string();
        let mut changed = false;
        let mut seen: Vec<&str> = Vec::new();
        for c in &self.commands {
            for word in std::iter::once(&c.name).chain(&c.args) {
                if seen.contains(&word.as_str()) {
                    continue;
                }
                seen.push(word);
                if let Some(new) = moved(word).filter(|n| !n.contains(['"', '\\']))
                    && let Some(t) = replace_word(&out, word, &new)
                {
                    out = t;
                    changed = true;
                }
            }
        }
        changed.then_some(out)
    }
}

/// In exec-form words, where a shell starts and where its script is:
/// `(shell, Some(script))` for `sh -c SCRIPT` (the script index may be the
/// length of the words when `-c` ends them), `(shell, None)` for a shell
/// run on a file. `env` with its options and assignments, and wrappers
/// (`tini --`), may come first.
pub fn shell_at(words: &[String]) -> Option<(usize, Option<usize>)> {
    let mut at = after_wrappers(words);
    if !SHELLS.contains(&base_name(words.get(at)?)) {
        return None;
    }
    let shell = at;
    at += 1;
    while let Some(w) = words.get(at) {
        at += 1;
        if w == "-o" || w == "+o" {
            at += 1;
            continue;
        }
        match w.strip_prefix('-') {
            Some(flags) if !flags.starts_with('-') && flags.contains('c') => {
                return Some((shell, Some(at)));
            }
            Some(_) => {}
            None if w.starts_with('+') => {}
            None => break,
        }
    }
    Some((shell, None))
}

/// The shell the stage's start command (its last `ENTRYPOINT` and `CMD`)
/// runs, if it runs one. A shell-form command runs one only when it uses
/// shell features: plain words are turned into exec form.
pub fn of_stage<'a>(cx: &ConvertContext<'a>) -> Option<ShellStart<'a>> {
    let entry = cx.last(Keyword::Entrypoint);
    let cmd = cx.last(Keyword::Cmd);
    let mut parts: Vec<(&Instruction, Vec<String>)> = Vec::new();
    if let Some(e) = entry {
        let (words, shell_form) = command_words(cx, e);
        if shell_form {
            return shell_form_start(e, &words);
        }
        let wraps_only = after_wrappers(&words) == words.len();
        parts.push((e, words));
        if let Some(c) = cmd {
            let (words, shell_form) = command_words(cx, c);
            // A shell-form CMD is `/bin/sh -c` text after the ENTRYPOINT:
            // the shell runs when the ENTRYPOINT only wraps.
            if shell_form {
                return if wraps_only {
                    shell_form_start(c, &words)
                } else {
                    None
                };
            }
            parts.push((c, words));
        }
    } else {
        let c = cmd?;
        let (words, shell_form) = command_words(cx, c);
        if shell_form {
            return shell_form_start(c, &words);
        }
        parts.push((c, words));
    }
    let combined: Vec<String> = parts.iter().flat_map(|(_, w)| w.clone()).collect();
    let (shell, script) = shell_at(&combined)?;
    let holder = |index: usize| {
        let mut start = 0;
        for (i, words) in &parts {
            if index < start + words.len() {
                return Some(*i);
            }
            start += words.len();
        }
        None
    };
    let shell_instruction = holder(shell)?;
    let script_text = script.and_then(|k| combined.get(k));
    let instruction = script
        .and_then(holder)
        .filter(|_| script_text.is_some())
        .unwrap_or(shell_instruction);
    Some(ShellStart {
        instruction,
        line: shell_instruction.start_line,
        exec: true,
        shown: combined.get(shell..).unwrap_or_default().join(" "),
        commands: script_text
            .map(|s| Script::parse(s, ScriptKind::Shell).commands)
            .unwrap_or_default(),
        script: script_text.cloned().unwrap_or_default(),
    })
}

/// Where the words after `env` and wrappers start.
fn after_wrappers(words: &[String]) -> usize {
    let mut at = 0;
    while let Some(w) = words.get(at) {
        let name = base_name(w);
        if !(name == "env" || WRAPPERS.contains(&name)) {
            break;
        }
        at += 1;
        while words
            .get(at)
            .is_some_and(|w| w.starts_with('-') || (name == "env" && w.contains('=')))
        {
            at += 1;
        }
    }
    at
}

/// A shell-form command that needs Docker's `/bin/sh -c`: one with shell
/// features, which exec form cannot hold.
fn shell_form_start<'a>(i: &'a Instruction, words: &[String]) -> Option<ShellStart<'a>> {
    if words.is_empty() || exec_form(words).is_some() {
        return None;
    }
    let text = words.join(" ");
    Some(ShellStart {
        instruction: i,
        line: i.start_line,
        exec: false,
        commands: Script::parse(&text, ScriptKind::Shell).commands,
        script: text.clone(),
        shown: text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::ConvertOptions;

    /// What the recogniser says of a stage's start command: whether the
    /// shell is started in exec form, the line that starts it, the line
    /// holding the script, and the program the script runs.
    type Seen = Option<(bool, usize, usize, Option<String>)>;

    /// [`Seen`] for a stage of `lines` after a `FROM`.
    fn shell(lines: &str) -> Seen {
        let text = format!("FROM debian:bookworm\n{lines}\n");
        let doc = crate::dockerfile::parse(&text).expect("parses");
        let model = crate::model::Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        of_stage(&cx).map(|s| {
            (
                s.exec,
                s.line,
                s.instruction.start_line,
                s.program().map(|p| p.name),
            )
        })
    }

    #[test]
    fn recognises_the_shapes_that_run_a_shell_and_their_program() {
        let app = Some("/app".to_string());
        let cases: &[(&str, Seen)] = &[
            // Exec-form shells, by name, path or through env, with flags.
            (
                r#"CMD ["sh", "-c", "/app --port $PORT"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["bash", "-c", "exec /app"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["/bin/ash", "-ec", "/app"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["dash", "-e", "-c", "/app"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["/bin/bash", "-o", "pipefail", "-c", "/app | tee log"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["/usr/bin/env", "sh", "-c", "/app"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["env", "A=1", "sh", "-c", "/app"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"ENTRYPOINT ["tini", "--"]
CMD ["sh", "-c", "/app"]"#,
                Some((true, 3, 3, app.clone())),
            ),
            // The script is the CMD of an ENTRYPOINT that ends in -c.
            (
                r#"ENTRYPOINT ["/bin/sh", "-c"]
CMD ["/app --port $PORT"]"#,
                Some((true, 2, 3, app.clone())),
            ),
            (r#"ENTRYPOINT ["/bin/sh", "-c"]"#, Some((true, 2, 2, None))),
            // Builtins and helpers before the program; quotes are read by the parser.
            (
                r#"CMD ["sh", "-c", "set -e; cd /srv && mkdir -p /data && exec '/app' --name 'a b'"]"#,
                Some((true, 2, 2, app.clone())),
            ),
            (
                r#"CMD ["sh", "-c", "./migrate && ./server"]"#,
                Some((true, 2, 2, Some("./server".into()))),
            ),
            // A shell run on a file.
            (r#"CMD ["sh", "start.sh"]"#, Some((true, 2, 2, None))),
            // Shell form with shell features.
            ("CMD /app --port $PORT", Some((false, 2, 2, app.clone()))),
            (
                "ENTRYPOINT /app --port $PORT\nCMD [\"x\"]",
                Some((false, 2, 2, app.clone())),
            ),
            (
                "ENTRYPOINT [\"tini\", \"--\"]\nCMD /app > /log",
                Some((false, 3, 3, app.clone())),
            ),
            // Not a shell.
            ("CMD /app --port 8080", None),
            (r#"CMD ["/app", "--port", "8080"]"#, None),
            (r#"CMD ["/app", "sh", "-c", "x"]"#, None),
            (
                r#"ENTRYPOINT ["/app"]
CMD ["sh", "-c", "x"]"#,
                None,
            ),
            ("ENTRYPOINT [\"/app\"]\nCMD --port $PORT", None),
            (
                r#"CMD ["bash", "--norc", "script.sh"]"#,
                Some((true, 2, 2, None)),
            ),
            ("", None),
        ];
        for (lines, expected) in cases {
            assert_eq!(&shell(lines), expected, "{lines}");
        }
    }

    #[test]
    fn rewrites_a_moved_path_inside_the_script_only() {
        let text = "FROM rust:1\nWORKDIR /app\nCMD [\"sh\",\"-c\",\"/app/target/release/app --port $PORT && echo /app/target/release/app-old\"]\n";
        let doc = crate::dockerfile::parse(text).expect("parses");
        let model = crate::model::Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        let s = of_stage(&cx).expect("a shell");
        let moved =
            |w: &str| (w == "/app/target/release/app").then(|| "/usr/local/bin/app".to_string());
        let original = "CMD [\"sh\",\"-c\",\"/app/target/release/app --port $PORT && echo /app/target/release/app-old\"]";
        assert_eq!(
            s.rewrite(original, &moved).as_deref(),
            Some(
                "CMD [\"sh\",\"-c\",\"/usr/local/bin/app --port $PORT && echo /app/target/release/app-old\"]"
            )
        );
        assert_eq!(s.rewrite(original, &|_| None), None);
    }
}
