//! The estimator: walks the stages of a [`Model`] in order, sizes each
//! base image from the catalog and each `RUN`, `COPY` and `ADD` from the
//! package tables, manifests and heuristics, keeps what each stage holds
//! (so that `COPY --from` takes only the copied artifact), and adds up the
//! image the final stage builds.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::catalog::{Catalog, Lookup};
use super::env::StageEnv;
use super::heuristics::{self, Class, H};
use super::ledger::{
    Content, Tag, base_name, looks_like_file, normalise_path, rebase, resolve, under,
};
use super::manifests::{self, ManifestKind, Manifests};
use super::packages::{self, Os};
use super::run::{self, Family, RunCx};
use super::types::{
    Basis, BasisKind, ImageSize, LayerKind, LayerSize, Range, SizeComparison, Sizes, StageRole,
    StageSize, Trust,
};
use crate::convert::images::ImageText;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::knowledge::packages::Distro;
use crate::model::{BaseImage, Instruction, Model, StageModel};

/// What the estimate takes besides the Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct SizeOptions {
    /// Files next to the Dockerfile that decide its dependencies: file name
    /// (a path relative to the build context is best) and content. Files
    /// that are not manifests are ignored.
    pub manifests: Vec<(String, String)>,
    /// The image catalog (built-in rows plus a team's own).
    pub catalog: Catalog,
}

impl SizeOptions {
    /// Options with these manifests and the built-in catalog.
    pub fn with_manifests(manifests: &[(String, String)]) -> Self {
        Self {
            manifests: manifests.to_vec(),
            catalog: Catalog::builtin(),
        }
    }
}

/// Commands that add (almost) nothing to a layer.
const SMALL: &[&str] = &[
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "groupmod",
    "mkdir",
    "ln",
    "echo",
    "printf",
    "sed",
    "touch",
    "cp",
    "mv",
    "cat",
    "tee",
    "update-ca-certificates",
    "localedef",
    "locale-gen",
    "true",
    "false",
    "set",
    "cd",
    "export",
    "install",
    "ls",
    "date",
    "id",
    "test",
    "[",
    "[[",
    "exit",
    "rm",
    "chown",
    "chmod",
    "chgrp",
    "which",
    "command",
    "sleep",
    "pwd",
    "env",
    "update-alternatives",
    "dpkg-reconfigure",
    "ldconfig",
    "sh",
    "bash",
    "grep",
    "find",
    "xargs",
    "awk",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "basename",
    "dirname",
    "mkdir",
    "python",
    "python3",
    "node",
    "java",
    "go",
    "whoami",
    "hostname",
    "nproc",
    "uname",
    "git",
    "tar",
    "unzip",
    "gzip",
    "gunzip",
    "ssh-keyscan",
    "setcap",
    "passwd",
    "chpasswd",
    "a2enmod",
    "a2ensite",
    "a2dismod",
    "docker-php-ext-enable",
    "ufw",
    "systemctl",
    "service",
    "source",
    ".",
    "eval",
    "read",
    "if",
    "then",
    "fi",
    "for",
    "do",
    "done",
    "wait",
    "trap",
    "curl",
    "wget",
];

/// The most stages a size estimate follows; a larger file gets no estimate
/// (a note says why) rather than a slow one.
pub const MAX_SIZED_STAGES: usize = 64;

/// The most file entries a stage's ledger holds. `COPY --from` takes every
/// entry under the copied path, so stages that copy from each other in a
/// chain double the ledger each time; past this the estimate is a lower
/// bound instead of exponential work.
pub const MAX_LEDGER_ENTRIES: usize = 2_000;

/// The running state of one stage.
#[derive(Debug, Clone)]
struct StageState {
    ledger: Vec<Content>,
    /// Shared with the cached base image's list until a layer adds to it.
    packages: Arc<BTreeSet<String>>,
    pip: BTreeSet<String>,
    os: Os,
    family: Family,
    env: StageEnv,
    total: Sizes,
    lower_bound: bool,
    python: Option<String>,
    unknown: Vec<String>,
    row: StageSize,
    manifests_used: Vec<String>,
}

