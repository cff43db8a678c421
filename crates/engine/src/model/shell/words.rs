//! Shell words without their quoting: `"a b"` → `a b`, `'$x'` → `$x`,
//! `a\ b` → `a b`. Variable references and substitutions stay as written;
//! nothing is expanded.

/// Removes shell quoting from a raw word, keeping `$VAR`, `${VAR}`,
/// `$(...)` and backquotes as they are written.
pub fn unquote(raw: &str) -> String {
    // Most words hold no quoting at all.
    if !raw.bytes().any(|b| matches!(b, b'\'' | b'"' | b'\\')) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&n @ ('$' | '`' | '"' | '\\')) => {
                                out.push(n);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => out.push('\\'),
                        },
                        c => out.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            },
            '$' if chars.peek() == Some(&'\'') => {
                // ANSI-C quoting: keep the text, drop the quotes.
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\'' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                out.push('\\');
                                out.push(n);
                            }
                        }
                        c => out.push(c),
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Splits text into words the way a shell would, quotes removed, for
/// scripts the shell parser could not read. Operators (`&&`, `||`, `;`,
/// `|`, `&`) become words of their own.
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut raw = String::new();
    let mut chars = text.chars().peekable();
    let flush = |raw: &mut String, words: &mut Vec<String>| {
        if !raw.is_empty() {
            words.push(unquote(raw));
            raw.clear();
        }
    };
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => flush(&mut raw, &mut words),
            '\'' | '"' => {
                raw.push(c);
                let quote = c;
                while let Some(n) = chars.next() {
                    raw.push(n);
                    if n == '\\' && quote == '"' {
                        if let Some(e) = chars.next() {
                            raw.push(e);
                        }
                    } else if n == quote {
                        break;
                    }
                }
            }
            '\\' => {
                raw.push(c);
                if let Some(n) = chars.next() {
                    raw.push(n);
                }
            }
            ';' | '|' | '&' => {
                flush(&mut raw, &mut words);
                let mut op = c.to_string();
                if (c == '&' || c == '|') && chars.peek() == Some(&c) {
                    op.push(c);
                    chars.next();
                }
                words.push(op);
            }
            c => raw.push(c),
        }
    }
    flush(&mut raw, &mut words);
    words
}

/// Shell builtins and reserved words: a command that starts with one
/// needs the shell that exec form does not start.
const SHELL_ONLY: &[&str] = &[
    ".", ":", "alias", "break", "case", "cd", "command", "continue", "eval", "exec", "exit",
    "export", "for", "function", "getopts", "if", "local", "read", "readonly", "return", "select",
    "set", "shift", "source", "trap", "ulimit", "umask", "unset", "until", "wait", "while", "{",
    "!",
];

/// The words of a shell-form `CMD` or `ENTRYPOINT`: without their quoting
/// when exec form can hold them ([`plain_command_words`]), else split at
/// blanks as written, quotes and all (so that no exec form is made of
/// them).
pub fn shell_form_words(args: &[String]) -> Vec<String> {
    let text = args.join(" ");
    plain_command_words(&text)
        .unwrap_or_else(|| text.split_whitespace().map(str::to_string).collect())
}

/// Whether a command starting with `word` needs a shell: a builtin or a
/// reserved word, which exec form cannot run.
pub fn shell_only(word: &str) -> bool {
    SHELL_ONLY.contains(&word)
}

/// Characters that make a word more than a word to the shell: expansions,
/// operators, redirections, globs, comments. Quoting one makes it literal,
/// but exec form is kept for words without any, so that every reader of
/// the words (and of the exec form written from them) sees plain text.
const SHELL_SYNTAX: &[char] = &[
    '$', '|', '&', ';', '<', '>', '*', '?', '`', '(', ')', '\\', '"', '\'', '~', '#', '[', ']',
    '{', '}', '!', '\n',
];

