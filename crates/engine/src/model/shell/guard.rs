//! Which scripts brush-parser is not given, and why. The parser is a
//! dependency with limits of its own: its recursion grows with nesting,
//! some shapes take time exponential in their size, and some inputs make
//! it panic. A script it is not given is read by the fallback word
//! splitter, as one that does not parse.

/// Longer scripts are not parsed (a `RUN` of 64 KiB is already absurd).
const MAX_PARSED_LEN: usize = 64 * 1024;

/// The deepest brackets may nest (keeps the parser's recursion bounded).
const MAX_NESTING: usize = 64;

/// The deepest parentheses may nest outside quotes: brush-parser's grammar
/// tries an arithmetic `((` and a subshell `(` at each one, so unclosed
/// ones cost time exponential in their number (24 in a row took 1.4 s,
/// fourteen `((x ` 10.6 s, and 40 would take days; a fuzzer found it).
/// Real scripts nest three or four.
const MAX_PAREN_DEPTH: usize = 16;

/// The deepest `case` statements may nest, closed or not: brush-parser's
/// grammar backtracks over each `case` whose items it cannot close, so its
/// time doubles with every one (16 unclosed `case x in y)` took 0.3 s, 20
/// with an `if` beside each 26 s, and 24 over two minutes in 1.8 KB; a
/// fuzzer found it). Real scripts nest two or three.
const MAX_CASE_DEPTH: usize = 8;

/// The largest file descriptor number brush-parser reads before `<` or `>`
/// (it parses it as an `i32` and panics on more; a fuzzer found it).
const MAX_IO_NUMBER: u64 = i32::MAX as u64;

/// Why `text` is not given to the parser, if it is not.
pub(super) fn refusal(text: &str) -> Option<&'static str> {
    if text.len() > MAX_PARSED_LEN {
        return Some("script too large to parse");
    }
    if empty_here_tag(text) {
        return Some("here-document with an empty delimiter");
    }
    let found = scan(text);
    if found.substitution_closed_in_here_body {
        return Some("command substitution closed on a here-document's first line");
    }
    if found.nesting > MAX_NESTING {
        return Some("script too deeply nested to parse");
    }
    if found.paren_depth > MAX_PAREN_DEPTH {
        return Some("parentheses nested too deeply to parse");
    }
    if found.case_depth > MAX_CASE_DEPTH {
        return Some("case statements nested too deeply to parse");
    }
    if found.io_number > MAX_IO_NUMBER {
        return Some("file descriptor number out of range");
    }
    if found.here_document && found.substitution && found.unclosed_parens > 0 {
        return Some("unterminated command substitution beside a here-document");
    }
    if found.here_document && found.parameter && found.unclosed_braces > 0 {
        return Some("unterminated parameter expansion beside a here-document");
    }
    None
}

/// What one pass over a script finds.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    /// The deepest nesting of brackets, roughly (quotes not considered).
    nesting: usize,
    /// The deepest nesting of parentheses outside quotes (inside a `$(…)`
    /// in double quotes counts as outside; an unmatched `)` is ignored).
    paren_depth: usize,
    /// The deepest nesting of `case` statements ([`CaseWords`]).
    case_depth: usize,
    /// The largest all-digit word directly before `<` or `>` outside
    /// quotes (saturating).
    io_number: u64,
    /// Whether a `<<` appears outside quotes. Beside one, an unclosed `$(`
    /// holding a `${…}` or `$((…))` makes brush-parser panic (it reads past
    /// the end of the script; a fuzzer found it).
    here_document: bool,
    /// Whether a `$(` appears outside single quotes.
    substitution: bool,
    /// How many `$(` and unquoted `(` are still open at the end (escaped
    /// ones not counted). A `)` that closes none of them, unquoted or in
    /// quotes, is ignored: counting it would hide an unclosed `$(` (`<<E
    /// )$(${a}` and `<<E $((e)")"`; a fuzzer found both).
    unclosed_parens: usize,
    /// Whether a `${` appears outside single quotes. Beside a `<<`, an
    /// unclosed one after a closed one makes brush-parser panic too (a
    /// fuzzer found it).
    parameter: bool,
    /// How many `${` and unquoted `{` are still open at the end (escaped
    /// ones not counted; a `}` that closes none of them is ignored).
    unclosed_braces: usize,
    /// Whether a line with a here-document operator (`<<`) ends inside a
    /// `(` it opened after a `$` (`cat <<EOF $(`,
    /// `echo $(cat <<EOF`, `<<EOF $((`), and the next line, the
    /// here-document's first, starts with `)`. brush-parser's tokenizer
    /// panics there: it sees that `)` close the substitution, but the
    /// here-document takes the line first, and the tokenizer unwraps a
    /// character that is gone (a fuzzer found it). Any `<<` counts, a
    /// `<<<` too: a script refused that would have parsed is only read by
    /// the word splitter, and a here-document whose first line starts with
    /// `)` is rare in real scripts.
    substitution_closed_in_here_body: bool,
}

