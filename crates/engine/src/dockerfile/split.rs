//! Splitting a logical line into keyword, flags and the rest.

use super::gotext::{is_space, trim_space};

/// A-space: the ASCII blanks BuildKit's `[\t\v\f\r ]+` regexp splits on.
#[inline]
pub fn is_ascii_blank(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Splits on runs of A-space, like Go's `regexp.Split(s, -1)` on a string
/// without leading or trailing blanks.
pub fn split_blanks(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_ascii_blank).filter(|w| !w.is_empty())
}

/// Splits at the first run of A-space into two parts (Go `Split(s, 2)`).
pub fn split_blanks_once(s: &str) -> Option<(&str, &str)> {
    let start = s.find(is_ascii_blank)?;
    let head = s.get(..start)?;
    let tail = s.get(start..)?.trim_start_matches(is_ascii_blank);
    Some((head, tail))
}

/// A logical line split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitLine<'a> {
    /// The keyword as written.
    pub keyword: &'a str,
    /// Flags before the arguments, as `--name[=value]` words.
    pub flags: Vec<String>,
    /// The arguments, trimmed.
    pub args: std::borrow::Cow<'a, str>,
}

/// BuildKit's `splitCommand`: keyword at the first A-space run, then flags.
pub fn split_command(line: &str, escape: char) -> SplitLine<'_> {
    let line = trim_space(line);
    match split_blanks_once(line) {
        None => SplitLine {
            keyword: line,
            flags: Vec::new(),
            args: "".into(),
        },
        Some((keyword, rest)) => {
            let (args, flags) = extract_flags(rest, escape);
            let args = match args {
                std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(trim_space(s)),
                std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(trim_space(&s).to_string()),
            };
            SplitLine {
                keyword,
                flags,
                args,
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote(u8),
}

/// BuildKit's `extractBuilderFlags`: reads `--flag` words from the front.
///
/// Like BuildKit, this walks bytes, not characters: each byte of a flag
/// becomes the character with that code (so `--chown=josé` reads as
/// `--chown=josÃ©`), and the bytes 0x85 and 0xA0 count as space.
pub fn extract_flags(line: &str, escape: char) -> (std::borrow::Cow<'_, str>, Vec<String>) {
    read_flags(line, escape, None)
}

/// The byte ranges in `line` of the flags [`extract_flags`] reads, as
/// written (quotes and escapes included).
pub fn flag_ranges(line: &str, escape: char) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    read_flags(line, escape, Some(&mut ranges));
    ranges
}

/// [`extract_flags`], noting each flag's byte range in `ranges` if given.
fn read_flags<'a>(
    line: &'a str,
    escape: char,
    mut ranges: Option<&mut Vec<(usize, usize)>>,
) -> (std::borrow::Cow<'a, str>, Vec<String>) {
    let bytes = line.as_bytes();
    let mut word_start = 0;
    let escape = u8::try_from(escape).unwrap_or(b'\\');
    let mut words = Vec::new();
    let mut word = String::new();
    let mut phase = Phase::Spaces;
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= bytes.len() {
        let at_end = pos == bytes.len();
        let ch = bytes.get(pos).copied().unwrap_or(0);
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space(char::from(ch)) {
                pos += 1;
                continue;
            }
            if ch != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (rest_from(line, pos), words);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
                if let Some(r) = ranges.as_deref_mut() {
                    r.push((word_start, pos));
                }
            }
            break;
        }
        match phase {
            Phase::Word => {
                if is_space(char::from(ch)) {
                    if word == "--" {
                        return (rest_from(line, pos), words);
                    }
                    if blank_ok || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                        if let Some(r) = ranges.as_deref_mut() {
                            r.push((word_start, pos));
                        }
                    }
                    word.clear();
                    blank_ok = false;
                    phase = Phase::Spaces;
                } else if ch == b'\'' || ch == b'"' {
                    blank_ok = true;
                    phase = Phase::Quote(ch);
                } else if ch == escape {
                    if pos + 1 < bytes.len() {
                        pos += 1;
                        word.push(char::from(bytes.get(pos).copied().unwrap_or(0)));
                    }
                } else {
                    word.push(char::from(ch));
                }
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                } else if ch == escape {
                    if pos + 1 == bytes.len() {
                        phase = Phase::Word;
                    } else {
                        pos += 1;
                        word.push(char::from(bytes.get(pos).copied().unwrap_or(0)));
                    }
                } else {
                    word.push(char::from(ch));
                }
            }
            Phase::Spaces => {}
        }
        pos += 1;
    }
    ("".into(), words)
}

