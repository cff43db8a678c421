//! RS013: a server image has no `HEALTHCHECK`.
//!
//! ## What it does
//! Reports a final image (the final stage and the stages it builds on
//! through `FROM <stage>`) that looks like a long-running server and has
//! no `HEALTHCHECK` in effect. It looks like a server when it `EXPOSE`s a
//! port, or when its command runs a server program: nginx, httpd/apache,
//! php-fpm, gunicorn, uvicorn, hypercorn, daphne, waitress, uwsgi, puma,
//! unicorn, `rails server`, caddy, traefik, haproxy, envoy, `flask run`,
//! `manage.py runserver`, `npm start`/`yarn start`, `next start`,
//! pm2-runtime, or a database server (postgres, mysqld, mongod,
//! redis-server). Reported at the `CMD`/`ENTRYPOINT`, else at the
//! `EXPOSE`.
//!
//! ## Why is this bad?
//! Without a health check, Docker (and Compose's `depends_on: condition:
//! service_healthy`, Swarm's rolling updates) only knows that the process
//! exists, not that it answers: a deadlocked or misconfigured server keeps
//! receiving traffic. `HEALTHCHECK` lets the runtime mark it unhealthy and
//! restart or replace it.
//!
//! ## Example
//! ```dockerfile
//! FROM nginx:1.27-alpine
//! COPY dist /usr/share/nginx/html
//! EXPOSE 80
//! ```
//! Use instead:
//! ```dockerfile
//! FROM nginx:1.27-alpine
//! COPY dist /usr/share/nginx/html
//! EXPOSE 80
//! HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost:80/ || exit 1
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint's DL3057 (off by default) reports every stage without a
//! `HEALTHCHECK`. RS013 only looks at the final image, and only when it
//! serves something. While DL3057 is enabled, RS013 leaves the final image
//! to it.
//!
//! ## Notes
//! - `HEALTHCHECK NONE` counts as a deliberate choice and is not reported.
//! - Development images are not reported: a final stage named `dev`,
//!   `test`, ..., or an environment that says development
//!   (`NODE_ENV=development`, ...).
//! - Kubernetes ignores `HEALTHCHECK` (it uses its own probes): teams that
//!   only deploy there can turn this rule off.
//! - `node`, `java -jar`, `python app.py`, `dotnet app.dll` or a compiled
//!   binary may be a worker as well as a server: they count only with an
//!   `EXPOSE`.
//! - A base image's own `HEALTHCHECK` cannot be seen; few official images
//!   define one.
//! - The suggested check uses a tool the base image has: `wget` on Alpine
//!   (BusyBox), Python's or Node's standard library on slim images, which
//!   have no curl; distroless and scratch images need the program to check
//!   itself.

use super::support::{
    development_env, enabled, final_base, final_command, final_instructions, final_program,
    is_tooling_stage,
};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::BaseImage;

/// The rule.
pub struct Rs013;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS013",
    aliases: &[],
    name: "server-without-healthcheck",
    title: "Server image without a HEALTHCHECK",
    severity: Severity::Info,
    category: Category::Maintainability,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "The final image looks like a long-running server (it `EXPOSE`s a port, or runs nginx, httpd, php-fpm, gunicorn, uvicorn, puma, `npm start`, a database server, ...) and no `HEALTHCHECK` is in effect, so Docker only knows the process exists, not that it answers. Add a `HEALTHCHECK` with a tool the image has (wget on Alpine, Python or Node on slim images). `HEALTHCHECK NONE` is respected; hadolint's DL3057 owns the case while it is enabled.",
    bad: "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\nEXPOSE 80\n",
    good: "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\nEXPOSE 80\nHEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost:80/ || exit 1\n",
};