/// Estimates the image the Dockerfile builds: its final stage and the
/// stages that stage is built `FROM`; build stages are listed but not
/// counted (only what `COPY --from` takes from them is).
///
/// Rows: the base image first, then one row per `RUN`, `COPY` and `ADD`.
/// `WORKDIR`, `ENV`, `USER` and the other metadata instructions add no
/// file content and have no row.
pub fn estimate(model: &Model<'_>, options: &SizeOptions) -> ImageSize {
    let manifests = manifests::parse_all(&options.manifests);
    if model.stages.len() > MAX_SIZED_STAGES {
        // Every stage keeps the files of the stage it builds on: thousands
        // of chained stages would hold millions of ledger entries.
        return ImageSize {
            disk: Range::ZERO,
            pull: Range::ZERO,
            lower_bound: true,
            unknown: vec![format!(
                "restage sizes Dockerfiles of at most {MAX_SIZED_STAGES} stages; this one has {}",
                model.stages.len()
            )],
            stages: Vec::new(),
            manifest_errors: manifests.errors.clone(),
            manifests_used: Vec::new(),
        };
    }
    Estimator {
        model,
        catalog: &options.catalog,
        manifests: &manifests,
        stages: Vec::new(),
    }
    .all()
}

/// Compares the image of a Dockerfile before and after a conversion.
pub fn compare(before: &Model<'_>, after: &Model<'_>, options: &SizeOptions) -> SizeComparison {
    let before = estimate(before, options);
    let after = estimate(after, options);
    comparison(before, after)
}

/// The saving between two estimates.
pub fn comparison(before: ImageSize, after: ImageSize) -> SizeComparison {
    let pct = |b: u64, a: u64| {
        if b == 0 {
            0.0
        } else {
            let v = (b as f64 - a as f64) / b as f64 * 100.0;
            (v * 10.0).round() / 10.0
        }
    };
    let saving_percent = pct(before.disk.estimate_bytes, after.disk.estimate_bytes);
    let pull_saving_percent = pct(before.pull.estimate_bytes, after.pull.estimate_bytes);
    let saving_bytes = before
        .disk
        .estimate_bytes
        .saturating_sub(after.disk.estimate_bytes);
    let uncertain = before.lower_bound || after.lower_bound;
    SizeComparison {
        before,
        after,
        saving_percent,
        pull_saving_percent,
        saving_bytes,
        uncertain,
    }
}

struct Estimator<'m, 'a> {
    model: &'m Model<'a>,
    catalog: &'m Catalog,
    manifests: &'m Manifests,
    stages: Vec<StageState>,
}

impl Estimator<'_, '_> {
    fn all(mut self) -> ImageSize {
        for stage in &self.model.stages {
            let state = self.stage(stage);
            self.stages.push(state);
        }
        self.finish()
    }

    fn finish(self) -> ImageSize {
        let count = self.stages.len();
        let Some(last) = count.checked_sub(1) else {
            return ImageSize {
                disk: Range::ZERO,
                pull: Range::ZERO,
                lower_bound: true,
                unknown: vec!["the Dockerfile has no FROM: it builds no image".into()],
                stages: Vec::new(),
                manifest_errors: self.manifests.errors.clone(),
                manifests_used: Vec::new(),
            };
        };
        // The final stage and the stages it is built FROM.
        let mut chain = vec![last];
        let mut cur = last;
        while let Some(BaseImage::Stage { index }) = self.model.stages.get(cur).map(|s| &s.base) {
            if *index >= cur || chain.contains(index) {
                break;
            }
            chain.push(*index);
            cur = *index;
        }
        let mut stages = Vec::with_capacity(count);
        let mut unknown = Vec::new();
        let mut used: Vec<String> = Vec::new();
        let (mut disk, mut pull, mut lower_bound) = (Range::ZERO, Range::ZERO, false);
        for (i, st) in self.stages.into_iter().enumerate() {
            let mut row = st.row;
            row.role = if i == last {
                StageRole::Final
            } else if chain.contains(&i) {
                StageRole::Base
            } else {
                StageRole::Build
            };
            row.in_image = row.role != StageRole::Build;
            if i == last {
                disk = st.total.disk;
                pull = st.total.pull;
                lower_bound = st.lower_bound;
                unknown = st.unknown.clone();
            }
            for m in st.manifests_used {
                if !used.contains(&m) {
                    used.push(m);
                }
            }
            stages.push(row);
        }
        ImageSize {
            disk,
            pull,
            lower_bound,
            unknown,
            stages,
            manifest_errors: self.manifests.errors.clone(),
            manifests_used: used,
        }
    }

