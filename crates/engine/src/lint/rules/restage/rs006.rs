//! RS006: development dependencies are installed in the final image.
//!
//! ## What it does
//! Reports a dependency install in the final image (the final stage and the
//! stages it builds on through `FROM <stage>`) that also installs the
//! project's development dependencies:
//! - `npm ci`/`npm install` without `--omit=dev`, `--only=prod` or
//!   `--production`, while `NODE_ENV` is not `production` (or with
//!   `--include=dev`);
//! - `yarn install` (or bare `yarn`) without `--production`, while
//!   `NODE_ENV` is not `production`;
//! - `pnpm install` without `--prod`/`-P`, while `NODE_ENV` is not
//!   `production`;
//! - `pip install -r` of a development or test requirements file
//!   (`requirements-dev.txt`, `requirements/test.txt`,
//!   `dev-requirements.txt`, ...) or of a project with `[dev]`/`[test]`
//!   extras;
//! - `poetry install` without `--only main`, `--without dev` or `--no-dev`;
//! - `uv sync` without `--no-dev` (or `UV_NO_DEV`);
//! - `bundle install` without `--without`, `BUNDLE_WITHOUT` or an earlier
//!   `bundle config set without ...`;
//! - `composer install` without `--no-dev` (or `COMPOSER_NO_DEV`);
//! - `pipenv install --dev` / `pipenv sync --dev`.
//!
//! An install followed in the same `RUN` by a prune (`npm prune
//! --omit=dev`, `yarn install --production`, `pnpm prune --prod`, `composer
//! install --no-dev`) is not reported.
//!
//! ## Why is this bad?
//! Compilers, test runners, linters and bundlers are needed to build and
//! test, not to run. Measured for a small Node.js API: express and pg are
//! 6 MB of `node_modules`; adding typescript, eslint, jest, ts-jest, vite
//! and tsx makes it 160 MB. Dev dependencies also widen the attack surface
//! with packages that never get production scrutiny.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY package.json package-lock.json ./
//! RUN npm ci
//! COPY . .
//! CMD ["node", "index.js"]
//! ```
//! Use instead:
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY package.json package-lock.json ./
//! RUN npm ci --omit=dev
//! COPY . .
//! CMD ["node", "index.js"]
//! ```
//! When the build needs the dev dependencies (`npm run build`), build in a
//! stage with all of them and install only production dependencies in the
//! final stage.
//!
//! ## Notes
//! - Build stages are not checked: that is where dev dependencies belong.
//! - A `NODE_ENV`, `BUNDLE_WITHOUT` or similar variable whose value restage
//!   cannot know (`ARG` without a default) is given the benefit of the
//!   doubt.
//! - Development images are not checked: a final image whose environment
//!   says development or test (`NODE_ENV=development`,
//!   `ASPNETCORE_ENVIRONMENT=Development`, ...), whose command runs a
//!   development server (`npm run dev`, `dotnet watch`, nodemon), whose
//!   stage is named `dev`, `test`, ..., or that exposes no port and runs a
//!   shell or nothing.
//! - restage does not read `package.json`, `pyproject.toml` or `Gemfile`:
//!   a project without development dependencies is still reported.
//! - `ONBUILD RUN` triggers are not checked: they run in child images.

use super::support::{Env, ShellVars, env_before, final_runs, runs_application};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Invocation, Tool, recognise};

/// The rule.
pub struct Rs006;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS006",
    aliases: &[],
    name: "dev-dependencies-in-final-image",
    title: "Development dependencies installed in the final image",
    severity: Severity::Warning,
    category: Category::Size,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A dependency install in the final image that includes development dependencies: `npm ci`/`npm install` without `--omit=dev` (and `NODE_ENV` not `production`), `yarn install` without `--production`, `pnpm install` without `--prod`, `pip install -r requirements-dev.txt`, `poetry install` without `--only main`/`--without dev`, `uv sync` without `--no-dev`, `bundle install` without `BUNDLE_WITHOUT`/`--without`, `composer install` without `--no-dev`, `pipenv install --dev`. Test runners, linters and compilers do not run in production: a small Node.js API has 6 MB of production `node_modules` and 160 MB with its dev tooling. Build in a stage with all dependencies and install only production ones in the final image. Build stages and development images are not checked.",
    bad: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
    good: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
};

/// A variable's value for a command: `Some(None)` when set but unknown.
fn env(vars: &ShellVars<'_>, cmd: &SimpleCommand, name: &str) -> Option<Option<String>> {
    vars.env_value(cmd, name)
}

/// Whether `NODE_ENV` says production (or is unknown).
fn node_production(vars: &ShellVars<'_>, cmd: &SimpleCommand) -> bool {
    match env(vars, cmd, "NODE_ENV") {
        Some(None) => true,
        Some(Some(v)) => v.eq_ignore_ascii_case("production") || v.eq_ignore_ascii_case("prod"),
        None => false,
    }
}

