//! Helpers for the unit tests of this module.

use super::{CommandKind, InstructionError, Instructions, parse_instructions};
use crate::dockerfile;

/// Parses `text` through both layers; the node layer must accept it.
pub(crate) fn parse(text: &str) -> Result<Instructions, InstructionError> {
    let doc =
        dockerfile::parse(text).unwrap_or_else(|e| panic!("node layer rejects {text:?}: {e}"));
    parse_instructions(&doc)
}

/// The error for `text` as (message, reported line); panics if accepted.
pub(crate) fn error(text: &str) -> (String, usize) {
    match parse(text) {
        Ok(_) => panic!("accepted: {text:?}"),
        Err(e) => (e.message, e.start_line),
    }
}

/// The commands of the last stage; panics on an error.
pub(crate) fn commands(text: &str) -> Vec<CommandKind> {
    let parsed = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    parsed
        .stages
        .last()
        .map(|s| s.commands.iter().map(|c| c.kind.clone()).collect())
        .unwrap_or_default()
}

/// The one command of `FROM scratch\n<line>`.
pub(crate) fn only(line: &str) -> CommandKind {
    let text = format!("FROM scratch\n{line}");
    let mut all = commands(&text);
    assert_eq!(all.len(), 1, "{text:?}");
    all.remove(0)
}

/// Checks a table of `(instruction text after FROM, message)`: each error is
/// reported on line 2, where the instruction starts.
pub(crate) fn check_errors(table: &[(&str, &str)]) {
    for (line, want) in table {
        let text = format!("FROM scratch\n{line}");
        assert_eq!(error(&text), (want.to_string(), 2), "{text:?}");
    }
}
