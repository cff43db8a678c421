//! RS008: the final image runs as root.
//!
//! ## What it does
//! Reports a final image that runs its process as root:
//! - its last `USER` (in the final stage or a stage it builds on through
//!   `FROM <stage>`, after `ARG`/`ENV` expansion) is `root`, `0`, `root:*`
//!   or `0:*` — reported at that `USER`;
//! - or it sets no `USER` at all and its base image is not known to run
//!   as an unprivileged user — reported at the final `FROM`.
//!
//! Base images known to run as a non-root user: distroless `:nonroot` and
//! `*-nonroot` tags, Chainguard images (`cgr.dev`, except `wolfi-base`),
//! Bitnami images (except `minideb`), .NET `-chiseled` images,
//! `nginxinc/nginx-unprivileged`, and images whose own Dockerfile ends with
//! a non-root `USER` (Jenkins, Grafana, Prometheus, SonarQube, Keycloak,
//! Jupyter, Elastic, Selenium, memcached, Nexus, Airflow, SQL Server,
//! Confluent). Official database and broker images whose entrypoint drops
//! to an unprivileged user with `gosu` (postgres, mysql, mariadb, mongo,
//! redis, rabbitmq, couchdb, cassandra, zookeeper, neo4j, solr, influxdb,
//! elasticsearch, kibana, logstash) count as non-root as long as the
//! Dockerfile keeps their `ENTRYPOINT`.
//!
//! ## Why is this bad?
//! A process running as root in a container is root on the container's
//! file system and, if it escapes through a kernel or runtime bug, much
//! closer to root on the host. Most applications need no privilege at all;
//! the official images already ship unprivileged users (`node` = 1000 in
//! node images, `app` = 1654 in .NET 8+, `nonroot` = 65532 in distroless
//! and Chainguard), and Kubernetes' `runAsNonRoot` refuses images that
//! run as uid 0.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY . /app
//! CMD ["python", "/app/main.py"]
//! ```
//! Use instead:
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN useradd --create-home --uid 10001 app
//! COPY . /app
//! USER app
//! CMD ["python", "/app/main.py"]
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint's DL3002 reports only an explicit `USER root`. RS008 also
//! reports the missing `USER`, which is the common case. When DL3002 is
//! enabled, RS008 leaves the explicit `USER root` to it, so one problem
//! gives one finding.
//!
//! ## Notes
//! - Only the final image counts: build stages may run as root.
//! - Without a `USER`, these are given the benefit of the doubt: a command
//!   that drops privileges itself (`gosu`, `su-exec`, `setpriv`, `chpst`,
//!   `runuser`, `s6-setuidgid`, s6-overlay's `/init`); an image that
//!   installs `gosu`/`su-exec`; an image that creates a service user and
//!   starts through an entrypoint script (the official images' pattern of
//!   stepping down in `docker-entrypoint.sh`); and servers whose workers
//!   run unprivileged (nginx, httpd/apache, php-fpm, and the official
//!   nginx, httpd, php `fpm`/`apache`, wordpress, drupal, joomla,
//!   nextcloud, phpmyadmin and mediawiki images) — for those,
//!   `nginxinc/nginx-unprivileged` or a non-root port is still better.
//! - A `USER` whose value restage cannot know (`USER $APP_USER` with no
//!   default) is given the benefit of the doubt.
//! - Windows images are not checked (their users are not uids), nor are a
//!   base image restage cannot resolve, nor toolchain, CI and development
//!   images without a `USER` (a final image that exposes no port and runs
//!   a shell, a bare interpreter or a build tool, or whose stage is named
//!   `dev`, `test`, `builder`, ...).

use super::images::{drops_privileges, runs_as_non_root};
use super::support::{
    enabled, final_command, final_image, final_instructions, final_program, final_runs,
    runs_application,
};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::image::ImageRef;
use crate::model::{BaseImage, Instruction};

