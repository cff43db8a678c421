//! A team's own base images: the `[[images]]` rows of `restage.toml`.
//!
//! ```toml
//! [[images]]
//! name = "registry.example.com/platform/python-base"
//! tag = "3.12-*"                # a glob over the tag
//! disk_bytes = 310000000        # or disk_mb = 310
//! pull_bytes = 112000000        # or pull_mb = 112
//! source = "docker images on the CI runner"
//! date = "2026-10-01"
//! ```
//!
//! Rows need a name, a `tag` glob (or `versions`), a source, a date and at
//! least one of the two sizes (the other is derived with a ratio and marked
//! as an estimate). They are tried before the built-in catalog, so a team
//! can also correct a built-in figure. The other keys of `restage.toml`
//! (lint settings) are left to the lint configuration.

use std::path::Path;

use super::catalog::{Catalog, CatalogError};

impl Catalog {
    /// The built-in catalog with the `[[images]]` rows of a `restage.toml`
    /// file; every row is checked and the first problem is the error.
    pub fn with_config(path: &Path) -> Result<Self, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|e| CatalogError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::with_config_text(&text)
    }

    /// The built-in catalog with the `[[images]]` rows of `restage.toml`
    /// text (a file without rows gives the built-in catalog).
    pub fn with_config_text(text: &str) -> Result<Self, CatalogError> {
        Self::parse_rows(text).map(Self::with_extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::Lookup;

    #[test]
    fn rows_of_a_config_file_come_first() {
        let text = "ignored = [\"DL3008\"]\n\n[[images]]\nname = \"python\"\ntag = \"3.12-corp\"\ndisk_bytes = 200000000\npull_bytes = 70000000\nsource = \"docker images on CI\"\ndate = \"2026-10-01\"\n";
        let catalog = Catalog::with_config_text(text).unwrap_or_else(|e| panic!("{e}"));
        match catalog.lookup("python:3.12-corp") {
            Lookup::Found(m) => {
                assert!(m.team);
                assert_eq!(m.disk.estimate_bytes, 200_000_000);
                assert_eq!(m.pull.estimate_bytes, 70_000_000);
            }
            other => panic!("{other:?}"),
        }
        // Built-in rows still answer.
        assert!(matches!(catalog.lookup("python:3.12-slim"), Lookup::Found(m) if !m.team));
        assert_eq!(
            Catalog::with_config_text("ignored = []\n"),
            Ok(Catalog::builtin())
        );
    }

    #[test]
    fn a_missing_file_or_a_bad_row_is_an_error() {
        let err = Catalog::with_config(Path::new("/nonexistent/restage.toml"));
        assert!(matches!(err, Err(CatalogError::Io { .. })), "{err:?}");
        let err =
            Catalog::with_config_text("[[images]]\nname = \"x\"\ntag = \"*\"\ndisk_bytes = 1\n");
        assert!(
            matches!(err, Err(CatalogError::Row { row: 1, .. })),
            "{err:?}"
        );
    }
}
