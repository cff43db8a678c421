//! Checkstyle XML, as hadolint writes it.

use super::FileReport;
use super::xml::escape;

/// Renders one `<file>` per input with an `<error>` per finding.
pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for file in files {
        out.push_str(&format!("  <file name=\"{}\">\n", escape(file.path)));
        for f in file.findings {
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
                f.line,
                f.column,
                f.severity,
                escape(&f.message),
                escape(&f.code)
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
