//! Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top of a file.

/// The default escape token.
pub const DEFAULT_ESCAPE: char = '\\';

/// A directive BuildKit's parser recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectiveKind {
    /// `# syntax=<frontend image>`.
    Syntax,
    /// `# escape=\` or `` # escape=` ``.
    Escape,
    /// `# check=skip=...;error=true`.
    Check,
}

impl DirectiveKind {
    fn from_key(key: &str) -> Option<Self> {
        match key {
            "syntax" => Some(Self::Syntax),
            "escape" => Some(Self::Escape),
            "check" => Some(Self::Check),
            _ => None,
        }
    }

    /// The directive's name as written in the file (lower case).
    pub fn name(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Escape => "escape",
            Self::Check => "check",
        }
    }
}

/// Tracks directive scanning: the escape token, which keys were seen, and
/// whether scanning has ended (it ends at the first line that is not a
/// known directive).
#[derive(Debug, Clone)]
pub struct DirectiveScanner {
    escape: char,
    done: bool,
    seen: Vec<DirectiveKind>,
}

impl Default for DirectiveScanner {
    fn default() -> Self {
        Self {
            escape: DEFAULT_ESCAPE,
            done: false,
            seen: Vec::new(),
        }
    }
}

impl DirectiveScanner {
    /// The escape token in effect.
    pub fn escape(&self) -> char {
        self.escape
    }

    /// Looks at one line (newline removed; for an instruction's first line,
    /// leading space removed too). Returns the directive it holds, if any;
    /// the error is BuildKit's message with the text it is about (the
    /// repeated directive's name, the bad escape token), a slice of `line`.
    pub fn check<'l>(
        &mut self,
        line: &'l str,
    ) -> Result<Option<(DirectiveKind, String)>, (String, &'l str)> {
        if self.done {
            return Ok(None);
        }
        let Some((key, value)) = split_directive(line) else {
            self.done = true;
            return Ok(None);
        };
        let Some(kind) = DirectiveKind::from_key(&key.to_ascii_lowercase()) else {
            self.done = true;
            return Ok(None);
        };
        if self.seen.contains(&kind) {
            return Err((
                format!("only one {} parser directive can be used", kind.name()),
                key,
            ));
        }
        self.seen.push(kind);
        if kind == DirectiveKind::Escape {
            self.escape = match value {
                "`" => '`',
                "\\" => '\\',
                other => {
                    return Err((
                        format!("invalid escape token '{other}' does not match ` or \\"),
                        other,
                    ));
                }
            };
        }
        Ok(Some((kind, value.to_string())))
    }
}

/// Go's RE2 `\s`: `[\t\n\f\r ]` (no vertical tab).
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` the way Go's regexp does.
pub fn split_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start_matches(is_re_space);
    let key_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let (key, rest) = rest.split_at(key_len);
    let rest = rest.trim_start_matches(is_re_space).strip_prefix('=')?;
    if rest.contains('\n') {
        return None;
    }
    let value = rest
        .trim_start_matches(is_re_space)
        .trim_end_matches(is_re_space);
    if !value.is_empty() {
        return Some((key, value));
    }
    // Only spaces follow `=`: the lazy `(.+?)` still takes one character,
    // the last one, because the greedy `\s*` before it gives that one back.
    let last = rest.char_indices().last()?.0;
    Some((key, rest.get(last..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_lines_split_like_go_regexp() {
        assert_eq!(split_directive("# escape=`"), Some(("escape", "`")));
        assert_eq!(split_directive("#ESCAPE = \\ "), Some(("ESCAPE", "\\")));
        assert_eq!(
            split_directive("# syntax = docker/dockerfile:1  "),
            Some(("syntax", "docker/dockerfile:1"))
        );
        assert_eq!(
            split_directive("# check=skip=A,B"),
            Some(("check", "skip=A,B"))
        );
        assert_eq!(split_directive("# escape= "), Some(("escape", " ")));
        assert_eq!(split_directive("# escape="), None);
        assert_eq!(split_directive("# 1x=y"), None);
        assert_eq!(split_directive("#!/bin/sh"), None);
        assert_eq!(split_directive("# x\u{b}=y"), None);
    }

    #[test]
    fn scanner_stops_at_first_other_line_and_rejects_repeats() {
        let mut d = DirectiveScanner::default();
        assert!(matches!(
            d.check("# escape=`"),
            Ok(Some((DirectiveKind::Escape, _)))
        ));
        assert_eq!(d.escape(), '`');
        assert_eq!(
            d.check("# escape=\\").map_err(|e| e.0),
            Err("only one escape parser directive can be used".to_string())
        );
        let mut d = DirectiveScanner::default();
        assert_eq!(d.check("# foo=bar"), Ok(None));
        assert_eq!(d.check("# escape=`"), Ok(None));
        assert_eq!(d.escape(), '\\');
        let mut d = DirectiveScanner::default();
        assert_eq!(
            d.check("# escape=x"),
            Err((
                "invalid escape token 'x' does not match ` or \\".to_string(),
                "x"
            ))
        );
    }
}
