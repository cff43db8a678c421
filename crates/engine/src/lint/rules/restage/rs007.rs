//! RS007: a secret is written into the Dockerfile or copied into the image.
//!
//! ## What it does
//! Reports, in every stage and in `ONBUILD` triggers:
//! - a literal secret in an `ARG` default, an `ENV` or `LABEL` value, a
//!   heredoc file of `COPY`/`ADD`, or a `RUN` command line: AWS access key
//!   IDs (`AKIA…`/`ASIA…` + 16 characters), GitHub tokens (`ghp_`, `gho_`,
//!   `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab tokens (`glpat-`),
//!   Slack tokens (`xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-`), npm tokens
//!   (`npm_`), PyPI tokens (`pypi-AgEI…`), Stripe live keys (`sk_live_`,
//!   `rk_live_`), Google API keys (`AIza…`), JSON Web Tokens, private key
//!   blocks (`-----BEGIN … PRIVATE KEY-----`), URLs with a password
//!   (`scheme://user:password@host`), and — in `ARG`/`ENV`/`LABEL` values
//!   and heredoc files — `password=…`/`pwd=…` settings;
//! - a literal value that a secret's name is given (`secret_settings`):
//!   `ENV API_KEY=…`, `ENV sa_password …`, `ARG NPM_TOKEN=…`, a heredoc
//!   `.env` line, and in `RUN` lines `export DB_PASSWORD=…`, `TOKEN=… cmd`,
//!   `--password …` and `curl -u user:…`. Public key material (`GPG_KEY`),
//!   names about a secret (`PASSWORD_FILE`, `TOKEN_URL`), paths, short
//!   values and placeholders are not reported;
//! - a `COPY`/`ADD` of a key or credential file: `id_rsa`, `id_dsa`,
//!   `id_ecdsa`, `id_ed25519`, private-key `*.pem` and `*.key` files,
//!   `.env` (not `.env.example`/`.sample`/`.template`/`.dist`), `.npmrc`,
//!   `.pypirc`, `.netrc`, `credentials`, `credentials.json`,
//!   `.git-credentials`, and the `.aws/`, `.ssh/` and `.gnupg/` directories
//!   (as a source, or as the destination).
//!
//! Only literal values are reported: a value that comes from a variable
//! (`$TOKEN`, `${PASSWORD}`) is not a secret in the file.
//!
//! ## Why is this bad?
//! `ARG` and `ENV` values, labels and `RUN` command lines are stored in the
//! image configuration and history (`docker history`, `docker inspect`),
//! and a copied file stays in its layer even if a later `RUN` deletes it.
//! Anyone who can pull the image — or read the Dockerfile in the
//! repository — gets the credential. Build stages leak too: their layers
//! live in the build cache and in exported caches.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY .npmrc package.json package-lock.json ./
//! RUN npm ci --omit=dev
//! ```
//! Use instead:
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM node:20-slim
//! COPY package.json package-lock.json ./
//! RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev
//! ```
//!
//! ## Where restage differs from hadolint
//! hadolint's DL3064 (and BuildKit's `SecretsUsedInArgOrEnv`) look at
//! `ARG`/`ENV` *names* (`GITHUB_TOKEN`, `*_PASSWORD`) whatever their value.
//! RS007 looks at *values* and files: it finds a token under any name, a
//! name only when it is given a literal value, and stays quiet about `ARG
//! GITHUB_TOKEN` without a value, which is the right way to pass one.
//!
//! ## Notes
//! - Messages never repeat a secret in full: they show its first
//!   characters and its length, or the URL with the password masked.
//! - `*.pem` files named like certificates (`cert.pem`, `ca.pem`,
//!   `fullchain.pem`, `*-cert.pem`) and `*.key` files named like signing
//!   or repository keys (`*.gpg.key`, `repo.key`, `release.key`) are
//!   public and not reported; `*.pub` files never are.
//! - `COPY . .` may copy a `.env` too; restage cannot know what
//!   `.dockerignore` keeps out.

use crate::dockerfile::instructions::CommandKind;
use crate::lint::context::LintContext;
use crate::lint::rule::{Category, Diagnostic, Origin, Rule, RuleMeta, Severity};
use crate::model::Instruction;

use super::secret_settings::{
    NamedSecret, assignments, is_curl, literal_secret, named_secrets, placeholder, secret_name,
    word_secret,
};
use super::support::unquote;

/// The rule.
pub struct Rs007;

