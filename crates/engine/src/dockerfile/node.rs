//! The node layer's data: one [`Node`] per instruction, plus everything
//! between instructions, so that a [`Document`] is lossless.

use serde::Serialize;

use super::directives::DirectiveKind;

/// A byte range `[start, end)` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span's text in `source`, empty when out of range.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or_default()
    }
}

/// A place in the source, for errors: 1-based lines and columns counted
/// in characters (a tab or an `é` is one column); `end_column` is one past
/// the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Location {
    /// First line.
    pub line: usize,
    /// Column of the first character.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// One past the last character's column on `end_line`.
    pub end_column: usize,
}

impl Location {
    /// The point at `line`, `column` (an empty range).
    pub fn point(line: usize, column: usize) -> Self {
        Self {
            line,
            column,
            end_line: line,
            end_column: column,
        }
    }
}

/// Where the text of a logical line ([`Node::original`]) comes from: the
/// first physical line's text starts at `column` of `line`; each
/// continuation line's text starts at column 1 of its line. Kept small so
/// that errors can point into the source without re-reading it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineMap {
    /// The first physical line (1-based).
    pub line: usize,
    /// The column of the logical line's first character on `line`.
    pub column: usize,
    /// For each continuation line that adds text: the byte offset in the
    /// logical line where its text starts, and its physical line. Empty
    /// for an instruction on one line.
    pub continued: Vec<(usize, usize)>,
}

impl LineMap {
    /// The line and column of byte `offset` of `original` (the logical
    /// line this map describes); an offset inside a character counts as
    /// that character.
    pub fn position(&self, original: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(original.len());
        while !original.is_char_boundary(offset) {
            offset -= 1;
        }
        let (start, line, column) = match self.continued.iter().rev().find(|(o, _)| *o <= offset) {
            Some(&(o, line)) => (o, line, 1),
            None => (0, self.line, self.column),
        };
        let chars = original.get(start..offset).map_or(0, |s| s.chars().count());
        (line, column + chars)
    }

    /// The location of bytes `start..end` of `original`; the end is that of
    /// the last character, so a range ending a continued line ends there.
    pub fn locate(&self, original: &str, start: usize, end: usize) -> Location {
        let (line, column) = self.position(original, start);
        if end <= start {
            return Location::point(line, column);
        }
        let (end_line, end_column) = self.position(original, end - 1);
        Location {
            line,
            column,
            end_line,
            end_column: end_column + 1,
        }
    }
}

/// An instruction keyword, matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not an instruction BuildKit knows; the node layer accepts it.
    Unknown,
}

impl Keyword {
    /// Every known keyword.
    pub const ALL: [Keyword; 18] = [
        Self::Add,
        Self::Arg,
        Self::Cmd,
        Self::Copy,
        Self::Entrypoint,
        Self::Env,
        Self::Expose,
        Self::From,
        Self::Healthcheck,
        Self::Label,
        Self::Maintainer,
        Self::Onbuild,
        Self::Run,
        Self::Shell,
        Self::Stopsignal,
        Self::User,
        Self::Volume,
        Self::Workdir,
    ];

    /// The keyword for a word as written (Go `strings.ToLower` match).
    pub fn from_word(word: &str) -> Self {
        if word.is_ascii() {
            let mut buf = [0u8; 11];
            let Some(lower) = buf.get_mut(..word.len()) else {
                return Self::Unknown;
            };
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return match &*lower {
                b"add" => Self::Add,
                b"arg" => Self::Arg,
                b"cmd" => Self::Cmd,
                b"copy" => Self::Copy,
                b"entrypoint" => Self::Entrypoint,
                b"env" => Self::Env,
                b"expose" => Self::Expose,
                b"from" => Self::From,
                b"healthcheck" => Self::Healthcheck,
                b"label" => Self::Label,
                b"maintainer" => Self::Maintainer,
                b"onbuild" => Self::Onbuild,
                b"run" => Self::Run,
                b"shell" => Self::Shell,
                b"stopsignal" => Self::Stopsignal,
                b"user" => Self::User,
                b"volume" => Self::Volume,
                b"workdir" => Self::Workdir,
                _ => Self::Unknown,
            };
        }
        // Go lower-cases by rune: the Kelvin sign becomes an ASCII `k`.
        let lower = super::gotext::to_lower(word);
        Self::ALL
            .into_iter()
            .find(|k| k.lower_name() == lower)
            .unwrap_or(Self::Unknown)
    }

