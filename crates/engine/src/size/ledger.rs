//! What a stage's file system holds, as far as restage sized it: pieces of
//! content with the paths they live at, so that `COPY --from`, `rm -rf`
//! and `chown -R` can find them.

use super::heuristics::{Class, ratio};
use super::normalise::glob_matches;
use super::types::{Basis, Range, Sizes};

/// What a piece of content is, where the estimator needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tag {
    /// Nothing special.
    Plain,
    /// A cache (package manager, compiler) that a clean command removes.
    Cache,
    /// apt's package lists.
    AptLists,
    /// A `node_modules` with its production-only size, for `npm prune`.
    NodeModules {
        /// Size once pruned to production dependencies.
        prod: Range,
    },
    /// Files of the build context.
    Context,
    /// A downloaded file (for a `tar -x` in the same `RUN`).
    Download,
    /// A Python environment (venv, site-packages).
    PythonEnv,
}

/// One piece of sized content.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Content {
    /// Absolute paths where it lives (a component may be a `*` glob).
    pub paths: Vec<String>,
    /// Unpacked size.
    pub disk: Range,
    /// Compression class.
    pub class: Class,
    /// A short label for notes (`apt lists`, `node_modules (dev)`).
    pub what: String,
    /// Where the figure comes from.
    pub basis: Vec<Basis>,
    /// Whether part of it could not be sized.
    pub unknown: bool,
    /// What it is.
    pub tag: Tag,
    /// The command of the `RUN` that made it (its index among the `RUN`'s
    /// commands), for the choice between arms of which one runs.
    pub command: Option<usize>,
}

impl Content {
    /// A piece of content at one path.
    pub fn new(
        path: &str,
        disk: Range,
        class: Class,
        what: impl Into<String>,
        basis: Vec<Basis>,
    ) -> Self {
        Self {
            paths: vec![normalise_path(path)],
            disk,
            class,
            what: what.into(),
            basis,
            unknown: false,
            tag: Tag::Plain,
            command: None,
        }
    }

    /// With a tag.
    pub fn tagged(mut self, tag: Tag) -> Self {
        self.tag = tag;
        self
    }

    /// With more paths.
    pub fn also_at(mut self, path: &str) -> Self {
        self.paths.push(normalise_path(path));
        self
    }

    /// Disk and pull sizes.
    pub fn sizes(&self) -> Sizes {
        Sizes {
            disk: self.disk,
            pull: self.disk.compress(ratio(self.class)),
        }
    }

    /// Whether any of its paths is `dir` or below it.
    pub fn is_under(&self, dir: &str) -> bool {
        self.paths.iter().any(|p| under(p, dir))
    }

    /// Whether one of its paths is a strict parent of `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.paths.iter().any(|p| under(path, p) && !under(p, path))
    }
}

/// A path made absolute and clean: `/a/./b/../c/` → `/a/c`.
pub(crate) fn normalise_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `path` resolved against `workdir` (and `~` against `home`).
pub(super) fn resolve(workdir: &str, home: &str, path: &str) -> String {
    if let Some(rest) = path.strip_prefix('~') {
        return normalise_path(&format!("{home}/{rest}"));
    }
    if path.starts_with('/') {
        normalise_path(path)
    } else {
        normalise_path(&format!("{workdir}/{path}"))
    }
}

/// Whether `path` is `dir` or below it; `*` components match anything.
pub(super) fn under(path: &str, dir: &str) -> bool {
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let d: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    if d.len() > p.len() {
        return false;
    }
    d.iter().zip(&p).all(|(a, b)| {
        a == b
            || (a.contains(['*', '?']) && glob_matches(a, b))
            || (b.contains(['*', '?']) && glob_matches(b, a))
    })
}

/// `path` (below `src`) moved to below `dest`.
pub(super) fn rebase(path: &str, src: &str, dest: &str) -> String {
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let s = src.split('/').filter(|s| !s.is_empty()).count();
    let rest: Vec<&str> = p.into_iter().skip(s).collect();
    normalise_path(&format!("{dest}/{}", rest.join("/")))
}

/// The last component of a path.
pub(super) fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Whether a path looks like a file (an extension, not a dot directory).
pub(super) fn looks_like_file(path: &str) -> bool {
    let base = base_name(path);
    !path.ends_with('/')
        && base
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext.len() <= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalise_path("/a/./b/../c/"), "/a/c");
        assert_eq!(resolve("/app", "/root", "dist"), "/app/dist");
        assert_eq!(resolve("/app", "/root", "~/.npm"), "/root/.npm");
        assert!(under("/app/dist/x.js", "/app/dist"));
        assert!(under("/app/dist", "/app/*"));
        assert!(under("/app/target/release/app", "/app/target/*/app"));
        assert!(!under("/app", "/app/dist"));
        assert_eq!(
            rebase("/app/dist/a.js", "/app/dist", "/usr/share/nginx/html"),
            "/usr/share/nginx/html/a.js"
        );
        assert!(looks_like_file("main.py"));
        assert!(!looks_like_file("src/"));
        assert!(!looks_like_file(".venv"));
    }
}
