//! Converting the whole corpus of 599 real Dockerfiles in one process:
//! parse, build the model, check whether the final stage is minimal,
//! detect the ecosystem, plan, render and re-parse the output (or refuse).
//!
//! `cargo bench --bench convert`; files per second go to BENCHMARKS.md.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::convert::{ConvertOptions, convert_text};

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

fn convert_corpus(c: &mut Criterion) {
    let files = corpus();
    assert!(
        !files.is_empty(),
        "../shared/corpus/files must be beside the checkout"
    );
    let options = ConvertOptions::default();
    let mut group = c.benchmark_group("convert");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.sample_size(20);
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for file in &files {
                let _ = black_box(convert_text(black_box(file), &options));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, convert_corpus);
criterion_main!(benches);
