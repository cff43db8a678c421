//! Recognised commands: package managers, build tools, downloaders and
//! user management, with the flags that take a value, so that rules can
//! tell packages from option values.

use serde::Serialize;

use super::shell::{Recognised, SimpleCommand};

const _: () = assert!(
    (Tool::Adduser as u32) < 32,
    "Tool::bit needs fewer than 32 tools"
);

/// A tool restage knows the command line of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Tool {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Dnf,
    Yum,
    Microdnf,
    Zypper,
    Pip,
    Pipenv,
    Poetry,
    Uv,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Bundle,
    Go,
    Cargo,
    Composer,
    Dotnet,
    Maven,
    Gradle,
    Curl,
    Wget,
    Useradd,
    Adduser,
}

impl Tool {
    /// The tool's bit in a set of tools kept as a `u32` (there are fewer
    /// than 32 tools).
    pub const fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The tool a command name invokes (`/usr/bin/pip3.11` → pip).
    pub fn from_name(name: &str) -> Option<Self> {
        let base = name.rsplit('/').next().unwrap_or(name);
        Some(match base {
            "apt-get" => Self::AptGet,
            "apt" => Self::Apt,
            "aptitude" => Self::Aptitude,
            "apk" => Self::Apk,
            "dnf" | "dnf5" => Self::Dnf,
            "yum" => Self::Yum,
            "microdnf" => Self::Microdnf,
            "zypper" => Self::Zypper,
            "pipenv" => Self::Pipenv,
            "poetry" => Self::Poetry,
            "uv" => Self::Uv,
            "npm" => Self::Npm,
            "yarn" | "yarnpkg" => Self::Yarn,
            "pnpm" => Self::Pnpm,
            "gem" => Self::Gem,
            "bundle" | "bundler" => Self::Bundle,
            "go" => Self::Go,
            "cargo" => Self::Cargo,
            "composer" | "composer.phar" => Self::Composer,
            "dotnet" => Self::Dotnet,
            "mvn" | "mvnw" => Self::Maven,
            "gradle" | "gradlew" => Self::Gradle,
            "curl" => Self::Curl,
            "wget" => Self::Wget,
            "useradd" => Self::Useradd,
            "adduser" => Self::Adduser,
            b if is_pip(b) => Self::Pip,
            _ => return None,
        })
    }

