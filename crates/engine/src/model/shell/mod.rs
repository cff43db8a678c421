//! Shell scripts of `RUN` instructions: parsing and simple commands.

mod command;
mod guard;
mod plain;
mod script;
mod words;

pub(crate) use command::Recognised;
pub use command::{Flag, RecognitionMemo, SimpleCommand};
pub use script::{Alternative, AlternativeKind, Script, ScriptKind, shell_c_script};
pub use words::{plain_command_words, shell_form_words, shell_only, split_words, unquote};
