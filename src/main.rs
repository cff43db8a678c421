//! The `restage` command line.

mod cli;

/// mimalloc, through `restage::allocator`: much faster than the system
/// allocator for the parser's many small allocations, and than musl's in
/// the static build (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: restage::allocator::Mimalloc = restage::allocator::Mimalloc;

/// The static musl build takes `memcpy`, `memmove`, `memcmp` and `bcmp`
/// from restage-fastmem rather than from musl (BENCHMARKS.md, "musl's
/// memcpy").
#[cfg(all(target_arch = "x86_64", target_env = "musl"))]
use restage_fastmem as _;

fn main() -> std::process::ExitCode {
    quiet_shell_parser_panics();
    cli::run()
}

/// brush-parser, the shell parser, panics on some malformed scripts (the
/// shapes found so far, unterminated `$(` and `${` beside a here-document
/// and a `$(` closed on a here-document's first line, are kept from it by
/// the shell guard); restage catches such a panic and
/// reads the script with its fallback splitter, so its message on stderr
/// would be noise that looks like a crash. Every other panic is reported
/// as usual.
fn quiet_shell_parser_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info
            .location()
            .is_some_and(|at| at.file().contains("/brush-parser-"))
        {
            return;
        }
        report(info);
    }));
}
