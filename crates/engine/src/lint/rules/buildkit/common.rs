//! Helpers shared by the BuildKit checks: Go's case mapping, BuildKit's
//! "did you mean" search, the global scope `FROM` lines see, and the
//! keyword of an instruction as written.

use std::sync::OnceLock;

use crate::dockerfile::gotext;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::{MAX_RESOLVED_BYTES, Scope, default_platform_args};
use crate::dockerfile::shell::{Env, Lexer};
use crate::dockerfile::{Keyword, Node};
use crate::lint::context::LintContext;
use crate::model::Instruction;

/// Go's `strings.ToLower`.
pub(super) fn go_lower(s: &str) -> String {
    gotext::to_lower(s)
}

/// Go's `strings.ToUpper` (simple case mapping: a character whose upper
/// case is several characters, such as `ß`, is kept).
pub(super) fn go_upper(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c.to_ascii_uppercase();
            }
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Whether `s` is all lower case or all upper case (BuildKit's
/// `isSelfConsistentCasing`).
pub(super) fn consistent_casing(s: &str) -> bool {
    is_go_lower(s) || is_go_upper(s)
}

/// Whether `go_lower(s) == s`, without building it when `s` is ASCII (a
/// keyword nearly always is).
pub(super) fn is_go_lower(s: &str) -> bool {
    if s.is_ascii() {
        !s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s == go_lower(s)
    }
}

/// Whether `go_upper(s) == s`, without building it when `s` is ASCII.
pub(super) fn is_go_upper(s: &str) -> bool {
    if s.is_ascii() {
        !s.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        s == go_upper(s)
    }
}

/// The Levenshtein distance between `a` and `b`, in characters (unit costs,
/// as `github.com/agext/levenshtein` computes it by default).
pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitute.min(delete).min(insert);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

/// BuildKit's `suggest.Search` (case-sensitive): the first option closer
/// than distance 3 with the smallest distance, or an exact match.
pub(super) fn suggest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(&str, usize)> = None;
    for option in options {
        if option == value {
            return Some(option.to_string());
        }
        let distance = levenshtein(value, option);
        if distance < best.map_or(3, |(_, d)| d) {
            best = Some((option, distance));
        }
    }
    best.map(|(o, _)| o.to_string())
}

/// The keyword of an instruction as written (`RUN`, `run`, `Run`).
pub(super) fn keyword_as_written<'a>(cx: &LintContext<'a>, instruction: &Instruction) -> &'a str {
    cx.model
        .doc
        .nodes
        .get(instruction.node)
        .map_or("", |n| n.keyword.as_str())
}

/// The node of an instruction.
pub(super) fn node<'a>(cx: &LintContext<'a>, instruction: &Instruction) -> Option<&'a Node> {
    cx.model.doc.nodes.get(instruction.node)
}

/// What the BuildKit checks derive from the model, worked out on first use
/// and kept for the rest of the lint (the [`LintContext`] holds one).
#[derive(Debug, Default)]
pub(crate) struct Memo {
    global_scope: OnceLock<Option<GlobalScope>>,
}

/// What `FROM` lines see when no build argument is given: BuildKit's
/// platform arguments, then the global `ARG`s with their default values.
/// The platform arguments are the default platforms' shared table; the
/// target stage and the `ARG` values are kept here and hide them.
#[derive(Debug)]
pub(super) struct GlobalScope {
    /// `TARGETSTAGE`: the name of the last stage.
    target_stage: String,
    /// The global `ARG`s with a value, in the order first set.
    own: Scope,
    /// Every global `ARG` name, with or without a value.
    pub declared: Vec<String>,
}

impl Env for GlobalScope {
    fn lookup(&self, name: &str) -> Option<&str> {
        if let Some(value) = self.own.get(name) {
            return Some(value);
        }
        if name == "TARGETSTAGE" {
            return Some(&self.target_stage);
        }
        default_platform_args()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl GlobalScope {
    /// Whether `name` is a platform argument or a declared global `ARG`.
    pub fn knows(&self, name: &str) -> bool {
        self.lookup(name).is_some() || self.declared.iter().any(|d| d == name)
    }

    /// The names BuildKit suggests from: declared `ARG`s and every variable.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .declared
            .iter()
            .map(String::as_str)
            .chain(self.own.names())
            .chain(default_platform_args().iter().map(|(k, _)| k.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// A lexer with the file's escape character.
    pub fn lexer(cx: &LintContext<'_>) -> Lexer {
        Lexer::new(cx.model.doc.escape)
    }

    fn set(&mut self, name: &str, value: String) {
        self.own.set(name.to_string(), value);
    }

    /// BuildKit's `buildMetaArgs` with no build arguments: each global
    /// `ARG` default expanded in order. `None` when an expansion fails
    /// (BuildKit then stops with an error). Worked out once per lint.
    pub fn read<'c>(cx: &'c LintContext<'_>) -> Option<&'c Self> {
        cx.buildkit_memo
            .global_scope
            .get_or_init(|| Self::work_out(cx))
            .as_ref()
    }

    fn work_out(cx: &LintContext<'_>) -> Option<Self> {
        let target = cx
            .model
            .stages
            .last()
            .and_then(|s| s.name.as_deref())
            .unwrap_or_default();
        let mut scope = Self {
            target_stage: target.to_string(),
            own: Scope::default(),
            declared: Vec::new(),
        };
        let lexer = Self::lexer(cx);
        let mut spent = 0usize;
        for instruction in cx
            .model
            .instructions
            .iter()
            .filter(|i| i.stage.is_none() && i.keyword == Keyword::Arg)
        {
            let Some(CommandKind::Arg(decls)) = instruction.kind() else {
                continue;
            };
            for decl in decls {
                if let Some(default) = &decl.default {
                    let value = lexer.process_word(default, &scope).ok()?;
                    // The model's bound on a build's expansions, here too.
                    spent = spent.saturating_add(value.len());
                    if spent > MAX_RESOLVED_BYTES {
                        return None;
                    }
                    scope.set(&decl.key, value);
                }
                scope.declared.push(decl.key.clone());
            }
        }
        Some(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("PAHT", "PATH"), 2);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("DIR_ASSET", "DIR_ASSETS"), 1);
        assert_eq!(
            suggest("DIR_ASSET", ["DIR_BINARIES", "DIR_ASSETS", "DIR_CONFIG"]),
            Some("DIR_ASSETS".into())
        );
        assert_eq!(suggest("version", ["tag", "TARGETOS"]), None);
        assert_eq!(
            suggest("BULIDPLATFORM", ["BUILDPLATFORM"]),
            Some("BUILDPLATFORM".into())
        );
    }

    #[test]
    fn go_casing() {
        assert_eq!(go_upper("from"), "FROM");
        assert_eq!(go_upper("straße"), "STRAßE");
        assert!(consistent_casing("FROM"));
        assert!(consistent_casing("from"));
        assert!(!consistent_casing("From"));
    }

    proptest::proptest! {
        #[test]
        fn casing_predicates_agree_with_the_mappings(s in "[a-zA-Z_ßÄäΣσ0-9-]{0,8}") {
            proptest::prop_assert_eq!(is_go_lower(&s), s == go_lower(&s));
            proptest::prop_assert_eq!(is_go_upper(&s), s == go_upper(&s));
        }
    }
}
