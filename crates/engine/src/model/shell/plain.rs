//! Most `RUN` scripts are simple commands joined by `&&`, `||`, `;`, `|`
//! and newlines, perhaps inside `if`, `for`, `while`, `until`, `case`,
//! `{ }` and `( )`: `apt-get update && apt-get install -y gcc 2>&1`. Such a script
//! is read here without the shell parser, which spends about 250 K
//! instructions on each script it reads (callgrind, corpus).
//!
//! Plain words may hold quotes, backslash escapes, `$NAME`, `$1`, `$@`,
//! `${NAME}`, `${NAME:-word}` and its kin with a simple word, `$(...)`
//! around another plain script on one line, braces (`{}`, `{a,b}`) and
//! `!` (`!=`, `"done!"`). Plain scripts may hold comments, line
//! continuations between words, simple redirections (`>file`, `2>>file`,
//! `<file`, `2>&1`), which are dropped as the shell parser's walker drops
//! them, negated pipelines (`! grep x`) and function definitions
//! (`name() { list; }`, whose body is read where it stands). Anything
//! else — backquotes, arithmetic, here-documents and other redirections,
//! `&`, other reserved words in command position, and the few forms
//! brush-parser reads unlike bash (`$${`, `( (`, `case` inside a
//! subshell) — is left to the parser. Tests check that both read every
//! corpus script they both accept the same way, and random scripts built
//! from pieces of these forms and from a small grammar of them.

use std::borrow::Cow;

use super::script::AlternativeKind;
use super::words::unquote;

/// How deep `$(...)` may nest in a plain script.
const MAX_SUBSTITUTION_DEPTH: usize = 4;

/// How deep compound commands may nest in a plain script (the reader
/// recurses once per level; real scripts nest three or four).
const MAX_COMPOUND_DEPTH: usize = 32;

/// A word or an operator of a plain script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A word as written (quotes still in).
    Word(&'a str),
    /// `&&`: the next pipeline runs when this one succeeds.
    And,
    /// `||`: the next pipeline runs when this one fails (one side runs,
    /// as far as files go).
    Or,
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
    /// `(`: a subshell starts.
    Open,
    /// `)`: a subshell or a `case` pattern ends.
    Close,
    /// `;;`: a `case` item ends.
    CaseEnd,
    /// `()` right after a word: a function definition's name ends.
    Parens,
}

/// One simple command of a plain script: its assignments and words
/// (quotes removed), and its pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlainCommand {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, String)>,
    /// The command name and its arguments.
    pub words: Vec<String>,
    /// The number of its pipeline in the script, from 0, in the order
    /// the pipelines start.
    pub pipeline: usize,
    /// Whether its pipeline joins several commands with `|`.
    pub piped: bool,
}

/// What a plain script holds, in the order the shell parser's walker
/// meets it: pipelines (numbered as they start), the simple commands in
/// them, and compound commands (`if`, `for`, `while`, `until`, `case`,
/// `{ }`, `( )`), whose own pipelines follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// A pipeline starts: it takes the next number.
    Pipeline,
    /// A simple command of the innermost open pipeline.
    Command(PlainCommand),
    /// A compound command of the innermost open pipeline.
    Compound,
    /// The innermost open pipeline ends.
    End,
    /// An and-or list with a `||` starts: the left arm of each of its
    /// `||`s starts here.
    OrStart,
    /// The pipeline after a `||` starts.
    OrRight,
    /// The pipeline after a `||` ends: its two arms are complete.
    OrEnd,
    /// The and-or list that [`Step::OrStart`] opened ends.
    OrListEnd,
    /// `if` or `case` arms start ([`Step::Arm`] … [`Step::ArmEnd`] each).
    Branches,
    /// One arm starts: an `if`/`elif`/`else` body or a `case` item.
    Arm,
    /// The arm ends.
    ArmEnd,
    /// The arms that [`Step::Branches`] opened end.
    BranchesEnd(AlternativeKind),
}

/// The steps of a plain script, or `None` when the script is not plain
/// (the shell parser must read it).
pub(super) fn read(text: &str) -> Option<Vec<Step>> {
    let mut tabs = Vec::new();
    let (tokens, _) = scan(text, 0, 0, &mut tabs)?;
    program(text, &tokens, &tabs)
}

