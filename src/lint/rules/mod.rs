//! Every rule, one file each, grouped by the set it comes from.

pub mod buildkit;
pub mod hadolint;
pub mod restage;
