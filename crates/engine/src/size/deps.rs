//! Language dependency sets sized from the package tables, with the
//! manifest's real dependency list when there is one, and a per-package
//! average (a heuristic with a range) for packages the tables lack.

use std::collections::BTreeSet;

use super::heuristics::H;
use super::manifests::{Dependency, Manifest};
use super::packages::{PackageRow, Table, pip_name};
use super::types::{Basis, MB, Range};

/// A sized set of dependencies.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct DepSize {
    /// Installed size.
    pub disk: Range,
    /// Download size (wheels, tarballs, zips): what a cache of them holds.
    pub download: Range,
    /// Where the figures come from.
    pub basis: Vec<Basis>,
    /// Packages sized from the table.
    pub known: Vec<String>,
    /// Packages sized with the average.
    pub unknown: Vec<String>,
}

impl DepSize {
    /// A short description: `numpy, pandas (+3 others at the average size)`.
    pub fn summary(&self) -> String {
        let mut known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        let more = known.len().saturating_sub(6);
        known.truncate(6);
        let mut s = known.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        if !self.unknown.is_empty() {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!(
                "{} not in the table, at the average size",
                self.unknown.len()
            ));
        }
        s
    }

    fn push_basis(&mut self, b: Basis) {
        if !self.basis.iter().any(|x| x.name == b.name) {
            self.basis.push(b);
        }
    }
}

/// The rows for `names` and everything they require, each once.
fn closure(table: Table, names: &[String]) -> (Vec<&'static PackageRow>, Vec<String>) {
    let mut rows: Vec<&'static PackageRow> = Vec::new();
    let mut unknown = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = names.iter().rev().cloned().collect();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        match table.get(&n) {
            Some(row) => {
                if rows.iter().any(|r| std::ptr::eq(*r, row)) {
                    continue;
                }
                stack.extend(row.requires.iter().rev().cloned());
                rows.push(row);
            }
            None => unknown.push(n),
        }
    }
    (rows, unknown)
}

/// pip packages (names or specs), extras expanded, torch's CPU build when
/// the index says so, packages already installed left out.
pub(super) fn pip(
    deps: &[Dependency],
    locked: bool,
    cpu_torch: bool,
    have: &BTreeSet<String>,
) -> DepSize {
    let mut names: Vec<String> = Vec::new();
    for d in deps {
        let mut name = pip_name(&d.name);
        let local_cpu = d.version.as_deref().is_some_and(|v| v.contains("+cpu"));
        if name == "torch" && (cpu_torch || local_cpu) {
            name = "torch-cpu".into();
        }
        if let Some(row) = Table::Pip.get(&name) {
            for extra in &d.extras {
                if let Some(more) = row.extras.get(extra) {
                    names.extend(more.iter().cloned());
                }
            }
        }
        names.push(name);
    }
    names.retain(|n| !have.contains(n));
    let (rows, unknown) = closure(Table::Pip, &names);
    let mut out = DepSize::default();
    for row in rows {
        if have.contains(&row.name) {
            continue;
        }
        let disk = row.disk();
        out.disk += disk;
        out.download += match row.download_mb {
            Some(d) => Range::around(d * MB, row.trust.spread()),
            None => H::PipCache.get().of(disk),
        };
        out.known.push(row.name.clone());
        out.push_basis(row.basis("pip"));
    }
    let avg = if locked {
        H::PipLockedUnknown
    } else {
        H::PipDirectUnknown
    };
    for n in unknown {
        let disk = avg.disk();
        out.disk += disk;
        out.download += H::PipCache.get().of(disk);
        out.unknown.push(n);
    }
    if !out.unknown.is_empty() {
        out.push_basis(avg.get().basis());
    }
    out
}