/// The quoting or bracket a scan is inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// `'…'`: nothing inside is special.
    Single,
    /// `"…"`: only `$(`, `${`, `\` and the closing `"` are special.
    Double,
    /// `$(…)` or `$((…))`: quoting starts afresh inside.
    Substitution,
    /// `(…)` outside quotes: a subshell, or arithmetic's inner parentheses.
    Paren,
    /// `${…}`, or `{…}` outside quotes.
    Brace,
}

/// Scans `text` once, following quotes nested in substitutions (`"$("$(x)")"`)
/// with a stack of contexts; outside single quotes, escaped characters are
/// skipped.
fn scan(text: &str) -> Scan {
    let mut found = Scan::default();
    let (mut brackets, mut parens) = (0usize, 0usize);
    let mut stack: Vec<Context> = Vec::new();
    // The value of the all-digit word being read, if the current word is
    // all digits so far.
    let mut digits: Option<u64> = None;
    let mut previous = b' ';
    // The current line's here-document operator, `$(` and `(` still open.
    let (mut line_here, mut line_substitution, mut line_depth) = (false, false, 0usize);
    let mut words = CaseWords::default();
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            found.substitution_closed_in_here_body |=
                line_here && line_substitution && line_depth > 0 && bytes.peek() == Some(&b')');
            (line_here, line_substitution, line_depth) = (false, false, 0);
        }
        match b {
            b'(' | b'{' | b'[' => {
                brackets += 1;
                found.nesting = found.nesting.max(brackets);
            }
            b')' | b'}' | b']' => brackets = brackets.saturating_sub(1),
            _ => {}
        }
        let top = stack.last().copied();
        let opened = match (top, b) {
            (Some(Context::Single), b'\'') | (Some(Context::Double), b'"') => {
                stack.pop();
                None
            }
            (Some(Context::Single), _) => None,
            (_, b'\\') => {
                let escaped = bytes.next();
                if top != Some(Context::Double) {
                    words.escape(escaped);
                }
                digits = None;
                None
            }
            (Some(Context::Double), b'(' | b'{') if previous == b'$' => Some(opening(b, previous)),
            (Some(Context::Double), _) => None,
            // Unquoted: at the top, or inside a substitution, parentheses
            // or braces.
            (_, b'\'') => Some(Context::Single),
            (_, b'"') => Some(Context::Double),
            (_, b'0'..=b'9') => {
                let starts_word = digits.is_none() && is_word_boundary(previous);
                let value = u64::from(b - b'0');
                digits = match digits {
                    Some(n) => Some(n.saturating_mul(10).saturating_add(value)),
                    None if starts_word => Some(value),
                    None => None,
                };
                None
            }
            (_, b'<' | b'>') => {
                if let Some(n) = digits.take() {
                    found.io_number = found.io_number.max(n);
                }
                found.here_document |= b == b'<' && previous == b'<';
                line_here |= b == b'<' && previous == b'<';
                None
            }
            (_, b'(' | b'{') => Some(opening(b, previous)),
            (Some(Context::Brace), b'}') => {
                stack.pop();
                digits = None;
                None
            }
            (Some(Context::Paren | Context::Substitution), b')') => {
                stack.pop();
                parens = parens.saturating_sub(1);
                line_depth = line_depth.saturating_sub(1);
                digits = None;
                None
            }
            (_, _) => {
                digits = None;
                None
            }
        };
        match opened {
            Some(Context::Single | Context::Double) => words.quote(),
            // A `$(` in double quotes starts a command like an unquoted one.
            Some(Context::Substitution) => words.byte(b),
            _ if b != b'\\' && !matches!(top, Some(Context::Single | Context::Double)) => {
                words.byte(b)
            }
            _ => {}
        }
        if let Some(context) = opened {
            digits = None;
            match context {
                Context::Substitution | Context::Paren => {
                    let substitution = context == Context::Substitution;
                    found.substitution |= substitution;
                    line_substitution |= substitution;
                    line_depth += 1;
                    parens += 1;
                    found.paren_depth = found.paren_depth.max(parens);
                }
                Context::Brace => found.parameter |= previous == b'$',
                Context::Single | Context::Double => {}
            }
            stack.push(context);
        }
        previous = b;
    }
    words.end();
    found.case_depth = words.deepest;
    for context in stack {
        match context {
            Context::Paren | Context::Substitution => found.unclosed_parens += 1,
            Context::Brace => found.unclosed_braces += 1,
            Context::Single | Context::Double => {}
        }
    }
    found
}

