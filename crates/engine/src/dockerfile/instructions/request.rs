//! BuildKit's `parseRequest`: what every instruction parser reads from a node.

use std::borrow::Cow;

use super::InstructionError;
use super::flags::{FlagKind, Flags, parse_flags};
use crate::dockerfile::Node;

/// One node prepared for its instruction parser.
pub(crate) struct Request<'a> {
    /// The node.
    pub node: &'a Node,
    /// BuildKit's `nodeArgs`: the arguments; for `ONBUILD`, the trigger's
    /// keyword followed by its arguments (flattened through chains).
    /// Borrowed from the node unless it has triggers to flatten.
    pub args: Cow<'a, [String]>,
}

impl<'a> Request<'a> {
    /// Prepares `node`.
    pub fn new(node: &'a Node) -> Self {
        let args = if node.triggers.is_empty() {
            Cow::Borrowed(node.args.as_slice())
        } else {
            Cow::Owned(
                node.triggers
                    .iter()
                    .flat_map(|t| std::iter::once(t.keyword.clone()).chain(t.args.iter().cloned()))
                    .collect(),
            )
        };
        Self { node, args }
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> InstructionError {
        InstructionError::at(self.node, message)
    }

    /// An error about the value of flag `--name` (the keyword when the
    /// flag is not there).
    pub fn flag_error(&self, name: &str, message: impl Into<String>) -> InstructionError {
        let at = self
            .node
            .flag_value_location(name)
            .unwrap_or_else(|| self.node.keyword_location());
        InstructionError::located(self.node, at, message)
    }

    /// An error about argument `index` (the keyword when it cannot be
    /// found as written).
    pub fn arg_error(&self, index: usize, message: impl Into<String>) -> InstructionError {
        let at = self.node.arg_location(&self.args, index);
        InstructionError::located(self.node, at, message)
    }

    /// `<KW> requires at least one argument`.
    pub fn at_least_one(&self, keyword: &str) -> InstructionError {
        self.error(format!("{keyword} requires at least one argument"))
    }

    /// `<KW> requires exactly one argument`.
    pub fn exactly_one(&self, keyword: &str) -> InstructionError {
        self.error(format!("{keyword} requires exactly one argument"))
    }

    /// Checks the node's flags against `spec` (BuildKit's `flags.Parse()`).
    pub fn flags(&self, spec: &[(&'static str, FlagKind)]) -> Result<Flags, InstructionError> {
        parse_flags(&self.node.flags, spec)
            .map_err(|(i, m)| InstructionError::located(self.node, self.node.flag_location(i), m))
    }

    /// BuildKit's `handleJSONArgs`: exec form as is; shell form joined into
    /// one string.
    pub fn json_args(&self, args: &[String]) -> Vec<String> {
        if args.is_empty() {
            Vec::new()
        } else if self.node.json {
            args.to_vec()
        } else {
            vec![args.join(" ")]
        }
    }
}