    /// The canonical upper-case name (`""` for [`Keyword::Unknown`]).
    pub fn name(self) -> &'static str {
        match self {
            Self::Add => "ADD",
            Self::Arg => "ARG",
            Self::Cmd => "CMD",
            Self::Copy => "COPY",
            Self::Entrypoint => "ENTRYPOINT",
            Self::Env => "ENV",
            Self::Expose => "EXPOSE",
            Self::From => "FROM",
            Self::Healthcheck => "HEALTHCHECK",
            Self::Label => "LABEL",
            Self::Maintainer => "MAINTAINER",
            Self::Onbuild => "ONBUILD",
            Self::Run => "RUN",
            Self::Shell => "SHELL",
            Self::Stopsignal => "STOPSIGNAL",
            Self::User => "USER",
            Self::Volume => "VOLUME",
            Self::Workdir => "WORKDIR",
            Self::Unknown => "",
        }
    }

    /// The lower-case name used in BuildKit's dump.
    pub fn lower_name(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Arg => "arg",
            Self::Cmd => "cmd",
            Self::Copy => "copy",
            Self::Entrypoint => "entrypoint",
            Self::Env => "env",
            Self::Expose => "expose",
            Self::From => "from",
            Self::Healthcheck => "healthcheck",
            Self::Label => "label",
            Self::Maintainer => "maintainer",
            Self::Onbuild => "onbuild",
            Self::Run => "run",
            Self::Shell => "shell",
            Self::Stopsignal => "stopsignal",
            Self::User => "user",
            Self::Volume => "volume",
            Self::Workdir => "workdir",
            Self::Unknown => "",
        }
    }

    /// Whether the keyword may carry heredocs (`RUN`, `COPY`, `ADD`).
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Self::Run | Self::Copy | Self::Add)
    }
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter word, quotes removed (`EOF` for `<<'EOF'`).
    pub name: String,
    /// The file descriptor before `<<` (`3<<EOF`), 0 when absent.
    pub fd: u64,
    /// Whether the body is expanded (the delimiter was not quoted).
    pub expand: bool,
    /// Whether leading tabs are stripped (`<<-`).
    pub chomp: bool,
    /// The body, with its original line endings; chomping is not applied.
    pub content: String,
}

/// One instruction as BuildKit's parser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The keyword as written (`RUN`, `run`, `FrOm`, or anything unknown).
    pub keyword: String,
    /// The keyword, recognised.
    pub kind: Keyword,
    /// Flags before the arguments, raw (`--mount=type=cache,target=/x`).
    pub flags: Vec<String>,
    /// The arguments (BuildKit's `Next` chain). For `ENV` and `LABEL` these
    /// come in triples `key, value, separator`.
    pub args: Vec<String>,
    /// Whether the arguments were written in JSON (exec) form.
    pub json: bool,
    /// The logical line, continuation lines joined.
    pub original: String,
    /// First physical line (1-based).
    pub start_line: usize,
    /// Last physical line, heredoc bodies included.
    pub end_line: usize,
    /// The bytes of all physical lines of the instruction.
    pub span: Span,
    /// Heredocs, in the order their markers appear.
    pub heredocs: Vec<Heredoc>,
    /// Comment lines collected before the instruction.
    pub prev_comment: Vec<String>,
    /// Where `original`'s characters are in the source.
    pub map: LineMap,
    /// The escape token in effect for the instruction.
    pub escape: char,
    /// For `ONBUILD`: the instruction it registers, then, for a chain such
    /// as `ONBUILD ONBUILD RUN x`, each further level in order. Kept flat so
    /// that no algorithm over nodes needs recursion.
    pub triggers: Vec<Trigger>,
}

/// The instruction an `ONBUILD` registers, parsed as a line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The keyword as written.
    pub keyword: String,
    /// The keyword, recognised.
    pub kind: Keyword,
    /// Its flags.
    pub flags: Vec<String>,
    /// Its arguments (empty for a nested `ONBUILD`).
    pub args: Vec<String>,
    /// Whether its arguments are in JSON form.
    pub json: bool,
    /// Its line: the `ONBUILD`'s arguments.
    pub original: String,
}

/// The keyword, flags and arguments that decide an instruction's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The keyword as written.
    pub keyword: &'a str,
    /// The keyword, recognised.
    pub kind: Keyword,
    /// Flags.
    pub flags: &'a [String],
    /// Arguments.
    pub args: &'a [String],
    /// JSON form.
    pub json: bool,
}

impl Node {
    /// Where the keyword is: the instruction's first characters.
    pub fn keyword_location(&self) -> Location {
        // The logical line can start with blanks when its first physical
        // line was only an escape (`\` then `  RUN x`).
        let start = self.original.len() - super::gotext::trim_left_space(&self.original).len();
        let end = start + self.keyword.len();
        match self.original.get(start..end) {
            Some(_) if end > start => self.map.locate(&self.original, start, end),
            _ => Location::point(self.map.line, self.map.column),
        }
    }

