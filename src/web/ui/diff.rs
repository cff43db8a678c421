//! The original and the converted Dockerfile side by side, line by line,
//! from the `similar` crate's diff (with a deadline, so no input can make
//! it slow).

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

/// How long the diff may take before it settles for a coarser answer.
const DEADLINE: Duration = Duration::from_millis(250);

/// One side of a row: the line number (1-based) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The line number in its file.
    pub number: usize,
    /// The line's text, without its line break.
    pub text: String,
}

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `equal`, `delete`, `insert` or `replace` (a CSS class).
    pub tag: &'static str,
    /// The original line, when the row has one.
    pub old: Option<Cell>,
    /// The converted line, when the row has one.
    pub new: Option<Cell>,
}

/// What the diff found, for the summary above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Lines only in the original (removed or moved away).
    pub removed: usize,
    /// Lines only in the conversion.
    pub added: usize,
}

fn cell(lines: &[&str], index: usize) -> Option<Cell> {
    lines.get(index).map(|text| Cell {
        number: index + 1,
        text: (*text).to_string(),
    })
}

/// The side-by-side rows of `old` against `new`.
pub fn side_by_side(old: &str, new: &str) -> (Vec<Row>, Stats) {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let deadline = Instant::now() + DEADLINE;
    let ops =
        capture_diff_slices_deadline(Algorithm::Patience, &old_lines, &new_lines, Some(deadline));
    let mut rows = Vec::with_capacity(old_lines.len().max(new_lines.len()));
    let mut stats = Stats::default();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (o, n) in old_range.zip(new_range) {
                    rows.push(Row {
                        tag: "equal",
                        old: cell(&old_lines, o),
                        new: cell(&new_lines, n),
                    });
                }
            }
            DiffTag::Delete => {
                stats.removed += old_range.len();
                rows.extend(old_range.map(|o| Row {
                    tag: "delete",
                    old: cell(&old_lines, o),
                    new: None,
                }));
            }
            DiffTag::Insert => {
                stats.added += new_range.len();
                rows.extend(new_range.map(|n| Row {
                    tag: "insert",
                    old: None,
                    new: cell(&new_lines, n),
                }));
            }
            DiffTag::Replace => {
                stats.removed += old_range.len();
                stats.added += new_range.len();
                let len = old_range.len().max(new_range.len());
                for i in 0..len {
                    let o = (i < old_range.len()).then(|| old_range.start + i);
                    let n = (i < new_range.len()).then(|| new_range.start + i);
                    rows.push(Row {
                        tag: "replace",
                        old: o.and_then(|o| cell(&old_lines, o)),
                        new: n.and_then(|n| cell(&new_lines, n)),
                    });
                }
            }
        }
    }
    (rows, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(rows: &[Row]) -> Vec<(&'static str, Option<usize>, Option<usize>)> {
        rows.iter()
            .map(|r| {
                (
                    r.tag,
                    r.old.as_ref().map(|c| c.number),
                    r.new.as_ref().map(|c| c.number),
                )
            })
            .collect()
    }

    #[test]
    fn rows_pair_equal_lines_and_show_what_moved() {
        let old = "FROM python:3.12\nCOPY . .\nCMD [\"app\"]\n";
        let new = "FROM python:3.12 AS builder\nCOPY . .\n\nFROM python:3.12-slim\nCMD [\"app\"]\n";
        let (rows, stats) = side_by_side(old, new);
        assert_eq!(
            shape(&rows),
            vec![
                ("replace", Some(1), Some(1)),
                ("equal", Some(2), Some(2)),
                ("insert", None, Some(3)),
                ("insert", None, Some(4)),
                ("equal", Some(3), Some(5)),
            ]
        );
        assert_eq!(
            stats,
            Stats {
                removed: 1,
                added: 3
            }
        );
    }

    #[test]
    fn identical_and_empty_texts() {
        let (rows, stats) = side_by_side("A\nB\n", "A\nB\n");
        assert_eq!(
            shape(&rows),
            vec![("equal", Some(1), Some(1)), ("equal", Some(2), Some(2))]
        );
        assert_eq!(stats, Stats::default());
        let (rows, stats) = side_by_side("", "A\n");
        assert_eq!(shape(&rows), vec![("insert", None, Some(1))]);
        assert_eq!(stats.added, 1);
    }

    #[test]
    fn a_longer_replacement_fills_one_side() {
        let (rows, _) = side_by_side("x\n", "y\nz\n");
        assert_eq!(
            shape(&rows),
            vec![("replace", Some(1), Some(1)), ("replace", None, Some(2))]
        );
    }
}
