//! `COPY` and `ADD`: sources (paths and heredoc files), destination, flags.

use serde::Serialize;

use super::InstructionError;
use super::flags::FlagKind;
use super::request::Request;
use crate::dockerfile::heredoc::{chomp_content, parse_heredoc};

/// `COPY`. Flag values are kept as written; expansion is later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyCommand {
    /// Source paths (every source that is not a heredoc marker).
    pub sources: Vec<String>,
    /// Inline files from heredocs (`COPY <<EOF /dest`).
    pub contents: Vec<SourceContent>,
    /// The destination (the last argument).
    pub dest: String,
    /// `--from`. An empty `--from=` is `None`: BuildKit looks a source
    /// stage or image up only for a non-empty value, so `COPY --from= . .`
    /// copies from the build context.
    pub from: Option<String>,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
}

/// `ADD`. Flag values are kept as written; expansion is later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddCommand {
    /// Source paths and URLs (every source that is not a heredoc marker).
    pub sources: Vec<String>,
    /// Inline files from heredocs.
    pub contents: Vec<SourceContent>,
    /// The destination (the last argument).
    pub dest: String,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--checksum`.
    pub checksum: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--keep-git-dir`.
    pub keep_git_dir: bool,
    /// `--unpack`, `None` when not given.
    pub unpack: Option<bool>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
}

/// A file written from a heredoc body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceContent {
    /// The file name (the heredoc delimiter).
    pub path: String,
    /// The body; leading tabs removed for `<<-`.
    pub data: String,
    /// Whether the body is expanded at build time (unquoted delimiter).
    pub expand: bool,
}

/// Sources, inline files and destination.
struct SourcesAndDest {
    sources: Vec<String>,
    contents: Vec<SourceContent>,
    dest: String,
}

/// `<KW> requires at least two arguments, ...`.
fn check_arity(req: &Request<'_>, keyword: &str) -> Result<(), InstructionError> {
    if req.args.len() < 2 {
        return Err(req.error(format!(
            "{keyword} requires at least two arguments, but only one was provided. Destination could not be determined"
        )));
    }
    Ok(())
}

/// BuildKit's `parseSourcesAndDest`.
fn sources_and_dest(req: &Request<'_>, keyword: &str) -> Result<SourcesAndDest, InstructionError> {
    let marker = |word: &str| parse_heredoc(word).ok().flatten();
    let Some((dest, sources)) = req.args.split_last() else {
        return Err(req.error(format!("{keyword} requires at least two arguments")));
    };
    if marker(dest).is_some() {
        return Err(req.arg_error(
            sources.len(),
            format!("{keyword} cannot accept a heredoc as a destination"),
        ));
    }
    let mut out = SourcesAndDest {
        sources: Vec::new(),
        contents: Vec::new(),
        dest: dest.clone(),
    };
    for src in sources {
        let Some(doc) = marker(src) else {
            out.sources.push(src.clone());
            continue;
        };
        // BuildKit looks bodies up by name; a later duplicate wins.
        let content = req
            .node
            .heredocs
            .iter()
            .rev()
            .find(|h| h.name == doc.name)
            .map(|h| h.content.as_str())
            .unwrap_or_default();
        out.contents.push(SourceContent {
            path: doc.name,
            data: if doc.chomp {
                chomp_content(content)
            } else {
                content.to_string()
            },
            expand: doc.expand,
        });
    }
    Ok(out)
}

/// `COPY`.
pub(crate) fn parse_copy(req: &Request<'_>) -> Result<CopyCommand, InstructionError> {
    check_arity(req, "COPY")?;
    let flags = req.flags(&[
        ("chmod", FlagKind::String),
        ("chown", FlagKind::String),
        ("exclude", FlagKind::Strings),
        ("from", FlagKind::String),
        ("link", FlagKind::Bool),
        ("parents", FlagKind::Bool),
    ])?;
    let sd = sources_and_dest(req, "COPY")?;
    Ok(CopyCommand {
        sources: sd.sources,
        contents: sd.contents,
        dest: sd.dest,
        from: flags.string("from").filter(|f| !f.is_empty()),
        chown: flags.string("chown"),
        chmod: flags.string("chmod"),
        link: flags.bool("link"),
        parents: flags.bool("parents"),
        exclude: flags.strings("exclude"),
    })
}