/// Its metadata.
pub static META: &RuleMeta = &RuleMeta {
    code: "RS007",
    aliases: &[],
    name: "secret-in-image",
    title: "Secret written into the Dockerfile or copied into the image",
    severity: Severity::Error,
    category: Category::Security,
    origin: Origin::Restage,
    enabled_by_default: true,
    doc: "A literal secret in an `ARG` default, `ENV` or `LABEL` value, heredoc file or `RUN` line (AWS access keys, GitHub/GitLab/Slack/npm/PyPI tokens, Stripe and Google API keys, JWTs, private key blocks, URLs with a password, `password=` settings, literal values of settings named like secrets such as `ENV API_KEY=…` or `curl -u user:…`), or a key/credential file copied in (`id_rsa`, `id_ed25519`, private `*.pem`/`*.key`, `.env`, `.npmrc`, `.pypirc`, `.netrc`, `credentials`, `.git-credentials`, `.aws/`, `.ssh/`). Values, labels and command lines are kept in the image configuration and history, and a copied file stays in its layer even when deleted later — build stages included, through the build cache. Pass secrets with `RUN --mount=type=secret` (or `--mount=type=ssh`) instead. Values from variables (`$TOKEN`) are not reported; messages mask the secret.",
    bad: "FROM node:20-slim\nWORKDIR /app\nCOPY .npmrc package.json package-lock.json ./\nRUN npm ci --omit=dev\n",
    good: "# syntax=docker/dockerfile:1\nFROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --omit=dev\n",
};

/// A secret found in a text: what it is and its masked form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    what: &'static str,
    masked: String,
    /// The bytes of the text that are secret (for redaction).
    span: std::ops::Range<usize>,
}

/// The first characters of a secret and its length.
fn mask(secret: &str, keep: usize) -> String {
    let head: String = secret.chars().take(keep).collect();
    format!("`{head}…` ({} characters)", secret.chars().count())
}

fn is_token_char(c: char, extra: &str) -> bool {
    c.is_ascii_alphanumeric() || extra.contains(c)
}

/// The run of token characters starting at byte `start`.
fn token_at<'t>(text: &'t str, start: usize, extra: &str) -> &'t str {
    let rest = text.get(start..).unwrap_or_default();
    let len = rest
        .find(|c: char| !is_token_char(c, extra))
        .unwrap_or(rest.len());
    rest.get(..len).unwrap_or_default()
}

/// Whether the character before byte `at` is not part of a word.
fn boundary_before(text: &str, at: usize) -> bool {
    text.get(..at)
        .and_then(|t| t.chars().last())
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// Tokens of a known format: prefix, extra token characters, minimum
/// length after the prefix, what it is.
const TOKENS: &[(&str, &str, usize, &str)] = &[
    ("ghp_", "", 30, "GitHub token"),
    ("gho_", "", 30, "GitHub OAuth token"),
    ("ghu_", "", 30, "GitHub token"),
    ("ghs_", "", 30, "GitHub token"),
    ("ghr_", "", 30, "GitHub refresh token"),
    ("github_pat_", "_", 40, "GitHub token"),
    ("glpat-", "_-", 20, "GitLab token"),
    ("xoxb-", "-", 10, "Slack token"),
    ("xoxa-", "-", 10, "Slack token"),
    ("xoxp-", "-", 10, "Slack token"),
    ("xoxr-", "-", 10, "Slack token"),
    ("xoxs-", "-", 10, "Slack token"),
    ("npm_", "", 36, "npm token"),
    ("pypi-AgEIcHlwaS5vcmc", "_-", 40, "PyPI token"),
    ("sk_live_", "", 16, "Stripe secret key"),
    ("rk_live_", "", 16, "Stripe key"),
    ("AIza", "_-", 35, "Google API key"),
];

/// The shortest text `token_secrets` can find a secret in: a Slack token
/// (`xoxb-` and ten more characters). AWS key IDs are 20 characters, JWTs
/// three parts of ten or more, private keys a `-----BEGIN … PRIVATE
/// KEY-----` line (the test below checks the token table against it).
const SHORTEST_SECRET: usize = 15;

/// Every prefix `token_secrets` looks for, in one automaton.
static ANY_PREFIX: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        let prefixes = TOKENS
            .iter()
            .map(|t| t.0)
            .chain(["AKIA", "ASIA", "eyJ", "-----BEGIN"]);
        aho_corasick::AhoCorasick::new(prefixes).ok()
    });

/// What every secret `secret_spans` finds contains: a token prefix, a
/// URL's `://`, a password key or a part of a secret's name, in any case.
fn triggers() -> impl Iterator<Item = &'static str> {
    TOKENS
        .iter()
        .map(|t| t.0)
        .chain(["AKIA", "ASIA", "eyJ", "-----BEGIN"])
        .chain(["://", "password=", "passwd=", "pwd="])
        // What a secret named by its setting has: a part of the name, or
        // `curl` for `curl -u user:password`.
        .chain([
            "pass",
            "pwd",
            "pword",
            "secret",
            "token",
            "apikey",
            "credential",
        ])
        .chain(["_key", "-key", "curl"])
}

