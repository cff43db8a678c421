//! Parsing throughput over the whole corpus of 599 real Dockerfiles.
//!
//! `cargo bench --bench parse`; the MB/s figure goes to BENCHMARKS.md.
//! The benchmark uses the allocator the `restage` binary ships with
//! (mimalloc); build with `RUSTFLAGS="--cfg restage_system_alloc"` to
//! measure the system allocator instead.

mod support;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use restage::dockerfile;

fn parse_corpus(c: &mut Criterion) {
    let files = support::corpus();
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
