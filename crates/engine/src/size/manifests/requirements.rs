//! pip requirements files: one requirement per line, `-r` includes,
//! `--index-url`, extras, pins, environment markers, `--hash` options.

use super::{Dependency, Manifest, ManifestError};

/// Options that take a value (next word or `=value`), and whether the
/// estimator cares.
const VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--use-feature",
    "--config-settings",
    "--global-option",
    "--hash",
];

/// Options without a value.
const FLAG_OPTIONS: &[&str] = &[
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--no-index",
    "--upgrade",
    "-U",
];

/// Parses a requirements file into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    for (line_no, logical) in logical_lines(text) {
        let line = strip_comment(&logical);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('-') {
            option(file, line_no, line, m)?;
            continue;
        }
        // `--hash=...` and other per-requirement options follow the spec.
        let spec = match line.find(" -") {
            Some(i) => line.get(..i).unwrap_or(line),
            None => line,
        };
        match parse_requirement(spec) {
            Ok(Some(dep)) => m.dependencies.push(dep),
            Ok(None) => {}
            Err(why) => return Err(ManifestError::new(file, line_no, why)),
        }
    }
    Ok(())
}

/// Joins lines ending in `\` and numbers each logical line by its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if current.is_empty() {
            start = i + 1;
        }
        match raw.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(raw);
                out.push((start, std::mem::take(&mut current)));
            }
        }
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out
}

/// Removes a `#` comment (at the start or after whitespace).
fn strip_comment(line: &str) -> String {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return line.get(..i).unwrap_or_default().to_string();
        }
        prev_space = c.is_whitespace();
    }
    line.to_string()
}

/// Handles an option line.
fn option(file: &str, line_no: usize, line: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    let mut words = line.split_whitespace();
    while let Some(word) = words.next() {
        let (name, attached) = match word.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => {
                // `-rfile.txt`
                let short = ["-r", "-c", "-e", "-i", "-f"]
                    .iter()
                    .find(|s| word.len() > 2 && word.starts_with(**s));
                match short {
                    Some(s) => (*s, word.get(2..).map(str::to_string)),
                    None => (word, None),
                }
            }
        };
        if FLAG_OPTIONS.contains(&name) {
            continue;
        }
        if !VALUE_OPTIONS.contains(&name) {
            return Err(ManifestError::new(
                file,
                line_no,
                format!("unknown option `{name}`"),
            ));
        }
        let value = match attached {
            Some(v) => v,
            None => match words.next() {
                Some(v) => v.to_string(),
                None => {
                    return Err(ManifestError::new(
                        file,
                        line_no,
                        format!("option `{name}` needs a value"),
                    ));
                }
            },
        };
        match name {
            "-r" | "--requirement" => m.includes.push(value),
            "-i" | "--index-url" | "--extra-index-url" => m.index_urls.push(value),
            "-e" | "--editable" => {
                // A VCS URL with `#egg=name` names a package; a path does not.
                if let Some(egg) = value.split("#egg=").nth(1) {
                    let name = egg.split(['&', '[']).next().unwrap_or(egg);
                    if !name.is_empty() {
                        m.dependencies.push(Dependency::main(name, None));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether a character may appear in a distribution name.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Parses one PEP 508 requirement (`Pillow[webp]>=10; python_version>"3.8"`,
/// `pkg @ https://…`). `Ok(None)` for a local path or URL without a name.
pub fn parse_requirement(spec: &str) -> Result<Option<Dependency>, String> {
    let spec = spec.trim();
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    if spec.is_empty() {
        return Ok(None);
    }
    if spec.starts_with(['.', '/', '~'])
        || spec.contains("://") && !spec.contains(" @ ") && !spec.contains("#egg=")
    {
        // A local path or a bare URL: a wheel's file name names its package.
        let last = spec.rsplit('/').next().unwrap_or(spec);
        if let Some(stem) = last.strip_suffix(".whl") {
            let name = stem.split('-').next().unwrap_or(stem);
            return Ok(Some(Dependency::main(name, None)));
        }
        if let Some(egg) = spec.split("#egg=").nth(1) {
            return Ok(Some(Dependency::main(egg, None)));
        }
        return Ok(None);
    }
    if let Some(egg) = spec.split("#egg=").nth(1) {
        return Ok(Some(Dependency::main(egg.trim(), None)));
    }
    let end = spec.find(|c: char| !name_char(c)).unwrap_or(spec.len());
    let name = spec.get(..end).unwrap_or_default();
    if name.is_empty()
        || !name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Err(format!("`{spec}` does not start with a package name"));
    }
    let mut rest = spec.get(end..).unwrap_or_default().trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let Some(close) = after.find(']') else {
            return Err(format!("unclosed `[` in `{spec}`"));
        };
        extras = after
            .get(..close)
            .unwrap_or_default()
            .split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        if let Some(bad) = extras.iter().find(|e| !e.chars().all(name_char)) {
            return Err(format!("invalid extra `{bad}` in `{spec}`"));
        }
        rest = after.get(close + 1..).unwrap_or_default().trim_start();
    }
    let version = if rest.is_empty() {
        None
    } else if let Some(url) = rest.strip_prefix('@') {
        if url.trim().is_empty() {
            return Err(format!("`@` without a URL in `{spec}`"));
        }
        Some(format!("@ {}", url.trim()))
    } else {
        let v = rest.trim_start_matches('(').trim_end_matches(')').trim();
        let ok_start = ["==", ">=", "<=", "~=", "!=", "<", ">", "==="]
            .iter()
            .any(|op| v.starts_with(op));
        if !ok_start {
            return Err(format!(
                "expected a version specifier (==, >=, ~=, ...) after `{name}`, found `{rest}`"
            ));
        }
        Some(v.to_string())
    };
    Ok(Some(Dependency {
        name: name.to_string(),
        version,
        extras,
        dev: false,
        optional: false,
        group: None,
    }))
}
