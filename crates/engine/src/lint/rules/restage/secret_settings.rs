//! Secrets named by their setting rather than by their format: a literal
//! value under a name that says it is a secret (`DB_PASSWORD=…`, `ENV
//! sa_password …`, `--api-token …`, `curl -u user:…`). RS007 reports them
//! and redaction masks them.
//!
//! A name is a secret's when one of its parts (split at `_`, `-`, `.`) is
//! a secret word (`password`, `passwd`, `pass`, `pwd`, `secret`, `token`,
//! `apikey`, `credentials`, …) or is `key` with another part before or
//! after it (`API_KEY`, `SECRET_KEY_BASE`), unless it names public key
//! material (a `gpg`, `pgp`, `public` part: `GPG_KEY`, `PGP_KEY_ID`) or
//! something about the secret rather than the secret itself (a part after
//! the last secret word such as `file`, `url`, `version`, `length`:
//! `PASSWORD_FILE`, `TOKEN_URL`). A value is a secret when it is literal
//! and not a placeholder, a yes/no word or a path.

use std::ops::Range;

/// Parts of a name that make its value a secret.
const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pword",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "secretkey",
    "accesskey",
];

/// Parts anywhere in a name that make it public key material.
const PUBLIC_PARTS: &[&str] = &[
    "gpg",
    "pgp",
    "gnupg",
    "public",
    "pub",
    "keyring",
    "keyserver",
];

/// Parts after the last secret word that make the name describe the
/// secret (where it is, how long it is) rather than hold it.
const ABOUT_PARTS: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "version",
    "config",
    "name",
    "user",
    "username",
    "id",
    "ids",
    "type",
    "mode",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "lifetime",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "header",
    "algorithm",
    "method",
    "policy",
    "provider",
    "rotation",
    "sha",
    "sha1",
    "sha256",
    "sha384",
    "sha512",
    "md5",
    "checksum",
    "hash",
    "digest",
    "sum",
    "sig",
    "signature",
    "fingerprint",
    "server",
    "hint",
    "prompt",
    "reset",
    "bits",
    "size",
    "format",
    "location",
    "env",
    "prefix",
    "suffix",
];

fn is_one_of(part: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(part))
}

/// What an option's `key` must follow to name a secret (`--api-key`):
/// most options with `key` in them act on keys (`--recv-key`,
/// `--skip-keys`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "auth",
    "client",
    "license",
    "master",
    "encryption",
    "session",
];

/// Whether a setting called `name` holds a secret (an option's leading
/// `-` are ignored).
pub(super) fn secret_name(name: &str) -> bool {
    let option = name.starts_with('-');
    let mut secret_at = None;
    let mut about_at = None;
    let mut previous = "";
    let mut count = 0usize;
    for part in name
        .trim_start_matches('-')
        .split(['_', '-', '.'])
        .filter(|p| !p.is_empty())
    {
        if is_one_of(part, PUBLIC_PARTS) {
            return false;
        }
        let key =
            part.eq_ignore_ascii_case("key") && (!option || is_one_of(previous, KEY_QUALIFIERS));
        if is_one_of(part, SECRET_PARTS) || key {
            secret_at = Some((count, key));
        } else if is_one_of(part, ABOUT_PARTS) {
            about_at = Some(count);
        }
        previous = part;
        count += 1;
    }
    match secret_at {
        // `KEY` alone says nothing; `API_KEY`, `KEY_BASE` do.
        Some((_, true)) if count < 2 => false,
        Some((at, _)) => about_at.is_none_or(|about| about < at),
        None => false,
    }
}

/// Values that are not secrets: variables, obvious placeholders
/// (`<password>`, `xxx`, `yourStrong@Password`, `changeme`, `placeholder`,
/// a run of one character) and the documented default passwords of
/// official images (`postgres`, `guest`, `root`, `admin`), which are
/// public knowledge.
pub(super) fn placeholder(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']);
    let lower = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "changeme",
        "change_me",
        "changeit",
        "placeholder",
        "dummy",
        "example",
        "sample",
        "test",
        "testing",
        "foo",
        "bar",
        "user",
        "postgres",
        "guest",
        "root",
        "admin",
        "mysql",
        "redis",
        "none",
        "null",
        "todo",
    ];
    let mut chars = v.chars();
    let first = chars.next();
    WORDS.contains(&lower.as_str())
        || lower.starts_with("your")
        || lower.contains("placeholder")
        || lower.contains("example")
        || lower.contains("changeme")
        || lower.contains("dummy")
        || v.contains('$')
        || v.contains('%')
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('{') && v.ends_with('}'))
        || (v.starts_with('[') && v.ends_with(']'))
        || v.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-'))
        || (v.len() >= 3 && chars.all(|c| Some(c) == first))
}