/// The steps of a whole script's tokens, or `None` when they do not make
/// a script the shell accepts.
fn program<'a>(text: &'a str, tokens: &[Token<'a>], tabs: &[usize]) -> Option<Vec<Step>> {
    let mut parser = Parser {
        text,
        tokens,
        tabs,
        at: 0,
        subshells: 0,
        compounds: 0,
        pipelines: 0,
        words: Vec::new(),
    };
    // A pipeline of one command takes three steps; most words are not
    // commands.
    let mut steps = Vec::with_capacity(tokens.len() / 2 + 3);
    parser.list(&[], false, &mut steps)?;
    parser.peek().is_none().then_some(steps)
}

/// A recursive-descent reader of the tokens of a plain script.
struct Parser<'t, 'a> {
    /// The script.
    text: &'a str,
    tokens: &'t [Token<'a>],
    /// Where the shell parser reads a tab inside `$(...)` as a space.
    tabs: &'t [usize],
    at: usize,
    /// How many subshells the parser is in.
    subshells: usize,
    /// How many compound commands the parser is in.
    compounds: usize,
    /// How many pipelines have started.
    pipelines: usize,
    /// The words of the simple command being read (kept for the next).
    words: Vec<&'a str>,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.at).copied()
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(Token::Newline) {
            self.at += 1;
        }
    }

    /// Takes the reserved word `word` in command position.
    fn expect(&mut self, word: &str) -> Option<()> {
        (self.peek() == Some(Token::Word(word))).then(|| self.at += 1)
    }

    /// And-or lists separated by `;` or newlines, up to one of the
    /// reserved words `ends` in command position (or a `)` when
    /// `close_paren`, or the end); at least one.
    fn list(&mut self, ends: &[&str], close_paren: bool, steps: &mut Vec<Step>) -> Option<()> {
        let mut items = 0usize;
        self.skip_newlines();
        loop {
            match self.peek() {
                None => break,
                Some(Token::Word(w)) if ends.contains(&w) => break,
                Some(Token::Close) if close_paren => break,
                Some(Token::CaseEnd) => break,
                _ => {}
            }
            self.and_or(steps)?;
            items += 1;
            match self.peek() {
                Some(Token::Semicolon | Token::Newline) => {
                    self.at += 1;
                    self.skip_newlines();
                }
                _ => break,
            }
        }
        (items > 0).then_some(())
    }

    /// Pipelines joined by `&&` and `||`. Each `||` makes two arms of
    /// which one runs: everything before it in the list, and the pipeline
    /// after it ([`Step::OrStart`] is put before the list once it holds a
    /// `||`).
    fn and_or(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        let start = steps.len();
        let mut or_seen = false;
        self.pipeline(steps)?;
        loop {
            let or = match self.peek() {
                Some(Token::And) => false,
                Some(Token::Or) => true,
                _ => break,
            };
            self.at += 1;
            self.skip_newlines();
            if or {
                if !or_seen {
                    or_seen = true;
                    steps.insert(start, Step::OrStart);
                }
                steps.push(Step::OrRight);
                self.pipeline(steps)?;
                steps.push(Step::OrEnd);
            } else {
                self.pipeline(steps)?;
            }
        }
        if or_seen {
            steps.push(Step::OrListEnd);
        }
        Some(())
    }

    fn pipeline(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        let number = self.pipelines;
        self.pipelines += 1;
        steps.push(Step::Pipeline);
        // `! a`: the pipeline's status is negated; its commands are the same.
        if self.peek() == Some(Token::Word("!")) {
            self.at += 1;
        }
        let first = self.command(steps)?;
        let piped = self.peek() == Some(Token::Pipe);
        let mut more: Vec<usize> = Vec::new();
        while self.peek() == Some(Token::Pipe) {
            self.at += 1;
            self.skip_newlines();
            more.extend(self.command(steps)?);
        }
        // Its simple commands (not those of its compound commands).
        for at in first.into_iter().chain(more) {
            if let Some(Step::Command(command)) = steps.get_mut(at) {
                command.pipeline = number;
                command.piped = piped;
            }
        }
        steps.push(Step::End);
        Some(())
    }

    /// A simple or compound command; for a simple one, where its step is.
    fn command(&mut self, steps: &mut Vec<Step>) -> Option<Option<usize>> {
        // A function definition, `name() { list; }`: its body is read as
        // a brace group in its place, as the shell parser's walker reads it.
        if let (Some(Token::Word(name)), Some(Token::Parens)) =
            (self.peek(), self.tokens.get(self.at + 1).copied())
        {
            if !is_name(name) || RESERVED.contains(&name) {
                return None;
            }
            self.at += 2;
            self.skip_newlines();
            if self.peek() != Some(Token::Word("{")) {
                return None;
            }
        }
        let compound = matches!(
            self.peek()?,
            Token::Open | Token::Word("{" | "if" | "for" | "case" | "while" | "until")
        );
        if !compound {
            steps.push(Step::Command(self.simple()?));
            return Some(Some(steps.len() - 1));
        }
        if self.compounds >= MAX_COMPOUND_DEPTH {
            return None;
        }
        steps.push(Step::Compound);
        self.compounds += 1;
        let read = self.compound(steps);
        self.compounds -= 1;
        read?;
        // Redirections of the compound command; then it must end.
        while self.peek() == Some(Token::Redirect) {
            self.at += 1;
        }
        if matches!(self.peek(), Some(Token::Word(_) | Token::Open)) {
            return None;
        }
        Some(None)
    }

    /// The steps inside the compound command that starts here.
    fn compound(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        match self.peek()? {
            Token::Open => {
                self.at += 1;
                self.subshells += 1;
                self.list(&[], true, steps)?;
                self.subshells -= 1;
                (self.peek() == Some(Token::Close)).then(|| self.at += 1)
            }
            Token::Word("{") => {
                self.at += 1;
                self.list(&["}"], false, steps)?;
                self.expect("}")
            }
            Token::Word("if") => self.if_clause(steps),
            Token::Word("for") => self.for_clause(steps),
            Token::Word("case") => self.case_clause(steps),
            Token::Word("while" | "until") => {
                self.at += 1;
                self.list(&["do"], false, steps)?;
                self.do_group(steps)
            }
            _ => None,
        }
    }

    /// `if list; then list; [elif list; then list;]... [else list;] fi`.
    /// (The bodies are arms of which one runs; the conditions are not.)
    fn if_clause(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        self.expect("if")?;
        self.list(&["then"], false, steps)?;
        self.expect("then")?;
        steps.push(Step::Branches);
        self.arm(&["elif", "else", "fi"], steps)?;
        loop {
            match self.peek()? {
                Token::Word("elif") => {
                    self.at += 1;
                    self.list(&["then"], false, steps)?;
                    self.expect("then")?;
                    self.arm(&["elif", "else", "fi"], steps)?;
                }
                Token::Word("else") => {
                    self.at += 1;
                    self.arm(&["fi"], steps)?;
                    self.expect("fi")?;
                    break;
                }
                Token::Word("fi") => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        steps.push(Step::BranchesEnd(AlternativeKind::If));
        Some(())
    }

    /// A list that is one arm of an `if` or a `case`.
    fn arm(&mut self, ends: &[&str], steps: &mut Vec<Step>) -> Option<()> {
        steps.push(Step::Arm);
        self.list(ends, false, steps)?;
        steps.push(Step::ArmEnd);
        Some(())
    }

    /// `case word in [(]pattern[|pattern]...) [list] ;; ... esac` (the
    /// word and the patterns are not commands).
    fn case_clause(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        // The shell parser fails on many a `case` inside a subshell.
        if self.subshells > 0 {
            return None;
        }
        self.expect("case")?;
        match self.peek()? {
            Token::Word(_) => self.at += 1,
            _ => return None,
        }
        self.skip_newlines();
        self.expect("in")?;
        steps.push(Step::Branches);
        loop {
            self.skip_newlines();
            if self.expect("esac").is_some() {
                steps.push(Step::BranchesEnd(AlternativeKind::Case));
                return Some(());
            }
            if self.peek() == Some(Token::Open) {
                self.at += 1;
            }
            loop {
                match self.peek()? {
                    Token::Word(_) => self.at += 1,
                    _ => return None,
                }
                match self.peek()? {
                    Token::Pipe => self.at += 1,
                    Token::Close => break,
                    _ => return None,
                }
            }
            self.at += 1;
            self.skip_newlines();
            if !matches!(self.peek()?, Token::CaseEnd | Token::Word("esac")) {
                self.arm(&["esac"], steps)?;
            }
            match self.peek()? {
                Token::CaseEnd => self.at += 1,
                Token::Word("esac") => {}
                _ => return None,
            }
        }
    }

    /// `for NAME in words; do list; done` (the words are not commands).
    fn for_clause(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        self.expect("for")?;
        match self.peek()? {
            Token::Word(name) if is_name(name) => self.at += 1,
            _ => return None,
        }
        self.expect("in")?;
        while matches!(self.peek(), Some(Token::Word(_))) {
            self.at += 1;
        }
        match self.peek()? {
            Token::Semicolon | Token::Newline => self.at += 1,
            _ => return None,
        }
        self.skip_newlines();
        self.do_group(steps)
    }

    /// `do list; done`.
    fn do_group(&mut self, steps: &mut Vec<Step>) -> Option<()> {
        self.expect("do")?;
        self.list(&["done"], false, steps)?;
        self.expect("done")
    }

    /// A simple command: words and redirections up to an operator.
    fn simple(&mut self) -> Option<PlainCommand> {
        let mut words = std::mem::take(&mut self.words);
        words.clear();
        loop {
            match self.peek() {
                Some(Token::Word(word)) => words.push(word),
                Some(Token::Redirect) => {}
                _ => break,
            }
            self.at += 1;
        }
        // A command of redirections only is left to the shell parser.
        if words.is_empty() {
            return None;
        }
        if self.tabs.is_empty() {
            let command = command(&words);
            self.words = words;
            return command;
        }
        let words: Vec<Cow<'_, str>> = words
            .into_iter()
            .map(|w| spaced_tabs(self.text, w, self.tabs))
            .collect();
        let words: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
        command(&words)
    }
}

/// `word`, a slice of `text`, with the tabs at `tabs` (offsets in `text`,
/// ascending) turned into spaces, as the shell parser turns them.
fn spaced_tabs<'w>(text: &str, word: &'w str, tabs: &[usize]) -> Cow<'w, str> {
    // Every word is a slice of the script, so its offset is the distance
    // between the two addresses.
    let start = (word.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let end = start.saturating_add(word.len());
    let first = tabs.partition_point(|&t| t < start);
    let inside = tabs.get(first..).unwrap_or_default();
    let inside = inside
        .get(..inside.partition_point(|&t| t < end))
        .unwrap_or_default();
    if inside.is_empty() {
        return Cow::Borrowed(word);
    }
    let spaced: String = word
        .char_indices()
        .map(|(i, c)| {
            if c == '\t' && inside.binary_search(&(start + i)).is_ok() {
                ' '
            } else {
                c
            }
        })
        .collect();
    Cow::Owned(spaced)
}

