//! BK011: variable used before it is defined (BuildKit's `UndefinedVar`).
//!
//! ## What it does
//! Reports a `$VAR` in a value BuildKit expands (`ENV`, `LABEL`, `ADD` and
//! `COPY` paths and `--chown`/`--chmod`, `WORKDIR`, `USER`, `VOLUME`,
//! `STOPSIGNAL`, `ARG` defaults, `RUN --mount` options, expanded `COPY`
//! heredocs) that is neither set in the stage's environment nor a declared
//! `ARG`. A near name is suggested.
//!
//! ## Why is this bad?
//! An undefined variable expands to the empty string: `COPY $SRC /app`
//! copies the whole context, `WORKDIR $APP_HOME` means `/`. It is almost
//! always a typo or an `ARG` that was not declared in this stage (global
//! `ARG`s must be declared again after `FROM`).
//!
//! ## Example
//! ```dockerfile
//! FROM alpine
//! ARG DIR_ASSETS=assets/
//! COPY $DIR_ASSET /srv/
//! ```
//!
//! ## Where restage differs from BuildKit
//! BuildKit also knows the variables the base image sets (`JAVA_HOME` in
//! `eclipse-temurin`, `PYTHON_VERSION` in `python`), which it reads from
//! the registry. restage reads no registry: it checks a stage only when its
//! chain of `FROM <stage>` ends at `scratch` or at an official image whose
//! environment restage knows (python, node, golang, rust, eclipse-temurin,
//! openjdk, maven, gradle, ruby, php, nginx, httpd, the .NET images,
//! alpine, debian, ubuntu, busybox). For any other base image the check is
//! skipped rather than guessed. `PATH` is always defined. Each variable is
//! reported once per instruction (BuildKit reports it once per expanded
//! word), and instructions registered with `ONBUILD` are not checked (they
//! run in another build).
//!
//! ## Notes
//! A reference with a default (`${X:-d}`) still counts, as in BuildKit.
//! Shell-form `RUN`/`CMD`/`ENTRYPOINT` and `EXPOSE` are not checked: the
//! shell expands those at run time.
//! <https://docs.docker.com/go/dockerfile/rule/undefined-var/>

use std::collections::BTreeMap;

use super::common::{GlobalScope, suggest};
use super::image_env::image_env;
use crate::dockerfile::instructions::{ArgDecl, CommandKind};
use crate::dockerfile::resolve::{Expanded, ResolvedArg, Scope};
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::{BaseImage, StageModel};

/// The rule.
pub struct Bk011;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK011",
    aliases: &["UndefinedVar"],
    name: "undefined-var",
    title: "Variables should be defined before their use",
    severity: Severity::Warning,
    category: Category::Correctness,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "An undefined variable expands to an empty string (`COPY $SRC /app` copies the whole context). restage reads no registry, so it checks only stages built on `scratch` or on an official image whose environment it knows (python, node, golang, rust, temurin/openjdk, maven, gradle, ruby, php, nginx, httpd, .NET, alpine/debian/ubuntu/busybox); other base images are skipped instead of guessed. See <https://docs.docker.com/go/dockerfile/rule/undefined-var/>.",
    bad: "FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET /srv/\n",
    good: "FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSETS /srv/\n",
};

/// The variables the image at the root of `stage`'s chain sets, when known
/// (`scratch` sets none but `PATH`).
fn base_env<'a>(cx: &LintContext<'a>, stage: &'a StageModel) -> Option<&'static [&'static str]> {
    let root = cx.lineage(stage).last().copied()?;
    match &root.base {
        BaseImage::Scratch => Some(&[]),
        BaseImage::Image {
            image: Some(image), ..
        } => image_env(image),
        _ => None,
    }
}

/// The `PATH` BuildKit sets when the image has none (Linux).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Build arguments BuildKit never puts in the environment nor reports.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// A stage's environment while walking its instructions: the variables in
/// the order BuildKit lists them (the image's, then the stage's), and the
/// `ARG`s declared so far.
struct StageEnv {
    vars: Scope,
    declared: Vec<String>,
}

