//! Base images' sizes as rule messages and conversion notes quote them:
//! from the built-in catalog (the figures the size tables use) and by the
//! tables' rounding rule ([`mb`]), so a message never disagrees with the
//! table beside it.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use super::catalog::{Catalog, Lookup};
use super::packages::{Os, base_packages};
use super::render::mb;

/// `1,110 MB on disk, 411 MB to pull` for an image the built-in catalog
/// knows; `about …` when the catalog has only its family's figure (another
/// version's). `None` for an image the catalog does not know.
pub fn catalog_sizes(reference: &str) -> Option<String> {
    let known = known(reference)?;
    Some(format!(
        "{}{} MB on disk, {} MB to pull",
        known.about, known.disk, known.pull
    ))
}

/// Two images' sizes side by side: `` `python:3.12` is 1,110 MB on disk
/// (411 MB to pull); `python:3.12-slim` is 119 MB (43 MB) ``. Only the
/// first image's when the catalog does not know the second; `None` when it
/// does not know the first.
pub fn compared_sizes(from: &str, to: &str) -> Option<String> {
    let first = known(from)?;
    let mut text = format!(
        "`{from}` is {}{} MB on disk ({} MB to pull)",
        first.about, first.disk, first.pull
    );
    if let Some(second) = known(to) {
        text.push_str(&format!(
            "; `{to}` is {}{} MB ({} MB)",
            second.about, second.disk, second.pull
        ));
    }
    Some(text)
}

/// Whether the built-in catalog says the image already has `package`
/// (its package sets with their dependencies): `gcc` is in every full
/// `python` or `node` image, which is built on buildpack-deps.
pub fn base_has(reference: &str, package: &str) -> bool {
    known(reference).is_some_and(|k| {
        k.sets.as_ref().is_some_and(|(os, sets)| {
            k.packages
                .get_or_init(|| base_packages(*os, sets))
                .contains(package)
        })
    })
}

/// What the catalog says of one image, as messages quote it.
struct Known {
    /// Disk estimate, rounded as the tables round it.
    disk: String,
    /// Pull estimate, rounded.
    pull: String,
    /// `about ` for a family figure, else empty.
    about: &'static str,
    /// The row's system and package sets, when it lists any.
    sets: Option<(Os, Vec<String>)>,
    /// The packages those sets make, worked out on first use.
    packages: OnceLock<Arc<BTreeSet<String>>>,
}

/// At most this many references are kept: they come from user input.
const KEPT: usize = 256;

/// References already looked up: lint after lint names the same bases,
/// and a catalog lookup (normalising the reference, matching every row)
/// costs more than the rest of the rule.
static KNOWN: LazyLock<Mutex<HashMap<String, Option<Arc<Known>>>>> = LazyLock::new(Mutex::default);

/// [`Known`] for a reference, from the kept ones or the catalog.
fn known(reference: &str) -> Option<Arc<Known>> {
    if let Some(hit) = KNOWN.lock().ok().and_then(|m| m.get(reference).cloned()) {
        return hit;
    }
    let found = match Catalog::builtin().lookup(reference) {
        Lookup::Found(m) if m.disk.estimate_bytes > 0 => Some(Arc::new(Known {
            disk: mb(m.disk.estimate_bytes),
            pull: mb(m.pull.estimate_bytes),
            about: if m.proxy { "about " } else { "" },
            sets: (!m.entry.packages.is_empty()).then(|| {
                (
                    Os::from_catalog(m.entry.os.as_deref()),
                    m.entry.packages.clone(),
                )
            }),
            packages: OnceLock::new(),
        })),
        _ => None,
    };
    if let Ok(mut kept) = KNOWN.lock()
        && kept.len() < KEPT
    {
        kept.insert(reference.to_string(), found.clone());
    }
    found
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