/// Every trigger as one regular expression: most texts hold none, and one
/// pass says so (its lazy DFA reads about 8 instructions a byte where
/// aho-corasick's automaton read 16: an 18 KB report, 139 K against 287 K).
static TRIGGER_REGEX: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    let alternatives: Vec<String> = triggers().map(regex::escape).collect();
    regex::Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
});

/// Secrets in `text` whose format alone identifies them.
fn token_secrets(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Most words of a command line are shorter than any secret.
    if text.len() < SHORTEST_SECRET {
        return out;
    }
    // Most texts hold none of the prefixes: one pass over the text decides.
    if ANY_PREFIX.as_ref().is_some_and(|ac| !ac.is_match(text)) {
        return out;
    }
    for (prefix, extra, min, what) in TOKENS {
        let mut from = 0;
        while let Some(pos) = text.get(from..).and_then(|t| t.find(prefix)) {
            let at = from + pos;
            from = at + prefix.len();
            if !boundary_before(text, at) {
                continue;
            }
            let token = token_at(text, at, if extra.is_empty() { "_" } else { extra });
            if token.len() >= prefix.len() + min {
                out.push(Found {
                    what,
                    masked: mask(token, prefix.len().max(4)),
                    span: at + prefix.len()..at + token.len(),
                });
            }
        }
    }
    // AWS access key IDs: AKIA/ASIA + 16 upper-case letters or digits.
    for prefix in ["AKIA", "ASIA"] {
        let mut from = 0;
        while let Some(pos) = text.get(from..).and_then(|t| t.find(prefix)) {
            let at = from + pos;
            from = at + prefix.len();
            let token = token_at(text, at, "");
            if boundary_before(text, at)
                && token.len() == 20
                && token
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                out.push(Found {
                    what: "AWS access key ID",
                    masked: mask(token, 4),
                    span: at + 4..at + token.len(),
                });
            }
        }
    }
    // JSON Web Tokens: three base64url parts, the first two JSON objects.
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|t| t.find("eyJ")) {
        let at = from + pos;
        from = at + 3;
        let token = token_at(text, at, "_-.");
        let parts: Vec<&str> = token.split('.').collect();
        if boundary_before(text, at)
            && parts.len() == 3
            && parts.get(1).is_some_and(|p| p.starts_with("eyJ"))
            && parts.iter().all(|p| p.len() >= 10)
        {
            out.push(Found {
                what: "JSON Web Token",
                masked: mask(token, 6),
                span: at + 3..at + token.len(),
            });
            from = at + token.len();
        }
    }
    const KEY_MARKER: &str = "PRIVATE KEY-----";
    if let Some(begin) = text.find("-----BEGIN")
        && let Some(line) = text.get(begin..).and_then(|t| t.lines().next())
        && let Some(marker) = line.find(KEY_MARKER)
    {
        let after_marker = begin + marker + KEY_MARKER.len();
        // On one line: `echo "-----BEGIN … KEY-----\nMIIE…\n-----END …"`.
        let span = match line.get(marker..).and_then(|l| l.find("-----END")) {
            Some(end) => after_marker..begin + marker + end,
            None => pem_body(text, begin + line.len()),
        };
        // Reported even with no body here (the key may follow in a way
        // not read as one); redaction masks what the span holds.
        out.push(Found {
            what: "private key",
            masked: format!("`{}` block", line.trim()),
            span,
        });
    }
    out
}

/// The body of a PEM block whose `BEGIN` line ends at `from`: the lines up
/// to its `END` line, or, when there is no `END` or a line that cannot be
/// part of a key comes first, up to the end of the last line that can.
/// A `BEGIN` line with no key after it (`echo "-----BEGIN … KEY-----" >
/// /k`) has an empty body: what follows it is the rest of the file.
fn pem_body(text: &str, from: usize) -> std::ops::Range<usize> {
    let rest = text.get(from..).unwrap_or_default();
    let skip = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    };
    let start = from + skip;
    let mut end = start;
    let mut at = start;
    for line in text.get(start..).unwrap_or_default().split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(i) = content.find("-----END") {
            return start..at + i;
        }
        match pem_line(content) {
            Some(true) => end = at + content.len(),
            Some(false) => {}
            None => break,
        }
        at += line.len();
    }
    start..end
}

/// Whether a line can be part of a PEM body: `Some(true)` for base64 or a
/// header (`Proc-Type: 4,ENCRYPTED`), `Some(false)` for a blank line, `None`
/// for anything else. A continuation's `\`, a literal `\n` and quotes
/// around it (a key written by `echo` in a `RUN`) are looked through.
fn pem_line(content: &str) -> Option<bool> {
    let c = content.trim();
    let c = c.strip_suffix('\\').unwrap_or(c).trim_end();
    let c = c.strip_suffix("\\n").unwrap_or(c);
    let c = c.trim_matches(['"', '\'']).trim();
    if c.is_empty() {
        return Some(false);
    }
    let base64 = c
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    let header = c.split_once(": ").is_some_and(|(key, _)| {
        !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
    });
    (base64 || header).then_some(true)
}

