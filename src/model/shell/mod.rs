//! Shell scripts of `RUN` instructions: parsing and simple commands.

mod command;
mod script;
mod words;

pub use command::{Flag, RecognitionMemo, SimpleCommand};
pub(crate) use command::Recognised;
pub use script::{Script, ScriptKind, shell_c_script};
pub use words::{split_words, unquote};
