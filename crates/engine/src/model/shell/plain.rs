//! Most `RUN` lines are plain words joined by `&&`, `||`, `;` and `|`:
//! `apt-get update && apt-get install -y gcc`. Such a script is read here
//! without the shell parser, which spends about 50 K instructions on each
//! of the seed Python file's (half of building its model, callgrind). Anything else —
//! `$(...)`, backquotes, escapes, `$` forms other than `$NAME` and
//! `${NAME}`, redirections, parentheses and braces, comments, `&`, `!`,
//! newlines, reserved words in command position — is left to the parser,
//! and a test checks that both read every corpus script they both accept
//! the same way.

use super::words::unquote;

/// A word or an operator of a plain script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A word as written (quotes still in).
    Word(&'a str),
    /// `&&` or `||`: the next pipeline runs depending on this one.
    AndOr,
    /// `;`: the next pipeline runs after this one.
    Semicolon,
    /// `|`: the next command reads this one's output.
    Pipe,
}

/// One simple command of a plain script: its assignments and words
/// (quotes removed), and its place among the pipelines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlainCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, String)>,
    /// The command name and its arguments.
    pub words: Vec<String>,
    /// The index of its pipeline within the script, from 0.
    pub pipeline: usize,
    /// Whether its pipeline joins several commands with `|`.
    pub piped: bool,
}

/// The commands of a plain script, or `None` when the script is not plain
/// (the shell parser must read it).
pub(super) fn read(text: &str) -> Option<Vec<PlainCommand>> {
    let mut out: Vec<PlainCommand> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut pipeline = 0usize;
    let mut pipeline_start = 0usize;
    let mut last_operator = None;
    for token in tokens(text)? {
        match token {
            Token::Word(word) => words.push(word),
            operator => {
                // An operator needs a command before it.
                if words.is_empty() {
                    return None;
                }
                out.push(command(&words, pipeline)?);
                words.clear();
                if operator != Token::Pipe {
                    end_pipeline(&mut out, pipeline_start);
                    pipeline += 1;
                    pipeline_start = out.len();
                }
                last_operator = Some(operator);
            }
        }
    }
    if words.is_empty() {
        // Empty, or ending with an operator: only `;` may end a script.
        if last_operator != Some(Token::Semicolon) {
            return None;
        }
    } else {
        out.push(command(&words, pipeline)?);
        end_pipeline(&mut out, pipeline_start);
    }
    Some(out)
}

/// Marks every command of the pipeline that starts at `start` as piped
/// when it has several.
fn end_pipeline(out: &mut [PlainCommand], start: usize) {
    let commands = out.get_mut(start..).unwrap_or_default();
    if commands.len() > 1 {
        for c in commands {
            c.piped = true;
        }
    }
}

/// Words that start a compound command or are otherwise special in
/// command position.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "function", "select", "time", "coproc", "[[", "]]", "{", "}", "!",
];

/// One simple command from its raw words: leading `NAME=value` words are
/// assignments; `None` when its command word is a reserved word.
fn command(words: &[&str], pipeline: usize) -> Option<PlainCommand> {
    let mut assignments = Vec::new();
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        match assignment(first) {
            Some((name, value)) => {
                assignments.push((name.to_string(), unquote(value)));
                rest = tail;
            }
            None => break,
        }
    }
    if let Some(name) = rest.first()
        && (RESERVED.contains(name) || name.contains('='))
    {
        // A reserved word, or what bash may read as an assignment the
        // simple form above does not take (`A+=1`, `A[1]=x`).
        return None;
    }
    Some(PlainCommand {
        assignments,
        words: rest.iter().map(|w| unquote(w)).collect(),
        pipeline,
        piped: false,
    })
}

/// `NAME=value` as written: a name of letters, digits and `_` not starting
/// with a digit, then `=`.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name, value))
}

