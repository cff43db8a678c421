//! 599 real Dockerfiles against BuildKit's own parse of each
//! (`../shared/corpus/expected.jsonl`).

use std::fs;
use std::path::Path;

use restage::dockerfile::{self, Document, Node, dump::dump};
use serde_json::Value;

const CORPUS: &str = "../shared/corpus";

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Differences between one node and BuildKit's record of it.
fn compare_node(node: &Node, want: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut check = |what: &str, ok: bool, got: String, want: String| {
        if !ok {
            diffs.push(format!("{what}: got {got} want {want}"));
        }
    };
    let view = dockerfile::export::NodeJson::new(node);
    let cmd = want["cmd"].as_str().unwrap_or_default();
    check(
        "cmd",
        view.cmd.eq_ignore_ascii_case(cmd),
        view.cmd.into(),
        cmd.into(),
    );
    let sub = want["sub_cmd"].as_str();
    check(
        "sub_cmd",
        view.sub_cmd.map(str::to_ascii_uppercase) == sub.map(str::to_ascii_uppercase),
        format!("{:?}", view.sub_cmd),
        format!("{sub:?}"),
    );
    if let Some(sub_flags) = want.get("sub_flags") {
        let got = view.sub_flags.map(<[String]>::to_vec).unwrap_or_default();
        check(
            "sub_flags",
            got == strings(sub_flags),
            format!("{got:?}"),
            sub_flags.to_string(),
        );
    }
    let json = want["json"].as_bool().unwrap_or_default();
    check(
        "json",
        view.json == json,
        view.json.to_string(),
        json.to_string(),
    );
    let original = want["original"].as_str().unwrap_or_default();
    check(
        "original",
        view.original == original,
        format!("{:?}", view.original),
        format!("{original:?}"),
    );
    for (what, got, key) in [
        ("start_line", view.start_line, "start_line"),
        ("end_line", view.end_line, "end_line"),
    ] {
        let w = want[key].as_u64().unwrap_or_default() as usize;
        check(what, got == w, got.to_string(), w.to_string());
    }
    check(
        "flags",
        view.flags == strings(&want["flags"]).as_slice(),
        format!("{:?}", view.flags),
        want["flags"].to_string(),
    );
    check(
        "value",
        view.value == strings(&want["value"]).as_slice(),
        format!("{:?}", view.value),
        want["value"].to_string(),
    );
    let got_docs = serde_json::to_value(view.heredocs).unwrap_or_default();
    let want_docs = want
        .get("heredocs")
        .cloned()
        .unwrap_or(Value::Array(vec![]));
    check(
        "heredocs",
        got_docs == want_docs,
        got_docs.to_string(),
        want_docs.to_string(),
    );
    let want_comments = want.get("prev_comment").map(strings).unwrap_or_default();
    check(
        "prev_comment",
        view.prev_comment == want_comments.as_slice(),
        format!("{:?}", view.prev_comment),
        format!("{want_comments:?}"),
    );
    diffs
}

fn compare_document(doc: &Document, want: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let nodes = want["nodes"].as_array().cloned().unwrap_or_default();
    if doc.nodes.len() != nodes.len() {
        diffs.push(format!("{} nodes, want {}", doc.nodes.len(), nodes.len()));
    }
    for (i, (node, w)) in doc.nodes.iter().zip(&nodes).enumerate() {
        for d in compare_node(node, w) {
            diffs.push(format!("node {i} (line {}): {d}", node.start_line));
        }
    }
    let escape = want["escape"].as_str().unwrap_or_default();
    if doc.escape.to_string() != escape {
        diffs.push(format!("escape {:?}, want {escape:?}", doc.escape));
    }
    let warnings: Vec<_> = doc.warnings.iter().map(|w| w.message.clone()).collect();
    let want_warnings = want.get("warnings").map(strings).unwrap_or_default();
    if warnings != want_warnings {
        diffs.push(format!("warnings {warnings:?}, want {want_warnings:?}"));
    }
    let want_dump = want["dump"].as_str().unwrap_or_default();
    let got_dump = dump(doc);
    if got_dump.trim_end() != want_dump.trim_end() {
        diffs.push(format!(
            "dump differs:\n--- want\n{want_dump}\n--- got\n{got_dump}"
        ));
    }
    diffs
}

#[test]
fn every_corpus_file_parses_as_buildkit_parses_it() {
    let expected = fs::read_to_string(Path::new(CORPUS).join("expected.jsonl"))
        .expect("expected.jsonl beside the checkout");
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for line in expected.lines() {
        let want: Value = serde_json::from_str(line).expect("valid JSONL");
        let file = want["file"].as_str().unwrap_or_default().to_string();
        let bytes = fs::read(Path::new(CORPUS).join("files").join(&file)).expect("corpus file");
        let result = dockerfile::parse_bytes(&bytes, &Default::default());
        match (want["ok"].as_bool().unwrap_or_default(), result) {
            (true, Ok(doc)) => {
                accepted += 1;
                for d in compare_document(&doc, &want) {
                    failures.push(format!("{file}: {d}"));
                }
                if doc.print().as_bytes() != bytes.as_slice() {
                    failures.push(format!(
                        "{file}: printing the nodes back does not give the input"
                    ));
                }
            }
            (true, Err(err)) => failures.push(format!("{file}: rejected: {err}")),
            (false, Ok(_)) => failures.push(format!(
                "{file}: accepted, BuildKit rejects it: {}",
                want["error"]
            )),
            (false, Err(err)) => {
                rejected += 1;
                let message = want["error"].as_str().unwrap_or_default();
                if err.to_string() != message {
                    failures.push(format!("{file}: error {err:?}, want {message:?}"));
                }
                let line = want["error_lines"][0][0].as_u64().unwrap_or_default() as usize;
                if err.line() != line {
                    failures.push(format!("{file}: error at line {}, want {line}", err.line()));
                }
            }
        }
    }
    assert_eq!(
        (accepted, rejected),
        (598, 1),
        "corpus size; failures:\n{}",
        failures.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
