//! A team's `restage.toml`, as `restage report` and `restage serve` read
//! it: base images for the size catalog and lint settings.

use std::path::{Path, PathBuf};

use anyhow::Context;
use restage::lint::LintConfig;
use restage::size::Catalog;

/// The catalog and lint settings of `restage.toml`: the file given, else
/// `./restage.toml` when it exists, else the built-in ones.
pub fn configuration(explicit: Option<&Path>) -> anyhow::Result<(Catalog, LintConfig)> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("restage.toml");
            if !p.is_file() {
                return Ok((Catalog::builtin(), LintConfig::default()));
            }
            p
        }
    };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let catalog =
        Catalog::with_config_text(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let lint = LintConfig::from_toml(&path.display().to_string(), &text)?;
    Ok((catalog, lint))
}
