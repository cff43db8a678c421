//! What every benchmark shares: the allocator the `restage` binary ships
//! with, and the corpus of 599 real Dockerfiles in a fixed order.

use std::fs;
use std::path::Path;

#[cfg(not(restage_system_alloc))]
#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

/// The corpus files' text, sorted by name; panics (in a benchmark) when
/// `../shared/corpus/files` is not beside the checkout.
pub fn corpus() -> Vec<String> {
    let dir = Path::new("../shared/corpus/files");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    let files: Vec<String> = paths
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect();
    assert!(
        !files.is_empty(),
        "../shared/corpus/files must be beside the checkout"
    );
    files
}
