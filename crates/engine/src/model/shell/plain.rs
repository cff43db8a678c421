//! Most `RUN` lines are plain words joined by `&&`, `||`, `;`, `|` and
//! newlines: `apt-get update && apt-get install -y gcc 2>&1`. Such a
//! script is read here without the shell parser, which spends about
//! 250 K instructions on each script it reads (callgrind, corpus).
//!
//! Plain words may hold quotes, backslash escapes, `$NAME`, `$1`, `$@`,
//! `${NAME}`, `${NAME:-word}` and its kin with a simple word, and `$(...)`
//! around another plain script on one line. Plain scripts may hold
//! comments and simple redirections (`>file`, `2>>file`, `<file`, `2>&1`),
//! which are dropped as the shell parser's walker drops them. Anything
//! else — backquotes, arithmetic, here-documents and other redirections,
//! parentheses and braces, `&`, `!` before a word, reserved words in
//! command position — is left to the parser. Tests check that both read
//! every corpus script they both accept the same way, and random scripts
//! built from pieces of these forms.

use super::words::unquote;

/// How deep `$(...)` may nest in a plain script.
const MAX_SUBSTITUTION_DEPTH: usize = 4;

/// A word or an operator of a plain script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A word as written (quotes still in).
    Word(&'a str),
    /// `&&` or `||`: the next pipeline runs depending on this one.
    AndOr,
    /// `;`: the next pipeline runs after this one.
    Semicolon,
    /// A newline: ends a command like `;`, or nothing after an operator
    /// or on an empty line.
    Newline,
    /// `|`: the next command reads this one's output.
    Pipe,
    /// A redirection of the command being read (its target word, if any,
    /// is not a word of the command).
    Redirect,
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
    let (tokens, _) = scan(text, 0, 0)?;
    commands(&tokens)
}

