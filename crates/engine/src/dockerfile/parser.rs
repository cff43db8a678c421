//! BuildKit's node parser (`frontend/dockerfile/parser.Parse`), lossless.

use super::args::{ArgsError, parse_args};
use super::directives::DirectiveScanner;
use super::error::ParseError;
use super::gotext::{trim_left_space, trim_space};
use super::heredoc::{heredocs_from_line, marker_range};
use super::node::{
    Directive, Document, Keyword, LineMap, Location, Node, Span, Trigger, Trivia, TriviaKind,
    Warning,
};
use super::source::{
    MAX_LINE_BYTES, PhysicalLine, PhysicalLines, UTF8_BOM, chars_before, offset_in, trim_newline,
};
use super::split::split_command;

/// Parses checked text into a [`Document`].
pub fn parse_text(text: &str) -> Result<Document, ParseError> {
    Parser::new(text).run()
}

struct Parser<'a> {
    text: &'a str,
    lines: PhysicalLines<'a>,
    directives: DirectiveScanner,
    /// Physical lines consumed so far (BuildKit's `currentLine`).
    current_line: usize,
    doc: Document,
}

/// What the first line of a would-be instruction turned out to be.
struct FirstLine<'a> {
    /// The line after newline, leading-space and comment removal.
    processed: &'a str,
    /// Whether it was a recognised directive.
    directive: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            lines: PhysicalLines::new(text),
            directives: DirectiveScanner::default(),
            current_line: 0,
            doc: Document {
                source: text.to_string(),
                escape: super::directives::DEFAULT_ESCAPE,
                directives: Vec::new(),
                nodes: Vec::new(),
                trivia: Vec::new(),
                warnings: Vec::new(),
            },
        }
    }

    fn escape(&self) -> char {
        self.directives.escape()
    }

    fn run(mut self) -> Result<Document, ParseError> {
        let mut comments: Vec<String> = Vec::new();
        while let Some(raw) = self.lines.next() {
            let mut text = raw.text;
            if self.current_line == 0 {
                text = text.strip_prefix(UTF8_BOM).unwrap_or(text);
            }
            let first = self.first_line(raw.text, text)?;
            if is_comment(text) && !first.directive {
                let comment = trim_space(text.get(1..).unwrap_or_default());
                if comment.is_empty() {
                    comments.clear();
                } else {
                    comments.push(comment.to_string());
                }
            }
            self.current_line += 1;
            let start_line = self.current_line;

            let (line, mut end_of_line) = trim_continuation(first.processed, self.escape());
            if end_of_line && line.is_empty() {
                let kind = if first.directive {
                    TriviaKind::Directive
                } else if is_comment(text) {
                    TriviaKind::Comment
                } else {
                    TriviaKind::Blank
                };
                self.doc.trivia.push(Trivia {
                    kind,
                    line: start_line,
                    span: span_of(&raw),
                });
                continue;
            }

            // The instruction's first character, after a BOM and blanks.
            let column = 1 + chars_before(raw.text, offset_in(raw.text, line).unwrap_or(0));
            let mut continued = Vec::new();
            let mut line = line.to_string();
            let mut end = raw.end();
            let mut has_empty_continuation = false;
            while !end_of_line {
                let Some(next) = self.lines.next() else { break };
                let processed = self.continuation_line(next.text)?;
                self.current_line += 1;
                end = next.end();
                if is_comment(next.text) {
                    continue;
                }
                if trim_left_space(processed).is_empty() {
                    has_empty_continuation = true;
                    continue;
                }
                let (part, eol) = trim_continuation(processed, self.escape());
                end_of_line = eol;
                continued.push((line.len(), self.current_line));
                line.push_str(part);
            }

            if has_empty_continuation {
                self.doc.warnings.push(Warning {
                    message: format!("Empty continuation line found in: {line}"),
                    start_line,
                    end_line: self.current_line,
                });
            }

            let map = LineMap {
                line: start_line,
                column,
                continued,
            };
            let mut node = node_from_line(line, map, self.escape(), std::mem::take(&mut comments))
                .map_err(|(m, at)| ParseError::syntax(m, start_line, self.current_line, at))?;
            let heredoc_capable = {
                let effective = node.effective();
                effective.kind.takes_heredocs() && !effective.json
            };
            if heredoc_capable && node.original.contains("<<") {
                let docs = heredocs_from_line(&node.original).map_err(|m| {
                    let at = node.locate(marker_range(&node.original, None));
                    ParseError::syntax(m, start_line, self.current_line, at)
                })?;
                for (index, mut doc) in docs.into_iter().enumerate() {
                    let mut terminated = false;
                    for body_line in self.lines.by_ref() {
                        self.current_line += 1;
                        end = body_line.end();
                        let mut candidate = trim_newline(body_line.text);
                        if doc.chomp {
                            candidate = candidate.trim_start_matches('\t');
                        }
                        if candidate == doc.name {
                            terminated = true;
                            break;
                        }
                        doc.content.push_str(body_line.text);
                    }
                    if !terminated {
                        let at = node.locate(marker_range(&node.original, Some(index)));
                        return Err(ParseError::syntax(
                            "unterminated heredoc",
                            start_line,
                            self.current_line,
                            at,
                        ));
                    }
                    node.heredocs.push(doc);
                }
            }
            node.start_line = start_line;
            node.end_line = self.current_line;
            node.span = Span {
                start: raw.start,
                end,
            };
            self.doc.nodes.push(node);
        }

        if self.doc.nodes.is_empty() {
            return Err(ParseError::syntax(
                "file with no instructions",
                self.current_line,
                0,
                Location::default(),
            ));
        }
        if let Some(line) = self.lines.too_long_line() {
            return Err(ParseError::syntax(
                format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"),
                line,
                0,
                Location::point(line, 1),
            ));
        }
        self.doc.escape = self.escape();
        debug_assert_eq!(self.doc.print(), self.text);
        Ok(self.doc)
    }

    /// BuildKit's `processLine(d, line, true)` plus directive bookkeeping;
    /// `text` is the physical line `raw` without a BOM.
    fn first_line(&mut self, raw: &'a str, text: &'a str) -> Result<FirstLine<'a>, ParseError> {
        let token = trim_left_space(trim_newline(text));
        let directive = self
            .directives
            .check(token)
            .map_err(|(m, at)| self.directive_error(m, raw, at))?;
        if let Some((kind, value)) = directive.as_ref() {
            self.doc.directives.push(Directive {
                kind: *kind,
                value: value.clone(),
                line: self.current_line + 1,
            });
        }
        Ok(FirstLine {
            processed: trim_comment(token),
            directive: directive.is_some(),
        })
    }

    /// BuildKit's `processLine(d, line, false)`.
    fn continuation_line(&mut self, text: &'a str) -> Result<&'a str, ParseError> {
        let token = trim_newline(text);
        self.directives
            .check(token)
            .map_err(|(m, at)| self.directive_error(m, text, at))?;
        Ok(trim_comment(token))
    }

    /// A directive error on the line being read (`raw`), at `at`, a slice
    /// of it. BuildKit numbers the line from 0.
    fn directive_error(&self, message: String, raw: &str, at: &str) -> ParseError {
        let line = self.current_line + 1;
        let column = 1 + chars_before(raw, offset_in(raw, at).unwrap_or(0));
        let at = Location {
            line,
            column,
            end_line: line,
            end_column: column + at.chars().count(),
        };
        ParseError::syntax(message, self.current_line, 0, at)
    }
}

