//! `Gemfile`: `gem` lines with their groups (`group :development do`,
//! `group: :test`), blocks balanced with `end`; other Ruby is skipped.

use super::{Dependency, Manifest, ManifestError};

/// Groups bundler leaves out in production images (`BUNDLE_WITHOUT`).
const DEV_GROUPS: &[&str] = &["development", "test", "dev"];

/// Parses a Gemfile into `m`.
pub(super) fn parse(file: &str, text: &str, m: &mut Manifest) -> Result<(), ManifestError> {
    // Each open block: the groups it adds (empty for non-group blocks) and its line.
    let mut blocks: Vec<(Vec<String>, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = strip_comment(raw).map_err(|why| ManifestError::new(file, line_no, why))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let first = line
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or_default();
        let opens_block = line.ends_with(" do")
            || line.contains(" do |")
            || matches!(
                first,
                "if" | "unless" | "case" | "begin" | "while" | "until" | "def"
            );
        match first {
            "end" => {
                if blocks.pop().is_none() {
                    return Err(ManifestError::new(
                        file,
                        line_no,
                        "`end` without an open block",
                    ));
                }
            }
            "group" => {
                let groups = symbols(line.get(5..).unwrap_or_default());
                if groups.is_empty() {
                    return Err(ManifestError::new(
                        file,
                        line_no,
                        "`group` without a group name",
                    ));
                }
                if opens_block {
                    blocks.push((groups, line_no));
                }
            }
            "gem" => {
                let args = line
                    .get(3..)
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches('(');
                let Some(name) = first_string(args) else {
                    return Err(ManifestError::new(
                        file,
                        line_no,
                        "`gem` must be followed by a quoted gem name",
                    ));
                };
                let mut groups: Vec<String> =
                    blocks.iter().flat_map(|(g, _)| g.iter().cloned()).collect();
                for key in ["group:", ":group =>", "groups:", ":groups =>"] {
                    if let Some(at) = args.find(key) {
                        groups.extend(symbols(args.get(at + key.len()..).unwrap_or_default()));
                    }
                }
                let version = args
                    .split(',')
                    .nth(1)
                    .and_then(first_string)
                    .filter(|v| v.chars().any(|c| c.is_ascii_digit()));
                let mut dep = Dependency::main(name, version);
                dep.dev =
                    !groups.is_empty() && groups.iter().all(|g| DEV_GROUPS.contains(&g.as_str()));
                dep.group = groups.first().cloned();
                m.dependencies.push(dep);
                if opens_block {
                    blocks.push((Vec::new(), line_no));
                }
            }
            _ => {
                if opens_block {
                    blocks.push((Vec::new(), line_no));
                }
            }
        }
    }
    if let Some((_, line)) = blocks.last() {
        return Err(ManifestError::new(
            file,
            *line,
            "block is not closed with `end`",
        ));
    }
    Ok(())
}

/// The line without its `#` comment; an error if a string is not closed.
fn strip_comment(line: &str) -> Result<String, String> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return Ok(line.get(..i).unwrap_or_default().to_string()),
            _ => {}
        }
    }
    match quote {
        Some(q) => Err(format!("unterminated string (opened with {q})")),
        None => Ok(line.to_string()),
    }
}

/// The first quoted string of a text.
fn first_string(text: &str) -> Option<String> {
    let text = text.trim();
    let q = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = text.get(1..)?;
    let end = rest.find(q)?;
    rest.get(..end).map(str::to_string)
}

/// Symbols and strings of a text (`:development, :test`, `[:a, "b"]`).
fn symbols(text: &str) -> Vec<String> {
    let text = text.split(" do").next().unwrap_or(text);
    text.split([',', '[', ']', ' '])
        .map(|t| t.trim().trim_start_matches(':').trim_matches(['"', '\'']))
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect()
}
