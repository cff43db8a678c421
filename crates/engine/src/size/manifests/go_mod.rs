//! `go.mod`: the module path and its `require` directives (single line and
//! blocks), `// indirect` noted; `replace`, `exclude`, `retract` skipped.

use super::{Dependency, Manifest, ManifestError};

/// Directives go.mod may contain.
const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "replace",
    "exclude",
    "retract",
    "tool",
    "ignore",
];

/// Parses `go.mod` into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let mut block: Option<(String, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let (code, comment) = match raw.find("//") {
            Some(at) => (
                raw.get(..at).unwrap_or_default(),
                raw.get(at..).unwrap_or_default(),
            ),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        if let Some((directive, _)) = &block {
            if code == ")" {
                block = None;
                continue;
            }
            if directive == "require" {
                require(file, line_no, code, comment, m)?;
            }
            continue;
        }
        let mut words = code.split_whitespace();
        let directive = words.next().unwrap_or_default();
        if !DIRECTIVES.contains(&directive) {
            return Err(ManifestError::new(
                file,
                line_no,
                format!("unknown directive `{directive}`"),
            ));
        }
        let rest = code.get(directive.len()..).unwrap_or_default().trim();
        if rest == "(" {
            block = Some((directive.to_string(), line_no));
            continue;
        }
        match directive {
            "module" => {
                let path = rest.trim_matches('"');
                if path.is_empty() {
                    return Err(ManifestError::new(file, line_no, "`module` without a path"));
                }
                m.name = Some(path.to_string());
            }
            "require" => require(file, line_no, rest, comment, m)?,
            _ => {}
        }
    }
    if let Some((directive, line)) = block {
        return Err(ManifestError::new(
            file,
            line,
            format!("`{directive} (` block is not closed"),
        ));
    }
    Ok(())
}

/// One `path version` requirement.
fn require(
    file: &str,
    line_no: usize,
    spec: &str,
    comment: &str,
    m: &mut Manifest,
) -> Result<(), ManifestError> {
    let mut words = spec.split_whitespace();
    let (Some(path), Some(version)) = (words.next(), words.next()) else {
        return Err(ManifestError::new(
            file,
            line_no,
            format!("`require {spec}` needs a module path and a version"),
        ));
    };
    if !version.starts_with('v') {
        return Err(ManifestError::new(
            file,
            line_no,
            format!("`{version}` is not a module version (v1.2.3)"),
        ));
    }
    let mut dep = Dependency::main(path.trim_matches('"'), Some(version.to_string()));
    if comment.contains("indirect") {
        dep.group = Some("indirect".into());
    }
    m.dependencies.push(dep);
    Ok(())
}
