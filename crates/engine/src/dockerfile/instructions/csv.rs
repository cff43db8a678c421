//! One CSV record, as `tonistiigi/go-csvvalue` (BuildKit's `--mount` and
//! `--device` reader) splits it, with `encoding/csv`'s error texts.

const BARE_QUOTE: &str = "bare \" in non-quoted field";
const QUOTE: &str = "extraneous or missing \" in quoted-field";

/// Why a record does not read: `encoding/csv`'s text, and the byte of the
/// record it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// The 0-based byte offset in the record (none for an empty record).
    pub offset: Option<usize>,
    /// The text, as Go writes it.
    text: String,
}

impl CsvError {
    /// The byte the error is at, as a range of one byte.
    pub fn range(&self) -> Option<(usize, usize)> {
        self.offset.map(|at| (at, at + 1))
    }
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `csv.ParseError` for a one-line record; `pos` is a 0-based byte offset.
fn parse_error(pos: usize, reason: &str) -> CsvError {
    CsvError {
        offset: Some(pos),
        text: format!("parse error on line 1, column {}: {reason}", pos + 1),
    }
}

/// Splits `line` into fields: `,` separates, `"` quotes (`""` inside quotes is
/// a quote). An empty line is Go's `io.EOF` (`EOF`).
pub fn fields(line: &str) -> Result<Vec<String>, CsvError> {
    let line = line
        .strip_suffix("\r\n")
        .or_else(|| line.strip_suffix('\n'))
        .unwrap_or(line);
    if line.is_empty() {
        return Err(CsvError {
            offset: None,
            text: "EOF".into(),
        });
    }
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let offset = line.len() - rest.len();
        if !rest.starts_with('"') {
            let (field, next) = match rest.find(',') {
                Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i + 1..)),
                None => (rest, None),
            };
            if let Some(j) = field.find('"') {
                return Err(parse_error(offset + j, BARE_QUOTE));
            }
            out.push(field.to_string());
            match next {
                Some(next) => {
                    rest = next;
                    continue;
                }
                None => return Ok(out),
            }
        }
        // A quoted field: `pos` follows the last quote consumed.
        let mut pos = offset + 1;
        rest = rest.get(1..).unwrap_or_default();
        let mut field = String::new();
        loop {
            let Some(i) = rest.find('"') else {
                return Err(parse_error(pos, QUOTE));
            };
            field.push_str(rest.get(..i).unwrap_or_default());
            rest = rest.get(i + 1..).unwrap_or_default();
            pos += i + 1;
            if let Some(after) = rest.strip_prefix('"') {
                field.push('"');
                rest = after;
                pos += 1;
            } else if let Some(after) = rest.strip_prefix(',') {
                out.push(field);
                rest = after;
                break;
            } else if rest.is_empty() {
                out.push(field);
                return Ok(out);
            } else {
                return Err(parse_error(pos - 1, QUOTE));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        let table: [(&str, &[&str]); 9] = [
            ("type=cache,target=/x", &["type=cache", "target=/x"]),
            ("a", &["a"]),
            ("a,", &["a", ""]),
            (",", &["", ""]),
            ("\"a,b\",c", &["a,b", "c"]),
            ("\"a\"\"b\"", &["a\"b"]),
            ("\"\"", &[""]),
            ("src=a b,dst=c", &["src=a b", "dst=c"]),
            ("x\n", &["x"]),
        ];
        for (line, want) in table {
            assert_eq!(
                fields(line),
                Ok(want.iter().map(|s| s.to_string()).collect()),
                "{line}"
            );
        }
    }

    #[test]
    fn errors() {
        let table = [
            ("", "EOF"),
            (
                "a\"b",
                "parse error on line 1, column 2: bare \" in non-quoted field",
            ),
            (
                "x,src=\"a\"",
                "parse error on line 1, column 7: bare \" in non-quoted field",
            ),
            (
                "\"abc",
                "parse error on line 1, column 2: extraneous or missing \" in quoted-field",
            ),
            (
                "a,\"b\"c",
                "parse error on line 1, column 5: extraneous or missing \" in quoted-field",
            ),
            (
                "\"a\"\"b",
                "parse error on line 1, column 5: extraneous or missing \" in quoted-field",
            ),
        ];
        for (line, want) in table {
            assert_eq!(
                fields(line).map_err(|e| e.to_string()),
                Err(want.to_string()),
                "{line}"
            );
        }
    }
}
