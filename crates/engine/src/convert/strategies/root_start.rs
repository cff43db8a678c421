//! Start commands that must begin as root, so that a conversion keeps the
//! image running as root instead of adding a non-root `USER`: service
//! supervisors (runit's `runsvdir`, phusion's `my_init`, `supervisord`
//! started without a user, s6-overlay's `/init`), servers whose master
//! process binds the port and runs its workers as another user (Apache,
//! nginx), `cron` and `sshd`, helpers that step down to a user themselves
//! (`gosu`, `su-exec`), and a start script restage cannot read in an image
//! that sets up a supervisor's services (`ADD nagios.init
//! /etc/sv/nagios/run`). Every strategy asks [`keeps_root`] before it picks
//! a user; the conversion records the reason once ([`note`]).

use super::super::context::ConvertContext;
use super::super::plan::{ChangeSpec, Item, Plan, StageFrom};
use super::super::types::ChangeKind;
use super::super::user::is_root;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::model::join_workdir;
use crate::model::shell::{Script, ScriptKind, SimpleCommand};

/// What kind of program must start as root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// A service supervisor or init system.
    Supervisor,
    /// Apache's master process.
    Apache,
    /// Another daemon that starts as root (nginx, cron, sshd).
    Daemon,
    /// A helper that switches to another user itself.
    StepDown,
}

/// A start command that must begin as root, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootStart {
    /// The line of the `CMD`/`ENTRYPOINT`.
    pub line: usize,
    /// Its node.
    pub node: usize,
    /// What it is.
    pub kind: RootKind,
    /// Why it needs root, for a person.
    pub reason: String,
}

impl RootStart {
    /// The change that records that the image keeps running as root.
    pub fn change(&self) -> ChangeSpec {
        ChangeSpec::new(
            ChangeKind::User,
            "Runs as root, as before: no non-root USER is added",
            format!(
                "{}; under a non-root USER it would fail, so the image keeps running as root, as the source did",
                self.reason
            ),
            vec![self.line],
        )
    }
}

/// Wrappers that start the program after them (with their flags).
const WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit", "exec", "nohup", "env"];

/// Directories where a supervisor's service definitions go, with the
/// supervisor.
const SERVICE_DIRS: &[(&str, &str)] = &[
    ("/etc/sv/", "runit"),
    ("/etc/service/", "runit"),
    ("/etc/runit/", "runit"),
    ("/etc/my_init.d/", "my_init"),
    ("/etc/supervisor/", "supervisord"),
    ("/etc/supervisord.conf", "supervisord"),
    ("/etc/supervisord.d/", "supervisord"),
    ("/etc/supervisor.d/", "supervisord"),
    ("/etc/services.d/", "s6-overlay"),
    ("/etc/s6-overlay/", "s6-overlay"),
    ("/etc/cont-init.d/", "s6-overlay"),
];

/// The start command that must begin as root, when the conversion keeps
/// root for it: no user was asked for (`--user`), the source stage runs
/// as root, and [`root_start`] finds one.
pub fn keeps_root(cx: &ConvertContext<'_>) -> Option<RootStart> {
    if cx.options.user.is_some() || cx.final_user().is_some_and(|u| !is_root(&u)) {
        return None;
    }
    root_start(cx)
}

/// Whether a planned stage runs the source's start command: it keeps the
/// instruction (`node`), or writes a command of its own from it.
fn runs_start(items: &[Item], node: usize) -> bool {
    items.iter().any(|item| match item {
        Item::Keep { node: n, .. } | Item::Rewrite { node: n, .. } => *n == node,
        Item::Add { text, .. } => {
            let keyword = text.split_whitespace().next().unwrap_or_default();
            keyword.eq_ignore_ascii_case("CMD") || keyword.eq_ignore_ascii_case("ENTRYPOINT")
        }
        Item::Comment(_) | Item::Blank => false,
    })
}

