//! The buildkit rule set, one file each.

use crate::lint::rule::Rule;

/// Every rule of this set, in code order.
pub fn rules() -> impl Iterator<Item = &'static dyn Rule> {
    RULES.iter().copied()
}

const RULES: &[&dyn Rule] = &[];
