//! SARIF 2.1.0: one run, the rules that reported (with their
//! documentation and a link to their page), and the results.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{FileReport, RenderOptions};
use crate::lint::registry;
use crate::lint::rule::Severity;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// What stays as it is in a URI path (RFC 3986 `pchar` and `/`); every
/// other byte is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// A file's path as the URI reference SARIF's `artifactLocation.uri`
/// must be: Windows separators as `/`, and spaces, newlines, `%`, `#`,
/// `?` and anything outside ASCII percent-encoded.
fn artifact_uri(path: &str) -> String {
    utf8_percent_encode(&path.replace('\\', "/"), PATH).to_string()
}

/// Renders a SARIF log.
pub fn render(files: &[FileReport<'_>], options: &RenderOptions) -> String {
    let mut codes: Vec<&str> = files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.code.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            let url = format!("{}{}", options.rules_url, code);
            match registry::find(code).map(|r| r.meta()) {
                Some(meta) => json!({
                    "id": meta.code,
                    "name": meta.name,
                    "shortDescription": { "text": meta.title },
                    "fullDescription": { "text": meta.doc },
                    "helpUri": url,
                    "help": {
                        "text": format!("{}\n\nBad:\n{}\nGood:\n{}", meta.doc, meta.bad, meta.good),
                        "markdown": format!(
                            "{}\n\n**Bad**\n```dockerfile\n{}```\n**Good**\n```dockerfile\n{}```\n\n[{}]({})",
                            meta.doc, meta.bad, meta.good, meta.code, url
                        ),
                    },
                    "defaultConfiguration": { "level": level(meta.severity), "enabled": meta.enabled_by_default },
                    "properties": {
                        "tags": [format!("{:?}", meta.category).to_lowercase(), format!("{:?}", meta.origin).to_lowercase()],
                        "aliases": meta.aliases,
                    },
                }),
                None => json!({ "id": code, "helpUri": url }),
            }
        })
        .collect();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            let codes = &codes;
            file.findings.iter().map(move |f| {
                let mut result = json!({
                    "ruleId": f.code,
                    "ruleIndex": codes.iter().position(|c| *c == f.code).unwrap_or_default(),
                    "level": level(f.severity),
                    "message": { "text": f.message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": artifact_uri(file.path) },
                            "region": {
                                "startLine": f.line.max(1),
                                "startColumn": f.column.max(1),
                                "endLine": f.end_line.max(f.line).max(1),
                                "endColumn": f.end_column.max(1),
                            }
                        }
                    }],
                });
                if let (Some(fix), Some(obj)) = (&f.fix, result.as_object_mut()) {
                    obj.insert("properties".into(), json!({ "fix": fix.title }));
                }
                result
            })
        })
        .collect();
    let mut driver = json!({
        "name": "restage",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    // SARIF wants an absolute URI here; a service without a public address
    // has only relative links, and then the field is left out.
    let home = options
        .rules_url
        .trim_end_matches('/')
        .trim_end_matches("/rules");
    if (home.starts_with("https://") || home.starts_with("http://"))
        && let Some(driver) = driver.as_object_mut()
    {
        driver.insert("informationUri".into(), json!(home));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
