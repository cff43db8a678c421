//! Every rule, one file each, grouped by the set it comes from.

pub mod buildkit;
pub mod hadolint;
pub mod restage;

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
