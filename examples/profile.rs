//! A driver for `perf record`: runs one phase of the analysis in a loop,
//! over the corpus or one file, and prints the time per file.
//!
//! `cargo build --profile profiling --example profile`, then
//! `target/profiling/examples/profile parse|model|lint|report|json|stored [ROUNDS] [FILE]`
//! (`parse` the parser, `model` the parse and the model lint reads,
//! `report` is the whole analysis, `json` the analysis and its JSON,
//! `stored` the analysis and the masked JSON the store writes).

use restage::lint::{LintConfig, lint_text};
use restage::report::{AnalysisOptions, analyze};

#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let phase = args.first().map_or("lint", String::as_str);
    let rounds: usize = args.get(1).map_or(Ok(10), |s| s.parse())?;
    let files: Vec<String> = match args.get(2) {
        Some(file) => vec![std::fs::read_to_string(file)?],
        None => {
            let mut paths: Vec<_> = std::fs::read_dir("../shared/corpus/files")?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            paths.sort();
            paths
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        }
    };
    let config = LintConfig::default();
    let options = AnalysisOptions::default();
    let start = std::time::Instant::now();
    let mut sink = 0usize;
    for _ in 0..rounds {
        for file in &files {
            sink += match phase {
                "parse" => restage::dockerfile::parse(file).map_or(0, |d| d.nodes.len()),
                "model" => restage::dockerfile::parse(file)
                    .map_or(0, |d| restage::model::Model::build(&d).stages.len()),
                "lint" => lint_text(file, &config).len(),
                "report" => analyze(file.as_bytes(), &options).map_or(0, |r| r.findings.len()),
                "json" => match analyze(file.as_bytes(), &options) {
                    Ok(report) => serde_json::to_vec(&report)?.len(),
                    Err(_) => 0,
                },
                "stored" => match analyze(file.as_bytes(), &options) {
                    Ok(report) => restage::report::redact::redacted_json(&report)?.0.len(),
                    Err(_) => 0,
                },
                other => {
                    return Err(format!(
                        "unknown phase {other}: parse, model, lint, report, json or stored"
                    )
                    .into());
                }
            };
        }
    }
    let elapsed = start.elapsed();
    let n = rounds * files.len();
    println!(
        "{phase}: {n} files in {elapsed:?}, {:.1} µs per file ({sink})",
        elapsed.as_secs_f64() * 1e6 / n.max(1) as f64
    );
    Ok(())
}