    /// Where bytes `start..end` of [`Node::original`] are; the keyword's
    /// location when there is no range or it is not in the line.
    pub fn locate(&self, range: Option<(usize, usize)>) -> Location {
        match range {
            Some((start, end)) if start < end && end <= self.original.len() => {
                self.map.locate(&self.original, start, end)
            }
            _ => self.keyword_location(),
        }
    }

    /// The byte ranges in [`Node::original`] of the node's flags as
    /// written, one per entry of [`Node::flags`] (fewer if the line does not
    /// read as it did). Only for errors: it splits the line again.
    pub fn flag_ranges(&self) -> Vec<(usize, usize)> {
        let line = super::gotext::trim_space(&self.original);
        let Some((_, rest)) = super::split::split_blanks_once(line) else {
            return Vec::new();
        };
        let Some(base) = super::source::offset_in(&self.original, rest) else {
            return Vec::new();
        };
        super::split::flag_ranges(rest, self.escape)
            .into_iter()
            .map(|(a, b)| (base + a, base + b))
            .collect()
    }

    /// Where the `index`-th flag is (the keyword's location when unknown).
    pub fn flag_location(&self, index: usize) -> Location {
        self.locate(self.flag_ranges().get(index).copied())
    }

    /// Where the value (after `=`) of the last flag named `--name` is, the
    /// whole flag when it has no value; `None` when there is no such flag.
    pub fn flag_value_location(&self, name: &str) -> Option<Location> {
        let index = self.flags_named(name).last()?;
        let (start, end) = *self.flag_ranges().get(index)?;
        let written = self.original.get(start..end)?;
        // `=` is ASCII: BuildKit's byte walk and the text agree up to it.
        let value_start = match written.find('=') {
            Some(i) if i + 1 < written.len() => start + i + 1,
            _ => start,
        };
        Some(self.locate(Some((value_start, end))))
    }

    /// Where `args[index]` is, looking for each of `args` in turn after
    /// the flags (the keyword's location when one is not found as written).
    pub fn arg_location(&self, args: &[String], index: usize) -> Location {
        let mut cursor = self
            .flag_ranges()
            .last()
            .map_or(self.keyword.len(), |&(_, end)| end);
        for (i, arg) in args.iter().enumerate().take(index.saturating_add(1)) {
            let Some(at) = self
                .original
                .get(cursor..)
                .and_then(|r| r.find(arg.as_str()))
            else {
                break;
            };
            let (start, end) = (cursor + at, cursor + at + arg.len());
            if i == index && !arg.is_empty() {
                return self.locate(Some((start, end)));
            }
            cursor = end;
        }
        self.keyword_location()
    }

    /// The index in [`Node::flags`] of the `n`-th (0-based) flag named
    /// `--name`.
    pub fn nth_flag(&self, name: &str, n: usize) -> Option<usize> {
        self.flags_named(name).nth(n)
    }

    /// The indexes in [`Node::flags`] of the flags named `--name`.
    fn flags_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = usize> + 's {
        self.flags.iter().enumerate().filter_map(move |(i, f)| {
            f.strip_prefix("--")
                .and_then(|f| f.strip_prefix(name))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
                .then_some(i)
        })
    }

    /// Where `part` is inside the `index`-th flag as written (a mount
    /// option in `--mount=type=cache,id=x`), or the flag's value when it
    /// is not found there as written.
    pub fn flag_part_location(&self, index: usize, part: Option<&str>) -> Location {
        let Some((value_start, end)) = self.flag_value_bytes(index) else {
            return self.keyword_location();
        };
        let found = part
            .filter(|p| !p.is_empty())
            .and_then(|p| self.original.get(value_start..end)?.find(p).map(|i| (p, i)))
            .map(|(p, i)| (value_start + i, value_start + i + p.len()));
        self.locate(found.or(Some((value_start.min(end), end))))
    }

    /// The bytes of [`Node::original`] the `index`-th flag's value (after
    /// its `=`; the whole flag without one) spans as written.
    fn flag_value_bytes(&self, index: usize) -> Option<(usize, usize)> {
        let &(start, end) = self.flag_ranges().get(index)?;
        let written = self.original.get(start..end).unwrap_or_default();
        Some((written.find('=').map_or(start, |i| start + i + 1), end))
    }

    /// The place of bytes `range` of the `index`-th flag's value, which
    /// reads `value`: the written value with its quoting removed, so each
    /// end is found by walking both; the whole value when the two do not
    /// line up.
    pub fn flag_value_range_location(
        &self,
        index: usize,
        value: &str,
        range: (usize, usize),
    ) -> Location {
        let Some((value_start, end)) = self.flag_value_bytes(index) else {
            return self.keyword_location();
        };
        let written = self.original.get(value_start..end).unwrap_or_default();
        let (from, to) = range;
        let last = value
            .get(from..to)
            .and_then(|part| part.char_indices().last())
            .map(|(i, c)| (from + i, c.len_utf8()));
        match (written_offset(written, value, from), last) {
            (Some(first), Some((last, width))) => {
                let last = written_offset(written, value, last).unwrap_or(first);
                let end = (last + width).max(first + 1);
                self.locate(Some((value_start + first, value_start + end)))
            }
            _ => self.flag_part_location(index, None),
        }
    }

    /// The node's source text, byte for byte.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        self.span.text(source)
    }

    /// The instruction an `ONBUILD` registers, if any.
    pub fn trigger(&self) -> Option<&Trigger> {
        self.triggers.first()
    }

    /// The parts that decide heredocs and exec form: an `ONBUILD`'s
    /// trigger, otherwise the node's own.
    pub fn effective(&self) -> Parts<'_> {
        match self.trigger() {
            Some(t) => Parts {
                keyword: &t.keyword,
                kind: t.kind,
                flags: &t.flags,
                args: &t.args,
                json: t.json,
            },
            None => Parts {
                keyword: &self.keyword,
                kind: self.kind,
                flags: &self.flags,
                args: &self.args,
                json: self.json,
            },
        }
    }
}