fn span_of(line: &PhysicalLine<'_>) -> Span {
    Span {
        start: line.start,
        end: line.end(),
    }
}

/// A whole-line comment: the first non-space character is `#`.
fn is_comment(line: &str) -> bool {
    trim_left_space(trim_newline(line)).starts_with('#')
}

/// BuildKit's `trimComments`: a line starting with `#` becomes empty.
fn trim_comment(token: &str) -> &str {
    if token.starts_with('#') { "" } else { token }
}

/// BuildKit's continuation regexp `([^E])E[ \t]*$|^E[ \t]*$`: returns the
/// line without the escape token and whether the instruction ends here.
pub fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else {
        return (line, true);
    };
    match before.chars().next_back() {
        Some(c) if c == escape => (line, true),
        _ => (before, false),
    }
}

/// BuildKit's `newNodeFromLine`. An `ONBUILD`'s arguments are parsed as a
/// line of their own, repeatedly for chains (`ONBUILD ONBUILD ...`).
/// `map` says where `line` is in the source; an error comes with the
/// location of the arguments at fault.
pub fn node_from_line(
    line: String,
    map: LineMap,
    escape: char,
    comments: Vec<String>,
) -> Result<Node, (String, Location)> {
    let split = split_command(&line, escape);
    let kind = Keyword::from_word(split.keyword);
    let args = match parse_args(kind, &split.args, escape) {
        Ok(args) => args,
        Err(e) => {
            let range = fault_range(&line, Some(0), &line, &e)
                .or_else(|| offset_in(&line, split.keyword).map(|o| (o, o + split.keyword.len())));
            let at = range.map_or(Location::point(map.line, map.column), |(a, b)| {
                map.locate(&line, a, b)
            });
            return Err((e.message, at));
        }
    };
    // Where the text split next starts in `line` (an `ONBUILD`'s trigger
    // is split again from a copy of its arguments).
    let mut base = offset_in(&line, &split.args);
    let keyword = split.keyword.to_string();
    let flags = split.flags;
    let mut rest = match kind {
        Keyword::Onbuild => split.args.into_owned(),
        _ => String::new(),
    };
    let mut node = Node {
        keyword,
        kind,
        flags,
        args: args.values,
        json: args.json,
        original: line,
        start_line: 0,
        end_line: 0,
        span: Span::default(),
        heredocs: Vec::new(),
        prev_comment: comments,
        map,
        escape,
        triggers: Vec::new(),
    };
    let mut kind = kind;
    while kind == Keyword::Onbuild && !rest.is_empty() {
        let split = split_command(&rest, escape);
        kind = Keyword::from_word(split.keyword);
        let args = match parse_args(kind, &split.args, escape) {
            Ok(args) => args,
            Err(e) => {
                let range = fault_range(&node.original, base, &rest, &e);
                return Err((e.message, node.locate(range)));
            }
        };
        base = base.zip(offset_in(&rest, &split.args)).map(|(b, o)| b + o);
        let next = split.args.into_owned();
        node.triggers.push(Trigger {
            keyword: split.keyword.to_string(),
            kind,
            flags: split.flags,
            args: args.values,
            json: args.json,
            original: rest,
        });
        rest = next;
    }
    Ok(node)
}

/// The byte range in `line` of the text an argument error is about; `of`
/// (where the error's text is a slice) starts at `base` in `line`.
fn fault_range(
    line: &str,
    base: Option<usize>,
    of: &str,
    e: &ArgsError<'_>,
) -> Option<(usize, usize)> {
    let start = base? + offset_in(of, e.at)?;
    let end = start + e.at.len();
    line.get(start..end).map(|_| (start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_regexp_table() {
        let table = [
            ("foo \\", "foo ", false),
            ("foo\\   ", "foo", false),
            ("foo\\ \t", "foo", false),
            ("foo \\\\", "foo \\\\", true),
            ("foo \\\\\\", "foo \\\\\\", true),
            ("\\", "", false),
            ("\\  ", "", false),
            ("plain", "plain", true),
            ("", "", true),
            ("c:\\", "c:", false),
        ];
        for (line, want, eol) in table {
            assert_eq!(trim_continuation(line, '\\'), (want, eol), "{line:?}");
        }
        assert_eq!(trim_continuation("c:\\", '`'), ("c:\\", true));
        assert_eq!(trim_continuation("a `", '`'), ("a ", false));
    }
}
