//! Dockerfile parsing, exactly as BuildKit does it, in BuildKit's three layers:
//! nodes, typed instructions and shell-word expansion ([`shell`]).

pub mod gotext;
pub mod shell;
