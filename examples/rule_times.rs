//! Where a lint's time goes, by phase and by rule: parses, models and
//! lints one file in loops and prints the time of each phase and of each
//! rule inside one lint (the rules share one context, as in `lint`, so a
//! result worked out once for several rules counts for the first that
//! asks).
//!
//! `cargo build --profile profiling --example rule_times`, then
//! `target/profiling/examples/rule_times FILE [ROUNDS, default 20000] [TOP, default 30]`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use restage::lint::{LintConfig, LintContext, registry};
use restage::model::Model;

#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

/// Microseconds per round.
fn per_round(elapsed: Duration, rounds: usize) -> f64 {
    elapsed.as_secs_f64() * 1e6 / rounds.max(1) as f64
}

/// The time of `rounds` runs of `f`, per run.
fn time(rounds: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        f();
    }
    per_round(start.elapsed(), rounds)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: rule_times FILE [ROUNDS] [TOP]")?;
    let rounds: usize = args.get(1).map_or(Ok(20_000), |s| s.parse())?;
    let top: usize = args.get(2).map_or(Ok(30), |s| s.parse())?;
    let text = std::fs::read_to_string(path)?;
    let doc = restage::dockerfile::parse(&text)?;
    let model = Model::build(&doc);
    let config = LintConfig::default();

    let parse = time(rounds, || {
        black_box(restage::dockerfile::parse(&text).ok());
    });
    let build = time(rounds, || {
        black_box(Model::build(&doc));
    });
    let lint = time(rounds, || {
        black_box(restage::lint::lint(&model, &config));
    });
    println!("parse {parse:.2} µs, model {build:.2} µs, rules {lint:.2} µs");

    let rules: Vec<_> = registry::all().collect();
    let mut spent = vec![Duration::ZERO; rules.len()];
    let mut out = Vec::new();
    for _ in 0..rounds {
        let cx = LintContext::new(&model, &config);
        for (rule, spent) in rules.iter().zip(spent.iter_mut()) {
            let start = Instant::now();
            out.clear();
            cx.check(*rule, &mut out);
            black_box(&out);
            *spent += start.elapsed();
        }
    }
    let mut by_rule: Vec<(f64, &str)> = rules
        .iter()
        .zip(&spent)
        .map(|(rule, spent)| (per_round(*spent, rounds), rule.meta().code))
        .collect();
    by_rule.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = by_rule.iter().map(|(t, _)| t).sum();
    println!(
        "{} rules, {total:.2} µs in all, timed one by one:",
        by_rule.len()
    );
    for (t, code) in by_rule.iter().take(top) {
        println!("{code:8} {t:.3} µs");
    }
    Ok(())
}