/// The tokens of a plain script, or `None` at the first thing that is not
/// plain.
fn tokens<'a>(text: &'a str) -> Option<Vec<Token<'a>>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut word_start: Option<usize> = None;
    let end_word = |out: &mut Vec<Token<'a>>, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            out.push(Token::Word(text.get(s..end).unwrap_or_default()));
        }
    };
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' => {
                end_word(&mut out, &mut word_start, at);
                at += 1;
            }
            b'&' | b'|' | b';' => {
                end_word(&mut out, &mut word_start, at);
                let next = bytes.get(at + 1).copied();
                let (token, len) = match (b, next) {
                    (b'&', Some(b'&')) | (b'|', Some(b'|')) => (Token::AndOr, 2),
                    (b'|', Some(b'&')) | (b'&', _) | (b';', Some(b';' | b'&')) => return None,
                    (b'|', _) => (Token::Pipe, 1),
                    _ => (Token::Semicolon, 1),
                };
                out.push(token);
                at += len;
            }
            b'\'' => {
                word_start.get_or_insert(at);
                let close = text.get(at + 1..)?.find('\'')?;
                at += close + 2;
            }
            b'"' => {
                word_start.get_or_insert(at);
                at += 1;
                loop {
                    match *bytes.get(at)? {
                        b'"' => break,
                        b'$' => at = variable(bytes, at)?,
                        b'`' | b'\\' | b'!' => return None,
                        _ => at += 1,
                    }
                }
                at += 1;
            }
            b'$' => {
                word_start.get_or_insert(at);
                at = variable(bytes, at)?;
            }
            b'#' if word_start.is_none() => return None,
            b'`' | b'\\' | b'<' | b'>' | b'(' | b')' | b'{' | b'}' | b'!' | 0..=0x1f | 0x7f => {
                return None;
            }
            _ => {
                word_start.get_or_insert(at);
                at += 1;
            }
        }
    }
    end_word(&mut out, &mut word_start, at);
    Some(out)
}

/// Past `$NAME` or `${NAME}` at `at` (which holds the `$`); `None` for any
/// other `$` form.
fn variable(bytes: &[u8], at: usize) -> Option<usize> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let braced = bytes.get(at + 1) == Some(&b'{');
    let start = at + 1 + usize::from(braced);
    let first = *bytes.get(start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let mut end = start + 1;
    while bytes.get(end).is_some_and(|&b| is_name(b)) {
        end += 1;
    }
    if braced {
        return (bytes.get(end) == Some(&b'}')).then_some(end + 1);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::read;

    /// `(assignments, words, pipeline, piped)` of each command.
    type Commands = Vec<(Vec<(String, String)>, Vec<String>, usize, bool)>;

    fn plain(text: &str) -> Option<(Commands, usize)> {
        read(text).map(|commands| {
            let pipelines = commands.last().map_or(0, |c| c.pipeline + 1);
            let commands = commands
                .into_iter()
                .map(|c| (c.assignments, c.words, c.pipeline, c.piped))
                .collect();
            (commands, pipelines)
        })
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_string()).collect()
    }

    #[test]
    fn plain_scripts_are_read() {
        let (commands, pipelines) = plain(
            "apt-get update&&apt-get install -y 'a b' | tee x; A=1 B=\"$HOME/${X}\" env c=d;",
        )
        .unwrap_or_default();
        assert_eq!(pipelines, 3);
        assert_eq!(
            commands,
            [
                (vec![], strings(&["apt-get", "update"]), 0, false),
                (
                    vec![],
                    strings(&["apt-get", "install", "-y", "a b"]),
                    1,
                    true
                ),
                (vec![], strings(&["tee", "x"]), 1, true),
                (
                    vec![
                        ("A".to_string(), "1".to_string()),
                        ("B".to_string(), "$HOME/${X}".to_string())
                    ],
                    strings(&["env", "c=d"]),
                    2,
                    false
                ),
            ]
        );
        let (commands, pipelines) = plain("A=1").unwrap_or_default();
        assert_eq!((commands.len(), pipelines), (1, 1));
        assert_eq!(
            plain("rm -rf /var/lib/apt/lists/* 'x>=1' \"a|b\"").map(|(c, _)| c[0].1.clone()),
            Some(strings(&[
                "rm",
                "-rf",
                "/var/lib/apt/lists/*",
                "x>=1",
                "a|b"
            ]))
        );
    }

    #[test]
    fn anything_else_is_left_to_the_shell_parser() {
        for text in [
            "",
            "   ",
            "a &",
            "a && ",
            "|| a",
            "a ;; b",
            "a |& b",
            "echo $(date)",
            "echo `date`",
            "echo ${A:-x}",
            "echo $1",
            "echo \"a\\b\"",
            "echo a\\ b",
            "a > b",
            "a < b",
            "(a)",
            "{ a; }",
            "! a",
            "if x; then y; fi",
            "for x in a; do b; done",
            "a # comment",
            "a\nb",
            "'unterminated",
            "\"unterminated",
            "echo \"hi!\"",
            "A+=1 b",
            "A[1]=x b",
            "a\x0cb",
        ] {
            assert_eq!(plain(text), None, "{text:?}");
        }
    }
}