/// Follows the reserved words `case` and `esac` through the unquoted bytes
/// of a script, for the depth of `case` nesting. Every unquoted `case` word
/// counts, wherever it stands (counting too many only refuses a script
/// that would have parsed); an `esac` closes one only where the shell reads
/// it as a reserved word, at the start of a command (after `;`, `&`, `|`,
/// a newline, `(`, `)` or the word `in`), so that `echo esac` cannot hide
/// an unclosed `case`. A word with quotes or escapes in it is no reserved
/// word, a `$(` in double quotes starts commands as an unquoted one does,
/// and a line continuation (`\` and a newline) joins words as the shell
/// does.
#[derive(Debug, Default)]
struct CaseWords {
    /// The first bytes of the current word.
    word: [u8; 4],
    /// The current word's length (it can be longer than `word`).
    len: usize,
    /// Whether the current word has a quote or an escaped character.
    quoted: bool,
    /// Whether the current word stands where a command starts.
    command_start: bool,
    /// Whether the next word will.
    next_starts_command: bool,
    /// `case` words not yet closed.
    depth: usize,
    /// The most that were open at once.
    deepest: usize,
}

impl CaseWords {
    /// Feeds one unquoted byte.
    fn byte(&mut self, b: u8) {
        match b {
            b' ' | b'\t' | b'\r' | b'<' | b'>' => {
                self.end();
                if matches!(b, b'<' | b'>') {
                    self.next_starts_command = false;
                }
            }
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' => {
                self.end();
                self.next_starts_command = true;
            }
            _ => {
                if self.len == 0 && !self.quoted {
                    self.command_start = self.next_starts_command;
                }
                if let Some(slot) = self.word.get_mut(self.len) {
                    *slot = b;
                }
                self.len += 1;
            }
        }
    }

    /// A quote opens inside or at the start of a word.
    fn quote(&mut self) {
        self.quoted = true;
        self.len = self.len.max(1);
    }

    /// A backslash escapes `escaped` (a line continuation when it is a
    /// newline, which the shell removes).
    fn escape(&mut self, escaped: Option<u8>) {
        if escaped != Some(b'\n') {
            self.quote();
        }
    }

    /// Ends the current word, if any.
    fn end(&mut self) {
        if self.len == 0 {
            return;
        }
        let word = (!self.quoted && self.len == 4).then_some(&self.word);
        match word {
            Some(b"case") => {
                self.depth += 1;
                self.deepest = self.deepest.max(self.depth);
            }
            Some(b"esac") if self.command_start => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.next_starts_command = !self.quoted && self.len == 2 && self.word.starts_with(b"in");
        (self.len, self.quoted, self.command_start) = (0, false, false);
    }
}

