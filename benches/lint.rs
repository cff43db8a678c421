//! Linting the whole corpus of 599 real Dockerfiles in one process:
//! parse, build the model, run every rule; on one core (`lint/corpus`) and
//! on every core (`lint/corpus-all-cores`, as `restage lint FILE...` does).
//!
//! `cargo bench --bench lint`; files per second go to BENCHMARKS.md.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::lint::{LintConfig, lint_text};

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

fn lint_corpus(c: &mut Criterion) {
    let files = corpus();
    assert!(
        !files.is_empty(),
        "../shared/corpus/files must be beside the checkout"
    );
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
