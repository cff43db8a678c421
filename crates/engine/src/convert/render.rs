//! Writing a plan as a Dockerfile: everything before the source stage
//! verbatim, then the planned stages, tracking output lines per change.

use super::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use super::types::{Change, ChangeKind};
use crate::dockerfile::source::UTF8_BOM;
use crate::dockerfile::{Document, Node, Span, TriviaKind};

/// The output text and the changes with their output lines.
pub struct Rendered {
    /// The Dockerfile.
    pub text: String,
    /// Changes in output order.
    pub changes: Vec<Change>,
}

struct Writer<'a> {
    doc: &'a Document,
    out: String,
    /// How many bytes of `out` `newlines` has counted.
    counted: usize,
    /// Newlines in `out[..counted]`.
    newlines: usize,
    changes: Vec<Change>,
    newline: &'static str,
}

impl Writer<'_> {
    /// The line the next write starts on (counting only what was written
    /// since the last call: a long output stays linear).
    fn line(&mut self) -> usize {
        let fresh = self.out.get(self.counted..).unwrap_or_default();
        self.newlines += memchr::memchr_iter(b'\n', fresh.as_bytes()).count();
        self.counted = self.out.len();
        self.newlines + 1
    }

    /// Writes text as whole lines; returns the output lines written.
    fn write(&mut self, text: &str) -> Vec<usize> {
        let first = self.line();
        let text = text.trim_end_matches(['\n', '\r']);
        for (i, l) in text.split('\n').enumerate() {
            if i > 0 {
                self.out.push_str(self.newline);
            }
            self.out.push_str(l.trim_end_matches('\r'));
        }
        self.out.push_str(self.newline);
        let last = self.line() - 1;
        (first..=last).collect()
    }

    /// Writes original bytes as they are, ending with a newline.
    fn write_raw(&mut self, text: &str) -> Vec<usize> {
        let first = self.line();
        self.out.push_str(text);
        if !text.ends_with('\n') {
            self.out.push_str(self.newline);
        }
        (first..self.line()).collect()
    }

    fn record(&mut self, spec: Option<&ChangeSpec>, lines: Vec<usize>) {
        if let Some(spec) = spec {
            self.changes.push(Change {
                kind: spec.kind,
                summary: spec.summary.clone(),
                reason: spec.reason.clone(),
                source_lines: spec.source_lines.clone(),
                output_lines: lines,
            });
        }
    }

    /// Comment lines above a node, up to the previous instruction (a
    /// comment block separated from the node by blank lines still
    /// describes it; the blank lines themselves are not kept).
    fn comments_above(&self, node: &Node) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        let mut expect_end = node.span.start;
        for t in self.doc.trivia.iter().rev() {
            if t.span.end > node.span.start {
                continue;
            }
            if t.span.end != expect_end {
                break;
            }
            match t.kind {
                TriviaKind::Comment => spans.push(t.span),
                TriviaKind::Blank => {}
                TriviaKind::Directive => break,
            }
            expect_end = t.span.start;
        }
        spans.reverse();
        spans
    }

    /// The text of an instruction of the input. The first one starts
    /// after the byte-order mark BuildKit strips from the file's first line,
    /// which must not land in front of a line in the middle of the output.
    fn node_text(&self, node: &Node) -> String {
        without_bom(node.text(&self.doc.source)).to_string()
    }

    /// The text of a comment of the input (without the byte-order mark,
    /// as [`Self::node_text`]).
    fn span_text(&self, span: Span) -> String {
        without_bom(span.text(&self.doc.source)).to_string()
    }

    fn stage(&mut self, stage: &StagePlan, source_from: Option<&Node>) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") && !self.out.ends_with("\r\n\r\n") {
            self.out.push_str(self.newline);
        }
        let from_text = match (&stage.from, source_from) {
            (StageFrom::Source, Some(node)) => {
                from_with_name(&self.node_text(node), node, None, &stage.name)
            }
            (StageFrom::SourceImage(image), Some(node)) => {
                from_with_name(&self.node_text(node), node, Some(image), &stage.name)
            }
            (StageFrom::Image { image, .. }, _) | (StageFrom::SourceImage(image), None) => {
                let platform = match &stage.from {
                    StageFrom::Image {
                        platform: Some(p), ..
                    } => format!("--platform={p} "),
                    _ => String::new(),
                };
                format!("FROM {platform}{image} AS {}", stage.name)
            }
            (StageFrom::Source, None) => format!("FROM scratch AS {}", stage.name),
        };
        let lines = self.write(&from_text);
        self.record(stage.from_change.as_ref(), lines);
        for item in &stage.items {
            match item {
                Item::Keep { node, change } => {
                    if let Some(n) = self.doc.nodes.get(*node) {
                        for span in self.comments_above(n) {
                            let text = self.span_text(span);
                            self.write_raw(&text);
                        }
                        let text = self.node_text(n);
                        let lines = self.write_raw(&text);
                        self.record(change.as_ref(), lines);
                    }
                }
                Item::Rewrite { node, text, change } => {
                    if let Some(n) = self.doc.nodes.get(*node) {
                        for span in self.comments_above(n) {
                            let t = self.span_text(span);
                            self.write_raw(&t);
                        }
                    }
                    let lines = self.write(text);
                    self.record(Some(change), lines);
                }
                Item::Add { text, change } => {
                    let lines = self.write(text);
                    self.record(Some(change), lines);
                }
                Item::Comment(text) => {
                    self.write(&format!("# {text}"));
                }
                Item::Blank => {
                    self.out.push_str(self.newline);
                }
            }
        }
    }
}

