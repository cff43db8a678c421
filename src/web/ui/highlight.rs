//! A highlighted view of a Dockerfile for the report page: every line as
//! classed tokens (instruction keyword, flag, variable, string, comment,
//! heredoc body, continuation), from restage's own parse of the file. The
//! template escapes every token's text; nothing here builds HTML.

use crate::dockerfile::{Document, Keyword};

/// One token of a line: a CSS class (empty for plain text) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// `kw`, `flag`, `var`, `str`, `comment`, `directive`, `heredoc`,
    /// `esc`, or empty.
    pub class: &'static str,
    /// The text, as in the file.
    pub text: String,
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based.
    pub number: usize,
    /// Its tokens, in order.
    pub tokens: Vec<Token>,
    /// Whether a finding points at this line.
    pub flagged: bool,
}

/// What a line is, from the parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The first line of an instruction.
    Start,
    /// A continuation line of an instruction.
    Continuation,
    /// A heredoc body or its terminator.
    Heredoc,
    /// A comment, blank line or directive outside instructions.
    Other,
}

fn roles(text: &str, doc: Option<&Document>) -> Vec<Role> {
    let count = text.lines().count();
    let mut roles = vec![Role::Other; count];
    let Some(doc) = doc else {
        // Without a parse: a line starting with a known keyword starts one.
        for (slot, line) in roles.iter_mut().zip(text.lines()) {
            let word = line.split_whitespace().next().unwrap_or_default();
            if Keyword::from_word(word) != Keyword::Unknown {
                *slot = Role::Start;
            }
        }
        return roles;
    };
    let lines: Vec<&str> = text.lines().collect();
    for node in &doc.nodes {
        let start = node.start_line.saturating_sub(1);
        let end = node.end_line.min(count);
        if let Some(slot) = roles.get_mut(start) {
            *slot = Role::Start;
        }
        // The command continues while a line ends with the escape token;
        // after it, a node with heredocs has their bodies.
        let mut in_command = lines
            .get(start)
            .is_some_and(|l| l.trim_end().ends_with(doc.escape));
        for index in start + 1..end {
            let role = if in_command || node.heredocs.is_empty() {
                Role::Continuation
            } else {
                Role::Heredoc
            };
            if let Some(slot) = roles.get_mut(index) {
                *slot = role;
            }
            if in_command {
                let line = lines.get(index).copied().unwrap_or_default();
                let trimmed = line.trim_start();
                let comment_or_blank = trimmed.is_empty() || trimmed.starts_with('#');
                in_command = comment_or_blank || line.trim_end().ends_with(doc.escape);
            }
        }
    }
    roles
}

fn push(tokens: &mut Vec<Token>, class: &'static str, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = tokens.last_mut()
        && last.class == class
    {
        last.text.push_str(text);
        return;
    }
    tokens.push(Token {
        class,
        text: text.to_string(),
    });
}

/// The length in bytes of the variable reference at the start of `s`
/// (`$NAME`, `${...}`), if there is one.
fn variable_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('$')?;
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.find('}')?;
        return Some(close + 3);
    }
    let name = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    (name > 0).then_some(name + 1)
}

/// The length in bytes of the quoted string at the start of `s`, which
/// opens with `quote`: up to its closing quote, or the whole of `s` when it
/// is not closed on this line. Inside double quotes the escape character
/// (`\`, or the file's escape directive) escapes the next character, so
/// `"say \"hi\""` is one string; single quotes escape nothing, as in the
/// shell.
fn string_len(s: &str, quote: char, escape: char) -> usize {
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return i + c.len_utf8();
        }
        if c == escape && quote == '"' {
            chars.next();
        }
    }
    s.len()
}

/// Tokens of the command part of an instruction line.
fn command_tokens(tokens: &mut Vec<Token>, line: &str, keyword_first: bool, escape: char) {
    let mut rest = line;
    if keyword_first {
        let indent = rest.len() - rest.trim_start().len();
        push(tokens, "", rest.get(..indent).unwrap_or_default());
        rest = rest.get(indent..).unwrap_or_default();
        let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = rest.get(..word_len).unwrap_or_default();
        // Only a real instruction is a keyword: `FROOM` is plain text.
        let class = if Keyword::from_word(word) == Keyword::Unknown {
            ""
        } else {
            "kw"
        };
        push(tokens, class, word);
        rest = rest.get(word_len..).unwrap_or_default();
    }
    let mut at_word_start = true;
    while let Some(c) = rest.chars().next() {
        let taken = if at_word_start && rest.starts_with("--") {
            let end = rest
                .find(|ch: char| ch == '=' || ch.is_whitespace())
                .unwrap_or(rest.len());
            push(tokens, "flag", rest.get(..end).unwrap_or_default());
            end
        } else if c == '$'
            && let Some(len) = variable_len(rest)
        {
            push(tokens, "var", rest.get(..len).unwrap_or_default());
            len
        } else if c == '"' || c == '\'' {
            let close = string_len(rest, c, escape);
            push(tokens, "str", rest.get(..close).unwrap_or_default());
            close
        } else if c == escape
            && rest
                .get(c.len_utf8()..)
                .is_some_and(|r| r.trim().is_empty())
        {
            push(tokens, "esc", rest);
            rest.len()
        } else {
            let mut buf = [0u8; 4];
            push(tokens, "", c.encode_utf8(&mut buf));
            c.len_utf8()
        };
        at_word_start = rest
            .get(..taken)
            .and_then(|t| t.chars().last())
            .is_some_and(char::is_whitespace);
        rest = rest.get(taken..).unwrap_or_default();
    }
}

