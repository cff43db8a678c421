//! Parsing throughput over the whole corpus of 599 real Dockerfiles.
//!
//! `cargo bench --bench parse`; the MB/s figure goes to BENCHMARKS.md.
//! The benchmark uses the allocator the `restage` binary ships with
//! (mimalloc); build with `RUSTFLAGS="--cfg restage_system_alloc"` to
//! measure the system allocator instead.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::dockerfile;

#[cfg(not(restage_system_alloc))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<String> {
    let dir = Path::new("../shared/corpus/files");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .collect()
}

fn parse_corpus(c: &mut Criterion) {
    let files = corpus();
    assert!(
        !files.is_empty(),
        "../shared/corpus/files must be beside the checkout"
    );
    let bytes: usize = files.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(30);
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for file in &files {
                let _ = black_box(dockerfile::parse(black_box(file)));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, parse_corpus);
criterion_main!(benches);
