//! Image references: `[registry/]path[:tag][@digest]`, normalised the way
//! Docker does (`python` → `docker.io/library/python`).

use serde::Serialize;

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ImageRef {
    /// Registry host, when the reference names one (`ghcr.io`, `localhost:5000`).
    pub registry: Option<String>,
    /// The repository path as written (`python`, `bitnami/redis`).
    pub path: String,
    /// The tag, if any.
    pub tag: Option<String>,
    /// The digest (`sha256:...`), if any.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` when it is empty, contains spaces or
    /// unexpanded variables, or is otherwise not a reference.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() || text.contains(['$', ' ', '\t']) {
            return None;
        }
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name.get(last_slash..).and_then(|tail| tail.rfind(':')) {
            Some(colon) => {
                let at = last_slash + colon;
                (name.get(..at)?, Some(name.get(at + 1..)?.to_string()))
            }
            None => (name, None),
        };
        if name.is_empty() || tag.as_deref() == Some("") || digest.as_deref() == Some("") {
            return None;
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        if path.is_empty() || path.split('/').any(str::is_empty) {
            return None;
        }
        Some(Self {
            registry,
            path,
            tag,
            digest,
        })
    }

    /// The registry, `docker.io` when none is written.
    pub fn registry_or_default(&self) -> &str {
        self.registry.as_deref().unwrap_or("docker.io")
    }

    /// The repository path Docker Hub uses (`python` → `library/python`).
    pub fn normalized_path(&self) -> String {
        if self.registry.is_none() && !self.path.contains('/') {
            format!("library/{}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// `docker.io/library/python`.
    pub fn normalized_name(&self) -> String {
        format!("{}/{}", self.registry_or_default(), self.normalized_path())
    }

    /// The last path component (`bitnami/redis` → `redis`).
    pub fn short_name(&self) -> &str {
        super::last_segment(&self.path)
    }

    /// Whether this is an official Docker Hub image (`python`, `library/python`).
    pub fn is_official(&self) -> bool {
        matches!(
            self.registry.as_deref(),
            None | Some("docker.io") | Some("index.docker.io")
        ) && (self.path.starts_with("library/") || !self.path.contains('/'))
    }

    /// The tag, `latest` when neither tag nor digest is given.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        write!(f, "{}", self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_and_normalise() {
        let r = ImageRef::parse("python:3.12-slim").unwrap_or_else(|| panic!("parses"));
        assert_eq!(
            (r.registry.as_deref(), r.path.as_str(), r.tag.as_deref()),
            (None, "python", Some("3.12-slim"))
        );
        assert_eq!(r.normalized_name(), "docker.io/library/python");
        assert!(r.is_official());
        let r = ImageRef::parse("localhost:5000/team/app@sha256:abc")
            .unwrap_or_else(|| panic!("parses"));
        assert_eq!(
            (
                r.registry.as_deref(),
                r.path.as_str(),
                r.tag.as_deref(),
                r.digest.as_deref()
            ),
            (Some("localhost:5000"), "team/app", None, Some("sha256:abc"))
        );
        assert_eq!(r.effective_tag(), None);
        let r = ImageRef::parse("gcr.io/distroless/static-debian12:nonroot")
            .unwrap_or_else(|| panic!("parses"));
        assert_eq!(
            (r.short_name(), r.is_official()),
            ("static-debian12", false)
        );
        assert_eq!(
            ImageRef::parse("bitnami/redis").map(|r| r.normalized_name()),
            Some("docker.io/bitnami/redis".into())
        );
        assert_eq!(
            ImageRef::parse("node").and_then(|r| r.effective_tag().map(str::to_string)),
            Some("latest".into())
        );
        for bad in ["", "${BASE}", "a b", "x:", "/x", "a//b"] {
            assert_eq!(ImageRef::parse(bad), None, "{bad}");
        }
        assert_eq!(
            ImageRef::parse("ghcr.io/o/r:1@sha256:x").map(|r| r.to_string()),
            Some("ghcr.io/o/r:1@sha256:x".into())
        );
    }
}
