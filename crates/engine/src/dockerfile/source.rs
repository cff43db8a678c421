//! Input checks and physical lines.
//!
//! BuildKit reads a Dockerfile with a `bufio.Scanner` that splits on `\n`
//! only and keeps the line ending; a line longer than 64 KiB stops scanning.

use super::error::ParseError;

/// BuildKit's longest physical line, without its `\n` (`bufio.MaxScanTokenSize - 1`).
pub const MAX_LINE_BYTES: usize = 65_535;

/// The UTF-8 byte-order mark, removed from the first line only.
pub const UTF8_BOM: &str = "\u{feff}";

/// Checks size, UTF-8 and NUL bytes, and returns the text.
pub fn validate(input: &[u8], max_bytes: usize) -> Result<&str, ParseError> {
    if input.len() > max_bytes {
        return Err(ParseError::TooLarge {
            size: input.len(),
            limit: max_bytes,
        });
    }
    let text = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.valid_up_to();
            let valid = input.get(..offset).unwrap_or_default();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = line_column(prefix, offset);
            return Err(ParseError::InvalidUtf8 {
                offset,
                line,
                column,
            });
        }
    };
    check_text(text, max_bytes)
}

/// Checks size and NUL bytes of text that is already UTF-8.
pub fn check_text(text: &str, max_bytes: usize) -> Result<&str, ParseError> {
    if text.len() > max_bytes {
        return Err(ParseError::TooLarge {
            size: text.len(),
            limit: max_bytes,
        });
    }
    if let Some(offset) = memchr::memchr(0, text.as_bytes()) {
        let (line, column) = line_column(text, offset);
        return Err(ParseError::NulByte {
            offset,
            line,
            column,
        });
    }
    Ok(text)
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// The byte offset of `inner` in `outer`, when `inner` is a slice of it.
pub fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start.checked_add(inner.len())? <= outer.len()).then_some(start)
}

/// The number of characters in `text` before byte `offset` (all of them
/// when `offset` is past the end).
pub fn chars_before(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text.get(..offset).map_or(0, |s| s.chars().count())
}

/// One physical line: its text including the `\n` (if any) and where it starts.
#[derive(Debug, Clone, Copy)]
pub struct PhysicalLine<'a> {
    /// The line including its trailing `\n`, when there is one.
    pub text: &'a str,
    /// Byte offset of the line's first byte.
    pub start: usize,
}

impl PhysicalLine<'_> {
    /// Byte offset just past the line (and its `\n`).
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Splits text into physical lines the way BuildKit's scanner does, stopping
/// (and remembering it) at the first line longer than [`MAX_LINE_BYTES`].
#[derive(Debug)]
pub struct PhysicalLines<'a> {
    text: &'a str,
    pos: usize,
    too_long: bool,
}

impl<'a> PhysicalLines<'a> {
    /// Lines of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            too_long: false,
        }
    }

    /// The line (1-based) over the limit that scanning stopped at, if it
    /// did.
    pub fn too_long_line(&self) -> Option<usize> {
        self.too_long.then(|| {
            let before = self.text.get(..self.pos).unwrap_or_default();
            memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1
        })
    }
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = PhysicalLine<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.too_long {
            return None;
        }
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let (content_len, len) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        if content_len > MAX_LINE_BYTES {
            self.too_long = true;
            return None;
        }
        let line = PhysicalLine {
            text: rest.get(..len).unwrap_or(rest),
            start: self.pos,
        };
        self.pos += len;
        Some(line)
    }
}

/// The line without its trailing run of `\r` and `\n` characters.
pub fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_reports_offset_line_and_column() {
        let err = validate(b"FROM a\nRUN \xff", 1024).unwrap_err();
        assert_eq!(
            err,
            ParseError::InvalidUtf8 {
                offset: 11,
                line: 2,
                column: 5
            }
        );
    }

    #[test]
    fn nul_and_size_are_rejected() {
        assert!(matches!(
            validate(b"FROM a\0", 1024),
            Err(ParseError::NulByte {
                offset: 6,
                line: 1,
                column: 7
            })
        ));
        assert!(matches!(
            validate(b"FROM a", 3),
            Err(ParseError::TooLarge { size: 6, limit: 3 })
        ));
    }

    #[test]
    fn lines_keep_endings_and_stop_at_the_limit() {
        let lines: Vec<_> = PhysicalLines::new("a\r\nb\n\nc").map(|l| l.text).collect();
        assert_eq!(lines, ["a\r\n", "b\n", "\n", "c"]);

        let ok = "x".repeat(MAX_LINE_BYTES);
        assert_eq!(PhysicalLines::new(&ok).count(), 1);
        let long = format!("a\n{}\nb", "x".repeat(MAX_LINE_BYTES + 1));
        let mut lines = PhysicalLines::new(&long);
        assert_eq!(lines.next().map(|l| l.text), Some("a\n"));
        assert!(lines.next().is_none());
        assert_eq!(lines.too_long_line(), Some(2));
        assert_eq!(PhysicalLines::new("a\nb").too_long_line(), None);
    }

    /// The parse error names the line that is too long, not the one
    /// before it (BuildKit names none).
    #[test]
    fn the_error_names_the_long_line() {
        // (A file that is one long line has no instructions: BuildKit says
        // that first.)
        for before in ["FROM alpine:3.19\n", "FROM a\nRUN echo 1 \\\n  2\n# c\n"] {
            let text = format!("{before}RUN echo {}\n", "a".repeat(MAX_LINE_BYTES + 1));
            let err = crate::dockerfile::parse(&text).err();
            assert_eq!(
                err.map(|e| e.line()),
                Some(before.matches('\n').count() + 1),
                "{before:?}"
            );
        }
    }
}
