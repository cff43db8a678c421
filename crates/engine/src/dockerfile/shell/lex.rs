//! The lexer proper: a port of BuildKit's `shellWord` state machine.
//!
//! Go's `text/scanner` reads one char at a time with one char of look-ahead
//! and an EOF sentinel; here that is [`Scanner`] with `Option<char>`.

use std::collections::BTreeSet;

use super::env::Env;
use super::error::{ShellError, ShellErrorKind};
use super::pattern;
use crate::dockerfile::gotext::{is_digit, is_letter, is_space};

/// How deeply `${name<mod>word}` words (and quotes inside them) may nest
/// before [`ShellErrorKind::TooDeep`] is returned.
///
/// BuildKit has no cap. Expansion is recursive, and a 2 MiB thread stack
/// (Rust's default for spawned threads) holds about 970 levels in an
/// unoptimised build and 3,300 in release, so 500 leaves room for callers.
/// Real Dockerfiles nest a handful of levels at most.
pub const MAX_NESTING: usize = 500;

/// How many bytes of variable values one word may take in (each value
/// looked up, and each `${v//p/r}` result) before
/// [`ShellErrorKind::TooLong`] is returned.
///
/// BuildKit has no cap, so `ENV A=$A$A` repeated doubles a value without
/// end; restage stops at 1 MiB, far beyond any real Dockerfile's values
/// (the largest in the corpus is a few KiB).
pub const MAX_EXPANSION_BYTES: usize = 1 << 20;

/// BuildKit's shell-word lexer (`shell.Lex`): quote removal, escapes,
/// `$var` / `${var...}` expansion and optional word splitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexer {
    /// The escape character: `\` or `` ` `` (from the `escape` directive).
    pub escape: char,
    /// Keep quote characters in the output (Go `RawQuotes`).
    pub raw_quotes: bool,
    /// Keep escape characters in the output (Go `RawEscapes`).
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (Go `SkipProcessQuotes`).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables verbatim (Go `SkipUnsetEnv`).
    pub skip_unset_env: bool,
    /// Heredoc-detection mode: an unquoted `<<` also swallows the spaces,
    /// tabs and CRs that directly follow it into the same word, so `<<  EOF`
    /// is one word while `<<- EOF` stays two (`<<-`, `EOF`).
    pub heredoc_blanks: bool,
}

/// The outcome of [`Lexer::process`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text as one word (Go `ProcessWord`).
    pub result: String,
    /// The expanded text split into words (Go `ProcessWords`).
    pub words: Vec<String>,
    /// Names that were looked up and found.
    pub matched: BTreeSet<String>,
    /// Names that were looked up and not found (BuildKit's UndefinedVar
    /// input; `${X:-default}` with `X` unset counts).
    pub unmatched: BTreeSet<String>,
}

