//! Times the whole analysis of every file in a directory up to a size and
//! prints the slowest: the bound behind the service's inline analyses.
//!
//! `cargo run --release --example slowest -- DIR [MAX_BYTES]`

use std::time::{Duration, Instant};

use restage::report::{AnalysisOptions, analyze};

#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().ok_or("usage: slowest DIR [MAX_BYTES]")?;
    let max: usize = args.get(1).map_or(Ok(8192), |s| s.parse())?;
    let options = AnalysisOptions::default();
    // The tables every analysis reads, loaded first (as the service does at
    // start) so that the first file does not carry them.
    let start = Instant::now();
    restage::report::load_tables();
    println!(
        "tables loaded in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut times: Vec<(Duration, usize, String)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let bytes = std::fs::read(&path)?;
        if bytes.len() > max {
            continue;
        }
        let start = Instant::now();
        let _ = analyze(&bytes, &options);
        times.push((start.elapsed(), bytes.len(), path.display().to_string()));
    }
    times.sort();
    let total: Duration = times.iter().map(|t| t.0).sum();
    println!(
        "{} files up to {max} bytes, {:.1} µs mean",
        times.len(),
        total.as_secs_f64() * 1e6 / times.len().max(1) as f64
    );
    for (time, len, path) in times.iter().rev().take(8) {
        println!("{:>10.2} ms {len:>6} B {path}", time.as_secs_f64() * 1e3);
    }
    Ok(())
}
