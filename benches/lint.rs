//! Linting the whole corpus of 599 real Dockerfiles in one process:
//! parse, build the model, run every rule; on one core (`lint/corpus`) and
//! on every core (`lint/corpus-all-cores`, as `restage lint FILE...` does).
//!
//! `cargo bench --bench lint`; files per second go to BENCHMARKS.md.

mod support;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::lint::{LintConfig, lint_text};

fn lint_corpus(c: &mut Criterion) {
    let files = support::corpus();
    let config = LintConfig::default();
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.sample_size(20);
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for file in &files {
                black_box(lint_text(black_box(file), &config));
            }
        });
    });
    // The whole corpus in one process on every core, as `restage lint
    // FILE...` runs it.
    group.bench_function("corpus-all-cores", |b| {
        b.iter(|| {
            black_box(restage::parallel::map_ordered(&files, |file| {
                lint_text(black_box(file), &config)
            }))
        });
    });
    group.finish();
}

criterion_group!(benches, lint_corpus);
criterion_main!(benches);