impl Lexer {
    /// A lexer with escape character `escape` and every flag off.
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
            heredoc_blanks: false,
        }
    }

    /// Expands `input` against `env`, producing both the single-word result
    /// and the split words, plus the names looked up.
    ///
    /// `env` is any [`Env`]: a `&dyn Env`, a map, or a slice of pairs.
    pub fn process<E: Env + ?Sized>(&self, input: &str, env: &E) -> Result<Expansion, ShellError> {
        self.expand(input, env, true)
    }

    /// [`Lexer::process`] for callers that only read the single-word
    /// result and the names: `words` may be left empty.
    pub fn process_unsplit<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<Expansion, ShellError> {
        self.expand(input, env, false)
    }

    /// The expansion, with the split words when `split` is set.
    fn expand<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
        split: bool,
    ) -> Result<Expansion, ShellError> {
        match self.plain(input, split) {
            Some(expansion) => Ok(expansion),
            None => self.process_machine(input, env),
        }
    }

    /// The expansion of text the state machine copies through unchanged
    /// (most words of a Dockerfile: paths, image names, flags), without
    /// running it: no `$`, quote or escape char, no heredoc `<<` and no
    /// leading byte order mark. The result is the text itself and the
    /// words, when `split` asks for them, are its runs of non-blank chars.
    fn plain(&self, input: &str, split: bool) -> Option<Expansion> {
        let special = |c: char| {
            matches!(c, '$' | '\'' | '"') || c == self.escape || (c == '<' && self.heredoc_blanks)
        };
        if input.starts_with('\u{FEFF}') || input.contains(special) {
            return None;
        }
        Some(Expansion {
            result: input.to_string(),
            words: if split {
                input
                    .split(is_space)
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            } else {
                Vec::new()
            },
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        })
    }

    /// [`Lexer::process`] by the state machine alone.
    pub(super) fn process_machine<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<Expansion, ShellError> {
        let env: &dyn Env = &env;
        let mut sw = ShellWord {
            lex: self,
            env,
            scanner: Scanner::new(input),
            raw_escapes: self.raw_escapes,
            words_buf: String::new(),
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            depth: 0,
            taken: 0,
        };
        match sw.process_stop_on(None, self.raw_escapes) {
            Ok((result, words)) => Ok(Expansion {
                result,
                words,
                matched: sw.matched,
                unmatched: sw.unmatched,
            }),
            Err(kind) => Err(ShellError::new(input, *kind)),
        }
    }

    /// Go `ProcessWord`: the expansion as one string, whitespace kept.
    pub fn process_word<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<String, ShellError> {
        self.process_unsplit(input, env).map(|e| e.result)
    }

    /// Go `ProcessWords`: the expansion split on unquoted whitespace.
    pub fn process_words<E: Env + ?Sized>(
        &self,
        input: &str,
        env: &E,
    ) -> Result<Vec<String>, ShellError> {
        self.process(input, env).map(|e| e.words)
    }
}

