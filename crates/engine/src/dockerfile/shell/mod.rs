//! BuildKit's shell-word lexer and variable expansion (`frontend/dockerfile/shell`).
//!
//! A port of BuildKit's `lex.go` at HEAD 73ed6825: quote removal, escape
//! handling with the Dockerfile escape token, `$name` / `${name...}`
//! expansion with the `- + ? # ## % %% / //` modifiers (and their `:`
//! forms where BuildKit supports them), optional word splitting, and the
//! raw modes used for heredoc detection. Error texts are BuildKit's.
//!
//! ```
//! use restage_engine::dockerfile::shell::Lexer;
//!
//! let env = [("VAR", "abc.tar.gz")];
//! let lex = Lexer::new('\\');
//! assert_eq!(lex.process_word("${VAR%%.*}-${VAR##*.}", &env).unwrap(), "abc-gz");
//! assert_eq!(lex.process_words("a 'b c' $VAR", &env).unwrap(), ["a", "b c", "abc.tar.gz"]);
//! ```

mod env;
mod error;
mod lex;
mod pattern;

#[cfg(test)]
mod tests;

pub use env::{EmptyEnv, Env};
pub use error::{ShellError, ShellErrorKind};
pub use lex::{Expansion, Lexer, MAX_EXPANSION_BYTES, MAX_NESTING};