/// The rule.
pub struct Rs008;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS008",
    aliases: &[],
    name: "final-stage-runs-as-root",
    title: "The final image runs as root",
    severity: Severity::Warning,
    category: Category::Security,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "The final image runs as root: its last `USER` is root (`root`, `0`, `root:*`, `0:*`), or it sets no `USER` and its base image is not known to run as an unprivileged user (distroless `:nonroot`, Chainguard, Bitnami, .NET chiseled, nginx-unprivileged, and images that drop privileges in their entrypoint such as postgres or redis). hadolint's DL3002 only sees an explicit `USER root`; RS008 also catches the missing `USER`, and leaves the explicit case to DL3002 while it is enabled. Create a user (`useradd`/`adduser`) or use the one the base image ships (`node`, `app`, `nonroot`) and switch to it with `USER`.",
    bad: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
    good: "FROM python:3.12-slim\nRUN useradd --create-home --uid 10001 app\nCOPY . /app\nUSER app\nCMD [\"python\", \"/app/main.py\"]\n",
};

/// The user a `USER` sets, expanded when possible.
fn user_of(instruction: &Instruction) -> Option<&str> {
    match (&instruction.expanded, instruction.kind()) {
        (Some(Expanded::User { user }), _) => Some(user),
        (_, Some(CommandKind::User(user))) => Some(user),
        _ => None,
    }
}

/// `root`, `0`, `root:x`, `0:x`.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

/// How to add and use an unprivileged user on this base.
fn fix_for(base: Option<&ImageRef>, scratch: bool) -> String {
    if scratch {
        return "Add `USER 65532:65532` (and make the files the program writes owned by it)".into();
    }
    let Some(image) = base else {
        return "Create a user (`RUN useradd --create-home --uid 10001 app`) and add `USER app`"
            .into();
    };
    let name = image.short_name();
    let tag = image.tag.as_deref().unwrap_or("latest");
    let registry = image.registry.as_deref().unwrap_or("docker.io");
    if registry == "gcr.io" && image.path.starts_with("distroless/") {
        return format!(
            "Use the `:nonroot` tag (`{}:nonroot`) or add `USER 65532:65532`",
            image.path
        );
    }
    if name == "node" {
        return "Add `USER node` (uid 1000, already in the node images)".into();
    }
    if registry == "mcr.microsoft.com" && image.path.starts_with("dotnet/") {
        return "Add `USER $APP_UID` (the `app` user, uid 1654, in .NET 8+ images)".into();
    }
    if name == "alpine" || tag.contains("alpine") || name == "busybox" {
        return "Create a user (`RUN addgroup -S app && adduser -S -G app app`) and add `USER app`"
            .into();
    }
    "Create a user (`RUN useradd --create-home --uid 10001 app`) and add `USER app`".into()
}

/// Whether the command drops privileges itself, or the image is set up
/// for its entrypoint to do so.
fn drops_itself(cx: &LintContext<'_>) -> bool {
    const HELPERS: &[&str] = &[
        "gosu",
        "su-exec",
        "setpriv",
        "chpst",
        "runuser",
        "s6-setuidgid",
        "suexec",
    ];
    let words: &[String] = final_command(cx).map_or(&[], |(w, _)| w);
    let first = words
        .first()
        .map(|w| w.rsplit('/').next().unwrap_or(w))
        .unwrap_or_default();
    let program = final_program(cx).map(|(p, _)| p).unwrap_or_default();
    if HELPERS.contains(&first) || HELPERS.contains(&program) {
        return true;
    }
    // s6-overlay's `/init` starts services as their own users.
    if words.first().is_some_and(|w| w == "/init") {
        return true;
    }
    let copies_helper = final_instructions(cx).iter().any(|i| match i.kind() {
        Some(CommandKind::Copy(c)) => c
            .sources
            .iter()
            .chain(std::iter::once(&c.dest))
            .any(|s| s.contains("gosu") || s.contains("su-exec")),
        _ => false,
    });
    if copies_helper {
        return true;
    }
    // The official-image pattern: create a service user, never switch to
    // it, and let `docker-entrypoint.sh` step down to it.
    let entrypoint_script = final_instructions(cx).iter().any(|i| match i.kind() {
        Some(CommandKind::Entrypoint(line)) => line.args.iter().any(|a| {
            let base = a.rsplit('/').next().unwrap_or(a);
            base.contains("entrypoint") || base.ends_with(".sh")
        }),
        _ => false,
    });
    // One pass over the words of the final image's scripts.
    let (mut installs_helper, mut creates_user) = (false, false);
    for (_, run) in final_runs(cx) {
        for script in &run.scripts {
            // Every word looked for contains one of these.
            let text = &script.text;
            if !(text.contains("gosu") || text.contains("su-exec") || text.contains("add")) {
                continue;
            }
            for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                installs_helper |= matches!(word, "gosu" | "su-exec");
                creates_user |= matches!(word, "useradd" | "adduser" | "groupadd" | "addgroup");
            }
        }
    }
    installs_helper || (entrypoint_script && creates_user)
}

