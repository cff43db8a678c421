//! Size estimation throughput over the whole corpus of 599 real Dockerfiles.
//!
//! `cargo bench --bench size`; the files/s figure goes to BENCHMARKS.md.
//! Two measurements: the whole pipeline from text (parse, model, estimate)
//! and the estimate alone on models built beforehand.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::dockerfile;
use restage::model::Model;
use restage::size::{SizeOptions, estimate, estimate_text};

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

fn size_corpus(c: &mut Criterion) {
    let files = corpus();
    assert!(
        !files.is_empty(),
        "../shared/corpus/files must be beside the checkout"
    );
    let options = SizeOptions::default();
    let mut group = c.benchmark_group("size");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.sample_size(20);
    group.bench_function("corpus-from-text", |b| {
        b.iter(|| {
            for file in &files {
                let _ = black_box(estimate_text(black_box(file), &options));
            }
        });
    });
    let docs: Vec<_> = files
        .iter()
        .filter_map(|f| dockerfile::parse(f).ok())
        .collect();
    let models: Vec<Model<'_>> = docs.iter().map(Model::build).collect();
    group.throughput(Throughput::Elements(models.len() as u64));
    group.bench_function("corpus-estimate-only", |b| {
        b.iter(|| {
            for model in &models {
                black_box(estimate(black_box(model), &options));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, size_corpus);
criterion_main!(benches);
