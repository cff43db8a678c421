//! The `restage` command line.

mod cli;

/// mimalloc: much faster than the system allocator for the parser's many
/// small allocations, and than musl's in the static build (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
