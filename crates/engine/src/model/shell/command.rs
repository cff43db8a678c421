//! One simple command of a shell script, with hadolint-style flag helpers.

use std::sync::OnceLock;

use serde::Serialize;

use crate::model::tools::Tool;

/// A simple command: `NAME=value cmd arg1 arg2`, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimpleCommand {
    /// The command word (`apt-get`, `/usr/bin/pip3`), empty when the
    /// command only assigns variables.
    pub name: String,
    /// Its arguments, quotes removed, variables left as written.
    pub args: Vec<String>,
    /// `NAME=value` assignments before the command.
    pub assignments: Vec<(String, String)>,
    /// Index of the pipeline it belongs to within its script (commands
    /// joined by `|` share it).
    pub pipeline: usize,
    /// Whether it is one of several commands joined by `|`.
    pub piped: bool,
    /// Whether it came from a nested script (`sh -c '...'`).
    pub nested: bool,
    /// The tool it runs, recognised on first use
    /// ([`recognise`](crate::model::tools::recognise)) and kept: every rule
    /// asks, so recognition runs once per command, not once per rule.
    #[serde(skip)]
    pub recognition: RecognitionMemo,
}

/// What [`recognise`](crate::model::tools::recognise) found for a command,
/// computed on first use. It is derived data: it never takes part in
/// comparisons, and a clone starts empty (a clone is often edited, and
/// must not keep what the original was recognised as).
#[derive(Debug, Default)]
pub struct RecognitionMemo(pub(crate) OnceLock<Option<Recognised>>);

/// A recognised tool and, when wrappers were stripped, the tool's own
/// command line.
#[derive(Debug)]
pub(crate) struct Recognised {
    pub(crate) tool: Tool,
    pub(crate) unwrapped: Option<Box<SimpleCommand>>,
    /// Indexes of the tool's positional arguments in its own command
    /// line's `args` (every rule asks for them; worked out once).
    pub(crate) positional: Vec<usize>,
}

impl Clone for RecognitionMemo {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for RecognitionMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RecognitionMemo {}

/// One flag of a command, hadolint style: `--foo=bar` is `foo`, `-abc` is
/// `a`, `b` and `c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag<'a> {
    /// The flag name without dashes.
    pub name: &'a str,
    /// An attached value (`--foo=bar`, or the rest of `-ofile` is not split).
    pub value: Option<&'a str>,
    /// Index of the argument it came from.
    pub arg: usize,
}

impl SimpleCommand {
    /// The command name without a directory (`/usr/bin/pip3` → `pip3`).
    pub fn base_name(&self) -> &str {
        crate::model::last_segment(&self.name)
    }

    /// Whether the command is `name` (by base name).
    pub fn is(&self, name: &str) -> bool {
        self.base_name() == name
    }

