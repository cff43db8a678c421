//! Word splitting for `ENV`, `LABEL` and `ARG` (BuildKit's `parseWords`).
//!
//! Words are split on space outside quotes. Quotes and escapes are kept in
//! the words; they are removed later, at expansion time.

use super::gotext::is_space;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote(char),
}

/// Splits `rest` into words, keeping quotes and escape sequences.
///
/// Every word is a slice of `rest`: BuildKit keeps each character it reads,
/// except an escape token that is the very last character of the input.
pub fn parse_words(rest: &str, escape: char) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut blank_ok = false;
    let mut phase = Phase::Spaces;
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Every character that matters is ASCII except the Unicode spaces,
        // so decode only at non-ASCII lead bytes.
        let (ch, width) = match bytes.get(i) {
            Some(&b) if b.is_ascii() => (char::from(b), 1),
            _ => match rest.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => break,
            },
        };
        let next = i + width;
        if phase == Phase::Spaces {
            if is_space(ch) {
                i = next;
                continue;
            }
            phase = Phase::Word;
            start = i;
        }
        let mut skip = 0;
        match phase {
            Phase::Word => {
                if is_space(ch) {
                    if blank_ok || i > start {
                        words.push(slice(rest, start, i));
                    }
                    phase = Phase::Spaces;
                    blank_ok = false;
                } else if ch == '\'' || ch == '"' {
                    blank_ok = true;
                    phase = Phase::Quote(ch);
                } else if ch == escape {
                    if next >= bytes.len() {
                        // An escape token at the very end is dropped.
                        return finish(words, rest, start, i, blank_ok);
                    }
                    skip = char_width(rest, next);
                }
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                } else if ch == escape && quote != '\'' {
                    if next >= bytes.len() {
                        return finish(words, rest, start, i, blank_ok);
                    }
                    skip = char_width(rest, next);
                }
            }
            Phase::Spaces => {}
        }
        i = next + skip;
    }
    if phase != Phase::Spaces {
        return finish(words, rest, start, rest.len(), blank_ok);
    }
    words
}

/// Width of the character at byte `at` (1 when out of range).
fn char_width(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(1, char::len_utf8)
}

fn slice(rest: &str, start: usize, end: usize) -> &str {
    rest.get(start..end).unwrap_or_default()
}

fn finish<'a>(
    mut words: Vec<&'a str>,
    rest: &'a str,
    start: usize,
    end: usize,
    blank_ok: bool,
) -> Vec<&'a str> {
    if blank_ok || end > start {
        words.push(slice(rest, start, end));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quotes_and_escapes() {
        let table: &[(&str, &[&str])] = &[
            ("foo", &["foo"]),
            ("foo bar", &["foo", "bar"]),
            (r"foo\ bar", &[r"foo\ bar"]),
            ("foo=bar", &["foo=bar"]),
            ("foo bar 'abc xyz'", &["foo", "bar", "'abc xyz'"]),
            (r#"foo bar "abc xyz""#, &["foo", "bar", r#""abc xyz""#]),
            ("àöû", &["àöû"]),
            (r#"föo bàr "âbc xÿz""#, &["föo", "bàr", r#""âbc xÿz""#]),
            (r#"a="b \" c" d"#, &[r#"a="b \" c""#, "d"]),
            (r"a='b \' c", &[r"a='b \'", "c"]),
            (r#"x="""#, &[r#"x="""#]),
            (r#""""#, &[r#""""#]),
            (r"end\", &["end"]),
            (r#""open \"#, &[r#""open "#]),
            ("a\u{a0}b\u{3000}c", &["a", "b", "c"]),
            (
                "unterminated \"quote here",
                &["unterminated", "\"quote here"],
            ),
        ];
        for (input, want) in table {
            assert_eq!(parse_words(input, '\\'), *want, "{input:?}");
        }
    }

    #[test]
    fn backtick_is_the_escape_when_set() {
        assert_eq!(parse_words("a`  b c\\ d", '`'), ["a` ", "b", "c\\", "d"]);
    }
}
