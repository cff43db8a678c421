//! Redaction: pasted Dockerfiles often hold credentials. Before a report is
//! stored (and so before it is ever shown), every secret the RS007 rule
//! recognises is masked in every text of the report — the Dockerfile, the
//! conversion, finding messages, change reasons — keeping only a
//! recognisable prefix (`ghp_****`, `https://deploy:****@host`).

use serde::Serialize;

use super::Report;
use crate::lint::rules::restage::rs007::{secret_markers, secret_spans};

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
/// (object keys are kept), and how many strings changed.
///
/// Written by serde_json as it is; then one pass over the whole text finds
/// every marker a secret must contain (most reports have a few URLs and no
/// secret), and only the string values holding one are read back, masked
/// and written again. A marker has neither a quote nor a character JSON
/// escapes, and outside strings JSON has only punctuation, numbers and
/// `true`/`false`/`null`: so a marker lies within one string literal, and
/// a string whose text holds one holds it in its JSON too.
pub fn redacted_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<(String, usize)> {
    let json = serde_json::to_string(value)?;
    let candidates: Vec<(usize, usize)> = match secret_markers(&json) {
        Some(markers) => {
            let mut found: Vec<(usize, usize)> = Vec::new();
            for at in markers {
                if found.last().is_some_and(|&(_, end)| at < end) {
                    continue;
                }
                if let Some(literal) = enclosing_string(&json, at) {
                    found.push(literal);
                }
            }
            found
        }
        None => strings(&json).collect(),
    };
    let mut out = String::new();
    let mut copied = 0;
    let mut masked = 0;
    for (start, end) in candidates {
        let is_key = json.as_bytes().get(end) == Some(&b':');
        let Some(literal) = json.get(start..end).filter(|_| !is_key) else {
            continue;
        };
        let text: String = serde_json::from_str(literal)?;
        if let Some(clean) = redact_text(&text) {
            out.push_str(json.get(copied..start).unwrap_or_default());
            out.push_str(&serde_json::to_string(&clean)?);
            copied = end;
            masked += 1;
        }
    }
    if masked == 0 {
        return Ok((json, 0));
    }
    out.push_str(json.get(copied..).unwrap_or_default());
    Ok((out, masked))
}

/// Whether the `"` at `at` is escaped (an odd run of `\` before it).
fn escaped(bytes: &[u8], at: usize) -> bool {
    let run = bytes
        .get(..at)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    run % 2 == 1
}

/// The string literal of `json` (valid JSON as serde_json writes it) that
/// holds byte `at`, from its opening quote to just past its closing one;
/// `at` must be inside a string.
fn enclosing_string(json: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = json.as_bytes();
    let mut before = at;
    let start = loop {
        let quote = memchr::memrchr(b'"', bytes.get(..before)?)?;
        if !escaped(bytes, quote) {
            break quote;
        }
        before = quote;
    };
    let mut from = at;
    let end = loop {
        let quote = from + memchr::memchr(b'"', bytes.get(from..)?)?;
        if !escaped(bytes, quote) {
            break quote + 1;
        }
        from = quote + 1;
    };
    Some((start, end))
}