/// The context a `(` or `{` after `previous` opens.
fn opening(b: u8, previous: u8) -> Context {
    match (b, previous) {
        (b'(', b'$') => Context::Substitution,
        (b'(', _) => Context::Paren,
        _ => Context::Brace,
    }
}

/// Whether a here-document operator (`<<`, `<<-`) is followed by a
/// delimiter that is nothing once quotes and ASCII white space are taken
/// away: `<<''`, `<<""`, `<<` and a form feed or carriage return. When such
/// a here-document is still open at the end of the script (`x <<'' #`,
/// `x <<\f<#`), brush-parser's tokenizer matches the empty delimiter at
/// the end of the input again and again and grows without bound: 30 bytes
/// took 24 GB in a minute and a half (a fuzzer found it). Every `<<` is
/// looked at, overlapping ones too, so that runs of `<` need no
/// tokenizing; a refused script that would have parsed is only read by the
/// word splitter. A `<<<` here-string (`read x <<< "$y"`) is not refused:
/// its `<<` is followed by `<`, which no delimiter starts with.
fn empty_here_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(2).enumerate().any(|(at, pair)| {
        if pair != b"<<" {
            return false;
        }
        let rest = bytes.get(at + 2..).unwrap_or_default();
        let rest = rest.strip_prefix(b"-").unwrap_or(rest);
        let start = rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(rest.len());
        let word = rest.get(start..).unwrap_or_default();
        let end = word
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b' ' | b'\t' | b'\n' | b'<' | b'>' | b'|' | b'&' | b';' | b'(' | b')'
                )
            })
            .unwrap_or(word.len());
        let word = word.get(..end).unwrap_or_default();
        !word.is_empty()
            && word
                .iter()
                .all(|&b| matches!(b, b'\'' | b'"' | b'\\' | b'\r' | 0x0b | 0x0c))
    })
}