    fn stage_name(stage: &StageModel) -> String {
        stage
            .name_as_written
            .clone()
            .unwrap_or_else(|| format!("stage {}", stage.index))
    }

    /// Sizes one stage.
    fn stage(&self, stage: &StageModel) -> StageState {
        let mut st = self.base(stage);
        for &i in &stage.instructions {
            let Some(ins) = self.model.instructions.get(i) else {
                continue;
            };
            match ins.kind() {
                Some(CommandKind::Run(_)) => self.run(&mut st, ins),
                Some(CommandKind::Copy(c)) => {
                    let (sources, contents, dest) =
                        copy_fields(ins, &c.sources, &c.contents, &c.dest);
                    self.copy(
                        &mut st,
                        ins,
                        c.from.as_deref(),
                        &sources,
                        &contents,
                        &dest,
                        LayerKind::Copy,
                    );
                }
                Some(CommandKind::Add(a)) => {
                    let (sources, contents, dest) =
                        copy_fields(ins, &a.sources, &a.contents, &a.dest);
                    self.copy(
                        &mut st,
                        ins,
                        None,
                        &sources,
                        &contents,
                        &dest,
                        LayerKind::Add,
                    );
                }
                Some(CommandKind::Env(kvs)) => match &ins.expanded {
                    Some(Expanded::Env { vars }) => st.env.extend(vars.iter().cloned()),
                    _ => st
                        .env
                        .extend(kvs.iter().map(|kv| (kv.key.clone(), kv.value.clone()))),
                },
                Some(CommandKind::Arg(_)) => {
                    if let Some(Expanded::Arg { args }) = &ins.expanded {
                        st.env.extend(
                            args.iter()
                                .filter_map(|a| a.value.clone().map(|v| (a.name.clone(), v))),
                        );
                    }
                }
                _ => {}
            }
        }
        st.row.disk = st.total.disk;
        st.row.pull = st.total.pull;
        st.row.lower_bound = st.lower_bound;
        st
    }