/// What a line between instructions is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TriviaKind {
    /// A parser directive (`# escape=\``).
    Directive,
    /// A comment line.
    Comment,
    /// A blank line.
    Blank,
}

/// A line between instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Trivia {
    /// What the line is.
    pub kind: TriviaKind,
    /// Its line number (1-based).
    pub line: usize,
    /// Its bytes, line ending included.
    pub span: Span,
}

/// A recognised parser directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Which directive.
    pub kind: DirectiveKind,
    /// Its value, trimmed.
    pub value: String,
    /// Its line (1-based).
    pub line: usize,
}

/// A warning from the node layer (BuildKit's `NoEmptyContinuation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// BuildKit's message.
    pub message: String,
    /// The instruction's first line.
    pub start_line: usize,
    /// The instruction's last line, where BuildKit reports it.
    pub end_line: usize,
}

/// A parsed Dockerfile: nodes plus everything needed to print it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The source text (UTF-8, as given).
    pub source: String,
    /// The escape token in effect (`\` or `` ` ``).
    pub escape: char,
    /// Parser directives at the top of the file.
    pub directives: Vec<Directive>,
    /// The instructions, in order.
    pub nodes: Vec<Node>,
    /// Lines that belong to no instruction, in order.
    pub trivia: Vec<Trivia>,
    /// Warnings, in order.
    pub warnings: Vec<Warning>,
}

/// A piece of a document in source order.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'a> {
    /// An instruction.
    Node(&'a Node),
    /// A line between instructions.
    Trivia(&'a Trivia),
}

impl Segment<'_> {
    /// The segment's bytes.
    pub fn span(&self) -> Span {
        match self {
            Segment::Node(n) => n.span,
            Segment::Trivia(t) => t.span,
        }
    }
}

impl Document {
    /// Nodes and trivia merged in source order; their spans tile the source.
    pub fn segments(&self) -> Vec<Segment<'_>> {
        let mut out: Vec<Segment<'_>> = self
            .nodes
            .iter()
            .map(Segment::Node)
            .chain(self.trivia.iter().map(Segment::Trivia))
            .collect();
        out.sort_by_key(|s| s.span().start);
        out
    }

    /// The source rebuilt from the segments, byte for byte.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        for segment in self.segments() {
            out.push_str(segment.span().text(&self.source));
        }
        out
    }

    /// The value of a directive, if present.
    pub fn directive(&self, kind: DirectiveKind) -> Option<&str> {
        self.directives
            .iter()
            .find(|d| d.kind == kind)
            .map(|d| d.value.as_str())
    }
}

/// Where byte `offset` of `value` (text as read, its quoting removed) is
/// in `written` (the same text as written): the written character that
/// follows all of `value` before `offset`, skipping what the quoting
/// removed.
fn written_offset(written: &str, value: &str, offset: usize) -> Option<usize> {
    let wanted = value.get(offset..)?.chars().next()?;
    let mut read = value.get(..offset)?.chars().peekable();
    for (at, c) in written.char_indices() {
        match read.peek() {
            Some(&r) if r == c => {
                read.next();
            }
            Some(_) => {}
            None if c == wanted => return Some(at),
            None => {}
        }
    }
    None
}