/// Where the next `://` in `text` at or after `from` starts. A search for
/// `:` (`memchr`) then a look at what follows: a substring search would
/// set up a searcher on every call, and most texts have no `:` at all.
fn scheme_separator(text: &str, mut from: usize) -> Option<usize> {
    loop {
        let at = from + text.get(from..)?.find(':')?;
        if text.get(at..)?.starts_with("://") {
            return Some(at);
        }
        from = at + 1;
    }
}

/// `scheme://user:password@host` with a literal password.
fn url_credentials(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = scheme_separator(text, from) {
        from = at + 3;
        let scheme_start = text
            .get(..at)
            .and_then(|t| t.rfind(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c))))
            .map_or(0, |i| i + 1);
        let scheme = text.get(scheme_start..at).unwrap_or_default();
        let rest = text.get(at + 3..).unwrap_or_default();
        let authority_len = rest
            .find(|c: char| c == '/' || c.is_whitespace() || "\"'<>".contains(c))
            .unwrap_or(rest.len());
        let authority = rest.get(..authority_len).unwrap_or_default();
        let Some((userinfo, host)) = authority.rsplit_once('@') else {
            continue;
        };
        let Some((user, password)) = userinfo.split_once(':') else {
            continue;
        };
        if scheme.is_empty()
            || host.is_empty()
            || password.is_empty()
            || placeholder(password)
            || user.contains('$')
        {
            continue;
        }
        let password_start = at + 3 + user.len() + 1;
        out.push(Found {
            what: "password in a URL",
            masked: format!("`{scheme}://{user}:****@{host}`"),
            span: password_start..password_start + password.len(),
        });
    }
    out
}

/// `password=value`, `pwd=value` with a literal value.
fn password_settings(text: &str) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for key in ["password=", "passwd=", "pwd="] {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|t| t.find(key)) {
            let at = from + pos;
            from = at + key.len();
            if !boundary_before(text, at) && key == "pwd=" {
                continue;
            }
            let after_key = text.get(at + key.len()..).unwrap_or_default();
            let rest = after_key.trim_start_matches(['"', '\'']);
            let value_start = at + key.len() + (after_key.len() - rest.len());
            let len = rest
                .find(|c: char| c.is_whitespace() || ";&,\"'".contains(c))
                .unwrap_or(rest.len());
            let value = rest.get(..len).unwrap_or_default();
            if value.is_empty() || placeholder(value) {
                continue;
            }
            out.push(Found {
                what: "password",
                masked: format!(
                    "`{}…` ({} characters)",
                    text.get(at..at + key.len()).unwrap_or(key),
                    value.chars().count()
                ),
                span: value_start..value_start + value.len(),
            });
        }
    }
    out
}

/// Where in `text` something starts that every secret [`secret_spans`]
/// finds contains (a token prefix, `://`, a password key; in any case),
/// ascending; `None` when that is not known, so any part of `text` may
/// hold one. A part of `text` with no such start holds no secret.
pub fn secret_markers(text: &str) -> Option<Vec<usize>> {
    TRIGGER_REGEX
        .as_ref()
        .map(|re| re.find_iter(text).map(|m| m.start()).collect())
}

/// The byte ranges of `text` that hold a secret of any kind RS007 knows:
/// tokens of a known format (their recognisable prefix kept), passwords in
/// URLs, `password=` values, private key bodies and values a secret's name
/// is given (`API_KEY=…`, `ENV DB_PASSWORD …`, `curl -u user:…`; see
/// `secret_settings`). Redaction masks these
/// before a report is stored or shown.
pub fn secret_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    if TRIGGER_REGEX.as_ref().is_some_and(|re| !re.is_match(text)) {
        return Vec::new();
    }
    let mut spans: Vec<std::ops::Range<usize>> = token_secrets(text)
        .into_iter()
        .chain(url_credentials(text))
        .chain(password_settings(text))
        .map(|f| f.span)
        .filter(|r| r.start < r.end && text.get(r.clone()).is_some_and(|v| !v.contains('$')))
        .collect();
    // A value a secret's name is given, unless it holds a secret found by
    // its format (whose recognisable prefix is kept: `TOKEN=ghp_****`).
    let named: Vec<std::ops::Range<usize>> = named_secrets(text)
        .into_iter()
        .map(|s| s.span)
        .filter(|r| !spans.iter().any(|f| f.start < r.end && r.start < f.end))
        .collect();
    spans.extend(named);
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    // A mask never takes a line break with it: a key's body is masked line
    // by line, so the file keeps its lines and findings their line numbers.
    merged
        .into_iter()
        .flat_map(|span| line_parts(text, span))
        .collect()
}

