//! Size estimation throughput over the whole corpus of 599 real Dockerfiles.
//!
//! `cargo bench --bench size`; the files/s figure goes to BENCHMARKS.md.
//! Two measurements: the whole pipeline from text (parse, model, estimate)
//! and the estimate alone on models built beforehand.

mod support;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::dockerfile;
use restage::model::Model;
use restage::size::{SizeOptions, estimate, estimate_text};

fn size_corpus(c: &mut Criterion) {
    let files = support::corpus();
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
