//! The dependency manifests a command reads with a Dockerfile: those beside
//! it, and those given with `--manifest` (`restage report`, `restage
//! convert`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use restage::size::ManifestKind;

/// The manifest flags.
#[derive(Debug, clap::Args)]
pub struct ManifestFlags {
    /// A dependency manifest (requirements.txt, pyproject.toml,
    /// poetry.lock, Pipfile, Pipfile.lock, uv.lock, package.json, go.mod,
    /// Cargo.toml, pom.xml, Gemfile, composer.json) for the size estimate
    /// and the conversion; repeatable.
    #[arg(long = "manifest", value_name = "PATH")]
    manifests: Vec<PathBuf>,
    /// Do not read the manifests beside the Dockerfile (those given with
    /// `--manifest` are still read).
    #[arg(long)]
    no_manifests: bool,
}

impl ManifestFlags {
    /// The manifests by name, and the names of those given with
    /// `--manifest`.
    pub fn read(
        &self,
        dockerfile: &Path,
    ) -> anyhow::Result<(BTreeMap<String, String>, Vec<String>)> {
        let mut manifests = if self.no_manifests {
            BTreeMap::new()
        } else {
            beside(dockerfile)?
        };
        let mut given = Vec::with_capacity(self.manifests.len());
        for path in &self.manifests {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let name = path.to_string_lossy().trim_start_matches("./").to_string();
            given.push(name.clone());
            manifests.insert(name, text);
        }
        Ok((manifests, given))
    }
}

/// Manifests beside the Dockerfile (and pip's `requirements/` directory),
/// named by their path relative to the Dockerfile's directory.
fn beside(dockerfile: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if dockerfile.as_os_str() == "-" {
        return Ok(out);
    }
    let dir = match dockerfile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let places = [
        (dir.clone(), String::new()),
        (dir.join("requirements"), "requirements/".to_string()),
    ];
    for (sub, prefix) in places {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let key = format!("{prefix}{name}");
            if ManifestKind::detect(&key).is_none() {
                continue;
            }
            let path = sub.join(&name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            out.insert(key, text);
        }
    }
    Ok(out)
}