/// The parts of `span` between line breaks (`\n`, `\r\n`), empty parts left
/// out.
fn line_parts(text: &str, span: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut at = span.start;
    for piece in text
        .get(span.clone())
        .unwrap_or_default()
        .split_inclusive('\n')
    {
        let content = piece.trim_end_matches(['\n', '\r']);
        if !content.is_empty() {
            parts.push(at..at + content.len());
        }
        at += piece.len();
    }
    parts
}

/// Secrets in a literal value (ARG default, ENV/LABEL value, heredoc file).
fn value_secrets(text: &str) -> Vec<Found> {
    let mut out = token_secrets(text);
    if out.is_empty() {
        // A token in a URL is reported as the token.
        out.extend(url_credentials(text));
        out.extend(password_settings(text));
    }
    if out.is_empty() {
        out.extend(
            named_secrets(text)
                .into_iter()
                .map(|s| named_found(text, s)),
        );
    }
    out.retain(|f| !f.masked.contains('$'));
    out
}

/// Secrets in a `RUN` command line (no `password=` guessing there).
fn command_secrets(text: &str) -> Vec<Found> {
    let mut out = token_secrets(text);
    if out.is_empty() {
        out.extend(url_credentials(text));
    }
    out.retain(|f| !f.masked.contains('$'));
    out
}

/// A value a secret's name is given in `text` (`secret_settings`).
fn named_found(text: &str, s: NamedSecret) -> Found {
    Found {
        what: "secret value",
        masked: format!(
            "of `{}` ({} characters)",
            s.name,
            text.get(s.span.clone()).map_or(0, |v| v.chars().count())
        ),
        span: s.span,
    }
}

/// Secrets named by their setting in one command of a `RUN`: assignments
/// before it (`TOKEN=… ./deploy`), `NAME=value` words (`export`), option
/// values (`--password …`, `curl -u user:…`).
fn command_named(cmd: &crate::model::shell::SimpleCommand) -> Vec<Found> {
    let mut out: Vec<Found> = cmd
        .assignments
        .iter()
        .filter_map(|(name, value)| named_value(name, value))
        .collect();
    let curl = is_curl(&cmd.name);
    let mut previous = None;
    for arg in &cmd.args {
        if arg.contains('=') {
            let mut named = Vec::new();
            assignments(arg, &mut named);
            out.extend(named.into_iter().map(|s| named_found(arg, s)));
        }
        if let Some((name, span)) = word_secret(previous, arg, curl) {
            out.push(named_found(arg, NamedSecret { name, span }));
        }
        previous = Some(arg.as_str());
    }
    out
}

/// A literal `value` given to a setting whose `name` says it is a secret.
fn named_value(name: &str, value: &str) -> Option<Found> {
    (secret_name(name) && literal_secret(value)).then(|| Found {
        what: "secret value",
        masked: format!("({} characters)", value.chars().count()),
        span: 0..0,
    })
}

/// Why a copied path is a key or credential file.
fn credential_file(path: &str) -> Option<&'static str> {
    let path = path.trim_matches('"').trim_end_matches('/');
    let base = path.rsplit('/').next().unwrap_or(path);
    let lower = base.to_ascii_lowercase();
    if lower.ends_with(".pub") {
        return None;
    }
    let has = |list: &[&str]| lower.split(['.', '-', '_']).any(|w| list.contains(&w));
    Some(match lower.as_str() {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            "an SSH private key"
        }
        ".npmrc" => "an npm configuration file that may hold a registry token",
        ".pypirc" => "a PyPI configuration file with upload credentials",
        ".netrc" | "_netrc" => "a .netrc file with login credentials",
        ".git-credentials" => "a git credential store",
        "credentials" | "credentials.json" => "a credentials file",
        ".ssh" => "an SSH directory",
        ".aws" => "an AWS configuration directory",
        ".gnupg" => "a GnuPG directory with private keys",
        ".env" => "a .env file",
        _ if lower.starts_with(".env.") => {
            if has(&[
                "example", "sample", "template", "dist", "defaults", "default", "test", "ci",
            ]) {
                return None;
            }
            "a .env file"
        }
        _ if lower.ends_with(".pem") => {
            if has(&[
                "cert",
                "certs",
                "certificate",
                "crt",
                "ca",
                "cacert",
                "chain",
                "fullchain",
                "bundle",
                "root",
                "rootca",
                "public",
                "pub",
                "trust",
                "dhparam",
                "dhparams",
            ]) {
                return None;
            }
            "a PEM file (private key)"
        }
        _ if lower.ends_with(".key") => {
            if has(&[
                "gpg", "pgp", "asc", "apt", "repo", "signing", "release", "archive", "public",
                "pub", "keyring", "pubkey",
            ]) {
                return None;
            }
            "a private key file"
        }
        _ => return None,
    })
}

