//! SARIF 2.1.0: one run, the rules that reported (with their
//! documentation and a link to their page), and the results.

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
                            "artifactLocation": { "uri": file.path },
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
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "restage",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": options.rules_url.trim_end_matches('/').trim_end_matches("/rules"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
