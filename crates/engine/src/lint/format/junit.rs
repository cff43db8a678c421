//! JUnit XML: one test suite per file, one failed test case per finding.

use super::FileReport;
use super::xml::escape;

/// Renders JUnit XML.
pub fn render(files: &[FileReport<'_>]) -> String {
    let total: usize = files.iter().map(|f| f.findings.len()).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"restage\" tests=\"{total}\" failures=\"{total}\">\n"
    );
    for file in files {
        let n = file.findings.len();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
            escape(file.path),
            n.max(1),
            n
        ));
        if n == 0 {
            out.push_str(&format!(
                "    <testcase name=\"restage\" classname=\"{}\"/>\n",
                escape(file.path)
            ));
        }
        for f in file.findings {
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}:{}\">\n      <failure type=\"{}\" message=\"{}\">{}:{}:{} {} {}: {}</failure>\n    </testcase>\n",
                escape(&f.code),
                escape(file.path),
                f.line,
                f.severity,
                escape(&f.message),
                escape(file.path),
                f.line,
                f.column,
                escape(&f.code),
                f.severity,
                escape(&f.message)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