/// Whether a word can start after `b`.
fn is_word_boundary(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shell::{Script, ScriptKind};

    #[test]
    fn what_the_scan_finds() {
        for (text, paren_depth, io_number) in [
            ("echo hi", 0, 0),
            ("( ( x ) )", 2, 0),
            ("echo '((((' \"((\"", 0, 0),
            (r"echo \(\(\(", 0, 0),
            ("echo 2>/dev/null", 0, 2),
            ("cmd 12345678901>x", 0, 12_345_678_901),
            ("cmd a12345678901>x", 0, 0),
            ("cmd '12345678901'>x", 0, 0),
            ("cmd \"99999999999>x\"", 0, 0),
            ("cmd 99999999999999999999999>x", 0, u64::MAX),
            ("x;3>&1", 0, 3),
        ] {
            let found = scan(text);
            assert_eq!(
                (found.paren_depth, found.io_number),
                (paren_depth, io_number),
                "{text}"
            );
        }
    }

    #[test]
    fn case_nesting() {
        for (text, depth) in [
            ("echo hi", 0),
            ("case $a in x) echo;; esac", 1),
            ("case $a in x) echo;; esac; case $b in y) ;; esac", 1),
            ("case $a in x) case $b in y) ;; esac;; esac", 2),
            ("case $a in esac", 1),
            ("case $a in\nx) echo\nesac\ncase $b in\nesac", 1),
            ("x=$(case $a in y) echo;; esac)", 1),
            ("x=\"$(case $a in y) echo;; esac)\"", 1),
            ("echo \"$(case $a in y) \"$(case $b in", 2),
            // Only an `esac` that starts a command closes one.
            ("case $a in x) echo esac && case $b in y) echo esac", 2),
            // Quoted or escaped words are no reserved words; a line
            // continuation joins a word.
            ("echo 'case' \"case\" \\case ca\"se\"", 0),
            ("ca\\\nse $a in x) ;; esac; ca\\\nse $b in", 1),
            ("grep -e case -e esac", 1),
            ("case_x casex xcase", 0),
        ] {
            assert_eq!(scan(text).case_depth, depth, "{text}");
        }
    }

    #[test]
    fn scripts_the_parser_is_not_given_are_still_read() {
        // Exponential in brush-parser (each would take days), or a panic.
        for hostile in [
            format!("x && {} y", "(".repeat(40)),
            format!("{} y", "( ".repeat(40)),
            "((x ".repeat(20),
            "( (x ".repeat(20),
            "echo 99999999999>x && apt-get install -y gcc".to_string(),
            "echo 2147483648<x".to_string(),
            "<<EOF \"$(\"${g}\n\"''\nEOF".to_string(),
            "x <<EOF $(x ${a}\nEOF".to_string(),
            "cat <<EOF $(x $((1))\nEOF".to_string(),
            "cat <<EOF \"${a}\" && w \"${b\nx\nEOF".to_string(),
            // Memory without bound in brush-parser's tokenizer.
            "x <<'' #".to_string(),
            "x <<\"\" <#".to_string(),
            "x <<-'' #".to_string(),
            "x << \u{c}<#".to_string(),
            "x <<\r<#".to_string(),
            format!("\\{}\u{c}<<<#", "<".repeat(12)),
            // A panic in brush-parser's tokenizer: the `)` that closes the
            // substitution starts the here-document's first line.
            "cat <<EOF $(\n)\nEOF".to_string(),
            "<<T $(echo\n)x\nT".to_string(),
            "echo $(cat <<EOF\n)\nEOF\n)".to_string(),
            "x $( <<-T\n)\n\tT".to_string(),
            "<<T $((\n))\nT".to_string(),
            // The same panic: an unmatched `)` before the unclosed `$(`.
            "<<E )$(${a}\nE".to_string(),
            "cat <<E ) $(x ${a}\nE".to_string(),
            // Time doubling with every unclosed `case` (nine here).
            " && case \"$a\" in x) B=1 && if [ -n \"$c\" ]; then echo".repeat(9),
            "case $a in x) ".repeat(9),
            "case $a in x) echo esac; ".repeat(9),
            // The same panic: a quoted `)` does not close the `$((`.
            "<<ET $((e)\")\"\nET".to_string(),
            "cat <<E \"$(x \")\" ${a}\nE".to_string(),
        ] {
            assert!(refusal(&hostile).is_some(), "{hostile}");
            let s = Script::parse(&hostile, ScriptKind::Shell);
            assert!(s.parse_error.is_some(), "{hostile}");
            assert!(!s.commands.is_empty(), "{hostile}");
        }
        // Ordinary nesting, parentheses in quotes or escaped, and ordinary
        // redirections still parse.
        for ok in [
            "echo $(( (1 + 2) * ((3)) ))",
            "( ( cd /src && make ) )",
            "echo '((((((((((((((((((((' \"((((((((((((((((((((\"",
            r"echo \(\(\(\(\(\(\(\(\(\(\(\(\(\(\(\(\(\(",
            "make 2>&1 >build.log",
            "echo 2147483647>x",
            "cat <<EOF && echo \"$(\"$(date)\")\" ${x}\nbody\nEOF",
            "cat <<'EOF' > /x && echo '$((' $(( 1 ))\nbody\nEOF",
            "cat <<EOF > \"${HOME}/x\" && { echo \"${A:-b}\"; }\nbody ${B}\nEOF",
            "read -r x <<< \"$y\" && cat <<-'EOF'\n\tbody\nEOF",
            "cat <<\"EOF\" | sh\nbody\nEOF",
            "cat << EOF\nbody\nEOF",
            "echo \"$(cat <<EOF\nbody\nEOF\n)\"",
            "x=$(cat <<'EOF'\n(body)\nEOF\n)",
            "cat <<EOF $(date)\n) is fine here\nEOF",
            &"case $a in x) echo;; esac; ".repeat(40),
            "case $a in x) case $b in y) case $c in z) echo;; esac;; esac;; esac",
        ] {
            assert_eq!(refusal(ok), None, "{ok}");
            let s = Script::parse(ok, ScriptKind::Shell);
            assert!(s.parse_error.is_none(), "{ok}: {:?}", s.parse_error);
        }
    }
}