    /// The stage's starting state and its base row.
    fn base(&self, stage: &StageModel) -> StageState {
        let name = Self::stage_name(stage);
        let mut st = StageState {
            ledger: Vec::new(),
            packages: Arc::default(),
            pip: BTreeSet::new(),
            os: Os::Unknown,
            family: Family::Generic,
            env: StageEnv::default(),
            total: Sizes::default(),
            lower_bound: false,
            python: None,
            unknown: Vec::new(),
            row: StageSize {
                index: stage.index,
                name,
                base: stage.base_text.clone(),
                role: StageRole::Build,
                in_image: false,
                disk: Range::ZERO,
                pull: Range::ZERO,
                lower_bound: false,
                layers: Vec::new(),
            },
            manifests_used: Vec::new(),
        };
        let line = stage.line;
        let layer = match &stage.base {
            BaseImage::Scratch => {
                st.os = Os::None;
                st.row.base = "scratch".into();
                LayerSize {
                    instruction_line: line,
                    kind: LayerKind::Base,
                    disk: Range::ZERO,
                    pull: Range::ZERO,
                    basis: vec![Basis {
                        kind: BasisKind::Catalog,
                        name: "scratch".into(),
                        source: "an empty image, by definition".into(),
                        date: String::new(),
                        trust: Trust::S,
                    }],
                    note: "scratch: empty".into(),
                    unknown: false,
                }
            }
            BaseImage::Stage { index } => {
                match self.stages.get(*index).filter(|_| *index < stage.index) {
                    Some(parent) => {
                        let parent_name = parent.row.name.clone();
                        st.ledger = parent.ledger.clone();
                        st.packages = parent.packages.clone();
                        st.pip = parent.pip.clone();
                        st.os = parent.os;
                        st.family = parent.family;
                        st.env = parent.env.clone();
                        st.python = parent.python.clone();
                        st.lower_bound = parent.lower_bound;
                        st.unknown = parent.unknown.clone();
                        st.row.base = parent_name.clone();
                        LayerSize {
                            instruction_line: line,
                            kind: LayerKind::Base,
                            disk: parent.total.disk,
                            pull: parent.total.pull,
                            basis: vec![Basis {
                                kind: BasisKind::Stage,
                                name: parent_name.clone(),
                                source: format!("the total of stage `{parent_name}`"),
                                date: String::new(),
                                trust: Trust::D,
                            }],
                            note: format!("built on stage `{parent_name}` (its base and layers)"),
                            unknown: parent.lower_bound,
                        }
                    }
                    None => self.unknown_base(
                        &mut st,
                        line,
                        "the base stage is not defined before this one".into(),
                    ),
                }
            }
            BaseImage::Image { reference, .. } => match self
                .catalog
                .lookup(resolved_or_written(reference, &stage.base_text))
            {
                Lookup::Scratch => {
                    st.os = Os::None;
                    LayerSize {
                        instruction_line: line,
                        kind: LayerKind::Base,
                        disk: Range::ZERO,
                        pull: Range::ZERO,
                        basis: Vec::new(),
                        note: "scratch: empty".into(),
                        unknown: false,
                    }
                }
                Lookup::Found(m) => {
                    let e = m.entry;
                    st.os = Os::from_catalog(e.os.as_deref());
                    st.family = Family::from_image(&e.name);
                    st.packages = packages::base_packages(st.os, &e.packages);
                    st.row.base = reference.clone();
                    if st.family == Family::Python {
                        let v = &m.image.version;
                        let mut parts = v.split('.');
                        if let (Some(a), Some(b)) = (parts.next(), parts.next())
                            && a.chars().all(|c| c.is_ascii_digit())
                        {
                            st.python = Some(format!("{a}.{b}"));
                        }
                    }
                    let mut note = format!("{}:{}", m.image.name, m.image.tag);
                    if let Some(measured) = &e.measured {
                        note.push_str(&format!(" — figures of {measured}"));
                    }
                    if m.proxy {
                        note.push_str(&format!(
                            "; version {} not measured: the family's figure with a wider range",
                            m.image.version
                        ));
                    }
                    if !e.note.is_empty() {
                        note.push_str(&format!(". {}", e.note));
                    }
                    LayerSize {
                        instruction_line: line,
                        kind: LayerKind::Base,
                        disk: m.disk,
                        pull: m.pull,
                        basis: vec![Basis {
                            kind: BasisKind::Catalog,
                            name: if m.team {
                                format!("{} (team catalog)", e.name)
                            } else {
                                e.reference()
                            },
                            source: e.source.clone(),
                            date: e.date.clone(),
                            trust: e.effective_trust(),
                        }],
                        note,
                        unknown: false,
                    }
                }
                Lookup::Unknown(u) => {
                    st.os = match ImageText::parse(reference).distro() {
                        Distro::Alpine => Os::Alpine,
                        Distro::Rhel => Os::Rhel,
                        _ => Os::Unknown,
                    };
                    st.family = image_family(reference);
                    self.unknown_base(&mut st, line, u.reason)
                }
            },
        };
        st.total = Sizes {
            disk: layer.disk,
            pull: layer.pull,
        };
        st.row.layers.push(layer);
        st
    }

    fn unknown_base(&self, st: &mut StageState, line: usize, reason: String) -> LayerSize {
        st.lower_bound = true;
        st.unknown.push(reason.clone());
        LayerSize {
            instruction_line: line,
            kind: LayerKind::Base,
            disk: Range::ZERO,
            pull: Range::ZERO,
            basis: vec![Basis {
                kind: BasisKind::Unknown,
                name: st.row.base.clone(),
                source: String::new(),
                date: String::new(),
                trust: Trust::E,
            }],
            note: format!("unknown: {reason}; the totals are a lower bound"),
            unknown: true,
        }
    }

    /// The home directory of the user in effect.
    fn home(ins: &Instruction) -> String {
        match ins
            .context
            .user
            .as_deref()
            .map(|u| u.split(':').next().unwrap_or(u))
        {
            None | Some("root" | "0" | "") => "/root".into(),
            Some(u) => format!("/home/{u}"),
        }
    }