/// `line[pos:]`; BuildKit can cut inside a character here (after a 0x85 or
/// 0xA0 byte), which Go keeps as invalid bytes and we show as U+FFFD.
fn rest_from(line: &str, pos: usize) -> std::borrow::Cow<'_, str> {
    match line.get(pos..) {
        Some(rest) => rest.into(),
        None => String::from_utf8_lossy(line.as_bytes().get(pos..).unwrap_or_default())
            .into_owned()
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (String, Vec<String>, String) {
        let s = split_command(line, '\\');
        (s.keyword.to_string(), s.flags, s.args.into_owned())
    }

    #[test]
    fn flags_are_read_from_the_front_only() {
        let table: &[(&str, &str, &[&str], &str)] = &[
            ("RUN echo hi", "RUN", &[], "echo hi"),
            (
                "RUN --mount=type=cache,target=/x echo",
                "RUN",
                &["--mount=type=cache,target=/x"],
                "echo",
            ),
            (
                "COPY --from=a --chown=1:1 . /",
                "COPY",
                &["--from=a", "--chown=1:1"],
                ". /",
            ),
            (
                "COPY --doit=true -- foo /tmp/",
                "COPY",
                &["--doit=true"],
                "foo /tmp/",
            ),
            ("COPY -- foo /tmp/", "COPY", &[], "foo /tmp/"),
            ("RUN -- --foo", "RUN", &[], "--foo"),
            ("CMD --doit -- [ ]", "CMD", &["--doit"], "[ ]"),
            ("RUN -x --y", "RUN", &[], "-x --y"),
            ("RUN echo --y", "RUN", &[], "echo --y"),
            (
                r#"RUN --mount="type=bind,src=a b" x"#,
                "RUN",
                &["--mount=type=bind,src=a b"],
                "x",
            ),
            (r#"RUN --x="" y"#, "RUN", &["--x="], "y"),
            (r#"RUN --x=a\ b y"#, "RUN", &["--x=a b"], "y"),
            (r#"RUN --x="a\"b" y"#, "RUN", &["--x=a\"b"], "y"),
            ("COPY --chown=josé a b", "COPY", &["--chown=josÃ©"], "a b"),
            ("FROM\u{a0}img", "FROM\u{a0}img", &[], ""),
            ("  from   x  ", "from", &[], "x"),
            ("RUN --a", "RUN", &["--a"], ""),
            ("RUN --", "RUN", &[], ""),
        ];
        for (line, keyword, flags, args) in table {
            let got = split(line);
            assert_eq!(
                got,
                (
                    keyword.to_string(),
                    flags.iter().map(|f| f.to_string()).collect(),
                    args.to_string()
                ),
                "{line:?}"
            );
        }
    }

    #[test]
    fn flag_ranges_are_the_flags_as_written() {
        let line = r#"--mount="type=bind,src=a b"  --x=a\ b   y"#;
        let ranges = flag_ranges(line, '\\');
        let written: Vec<&str> = ranges.iter().map(|&(a, b)| &line[a..b]).collect();
        assert_eq!(written, [r#"--mount="type=bind,src=a b""#, r"--x=a\ b"]);
        assert_eq!(flag_ranges("--a", '\\'), [(0, 3)]);
    }

    #[test]
    fn backtick_escape_applies_to_flags() {
        let s = split_command("RUN --x=a`\"b y", '`');
        assert_eq!(s.flags, ["--x=a\"b"]);
    }

    #[test]
    fn cutting_inside_a_character_does_not_panic() {
        // U+0800 is E0 A0 80: BuildKit ends the flag at the A0 byte.
        let s = split_command("COPY --from=x\u{800}foo /", '\\');
        assert_eq!(s.flags, ["--from=xà"]);
        assert_eq!(s.args, "\u{fffd}foo /");
    }
}
