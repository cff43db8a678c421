//! The registry: every rule restage has.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::rule::{Rule, RuleMeta};
use super::rules::{buildkit, hadolint, restage};

/// The rules in registry order, collected once.
static ALL: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    hadolint::rules()
        .chain(buildkit::rules())
        .chain(restage::rules())
        .collect()
});

/// Every rule, hadolint's first, then BuildKit's, then restage's own.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    ALL.iter().copied()
}

/// Every rule's position in [`all`] by name, and by code and alias in
/// upper case (the registry's test keeps all three unique).
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index::default();
    for (position, rule) in all().enumerate() {
        let meta = rule.meta();
        index.names.insert(meta.name, position);
        for code in std::iter::once(meta.code).chain(meta.aliases.iter().copied()) {
            index.codes.insert(code.to_ascii_uppercase(), position);
        }
    }
    index
});

#[derive(Default)]
struct Index {
    names: HashMap<&'static str, usize>,
    codes: HashMap<String, usize>,
}

/// The position in [`all`] of the rule a code, alias or name selects (as
/// [`RuleMeta::matches`]).
pub fn position(name: &str) -> Option<usize> {
    // Codes as written (`DL3002`, what rules ask for) need no upper-casing.
    INDEX
        .codes
        .get(name)
        .or_else(|| INDEX.names.get(name))
        .or_else(|| INDEX.codes.get(&name.to_ascii_uppercase()))
        .copied()
}

/// The rule a code, alias or name selects (as [`RuleMeta::matches`]).
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    position(name).and_then(|i| ALL.get(i).copied())
}

/// The metadata of every rule.
pub fn catalogue() -> Vec<&'static RuleMeta> {
    all().map(|r| r.meta()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_names_and_aliases_are_unique_and_documented() {
        let mut seen = HashSet::new();
        for meta in catalogue() {
            for key in std::iter::once(meta.code)
                .chain(std::iter::once(meta.name))
                .chain(meta.aliases.iter().copied())
            {
                assert!(seen.insert(key.to_ascii_lowercase()), "{key} is used twice");
            }
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                meta.name
            );
            assert!(
                !meta.title.is_empty() && !meta.doc.is_empty(),
                "{} needs a title and a doc",
                meta.code
            );
            assert!(
                !meta.bad.is_empty() && !meta.good.is_empty(),
                "{} needs examples",
                meta.code
            );
        }
    }

    #[test]
    fn find_selects_as_matches_does() {
        for meta in catalogue() {
            let keys = std::iter::once(meta.code)
                .chain(meta.aliases.iter().copied())
                .flat_map(|k| [k.to_string(), k.to_ascii_lowercase()])
                .chain(std::iter::once(meta.name.to_string()));
            for key in keys {
                assert!(meta.matches(&key));
                assert_eq!(find(&key).map(|r| r.meta().code), Some(meta.code), "{key}");
                let at = position(&key).and_then(|i| all().nth(i));
                assert_eq!(at.map(|r| r.meta().code), Some(meta.code), "{key}");
            }
        }
        for unknown in ["", "DL9999", "Apt-Pin-Versions", "dl3008 "] {
            assert!(all().all(|r| !r.meta().matches(unknown)), "{unknown}");
            assert!(find(unknown).is_none(), "{unknown}");
            assert!(position(unknown).is_none(), "{unknown}");
        }
    }

    #[test]
    fn every_rule_s_bad_example_triggers_it_and_its_good_example_does_not() {
        use crate::lint::testing::diagnostics;
        let mut failures = Vec::new();
        for rule in all() {
            let meta = rule.meta();
            if diagnostics(rule, meta.bad).is_empty() {
                failures.push(format!("{}: the bad example reports nothing", meta.code));
            }
            let good = diagnostics(rule, meta.good);
            if !good.is_empty() {
                failures.push(format!(
                    "{}: the good example reports {:?}",
                    meta.code, good
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