/// Official server images whose master process starts as root and runs
/// its workers as an unprivileged user (`nginx`, `www-data`, `daemon`), as
/// long as the server is what the image runs.
fn workers_unprivileged(cx: &LintContext<'_>, image: Option<&ImageRef>) -> bool {
    const SERVERS: &[&str] = &[
        "nginx",
        "httpd",
        "httpd-foreground",
        "apache2-foreground",
        "apache2ctl",
        "apachectl",
        "apache2",
        "php-fpm",
        "openresty",
    ];
    if let Some((p, _)) = final_program(cx) {
        return SERVERS.contains(&p) || p.starts_with("php-fpm");
    }
    image.is_some_and(|i| {
        let tag = i.tag.as_deref().unwrap_or("latest");
        i.is_official()
            && (matches!(
                i.short_name(),
                "nginx"
                    | "httpd"
                    | "wordpress"
                    | "drupal"
                    | "joomla"
                    | "nextcloud"
                    | "phpmyadmin"
                    | "mediawiki"
            ) || (i.short_name() == "php" && (tag.contains("fpm") || tag.contains("apache"))))
    })
}

impl Rule for Rs008 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.final_stage() else {
            return;
        };
        let chain = final_image(cx);
        let Some(root) = chain.first() else {
            return;
        };
        let (image, scratch) = match &root.base {
            BaseImage::Scratch => (None, true),
            BaseImage::Image {
                image: Some(image), ..
            } => (Some(image), false),
            _ => return,
        };
        if image.is_some_and(|i| {
            let text = i.to_string().to_ascii_lowercase();
            text.contains("windows")
                || text.contains("nanoserver")
                || text.contains("servercore")
                || text.contains("dotnet/framework")
        }) {
            return;
        }
        let last_user = final_instructions(cx)
            .iter()
            .filter_map(|&i| user_of(i).map(|u| (i, u)))
            .next_back();
        let entrypoint_kept = !final_instructions(cx)
            .iter()
            .any(|i| matches!(i.kind(), Some(CommandKind::Entrypoint(_))));
        match last_user {
            Some((instruction, user)) => {
                if is_root(user) && !enabled(cx, "DL3002") {
                    out.push(
                        cx.at(
                            instruction,
                            format!("The final image runs as root: the last USER is `{user}`"),
                        )
                        .with_fix(fix_for(image, scratch)),
                    );
                }
            }
            None => {
                let known = image.is_some_and(|i| {
                    runs_as_non_root(i) || (drops_privileges(i) && entrypoint_kept)
                });
                if known
                    || !runs_application(cx)
                    || drops_itself(cx)
                    || workers_unprivileged(cx, image)
                {
                    return;
                }
                let base = match image {
                    Some(i) => format!("`{i}` runs as root by default"),
                    None => "`scratch` has no user, so processes run as uid 0".to_string(),
                };
                out.push(
                    cx.at_stage(
                        last,
                        format!("The final image runs as root: no USER is set and {base}"),
                    )
                    .with_fix(fix_for(image, scratch)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics, diagnostics_with};

    #[test]
    fn root_final_images() {
        assert_lines(
            &Rs008,
            &[
                (
                    "FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n",
                    &[1],
                ),
                (
                    "FROM python:3.12-slim\nUSER app\nCMD [\"python\", \"app.py\"]\n",
                    &[],
                ),
                ("FROM node:20\nUSER node\nEXPOSE 3000\n", &[]),
                ("FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n", &[1]),
                (
                    "FROM gcr.io/distroless/static-debian12:nonroot\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM gcr.io/distroless/static-debian12\nCMD [\"/app\"]\n",
                    &[1],
                ),
                ("FROM cgr.dev/chainguard/static\nCMD [\"/app\"]\n", &[]),
                ("FROM bitnami/nginx:1.25\nEXPOSE 8080\n", &[]),
                ("FROM nginxinc/nginx-unprivileged:1.27\nEXPOSE 8080\n", &[]),
                (
                    "FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nENTRYPOINT [\"dotnet\", \"a.dll\"]\n",
                    &[],
                ),
                // Entrypoints that drop privileges.
                (
                    "FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n",
                    &[],
                ),
                (
                    "FROM redis:7.2\nCMD [\"redis-server\", \"/etc/redis.conf\"]\n",
                    &[],
                ),
                ("FROM redis:7.2\nENTRYPOINT [\"redis-server\"]\n", &[1]),
                (
                    "FROM debian:12\nRUN apt-get install -y gosu\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"server\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nENTRYPOINT [\"su-exec\", \"app\", \"/app\"]\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add --no-cache 'su-exec>=0.2'\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"server\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12\nRUN useradd -r valkey\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"valkey-server\"]\n",
                    &[],
                ),
                ("FROM debian:12\nRUN useradd -r app\nCMD [\"/app\"]\n", &[1]),
                ("FROM debian:12\nENTRYPOINT [\"/init\"]\n", &[]),
                // Servers whose workers run unprivileged.
                (
                    "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nRUN apk add nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
                    &[],
                ),
                ("FROM php:8.3-fpm\nCOPY . /var/www/html\n", &[]),
                ("FROM php:8.3-cli\nCMD [\"php\", \"worker.php\"]\n", &[1]),
                (
                    "FROM mcr.microsoft.com/dotnet/framework/runtime:4.8.1\nENTRYPOINT [\"app.exe\"]\n",
                    &[],
                ),
                // Through FROM <stage>.
                (
                    "FROM debian:12 AS base\nUSER app\nFROM base\nCMD [\"/app\"]\n",
                    &[],
                ),
                (
                    "FROM debian:12 AS base\nRUN x\nFROM base\nCMD [\"/app\"]\n",
                    &[3],
                ),
                // Build stages do not matter.
                (
                    "FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
                    &[],
                ),
                // Variables.
                (
                    "ARG BASE=gcr.io/distroless/base-debian12:nonroot\nFROM ${BASE}\nCMD [\"/app\"]\n",
                    &[],
                ),
                ("FROM debian:12\nARG U\nUSER ${U}\nCMD [\"/app\"]\n", &[]),
                // Unresolvable base, Windows, tooling images.
                (
                    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"app.exe\"]\n",
                    &[],
                ),
                ("FROM debian:12\nCMD [\"bash\"]\n", &[]),
                ("FROM debian:12\n", &[]),
                ("FROM debian:12\nONBUILD USER root\nCMD [\"/app\"]\n", &[]),
            ],
        );
    }

    #[test]
    fn explicit_root_is_dl3002_s_while_it_is_on() {
        let text = "FROM debian:12\nUSER app\nRUN x\nUSER root\nCMD [\"/app\"]\n";
        let off = LintConfig {
            ignored: vec!["DL3002".into()],
            ..LintConfig::default()
        };
        let lines: Vec<usize> = diagnostics_with(&Rs008, text, &off)
            .iter()
            .map(|d| d.line)
            .collect();
        assert_eq!(lines, [4]);
        let lines: Vec<usize> = diagnostics_with(
            &Rs008,
            "FROM debian:12\nARG U=0\nUSER $U:0\nCMD [\"/app\"]\n",
            &off,
        )
        .iter()
        .map(|d| d.line)
        .collect();
        assert_eq!(lines, [3]);
        if crate::lint::registry::find("DL3002").is_some() {
            assert!(diagnostics(&Rs008, text).is_empty());
        }
    }

    #[test]
    fn fix_uses_the_base_image_s_user() {
        let fix = |text: &str| {
            diagnostics(&Rs008, text)
                .first()
                .and_then(|d| d.fix.clone())
                .map(|f| f.title)
                .unwrap_or_default()
        };
        assert!(fix("FROM node:20-slim\nCMD [\"node\", \"a.js\"]\n").contains("USER node"));
        assert!(fix("FROM alpine:3.20\nCMD [\"/app\"]\n").contains("adduser"));
        assert!(
            fix("FROM gcr.io/distroless/static-debian12\nCMD [\"/app\"]\n").contains(":nonroot")
        );
    }
}