impl StageEnv {
    fn set(&mut self, name: &str, value: &str) {
        self.vars.set(name.to_string(), value.to_string());
    }

    /// BuildKit's `dispatchArg`: each default is expanded with the
    /// environment as the previous declarations left it, so the "did you
    /// mean" hint can name a variable the same instruction declared before.
    fn arg_undefined(
        &mut self,
        cx: &LintContext<'_>,
        decls: &[ArgDecl],
        resolved: &[ResolvedArg],
    ) -> BTreeMap<String, Option<String>> {
        let lexer = GlobalScope::lexer(cx);
        let mut out = BTreeMap::new();
        for (i, decl) in decls.iter().enumerate() {
            if let Some(default) = &decl.default
                && let Ok(x) = lexer.process_unsplit(default, &self.vars)
            {
                for name in x.unmatched {
                    if !self.declared.contains(&name) && !out.contains_key(&name) {
                        let hint = self.hint(&name);
                        out.insert(name, hint);
                    }
                }
            }
            if let Some(value) = resolved.get(i).and_then(|a| a.value.as_deref())
                && !NON_ENV_ARGS.contains(&decl.key.as_str())
            {
                self.set(&decl.key, value);
            }
            self.declared.push(decl.key.clone());
        }
        out.retain(|n, _| !NON_ENV_ARGS.contains(&n.as_str()));
        out
    }

    /// BuildKit's suggestion for `name` among the variables set now.
    fn hint(&self, name: &str) -> Option<String> {
        suggest(name, self.vars.names())
    }
}

