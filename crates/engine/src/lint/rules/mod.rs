//! Every rule, one file each, grouped by the set it comes from.

pub mod buildkit;
pub mod hadolint;
pub mod restage;

/// Names in the order first seen, each once. Past a few names a set beside
/// the list makes each addition a lookup, not a scan of the list: a `RUN`
/// can name thousands of packages, and most name a handful.
#[derive(Debug, Default)]
pub(crate) struct UniqueList {
    items: Vec<String>,
    seen: std::collections::HashSet<String>,
}

/// Up to this many names, a scan of the list is cheaper than a set.
const SCANNED: usize = 16;

impl UniqueList {
    /// Adds `item` unless it is listed already.
    pub(crate) fn push(&mut self, item: String) {
        if self.items.len() < SCANNED {
            if !self.items.contains(&item) {
                self.items.push(item);
            }
            return;
        }
        if self.seen.is_empty() {
            self.seen.extend(self.items.iter().cloned());
        }
        if self.seen.insert(item.clone()) {
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

#[cfg(test)]
mod unique_list_tests {
    use super::UniqueList;

    #[test]
    fn each_name_once_in_first_seen_order_below_and_above_the_scan_limit() {
        let mut list = UniqueList::default();
        let names: Vec<String> = (0..40).map(|i| format!("p{}", i % 25)).collect();
        for n in &names {
            list.push(n.clone());
        }
        let expected: Vec<String> = (0..25).map(|i| format!("p{i}")).collect();
        assert_eq!(list.items(), expected.as_slice());
    }
}