    /// The flags before a `--` argument.
    pub fn flags(&self) -> Vec<Flag<'_>> {
        let mut out = Vec::new();
        for (i, arg) in self.args.iter().enumerate() {
            if arg == "--" {
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (long, None),
                };
                out.push(Flag {
                    name,
                    value,
                    arg: i,
                });
            } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                for (j, c) in short.char_indices() {
                    out.push(Flag {
                        name: short.get(j..j + c.len_utf8()).unwrap_or_default(),
                        value: None,
                        arg: i,
                    });
                }
            }
        }
        out
    }

    /// Whether any of `names` is given as a flag (`y` matches `-y` and
    /// `-qy`; `yes` matches `--yes` and `--yes=...`).
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.flags().iter().any(|f| names.contains(&f.name))
    }

    /// How many times any of `names` is given (`-q -q` and `-qq` count 2).
    pub fn count_flag(&self, names: &[&str]) -> usize {
        self.flags()
            .iter()
            .filter(|f| names.contains(&f.name))
            .count()
    }

    /// The value of a flag: `--name=value`, `--name value`, `-n value` or
    /// `-nvalue` for a one-letter name.
    pub fn flag_value(&self, names: &[&str]) -> Option<&str> {
        let mut args = self.args.iter().peekable();
        while let Some(arg) = args.next() {
            if arg == "--" {
                return None;
            }
            if let Some(long) = arg.strip_prefix("--") {
                if let Some((n, v)) = long.split_once('=') {
                    if names.contains(&n) {
                        return Some(v);
                    }
                } else if names.contains(&long) {
                    return args.peek().map(|s| s.as_str());
                }
            } else if let Some(short) = arg.strip_prefix('-') {
                let mut chars = short.chars();
                if let Some(first) = chars.next() {
                    let rest = chars.as_str();
                    if names
                        .iter()
                        .any(|n| n.len() == first.len_utf8() && n.starts_with(first))
                    {
                        return if rest.is_empty() {
                            args.peek().map(|s| s.as_str())
                        } else {
                            Some(rest.trim_start_matches('='))
                        };
                    }
                }
            }
        }
        None
    }

    /// Arguments that are not flags, skipping the separate values of the
    /// flags in `value_flags` (names without dashes, e.g. `o`, `target`).
    /// Everything after `--` is positional.
    pub fn positional(&self, value_flags: &[&str]) -> Vec<&str> {
        self.positional_indexes(value_flags)
            .into_iter()
            .filter_map(|i| self.args.get(i).map(String::as_str))
            .collect()
    }

    /// Where [`positional`](Self::positional)'s arguments are in `args`.
    pub(crate) fn positional_indexes(&self, value_flags: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut args = self.args.iter().enumerate();
        while let Some((i, arg)) = args.next() {
            if arg == "--" {
                out.extend(args.map(|(i, _)| i));
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                if !long.contains('=') && value_flags.contains(&long) {
                    args.next();
                }
            } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
                // `-o file` takes the next word when the last letter takes a value;
                // `-ofile` carries it.
                let last = short
                    .char_indices()
                    .last()
                    .and_then(|(at, _)| short.get(at..))
                    .unwrap_or_default();
                let single = short.chars().nth(1).is_none();
                let bundle = !single
                    && short.chars().all(|c| c.is_ascii_alphabetic())
                    && !value_flags.contains(&short.get(..1).unwrap_or_default());
                if value_flags.contains(&last) && (single || bundle) {
                    args.next();
                }
            } else {
                out.push(i);
            }
        }
        out
    }

    /// The command line as one string (name and arguments).
    pub fn line(&self) -> String {
        self.shown().to_string()
    }

    /// The command line (name and arguments) for `format!`: nothing is
    /// built until it is written.
    pub fn shown(&self) -> impl std::fmt::Display + '_ {
        Shown(self)
    }
}

/// [`SimpleCommand::shown`].
struct Shown<'a>(&'a SimpleCommand);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.name)?;
        for a in &self.0.args {
            f.write_str(" ")?;
            f.write_str(a)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(words: &[&str]) -> SimpleCommand {
        SimpleCommand {
            name: words.first().map(|s| s.to_string()).unwrap_or_default(),
            args: words.iter().skip(1).map(|s| s.to_string()).collect(),
            assignments: Vec::new(),
            pipeline: 0,
            piped: false,
            nested: false,
            recognition: RecognitionMemo::default(),
        }
    }

    #[test]
    fn base_names_drop_the_directory() {
        for (name, base) in [
            ("apt-get", "apt-get"),
            ("/usr/bin/pip3", "pip3"),
            ("./gradlew", "gradlew"),
            ("dir/", ""),
            ("/", ""),
            ("", ""),
            ("/opt/é/ünïcode", "ünïcode"),
        ] {
            assert_eq!(cmd(&[name]).base_name(), base, "{name}");
        }
    }

    #[test]
    fn flags_like_hadolint() {
        let c = cmd(&[
            "apt-get",
            "install",
            "-qy",
            "--no-install-recommends",
            "--opt=1",
            "pkg",
            "--",
            "-x",
        ]);
        let names: Vec<_> = c.flags().iter().map(|f| f.name).collect();
        assert_eq!(names, ["q", "y", "no-install-recommends", "opt"]);
        assert!(c.has_flag(&["y", "yes"]));
        assert!(!c.has_flag(&["x"]));
        assert_eq!(cmd(&["apt-get", "-q", "-q", "x"]).count_flag(&["q"]), 2);
        assert_eq!(cmd(&["apt-get", "-qq"]).count_flag(&["q"]), 2);
    }

    #[test]
    fn values_and_positionals() {
        let c = cmd(&[
            "apt-get",
            "install",
            "-t",
            "buster-backports",
            "-o",
            "A=1",
            "curl",
            "--target-release=x",
            "git",
        ]);
        assert_eq!(
            c.positional(&["t", "target-release", "o"]),
            ["install", "curl", "git"]
        );
        assert_eq!(
            c.flag_value(&["t", "target-release"]),
            Some("buster-backports")
        );
        let c = cmd(&["wget", "-O/tmp/x", "--progress=dot:giga", "https://x"]);
        assert_eq!(c.flag_value(&["O"]), Some("/tmp/x"));
        assert_eq!(c.flag_value(&["progress"]), Some("dot:giga"));
        assert_eq!(c.positional(&["O"]), ["https://x"]);
        let c = cmd(&["useradd", "-lu", "1000", "app"]);
        assert_eq!(c.positional(&["u"]), ["app"]);
    }
}