    /// Flags (names without dashes) whose value can be the next word, so
    /// that the value is not taken for a package or path.
    pub fn value_flags(self) -> &'static [&'static str] {
        match self {
            Self::AptGet | Self::Apt | Self::Aptitude => &[
                "o",
                "option",
                "c",
                "config-file",
                "t",
                "target-release",
                "default-release",
            ],
            Self::Apk => &[
                "X",
                "repository",
                "t",
                "virtual",
                "p",
                "root",
                "repositories-file",
                "keys-dir",
                "cache-dir",
                "arch",
            ],
            Self::Dnf | Self::Yum | Self::Microdnf => &[
                "x",
                "exclude",
                "releasever",
                "installroot",
                "c",
                "config",
                "repo",
                "repoid",
                "repofrompath",
                "d",
                "debuglevel",
                "e",
                "errorlevel",
                "disablerepo",
                "enablerepo",
                "setopt",
                "nodocs-x",
                "forcearch",
                "downloaddir",
                "destdir",
                "setopt",
            ],
            Self::Zypper => &[
                "r",
                "repo",
                "from",
                "t",
                "type",
                "c",
                "config",
                "root",
                "R",
                "reposd-root",
            ],
            Self::Pip => &[
                "r",
                "requirement",
                "c",
                "constraint",
                "e",
                "editable",
                "i",
                "index-url",
                "extra-index-url",
                "f",
                "find-links",
                "t",
                "target",
                "prefix",
                "root",
                "src",
                "upgrade-strategy",
                "progress-bar",
                "cache-dir",
                "trusted-host",
                "platform",
                "python-version",
                "implementation",
                "abi",
                "no-binary",
                "only-binary",
                "log",
                "proxy",
                "retries",
                "timeout",
                "exists-action",
                "cert",
                "client-cert",
                "global-option",
                "install-option",
                "C",
                "config-settings",
                "root-user-action",
                "report",
                "python",
                "python-path",
            ],
            Self::Pipenv => &["python", "pypi-mirror", "categories", "r", "requirements"],
            Self::Poetry => &[
                "with",
                "without",
                "only",
                "E",
                "extras",
                "C",
                "directory",
                "P",
                "project",
                "group",
                "G",
            ],
            Self::Uv => &[
                "r",
                "requirement",
                "c",
                "constraint",
                "i",
                "index-url",
                "extra-index-url",
                "f",
                "find-links",
                "p",
                "python",
                "target",
                "prefix",
                "index",
                "default-index",
                "group",
                "extra",
                "cache-dir",
                "directory",
                "project",
                "only-group",
                "no-group",
            ],
            Self::Npm => &[
                "loglevel",
                "registry",
                "prefix",
                "w",
                "workspace",
                "omit",
                "include",
                "cache",
                "userconfig",
                "tag",
                "C",
            ],
            Self::Yarn => &[
                "cwd",
                "modules-folder",
                "cache-folder",
                "network-timeout",
                "registry",
                "mutex",
                "network-concurrency",
            ],
            Self::Pnpm => &[
                "filter",
                "F",
                "dir",
                "C",
                "store-dir",
                "reporter",
                "registry",
                "config",
            ],
            Self::Gem => &[
                "v",
                "version",
                "i",
                "install-dir",
                "n",
                "bindir",
                "s",
                "source",
                "platform",
                "P",
                "trust-policy",
                "g",
                "file",
                "build-root",
            ],
            Self::Bundle => &[
                "path",
                "without",
                "with",
                "jobs",
                "j",
                "retry",
                "gemfile",
                "binstubs",
                "deployment-path",
            ],
            Self::Go => &[
                "o",
                "C",
                "p",
                "tags",
                "ldflags",
                "gcflags",
                "mod",
                "modfile",
                "overlay",
                "pgo",
                "asmflags",
                "buildmode",
                "compiler",
                "gccgoflags",
                "installsuffix",
                "pkgdir",
                "toolexec",
                "exec",
                "coverpkg",
                "covermode",
                "run",
                "bench",
                "timeout",
                "count",
            ],
            Self::Cargo => &[
                "p",
                "package",
                "bin",
                "example",
                "test",
                "bench",
                "F",
                "features",
                "target",
                "target-dir",
                "profile",
                "j",
                "jobs",
                "manifest-path",
                "config",
                "Z",
                "root",
                "version",
                "git",
                "branch",
                "tag",
                "rev",
                "path",
                "index",
                "registry",
                "color",
                "exclude",
            ],
            Self::Composer => &[
                "d",
                "working-dir",
                "a",
                "apcu-autoloader-prefix",
                "ignore-platform-req",
            ],
            Self::Dotnet => &[
                "c",
                "configuration",
                "o",
                "output",
                "r",
                "runtime",
                "f",
                "framework",
                "s",
                "source",
                "a",
                "arch",
                "os",
                "v",
                "verbosity",
                "p",
                "property",
            ],
            Self::Maven => &[
                "f",
                "file",
                "P",
                "activate-profiles",
                "pl",
                "projects",
                "s",
                "settings",
                "gs",
                "global-settings",
                "T",
                "threads",
                "rf",
                "resume-from",
                "l",
                "log-file",
                "t",
                "toolchains",
            ],
            Self::Gradle => &[
                "p",
                "project-dir",
                "x",
                "exclude-task",
                "b",
                "build-file",
                "c",
                "settings-file",
                "g",
                "gradle-user-home",
                "I",
                "init-script",
                "console",
                "warning-mode",
                "max-workers",
            ],
            Self::Curl => &[
                "o",
                "output",
                "H",
                "header",
                "d",
                "data",
                "data-raw",
                "data-binary",
                "data-urlencode",
                "u",
                "user",
                "X",
                "request",
                "A",
                "user-agent",
                "e",
                "referer",
                "T",
                "upload-file",
                "x",
                "proxy",
                "w",
                "write-out",
                "b",
                "cookie",
                "c",
                "cookie-jar",
                "F",
                "form",
                "retry",
                "retry-delay",
                "retry-max-time",
                "connect-timeout",
                "m",
                "max-time",
                "cacert",
                "capath",
                "cert",
                "E",
                "key",
                "K",
                "config",
                "url",
                "C",
                "continue-at",
                "r",
                "range",
                "y",
                "speed-time",
                "Y",
                "speed-limit",
                "z",
                "time-cond",
                "proto",
                "proto-default",
                "resolve",
                "limit-rate",
                "output-dir",
                "create-file-mode",
                "tlsv1.2",
            ],
            Self::Wget => &[
                "O",
                "output-document",
                "o",
                "output-file",
                "a",
                "append-output",
                "P",
                "directory-prefix",
                "t",
                "tries",
                "T",
                "timeout",
                "U",
                "user-agent",
                "header",
                "user",
                "password",
                "e",
                "execute",
                "i",
                "input-file",
                "B",
                "base",
                "w",
                "wait",
                "ca-certificate",
                "ca-directory",
                "certificate",
                "Q",
                "quota",
            ],
            Self::Useradd => &[
                "u",
                "uid",
                "g",
                "gid",
                "G",
                "groups",
                "d",
                "home-dir",
                "s",
                "shell",
                "c",
                "comment",
                "e",
                "expiredate",
                "f",
                "inactive",
                "k",
                "skel",
                "K",
                "key",
                "p",
                "password",
                "R",
                "root",
                "P",
                "prefix",
                "Z",
                "selinux-user",
                "b",
                "base-dir",
            ],
            Self::Adduser => &[
                "u", "uid", "gid", "G", "home", "h", "s", "shell", "gecos", "g", "ingroup", "k",
                "conf", "firstuid", "lastuid", "comment", "c",
            ],
        }
    }

    /// Whether the tool installs packages from a repository.
    pub fn is_package_manager(self) -> bool {
        !matches!(
            self,
            Self::Curl | Self::Wget | Self::Useradd | Self::Adduser
        )
    }
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// One invocation of a recognised tool, wrappers removed (`sudo`, `env`,
/// `xargs`, `python -m pip`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation<'a> {
    /// The tool.
    pub tool: Tool,
    /// The command as it appears in the script.
    pub command: &'a SimpleCommand,
    /// The tool's own command line: name and arguments after any wrapper.
    pub line: &'a SimpleCommand,
    /// Where the positional arguments are in `line.args`.
    positional: &'a [usize],
}

