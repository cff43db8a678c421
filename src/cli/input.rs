//! Reading Dockerfiles from files or standard input.

use std::io::Read;
use std::path::Path;

use anyhow::Context;

/// Reads a file, or standard input for `-`.
pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(bytes)
}

/// How a path is shown in messages (`<stdin>` for `-`).
pub fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Where an error is, as `FILE:LINE:COLUMN`, or `FILE` alone for an error
/// of the whole file (no line: a file with no instructions, one over the
/// size limit).
pub fn location(path: &Path, at: Option<restage::dockerfile::Location>) -> String {
    match at.filter(|at| at.line > 0) {
        None => display_name(path),
        Some(at) => format!("{}:{}:{}", display_name(path), at.line, at.column),
    }
}