impl Rule for Bk011 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            // Only an undefined name or an ARG (whose defaults are
            // expanded here) can give a finding: most stages have neither.
            let unresolved = cx
                .stage_instructions(stage)
                .any(|i| !i.undefined.is_empty() || matches!(i.kind(), Some(CommandKind::Arg(_))));
            if !unresolved {
                continue;
            }
            let Some(known) = base_env(cx, stage) else {
                continue;
            };
            let mut env = StageEnv {
                vars: Scope::default(),
                declared: Vec::new(),
            };
            // The image's variables; their values are unknown.
            for name in known {
                env.set(name, "?");
            }
            match cx.parent(stage) {
                Some(parent) => {
                    for (k, v) in &parent.env {
                        env.set(k, v);
                    }
                }
                None => env.set("PATH", DEFAULT_PATH),
            }
            for ancestor in cx.lineage(stage).iter().skip(1) {
                for instruction in cx.stage_instructions(ancestor) {
                    if let Some(CommandKind::Arg(decls)) = instruction.kind() {
                        env.declared.extend(decls.iter().map(|d| d.key.clone()));
                    }
                }
            }
            for instruction in cx.stage_instructions(stage) {
                let Some(expanded) = &instruction.expanded else {
                    // The build did not resolve this far.
                    break;
                };
                let undefined = match (instruction.kind(), expanded) {
                    (Some(CommandKind::Arg(decls)), Expanded::Arg { args }) => {
                        env.arg_undefined(cx, decls, args)
                    }
                    _ => instruction
                        .undefined
                        .iter()
                        .map(|n| (n.clone(), env.hint(n)))
                        .collect(),
                };
                for (name, hint) in &undefined {
                    if name == "PATH" || known.contains(&name.as_str()) {
                        continue;
                    }
                    let message = match &hint {
                        Some(s) => {
                            format!("Usage of undefined variable '${name}' (did you mean ${s}?)")
                        }
                        None => format!("Usage of undefined variable '${name}'"),
                    };
                    let fix = match &hint {
                        Some(s) => format!("Use `${s}`, or declare `ARG {name}` before this line"),
                        None => {
                            format!("Declare `ARG {name}` or set `ENV {name}=...` before this line")
                        }
                    };
                    out.push(cx.at(instruction, message).with_fix(fix));
                }
                if let Expanded::Env { vars } = expanded {
                    for (k, v) in vars {
                        env.set(k, v);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    #[test]
    fn undefined_variables_are_reported() {
        assert_lines(
            &Bk011,
            &[
                // BuildKit's testUnmatchedVars.
                ("\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", &[]),
                (
                    "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
                    &[],
                ),
                ("\nFROM alpine\nRUN echo $PATH\n", &[]),
                (
                    "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
                    &[3],
                ),
                (
                    "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n",
                    &[6],
                ),
                ("\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n", &[3]),
                // testAllTargetUnmarshal: every stage is checked.
                (
                    "\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n",
                    &[3, 6],
                ),
                // A default still counts; shell-form RUN and EXPOSE do not.
                ("FROM scratch\nWORKDIR ${APP:-/app}\n", &[2]),
                (
                    "FROM scratch\nRUN echo $NOPE\nCMD echo $NOPE\nEXPOSE $NOPE\n",
                    &[],
                ),
                // The base image's environment.
                ("FROM python:3.12\nENV V=$PYTHON_VERSION\n", &[]),
                (
                    "FROM eclipse-temurin:21 AS jdk\nFROM jdk\nCOPY app.jar $JAVA_HOME/lib/\n",
                    &[],
                ),
                ("FROM node:20\nENV V=$PYTHON_VERSION\n", &[2]),
                // Unknown base images are skipped.
                ("FROM mycorp/base:1\nCOPY $SRC /app\n", &[]),
                ("ARG BASE=alpine\nFROM $BASE\nCOPY $SRC /app\n", &[3]),
                ("ARG BASE\nFROM ${BASE:-alpine}\nCOPY $SRC /app\n", &[3]),
                // Global ARGs must be declared again in the stage.
                ("ARG V=1\nFROM alpine\nLABEL v=$V\n", &[3]),
                ("ARG V=1\nFROM alpine\nARG V\nLABEL v=$V\n", &[]),
                // RUN --mount options, USER, VOLUME, STOPSIGNAL.
                (
                    "FROM alpine\nRUN --mount=type=cache,target=$CACHE true\n",
                    &[2],
                ),
                (
                    "FROM alpine\nUSER $U\nVOLUME /data/$V\nSTOPSIGNAL ${S:-SIGTERM}\n",
                    &[2, 3, 4],
                ),
                ("FROM alpine\nONBUILD COPY $X /x\n", &[]),
                // ARG defaults: a name is defined once an ARG declared it.
                ("FROM alpine\nARG FOO=$FOO\n", &[2]),
                ("FROM alpine\nARG A=$B B=1\n", &[2]),
                ("FROM alpine\nARG B=1 A=$B\nARG C=${A}${B}\n", &[]),
                ("FROM alpine\nARG B\nARG A=$B\n", &[]),
                ("FROM alpine AS a\nARG B\nFROM a\nARG A=$B\n", &[]),
                ("FROM alpine\nENV A=1 B=$A\n", &[2]),
                ("FROM node:20\nARG URL=${URL}\n", &[2]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m = |text: &str| {
            diagnostics(&Bk011, text)
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m("\nFROM alpine\nCOPY $foo .\nARG foo=bar\n"),
            ["Usage of undefined variable '$foo'"]
        );
        assert_eq!(
            m(
                "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n"
            ),
            ["Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"]
        );
        assert_eq!(
            m("\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n"),
            ["Usage of undefined variable '$PAHT' (did you mean $PATH?)"]
        );
        assert_eq!(
            m("FROM eclipse-temurin:21\nENV X=$JAVA_HOM\n"),
            ["Usage of undefined variable '$JAVA_HOM' (did you mean $JAVA_HOME?)"]
        );
        // The suggestion comes from the variables set before the ARG.
        assert_eq!(
            m("FROM node:20\nARG URL=${URL}\n"),
            ["Usage of undefined variable '$URL'"]
        );
        assert_eq!(
            m("FROM node:20\nARG URLS=1 URL=${URL}\n"),
            ["Usage of undefined variable '$URL' (did you mean $URLS?)"]
        );
    }
}
