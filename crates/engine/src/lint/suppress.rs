//! Suppression written in the Dockerfile: hadolint's pragmas (also spelled
//! `# restage ...`) and BuildKit's `# check=skip=...`.

use super::rule::{Origin, RuleMeta};
use crate::dockerfile::{DirectiveKind, Document, TriviaKind};

/// Where a pragma applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The line after the comment.
    NextLine,
    /// The rest of the stage: from the next line to the next `FROM`.
    Stage,
    /// The whole file.
    Global,
}

/// One `# hadolint ignore=...` style comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    /// The comment's line.
    pub line: usize,
    /// Where it applies.
    pub scope: Scope,
    /// The codes it names.
    pub codes: Vec<String>,
}

/// BuildKit's `# check=` options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// `skip=all`.
    pub skip_all: bool,
    /// `skip=Rule1,Rule2`.
    pub skip: Vec<String>,
    /// `experimental=all`.
    pub experimental_all: bool,
    /// `experimental=Rule1,...`.
    pub experimental: Vec<String>,
    /// `error=true`.
    pub error: bool,
}

impl CheckOptions {
    /// Parses the value of a `check=` directive or comment. BuildKit uses
    /// only the text before the first space and splits on `;` (at most 3 parts).
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.split(' ').next().unwrap_or_default();
        let mut out = Self::default();
        if value.is_empty() {
            return Ok(out);
        }
        for part in value.splitn(3, ';') {
            let Some((key, v)) = part.split_once('=') else {
                return Err(format!("invalid check option {part:?}"));
            };
            match key.trim() {
                "skip" => {
                    let v = v.trim();
                    if v == "all" {
                        out.skip_all = true;
                    } else {
                        out.skip.extend(v.split(',').map(|s| s.trim().to_string()));
                    }
                }
                "experimental" => {
                    let v = v.trim();
                    if v == "all" {
                        out.experimental_all = true;
                    } else {
                        out.experimental
                            .extend(v.split(',').map(|s| s.trim().to_string()));
                    }
                }
                "error" => {
                    out.error = match v.trim() {
                        "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
                        "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
                        other => {
                            return Err(format!(
                                "failed to parse check option {part:?}: strconv.ParseBool: parsing {other:?}: invalid syntax"
                            ));
                        }
                    }
                }
                other => return Err(format!("invalid check option {other:?}")),
            }
        }
        Ok(out)
    }

    /// Whether these options skip a BuildKit check.
    fn skips(&self, meta: &RuleMeta) -> bool {
        is_buildkit_check(meta)
            && (self.skip_all || self.skip.iter().any(|s| meta.aliases.contains(&s.as_str())))
    }
}

/// Whether a rule is (or includes) a BuildKit check.
pub fn is_buildkit_check(meta: &RuleMeta) -> bool {
    meta.origin == Origin::Buildkit
        || meta.aliases.iter().any(|a| {
            a.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !a.starts_with("DL")
        })
}

/// Everything in a file that suppresses findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    /// `# hadolint ...` / `# restage ...` pragmas.
    pub pragmas: Vec<Pragma>,
    /// The file's `# check=` directive.
    pub check: CheckOptions,
    /// Per instruction `# check=` comments: the instruction's lines and options.
    pub instruction_checks: Vec<(usize, usize, CheckOptions)>,
    /// Lines of `FROM` instructions (where stage pragmas end).
    from_lines: Vec<usize>,
}

impl Suppressions {
    /// Reads the suppressions of a document. With `pragmas` false, ignore
    /// pragmas are disregarded (`--disable-ignore-pragma`).
    pub fn read(doc: &Document, pragmas: bool) -> Self {
        let mut out = Self {
            check: doc
                .directive(DirectiveKind::Check)
                .and_then(|v| CheckOptions::parse(v).ok())
                .unwrap_or_default(),
            from_lines: doc
                .nodes
                .iter()
                .filter(|n| n.kind == crate::dockerfile::Keyword::From)
                .map(|n| n.start_line)
                .collect(),
            ..Self::default()
        };
        if pragmas {
            for t in doc.trivia.iter().filter(|t| t.kind == TriviaKind::Comment) {
                if let Some(p) = parse_pragma(t.span.text(&doc.source), t.line) {
                    out.pragmas.push(p);
                }
            }
        }
        for node in &doc.nodes {
            let check = node
                .prev_comment
                .iter()
                .find_map(|c| c.strip_prefix("check="))
                .and_then(|v| CheckOptions::parse(v).ok());
            if let Some(check) = check {
                out.instruction_checks
                    .push((node.start_line, node.end_line, check));
            }
        }
        out
    }