/// The words of a shell-form `CMD` or `ENTRYPOINT` that does not need its
/// `/bin/sh -c`: one simple command whose only shell syntax is quoting
/// (`/app --name "a b"` → `/app`, `--name`, `a b`), with a leading `exec`
/// dropped (exec form runs the program as the shell's `exec` would).
/// `None` when the shell does more than split words: variables, operators,
/// redirections, globs, comments, assignments, builtins, or a quoted word
/// holding any of those characters.
pub fn plain_command_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' | '\\' => return None,
                        c => word.push(c),
                    }
                }
            }
            '=' if words.is_empty() => return None,
            c if SHELL_SYNTAX.contains(&c) => return None,
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.first().is_some_and(|w| w == "exec") {
        words.remove(0);
    }
    let first = words.first()?;
    if shell_only(first)
        || words
            .iter()
            .any(|w| w.is_empty() || w.contains(SHELL_SYNTAX))
    {
        return None;
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoting_keeps_expansions() {
        let table = [
            ("plain", "plain"),
            ("\"a b\"", "a b"),
            ("'a $b'", "a $b"),
            ("a\\ b", "a b"),
            ("\"$HOME/x\"", "$HOME/x"),
            ("\"say \\\"hi\\\"\"", "say \"hi\""),
            ("\"a\\b\"", "a\\b"),
            ("pkg=\"1.2.*\"", "pkg=1.2.*"),
            ("$(cat x)", "$(cat x)"),
            ("$'a\\tb'", "a\\tb"),
            ("'unterminated", "unterminated"),
        ];
        for (raw, want) in table {
            assert_eq!(unquote(raw), want, "{raw}");
        }
    }

    #[test]
    fn plain_command_words_are_what_exec_form_can_hold() {
        let words = |list: &[&str]| Some(list.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        let table: &[(&str, Option<Vec<String>>)] = &[
            ("/app --port 80", words(&["/app", "--port", "80"])),
            ("/app --name \"a b\"", words(&["/app", "--name", "a b"])),
            ("/app --name 'a b' ", words(&["/app", "--name", "a b"])),
            (
                "  gunicorn -b \"0.0.0.0:8000\" app:app",
                words(&["gunicorn", "-b", "0.0.0.0:8000", "app:app"]),
            ),
            ("/app --x=\"1\"'2'3", words(&["/app", "--x=123"])),
            ("exec /app -v", words(&["/app", "-v"])),
            ("exec \"/app\"", words(&["/app"])),
            // What the shell does more with.
            ("exec", None),
            ("", None),
            ("/app --port $PORT", None),
            ("/app --port \"$PORT\"", None),
            ("/app --port '$PORT'", None),
            ("/app \"a\\\"b\"", None),
            ("/app > log", None),
            ("/app && /other", None),
            ("/app; /other", None),
            ("/app | tee x", None),
            ("/app *.conf", None),
            ("/app ~/x", None),
            ("/app # comment", None),
            ("/app 'a;b'", None),
            ("/app ''", None),
            ("/app \"unterminated", None),
            ("/app 'unterminated", None),
            ("PORT=80 /app", None),
            ("cd /srv", None),
            ("exec cd /srv", None),
            ("set -e", None),
            ("/app `date`", None),
            ("/app $(date)", None),
            ("/app a\\ b", None),
        ];
        for (text, want) in table {
            assert_eq!(&plain_command_words(text), want, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the text: no panic, and the words exec form gets are
        /// plain (nothing the shell would read more into).
        #[test]
        fn plain_command_words_are_plain(text in "[ -~\t\n]{0,40}|.{0,20}") {
            if let Some(words) = plain_command_words(&text) {
                proptest::prop_assert!(!words.is_empty());
                for w in &words {
                    proptest::prop_assert!(!w.is_empty() && !w.contains(SHELL_SYNTAX), "{w:?}");
                }
                proptest::prop_assert!(!shell_only(&words[0]));
            }
        }
    }

    #[test]
    fn fallback_split_knows_operators_and_quotes() {
        assert_eq!(
            split_words("apt-get update&&apt-get install -y 'a b' | tee x; echo \"c;d\""),
            [
                "apt-get", "update", "&&", "apt-get", "install", "-y", "a b", "|", "tee", "x", ";",
                "echo", "c;d"
            ]
        );
    }
}