/// npm packages: the sum of the measured closures, less what they share
/// (`npm-overlap`), with the average for packages the table lacks.
pub(super) fn npm(deps: &[&Dependency]) -> DepSize {
    let mut out = DepSize::default();
    let mut parts: Vec<Range> = Vec::new();
    for d in deps {
        match Table::Npm.get(&d.name) {
            Some(row) => {
                parts.push(row.disk());
                out.known.push(row.name.clone());
                out.push_basis(row.basis("npm"));
            }
            None => {
                let h = if d.dev {
                    H::NpmDevUnknown
                } else {
                    H::NpmDirectUnknown
                };
                parts.push(h.disk());
                out.unknown.push(d.name.clone());
                out.push_basis(h.get().basis());
            }
        }
    }
    out.disk = overlap(&parts);
    if parts.len() > 1 {
        out.push_basis(H::NpmOverlap.get().basis());
    }
    out.download = H::NpmCache.get().of(out.disk);
    out
}

/// Sizes that share part of their content: the largest counts fully, the
/// rest at the `npm-overlap` fraction.
fn overlap(parts: &[Range]) -> Range {
    let Some(max) = parts.iter().max_by_key(|r| r.estimate_bytes).copied() else {
        return Range::ZERO;
    };
    let total: Range = parts.iter().copied().sum();
    let rest = Range::new(
        total.low_bytes.saturating_sub(max.low_bytes) as f64,
        total.estimate_bytes.saturating_sub(max.estimate_bytes) as f64,
        total.high_bytes.saturating_sub(max.high_bytes) as f64,
    );
    max + H::NpmOverlap.get().of(rest)
}

/// Any other table: the rows of `names` with what they require, the
/// average for the rest.
pub(super) fn table(
    table: Table,
    names: &[String],
    average: H,
    have: &BTreeSet<String>,
) -> DepSize {
    let names: Vec<String> = names
        .iter()
        .filter(|n| !have.contains(*n))
        .cloned()
        .collect();
    let (rows, unknown) = closure(table, &names);
    let mut out = DepSize::default();
    for row in rows {
        out.disk += row.disk();
        out.download += match row.download_mb {
            Some(d) => Range::around(d * MB, row.trust.spread()),
            None => row.disk().scale(0.35),
        };
        out.known.push(row.name.clone());
        out.push_basis(row.basis(table.name()));
    }
    for n in unknown {
        out.disk += average.disk();
        out.download += average.disk().scale(0.35);
        out.unknown.push(n);
    }
    if !out.unknown.is_empty() {
        out.push_basis(average.get().basis());
    }
    out
}

/// The manifest's dependencies to install: main ones, and dev ones when
/// asked; optional ones only when their group is asked for.
pub(super) fn selected<'m>(m: &'m Manifest, dev: bool, groups: &[String]) -> Vec<&'m Dependency> {
    m.dependencies
        .iter()
        .filter(|d| dev || !d.dev)
        .filter(|d| {
            !d.optional
                || d.group
                    .as_ref()
                    .is_some_and(|g| groups.iter().any(|x| x == g))
        })
        .collect()
}

/// A manifest's basis.
pub(super) fn manifest_basis(m: &Manifest) -> Basis {
    Basis {
        kind: super::types::BasisKind::Manifest,
        name: m.file.clone(),
        source: format!(
            "{} read from {}",
            super::render::count(m.dependencies.len(), "dependency", "dependencies"),
            m.file
        ),
        date: String::new(),
        trust: super::types::Trust::D,
    }
}

/// Go modules of go.mod in the module cache.
pub(super) fn go_modules(m: &Manifest) -> DepSize {
    let names: Vec<String> = m.dependencies.iter().map(|d| d.name.clone()).collect();
    let mut out = table(Table::Go, &names, H::GoModuleUnknown, &BTreeSet::new());
    out.push_basis(manifest_basis(m));
    out
}

/// A Go binary's size, from go.mod when there is one.
pub(super) fn go_binary(m: Option<&Manifest>) -> Range {
    let h = H::GoBinary.disk();
    let Some(m) = m else { return h };
    let direct = m
        .dependencies
        .iter()
        .filter(|d| d.group.as_deref() != Some("indirect"))
        .count() as f64;
    let indirect = m.dependencies.len() as f64 - direct;
    let est = (6.0 + 0.5 * direct + 0.08 * indirect).clamp(6.0, 60.0) * MB;
    Range::new(est * 0.6, est, (est * 2.0).max(h.high_bytes as f64))
}