/// Whether a destination is inside an SSH or AWS directory (and not a
/// public file such as `known_hosts` or `config`).
fn credential_destination(dest: &str, sources: &[String]) -> Option<&'static str> {
    let dest = dest.trim_matches('"');
    // `/dir/` inside, `/dir` at the end or `dir/` at the start.
    let inside = |dir: &str| dest.contains('/') && dest.split('/').any(|c| c == dir);
    let public = |s: &str| {
        let base = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
        base.ends_with(".pub")
            || matches!(
                base,
                "known_hosts" | "config" | "authorized_keys" | "ssh_config"
            )
    };
    if inside(".ssh") && !sources.iter().all(|s| public(s)) && !public(dest) {
        return Some("a file copied into an .ssh directory");
    }
    if inside(".aws") && !dest.ends_with("/config") {
        return Some("a file copied into an .aws directory");
    }
    credential_file(dest)
}

fn report(
    cx: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    instruction: &Instruction,
    found: Vec<Found>,
    place: std::fmt::Arguments<'_>,
) {
    for f in found {
        out.push(
            cx.at(
                instruction,
                format!("{} {} in {place}: it is kept in the image configuration or history", f.what, f.masked),
            )
            .with_fix(
                "Remove it (and rotate it); pass it at build time with `RUN --mount=type=secret,id=...` or at run time as an environment variable",
            ),
        );
    }
}

impl Rule for Rs007 {
    fn meta(&self) -> &'static RuleMeta {
        META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (instruction, kind, onbuild) in cx.typed(true) {
            match kind {
                CommandKind::Arg(decls) => {
                    for d in decls {
                        if let Some(default) = &d.default {
                            let value = unquote(default);
                            let mut found = value_secrets(&value);
                            if found.is_empty() {
                                found.extend(named_value(&d.key, &value));
                            }
                            report(
                                cx,
                                out,
                                instruction,
                                found,
                                format_args!("the default of ARG `{}`", d.key),
                            );
                        }
                    }
                }
                CommandKind::Env(pairs) | CommandKind::Label(pairs) => {
                    let keyword = if matches!(kind, CommandKind::Env(_)) {
                        "ENV"
                    } else {
                        "LABEL"
                    };
                    for p in pairs {
                        let value = unquote(&p.value);
                        let mut found = value_secrets(&value);
                        if found.is_empty() && keyword == "ENV" {
                            found.extend(named_value(&unquote(&p.key), &value));
                        }
                        report(
                            cx,
                            out,
                            instruction,
                            found,
                            format_args!("{keyword} `{}`", unquote(&p.key)),
                        );
                    }
                }
                CommandKind::Copy(_) | CommandKind::Add(_) => {
                    let (sources, contents, dest) = match kind {
                        CommandKind::Copy(c) => (&c.sources, &c.contents, &c.dest),
                        CommandKind::Add(a) => (&a.sources, &a.contents, &a.dest),
                        _ => continue,
                    };
                    let keyword = if matches!(kind, CommandKind::Copy(_)) {
                        "COPY"
                    } else {
                        "ADD"
                    };
                    let mut reported = false;
                    // A key copied to `*.pub`/`*.asc`/`*.gpg` is a public key.
                    let public_dest = [".pub", ".asc", ".gpg"].iter().any(|e| dest.ends_with(e));
                    for s in sources {
                        if let Some(why) = credential_file(s).filter(|_| !public_dest) {
                            reported = true;
                            out.push(
                                cx.at(
                                    instruction,
                                    format!(
                                        "{keyword} puts `{s}`, {why}, into a layer of the image"
                                    ),
                                )
                                .with_fix(copy_fix(s)),
                            );
                        } else {
                            let found = url_credentials(s);
                            report(
                                cx,
                                out,
                                instruction,
                                found,
                                format_args!("the {keyword} source"),
                            );
                        }
                    }
                    if !reported
                        && contents.is_empty()
                        && let Some(why) = credential_destination(dest, sources)
                    {
                        out.push(
                            cx.at(
                                instruction,
                                format!(
                                    "{keyword} to `{dest}` puts {why} into a layer of the image"
                                ),
                            )
                            .with_fix(copy_fix(dest)),
                        );
                    }
                    for c in contents {
                        let mut found = value_secrets(&c.data);
                        if found.is_empty()
                            && let Some(why) =
                                credential_destination(dest, std::slice::from_ref(&c.path))
                        {
                            out.push(
                                cx.at(
                                    instruction,
                                    format!(
                                        "{keyword} to `{dest}` puts {why} into a layer of the image"
                                    ),
                                )
                                .with_fix(copy_fix(dest)),
                            );
                        }
                        found.dedup();
                        report(
                            cx,
                            out,
                            instruction,
                            found,
                            format_args!("the {keyword} heredoc `{}`", c.path),
                        );
                    }
                }
                CommandKind::Run(_) => {
                    let run = if onbuild {
                        instruction.trigger.as_ref().and_then(|t| t.run.as_ref())
                    } else {
                        instruction.run.as_ref()
                    };
                    let Some(run) = run else { continue };
                    let mut found: Vec<Found> = Vec::new();
                    for cmd in run.commands() {
                        let words = cmd
                            .assignments
                            .iter()
                            .map(|(_, v)| v.as_str())
                            .chain(std::iter::once(cmd.name.as_str()))
                            .chain(cmd.args.iter().map(String::as_str));
                        let before = found.len();
                        for w in words {
                            for f in command_secrets(w) {
                                if !found.contains(&f) {
                                    found.push(f);
                                }
                            }
                        }
                        if found.len() == before {
                            found.extend(command_named(cmd));
                        }
                    }
                    report(
                        cx,
                        out,
                        instruction,
                        found,
                        format_args!("a RUN command line"),
                    );
                }
                _ => {}
            }
        }
    }
}

