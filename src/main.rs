//! The `restage` command line.

mod cli;

/// mimalloc: much faster than the system allocator for the parser's many
/// small allocations, and than musl's in the static build (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    quiet_shell_parser_panics();
    cli::run()
}

/// brush-parser, the shell parser, still panics on some malformed scripts
/// (an `unwrap` at the end of an unterminated `$(`); restage catches that
/// and reads such a script with its fallback splitter, so the panic's
/// message on stderr is noise that looks like a crash. Every other panic
/// is reported as usual.
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