/// Whether `value` (unquoted) under a secret's name is itself a secret:
/// literal, four characters or more, not a placeholder, not a yes/no
/// word, not a path, a file or a URL (a URL's password is found as one),
/// not the name of a secret.
pub(super) fn literal_secret(value: &str) -> bool {
    const SWITCHES: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "0", "1", "enabled", "disabled",
    ];
    /// A value with one of these is a file or a secret's name, not the
    /// secret (`--aes-pwd proxy-secret`, `TOKEN=token.txt`).
    const REFERENCES: &[&str] = &["secret", "password", "passwd", "token"];
    const FILES: &[&str] = &[
        ".txt", ".conf", ".cfg", ".ini", ".json", ".yaml", ".yml", ".pem", ".key", ".env",
    ];
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.chars().nth(3).is_some()
        && !placeholder(v)
        && !v.starts_with('<')
        && !is_one_of(v, SWITCHES)
        && !["/", "~/", "./", "../"].iter().any(|p| v.starts_with(p))
        && !v.contains("://")
        && !REFERENCES.iter().any(|r| lower.contains(r))
        && !FILES.iter().any(|f| lower.ends_with(f))
}

/// A secret value found in a text by its setting's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NamedSecret {
    /// The setting's name as written (`DB_PASSWORD`, `--token`, `curl -u`).
    pub name: String,
    /// The bytes of the value, without quotes.
    pub span: Range<usize>,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The end of a value starting at byte `start`: a quoted value ends at
/// its closing quote on the same line (returned without the quotes), a
/// bare one at white space or shell punctuation.
fn value_at(text: &str, start: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    match bytes.get(start) {
        Some(&quote @ (b'"' | b'\'')) => {
            let from = start + 1;
            let len = bytes
                .get(from..)
                .unwrap_or_default()
                .iter()
                .position(|&b| b == quote || b == b'\n')
                .unwrap_or(bytes.len().saturating_sub(from));
            from..from + len
        }
        _ => {
            let len = bytes
                .get(start..)
                .unwrap_or_default()
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b";&|,\"'`)".contains(&b))
                .unwrap_or(bytes.len().saturating_sub(start));
            start..start + len
        }
    }
}

/// `NAME=value` anywhere in `text` (an `ENV`/`ARG` pair, a shell
/// assignment, an option, a line of a `.env` file).
pub(super) fn assignments(text: &str, out: &mut Vec<NamedSecret>) {
    let bytes = text.as_bytes();
    for eq in memchr::memchr_iter(b'=', bytes) {
        let name_start = bytes
            .get(..eq)
            .unwrap_or_default()
            .iter()
            .rposition(|&b| !is_name_byte(b))
            .map_or(0, |i| i + 1);
        let Some(name) = text.get(name_start..eq).filter(|n| !n.is_empty()) else {
            continue;
        };
        if bytes.get(eq + 1) == Some(&b'=') || !secret_name(name) {
            continue;
        }
        let span = value_at(text, eq + 1);
        if text.get(span.clone()).is_some_and(literal_secret) {
            out.push(NamedSecret {
                name: name.to_string(),
                span,
            });
        }
    }
}

/// The lines of `text` with the byte each starts at.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// `ENV NAME value` (the form without `=`): the value is the rest of the
/// line, and of the lines a trailing `\` or `` ` `` continues it onto.
fn env_space_form(text: &str, out: &mut Vec<NamedSecret>) {
    let mut lines = lines(text).peekable();
    while let Some((start, line)) = lines.next() {
        let body = line.trim_start();
        let Some(rest) = body
            .get(..4)
            .filter(|k| k.eq_ignore_ascii_case("env ") || k.eq_ignore_ascii_case("env\t"))
            .and_then(|_| body.get(4..))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let name_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or_default();
        if name.is_empty() || name.contains('=') || !secret_name(name) {
            continue;
        }
        let value_from = start + (line.len() - rest.len()) + name_len;
        let mut parts = Vec::new();
        let mut continued = part_of_line(text, value_from, start + line.len(), &mut parts);
        while continued {
            let Some((next_start, next)) = lines.next() else {
                break;
            };
            continued = part_of_line(text, next_start, next_start + next.len(), &mut parts);
        }
        let value: String = parts
            .iter()
            .filter_map(|p| text.get(p.clone()))
            .collect::<Vec<_>>()
            .join(" ");
        if literal_secret(value.trim_matches(['"', '\''])) {
            out.extend(parts.into_iter().map(|span| NamedSecret {
                name: name.to_string(),
                span,
            }));
        }
    }
}

