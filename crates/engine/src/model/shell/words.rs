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