    /// Whether a finding of `meta` on `line` is suppressed.
    pub fn suppresses(&self, meta: &RuleMeta, line: usize) -> bool {
        if self.check.skips(meta) {
            return true;
        }
        if self
            .instruction_checks
            .iter()
            .any(|(start, end, c)| (*start..=*end).contains(&line) && c.skips(meta))
        {
            return true;
        }
        self.pragmas.iter().any(|p| {
            p.codes.iter().any(|c| meta.matches(c))
                && match p.scope {
                    Scope::Global => true,
                    Scope::NextLine => line == p.line + 1,
                    Scope::Stage => {
                        let end = self.from_lines.iter().copied().find(|&f| f > p.line + 1);
                        line > p.line && end.is_none_or(|e| line < e)
                    }
                }
        })
    }

    /// Whether an experimental BuildKit check is enabled.
    pub fn experimental_enabled(&self, meta: &RuleMeta) -> bool {
        self.check.experimental_all
            || self
                .check
                .experimental
                .iter()
                .any(|e| meta.aliases.contains(&e.as_str()))
    }
}

/// Parses `# hadolint ignore=A,B`, `# hadolint global ignore=A`,
/// `# hadolint stage ignore=A` (and the `restage` spellings). A trailing
/// `# reason` is allowed.
pub fn parse_pragma(comment: &str, line: usize) -> Option<Pragma> {
    let text = comment.trim().strip_prefix('#')?.trim_start();
    let rest = text
        .strip_prefix("hadolint")
        .or_else(|| text.strip_prefix("restage"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (scope, rest) = if let Some(r) = rest.strip_prefix("global") {
        (Scope::Global, r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage") {
        (Scope::Stage, r.trim_start())
    } else {
        (Scope::NextLine, rest)
    };
    let rest = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let list = rest.split('#').next().unwrap_or_default();
    let codes: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let valid = !codes.is_empty()
        && codes.iter().all(|c| {
            c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        });
    valid.then_some(Pragma { line, scope, codes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragmas_parse() {
        let p = |s: &str| parse_pragma(s, 1).map(|p| (p.scope, p.codes));
        let v = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            p("# hadolint ignore=DL3008,DL3009"),
            Some((Scope::NextLine, v(&["DL3008", "DL3009"])))
        );
        assert_eq!(
            p("#hadolint ignore = DL3008 , SC2086 # because"),
            Some((Scope::NextLine, v(&["DL3008", "SC2086"])))
        );
        assert_eq!(
            p("# hadolint global ignore=DL3003"),
            Some((Scope::Global, v(&["DL3003"])))
        );
        assert_eq!(
            p("# restage stage ignore=RS001,JSONArgsRecommended"),
            Some((Scope::Stage, v(&["RS001", "JSONArgsRecommended"])))
        );
        assert_eq!(p("# hadolint shell=powershell"), None);
        assert_eq!(p("# hadolintignore=DL3008"), None);
        assert_eq!(p("# hadolint ignore=crazy!,DL3002"), None);
        assert_eq!(p("# not a pragma"), None);
    }

    #[test]
    fn check_options_follow_buildkit() {
        let c = CheckOptions::parse("skip=JSONArgsRecommended,StageNameCasing;error=true // why")
            .unwrap_or_default();
        assert_eq!(c.skip, ["JSONArgsRecommended", "StageNameCasing"]);
        assert!(c.error);
        assert!(CheckOptions::parse("skip=all").unwrap_or_default().skip_all);
        assert_eq!(
            CheckOptions::parse("nope"),
            Err("invalid check option \"nope\"".to_string())
        );
        assert_eq!(
            CheckOptions::parse("error=maybe"),
            Err("failed to parse check option \"error=maybe\": strconv.ParseBool: parsing \"maybe\": invalid syntax".to_string())
        );
    }
}
