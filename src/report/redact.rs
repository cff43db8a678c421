//! Redaction: pasted Dockerfiles often hold credentials. Before a report is
//! stored (and so before it is ever shown), every secret the RS007 rule
//! recognises is masked in every text of the report — the Dockerfile, the
//! conversion, finding messages, change reasons — keeping only a
//! recognisable prefix (`ghp_****`, `https://deploy:****@host`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

use super::Report;
use crate::lint::rules::restage::rs007::secret_spans;

/// Whether what is stored keeps secrets or masks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrets {
    /// Every secret masked (the default for stored reports).
    Mask,
    /// Stored as given (`redact=false`).
    Keep,
}

/// What replaces a secret.
pub const MASK: &str = "****";

/// `text` with every secret masked; `None` when it has none.
pub fn redact_text(text: &str) -> Option<String> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(MASK);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Some(out)
}

/// `value` as compact JSON with every secret masked in every string value
/// (object keys are kept), and how many strings changed. One serialisation
/// pass: each string is gathered as it is written, checked, and written
/// masked or as it was.
pub fn redacted_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<(String, usize)> {
    let mut out = Vec::with_capacity(16 * 1024);
    let mut formatter = Redacting::default();
    value.serialize(&mut Serializer::with_formatter(&mut out, &mut formatter))?;
    let masked = formatter.masked;
    // serde_json writes only valid UTF-8, and so does the formatter.
    let json = String::from_utf8(out)
        .map_err(|e| serde_json::Error::io(io::Error::new(io::ErrorKind::InvalidData, e)))?;
    Ok((json, masked))
}

/// `report` with every secret masked in every text it holds, and how many
/// texts changed.
pub fn redact(report: Report) -> (Report, usize) {
    match redacted_json(&report) {
        Ok((json, masked)) if masked > 0 => match serde_json::from_str(&json) {
            Ok(clean) => (clean, masked),
            Err(_) => (report, 0),
        },
        _ => (report, 0),
    }
}

/// A compact formatter that holds each string value back until it is
/// complete, then writes it with its secrets masked.
#[derive(Default)]
struct Redacting {
    /// The string being written, unescaped.
    text: String,
    /// Whether an object key is being written (keys are kept as they are).
    in_key: bool,
    /// How many strings were masked.
    masked: usize,
}

impl Formatter for &mut Redacting {
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        CompactFormatter.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.in_key = false;
        CompactFormatter.end_object_key(writer)
    }

    fn begin_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.in_key {
            return CompactFormatter.begin_string(writer);
        }
        self.text.clear();
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if self.in_key {
            return CompactFormatter.write_string_fragment(writer, fragment);
        }
        self.text.push_str(fragment);
        Ok(())
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        if self.in_key {
            return CompactFormatter.write_char_escape(writer, escape);
        }
        self.text.push(match escape {
            CharEscape::Quote => '"',
            CharEscape::ReverseSolidus => '\\',
            CharEscape::Solidus => '/',
            CharEscape::Backspace => '\u{8}',
            CharEscape::FormFeed => '\u{c}',
            CharEscape::LineFeed => '\n',
            CharEscape::CarriageReturn => '\r',
            CharEscape::Tab => '\t',
            CharEscape::AsciiControl(byte) => char::from(byte),
        });
        Ok(())
    }

    fn end_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.in_key {
            return CompactFormatter.end_string(writer);
        }
        let text = std::mem::take(&mut self.text);
        let written = match redact_text(&text) {
            Some(clean) => {
                self.masked += 1;
                serde_json::to_writer(&mut *writer, clean.as_str())
            }
            None => serde_json::to_writer(&mut *writer, text.as_str()),
        };
        self.text = text;
        written.map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AnalysisOptions, analyze};

    #[test]
    fn secrets_are_masked_and_the_rest_kept() {
        let cases = [
            (
                "ENV GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "ENV GITHUB_TOKEN=ghp_****",
            ),
            (
                "RUN git clone https://deploy:s3cr3tPa55@git.example.com/x.git",
                "RUN git clone https://deploy:****@git.example.com/x.git",
            ),
            ("ENV DB_PASSWORD=hunter2 X=1", "ENV DB_PASSWORD=**** X=1"),
            ("ARG AWS_KEY=AKIAIOSFODNN7EXAMPLE", "ARG AWS_KEY=AKIA****"),
            (
                "COPY <<EOF /k\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----\nEOF",
                "COPY <<EOF /k\n-----BEGIN RSA PRIVATE KEY-----****-----END RSA PRIVATE KEY-----\nEOF",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact_text(input).as_deref(), Some(want), "{input}");
        }
        for clean in [
            "ENV PASSWORD=$DB_PASSWORD",
            "ENV POSTGRES_PASSWORD=postgres",
            "RUN curl https://example.com/x",
            "",
        ] {
            assert_eq!(redact_text(clean), None, "{clean}");
        }
    }

    #[test]
    fn a_report_keeps_no_secret_anywhere() {
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let dockerfile = format!(
            "FROM python:3.12\nENV GITHUB_TOKEN={token}\nRUN pip install git+https://bot:{token}@github.com/org/lib.git\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
        );
        let report = analyze(dockerfile.as_bytes(), &AnalysisOptions::default()).expect("analyses");
        assert!(
            serde_json::to_string(&report)
                .expect("json")
                .contains(token)
        );
        let (clean, masked) = redact(report);
        assert!(masked >= 2, "{masked}");
        let json = serde_json::to_string(&clean).expect("json");
        assert!(
            !json.contains("abcdefghijklmnopqrstuvwxyz0123456789"),
            "{json}"
        );
        assert!(clean.dockerfile.contains("ENV GITHUB_TOKEN=ghp_****"));
        assert!(clean.findings.iter().any(|f| f.code == "RS007"));
    }

    #[test]
    fn a_report_without_secrets_is_written_exactly_as_serde_json_writes_it() {
        let dockerfile = "FROM python:3.12\nLABEL url=\"https://example.com/a b\" note=\"tab\there \\\\ \u{1}\"\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        let report = analyze(dockerfile.as_bytes(), &AnalysisOptions::default()).expect("analyses");
        let (json, masked) = redacted_json(&report).expect("json");
        assert_eq!(masked, 0);
        assert_eq!(json, serde_json::to_string(&report).expect("json"));
    }

    #[test]
    fn masked_json_is_valid_and_masks_values_but_not_keys() {
        let mut map = std::collections::BTreeMap::new();
        map.insert("password=hunter2", "ENV DB_PASSWORD=hunter2\n\"quoted\"");
        map.insert("plain", "nothing here");
        let (json, masked) = redacted_json(&map).expect("json");
        assert_eq!(masked, 1);
        let back: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back["password=hunter2"], "ENV DB_PASSWORD=****\n\"quoted\"");
        assert_eq!(back["plain"], "nothing here");
    }
}
