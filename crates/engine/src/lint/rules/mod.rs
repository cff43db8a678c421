//! Every rule, one file each, grouped by the set it comes from.

pub mod buildkit;
pub mod hadolint;
pub mod restage;

/// Names in the order first seen, each once. A set beside the list makes
/// each addition a lookup, not a scan of the list: a `RUN` can name
/// thousands of packages.
#[derive(Debug, Default)]
pub(crate) struct UniqueList {
    items: Vec<String>,
    seen: std::collections::HashSet<String>,
}

impl UniqueList {
    /// Adds `item` unless it is listed already.
    pub(crate) fn push(&mut self, item: String) {
        if !self.seen.contains(&item) {
            self.seen.insert(item.clone());
            self.items.push(item);
        }
    }

    /// Whether nothing is listed.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The names, in the order first seen.
    pub(crate) fn items(&self) -> &[String] {
        &self.items
    }

    /// The names, in the order first seen.
    pub(crate) fn into_vec(self) -> Vec<String> {
        self.items
    }
}

/// Joins names for a message: `` `a`, `b` ``.
pub(crate) fn quoted_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(item.as_ref());
        out.push('`');
    }
    out
}