/// Go's `text/scanner` as BuildKit uses it: `peek`/`next` one char, `None`
/// for EOF, and a byte order mark at the very start is skipped.
struct Scanner {
    chars: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn new(input: &str) -> Self {
        let chars: Vec<char> = input.chars().collect();
        let pos = usize::from(chars.first() == Some(&'\u{FEFF}'));
        Scanner { chars, pos }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
}

/// Go's `string(r)` of a scanned rune: EOF becomes U+FFFD.
fn rune_char(c: Option<char>) -> char {
    c.unwrap_or('\u{FFFD}')
}

/// Go's `wordsStruct`. The buffer of the word being built is shared by all
/// nesting levels (BuildKit's `shellWord.wordsBuffer`), so it is passed in.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if is_space(ch) {
            if self.in_word && !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn get_words(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

/// The single-word result and the split words of one `processStopOn`.
#[derive(Default)]
struct Accumulator {
    result: String,
    words: Words,
}

/// Errors are boxed on the internal path to keep the recursive frames small.
type LexResult<T> = Result<T, Box<ShellErrorKind>>;

/// An internal error result.
#[inline(never)]
fn fail<T>(kind: ShellErrorKind) -> LexResult<T> {
    Err(Box::new(kind))
}

/// One run of the lexer over one input (Go `shellWord`).
struct ShellWord<'a> {
    lex: &'a Lexer,
    env: &'a dyn Env,
    scanner: Scanner,
    /// Current raw-escapes mode; `${v#p}`, `${v%p}` and `${v/p/r}` words
    /// switch it on, the other modifiers switch it off.
    raw_escapes: bool,
    /// BuildKit HEAD shares one word buffer across nested `processStopOn`
    /// calls, and each call resets it: text of the current word before a
    /// `${v<mod>...}` is dropped from the split words (not from the result).
    words_buf: String,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    depth: usize,
    /// Bytes of variable values taken in so far ([`MAX_EXPANSION_BYTES`]).
    taken: usize,
}

impl ShellWord<'_> {
    /// Go `processStopOn`: processes until `stop` (consumed) or, for `None`,
    /// the end of the input, with raw escapes set to `raw_escapes` meanwhile.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> LexResult<(String, Vec<String>)> {
        if self.depth >= MAX_NESTING {
            return fail(ShellErrorKind::TooDeep { limit: MAX_NESTING });
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let out = self.stop_on_loop(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        out
    }

    fn stop_on_loop(&mut self, stop: Option<char>) -> LexResult<(String, Vec<String>)> {
        let mut acc = Accumulator::default();
        self.words_buf.clear();
        let quotes = !self.lex.skip_process_quotes;

        while let Some(ch) = self.scanner.peek() {
            if stop == Some(ch) {
                self.scanner.next();
                return Ok(self.finish(acc));
            }
            let piece = match ch {
                '$' => self.process_dollar(),
                '\'' if quotes => self.process_single_quote(),
                '"' if quotes => self.process_double_quote(),
                _ => {
                    if self.plain_char(&mut acc) {
                        continue;
                    }
                    break;
                }
            };
            self.add_piece(&mut acc, ch == '$', piece)?;
        }

        match stop {
            Some(stop) => fail(ShellErrorKind::UnexpectedEnd { stop }),
            None => Ok(self.finish(acc)),
        }
    }

    /// Adds the result of a `$` form (split into words on whitespace) or of
    /// a quoted string (never split).
    #[inline(never)]
    fn add_piece(
        &mut self,
        acc: &mut Accumulator,
        expansion: bool,
        piece: LexResult<String>,
    ) -> LexResult<()> {
        let piece = piece?;
        acc.result.push_str(&piece);
        if expansion {
            acc.words.add_string(&mut self.words_buf, &piece);
        } else {
            acc.words.add_raw_string(&mut self.words_buf, &piece);
        }
        Ok(())
    }

    #[inline(never)]
    fn finish(&mut self, acc: Accumulator) -> (String, Vec<String>) {
        (acc.result, acc.words.get_words(&mut self.words_buf))
    }

    /// Consumes one ordinary char (with the char it escapes, or the blanks
    /// after a heredoc `<<`). Returns false when a trailing escape char
    /// ended the input, which ends the word like BuildKit's `break`.
    #[inline(never)]
    fn plain_char(&mut self, acc: &mut Accumulator) -> bool {
        let Some(mut ch) = self.scanner.next() else {
            return false;
        };
        if ch == self.lex.escape {
            if self.raw_escapes {
                acc.words.add_raw_char(&mut self.words_buf, ch);
                acc.result.push(ch);
            }
            // The escape escapes the next char; a trailing one is dropped.
            match self.scanner.next() {
                Some(next) => ch = next,
                None => return false,
            }
            acc.words.add_raw_char(&mut self.words_buf, ch);
        } else if ch == '<' && self.lex.heredoc_blanks && self.scanner.peek() == Some('<') {
            self.scanner.next();
            acc.words.add_raw_string(&mut self.words_buf, "<<");
            acc.result.push_str("<<");
            while let Some(blank @ (' ' | '\t' | '\r')) = self.scanner.peek() {
                self.scanner.next();
                acc.words.add_raw_char(&mut self.words_buf, blank);
                acc.result.push(blank);
            }
            return true;
        } else {
            acc.words.add_char(&mut self.words_buf, ch);
        }
        acc.result.push(ch);
        true
    }

    /// Go `processSingleQuote`: everything up to the next `'` literally.
    fn process_single_quote(&mut self) -> LexResult<String> {
        let mut result = String::new();
        let open = self.scanner.next();
        if self.lex.raw_quotes {
            result.push(rune_char(open));
        }
        loop {
            match self.scanner.next() {
                None => return fail(ShellErrorKind::UnterminatedSingleQuote),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    /// Go `processDoubleQuote`: `$` expands; the escape char escapes only
    /// `"`, `$` and itself and otherwise stays.
    fn process_double_quote(&mut self) -> LexResult<String> {
        let mut result = String::new();
        let open = self.scanner.next();
        if self.lex.raw_quotes {
            result.push(rune_char(open));
        }
        loop {
            match self.scanner.peek() {
                None => return fail(ShellErrorKind::UnterminatedDoubleQuote),
                Some('"') => {
                    self.scanner.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(mut ch) => {
                    self.scanner.next();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.scanner.peek() {
                            // A trailing escape is dropped (the missing quote
                            // is reported on the next turn).
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.lex.escape => {
                                self.scanner.next();
                                ch = next;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// A nested word of `${...}` ending at `stop`. On an error at the end of
    /// the input BuildKit reports a missing `/` (for the pattern of
    /// `${v/p/r}`) or `}` instead of the error itself.
    fn nested_word(&mut self, stop: char, raw_escapes: bool) -> LexResult<String> {
        match self.process_stop_on(Some(stop), raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(e) => Err(self.nested_error(stop, e)),
        }
    }

    #[inline(never)]
    fn nested_error(&self, stop: char, e: Box<ShellErrorKind>) -> Box<ShellErrorKind> {
        match *e {
            ShellErrorKind::TooDeep { .. } => e,
            _ if self.scanner.peek().is_some() => e,
            _ if stop == '/' => Box::new(ShellErrorKind::MissingSlash),
            _ => Box::new(ShellErrorKind::MissingBrace),
        }
    }

    // The functions on the recursive path (process_stop_on, stop_on_loop,
    // process_double_quote, process_dollar, nested_word) keep their frames
    // small; everything else lives in `#[inline(never)]` helpers.

    /// Go `processDollar`, called with the scanner on the `$`.
    fn process_dollar(&mut self) -> LexResult<String> {
        self.scanner.next();
        if self.scanner.peek() != Some('{') {
            return self.plain_reference();
        }
        self.scanner.next();
        let (name, first) = self.brace_head()?;
        match first {
            Some('}') => self.braced_reference(&name),
            Some(c @ (':' | '+' | '-' | '?' | '#' | '%')) => self.modifier_form(&name, c),
            Some('/') => self.replace_form(&name),
            _ => Err(unsupported_modifier(false, first)),
        }
    }

    /// `${name<c>word}` where `c` is the char after the name (`:` for the
    /// `:<op>` forms, whose op is read here).
    fn modifier_form(&mut self, name: &str, c: char) -> LexResult<String> {
        let null_is_unset = c == ':';
        let op = if null_is_unset {
            self.scanner.next()
        } else {
            Some(c)
        };
        let raw_escapes = matches!(op, Some('#' | '%'));
        if null_is_unset && raw_escapes {
            return Err(unsupported_modifier(true, op));
        }
        let word = self.nested_word('}', raw_escapes)?;
        self.apply_modifier(name, op, null_is_unset, word)
    }

    /// `${name/pattern/replacement}` / `${name//pattern/replacement}`.
    fn replace_form(&mut self, name: &str) -> LexResult<String> {
        let all = self.scanner.peek() == Some('/');
        if all {
            self.scanner.next();
        }
        let pat = self.nested_word('/', true)?;
        let replacement = self.nested_word('}', true)?;
        self.apply_replace(name, all, &pat, &replacement)
    }

    /// `$name` (the `$` consumed): the value, `$` alone if no name follows,
    /// or `$name` verbatim when unset and `skip_unset_env`.
    #[inline(never)]
    fn plain_reference(&mut self) -> LexResult<String> {
        let name = self.process_name();
        if name.is_empty() {
            return Ok("$".to_owned());
        }
        Ok(match self.get_env(&name)? {
            Some(value) => value,
            None if self.lex.skip_unset_env => format!("${name}"),
            None => String::new(),
        })
    }

    /// After `${`: rejects `${` at the end, `${}`, `${:` and `${{`, then reads
    /// the name and the char after it (consumed).
    #[inline(never)]
    fn brace_head(&mut self) -> LexResult<(String, Option<char>)> {
        match self.scanner.peek() {
            None => return fail(ShellErrorKind::MissingBrace),
            Some('{' | '}' | ':') => return fail(ShellErrorKind::BadSubstitution),
            Some(_) => {}
        }
        let name = self.process_name();
        let first = self.scanner.next();
        Ok((name, first))
    }

    /// `${name}`.
    #[inline(never)]
    fn braced_reference(&mut self, name: &str) -> LexResult<String> {
        Ok(match self.get_env(name)? {
            Some(value) => value,
            None if self.lex.skip_unset_env => format!("${{{name}}}"),
            None => String::new(),
        })
    }

    /// `${name<op>word}` / `${name:<op>word}` once `word` is processed.
    #[inline(never)]
    fn apply_modifier(
        &mut self,
        name: &str,
        op: Option<char>,
        null_is_unset: bool,
        word: String,
    ) -> LexResult<String> {
        let env_value = self.get_env(name)?;
        if self.lex.skip_unset_env && env_value.is_none() {
            let colon = if null_is_unset { ":" } else { "" };
            let op = rune_char(op);
            return Ok(format!("${{{name}{colon}{op}{word}}}"));
        }
        let set = env_value.is_some();
        let value = env_value.unwrap_or_default();
        let unset_or_null = !set || (null_is_unset && value.is_empty());

        match op {
            Some('-') => Ok(if unset_or_null { word } else { value }),
            Some('+') => Ok(if unset_or_null { String::new() } else { word }),
            Some('?') => {
                let default = if !set {
                    "is not allowed to be unset"
                } else if null_is_unset && value.is_empty() {
                    "is not allowed to be empty"
                } else {
                    return Ok(value);
                };
                let message = if word.is_empty() {
                    default.to_owned()
                } else {
                    word
                };
                fail(ShellErrorKind::Required {
                    name: name.to_owned(),
                    message,
                })
            }
            Some(op @ ('#' | '%')) => {
                // One `#`/`%` is the shortest match, two the longest.
                let (pattern, greedy) = match word.strip_prefix(op) {
                    Some(rest) => (rest, true),
                    None => (word.as_str(), false),
                };
                let trimmed = if op == '%' {
                    pattern::trim_suffix(pattern, &value, greedy)
                } else {
                    pattern::trim_prefix(pattern, &value, greedy)
                };
                trimmed.map_err(Box::new)
            }
            _ => Err(unsupported_modifier(null_is_unset, op)),
        }
    }

    /// `${name/pattern/replacement}` / `${name//pattern/replacement}` once
    /// both words are processed.
    #[inline(never)]
    fn apply_replace(
        &mut self,
        name: &str,
        all: bool,
        pat: &str,
        replacement: &str,
    ) -> LexResult<String> {
        let value = self.get_env(name)?;
        if self.lex.skip_unset_env && value.is_none() {
            // BuildKit renders `//` as `/` here.
            return Ok(format!("${{{name}/{pat}/{replacement}}}"));
        }
        let room = MAX_EXPANSION_BYTES.saturating_sub(self.taken);
        let out = pattern::replace(value.as_deref().unwrap_or(""), pat, replacement, all, room)
            .map_err(Box::new)?;
        self.take(out.len())?;
        Ok(out)
    }

    /// Counts `len` more bytes of values taken in.
    fn take(&mut self, len: usize) -> LexResult<()> {
        self.taken = self.taken.saturating_add(len);
        if self.taken > MAX_EXPANSION_BYTES {
            return fail(ShellErrorKind::TooLong {
                limit: MAX_EXPANSION_BYTES,
            });
        }
        Ok(())
    }

    /// Go `processName`: a run of letters, digits and `_`; all digits if it
    /// starts with one; or one special parameter char.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.scanner.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(d) = self.scanner.peek().filter(|&c| is_digit(c)) {
                    self.scanner.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.scanner.next();
                name.push(ch);
                return name;
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            self.scanner.next();
            name.push(ch);
        }
        name
    }

    /// Looks `name` up and records it as matched or unmatched.
    fn get_env(&mut self, name: &str) -> LexResult<Option<String>> {
        Ok(match self.env.lookup(name) {
            Some(value) => {
                self.take(value.len())?;
                if !self.matched.contains(name) {
                    self.matched.insert(name.to_owned());
                }
                Some(value.to_owned())
            }
            None => {
                if !self.unmatched.contains(name) {
                    self.unmatched.insert(name.to_owned());
                }
                None
            }
        })
    }
}

/// `unsupported modifier (<m>) in substitution`, where `<m>` is the char
/// after the name, preceded by `:` for the `:` forms (EOF prints as U+FFFD).
#[inline(never)]
fn unsupported_modifier(colon: bool, op: Option<char>) -> Box<ShellErrorKind> {
    let mut modifier = String::new();
    if colon {
        modifier.push(':');
    }
    modifier.push(rune_char(op));
    Box::new(ShellErrorKind::UnsupportedModifier { modifier })
}

/// POSIX special parameters, each a one-char name.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}