/// Text of the input without the byte-order mark it may start with.
fn without_bom(text: &str) -> &str {
    text.strip_prefix(UTF8_BOM).unwrap_or(text)
}

/// The `FROM` text with the stage named `name` (and the image replaced).
fn from_with_name(text: &str, node: &Node, image: Option<&str>, name: &str) -> String {
    let line = text.trim_end_matches(['\n', '\r']);
    let mut out = line.to_string();
    if let (Some(image), Some(old)) = (image, node.args.first())
        && let Some(pos) = out.find(old.as_str())
    {
        out.replace_range(pos..pos + old.len(), image);
    }
    match node.args.get(2) {
        Some(old_name) if node.args.len() == 3 => {
            if let Some(pos) = out.rfind(old_name.as_str()) {
                out.replace_range(pos..pos + old_name.len(), name);
            }
        }
        _ => {
            out.push_str(" AS ");
            out.push_str(name);
        }
    }
    out
}

/// Renders the plan for the stage at `source` (a stage index) of `doc`.
pub fn render(doc: &Document, source_from_node: usize, plan: &Plan) -> Rendered {
    let newline = if doc.source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut w = Writer {
        doc,
        out: String::with_capacity(doc.source.len() * 2),
        counted: 0,
        newlines: 0,
        changes: Vec::new(),
        newline,
    };
    let from = doc.nodes.get(source_from_node);
    let has_syntax = doc
        .directive(crate::dockerfile::DirectiveKind::Syntax)
        .is_some();
    if plan.needs_syntax && !has_syntax {
        let lines = w.write("# syntax=docker/dockerfile:1");
        w.record(
            Some(&ChangeSpec::new(
                ChangeKind::Syntax,
                "Added the `# syntax=docker/dockerfile:1` directive",
                syntax_reason(plan),
                Vec::new(),
            )),
            lines,
        );
    }
    // Everything before the source stage's FROM, as it was (directives,
    // comments, global ARGs, earlier stages); comments right above the FROM
    // stay with it.
    let preamble_end = from.map_or(0, |n| n.span.start);
    let preamble = doc.source.get(..preamble_end).unwrap_or_default();
    let preamble = without_bom(preamble);
    w.out.push_str(preamble);
    for stage in &plan.stages {
        w.stage(stage, from);
    }
    // Comments after the last instruction stay at the end.
    let last_end = doc.nodes.last().map_or(0, |n| n.span.end);
    let tail = doc.source.get(last_end..).unwrap_or_default();
    if tail.trim().starts_with('#') {
        if !w.out.ends_with("\n\n") {
            w.out.push_str(newline);
        }
        w.out.push_str(tail.trim_start_matches(['\n', '\r']));
    }
    let mut changes = w.changes;
    for note in &plan.notes {
        changes.push(Change {
            kind: note.kind,
            summary: note.summary.clone(),
            reason: note.reason.clone(),
            source_lines: note.source_lines.clone(),
            output_lines: Vec::new(),
        });
    }
    Rendered {
        text: w.out,
        changes,
    }
}

/// Why the plan needs the `# syntax` directive, from what its new lines
/// use: cache or secret mounts (`RUN --mount=`), heredocs (`COPY <<EOF`).
fn syntax_reason(plan: &Plan) -> &'static str {
    let texts = || {
        plan.stages
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|item| match item {
                Item::Add { text, .. } | Item::Rewrite { text, .. } => Some(text.as_str()),
                _ => None,
            })
    };
    let mounts = texts().any(|t| t.contains("--mount="));
    let heredocs = texts().any(|t| t.lines().next().is_some_and(|l| l.contains("<<")));
    match (mounts, heredocs) {
        (true, true) => {
            "Mounts (`RUN --mount=…`) and heredocs (`COPY <<EOF`) need the Dockerfile 1.4+ frontend"
        }
        (false, true) => "Heredocs (`COPY <<EOF`) need the Dockerfile 1.4+ frontend",
        _ => "Cache mounts (`RUN --mount=type=cache`) need the Dockerfile 1.2+ frontend",
    }
}
