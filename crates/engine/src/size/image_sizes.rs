//! Base images' sizes as rule messages and conversion notes quote them:
//! from the built-in catalog (the figures the size tables use) and by the
//! tables' rounding rule ([`mb`]), so a message never disagrees with the
//! table beside it.

use super::catalog::{Catalog, Lookup};
use super::packages::{Os, base_packages};
use super::render::mb;

/// `1,110 MB on disk, 411 MB to pull` for an image the built-in catalog
/// knows; `about …` when the catalog has only its family's figure (another
/// version's). `None` for an image the catalog does not know.
pub fn catalog_sizes(reference: &str) -> Option<String> {
    let (disk, pull, about) = figures(reference)?;
    Some(format!("{about}{disk} MB on disk, {pull} MB to pull"))
}

/// Two images' sizes side by side: `` `python:3.12` is 1,110 MB on disk
/// (411 MB to pull); `python:3.12-slim` is 119 MB (43 MB) ``. Only the
/// first image's when the catalog does not know the second; `None` when it
/// does not know the first.
pub fn compared_sizes(from: &str, to: &str) -> Option<String> {
    let (disk, pull, about) = figures(from)?;
    let mut text = format!("`{from}` is {about}{disk} MB on disk ({pull} MB to pull)");
    if let Some((disk, pull, about)) = figures(to) {
        text.push_str(&format!("; `{to}` is {about}{disk} MB ({pull} MB)"));
    }
    Some(text)
}

/// Whether the built-in catalog says the image already has `package`
/// (its package sets with their dependencies): `gcc` is in every full
/// `python` or `node` image, which is built on buildpack-deps.
pub fn base_has(reference: &str, package: &str) -> bool {
    match Catalog::builtin().lookup(reference) {
        Lookup::Found(m) if !m.entry.packages.is_empty() => {
            base_packages(Os::from_catalog(m.entry.os.as_deref()), &m.entry.packages)
                .contains(package)
        }
        _ => false,
    }
}

/// The disk and pull estimates, rounded, and `about ` for a family figure.
fn figures(reference: &str) -> Option<(String, String, &'static str)> {
    match Catalog::builtin().lookup(reference) {
        Lookup::Found(m) if m.disk.estimate_bytes > 0 => Some((
            mb(m.disk.estimate_bytes),
            mb(m.pull.estimate_bytes),
            if m.proxy { "about " } else { "" },
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_catalog_and_the_tables_rounding() {
        assert_eq!(
            compared_sizes("python:3.12", "python:3.12-slim").as_deref(),
            Some(
                "`python:3.12` is 1,110 MB on disk (411 MB to pull); `python:3.12-slim` is 119 MB (43 MB)"
            )
        );
        // Another version: the family's figure, said to be approximate.
        assert!(catalog_sizes("python:3.9").is_some_and(|s| s.starts_with("about ")));
        assert_eq!(catalog_sizes("mycorp/unknown:1"), None);
        assert_eq!(compared_sizes("mycorp/unknown:1", "python:3.12-slim"), None);
        assert!(base_has("python:3.12", "gcc"));
        assert!(!base_has("python:3.12-slim", "gcc"));
        assert!(!base_has("mycorp/unknown:1", "gcc"));
        assert!(
            compared_sizes("python:3.12", "mycorp/unknown:1")
                .is_some_and(|s| !s.contains("unknown"))
        );
    }
}
