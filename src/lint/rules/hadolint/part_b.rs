// DL3031–DL4006: module declarations and the list.
// (Included by mod.rs.)

/// Rules of part B.
const PART_B: &[&dyn Rule] = &[];
