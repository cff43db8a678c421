//! Conversion of every fixture under `tests/convert/` (snapshots), with
//! the invariants every conversion must keep.

mod support;

use std::path::Path;

use restage::convert::{ConvertOptions, Outcome, convert_text};

fn describe(
    name: &str,
    input: &str,
    outcome: &Result<Outcome, restage::convert::Refusal>,
) -> String {
    match outcome {
        Err(r) => format!("# {name}\n# refused: {r}\n\n--- input ---\n{input}"),
        Ok(o) => {
            let c = &o.conversion;
            let mut out = format!(
                "# {name}\n# ecosystem: {}  strategy: {}  confidence: {:?}{}\n\n{}",
                c.ecosystem.name(),
                c.strategy,
                c.confidence,
                if c.unchanged { "  (unchanged)" } else { "" },
                c.dockerfile
            );
            out.push_str("\n--- changes ---\n");
            for ch in &c.changes {
                out.push_str(&format!(
                    "{:?} {:?} -> {:?}: {}\n",
                    ch.kind, ch.source_lines, ch.output_lines, ch.summary
                ));
            }
            for a in &c.assumptions {
                out.push_str(&format!("assumption: {a}\n"));
            }
            for w in &c.warnings {
                out.push_str(&format!("warning: {w}\n"));
            }
            out
        }
    }
}

#[test]
fn fixtures_convert_as_snapshotted_and_keep_the_invariants() {
    let mut files = Vec::new();
    support::collect(Path::new("tests/convert"), &mut files);
    files.sort();
    assert!(files.len() >= 10, "fixtures are in tests/convert");
    for path in files {
        let input = std::fs::read_to_string(&path).expect("fixture");
        let name = path
            .strip_prefix("tests/convert")
            .unwrap_or(&path)
            .to_string_lossy()
            .trim_end_matches(".Dockerfile")
            .replace('/', "__");
        let outcome = convert_text(&input, &ConvertOptions::default());
        if let Ok(o) = &outcome {
            support::check_invariants(&name, &input, &o.conversion);
        }
        insta::assert_snapshot!(
            format!("convert__{name}"),
            describe(&name, &input, &outcome)
        );
    }
}
