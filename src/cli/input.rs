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

/// Where an error is, as `FILE:LINE`, or `FILE` alone for an error of the
/// whole file (line 0: a file with no instructions, one over the limit).
pub fn location(path: &Path, line: usize) -> String {
    match line {
        0 => display_name(path),
        n => format!("{}:{n}", display_name(path)),
    }
}