impl Invocation<'_> {
    /// The arguments that are not flags or flag values.
    pub fn positional(&self) -> Vec<&str> {
        self.positional_args().collect()
    }

    /// The first positional argument (`install` in `apt-get -y install x`).
    pub fn subcommand(&self) -> Option<&str> {
        self.positional_args().next()
    }

    /// Positional arguments after the subcommand (packages, usually).
    pub fn operands(&self) -> Vec<&str> {
        self.positional_args().skip(1).collect()
    }

    /// The positional arguments, in order.
    fn positional_args(&self) -> impl Iterator<Item = &str> {
        self.positional
            .iter()
            .filter_map(|&i| self.line.args.get(i).map(String::as_str))
    }

    /// Whether any of `names` is given as a flag.
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.line.has_flag(names)
    }

    /// The value of a flag.
    pub fn flag_value(&self, names: &[&str]) -> Option<&str> {
        self.line.flag_value(names)
    }
}

/// Recognises the tool a command runs, looking through wrappers. The
/// answer is computed once per command and kept in it.
pub fn recognise(command: &SimpleCommand) -> Option<Invocation<'_>> {
    let found = command
        .recognition
        .0
        .get_or_init(|| recognise_uncached(command));
    let found = found.as_ref()?;
    Some(Invocation {
        tool: found.tool,
        command,
        line: found.unwrapped.as_deref().unwrap_or(command),
        positional: &found.positional,
    })
}

