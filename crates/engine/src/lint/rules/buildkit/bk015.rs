//! BK015: secret-looking `ARG` or `ENV` names (BuildKit's
//! `SecretsUsedInArgOrEnv`).
//!
//! ## What it does
//! Reports an `ARG` or `ENV` in a stage whose name has an `_`-separated
//! part (or is as a whole) one of `apikey`, `auth`, `credential`,
//! `credentials`, `key`, `password`, `pword`, `passwd`, `secret`, `token`
//! (any case), unless a part is also `public`, `file` or `version`.
//!
//! ## Why is this bad?
//! `ARG` and `ENV` values end up in the image: `ENV` in its configuration,
//! both in `docker history`. Anyone who can pull the image can read the
//! secret. Use `RUN --mount=type=secret` instead.
//!
//! ## Example
//! ```dockerfile
//! ARG GITHUB_TOKEN
//! RUN git clone https://$GITHUB_TOKEN@github.com/org/repo
//! ```
//! Use instead:
//! ```dockerfile
//! RUN --mount=type=secret,id=github_token \
//!     git clone https://$(cat /run/secrets/github_token)@github.com/org/repo
//! ```
//!
//! ## Notes
//! As in BuildKit, global `ARG`s (before the first `FROM`) are not checked,
//! `ENV` keys are checked after expansion and `ARG` names as written, and
//! instructions registered with `ONBUILD` are not checked.
//! Overlaps hadolint's DL3064, which uses a different word list; both stay,
//! as they differ in that detail.
//! <https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/>

use super::common::go_lower;
use crate::dockerfile::gotext::quote;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Bk015;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "BK015",
    aliases: &["SecretsUsedInArgOrEnv"],
    name: "secrets-used-in-arg-or-env",
    title: "Sensitive data should not be used in the ARG or ENV commands",
    severity: Severity::Warning,
    category: Category::Security,
    origin: Origin::Buildkit,
    enabled_by_default: true,
    doc: "`ARG` and `ENV` values are stored in the image and its history, where anyone who can pull it can read them; pass secrets with `RUN --mount=type=secret`. Uses BuildKit's word list and allow-list; global ARGs are not checked. Overlaps hadolint's DL3064. See <https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/>.",
    bad: "FROM alpine\nARG GITHUB_TOKEN\nRUN echo \"$GITHUB_TOKEN\" > /dev/null\n",
    good: "FROM alpine\nRUN --mount=type=secret,id=github_token cat /run/secrets/github_token > /dev/null\n",
};

const DENY: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

const ALLOW: [&str; 3] = ["public", "file", "version"];

/// BuildKit's `(?i)(?:_|^)(?:words)(?:_|$)`: some `_`-separated part of
/// `key` is one of `words`, ignoring case.
fn has_part(key: &str, words: &[&str]) -> bool {
    let lower = go_lower(key);
    lower.split('_').any(|part| words.contains(&part))
}

/// Whether BuildKit considers `key` a secret.
fn is_secret(key: &str) -> bool {
    has_part(key, &DENY) && !has_part(key, &ALLOW)
}

impl Rule for Bk015 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.stages() {
            for instruction in cx.stage_instructions(stage) {
                let (kind, keys): (&str, Vec<&str>) =
                    match (instruction.kind(), &instruction.expanded) {
                        (Some(CommandKind::Env(_)), Some(Expanded::Env { vars })) => {
                            ("ENV", vars.iter().map(|(k, _)| k.as_str()).collect())
                        }
                        (Some(CommandKind::Env(pairs)), _) => {
                            ("ENV", pairs.iter().map(|p| p.key.as_str()).collect())
                        }
                        (Some(CommandKind::Arg(decls)), _) => {
                            ("ARG", decls.iter().map(|d| d.key.as_str()).collect())
                        }
                        _ => continue,
                    };
                for key in keys.into_iter().filter(|k| is_secret(k)) {
                    out.push(
                        cx.at(
                            instruction,
                            format!(
                                "Do not use ARG or ENV instructions for sensitive data ({kind} {})",
                                quote(key)
                            ),
                        )
                        .with_fix(format!(
                            "Pass `{key}` with `RUN --mount=type=secret,id=...` instead of {kind}"
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    /// BuildKit's testSecretsUsedInArgOrEnv (without the `# check=`
    /// comments, which the engine applies).
    const BUILDKIT: &str = "\nFROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\nENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n";

    #[test]
    fn secret_names_are_reported() {
        assert_lines(
            &Bk015,
            &[
                (BUILDKIT, &[3, 4, 5, 5, 6, 6, 7, 8]),
                ("ARG GITHUB_TOKEN\nFROM alpine\n", &[]),
                ("FROM alpine\nARG GITHUB_TOKEN\n", &[2]),
                ("FROM alpine\nENV KEYBOARD=us MONKEY=1 TOKENS=2\n", &[]),
                ("FROM alpine\nARG N=API\nENV ${N}_KEY=x\n", &[3]),
                ("FROM alpine\nONBUILD ARG TOKEN\n", &[]),
                ("FROM alpine\nENV AUTH_PUBLIC_KEY=x\n", &[]),
            ],
        );
    }

    #[test]
    fn messages_are_buildkit_s() {
        let m: Vec<String> = diagnostics(&Bk015, BUILDKIT)
            .into_iter()
            .map(|d| d.message)
            .collect();
        let want = [
            r#"Do not use ARG or ENV instructions for sensitive data (ARG "SECRET_PASSPHRASE")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ENV "SUPER_Secret")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ENV "password")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ENV "secret")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ARG "super_duper_secret_token")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ARG "auth")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ENV "apikey")"#,
            r#"Do not use ARG or ENV instructions for sensitive data (ENV "git_key")"#,
        ];
        assert_eq!(m, want);
    }
}