/// The commands of a script's tokens, or `None` when they do not make a
/// script the shell accepts.
fn commands(tokens: &[Token<'_>]) -> Option<Vec<PlainCommand>> {
    let mut out: Vec<PlainCommand> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut redirected = false;
    let mut pipeline = 0usize;
    let mut pipeline_start = 0usize;
    let mut last_operator = None;
    for &token in tokens {
        let operator = match token {
            Token::Word(word) => {
                words.push(word);
                continue;
            }
            Token::Redirect => {
                redirected = true;
                continue;
            }
            // An empty line, or a line break after an operator.
            Token::Newline if words.is_empty() && !redirected => continue,
            Token::Newline => Token::Semicolon,
            operator => operator,
        };
        // An operator needs a command with a word before it.
        if words.is_empty() {
            return None;
        }
        out.push(command(&words, pipeline)?);
        words.clear();
        redirected = false;
        if operator != Token::Pipe {
            end_pipeline(&mut out, pipeline_start);
            pipeline += 1;
            pipeline_start = out.len();
        }
        last_operator = Some(operator);
    }
    if words.is_empty() {
        // Empty, or ending with an operator: only `;` or a newline may
        // end a script.
        if redirected || last_operator != Some(Token::Semicolon) {
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

/// The tokens of a plain script from `from`, and where they end, or
/// `None` at the first thing that is not plain. At `depth` 0 the script
/// is the whole text; deeper, it is the inside of a `$(...)` and ends at
/// its closing parenthesis (the returned position is that of the `)`).
fn scan<'a>(text: &'a str, from: usize, depth: usize) -> Option<(Vec<Token<'a>>, usize)> {
    let bytes = text.as_bytes();
    let nested = depth > 0;
    let mut out = Vec::new();
    let mut at = from;
    let mut word_start: Option<usize> = None;
    // After a redirection operator: its target word is still to come.
    let mut target_pending = false;
    let end_word =
        |out: &mut Vec<Token<'a>>, start: &mut Option<usize>, pending: &mut bool, end| {
            if let Some(s) = start.take() {
                if *pending {
                    *pending = false;
                } else {
                    out.push(Token::Word(text.get(s..end).unwrap_or_default()));
                }
            }
        };
    while let Some(&b) = bytes.get(at) {
        match b {
            // The shell parser rewrites tabs inside `$(...)`.
            b'\t' if nested => return None,
            b' ' | b'\t' => {
                end_word(&mut out, &mut word_start, &mut target_pending, at);
                at += 1;
            }
            b'&' | b'|' | b';' | b'\n' | b')' => {
                end_word(&mut out, &mut word_start, &mut target_pending, at);
                if target_pending {
                    return None;
                }
                let next = bytes.get(at + 1).copied();
                let (token, len) = match (b, next) {
                    (b')', _) if nested => return Some((out, at)),
                    (b')', _) => return None,
                    (b'\n', _) if nested => return None,
                    (b'\n', _) => (Token::Newline, 1),
                    (b'&', Some(b'&')) | (b'|', Some(b'|')) => (Token::AndOr, 2),
                    (b'|', Some(b'&')) | (b'&', _) | (b';', Some(b';' | b'&')) => return None,
                    (b'|', _) => (Token::Pipe, 1),
                    _ => (Token::Semicolon, 1),
                };
                out.push(token);
                at += len;
            }
            b'<' | b'>' => {
                // A file descriptor number: one digit right before.
                if let Some(start) = word_start {
                    let digit = bytes.get(start).is_some_and(u8::is_ascii_digit);
                    if !(digit && at == start + 1) || target_pending {
                        return None;
                    }
                    word_start = None;
                } else if target_pending {
                    return None;
                }
                let (end, needs_target) = redirection(bytes, at, nested)?;
                out.push(Token::Redirect);
                at = end;
                target_pending = needs_target;
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
                        b'$' => at = dollar(text, at, depth)?,
                        // `\$`, `\"`, ... escape; before anything
                        // else but a newline the backslash is itself.
                        b'\\' => match bytes.get(at + 1) {
                            Some(b'\n') | None => return None,
                            Some(b'$' | b'`' | b'"' | b'\\') => at += 2,
                            Some(_) => at += 1,
                        },
                        b'`' | b'!' => return None,
                        _ => at += 1,
                    }
                }
                at += 1;
            }
            b'$' => {
                word_start.get_or_insert(at);
                at = dollar(text, at, depth)?;
            }
            // A comment, to the end of the line.
            b'#' if word_start.is_none() => {
                if nested || target_pending {
                    return None;
                }
                while bytes.get(at).is_some_and(|&b| b != b'\n') {
                    at += 1;
                }
            }
            // An escaped character is part of the word.
            b'\\' => {
                let escaped = text.get(at + 1..)?.chars().next()?;
                if escaped == '\n' {
                    return None;
                }
                word_start.get_or_insert(at);
                at += 1 + escaped.len_utf8();
            }
            // `!` starts no pipeline and no pattern here.
            b'!' if !matches!(bytes.get(at + 1), Some(b'(')) && word_start.is_some() => {
                at += 1;
            }
            b'`' | b'(' | b'{' | b'}' | b'!' | 0..=0x1f | 0x7f => {
                return None;
            }
            _ => {
                word_start.get_or_insert(at);
                at += 1;
            }
        }
    }
    end_word(&mut out, &mut word_start, &mut target_pending, at);
    if nested || target_pending {
        return None;
    }
    Some((out, at))
}

/// Past the redirection operator at `at` (`>`, `>>` or `<`, or `>&N` /
/// `>&-` with its target), and whether a target word must follow; `None`
/// for any other operator.
fn redirection(bytes: &[u8], at: usize, nested: bool) -> Option<(usize, bool)> {
    let op = *bytes.get(at)?;
    let mut end = at + 1;
    if op == b'>' && bytes.get(end) == Some(&b'>') {
        end += 1;
    }
    match bytes.get(end) {
        Some(b'&') if op == b'>' && end == at + 1 => {
            // `>&1`, `2>&1`, `>&-`: a digit or `-`, then the word ends.
            let target = *bytes.get(end + 1)?;
            let after = bytes.get(end + 2).copied();
            let ends = match after {
                None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|') => true,
                Some(b')') => nested,
                Some(_) => false,
            };
            (ends && (target.is_ascii_digit() || target == b'-')).then_some((end + 2, false))
        }
        Some(b'<' | b'>' | b'&' | b'|' | b'(') => None,
        _ => Some((end, true)),
    }
}

/// Past the `$` form at `at`: `$NAME`, `${NAME}`, or `$(...)` holding a
/// plain script; `None` for any other.
fn dollar(text: &str, at: usize, depth: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(at + 1) == Some(&b'(') {
        if bytes.get(at + 2) == Some(&b'(') || depth >= MAX_SUBSTITUTION_DEPTH {
            return None;
        }
        let (tokens, close) = scan(text, at + 2, depth + 1)?;
        commands(&tokens)?;
        return Some(close + 1);
    }
    variable(bytes, at)
}

