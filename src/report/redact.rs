//! Redaction: pasted Dockerfiles often hold credentials. Before a report is
//! stored (and so before it is ever shown), every secret the RS007 rule
//! recognises is masked in every text of the report — the Dockerfile, the
//! conversion, finding messages, change reasons — keeping only a
//! recognisable prefix (`ghp_****`, `https://deploy:****@host`).

use serde_json::Value;

use super::Report;
use crate::lint::rules::restage::rs007::secret_spans;

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

fn walk(value: &mut Value, masked: &mut usize) {
    match value {
        Value::String(s) => {
            if let Some(clean) = redact_text(s) {
                *s = clean;
                *masked += 1;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, masked)),
        Value::Object(map) => map.values_mut().for_each(|v| walk(v, masked)),
        _ => {}
    }
}

/// `report` with every secret masked in every text it holds, and how many
/// texts changed. A report that cannot be round-tripped through JSON is
/// returned as it was (it always can: it is plain data).
pub fn redact(report: Report) -> (Report, usize) {
    let Ok(mut value) = serde_json::to_value(&report) else {
        return (report, 0);
    };
    let mut masked = 0;
    walk(&mut value, &mut masked);
    if masked == 0 {
        return (report, 0);
    }
    match serde_json::from_value(value) {
        Ok(clean) => (clean, masked),
        Err(_) => (report, 0),
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
}