/// `ADD`.
pub(crate) fn parse_add(req: &Request<'_>) -> Result<AddCommand, InstructionError> {
    check_arity(req, "ADD")?;
    let flags = req.flags(&[
        ("checksum", FlagKind::String),
        ("chmod", FlagKind::String),
        ("chown", FlagKind::String),
        ("exclude", FlagKind::Strings),
        ("keep-git-dir", FlagKind::Bool),
        ("link", FlagKind::Bool),
        ("unpack", FlagKind::Bool),
    ])?;
    let sd = sources_and_dest(req, "ADD")?;
    Ok(AddCommand {
        sources: sd.sources,
        contents: sd.contents,
        dest: sd.dest,
        chown: flags.string("chown"),
        chmod: flags.string("chmod"),
        checksum: flags.string("checksum"),
        link: flags.bool("link"),
        keep_git_dir: flags.bool("keep-git-dir"),
        unpack: flags.bool_if_used("unpack"),
        exclude: flags.strings("exclude"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::command::CommandKind;
    use super::super::testutil::{check_errors, only};
    use super::*;

    fn copy(text: &str) -> CopyCommand {
        match only(text) {
            CommandKind::Copy(c) => c,
            other => panic!("{other:?}"),
        }
    }

    fn add(text: &str) -> AddCommand {
        match only(text) {
            CommandKind::Add(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn copy_forms() {
        let c = copy(
            "COPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md --exclude=.git a b /dst/",
        );
        assert_eq!(
            (c.sources.as_slice(), c.dest.as_str()),
            (["a".to_string(), "b".to_string()].as_slice(), "/dst/")
        );
        assert_eq!(c.from.as_deref(), Some("build"));
        assert_eq!(c.chown.as_deref(), Some("app:app"));
        assert_eq!(c.chmod.as_deref(), Some("755"));
        assert!(c.link && c.parents);
        assert_eq!(c.exclude, ["*.md", ".git"]);
        let c = copy("COPY [\"a b\", \"/d\"]");
        assert_eq!(
            (c.sources, c.dest),
            (vec!["a b".to_string()], "/d".to_string())
        );
        assert_eq!((c.from, c.chown, c.link), (None, None, false));
        let c = copy("COPY --chown=$UID:${GID} --from= -- a /d");
        assert_eq!(c.chown.as_deref(), Some("$UID:${GID}"));
        assert_eq!(c.from, None, "an empty --from= copies from the context");
    }

    #[test]
    fn heredoc_sources() {
        let c = copy("COPY <<one <<-\"two\" three /dest/\nfirst\none\n\tsecond\n\ttwo");
        assert_eq!(c.sources, ["three"]);
        assert_eq!(
            c.contents,
            [
                SourceContent {
                    path: "one".into(),
                    data: "first\n".into(),
                    expand: true
                },
                SourceContent {
                    path: "two".into(),
                    data: "second\n".into(),
                    expand: false
                },
            ]
        );
        // JSON form reads no bodies, but a marker-looking source still is one.
        let c = copy("COPY [\"<<EOF\", \"/d\"]");
        assert_eq!(
            c.contents,
            [SourceContent {
                path: "EOF".into(),
                data: String::new(),
                expand: true
            }]
        );
        assert!(c.sources.is_empty());
    }

    #[test]
    fn add_forms() {
        let a = add(
            "ADD --checksum=sha256:abc --keep-git-dir --unpack=false --chown=1 --chmod=644 --link --exclude=x https://e.com/a.tgz /a",
        );
        assert_eq!(a.checksum.as_deref(), Some("sha256:abc"));
        assert!(a.keep_git_dir && a.link);
        assert_eq!(a.unpack, Some(false));
        assert_eq!(
            (a.chown.as_deref(), a.chmod.as_deref()),
            (Some("1"), Some("644"))
        );
        assert_eq!(a.exclude, ["x"]);
        let a = add("ADD a /b");
        assert_eq!((a.unpack, a.keep_git_dir, a.checksum), (None, false, None));
        assert_eq!(add("ADD --unpack a /b").unpack, Some(true));
    }

    #[test]
    fn errors() {
        check_errors(&[
            (
                "COPY a",
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "COPY",
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "ADD a",
                "ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            // Arity is checked before flags.
            (
                "COPY --bogus a",
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            ("COPY --user=me foo /tmp/", "unknown flag: --user"),
            (
                "COPY --chwon=1 a b",
                "unknown flag: --chwon (did you mean chmod?)",
            ),
            (
                "COPY --form=x a b",
                "unknown flag: --form (did you mean from?)",
            ),
            ("ADD --from=x a b", "unknown flag: --from"),
            (
                "ADD --keep-git-dir=yes a b",
                "expecting boolean value for flag --keep-git-dir, not: yes",
            ),
            ("COPY --link= a b", "missing a value on flag: --link"),
            ("COPY --chown a b", "missing a value on flag: --chown"),
            (
                "COPY --from=a --from=b x y",
                "duplicate flag specified: --from",
            ),
            (
                "COPY a <<EOF\nx\nEOF",
                "COPY cannot accept a heredoc as a destination",
            ),
            (
                "ADD a <<EOF\nx\nEOF",
                "ADD cannot accept a heredoc as a destination",
            ),
        ]);
    }
}