/// Programs that are servers whatever their arguments.
const SERVERS: &[&str] = &[
    "nginx",
    "openresty",
    "httpd",
    "httpd-foreground",
    "apache2-foreground",
    "apache2ctl",
    "apachectl",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "waitress-serve",
    "uwsgi",
    "puma",
    "unicorn",
    "caddy",
    "traefik",
    "haproxy",
    "envoy",
    "pm2-runtime",
    "postgres",
    "mysqld",
    "mariadbd",
    "mongod",
    "redis-server",
    "valkey-server",
    "memcached",
    "rabbitmq-server",
    "nats-server",
    "serve",
];

/// Whether the command line runs a server.
fn runs_server(cx: &LintContext<'_>) -> bool {
    let Some((program, args)) = final_program(cx) else {
        return false;
    };
    let arg = |a: &str| args.iter().any(|x| x == a);
    SERVERS.contains(&program)
        || program.starts_with("php-fpm")
        || (program == "rails" && (arg("server") || arg("s")))
        || (program == "bundle"
            && args
                .iter()
                .any(|a| matches!(a.as_str(), "puma" | "unicorn" | "rails"))
            && !arg("console"))
        || (matches!(program, "npm" | "yarn" | "pnpm") && arg("start"))
        || (program == "next" && arg("start"))
        || (program == "flask" && arg("run"))
        || (program.starts_with("python") && arg("runserver"))
}

/// The first port the image exposes.
fn first_port(cx: &LintContext<'_>) -> Option<String> {
    final_instructions(cx).iter().find_map(|i| {
        let ports: Vec<String> = match (&i.expanded, i.kind()) {
            (Some(Expanded::Expose { ports }), _) => ports.clone(),
            (_, Some(CommandKind::Expose(ports))) => ports.clone(),
            _ => return None,
        };
        ports.into_iter().find_map(|p| {
            let p = p
                .split('/')
                .next()
                .unwrap_or(&p)
                .split('-')
                .next()
                .unwrap_or_default()
                .to_string();
            (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit())).then_some(p)
        })
    })
}

/// A health check command that works with the tools of the base image.
fn suggestion(cx: &LintContext<'_>, port: &str) -> String {
    let url = format!("http://localhost:{port}/");
    let base = final_base(cx).map(|(_, i)| i);
    let scratch = cx
        .final_stage()
        .map(|s| cx.lineage(s))
        .and_then(|l| l.last().map(|s| matches!(s.base, BaseImage::Scratch)))
        .unwrap_or(false);
    let text = base
        .map(|i| i.to_string().to_ascii_lowercase())
        .unwrap_or_default();
    let check = if scratch || text.contains("distroless") || text.contains("chiseled") {
        "CMD [\"/app\", \"healthcheck\"] (the image has no shell or HTTP client: let the program check itself)".to_string()
    } else if text.contains("alpine") || text.contains("busybox") {
        format!("CMD wget -q --spider {url} || exit 1")
    } else if base.is_some_and(|i| i.short_name() == "python") {
        format!("CMD python -c \"import urllib.request; urllib.request.urlopen('{url}')\"")
    } else if base.is_some_and(|i| i.short_name() == "node") {
        format!(
            "CMD node -e \"fetch('{url}').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))\""
        )
    } else {
        format!("CMD curl -fsS {url} || exit 1 (install curl if the image lacks it)")
    };
    format!("Add `HEALTHCHECK --interval=30s --timeout=3s {check}`")
}

