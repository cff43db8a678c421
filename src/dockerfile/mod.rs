//! Dockerfile parsing, exactly as BuildKit does it, in BuildKit's three layers:
//! nodes (this module's [`parse`]), typed instructions ([`instructions`]) and
//! shell-word expansion ([`shell`]).

pub mod gotext;
pub mod shell;
