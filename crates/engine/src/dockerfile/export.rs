//! The JSON shape of a parse (`restage parse --format json`).

use serde::Serialize;

use super::node::{Document, Heredoc, Node};

/// A parsed document as JSON: the escape token, warnings and nodes.
#[derive(Debug, Serialize)]
pub struct DocumentJson<'a> {
    /// The escape token in effect.
    pub escape: String,
    /// BuildKit's warnings (empty continuation lines).
    pub warnings: Vec<&'a str>,
    /// One entry per instruction.
    pub nodes: Vec<NodeJson<'a>>,
}

/// One node as JSON, with the field names BuildKit's tooling uses.
#[derive(Debug, Serialize)]
pub struct NodeJson<'a> {
    /// Keyword as written.
    pub cmd: &'a str,
    /// For `ONBUILD`: the trigger's keyword as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_cmd: Option<&'a str>,
    /// For `ONBUILD`: the trigger's flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_flags: Option<&'a [String]>,
    /// Whether the arguments (the trigger's, for `ONBUILD`) are in JSON form.
    pub json: bool,
    /// The logical line.
    pub original: &'a str,
    /// First line (1-based).
    pub start_line: usize,
    /// Last line.
    pub end_line: usize,
    /// Flags of the instruction.
    pub flags: &'a [String],
    /// Arguments (the trigger's, for `ONBUILD`).
    pub value: &'a [String],
    /// Heredocs with their bodies.
    pub heredocs: &'a [Heredoc],
    /// Comment lines before the instruction.
    pub prev_comment: &'a [String],
}

impl<'a> NodeJson<'a> {
    /// The JSON view of `node`.
    pub fn new(node: &'a Node) -> Self {
        let effective = node.effective();
        let trigger = node.trigger();
        Self {
            cmd: &node.keyword,
            sub_cmd: trigger.map(|t| t.keyword.as_str()),
            sub_flags: trigger.map(|t| t.flags.as_slice()),
            json: effective.json,
            original: &node.original,
            start_line: node.start_line,
            end_line: node.end_line,
            flags: &node.flags,
            value: effective.args,
            heredocs: &node.heredocs,
            prev_comment: &node.prev_comment,
        }
    }
}

impl<'a> DocumentJson<'a> {
    /// The JSON view of `doc`.
    pub fn new(doc: &'a Document) -> Self {
        Self {
            escape: doc.escape.to_string(),
            warnings: doc.warnings.iter().map(|w| w.message.as_str()).collect(),
            nodes: doc.nodes.iter().map(NodeJson::new).collect(),
        }
    }
}