/// The byte ranges of every string literal in `json` (valid JSON as
/// serde_json writes it), each from its opening quote to just past its
/// closing one: outside a string every `"` opens one, inside `\` starts
/// an escape and `"` ends it.
fn strings(json: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = json.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + memchr::memchr(b'"', bytes.get(at..)?)?;
        let mut i = start + 1;
        loop {
            let found = i + memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
            if bytes.get(found) == Some(&b'\\') {
                i = found + 2;
            } else {
                at = found + 1;
                return Some((start, at));
            }
        }
    })
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
                "COPY <<EOF /k\n-----BEGIN RSA PRIVATE KEY-----\n****\n****\n-----END RSA PRIVATE KEY-----\nEOF",
            ),
            (
                "RUN echo \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\" > /k\nCMD x",
                "RUN echo \"-----BEGIN PRIVATE KEY-----****-----END PRIVATE KEY-----\" > /k\nCMD x",
            ),
            (
                "RUN printf '%s' \"-----BEGIN RSA PRIVATE KEY-----\\n\\\r\nMIIEow+/AbC=\\n\\\r\n-----END RSA PRIVATE KEY-----\" > k\r\n",
                "RUN printf '%s' \"-----BEGIN RSA PRIVATE KEY-----\\n\\\r\n****\r\n-----END RSA PRIVATE KEY-----\" > k\r\n",
            ),
            // Values a secret's name is given (QA: these were stored as
            // pasted).
            (
                "ENV API_KEY=sk-4f9a8b7c SECRET_KEY=\"django insecure 42\"",
                "ENV API_KEY=**** SECRET_KEY=\"****\"",
            ),
            (
                "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY7q2Lk9Xz",
                "ENV AWS_SECRET_ACCESS_KEY=****",
            ),
            (
                "ENV POSTGRES_PASSWORD s3cr3t!\nEXPOSE 5432",
                "ENV POSTGRES_PASSWORD ****\nEXPOSE 5432",
            ),
            (
                "RUN curl -fsSL -u deploy:hunter2 https://repo.example.com/a.tgz | tar xz",
                "RUN curl -fsSL -u deploy:**** https://repo.example.com/a.tgz | tar xz",
            ),
            (
                "RUN docker login -u bot --password \"hunter2\" registry.example.com",
                "RUN docker login -u bot --password \"****\" registry.example.com",
            ),
            (
                "RUN mysql -u app --password \"correct horse battery\" -e 'SELECT 1'",
                "RUN mysql -u app --password \"****\" -e 'SELECT 1'",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact_text(input).as_deref(), Some(want), "{input}");
        }
        for clean in [
            "ENV PASSWORD=$DB_PASSWORD",
            "ENV POSTGRES_PASSWORD=postgres",
            // Public key material and settings about a secret stay.
            "ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D",
            "ENV GPG_KEYS 39B641343D8C104B2B146DC3F9C39DC0B9698544 E60913E4DF209907D8E",
            "ENV RABBITMQ_PGP_KEY_ID=0x0A9AF2115F4687BD29803A206B73A36E6026DFCA",
            "ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password",
            "ARG SIGNING_KEY_URL=\"https://nginx.org/keys/nginx_signing.key\"",
            "RUN useradd -u 1000 app && docker run -u 1000:1000 app",
            "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci",
            "RUN curl https://example.com/x",
            "",
        ] {
            assert_eq!(redact_text(clean), None, "{clean}");
        }
    }

    /// A `BEGIN` line with no `END` after it, or with lines that cannot be
    /// a key before it, masks the key lines there are and nothing else.
    #[test]
    fn a_key_block_without_its_end_masks_no_other_line() {
        let text = "FROM python:3.12\nRUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > /k\nCOPY . /app\nEXPOSE 8000\nCMD [\"python\",\"/app/app.py\"]\n";
        assert_eq!(redact_text(text), None, "no key follows the BEGIN line");
        let with_body = "RUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > /k\nMIIEowIBAAKCAQEA\nCOPY . /app\nRUN echo \"-----END RSA PRIVATE KEY-----\"\nCMD x\n";
        assert_eq!(
            redact_text(with_body).as_deref(),
            Some(
                "RUN echo \"-----BEGIN RSA PRIVATE KEY-----\" > /k\n****\nCOPY . /app\nRUN echo \"-----END RSA PRIVATE KEY-----\"\nCMD x\n"
            )
        );
    }

    proptest::proptest! {
        /// Masking never adds or removes a line: findings keep their line
        /// numbers in the stored file.
        #[test]
        fn masking_keeps_every_line(text in text()) {
            if let Some(masked) = redact_text(&text) {
                proptest::prop_assert_eq!(masked.lines().count(), text.lines().count());
            }
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

    /// Values a secret's name is given are masked in every text of the
    /// report, the conversion included, and the finding says so.
    #[test]
    fn a_report_keeps_no_named_secret_anywhere() {
        let dockerfile = "FROM python:3.12\nENV API_KEY=sk-4f9a8b7c9d\nENV POSTGRES_PASSWORD s3cr3t-pw\nRUN curl -fsSL -u ci:hunter2-pw https://example.com/a.tgz -o /a.tgz\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
        let report = analyze(dockerfile.as_bytes(), &AnalysisOptions::default()).expect("analyses");
        let (json, masked) = redacted_json(&report).expect("json");
        assert!(masked >= 2, "{masked}");
        for secret in ["4f9a8b7c9d", "s3cr3t-pw", "hunter2-pw"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        let (clean, _) = redact(report);
        assert!(
            clean
                .dockerfile
                .contains("ENV API_KEY=****\nENV POSTGRES_PASSWORD ****\n")
        );
        assert!(clean.dockerfile.contains("-u ci:**** "));
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

    /// Every string value masked one by one, the reference the one-pass
    /// masking must agree with.
    fn masked_one_by_one(json: &str) -> (serde_json::Value, usize) {
        fn walk(v: &mut serde_json::Value, n: &mut usize) {
            match v {
                serde_json::Value::String(s) => {
                    if let Some(clean) = redact_text(s) {
                        *s = clean;
                        *n += 1;
                    }
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(|x| walk(x, n)),
                serde_json::Value::Object(map) => map.values_mut().for_each(|x| walk(x, n)),
                _ => {}
            }
        }
        let mut value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        let mut n = 0;
        walk(&mut value, &mut n);
        (value, n)
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "https://deploy:s3cr3tPa55@git.example.com/x",
            "http://localhost:8000/",
            "password=hunter2",
            "PASSWORD=\"x y\"",
            "AKIAIOSFODNN7EXAMPLE",
            "AKIA",
            "://",
            "eyJ",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA",
            "\r\n",
            "\"",
            "\\",
            "\\\"",
            "\n",
            "\t",
            "\u{1}",
            "\u{7f}",
            "é",
            "x",
            " ",
            ":",
            "$TOKEN",
        ]);
        prop::collection::vec(pieces, 0..8).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #[test]
        fn one_pass_masking_agrees_with_masking_each_string(
            map in proptest::collection::btree_map(text(), proptest::collection::vec(text(), 0..4), 0..6),
        ) {
            let (json, masked) = redacted_json(&map).expect("json");
            let (want, n) = masked_one_by_one(&serde_json::to_string(&map).expect("json"));
            let got: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(masked, n);
            if n == 0 {
                proptest::prop_assert_eq!(json, serde_json::to_string(&map).expect("json"));
            }
        }

        #[test]
        fn string_literals_are_found_from_outside_and_inside(
            map in proptest::collection::btree_map(text(), proptest::collection::vec(text(), 0..4), 0..6),
        ) {
            let json = serde_json::to_string(&map).expect("json");
            let literals: Vec<(usize, usize)> = strings(&json).collect();
            let values: usize = map.values().map(Vec::len).sum();
            proptest::prop_assert_eq!(literals.len(), map.len() + values);
            for &(start, end) in &literals {
                let literal = json.get(start..end).expect("in range");
                proptest::prop_assert!(serde_json::from_str::<String>(literal).is_ok(), "{}", literal);
                for at in start + 1..end - 1 {
                    proptest::prop_assert_eq!(enclosing_string(&json, at), Some((start, end)));
                }
            }
        }
    }
}