/// Records in the plan that its image keeps running as root
/// ([`keeps_root`]) when its runtime stage (the last) runs the source's
/// start command and sets no non-root user (a `USER root` on an image
/// that would otherwise run as another user); warns when a user asked for
/// replaces root under such a command.
pub fn note(cx: &ConvertContext<'_>, plan: &mut Plan) {
    let runs_as = plan
        .stages
        .last()
        .and_then(|s| super::super::user::final_user(cx.doc, &s.items))
        .map(|(user, _)| user);
    if let Some(start) = keeps_root(cx) {
        if runs_as.as_deref().is_none_or(is_root)
            && let Some(stage) = plan.stages.last_mut()
            && runs_start(&stage.items, start.node)
        {
            // An image that runs as a non-root user by default is told to
            // run as root; on any other, root needs no `USER`.
            let image = match &stage.from {
                StageFrom::Image { image, .. } | StageFrom::SourceImage(image) => image.as_str(),
                StageFrom::Source => "",
            };
            if runs_as.is_none() && non_root_by_default(image) {
                let change = start.change();
                let at = stage
                    .items
                    .iter()
                    .position(|item| match item {
                        Item::Keep { node, .. } | Item::Rewrite { node, .. } => {
                            cx.doc.nodes.get(*node).is_some_and(|n| {
                                matches!(n.kind, Keyword::Cmd | Keyword::Entrypoint)
                            })
                        }
                        _ => false,
                    })
                    .unwrap_or(stage.items.len());
                stage.items.insert(
                    at,
                    Item::Add {
                        text: "USER root".into(),
                        change: ChangeSpec::new(
                            change.kind,
                            "Runs as root, as before",
                            format!(
                                "`{image}` runs as a non-root user by default; {}",
                                change.reason
                            ),
                            change.source_lines,
                        ),
                    },
                );
            } else {
                plan.notes.push(start.change());
            }
        }
        return;
    }
    if let Some(asked) = cx.options.user.as_deref().filter(|u| !is_root(u))
        && runs_as.as_deref().is_some_and(|u| !is_root(u))
        && cx.final_user().is_none_or(|u| is_root(&u))
        && let Some(start) = root_start(cx)
        && plan
            .stages
            .last()
            .is_some_and(|s| runs_start(&s.items, start.node))
    {
        plan.warnings.push(format!(
            "line {}: {}; the image now runs as `{asked}`, as asked, so it may not start",
            start.line, start.reason
        ));
    }
}

/// Whether an image runs as a non-root user when no `USER` says otherwise
/// (distroless `:nonroot`, chiseled .NET, nginx-unprivileged).
fn non_root_by_default(image: &str) -> bool {
    image.ends_with(":nonroot")
        || image.contains("-nonroot")
        || image.contains("chiseled")
        || image.contains("nginx-unprivileged")
}