fn copy_fix(path: &str) -> String {
    if path.contains("ssh") || path.contains("id_") {
        "Use `RUN --mount=type=ssh` (with `docker build --ssh default`) for git over SSH instead of copying keys".to_string()
    } else {
        format!(
            "Do not copy `{path}`; mount it only where it is needed with `RUN --mount=type=secret,id=...,target=...` and exclude it in .dockerignore"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{assert_lines, diagnostics};

    const AWS: &str = "AKIAIOSFODNN7EXAMPLE";
    const GH: &str = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

    #[test]
    fn no_secret_is_shorter_than_the_shortest() {
        for (prefix, _, min, what) in TOKENS {
            assert!(prefix.len() + min >= SHORTEST_SECRET, "{what}");
        }
        // The shortest of each kind is found; one character less is not.
        let slack = "xoxb-0123456789";
        assert_eq!(slack.len(), SHORTEST_SECRET);
        assert_eq!(token_secrets(slack).len(), 1);
        assert!(token_secrets(&slack[..14]).is_empty());
        assert_eq!(token_secrets(AWS).len(), 1);
        let jwt = "eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK";
        assert_eq!(token_secrets(jwt).len(), 1);
        let key = "-----BEGIN PRIVATE KEY-----";
        assert_eq!(token_secrets(key).len(), 1);
    }

    #[test]
    fn secrets_in_values_and_files() {
        let aws_env = format!("FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID={AWS}\n");
        let gh_arg = format!("FROM alpine:3.20\nARG TOKEN={GH}\n");
        let gh_run = format!("FROM alpine:3.20\nRUN git clone https://x:{GH}@github.com/o/r.git\n");
        let gh_onbuild = format!(
            "FROM alpine:3.20\nONBUILD RUN curl -H 'Authorization: token {GH}' https://api.github.com\n"
        );
        let gh_heredoc = format!(
            "FROM alpine:3.20\nRUN <<EOF\ncurl -H \"Authorization: token {GH}\" https://x\nEOF\n"
        );
        let arg_from = format!("ARG KEY={AWS}\nFROM alpine:3.20\n");
        assert_lines(
            &Rs007,
            &[
                (&aws_env, &[2]),
                (&gh_arg, &[2]),
                (&gh_run, &[2]),
                (&gh_onbuild, &[2]),
                (&gh_heredoc, &[2]),
                (&arg_from, &[1]),
                (
                    "FROM alpine:3.20\nARG GITHUB_TOKEN\nENV TOKEN=$GITHUB_TOKEN\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nENV DATABASE_URL=postgres://app:s3cr3t@db:5432/app\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\n",
                    &[],
                ),
                ("FROM alpine:3.20\nENV URL=https://example.com/a:b@c\n", &[]),
                (
                    "FROM alpine:3.20\nENV JDBC=\"jdbc:sqlserver://db;user=sa;password=Str0ng!\"\n",
                    &[2],
                ),
                ("FROM alpine:3.20\nENV OPTS=\"--password=$PASS\"\n", &[]),
                (
                    "FROM alpine:3.20\nLABEL token=\"xoxb-123456789012-abcdefghijkl\"\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nENV JWT=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nCOPY <<EOF /root/.ssh/id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\nEOF\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nENV NOT_AWS=AKIAsmall PATH=/usr/bin\n",
                    &[],
                ),
                // Values a secret's name is given.
                ("FROM alpine:3.20\nENV API_KEY=sk-4f9a8b7c\n", &[2]),
                ("FROM alpine:3.20\nENV sa_password g0rd0n1!\n", &[2]),
                ("FROM alpine:3.20\nARG NPM_TOKEN=abc123def\n", &[2]),
                (
                    "FROM alpine:3.20\nRUN curl -u bob:hunter2 -O https://x/a\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nRUN export DB_PASSWORD=hunter2 && ./migrate\n",
                    &[2],
                ),
                ("FROM alpine:3.20\nRUN API_TOKEN=t0k3n ./deploy.sh\n", &[2]),
                (
                    "FROM alpine:3.20\nCOPY <<EOF /app/.env.production\nJWT_SECRET=abcdef123\nEOF\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nENV API_KEY=\"\" NPM_TOKEN=${NPM_TOKEN}\n",
                    &[],
                ),
                (
                    "FROM python:3.12\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n",
                    &[],
                ),
                ("FROM alpine:3.20\nENV PASSWORD_FILE=/run/secrets/pw\n", &[]),
                ("FROM alpine:3.20\nLABEL api_key=abc123\n", &[]),
                (
                    "FROM alpine:3.20\nRUN curl -u \"$USER:$PASS\" https://x\n",
                    &[],
                ),
                // Key and credential files.
                ("FROM alpine:3.20\nCOPY id_rsa /root/.ssh/id_rsa\n", &[2]),
                (
                    "FROM alpine:3.20\nCOPY id_rsa.pub /root/.ssh/authorized_keys\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nCOPY known_hosts /root/.ssh/known_hosts\n",
                    &[],
                ),
                ("FROM alpine:3.20\nCOPY deploy_key /root/.ssh/\n", &[2]),
                ("FROM alpine:3.20\nCOPY .env /app/\n", &[2]),
                (
                    "FROM alpine:3.20\nCOPY .env.example /app/.env.example\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nCOPY server.key server.crt /etc/ssl/\n",
                    &[2],
                ),
                ("FROM alpine:3.20\nCOPY nodesource.gpg.key /tmp/\n", &[]),
                (
                    "FROM alpine:3.20\nCOPY jenkins.io-2026.key /war/jenkins-key.pub\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nENV DATABASE_URL=postgresql://placeholder:placeholder@localhost:5432/x\n",
                    &[],
                ),
                (
                    "FROM alpine:3.20\nLABEL run=\"docker run -e SA_PASSWORD=yourStrong@Password x\"\n",
                    &[],
                ),
                ("FROM alpine:3.20\nCOPY privkey.pem /etc/ssl/\n", &[2]),
                (
                    "FROM alpine:3.20\nCOPY fullchain.pem cert.pem /etc/ssl/\n",
                    &[],
                ),
                ("FROM node:20\nCOPY .npmrc package.json ./\n", &[2]),
                (
                    "FROM alpine:3.20\nADD credentials /root/.aws/credentials\n",
                    &[2],
                ),
                (
                    "FROM alpine:3.20\nCOPY --from=build /root/.ssh /root/.ssh\n",
                    &[2],
                ),
                ("FROM alpine:3.20\nONBUILD COPY .env /app/\n", &[2]),
                // Build stages count: their layers are in the build cache.
                (
                    "FROM alpine:3.20 AS build\nCOPY id_ed25519 /root/.ssh/\nFROM alpine:3.20\n",
                    &[2],
                ),
            ],
        );
    }

    #[test]
    fn messages_mask_the_secret() {
        let d = diagnostics(&Rs007, &format!("FROM alpine:3.20\nENV KEY={AWS} T={GH}\n"));
        assert_eq!(d.len(), 2);
        for d in &d {
            assert!(
                !d.message.contains(AWS) && !d.message.contains(GH),
                "{}",
                d.message
            );
        }
        for (file, want) in [
            (
                "FROM alpine:3.20\nENV sa_password g0rd0n1!\n",
                "secret value (8 characters) in ENV `sa_password`",
            ),
            (
                "FROM alpine:3.20\nRUN curl -u bob:hunter2 https://x\n",
                "secret value of `curl -u` (7 characters) in a RUN command line",
            ),
        ] {
            let d = diagnostics(&Rs007, file);
            let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
            assert!(
                m.starts_with(want) && !m.contains("g0rd0n1") && !m.contains("hunter2"),
                "{m}"
            );
        }
        let d = diagnostics(
            &Rs007,
            "FROM alpine:3.20\nENV U=https://bob:hunter2@example.com/x\n",
        );
        let m = d.first().map(|d| d.message.clone()).unwrap_or_default();
        assert!(
            m.contains("https://bob:****@example.com") && !m.contains("hunter2"),
            "{m}"
        );
    }
}
