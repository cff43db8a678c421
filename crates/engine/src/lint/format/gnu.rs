//! `restage:file:line: CODE severity: message`.

use super::FileReport;

/// Renders GNU-style lines.
pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        for f in file.findings {
            out.push_str(&format!(
                "restage:{}:{}:{}: {} {}: {}\n",
                file.path, f.line, f.column, f.code, f.severity, f.message
            ));
        }
    }
    out
}