    fn run(&self, st: &mut StageState, ins: &Instruction) {
        let Some(run_info) = &ins.run else { return };
        let cx = RunCx {
            instruction: ins,
            run: run_info,
            workdir: ins.context.workdir.as_deref().unwrap_or("/").to_string(),
            home: Self::home(ins),
            env: &st.env,
            os: st.os,
            have: &st.packages,
            pip_have: &st.pip,
            ledger: &st.ledger,
            manifests: self.manifests,
            family: st.family,
            python: st.python.clone(),
        };
        let out = run::run_layer(&cx);
        let mut notes = out.notes;
        let not_sized: Vec<String> = run_info
            .commands()
            .map(|c| c.base_name().to_string())
            .filter(|n| {
                !n.is_empty()
                    && !SMALL.contains(&n.as_str())
                    && crate::model::tools::Tool::from_name(n).is_none()
            })
            .filter(|n| !is_sized_name(n))
            .fold(Vec::new(), |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        if !not_sized.is_empty() {
            notes.push(format!(
                "not sized: {}",
                not_sized
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(f) = out.family
            && st.family == Family::Generic
        {
            st.family = f;
        }
        if !out.packages_added.is_empty() {
            Arc::make_mut(&mut st.packages).extend(out.packages_added);
        }
        st.pip.extend(out.pip_added);
        for m in out.manifests_used {
            if !st.manifests_used.contains(&m) {
                st.manifests_used.push(m);
            }
        }
        self.push_layer(st, ins.start_line, LayerKind::Run, out.contents, notes);
    }

    /// Adds a layer row and its contents to the stage.
    fn push_layer(
        &self,
        st: &mut StageState,
        line: usize,
        kind: LayerKind,
        contents: Vec<Content>,
        notes: Vec<String>,
    ) {
        let sizes: Sizes = contents.iter().map(Content::sizes).sum();
        let mut basis: Vec<Basis> = Vec::new();
        for b in contents.iter().flat_map(|c| c.basis.iter()) {
            if !basis.iter().any(|x| x.kind == b.kind && x.name == b.name) {
                basis.push(b.clone());
            }
        }
        let unknown = contents.iter().any(|c| c.unknown);
        let mut parts: Vec<String> = contents
            .iter()
            .map(|c| format!("{} {} MB", c.what, super::render::mb(c.disk.estimate_bytes)))
            .collect();
        parts.extend(notes);
        let note = if parts.is_empty() {
            "no file content restage can size (setup commands)".to_string()
        } else {
            parts.join("; ")
        };
        if unknown {
            st.lower_bound = true;
        }
        let mut contents = contents;
        let room = MAX_LEDGER_ENTRIES.saturating_sub(st.ledger.len());
        if contents.len() > room {
            contents.truncate(room);
            st.lower_bound = true;
            let note = format!(
                "more than {MAX_LEDGER_ENTRIES} files to follow: the estimate is a lower bound"
            );
            if !st.unknown.contains(&note) {
                st.unknown.push(note);
            }
        }
        st.total += sizes;
        st.row.layers.push(LayerSize {
            instruction_line: line,
            kind,
            disk: sizes.disk,
            pull: sizes.pull,
            basis,
            note,
            unknown,
        });
        st.ledger.extend(contents);
    }

    /// The stage a `--from` names, before `current`.
    fn stage_named(&self, from: &str, current: usize) -> Option<usize> {
        if let Ok(n) = from.parse::<usize>() {
            return (n < current).then_some(n);
        }
        let lower = from.to_ascii_lowercase();
        self.model
            .stages
            .iter()
            .take(current)
            .rposition(|s| s.name.as_deref() == Some(lower.as_str()))
    }

    #[allow(clippy::too_many_arguments)]
    fn copy(
        &self,
        st: &mut StageState,
        ins: &Instruction,
        from: Option<&str>,
        sources: &[String],
        heredocs: &[(String, String)],
        dest: &str,
        kind: LayerKind,
    ) {
        let workdir = ins.context.workdir.as_deref().unwrap_or("/").to_string();
        let home = Self::home(ins);
        let dest_path = resolve(&workdir, &home, dest);
        let dest_is_dir = dest.ends_with('/') || dest == "." || sources.len() + heredocs.len() > 1;
        let place = |src: &str| -> String {
            if dest_is_dir && looks_like_file(src) {
                normalise_path(&format!("{dest_path}/{}", base_name(src)))
            } else {
                dest_path.clone()
            }
        };
        let mut contents: Vec<Content> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        // Heredoc files: their bytes are in the Dockerfile.
        for (name, body) in heredocs {
            let target = if dest_is_dir {
                format!("{dest_path}/{name}")
            } else {
                dest_path.clone()
            };
            contents.push(Content::new(
                &target,
                Range::exact(body.len() as u64),
                Class::Text,
                format!("inline file {}", base_name(&target)),
                vec![Basis {
                    kind: BasisKind::Inline,
                    name: "heredoc".into(),
                    source: "the bytes written in the Dockerfile".into(),
                    date: String::new(),
                    trust: Trust::M,
                }],
            ));
        }
        match from {
            Some(from) => {
                let from = self.expand_meta(from);
                match self.stage_named(&from, st.row.index) {
                    Some(src_stage) => self.copy_from_stage(
                        st,
                        src_stage,
                        sources,
                        &dest_path,
                        dest_is_dir,
                        &mut contents,
                    ),
                    None => self.copy_from_image(&from, sources, &place, &mut contents, &mut notes),
                }
            }
            None => {
                for src in sources {
                    contents.push(self.context_source(st, src, &place(src), kind));
                }
            }
        }
        self.push_layer(st, ins.start_line, kind, contents, notes);
    }

    fn expand_meta(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (k, v) in &self.model.meta_args {
            if let Some(v) = v {
                out = out
                    .replace(&format!("${{{k}}}"), v)
                    .replace(&format!("${k}"), v);
            }
        }
        out
    }

    fn copy_from_stage(
        &self,
        st: &StageState,
        src_stage: usize,
        sources: &[String],
        dest: &str,
        dest_is_dir: bool,
        out: &mut Vec<Content>,
    ) {
        let Some(source) = self.stages.get(src_stage) else {
            return;
        };
        let stage_name = source.row.name.clone();
        let stage_basis = Basis {
            kind: BasisKind::Stage,
            name: stage_name.clone(),
            source: format!("what stage `{stage_name}` made at the copied paths"),
            date: String::new(),
            trust: Trust::D,
        };
        let _ = st;
        let mut taken = vec![false; source.ledger.len()];
        for src in sources {
            let src_path = normalise_path(&format!("/{}", src.trim_start_matches('/')));
            let src_clean = src_path.trim_end_matches("/*").to_string();
            let mut found = false;
            for (i, c) in source.ledger.iter().enumerate() {
                if taken.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let Some(p) = c.paths.iter().find(|p| under(p, &src_clean)) else {
                    continue;
                };
                found = true;
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                let mut copy = c.clone();
                let target = if looks_like_file(&src_clean) && !dest_is_dir {
                    dest.to_string()
                } else if dest_is_dir && p == &src_clean && looks_like_file(&src_clean) {
                    normalise_path(&format!("{dest}/{}", base_name(&src_clean)))
                } else {
                    rebase(p, &src_clean, dest)
                };
                copy.paths = vec![target];
                copy.basis.insert(0, stage_basis.clone());
                copy.what = format!("{} from `{stage_name}`", c.what);
                if matches!(copy.tag, Tag::Cache | Tag::AptLists) {
                    copy.tag = Tag::Plain;
                }
                out.push(copy);
            }
            if found {
                continue;
            }
            // Inside something sized as a whole (the build context).
            if let Some(parent) = source.ledger.iter().find(|c| c.contains(&src_clean)) {
                let h = if looks_like_file(&src_clean) {
                    H::SourceFile
                } else {
                    H::SourceDir
                };
                let guess = h.disk();
                let cap = parent.disk;
                let disk = Range::new(
                    0.0,
                    guess.estimate_bytes.min(cap.estimate_bytes) as f64,
                    guess.high_bytes.min(cap.high_bytes) as f64,
                );
                let mut c = Content::new(
                    dest,
                    disk,
                    parent.class,
                    format!(
                        "{} (part of {}) from `{stage_name}`",
                        base_name(&src_clean),
                        parent.what
                    ),
                    vec![stage_basis.clone(), h.get().basis()],
                );
                c.paths = vec![place_in(dest, dest_is_dir, &src_clean)];
                out.push(c);
                continue;
            }
            let h = guess_artifact(&src_clean, source.family);
            let g = h.get();
            let mut c = Content::new(
                &place_in(dest, dest_is_dir, &src_clean),
                g.disk(),
                g.class,
                format!(
                    "{} from `{stage_name}` (not seen being made: typical size)",
                    base_name(&src_clean)
                ),
                vec![stage_basis.clone(), g.basis()],
            );
            c.unknown = false;
            out.push(c);
        }
    }

    fn copy_from_image(
        &self,
        image: &str,
        sources: &[String],
        place: &dyn Fn(&str) -> String,
        out: &mut Vec<Content>,
        notes: &mut Vec<String>,
    ) {
        if image.contains('$') {
            for src in sources {
                let mut c = Content::new(
                    &place(src),
                    Range::ZERO,
                    Class::Mixed,
                    format!("{src} from `{image}`"),
                    vec![Basis {
                        kind: BasisKind::Unknown,
                        name: image.to_string(),
                        source: String::new(),
                        date: String::new(),
                        trust: Trust::E,
                    }],
                );
                c.unknown = true;
                out.push(c);
            }
            notes.push(format!("unknown: `--from={image}` is not resolved"));
            return;
        }
        let lookup = self.catalog.lookup(image);
        let name = match &lookup {
            Lookup::Found(m) => m.image.name.clone(),
            _ => crate::model::image::ImageRef::parse(image)
                .map(|r| super::normalise::catalog_name(&r))
                .unwrap_or_else(|| image.to_string()),
        };
        for src in sources {
            let whole = src.trim_matches('/').is_empty();
            let c = match (&lookup, heuristics::artifact(&name)) {
                (Lookup::Found(m), _) if whole => Content::new(
                    &place(src),
                    m.disk,
                    Class::Packages,
                    format!("all of {image}"),
                    vec![Basis {
                        kind: BasisKind::Catalog,
                        name: m.entry.reference(),
                        source: m.entry.source.clone(),
                        date: m.entry.date.clone(),
                        trust: m.entry.effective_trust(),
                    }],
                ),
                (_, Some(a)) => Content::new(
                    &place(src),
                    a.disk(),
                    a.class,
                    format!("{src} from {image}"),
                    vec![a.basis()],
                ),
                _ => {
                    let h = H::ImageArtifact.get();
                    Content::new(
                        &place(src),
                        h.disk(),
                        h.class,
                        format!("{src} from {image} (typical size)"),
                        vec![h.basis()],
                    )
                }
            };
            out.push(c);
        }
    }

    /// A source from the build context.
    fn context_source(&self, st: &StageState, src: &str, target: &str, kind: LayerKind) -> Content {
        let clean = src.trim_start_matches("./");
        if kind == LayerKind::Add && (src.contains("://") || src.starts_with("git@")) {
            let h = H::Download.get();
            return Content::new(
                target,
                h.disk(),
                h.class,
                format!("download {}", base_name(src)),
                vec![h.basis()],
            );
        }
        // A manifest passed with the Dockerfile: its exact size.
        if let Some(m) = self.manifests.find(clean).filter(|_| !clean.contains('*')) {
            return Content::new(
                target,
                Range::exact(m.bytes as u64),
                Class::Text,
                m.base_name().to_string(),
                vec![Basis {
                    kind: BasisKind::Manifest,
                    name: m.file.clone(),
                    source: "the manifest's own bytes".into(),
                    date: String::new(),
                    trust: Trust::M,
                }],
            );
        }
        let base = base_name(clean).to_ascii_lowercase();
        let manifest_like = ManifestKind::detect(&base).is_some()
            || base.contains("lock")
            || base.starts_with("package")
            || matches!(
                base.as_str(),
                "go.sum"
                    | "gemfile.lock"
                    | "pipfile"
                    | "pipfile.lock"
                    | "uv.lock"
                    | "build.gradle"
                    | "build.gradle.kts"
                    | "settings.gradle"
                    | "settings.gradle.kts"
                    | "gradle.properties"
                    | "mvnw"
                    | ".mvn"
                    | "nuget.config"
                    | "tsconfig.json"
                    | ".npmrc"
                    | ".yarnrc.yml"
            )
            || base.ends_with(".csproj")
            || base.ends_with(".fsproj")
            || base.ends_with(".sln");
        let whole = matches!(clean, "." | "" | "*" | "./");
        let h = if whole {
            st.family.context()
        } else if manifest_like {
            H::LockFile
        } else if base.ends_with(".jar") || base.ends_with(".war") {
            H::JavaJar
        } else if base.ends_with(".tar")
            || base.ends_with(".tar.gz")
            || base.ends_with(".tgz")
            || base.ends_with(".tar.xz")
            || base.ends_with(".zip")
        {
            H::Download
        } else if matches!(base.as_str(), "node_modules") {
            H::NodeModulesProdUnseen
        } else if matches!(base.as_str(), "dist" | "build" | "out" | ".next") {
            H::NodeBuild
        } else if matches!(
            base.as_str(),
            "public" | "static" | "assets" | "media" | "images" | "img" | "fonts"
        ) {
            H::AssetsDir
        } else if matches!(
            base.as_str(),
            "data" | "models" | "model" | "weights" | "datasets" | "checkpoints"
        ) {
            H::DataDir
        } else if matches!(base.as_str(), "bin") || base.ends_with(".so") || base.ends_with(".exe")
        {
            H::BinaryFile
        } else if looks_like_file(clean) {
            H::SourceFile
        } else {
            H::SourceDir
        };
        let g = h.get();
        let mut disk = g.disk();
        let mut basis = vec![g.basis()];
        let mut what = if whole {
            "build context".to_string()
        } else {
            base_name(clean).to_string()
        };
        // An ADD of a local archive unpacks it.
        if kind == LayerKind::Add && h == H::Download && !base.ends_with(".zip") {
            let x = H::ArchiveExtract.get();
            disk = x.of(disk);
            basis.push(x.basis());
            what = format!("{what} (unpacked by ADD)");
        }
        let tag = if whole { Tag::Context } else { Tag::Plain };
        Content::new(target, disk, g.class, what, basis).tagged(tag)
    }
}

/// The reference to look up: as resolved, or as written when a build
/// argument without a default left it empty (so that the reason names it).
fn resolved_or_written<'r>(resolved: &'r str, written: &'r str) -> &'r str {
    if resolved.trim().is_empty() || resolved.contains('$') {
        written
    } else {
        resolved
    }
}

/// Where a copied source lands.
fn place_in(dest: &str, dest_is_dir: bool, src: &str) -> String {
    if dest_is_dir && looks_like_file(src) {
        normalise_path(&format!("{dest}/{}", base_name(src)))
    } else {
        dest.to_string()
    }
}

/// A guess for files copied from a stage where restage did not see them made.
fn guess_artifact(src: &str, family: Family) -> H {
    let base = base_name(src).to_ascii_lowercase();
    if base.ends_with(".jar") || base.ends_with(".war") {
        H::JavaJar
    } else if matches!(base.as_str(), "dist" | "build" | "out" | "html") {
        H::NodeBuildSpa
    } else if base == "node_modules" {
        H::NodeModulesProdUnseen
    } else if looks_like_file(src) || src.starts_with("/etc/") {
        H::SourceFile
    } else if under(src, "/usr/local/bin")
        || under(src, "/go/bin")
        || under(src, "/bin")
        || under(src, "/usr/bin")
    {
        match family {
            Family::Go => H::GoBinary,
            Family::Rust => H::RustBinary,
            _ => H::BinaryFile,
        }
    } else if family == Family::Go
        && !src.contains('.')
        && under(src, "/")
        && src.matches('/').count() <= 3
    {
        H::GoBinary
    } else {
        H::StageArtifactUnseen
    }
}

/// `python:3.12` → Python, when the catalog does not know the image.
fn image_family(reference: &str) -> Family {
    let name = reference.split([':', '@']).next().unwrap_or(reference);
    Family::from_image(name)
}

/// Commands the run sizer handles by name.
fn is_sized_name(name: &str) -> bool {
    matches!(
        name,
        "make"
            | "cmake"
            | "ninja"
            | "meson"
            | "gcc"
            | "g++"
            | "cc"
            | "c++"
            | "clang"
            | "clang++"
            | "tsc"
            | "vite"
            | "next"
            | "ng"
            | "react-scripts"
            | "nest"
            | "webpack"
            | "esbuild"
            | "rollup"
            | "parcel"
            | "astro"
            | "nuxt"
            | "gatsby"
            | "npx"
            | "bunx"
            | "virtualenv"
            | "mvnw"
            | "gradlew"
    )
}

/// The expanded (or, unresolved, the written) fields of a `COPY` or `ADD`.
fn copy_fields(
    ins: &Instruction,
    sources: &[String],
    contents: &[crate::dockerfile::instructions::SourceContent],
    dest: &str,
) -> (Vec<String>, Vec<(String, String)>, String) {
    match &ins.expanded {
        Some(Expanded::Copy(c) | Expanded::Add(c)) => {
            (c.sources.clone(), c.contents.clone(), c.dest.clone())
        }
        _ => (
            sources.to_vec(),
            contents
                .iter()
                .map(|c| (c.path.clone(), c.data.clone()))
                .collect(),
            dest.to_string(),
        ),
    }
}