impl Rule for Rs013 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if enabled(cx, "DL3057")
            || development_env(cx)
            || cx.final_stage().is_some_and(is_tooling_stage)
        {
            return;
        }
        let instructions = final_instructions(cx);
        if instructions
            .iter()
            .any(|i| matches!(i.kind(), Some(CommandKind::Healthcheck(_))))
        {
            return;
        }
        let expose = instructions
            .iter()
            .find(|i| matches!(i.kind(), Some(CommandKind::Expose(_))))
            .copied();
        let command = final_command(cx);
        let server = runs_server(cx);
        let (at, what) = match (&command, expose, server) {
            (Some((words, at)), _, true) => {
                let shown: Vec<&str> = words.iter().take(6).map(String::as_str).collect();
                let more = if words.len() > 6 { " ..." } else { "" };
                (*at, format!("runs the server `{}{more}`", shown.join(" ")))
            }
            (Some((_, at)), Some(_), false) => (*at, "exposes a port".to_string()),
            (None, Some(e), _) => (e, "exposes a port".to_string()),
            _ => return,
        };
        let port = first_port(cx).unwrap_or_else(|| "8080".to_string());
        out.push(
            cx.at(at, format!("The final image {what} but has no HEALTHCHECK"))
                .with_fix(suggestion(cx, &port)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::testing::{assert_lines, diagnostics, diagnostics_with};

    #[test]
    fn servers_without_healthcheck() {
        assert_lines(
            &Rs013,
            &[
                ("FROM nginx:1.27\nEXPOSE 80\n", &[2]),
                (
                    "FROM nginx:1.27\nEXPOSE 80\nHEALTHCHECK CMD curl -f http://localhost/\n",
                    &[],
                ),
                ("FROM nginx:1.27\nEXPOSE 80\nHEALTHCHECK NONE\n", &[]),
                (
                    "FROM python:3.12-slim\nCMD [\"gunicorn\", \"app:app\"]\n",
                    &[2],
                ),
                (
                    "FROM python:3.12-slim\nCMD gunicorn -b 0.0.0.0:8000 app:app\n",
                    &[2],
                ),
                (
                    "FROM python:3.12-slim\nCMD [\"python\", \"worker.py\"]\n",
                    &[],
                ),
                (
                    "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"python\", \"app.py\"]\n",
                    &[3],
                ),
                ("FROM node:20-slim\nCMD [\"npm\", \"start\"]\n", &[2]),
                ("FROM node:20-slim\nCMD [\"node\", \"worker.js\"]\n", &[]),
                ("FROM php:8.3-fpm\nCMD [\"php-fpm\"]\n", &[2]),
                (
                    "FROM debian:12\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"uvicorn\", \"main:app\"]\n",
                    &[2],
                ),
                // In effect through FROM <stage>.
                (
                    "FROM nginx:1.27 AS base\nHEALTHCHECK CMD true\nFROM base\nEXPOSE 80\n",
                    &[],
                ),
                // Build stages do not matter.
                (
                    "FROM node:20 AS build\nEXPOSE 3000\nFROM alpine:3.20\nCMD [\"/app\"]\n",
                    &[],
                ),
                // ARG-expanded port; ONBUILD HEALTHCHECK does not apply here.
                ("FROM alpine:3.20\nARG PORT=9000\nEXPOSE ${PORT}\n", &[3]),
                (
                    "FROM alpine:3.20\nONBUILD HEALTHCHECK CMD true\nEXPOSE 80\n",
                    &[3],
                ),
                ("FROM node:20 AS dev\nEXPOSE 3000\n", &[]),
                ("FROM node:20\nENV NODE_ENV=development\nEXPOSE 3000\n", &[]),
            ],
        );
    }

    #[test]
    fn suggestion_fits_the_base_image() {
        let fix = |text: &str| {
            diagnostics(&Rs013, text)
                .first()
                .and_then(|d| d.fix.clone())
                .map(|f| f.title)
                .unwrap_or_default()
        };
        assert!(
            fix("FROM nginx:1.27-alpine\nEXPOSE 8080\n")
                .contains("wget -q --spider http://localhost:8080/")
        );
        assert!(fix("FROM python:3.12-slim\nEXPOSE 8000\n").contains("urllib"));
        assert!(
            fix("FROM gcr.io/distroless/static-debian12\nEXPOSE 8000\n").contains("check itself")
        );
    }

    #[test]
    fn dl3057_owns_the_case_while_enabled() {
        let on = LintConfig {
            overrides: vec![("DL3057".into(), crate::lint::rule::Severity::Info)],
            ..LintConfig::default()
        };
        if crate::lint::registry::find("DL3057").is_some() {
            assert!(diagnostics_with(&Rs013, "FROM nginx:1.27\nEXPOSE 80\n", &on).is_empty());
        }
    }
}