/// Past `$NAME`, a special parameter (`$1`, `$@`, `$?`, ...), `${NAME}`
/// or `${NAME<operator><word>}` with a simple word (`${V:-x}`, `${V%%.*}`,
/// `${#V}`) at `at` (which holds the `$`); `None` for any other `$` form.
fn variable(bytes: &[u8], at: usize) -> Option<usize> {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let braced = bytes.get(at + 1) == Some(&b'{');
    let start = at + 1 + usize::from(braced);
    let first = *bytes.get(start)?;
    if !braced && (first.is_ascii_digit() || b"@*#?$!-".contains(&first)) {
        // The shell parser reads `$${` and `$$(` as `$` before `${`, `$(`.
        let next = bytes.get(start + 1);
        if first == b'$' && matches!(next, Some(b'{' | b'(')) {
            return None;
        }
        return Some(start + 1);
    }
    let name_start = if braced && first == b'#' {
        start + 1
    } else {
        start
    };
    let first = *bytes.get(name_start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let mut end = name_start + 1;
    while bytes.get(end).is_some_and(|&b| is_name(b)) {
        end += 1;
    }
    if !braced {
        return Some(end);
    }
    // An operator and its word: no quoting, nesting or blanks.
    while let Some(&b) = bytes.get(end) {
        match b {
            b'}' => return Some(end + 1),
            b if b.is_ascii_alphanumeric() => end += 1,
            b':' | b'-' | b'+' | b'=' | b'?' | b'%' | b'#' | b'/' | b'.' | b'*' | b'_' | b','
            | b'^' | b'@' | b'~' => end += 1,
            _ => return None,
        }
    }
    None
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
    fn newlines_comments_redirections_and_substitutions_are_plain() {
        let (commands, pipelines) = plain(
            "# build\n\napt-get update &&\n  apt-get install -y gcc 2>&1 |\n tee log >/dev/null # quiet\nA=\"$(uname -m)\" make <in 2>>err\n",
        )
        .unwrap_or_default();
        assert_eq!(pipelines, 3);
        assert_eq!(
            commands,
            [
                (vec![], strings(&["apt-get", "update"]), 0, false),
                (
                    vec![],
                    strings(&["apt-get", "install", "-y", "gcc"]),
                    1,
                    true
                ),
                (vec![], strings(&["tee", "log"]), 1, true),
                (
                    vec![("A".to_string(), "$(uname -m)".to_string())],
                    strings(&["make"]),
                    2,
                    false
                ),
            ]
        );
        // A substitution is part of its word, nested ones too.
        assert_eq!(
            plain("echo x$(a $(b  c) | d)y >&2").map(|(c, _)| c[0].1.clone()),
            Some(strings(&["echo", "x$(a $(b  c) | d)y"]))
        );
        // Escapes, special parameters and parameter operators.
        assert_eq!(
            plain("echo a\\ b \"c\\\"d\\e\" $1 \"$@\" ${V:-x} ${#V} ${V%%.*} b!")
                .map(|(c, _)| c[0].1.clone()),
            Some(strings(&[
                "echo", "a b", "c\"d\\e", "$1", "$@", "${V:-x}", "${#V}", "${V%%.*}", "b!"
            ]))
        );
        // A digit glued to the operator is its file descriptor; apart, it
        // is a word.
        assert_eq!(
            plain("echo 2 >x").map(|(c, _)| c[0].1.clone()),
            Some(strings(&["echo", "2"]))
        );
    }

    #[test]
    fn anything_else_is_left_to_the_shell_parser() {
        for text in [
            "",
            "   ",
            "\n\n",
            "# only a comment",
            "a &",
            "a && ",
            "a &&\n",
            "|| a",
            "\n; a",
            "a ;; b",
            "a |& b",
            "echo `date`",
            "echo $((1 + 2))",
            "echo ${A:-a b}",
            "echo ${A:-$B}",
            "echo ${A",
            "echo ${1}",
            "echo \"$${\"",
            "echo $$(a)",
            "echo a\\\nb",
            "echo \"a\\\nb\"",
            "echo !(x)",
            "echo !x",
            "echo $(date",
            "echo $(a\nb)",
            "echo $(a # c)",
            "echo $(a\tb)",
            "echo $(if x; then y; fi)",
            "echo $()",
            "echo )",
            "a >",
            "a > ;",
            "a > # x",
            "> x",
            "a>b",
            "a 10>x",
            "a << EOF",
            "a <<< x",
            "a &> x",
            "a >& x",
            "a 2>&1x",
            "a <> x",
            "a >| x",
            "a <(b)",
            "(a)",
            "{ a; }",
            "! a",
            "if x; then y; fi",
            "for x in a; do b; done",
            "a\nfi",
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
