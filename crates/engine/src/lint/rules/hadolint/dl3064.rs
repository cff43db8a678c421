//! DL3064: potentially sensitive data in `ARG` or `ENV`.
//!
//! ## What it does
//! Reports `ARG` and `ENV` names that look like secrets: well-known names
//! (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `NPM_TOKEN`, ...) and names
//! containing `password`, `passwd`, `secret`, `api_key`, `client_key`,
//! `private_key` or a `token` word.
//!
//! ## Why is this bad?
//! `ENV` values are stored in the image configuration, and `ARG` values in
//! the build history of every image that uses them: anyone who can pull
//! the image can read them. Use a build secret (`RUN
//! --mount=type=secret`) instead.
//!
//! ## Where restage differs from hadolint
//! - `token` must be a word of the name (`GITHUB_TOKEN`, `authToken`), so
//!   `TOKENIZERS_PARALLELISM` and `NGINX_SERVER_TOKENS` are not reported;
//!   `private` must be part of `private_key`.
//! - Names that point at a secret rather than hold one (ending in `_FILE`,
//!   `_PATH`, `_DIR`, `_URL`, such as `POSTGRES_PASSWORD_FILE`, the
//!   recommended pattern) are not reported.
//! - A bare `USERNAME` (or `USER_NAME`) names the container's user, as in
//!   `ARG USERNAME=vscode`, and is not reported; a service's user name
//!   (`DOCKERHUB_USERNAME`) still is. `passwd` (`MYSQL_PASSWD`) is matched
//!   like `password`.
//! - Global `ARG`s (before the first `FROM`) are not stored in the image
//!   and are not reported; `ONBUILD ARG`/`ENV` are.

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};

/// The rule.
pub struct Dl3064;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "DL3064",
    aliases: &[],
    name: "sensitive-arg-or-env",
    title: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
    severity: Severity::Warning,
    category: Category::Security,
    origin: Origin::Hadolint,
    enabled_by_default: true,
    doc: "`ENV` values are stored in the image and `ARG` values in its build history, readable by anyone who pulls it; pass secrets with `RUN --mount=type=secret`. Unlike hadolint, restage matches `token` as a word (not `TOKENIZERS_PARALLELISM`), skips names that point at a secret (`*_FILE`, `*_PATH`), a bare `USERNAME` and global ARGs.",
    bad: "FROM node:22\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > .npmrc && npm ci\n",
    good: "FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
};

/// hadolint's list of well-known secret names.
const KNOWN: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CF_USERNAME",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER",
    "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL",
    "DOCKER_PASSWORD",
    "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "HEROKU_API_USER",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "OS_USERNAME",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "STRIPE_DEVICE_NAME",
    "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

/// The words of a name, lower case: split at `_`, `-`, `.` and at
/// camelCase boundaries.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a variable name looks like it holds a secret.
pub(super) fn sensitive(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if KNOWN.contains(&upper.as_str()) {
        return true;
    }
    let words = words(name);
    if words
        .last()
        .is_some_and(|w| matches!(w.as_str(), "file" | "path" | "dir" | "url"))
    {
        return false;
    }
    let joined = words.join("_");
    let flat = words.concat();
    ["password", "passwd", "secret"]
        .iter()
        .any(|s| flat.contains(s))
        || ["api_key", "client_key", "private_key"]
            .iter()
            .any(|s| joined.contains(s))
        || flat.contains("apikey")
        || words.iter().any(|w| w == "token")
        || (flat.contains("username") && flat != "username")
}

impl Rule for Dl3064 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, _) in cx.typed(true) {
            let (keyword, names): (&str, Vec<&str>) = match kind {
                CommandKind::Arg(decls) if instruction.stage.is_some() => {
                    ("ARG", decls.iter().map(|d| d.key.as_str()).collect())
                }
                CommandKind::Env(pairs) => ("ENV", pairs.iter().map(|p| p.key.as_str()).collect()),
                _ => continue,
            };
            let bad: Vec<String> = names
                .into_iter()
                .filter(|n| sensitive(n))
                .map(|n| format!("`{n}`"))
                .collect();
            if !bad.is_empty() {
                out.push(
                    cx.at(
                        instruction,
                        format!(
                            "Potentially sensitive data should not be used in the `ARG` or `ENV` commands: {keyword} {} is stored in the image",
                            bad.join(", ")
                        ),
                    )
                    .with_fix("Pass the secret with a build secret: `RUN --mount=type=secret,id=name ...`"),
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
    fn names() {
        for yes in [
            "GITHUB_TOKEN",
            "github_token",
            "MYSQL_ROOT_PASSWORD",
            "PGPASSWORD",
            "SECRET_KEY_BASE",
            "authToken",
            "TOKEN",
            "MY_API_KEY",
            "SSH_PRIVATE_KEY",
            "DOCKER_USERNAME",
            "DOCKERHUB_USERNAME",
            "MYSQL_PASSWD",
        ] {
            assert!(sensitive(yes), "{yes}");
        }
        for no in [
            "TOKENIZERS_PARALLELISM",
            "NGINX_SERVER_TOKENS",
            "POSTGRES_PASSWORD_FILE",
            "SECRETS_DIR",
            "USERNAME",
            "USER_NAME",
            "PRIVATE_REGISTRY",
            "PATH",
            "KEYCLOAK_VERSION",
        ] {
            assert!(!sensitive(no), "{no}");
        }
    }

    #[test]
    fn instructions() {
        assert_lines(
            &Dl3064,
            &[
                ("FROM a\nARG GITHUB_TOKEN\n", &[2]),
                ("FROM a\nENV DB_PASSWORD=x\n", &[2]),
                ("FROM a\nENV A=1 DB_PASSWORD=x\n", &[2]),
                ("ARG GITHUB_TOKEN\nFROM a\n", &[]),
                ("FROM a\nONBUILD ARG NPM_TOKEN\n", &[2]),
                ("FROM a\nENV TOKENIZERS_PARALLELISM=false\n", &[]),
            ],
        );
    }
}