/// The work behind [`recognise`].
fn recognise_uncached(command: &SimpleCommand) -> Option<Recognised> {
    let mut words: Vec<&str> = std::iter::once(command.name.as_str())
        .chain(command.args.iter().map(String::as_str))
        .collect();
    // Strip wrappers; each strips its own options.
    for _ in 0..8 {
        let first = words.first().copied()?;
        let base = first.rsplit('/').next().unwrap_or(first);
        let skip = match base {
            "sudo" => skip_options(
                &words,
                &["u", "g", "h", "p", "C", "D", "r", "t", "U", "user", "group"],
            ),
            "env" => {
                let mut i =
                    skip_options(&words, &["u", "unset", "C", "chdir", "S", "split-string"]);
                while words
                    .get(i)
                    .is_some_and(|w| w.contains('=') && !w.starts_with('-'))
                {
                    i += 1;
                }
                i
            }
            "nice" => skip_options(&words, &["n", "adjustment"]),
            "xargs" => skip_options(
                &words,
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
            "command" | "exec" | "nohup" | "time" | "stdbuf" | "eatmydata" | "chroot" => {
                skip_options(&words, &["o", "i", "e"])
            }
            b if is_python(b) => {
                // python -m pip ...
                match (words.get(1).copied(), words.get(2).copied()) {
                    (Some("-m"), Some(m)) if is_pip(m) => {
                        let rest: Vec<String> =
                            words.iter().skip(3).map(|s| s.to_string()).collect();
                        let line = SimpleCommand {
                            name: "pip".into(),
                            args: rest,
                            ..command.clone()
                        };
                        return Some(Recognised {
                            tool: Tool::Pip,
                            positional: line.positional_indexes(Tool::Pip.value_flags()),
                            unwrapped: Some(Box::new(line)),
                        });
                    }
                    _ => return None,
                }
            }
            _ => 0,
        };
        if skip == 0 {
            break;
        }
        words = words.split_off(skip.min(words.len()));
    }
    let (name, args) = words.split_first()?;
    let tool = Tool::from_name(name)?;
    let unwrapped = (args.len() != command.args.len()).then(|| {
        Box::new(SimpleCommand {
            name: name.to_string(),
            args: args.iter().map(|s| s.to_string()).collect(),
            ..command.clone()
        })
    });
    let positional = unwrapped
        .as_deref()
        .unwrap_or(command)
        .positional_indexes(tool.value_flags());
    Some(Recognised {
        tool,
        unwrapped,
        positional,
    })
}

/// Index of the first word after a wrapper name and its options.
fn skip_options(words: &[&str], value_flags: &[&str]) -> usize {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if *w == "--" {
            return i + 1;
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
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shell::{Script, ScriptKind};

    fn first(text: &str) -> Option<(Tool, Option<String>, Vec<String>)> {
        let script = Script::parse(text, ScriptKind::Shell);
        let cmd = script.commands.first()?;
        let inv = recognise(cmd)?;
        Some((
            inv.tool,
            inv.subcommand().map(str::to_string),
            inv.operands().into_iter().map(str::to_string).collect(),
        ))
    }

    #[test]
    fn tools_behind_wrappers() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            first("apt-get -y -t bookworm-backports install --no-install-recommends curl git"),
            Some((Tool::AptGet, Some(s("install")), vec![s("curl"), s("git")]))
        );
        assert_eq!(
            first("sudo -E apt install vim"),
            Some((Tool::Apt, Some(s("install")), vec![s("vim")]))
        );
        assert_eq!(
            first("python3 -m pip install --no-cache-dir -r req.txt flask==3.0"),
            Some((Tool::Pip, Some(s("install")), vec![s("flask==3.0")]))
        );
        assert_eq!(
            first("env DEBIAN_FRONTEND=noninteractive apt-get update"),
            Some((Tool::AptGet, Some(s("update")), vec![]))
        );
        assert_eq!(
            first("xargs -r apt-get install -y"),
            Some((Tool::AptGet, Some(s("install")), vec![]))
        );
        assert_eq!(
            first("/usr/local/bin/pip3.12 install x"),
            Some((Tool::Pip, Some(s("install")), vec![s("x")]))
        );
        assert_eq!(
            first("./gradlew build -x test"),
            Some((Tool::Gradle, Some(s("build")), vec![]))
        );
        assert_eq!(
            first("apk add --virtual .build-deps gcc"),
            Some((Tool::Apk, Some(s("add")), vec![s("gcc")]))
        );
        assert_eq!(first("python3 app.py"), None);
        assert_eq!(first("echo apt-get"), None);
    }
}