/// The highlighted lines of `text`; `doc` is its parse when it parsed.
/// `flagged` lists the lines findings point at, sorted.
pub fn highlight(text: &str, doc: Option<&Document>, flagged: &[usize]) -> Vec<Line> {
    let escape = doc.map_or('\\', |d| d.escape);
    let directives_end = doc.map_or(0, |d| d.directives.len());
    let roles = roles(text, doc);
    text.lines()
        .zip(roles)
        .enumerate()
        .map(|(index, (line, role))| {
            let number = index + 1;
            let mut tokens = Vec::new();
            let trimmed = line.trim_start();
            match role {
                Role::Heredoc => push(&mut tokens, "heredoc", line),
                Role::Other if trimmed.starts_with('#') && number <= directives_end => {
                    push(&mut tokens, "directive", line);
                }
                Role::Other | Role::Continuation if trimmed.starts_with('#') => {
                    push(&mut tokens, "comment", line);
                }
                Role::Other => push(&mut tokens, "", line),
                Role::Start => command_tokens(&mut tokens, line, true, escape),
                Role::Continuation => command_tokens(&mut tokens, line, false, escape),
            }
            Line {
                number,
                tokens,
                flagged: flagged.binary_search(&number).is_ok(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::parse;

    fn classes(line: &Line) -> Vec<(&'static str, &str)> {
        line.tokens
            .iter()
            .map(|t| (t.class, t.text.as_str()))
            .collect()
    }

    #[test]
    fn lines_are_classified_from_the_parse() {
        let text = "# syntax=docker/dockerfile:1\n# a comment\nFROM ${BASE} AS b\nRUN --mount=type=cache,target=/x \\\n    echo \"hi $X\"\nRUN <<EOF\necho body\nEOF\n";
        let doc = parse(text).expect("parses");
        let lines = highlight(text, Some(&doc), &[5]);
        assert_eq!(lines.len(), 8);
        assert_eq!(
            classes(&lines[0]),
            vec![("directive", "# syntax=docker/dockerfile:1")]
        );
        assert_eq!(classes(&lines[1]), vec![("comment", "# a comment")]);
        assert_eq!(
            classes(&lines[2]),
            vec![("kw", "FROM"), ("", " "), ("var", "${BASE}"), ("", " AS b")]
        );
        assert_eq!(
            classes(&lines[3]),
            vec![
                ("kw", "RUN"),
                ("", " "),
                ("flag", "--mount"),
                ("", "=type=cache,target=/x "),
                ("esc", "\\")
            ]
        );
        assert_eq!(
            classes(&lines[4]),
            vec![("", "    echo "), ("str", "\"hi $X\"")]
        );
        assert!(lines[4].flagged && !lines[3].flagged);
        assert_eq!(classes(&lines[6]), vec![("heredoc", "echo body")]);
        assert_eq!(classes(&lines[7]), vec![("heredoc", "EOF")]);
    }

    #[test]
    fn every_byte_is_kept_in_order() {
        let text = "FROM a\nRUN x \\\n  # c\n  y $\"'\nCMD [\"a\", 'b\nLABEL é=\"ü\" ${x\n";
        let doc = parse(text).ok();
        for doc in [doc.as_ref(), None] {
            let joined: Vec<String> = highlight(text, doc, &[])
                .iter()
                .map(|l| l.tokens.iter().map(|t| t.text.as_str()).collect())
                .collect();
            assert_eq!(joined, text.lines().collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_escaped_quote_does_not_end_a_string() {
        let text = "RUN echo \"say \\\"hi\\\" now\" done 'a\\' b\n";
        let doc = parse(text).expect("parses");
        let lines = highlight(text, Some(&doc), &[]);
        assert_eq!(
            classes(&lines[0]),
            vec![
                ("kw", "RUN"),
                ("", " echo "),
                ("str", "\"say \\\"hi\\\" now\""),
                ("", " done "),
                ("str", "'a\\'"),
                ("", " b")
            ]
        );
        // With `# escape=``, the backtick escapes and a backslash does not.
        let text = "# escape=`\nRUN echo \"C:\\dir\\\" x \"a`\"b\"\n";
        let doc = parse(text).expect("parses");
        let lines = highlight(text, Some(&doc), &[]);
        assert_eq!(
            classes(&lines[1]),
            vec![
                ("kw", "RUN"),
                ("", " echo "),
                ("str", "\"C:\\dir\\\""),
                ("", " x "),
                ("str", "\"a`\"b\""),
            ]
        );
    }

    #[test]
    fn only_real_instructions_are_keywords() {
        let text = "FROM alpine\nFROOM alpine\nonbuild RUN x\n";
        let doc = parse(text).ok();
        for doc in [doc.as_ref(), None] {
            let lines = highlight(text, doc, &[]);
            assert_eq!(classes(&lines[0]), vec![("kw", "FROM"), ("", " alpine")]);
            assert_eq!(classes(&lines[1]), vec![("", "FROOM alpine")]);
            assert_eq!(classes(&lines[2]).first(), Some(&("kw", "onbuild")));
        }
    }

    #[test]
    fn without_a_parse_keywords_still_show() {
        let lines = highlight("from x\nnonsense\n", None, &[]);
        assert_eq!(classes(&lines[0]), vec![("kw", "from"), ("", " x")]);
        assert_eq!(classes(&lines[1]), vec![("", "nonsense")]);
    }
}
