// DL1001 and DL3001–DL3030: module declarations and the list.
// (Included by mod.rs.)

/// Rules of part A.
const PART_A: &[&dyn Rule] = &[];