/// Whether a boolean flag is given and not `=false`.
fn on(inv: &Invocation<'_>, names: &[&str]) -> bool {
    inv.line.flags().iter().any(|f| {
        names.contains(&f.name) && !f.value.is_some_and(|v| v.eq_ignore_ascii_case("false"))
    })
}

/// Whether a requirements file or extra names development or test
/// dependencies.
fn dev_name(text: &str) -> bool {
    text.to_ascii_lowercase()
        .split(['-', '_', '.', '/', '[', ']', ','])
        .any(|w| {
            matches!(
                w,
                "dev" | "devel" | "develop" | "development" | "test" | "tests" | "testing" | "lint"
            )
        })
}

/// What is wrong with an install, if it installs dev dependencies.
fn dev_install(
    inv: &Invocation<'_>,
    vars: &ShellVars<'_>,
    bundle_without: bool,
) -> Option<(String, &'static str)> {
    let cmd = inv.command;
    let positional = inv.positional();
    let sub = positional.first().copied().unwrap_or_default();
    let bare = positional.len() == 1;
    let line = inv.line.shown();
    let set = |name: &str| {
        env(vars, cmd, name).is_some_and(|v| {
            v.is_none_or(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
        })
    };
    match inv.tool {
        Tool::Npm if (sub == "ci" || (matches!(sub, "install" | "i") && bare)) && !inv.has_flag(&["g", "global"]) => {
            let include_dev = inv
                .line
                .flags()
                .iter()
                .any(|f| f.name == "include" && f.value == Some("dev"))
                || inv.line.args.windows(2).any(|w| w == ["--include", "dev"]);
            let omit = inv.flag_value(&["omit"]).is_some_and(|v| v.contains("dev"))
                || inv.flag_value(&["only"]).is_some_and(|v| v.starts_with("prod"))
                || on(inv, &["production", "prod"])
                || env(vars, cmd, "npm_config_omit")
                    .or_else(|| env(vars, cmd, "NPM_CONFIG_OMIT"))
                    .is_some_and(|v| v.is_none_or(|v| v.contains("dev")))
                || set("npm_config_production")
                || set("NPM_CONFIG_PRODUCTION");
            (include_dev || !(omit || node_production(vars, cmd))).then(|| {
                (
                    format!("`{line}` installs devDependencies"),
                    "use `npm ci --omit=dev` (or set `NODE_ENV=production`)",
                )
            })
        }
        Tool::Yarn if sub == "install" || (sub.is_empty() && !inv.has_flag(&["version", "v", "help", "h"])) => {
            (!(on(inv, &["production", "prod"]) || node_production(vars, cmd) || set("YARN_PRODUCTION"))).then(|| {
                (
                    format!("`{line}` installs devDependencies"),
                    "use `yarn install --production` (Yarn 1) or `yarn workspaces focus --all --production` (Yarn 2+)",
                )
            })
        }
        Tool::Pnpm if matches!(sub, "install" | "i") && bare => {
            (!(on(inv, &["prod", "P", "production"]) || node_production(vars, cmd))).then(|| {
                (
                    format!("`{line}` installs devDependencies"),
                    "use `pnpm install --prod`",
                )
            })
        }
        Tool::Pip | Tool::Uv if positional.contains(&"install") => {
            let files: Vec<&str> = inv
                .line
                .args
                .iter()
                .enumerate()
                .filter_map(|(i, a)| {
                    if let Some(v) = a.strip_prefix("--requirement=").or_else(|| a.strip_prefix("-r").filter(|v| !v.is_empty() && !v.starts_with('-'))) {
                        return Some(v.trim_start_matches('='));
                    }
                    (a == "-r" || a == "--requirement")
                        .then(|| inv.line.args.get(i + 1).map(String::as_str))
                        .flatten()
                })
                .collect();
            let extras = positional
                .iter()
                .skip(1)
                .copied()
                .chain(inv.flag_value(&["e", "editable"]))
                .filter(|p| p.contains('[') && p.ends_with(']'))
                .any(|p| dev_name(p.split_once('[').map_or("", |(_, e)| e)));
            let dev_file = files.iter().find(|f| {
                let base = f.rsplit('/').next().unwrap_or(f);
                dev_name(base) || f.split('/').rev().nth(1).is_some_and(|dir| dev_name(dir) && dir != "requirements")
            });
            match (dev_file, extras) {
                (Some(f), _) => Some((
                    format!("`{line}` installs the development requirements `{f}`"),
                    "install only the runtime requirements file in the final image",
                )),
                (None, true) => Some((
                    format!("`{line}` installs development extras"),
                    "install the project without its `dev`/`test` extras",
                )),
                _ => None,
            }
        }
        Tool::Poetry if sub == "install" => {
            let only_main = inv.flag_value(&["only"]).is_some_and(|v| v.split(',').any(|g| g.trim() == "main"));
            let without_dev = inv
                .flag_value(&["without"])
                .is_some_and(|v| v.split(',').any(|g| dev_name(g.trim())));
            (!(only_main || without_dev || inv.has_flag(&["no-dev", "only-root"]))).then(|| {
                (
                    format!("`{line}` installs the dev dependency group"),
                    "use `poetry install --only main` (Poetry 1.2+) or `--no-dev`",
                )
            })
        }
        Tool::Uv if sub == "sync" => {
            (!(inv.has_flag(&["no-dev", "only-group", "no-default-groups"]) || set("UV_NO_DEV"))).then(|| {
                (
                    format!("`{line}` installs the dev dependency group"),
                    "use `uv sync --no-dev`",
                )
            })
        }
        Tool::Bundle if sub == "install" => {
            let without = inv.flag_value(&["without"]).is_some()
                || env(vars, cmd, "BUNDLE_WITHOUT").is_some_and(|v| v.is_none_or(|v| !v.is_empty()))
                || env(vars, cmd, "BUNDLE_ONLY").is_some()
                || bundle_without;
            (!without).then(|| {
                (
                    format!("`{line}` installs the development and test gem groups"),
                    "set `ENV BUNDLE_WITHOUT=\"development:test\"` (or `bundle config set without 'development test'`)",
                )
            })
        }
        Tool::Composer if matches!(sub, "install" | "i") => {
            (!(inv.has_flag(&["no-dev"]) || set("COMPOSER_NO_DEV"))).then(|| {
                (
                    format!("`{line}` installs require-dev packages"),
                    "use `composer install --no-dev`",
                )
            })
        }
        Tool::Pipenv if matches!(sub, "install" | "sync") && inv.has_flag(&["dev", "d"]) => Some((
            format!("`{line}` installs the dev-packages"),
            "drop `--dev`",
        )),
        _ => None,
    }
}

/// Whether a later command of the same `RUN` removes the dev dependencies
/// of the install made with `tool`.
fn prunes(tool: Tool, cmd: &SimpleCommand) -> bool {
    let Some(inv) = recognise(cmd) else {
        return false;
    };
    let positional = inv.positional();
    let sub = positional.first().copied().unwrap_or_default();
    match (tool, inv.tool) {
        (Tool::Npm, Tool::Npm) => {
            sub == "prune"
                && (inv.flag_value(&["omit"]).is_some_and(|v| v.contains("dev"))
                    || on(&inv, &["production"]))
        }
        (Tool::Yarn, Tool::Yarn) => {
            (matches!(sub, "install" | "") && on(&inv, &["production"]))
                || (sub == "workspaces"
                    && positional.get(1) == Some(&"focus")
                    && on(&inv, &["production"]))
        }
        (Tool::Pnpm, Tool::Pnpm) => sub == "prune" && on(&inv, &["prod", "P", "production"]),
        (Tool::Composer, Tool::Composer) => {
            matches!(sub, "install" | "update" | "i") && inv.has_flag(&["no-dev"])
        }
        _ => false,
    }
}

/// Whether a command is `bundle config [set] [--local|--global] without ...`.
fn bundle_config_without(cmd: &SimpleCommand) -> bool {
    recognise(cmd).is_some_and(|inv| {
        inv.tool == Tool::Bundle
            && inv.subcommand() == Some("config")
            && inv
                .line
                .args
                .iter()
                .any(|a| a == "without" || a.starts_with("without="))
    })
}

impl Rule for Rs006 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !runs_application(cx) {
            return;
        }
        let mut bundle_without = false;
        for (instruction, run) in final_runs(cx) {
            if !run.posix {
                continue;
            }
            let env: Env<'_> = env_before(cx, instruction);
            let commands: Vec<&SimpleCommand> = run.commands().collect();
            let mut vars = ShellVars::new(&env);
            let mut found: Vec<(String, &'static str)> = Vec::new();
            for (index, cmd) in commands.iter().enumerate() {
                if bundle_config_without(cmd) {
                    bundle_without = true;
                }
                if let Some(inv) = recognise(cmd)
                    && let Some(problem) = dev_install(&inv, &vars, bundle_without)
                    && !commands
                        .iter()
                        .skip(index + 1)
                        .any(|later| prunes(inv.tool, later))
                {
                    found.push(problem);
                }
                vars.step(cmd);
            }
            for (message, fix) in found {
                out.push(
                    cx.at(instruction, format!("{message} into the final image"))
                        .with_fix(format!(
                            "{fix}; if the build needs them, build in a separate stage"
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::assert_lines;

    #[test]
    fn dev_dependencies_in_the_final_image() {
        let app = "CMD [\"/app\"]\n";
        let table: Vec<(String, Vec<usize>)> = [
            ("FROM node:20\nRUN npm ci\n", vec![2]),
            ("FROM node:20\nRUN npm ci --omit=dev\n", vec![]),
            ("FROM node:20\nRUN npm install --production\n", vec![]),
            ("FROM node:20\nRUN npm install --production=false\n", vec![2]),
            ("FROM node:20\nRUN npm ci --only=production\n", vec![]),
            ("FROM node:20\nENV NODE_ENV=production\nRUN npm ci\n", vec![]),
            ("FROM node:20\nENV NODE_ENV=production\nRUN npm ci --include=dev\n", vec![3]),
            ("FROM node:20\nARG NODE_ENV\nENV NODE_ENV=$NODE_ENV\nRUN npm ci\n", vec![]),
            ("FROM node:20\nRUN NODE_ENV=production npm ci\n", vec![]),
            ("FROM node:20\nRUN npm install -g pm2\n", vec![]),
            ("FROM node:20\nRUN npm ci && npm run build && npm prune --omit=dev\n", vec![]),
            ("FROM node:20\nRUN npm ci && npm run build\nRUN npm prune --omit=dev\n", vec![2]),
            ("FROM node:20\nRUN yarn install --frozen-lockfile\n", vec![2]),
            ("FROM node:20\nRUN yarn install --production --frozen-lockfile\n", vec![]),
            ("FROM node:20\nRUN pnpm install --frozen-lockfile\n", vec![2]),
            ("FROM node:20\nRUN pnpm install --prod --frozen-lockfile\n", vec![]),
            ("FROM python:3.12\nRUN pip install -r requirements-dev.txt\n", vec![2]),
            ("FROM python:3.12\nRUN pip install -r requirements/test.txt\n", vec![2]),
            ("FROM python:3.12\nRUN pip install -r requirements.txt\n", vec![]),
            ("FROM python:3.12\nRUN pip install -e .[dev]\n", vec![2]),
            ("FROM python:3.12\nRUN poetry install --no-root\n", vec![2]),
            ("FROM python:3.12\nRUN poetry install --only main --no-root\n", vec![]),
            ("FROM python:3.12\nRUN poetry install --without dev,test\n", vec![]),
            ("FROM python:3.12\nRUN uv sync --frozen\n", vec![2]),
            ("FROM python:3.12\nRUN uv sync --frozen --no-dev\n", vec![]),
            ("FROM ruby:3.3\nRUN bundle install\n", vec![2]),
            ("FROM ruby:3.3\nENV BUNDLE_WITHOUT=development:test\nRUN bundle install\n", vec![]),
            ("FROM ruby:3.3\nRUN bundle config set --local without 'development test'\nRUN bundle install\n", vec![]),
            ("FROM composer:2\nRUN composer install\n", vec![2]),
            ("FROM composer:2\nRUN composer install --no-dev --optimize-autoloader\n", vec![]),
            ("FROM python:3.12\nRUN pipenv install --deploy --dev\n", vec![2]),
            ("FROM python:3.12\nRUN pipenv install --deploy\n", vec![]),
            // Build stages are where dev dependencies belong.
            ("FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app\n", vec![]),
            ("FROM node:20 AS base\nRUN npm ci\nFROM base\n", vec![2]),
            // Heredoc; ONBUILD is the child's.
            ("FROM node:20\nRUN <<EOF\nnpm ci\nEOF\n", vec![2]),
            ("FROM node:20\nONBUILD RUN npm ci\n", vec![]),
            // ARG-defaulted values.
            ("ARG ENV=production\nFROM node:20\nARG ENV\nENV NODE_ENV=${ENV}\nRUN npm ci\n", vec![]),
            ("FROM node:20\nARG NODE_ENV=development\nRUN npm ci\n", vec![]),
        ]
        .into_iter()
        .map(|(t, l)| (format!("{t}{app}"), l))
        .collect();
        let borrowed: Vec<(&str, &[usize])> = table
            .iter()
            .map(|(t, l)| (t.as_str(), l.as_slice()))
            .collect();
        assert_lines(&Rs006, &borrowed);
        // Development images.
        assert_lines(
            &Rs006,
            &[
                (
                    "FROM node:20\nENV NODE_ENV=development\nRUN npm ci\nCMD [\"npm\", \"start\"]\n",
                    &[],
                ),
                (
                    "FROM node:20\nRUN npm ci\nCMD [\"npm\", \"run\", \"dev\"]\n",
                    &[],
                ),
                ("FROM node:20\nRUN npm ci\nCMD [\"npm\", \"start\"]\n", &[2]),
            ],
        );
    }
}
