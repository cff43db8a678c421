//! Converting the whole corpus of 599 real Dockerfiles in one process:
//! parse, build the model, check whether the final stage is minimal,
//! detect the ecosystem, plan, render and re-parse the output (or refuse).
//!
//! `cargo bench --bench convert`; files per second go to BENCHMARKS.md.

mod support;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::convert::{ConvertOptions, convert_text};

fn convert_corpus(c: &mut Criterion) {
    let files = support::corpus();
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
