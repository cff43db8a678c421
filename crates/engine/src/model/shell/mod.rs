//! Shell scripts of `RUN` instructions: parsing and simple commands.

mod command;
mod guard;
mod plain;
mod script;
mod words;

pub(crate) use command::Recognised;
pub use command::{Flag, RecognitionMemo, SimpleCommand};
pub use script::{Alternative, AlternativeKind, Script, ScriptKind, shell_c_script};
pub use words::{split_words, unquote};