/// Adds the trimmed text of `from..to` (one line's value part, without a
/// trailing continuation or quotes) to `parts`; whether it ends with a
/// continuation.
fn part_of_line(text: &str, from: usize, to: usize, parts: &mut Vec<Range<usize>>) -> bool {
    let piece = text.get(from..to).unwrap_or_default();
    let trimmed_start = piece.trim_start();
    let mut start = from + (piece.len() - trimmed_start.len());
    let mut content = trimmed_start.trim_end();
    let continued = content.ends_with(['\\', '`']);
    if continued {
        content = content
            .get(..content.len().saturating_sub(1))
            .unwrap_or_default()
            .trim_end();
    }
    if let Some(inner) = content.strip_prefix(['"', '\'']) {
        start += 1;
        content = inner;
    }
    content = content.strip_suffix(['"', '\'']).unwrap_or(content);
    if !content.is_empty() {
        parts.push(start..start + content.len());
    }
    continued
}

/// The words of a line (split at white space) with the byte each starts
/// at.
fn words(line: &str, offset: usize) -> impl Iterator<Item = (usize, &str)> {
    let bytes = line.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at
            + bytes
                .get(at..)?
                .iter()
                .position(|b| !b.is_ascii_whitespace())?;
        let len = bytes
            .get(start..)?
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(bytes.len() - start);
        at = start + len;
        Some((offset + start, line.get(start..at)?))
    })
}

/// Whether `word` (unquoted) is `curl` run by name or path.
pub(super) fn is_curl(word: &str) -> bool {
    word == "curl" || word.ends_with("/curl")
}

/// The secret in a command's `word` (unquoted) given the word before it,
/// as its setting's name and the bytes of `word` it takes: the value of an
/// option named like a secret (`--password hunter2`, `--api-token t`), or
/// the password of `curl`'s `-u user:password` (`--user`, `--user=`,
/// `-uuser:password`) when `curl` is the command.
pub(super) fn word_secret(
    previous: Option<&str>,
    word: &str,
    curl: bool,
) -> Option<(String, Range<usize>)> {
    let user_option = |option: &str, from: usize| {
        let password = user_password(word.get(from..)?)?;
        Some((
            format!("curl {option}"),
            from + password.start..from + password.end,
        ))
    };
    match previous {
        Some(option @ ("-u" | "--user")) if curl => return user_option(option, 0),
        Some(option)
            if option.starts_with("--")
                && !option.contains('=')
                && secret_name(option)
                && !word.starts_with('-')
                && !word.contains('=')
                && literal_secret(word) =>
        {
            return Some((option.to_string(), 0..word.len()));
        }
        _ => {}
    }
    if !curl {
        None
    } else if word.starts_with("--user=") {
        user_option("--user", 7)
    } else if word.len() > 2 && word.starts_with("-u") {
        user_option("-u", 2)
    } else {
        None
    }
}

/// The password of `user:password` when it is literal.
fn user_password(value: &str) -> Option<Range<usize>> {
    let colon = value.find(':')?;
    let user = value.get(..colon)?;
    let password = value.get(colon + 1..)?;
    (!user.contains('$') && literal_secret(password)).then(|| colon + 1..value.len())
}

/// Options and their values in the lines of `text` ([`word_secret`]).
fn option_values(text: &str, out: &mut Vec<NamedSecret>) {
    for (start, line) in lines(text) {
        let mut curl = false;
        let mut previous: Option<&str> = None;
        for (at, word) in words(line, start) {
            let bare = word.trim_matches(['"', '\'']);
            let quote = word.len() - word.trim_start_matches(['"', '\'']).len();
            curl |= is_curl(bare);
            // An option's quoted value runs to its closing quote on the
            // line, spaces included (`--password "two words"`).
            let value = match previous {
                Some(option) if option.starts_with("--") && quote == 1 => {
                    let inner = value_at(text, at);
                    let closed = text.as_bytes().get(inner.end) == word.as_bytes().first();
                    text.get(inner.clone())
                        .filter(|_| closed)
                        .map(|v| (v, inner.start))
                }
                _ => None,
            }
            .unwrap_or((bare, at + quote));
            if let Some((name, span)) = word_secret(previous, value.0, curl) {
                out.push(NamedSecret {
                    name,
                    span: value.1 + span.start..value.1 + span.end,
                });
            }
            previous = Some(bare);
        }
    }
}

