//! What restage knows about packages and images, kept as data files in
//! `data/` (each with its sources) and read once.

pub mod packages;
