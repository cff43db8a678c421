//! BuildKit's `util/suggest`: "did you mean" hints by Levenshtein distance.

use super::goconv::to_upper;
use crate::dockerfile::gotext::to_lower;

/// Levenshtein distance over characters (agext/levenshtein with unit costs).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = row.get(j).copied().unwrap_or(0) + 1;
            row.push(sub.min(del).min(ins));
        }
        cur.clear();
        cur.extend(row);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest option to `val` (distance below 3), or `None` when an option
/// equals `val` or none is close. Options are tried in the given order and
/// the first one with the smallest distance wins; callers pass them in a
/// fixed order (BuildKit iterates a Go map, whose order is random).
pub fn closest(val: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let folded = if case_sensitive {
        val.to_string()
    } else {
        to_lower(val)
    };
    let mut best: Option<String> = None;
    let mut min_dist = 3;
    for opt in options {
        let opt = if case_sensitive {
            (*opt).to_string()
        } else {
            to_lower(opt)
        };
        if folded == opt {
            return None;
        }
        let dist = levenshtein(&folded, &opt);
        if dist < min_dist {
            best = Some(if case_sensitive {
                opt
            } else {
                match_case(&opt, val)
            });
            min_dist = dist;
        }
    }
    best
}

/// BuildKit's `matchCase`: the option in the case style of the input.
fn match_case(val: &str, orig: &str) -> String {
    if orig == to_lower(orig) {
        return to_lower(val);
    }
    if orig == to_upper(orig) {
        return to_upper(val);
    }
    val.to_string()
}

/// BuildKit's `suggest.WrapError`: `message` plus ` (did you mean X?)`.
pub fn wrap(message: String, val: &str, options: &[&str], case_sensitive: bool) -> String {
    match closest(val, options, case_sensitive) {
        Some(m) => format!("{message} (did you mean {m}?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("form", "from"), 2);
        assert_eq!(levenshtein("héllo", "hello"), 1);
    }

    #[test]
    fn suggestions() {
        let names = ["ADD", "ARG", "CMD", "COPY", "FROM", "RUN"];
        assert_eq!(closest("FORM", &names, false).as_deref(), Some("FROM"));
        assert_eq!(closest("form", &names, false).as_deref(), Some("from"));
        assert_eq!(closest("Form", &names, false).as_deref(), Some("from"));
        assert_eq!(closest("RUNN", &names, false).as_deref(), Some("RUN"));
        assert_eq!(closest("XYZZY", &names, false), None);
        // An exact match anywhere means "unrelated": no suggestion.
        assert_eq!(closest("chown", &["chmod", "chown"], true), None);
        // Ties keep the first option.
        assert_eq!(
            closest("AXX", &["ADD", "ARG"], false).as_deref(),
            Some("ADD")
        );
        // Case-sensitive matching counts case differences.
        assert_eq!(closest("LINK", &["link"], true), None);
        assert_eq!(closest("Link", &["link"], true).as_deref(), Some("link"));
    }

    #[test]
    fn wrapping() {
        assert_eq!(
            wrap(
                "unknown flag: --chow".into(),
                "chow",
                &["chmod", "chown"],
                true
            ),
            "unknown flag: --chow (did you mean chown?)"
        );
        // Both are at distance 2: the alphabetically first wins.
        assert_eq!(
            closest("chwon", &["chmod", "chown"], true).as_deref(),
            Some("chmod")
        );
        assert_eq!(wrap("x".into(), "zzzzzz", &["a"], true), "x");
    }
}
