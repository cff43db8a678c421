//! BuildKit's AST dump (`Node.Dump()`), the format of its `result` test files.

use super::gotext::{quote_into, to_lower, trim_space};
use super::node::{Document, Node};

/// The dump of a whole document followed by a newline, byte-identical to
/// BuildKit's `testfiles/*/result`.
pub fn dump(doc: &Document) -> String {
    let mut out = String::new();
    for node in &doc.nodes {
        out.push('(');
        dump_node(&mut out, node);
        out.push_str(")\n");
    }
    let mut trimmed = trim_space(&out).to_string();
    trimmed.push('\n');
    trimmed
}

/// The dump of one node, without the surrounding parentheses. An `ONBUILD`
/// chain nests: `onbuild (onbuild (run "x"))`.
pub fn dump_node(out: &mut String, node: &Node) {
    let start = out.len();
    head(out, &node.keyword, &node.flags);
    for trigger in &node.triggers {
        out.push_str(" (");
        head(out, &trigger.keyword, &trigger.flags);
    }
    let last_args = node.triggers.last().map_or(&node.args, |t| &t.args);
    for value in last_args {
        out.push(' ');
        quote_into(out, value);
    }
    for _ in &node.triggers {
        out.push(')');
    }
    // Go trims the node's dump; only a leading keyword can be affected.
    let trimmed = trim_space(out.get(start..).unwrap_or_default()).to_string();
    out.truncate(start);
    out.push_str(&trimmed);
}

fn head(out: &mut String, keyword: &str, flags: &[String]) {
    out.push_str(&to_lower(keyword));
    if !flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            quote_into(out, flag);
        }
        out.push(']');
    }
}