/// Whether `word` is a shell variable name.
fn is_name(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Words that start a compound command or are otherwise special in
/// command position.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "function", "select", "time", "coproc", "[[", "]]", "{", "}", "!",
];

/// One simple command from its raw words: leading `NAME=value` words are
/// assignments; `None` when its command word is a reserved word.
fn command(words: &[&str]) -> Option<PlainCommand> {
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
        pipeline: 0,
        piped: false,
    })
}

/// `NAME=value` as written: a name of letters, digits and `_` not starting
/// with a digit, then `=`.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    is_name(name).then_some((name, value))
}

/// The tokens of a plain script from `from`, and where they end, or
/// `None` at the first thing that is not plain. At `depth` 0 the script
/// is the whole text; deeper, it is the inside of a `$(...)` and ends at
/// its closing parenthesis (the returned position is that of the `)`).
fn scan<'a>(
    text: &'a str,
    from: usize,
    depth: usize,
    tabs: &mut Vec<usize>,
) -> Option<(Vec<Token<'a>>, usize)> {
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
    // Inside `$(...)`: whether the shell parser's current token has begun.
    // A blank then ends it and is read as a space; otherwise the blank
    // begins one.
    let mut token_open = false;
    while let Some(&b) = bytes.get(at) {
        if nested {
            match b {
                b' ' | b'\t' => {
                    if token_open && b == b'\t' {
                        tabs.push(at);
                    }
                    token_open = !token_open;
                }
                b'&' | b'|' | b';' | b'<' | b'>' => token_open = false,
                _ => token_open = true,
            }
        }
        match b {
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
                    (b')', _) => (Token::Close, 1),
                    (b'\n', _) if nested => return None,
                    (b'\n', _) => (Token::Newline, 1),
                    (b'&', Some(b'&')) => (Token::And, 2),
                    (b'|', Some(b'|')) => (Token::Or, 2),
                    (b';', Some(b';')) if bytes.get(at + 2) != Some(&b'&') => (Token::CaseEnd, 2),
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
                // `>&1` ends with a word character.
                token_open = !needs_target;
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
                        b'$' => at = dollar(text, at, depth, tabs)?,
                        // `\$`, `\"`, ... escape; before anything
                        // else but a newline the backslash is itself.
                        b'\\' => match bytes.get(at + 1) {
                            None => return None,
                            Some(b'\n' | b'$' | b'`' | b'"' | b'\\') => at += 2,
                            Some(_) => at += 1,
                        },
                        b'`' => return None,
                        _ => at += 1,
                    }
                }
                at += 1;
            }
            b'$' => {
                word_start.get_or_insert(at);
                at = dollar(text, at, depth, tabs)?;
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
                    // A line continuation between words is read as nothing.
                    // Inside one (it could make a reserved word) or inside
                    // `$(...)` it is left to the shell parser.
                    if word_start.is_some() || nested {
                        return None;
                    }
                    at += 2;
                    continue;
                }
                word_start.get_or_insert(at);
                at += 1 + escaped.len_utf8();
            }
            // `!` is part of a word (`!=`, `x!`) or a word of its own (`[ !
            // -f x ]`; in command position the parser reads it as a negated
            // pipeline). Only `!(`, an extended glob, is left to the shell
            // parser.
            b'!' if bytes.get(at + 1) != Some(&b'(') => {
                word_start.get_or_insert(at);
                at += 1;
            }
            // A subshell (not `((`, arithmetic), and `{`, `}` as words of
            // their own (a brace group in command position).
            b'(' if !nested && word_start.is_none() && !target_pending => {
                // The shell parser reads `( (` as `((` too.
                let after_open =
                    out.iter().rev().find(|t| **t != Token::Newline) == Some(&Token::Open);
                if after_open || bytes.get(at + 1) == Some(&b'(') {
                    return None;
                }
                out.push(Token::Open);
                at += 1;
            }
            b'{' | b'}'
                if word_start.is_none()
                    && matches!(
                        bytes.get(at + 1),
                        None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')' | b'<' | b'>')
                    ) =>
            {
                if nested || target_pending {
                    return None;
                }
                out.push(Token::Word(text.get(at..at + 1).unwrap_or_default()));
                at += 1;
            }
            // `name()`: a function definition (the parser checks where).
            b'(' if !nested
                && word_start.is_some()
                && !target_pending
                && bytes.get(at + 1) == Some(&b')') =>
            {
                end_word(&mut out, &mut word_start, &mut target_pending, at);
                out.push(Token::Parens);
                at += 2;
            }
            // Elsewhere a brace is part of a word: `{}`, `{a,b}`, `x}`.
            b'`' | b'(' | b'!' | 0..=0x1f | 0x7f => {
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
fn dollar(text: &str, at: usize, depth: usize, tabs: &mut Vec<usize>) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(at + 1) == Some(&b'(') {
        if bytes.get(at + 2) == Some(&b'(') || depth >= MAX_SUBSTITUTION_DEPTH {
            return None;
        }
        let (tokens, close) = scan(text, at + 2, depth + 1, tabs)?;
        program(text, &tokens, &[])?;
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
    use super::{Step, read};

    /// `(assignments, words, pipeline, piped)` of each command.
    type Commands = Vec<(Vec<(String, String)>, Vec<String>, usize, bool)>;

    /// The commands of a plain script with their pipelines numbered as
    /// the walker numbers them, and the number of pipelines.
    fn plain(text: &str) -> Option<(Commands, usize)> {
        read(text).map(|steps| {
            let (mut commands, mut open, mut pipelines) = (Vec::new(), Vec::new(), 0);
            for step in steps {
                match step {
                    Step::Pipeline => {
                        open.push(pipelines);
                        pipelines += 1;
                    }
                    Step::End => {
                        open.pop();
                    }
                    Step::Command(c) => commands.push((
                        c.assignments,
                        c.words,
                        open.last().copied().unwrap_or_default(),
                        c.piped,
                    )),
                    _ => {}
                }
            }
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
        // Words hold braces, `!` and line continuations in double quotes;
        // a continuation between words is nothing.
        assert_eq!(
            plain("find . -exec a {} + \\\n  && [ \"$x\" != \"y!\" ] && b \"c\\\nd\" {1..2}")
                .map(|(c, _)| c.into_iter().map(|c| c.1.join(" ")).collect::<Vec<_>>()),
            Some(vec![
                "find . -exec a {} +".to_string(),
                "[ $x != y! ]".to_string(),
                "b cd {1..2}".to_string(),
            ])
        );
        // A negated pipeline, and a function's body read where it stands.
        assert_eq!(
            plain("! a | b && f() {\n  c \"$1\"\n}; ! { d; }"),
            Some((
                vec![
                    (vec![], strings(&["a"]), 0, true),
                    (vec![], strings(&["b"]), 0, true),
                    (vec![], strings(&["c", "$1"]), 2, false),
                    (vec![], strings(&["d"]), 4, false),
                ],
                5
            ))
        );
        // A substitution is part of its word, nested ones too.
        assert_eq!(
            plain("echo x$(a $(b  c) | d)y >&2").map(|(c, _)| c[0].1.clone()),
            Some(strings(&["echo", "x$(a $(b  c) | d)y"]))
        );
        // Compound commands: their pipelines are numbered after the one
        // they are in, and their words are not commands.
        let (commands, pipelines) = plain(
            "a && if [ -f x ]; then\n b | c\nelif d; then e; else { f; }; fi | g\nfor x in 1 2; do ( h $x ); done",
        )
        .unwrap_or_default();
        assert_eq!(pipelines, 11);
        let numbered: Vec<(String, usize, bool)> = commands
            .into_iter()
            .map(|(_, words, pipeline, piped)| (words.join(" "), pipeline, piped))
            .collect();
        let expected = [
            ("a", 0, false),
            ("[ -f x ]", 2, false),
            ("b", 3, true),
            ("c", 3, true),
            ("d", 4, false),
            ("e", 5, false),
            ("f", 7, false),
            ("g", 1, true),
            ("h $x", 10, false),
        ];
        assert_eq!(
            numbered,
            expected
                .iter()
                .map(|(w, p, piped)| (w.to_string(), *p, *piped))
                .collect::<Vec<_>>()
        );
        // `case`: the word and the patterns are not commands.
        let (commands, pipelines) = plain(
            "case \"$(uname -m)\" in\n  x86_64|amd64) a x64 ;;\n  (arm64) b; c ;;\n  *) ;;\nesac",
        )
        .unwrap_or_default();
        assert_eq!(pipelines, 4);
        assert_eq!(
            commands
                .iter()
                .map(|(_, words, pipeline, _)| (words.join(" "), *pipeline))
                .collect::<Vec<_>>(),
            [
                ("a x64".to_string(), 1),
                ("b".to_string(), 2),
                ("c".to_string(), 3)
            ]
        );
        // Inside `$(...)` the shell parser reads a tab that ends a word as
        // a space.
        assert_eq!(
            plain("echo $(a\t\tb) $(\t\ta) \"$(c\td)\" $(e |\tf)").map(|(c, _)| c[0].1.clone()),
            Some(strings(&[
                "echo",
                "$(a \tb)",
                "$(\t a)",
                "$(c d)",
                "$(e |\tf)"
            ]))
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
    fn deep_nesting_is_left_to_the_shell_parser() {
        let nested = |n: usize| format!("{}a{}", "{ ".repeat(n), "; }".repeat(n));
        assert!(plain(&nested(32)).is_some());
        assert_eq!(plain(&nested(33)), None);
        // Far deeper than the stack could recurse: refused, not overflowed.
        assert_eq!(plain(&nested(100_000)), None);
        assert_eq!(plain(&"if ".repeat(100_000)), None);
        assert_eq!(plain(&"$(a ".repeat(100_000)), None);
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
            "echo a\\\nb",
            "i\\\nf a; then b; fi",
            "echo $(a \\\n b)",
            "echo !(x)",
            "echo !(x)",
            "echo $(date",
            "echo $(a\nb)",
            "echo $(a # c)",
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
            "! ! a",
            "a | ! b",
            "((a))",
            "a(",
            "f() a",
            "f() ( a )",
            "1f() { a; }",
            "if() { a; }",
            "echo a()",
            "echo $(f() { a; })",
            "function f { a; }",
            "case x in a) b;& esac",
            "case x in a) b;;& esac",
            "case x a) b;; esac",
            "case x in a b;; esac",
            "case x in a) b;; c) d",
            "case x in a) b c) d;; esac",
            "(case x in a) b;; esac)",
            "select x in a; do b; done",
            "time a",
            "[[ a ]]",
            "for x; do a; done",
            "for 1x in a; do b; done",
            "for x in a do b; done",
            "if a; then fi",
            "if a; then b; fi x",
            "if a; then b",
            "while a; do b; done done",
            "until; do a; done",
            "{ a }",
            "{a; }",
            "( a",
            "a )",
            "( a ) b",
            "echo $( (a) )",
            "( (a) )",
            "(\n(a))",
            "echo $({ a; })",
            "a\nfi",
            "'unterminated",
            "\"unterminated",
            "A+=1 b",
            "A[1]=x b",
            "a\x0cb",
        ] {
            assert_eq!(plain(text), None, "{text:?}");
        }
    }
}
