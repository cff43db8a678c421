//! hadolint's DL rules, one file each. Two files list them, so that two
//! people can add rules at once: `part_a.rs` (DL1001, DL3001–DL3030) and
//! `part_b.rs` (DL3031–DL4006).

use crate::lint::rule::Rule;

pub mod dl1000;
pub mod dl3000;

include!("part_a.rs");
include!("part_b.rs");

pub(crate) use shared_b::Memo;

/// The rules written before the parts were split.
const CORE: &[&dyn Rule] = &[&dl1000::Dl1000, &dl3000::Dl3000];

/// Every rule of this set, in code order.
pub fn rules() -> impl Iterator<Item = &'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> =
        CORE.iter().chain(PART_A).chain(PART_B).copied().collect();
    all.sort_by_key(|r| r.meta().code);
    all.into_iter()
}