/// The start command that must begin as root: the program of the last
/// `ENTRYPOINT` and `CMD` (as Docker joins them), any command of a shell
/// form or `sh -c` script, the command an entrypoint script is given, or
/// a start script copied from the build context in a stage that sets up a
/// supervisor's services.
pub fn root_start(cx: &ConvertContext<'_>) -> Option<RootStart> {
    let entrypoint = cx.last(Keyword::Entrypoint);
    let cmd = cx.last(Keyword::Cmd);
    let (instruction, words, shell) = match (entrypoint, cmd) {
        (Some(e), c) => {
            let (mut words, shell) = super::common::command_words(cx, e);
            if !shell && let Some(c) = c {
                words.extend(super::common::command_words(cx, c).0);
            }
            (e, words, shell)
        }
        (None, Some(c)) => {
            let (words, shell) = super::common::command_words(cx, c);
            (c, words, shell)
        }
        (None, None) => return None,
    };
    let (line, node) = (instruction.start_line, instruction.node);
    let script = if shell {
        Script::parse(&words.join(" "), ScriptKind::Shell)
    } else {
        Script::exec(&words)
    };
    let mut first_script = None;
    for command in &script.commands {
        let mut all = vec![command.name.clone()];
        all.extend(command.args.iter().cloned());
        let mut rest: &[String] = &all;
        // An entrypoint script runs the command it is given (`exec "$@"`).
        while let Some(at) = program_at(rest) {
            let (program, args) = match rest.get(at..).and_then(<[String]>::split_first) {
                Some(found) => found,
                None => break,
            };
            if let Some((kind, reason)) = needs_root(program, args) {
                return Some(RootStart {
                    line,
                    node,
                    kind,
                    reason,
                });
            }
            if !is_start_script(cx, program) {
                break;
            }
            first_script.get_or_insert_with(|| program.clone());
            rest = args;
        }
    }
    let script = first_script?;
    let (supervisor, lines) = service_setup(cx)?;
    let at = match lines.as_slice() {
        [one] => format!("line {one}"),
        _ => format!(
            "lines {}",
            lines
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(RootStart {
        line,
        node,
        kind: RootKind::Supervisor,
        reason: format!(
            "the start script `{script}`, which restage cannot read, starts the {supervisor} services the image sets up ({at}); {supervisor} starts as root and runs each service as the user its configuration names"
        ),
    })
}

/// The index of the program in a command's words: wrappers (`tini --`,
/// `env A=b`), their flags and assignments skipped.
fn program_at(words: &[String]) -> Option<usize> {
    words.iter().position(|w| {
        let base = crate::model::last_segment(w);
        let assignment = w.split_once('=').is_some_and(|(n, _)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        !(w.is_empty() || w.starts_with('-') || assignment || WRAPPERS.contains(&base))
    })
}

/// Whether a program must start as root, with its kind and the reason.
fn needs_root(program: &str, args: &[String]) -> Option<(RootKind, String)> {
    let base = crate::model::last_segment(program);
    let has = |flags: &[&str]| {
        args.iter().any(|a| {
            flags
                .iter()
                .any(|f| a == f || a.starts_with(&format!("{f}=")))
        })
    };
    let supervisor = |what: &str| {
        Some((
            RootKind::Supervisor,
            format!(
                "`{program}` is {what}: it starts as root and runs each service as the user its configuration names"
            ),
        ))
    };
    match base {
        "runsvdir" | "runsv" | "runit" | "runit-init" => supervisor("runit's service supervisor"),
        "my_init" => supervisor("phusion's init and runit supervisor"),
        "s6-svscan" => supervisor("s6's service supervisor"),
        "init" if program == "/init" => supervisor("s6-overlay's init"),
        "systemd" => supervisor("an init system"),
        "init" if matches!(program, "/sbin/init" | "/usr/sbin/init") => {
            supervisor("an init system")
        }
        "supervisord" if !has(&["-u", "--user"]) => {
            supervisor("a service supervisor started without `--user`")
        }
        "apache2ctl" | "apachectl" | "httpd-foreground" => Some((
            RootKind::Apache,
            format!(
                "`{program}` starts Apache's master process, which starts as root to bind the port and open its logs, and runs its workers as the user of its configuration"
            ),
        )),
        "httpd" | "apache2"
            if args.iter().any(|a| a == "-DFOREGROUND")
                || args.windows(2).any(|w| {
                    w.first().is_some_and(|a| a == "-D")
                        && w.get(1).is_some_and(|b| b == "FOREGROUND")
                }) =>
        {
            Some((
                RootKind::Apache,
                format!(
                    "`{program} -DFOREGROUND` is Apache's master process, which starts as root to bind the port and open its logs, and runs its workers as the user of its configuration"
                ),
            ))
        }
        "nginx" if !has(&["-t", "-T", "-v", "-V", "-s", "-h"]) => Some((
            RootKind::Daemon,
            format!(
                "`{program}` starts nginx's master process, which starts as root to bind the port and read its configuration, and runs its workers as the user of its configuration"
            ),
        )),
        "cron" | "crond" => Some((
            RootKind::Daemon,
            format!("`{program}` runs each job as the user of its crontab, which needs root"),
        )),
        "sshd" => Some((
            RootKind::Daemon,
            format!("`{program}` needs root to read its host keys and to log users in"),
        )),
        "gosu" | "su-exec" | "setpriv" | "s6-setuidgid" | "runuser" | "su" => Some((
            RootKind::StepDown,
            format!("`{program}` switches to an unprivileged user itself, which only root can do"),
        )),
        "chpst" if has(&["-u", "-U"]) => Some((
            RootKind::StepDown,
            format!(
                "`{program} -u` switches to an unprivileged user itself, which only root can do"
            ),
        )),
        "service"
            if args
                .iter()
                .any(|a| matches!(a.as_str(), "start" | "restart")) =>
        {
            Some((
                RootKind::Daemon,
                format!("`{program}` starts system services as root"),
            ))
        }
        _ => None,
    }
}

/// Whether a program is a script restage cannot read: a `.sh` file, an
/// entrypoint script, or a file the stage copies from the build context.
fn is_start_script(cx: &ConvertContext<'_>, program: &str) -> bool {
    let base = crate::model::last_segment(program);
    if base.ends_with(".sh") || base.contains("entrypoint") {
        return true;
    }
    if program.contains('$') || !(program.starts_with('/') || program.starts_with("./")) {
        return false;
    }
    let path = join_workdir(cx.final_workdir().as_deref(), program);
    cx.instructions().any(|i| {
        let (sources, dest) = match i.kind() {
            Some(CommandKind::Copy(c)) if c.from.is_none() => (&c.sources, &c.dest),
            Some(CommandKind::Add(a)) => (&a.sources, &a.dest),
            _ => return false,
        };
        let dest_abs = join_workdir(i.context.workdir.as_deref(), dest);
        dest_abs == path
            || sources.iter().any(|s| {
                join_workdir(
                    Some(&dest_abs),
                    crate::model::last_segment(s.trim_end_matches('/')),
                ) == path
            })
    })
}

/// The supervisor whose services the stage sets up (copies into, or
/// creates, a directory of [`SERVICE_DIRS`]), with the lines that do.
fn service_setup(cx: &ConvertContext<'_>) -> Option<(&'static str, Vec<usize>)> {
    let service = |path: &str| {
        SERVICE_DIRS
            .iter()
            .find(|(dir, _)| path.starts_with(dir) || path == dir.trim_end_matches('/'))
            .map(|(_, s)| *s)
    };
    let mut found: Option<&'static str> = None;
    let mut lines = Vec::new();
    for i in cx.instructions() {
        let hit = match (i.kind(), &i.run) {
            (Some(CommandKind::Copy(c)), _) if c.from.is_none() => {
                service(&join_workdir(i.context.workdir.as_deref(), &c.dest))
            }
            (Some(CommandKind::Add(a)), _) => {
                service(&join_workdir(i.context.workdir.as_deref(), &a.dest))
            }
            (_, Some(run)) => run
                .commands()
                .flat_map(|c: &SimpleCommand| c.args.iter())
                .find_map(|a| service(a)),
            _ => None,
        };
        if let Some(s) = hit.filter(|s| found.is_none_or(|f| f == *s)) {
            found = Some(s);
            lines.push(i.start_line);
        }
    }
    found.map(|s| (s, lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::ConvertOptions;

    fn start(text: &str) -> Option<RootKind> {
        let doc = crate::dockerfile::parse(text).expect("parses");
        let model = crate::model::Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        keeps_root(&cx).map(|r| r.kind)
    }

    /// Every strategy that converts such an image leaves its user root:
    /// no non-root `USER`, and the change says why.
    #[test]
    fn every_strategy_keeps_root_under_a_supervisor() {
        let inputs = [
            "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev supervisor\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"supervisord\", \"-n\"]\n",
            "FROM node:20\nRUN apt-get update && apt-get install -y cron\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"sh\", \"-c\", \"cron && exec node dist/server.js\"]\n",
            "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nVOLUME /data\nENTRYPOINT [\"su-exec\", \"app\", \"/usr/local/bin/app\"]\n",
            "FROM ruby:3.3\nRUN apt-get update && apt-get install -y cron\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nCMD [\"sh\", \"-c\", \"cron && bundle exec puma\"]\n",
            "FROM php:8.3-fpm\nRUN apt-get update && apt-get install -y nginx supervisor libzip-dev && docker-php-ext-install zip\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www/html\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev\nCOPY . .\nEXPOSE 80\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y build-essential runit\nCOPY . /src\nRUN cd /src && ./configure && make && make install\nRUN mkdir -p /etc/sv/app\nCOPY app.run /etc/sv/app/run\nCOPY start.sh /usr/local/bin/start_app\nCMD [\"/usr/local/bin/start_app\"]\n",
        ];
        for input in inputs {
            let outcome = crate::convert::convert_text(input, &ConvertOptions::default())
                .unwrap_or_else(|r| panic!("refused: {r}\n{input}"));
            let c = &outcome.conversion;
            assert!(
                c.dockerfile
                    .lines()
                    .filter(|l| l.starts_with("USER "))
                    .all(|l| l == "USER root"),
                "{}",
                c.dockerfile
            );
            assert!(
                c.changes
                    .iter()
                    .any(|ch| ch.summary.starts_with("Runs as root, as before")),
                "{input}\n{:?}",
                c.changes
            );
            assert!(!c.dockerfile.contains("appuser"), "{}", c.dockerfile);
        }
    }

    #[test]
    fn supervisors_and_daemons_keep_root() {
        let cases: &[(&str, Option<RootKind>)] = &[
            (
                "FROM a\nCMD [\"runsvdir\", \"/etc/service\"]\n",
                Some(RootKind::Supervisor),
            ),
            (
                "FROM a\nCMD [\"/sbin/my_init\"]\n",
                Some(RootKind::Supervisor),
            ),
            (
                "FROM a\nENTRYPOINT [\"/init\"]\n",
                Some(RootKind::Supervisor),
            ),
            (
                "FROM a\nCMD [\"/usr/bin/supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n",
                Some(RootKind::Supervisor),
            ),
            ("FROM a\nCMD [\"supervisord\", \"-u\", \"app\"]\n", None),
            (
                "FROM a\nCMD apache2ctl -D FOREGROUND\n",
                Some(RootKind::Apache),
            ),
            (
                "FROM a\nCMD [\"httpd\", \"-DFOREGROUND\"]\n",
                Some(RootKind::Apache),
            ),
            ("FROM a\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\"]\n", None),
            (
                "FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
                Some(RootKind::Daemon),
            ),
            (
                "FROM a\nCMD [\"sh\", \"-c\", \"cron && exec node server.js\"]\n",
                Some(RootKind::Daemon),
            ),
            (
                "FROM a\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
                Some(RootKind::Daemon),
            ),
            (
                "FROM a\nENTRYPOINT [\"tini\", \"--\", \"gosu\", \"app\", \"/app\"]\n",
                Some(RootKind::StepDown),
            ),
            (
                "FROM a\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"supervisord\"]\n",
                Some(RootKind::Supervisor),
            ),
            (
                "FROM a\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"node\", \"server.js\"]\n",
                None,
            ),
            ("FROM a\nCMD [\"node\", \"server.js\"]\n", None),
            // Already non-root: nothing to keep.
            ("FROM a\nUSER app\nCMD [\"supervisord\"]\n", None),
            // A start script from the context, with runit services set up.
            (
                "FROM a\nRUN mkdir -p /etc/sv/app\nADD app.init /etc/sv/app/run\nADD start.sh /usr/local/bin/start_app\nCMD [\"/usr/local/bin/start_app\"]\n",
                Some(RootKind::Supervisor),
            ),
            // The same script without services.
            (
                "FROM a\nADD start.sh /usr/local/bin/start_app\nCMD [\"/usr/local/bin/start_app\"]\n",
                None,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(start(text), *want, "{text}");
        }
    }
}