/// Every value in `text` that its setting's name says is a secret.
pub(super) fn named_secrets(text: &str) -> Vec<NamedSecret> {
    let mut out = Vec::new();
    assignments(text, &mut out);
    env_space_form(text, &mut out);
    option_values(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_secrets() {
        for name in [
            "PASSWORD",
            "DB_PASSWORD",
            "sa_password",
            "MYSQL_PASSWD",
            "NAGIOSADMIN_PASS",
            "API_KEY",
            "apiKey",
            "SECRET_KEY_BASE",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "NPM_AUTH_TOKEN",
            "--password",
            "--api-token",
            "DB_USER_PASSWORD",
            "JWT_SECRET",
            "STRIPE_KEY",
            "--api-key",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "KEY",
            "GPG_KEY",
            "GPG_KEYS",
            "RABBITMQ_PGP_KEY_ID",
            "PUBLIC_KEY",
            "PASSWORD_FILE",
            "MINIO_ACCESS_KEY_FILE",
            "TOKEN_URL",
            "SIGNING_KEY_URL",
            "DOCKER_CREDENTIAL_GCR_CONFIG",
            "PASSWORD_MIN_LENGTH",
            "SECRETFILE",
            "VALKEY_VERSION",
            "KEYCLOAK_VERSION",
            "BYPASS",
            "PATH",
            "--user",
            "SECRET_NAME",
            "KEY_SHA512",
            "--recv-keys",
            "--recv-key",
            "--skip-keys",
            "PASSWORD_HASH",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    /// The secret values `named_secrets` finds in `text`, in order.
    fn found(text: &str) -> Vec<&str> {
        let mut spans: Vec<_> = named_secrets(text).into_iter().map(|s| s.span).collect();
        spans.sort_by_key(|s| s.start);
        spans.dedup();
        spans.into_iter().filter_map(|s| text.get(s)).collect()
    }

    #[test]
    fn values_found_by_name() {
        let cases: &[(&str, &[&str])] = &[
            ("ENV API_KEY=sk-abc123", &["sk-abc123"]),
            ("ENV SECRET_KEY=\"s3cr3t value\" DEBUG=1", &["s3cr3t value"]),
            ("ENV sa_password g0rd0n1!", &["g0rd0n1!"]),
            ("ENV sa_password \"g0rd0n1!\"", &["g0rd0n1!"]),
            ("ENV PASSWORD abc \\\n    def\nRUN x", &["abc", "def"]),
            ("RUN export DB_PASSWORD=hunter2 && run", &["hunter2"]),
            ("RUN API_TOKEN=t0k3n ./deploy.sh", &["t0k3n"]),
            ("RUN docker login --password hunter2 x", &["hunter2"]),
            (
                "RUN mysql --password \"correct horse battery\" -e 'x'",
                &["correct horse battery"],
            ),
            ("RUN app --api-token 'two words' --v", &["two words"]),
            ("RUN app --token \"unclosed value \\\n  more", &["unclosed"]),
            ("RUN sh -c \"curl -u bob:hunter2 https://x\"", &["hunter2"]),
            ("RUN curl -u bob:hunter2 https://x", &["hunter2"]),
            ("RUN curl --user 'bob:hunter2' https://x", &["hunter2"]),
            ("RUN curl --user=bob:hunter2 https://x", &["hunter2"]),
            ("RUN curl -ubob:hunter2 https://x", &["hunter2"]),
            ("JWT_SECRET=abcdef\nPORT=80\n", &["abcdef"]),
            // Not secrets.
            ("ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D", &[]),
            ("ENV API_KEY=$API_KEY", &[]),
            ("ENV API_KEY=", &[]),
            ("ENV PASSWORD XXXXXXXX", &[]),
            ("ENV MTP_SECRET 00000000000000000000000000000000", &[]),
            ("ENV PASSWORD_FILE=/run/secrets/db", &[]),
            ("ENV TOKEN_AUTH=true", &[]),
            ("ENV SECRETS=/run/secrets", &[]),
            ("RUN useradd -u 1000:1000 app", &[]),
            ("RUN docker run -u 1000:1000 app", &[]),
            ("RUN curl -u \"$USER:$PASS\" https://x", &[]),
            ("RUN --mount=type=secret,id=npmrc npm ci", &[]),
            ("RUN docker build --secret id=npmrc,src=x .", &[]),
            ("RUN [ \"$A\" == \"b\" ]", &[]),
            ("RUN mtproto-proxy --aes-pwd proxy-secret proxy.conf", &[]),
            (
                "# docker run -e RAILS_MASTER_KEY=<value from config/master.key>",
                &[],
            ),
            ("ENV API_TOKEN=token.txt sa_password=\"_\"", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(&found(text), want, "{text}");
        }
    }
}
