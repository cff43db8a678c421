//! Paths a conversion writes that the source wrote with a build argument.
//!
//! A strategy reads paths as the build resolves them (`WORKDIR $APP_PATH`
//! with `ARG APP_PATH=/opt/outline` is `/opt/outline`) and writes new
//! instructions with them (`COPY --from=builder /opt/outline
//! /opt/outline`). Written so, `--build-arg APP_PATH=/srv/app` would move
//! the builder's files but not the copy. This pass puts the variable back
//! into the `COPY`, `ADD` and `WORKDIR` instructions the plan adds
//! (`COPY --from=builder $APP_PATH $APP_PATH`) and declares the `ARG` in
//! each stage that uses it before its first use, since BuildKit scopes
//! `ARG`s to the stage that declares them.

use std::collections::{BTreeSet, HashMap};

use super::context::ConvertContext;
use super::plan::{ChangeSpec, Item, Plan};
use super::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::model::{Instruction, join_workdir};

/// A working directory the source wrote with build arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ArgPath {
    /// The path as the build resolves it (`/opt/outline`).
    resolved: String,
    /// As written (`$APP_PATH`, `${APP_PATH}/app`).
    written: String,
    /// The `ARG`s it uses, with the instruction that declares each.
    args: Vec<(String, usize)>,
}

/// The names of the variables a word uses (`$A`, `${B}`, `${C:-x}`).
fn variables(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        let after = rest.get(at + 1..).unwrap_or_default();
        let braced = after.strip_prefix('{');
        let body = braced.unwrap_or(after);
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        rest = body.get(name.len()..).unwrap_or_default();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// The stage's working directories written with its `ARG`s (and nothing
/// else: an `ENV` value is fixed), in order; a relative `WORKDIR` extends
/// the one before as written.
fn arg_paths(cx: &ConvertContext<'_>) -> Vec<ArgPath> {
    // The ARGs in scope, each with the instruction (index into the model)
    // that declares it; an ENV of the same name takes its place.
    let mut args: HashMap<String, usize> = HashMap::new();
    let mut written_dir: Option<(String, Vec<(String, usize)>)> = None;
    let mut out = Vec::new();
    for (index, i) in cx
        .stage
        .instructions
        .iter()
        .filter_map(|&k| cx.model.instructions.get(k).map(|i| (k, i)))
    {
        match i.kind() {
            Some(CommandKind::Arg(decls)) => {
                for d in decls {
                    args.insert(d.key.clone(), index);
                }
            }
            Some(CommandKind::Env(pairs)) => {
                for kv in pairs {
                    args.remove(&kv.key);
                }
            }
            Some(CommandKind::Workdir(path)) => {
                let expanded = match &i.expanded {
                    Some(Expanded::Workdir { path }) => Some(path.as_str()),
                    _ => None,
                };
                // Absolute when the build resolves it so (`$APP_PATH`).
                let absolute = expanded.is_some_and(|p| p.starts_with('/'));
                written_dir = workdir_as_written(i, path, absolute, written_dir.take(), &args);
                if let (Some((written, used)), Some(expanded)) = (&written_dir, expanded) {
                    let resolved = join_workdir(i.context.workdir.as_deref(), expanded);
                    if resolved != "/" && !used.is_empty() {
                        out.push(ArgPath {
                            resolved,
                            written: written.clone(),
                            args: used.clone(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The working directory after `WORKDIR path` as written (`absolute`
/// when the build resolves `path` to an absolute one), with the `ARG`s it
/// uses (`None` when it uses another variable).
fn workdir_as_written(
    i: &Instruction,
    path: &str,
    absolute: bool,
    before: Option<(String, Vec<(String, usize)>)>,
    args: &HashMap<String, usize>,
) -> Option<(String, Vec<(String, usize)>)> {
    let path = crate::model::shell::unquote(path);
    let mut used = Vec::new();
    for name in variables(&path) {
        used.push((name.clone(), *args.get(&name)?));
    }
    if absolute {
        return Some((path.trim_end_matches('/').to_string(), used));
    }
    let (base, mut base_used) = match before {
        Some(b) => b,
        None => (i.context.workdir.as_deref()?.to_string(), Vec::new()),
    };
    if base.contains('$') && base_used.is_empty() {
        return None;
    }
    base_used.extend(used);
    Some((
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            path.trim_end_matches('/')
        ),
        base_used,
    ))
}

/// A path word written with the variables of the longest [`ArgPath`] it
/// is or lies below, and that path.
fn rewrite_word<'p>(word: &str, paths: &'p [ArgPath]) -> Option<(String, &'p ArgPath)> {
    paths
        .iter()
        .filter(|p| {
            word == p.resolved
                || word
                    .strip_prefix(p.resolved.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|p| p.resolved.len())
        .and_then(|p| {
            let rest = word.get(p.resolved.len()..)?;
            Some((format!("{}{rest}", p.written), p))
        })
}

/// An added `COPY`/`ADD`/`WORKDIR` with its paths written with the
/// variables, and the paths used; `None` when nothing changes (or the
/// instruction is not one line of plain words).
fn rewrite_text<'p>(text: &str, paths: &'p [ArgPath]) -> Option<(String, Vec<&'p ArgPath>)> {
    let keyword = text.split(' ').next()?;
    if !matches!(keyword, "COPY" | "ADD" | "WORKDIR") || text.contains(['\n', '[', '"', '\'']) {
        return None;
    }
    let mut used = Vec::new();
    let words: Vec<String> = text
        .split(' ')
        .enumerate()
        .map(|(n, w)| match rewrite_word(w, paths) {
            Some((new, p)) if n > 0 && !w.starts_with("--") => {
                used.push(p);
                new
            }
            _ => w.to_string(),
        })
        .collect();
    (!used.is_empty()).then(|| (words.join(" "), used))
}

/// The names an `ARG` item of a plan declares.
fn declared_by(cx: &ConvertContext<'_>, item: &Item) -> Vec<String> {
    match item {
        Item::Keep { node, .. } | Item::Rewrite { node, .. } => cx
            .doc
            .nodes
            .get(*node)
            .filter(|n| n.kind == Keyword::Arg)
            .map(|n| {
                n.args
                    .iter()
                    .map(|a| a.split('=').next().unwrap_or(a).to_string())
                    .collect()
            })
            .unwrap_or_default(),
        Item::Add { text, .. } => text
            .strip_prefix("ARG ")
            .map(|rest| {
                rest.split_whitespace()
                    .map(|a| a.split('=').next().unwrap_or(a).to_string())
                    .collect()
            })
            .unwrap_or_default(),
        Item::Comment(_) | Item::Blank => Vec::new(),
    }
}

/// Writes the paths of the `COPY`, `ADD` and `WORKDIR` instructions the
/// plan adds with the build arguments the source wrote them with, and
/// declares each `ARG` in the stages that use it, before the first use.
pub fn keep_arg_paths(cx: &ConvertContext<'_>, plan: &mut Plan) {
    let paths = arg_paths(cx);
    if paths.is_empty() {
        return;
    }
    for stage in &mut plan.stages {
        let mut declared: BTreeSet<String> = BTreeSet::new();
        let mut items = Vec::with_capacity(stage.items.len());
        for mut item in std::mem::take(&mut stage.items) {
            declared.extend(declared_by(cx, &item));
            if let Item::Add { text, change } = &mut item
                && let Some((new, used)) = rewrite_text(text, &paths)
            {
                for (name, index) in used.iter().flat_map(|p| p.args.iter()) {
                    if !declared.insert(name.clone()) {
                        continue;
                    }
                    if let Some(arg) = cx.model.instructions.get(*index) {
                        items.push(Item::Keep {
                            node: arg.node,
                            change: Some(ChangeSpec::new(
                                ChangeKind::Keep,
                                format!("Build argument `{name}` declared for this stage"),
                                "the paths after it are written with it, and BuildKit scopes an ARG to the stage that declares it",
                                vec![arg.start_line],
                            )),
                        });
                    }
                }
                let names: Vec<String> = used
                    .iter()
                    .flat_map(|p| p.args.iter().map(|(n, _)| format!("`${n}`")))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                change.reason = format!(
                    "{}; the path keeps {} as the source writes it, so that `--build-arg` still moves it",
                    change.reason,
                    names.join(", ")
                );
                *text = new;
            }
            items.push(item);
        }
        stage.items = items;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    #[test]
    fn variables_of_words() {
        assert_eq!(variables("$A/${B}/${C:-x}/d"), ["A", "B", "C"]);
        assert!(variables("/opt/app").is_empty());
    }

    fn converted(text: &str) -> String {
        convert_text(text, &ConvertOptions::default())
            .map(|o| o.conversion.dockerfile)
            .unwrap_or_else(|r| panic!("refused: {r}"))
    }

    /// outline's Dockerfile.base: the whole application directory is
    /// copied at the path its `WORKDIR $APP_PATH` names.
    #[test]
    fn copies_keep_the_argument_of_the_working_directory() {
        let out = converted(
            "ARG APP_PATH=/opt/outline\nFROM node:22 AS deps\nARG APP_PATH\nWORKDIR $APP_PATH\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\nENV PORT=3000\nCMD [\"yarn\", \"start\"]\n",
        );
        assert!(
            out.contains("COPY --from=builder $APP_PATH $APP_PATH"),
            "{out}"
        );
        assert!(!out.contains("/opt/outline /opt/outline"), "{out}");
        // Declared in the runtime stage before the copy.
        let runtime = out.split("AS deps").nth(1).unwrap_or_default();
        let arg = runtime.find("ARG APP_PATH");
        let copy = runtime.find("COPY --from=builder $APP_PATH");
        assert!(arg.is_some() && arg < copy, "{out}");
    }

    /// A stage that uses the path without declaring the `ARG` gets the
    /// source's declaration before the first use.
    #[test]
    fn the_argument_is_declared_where_the_path_is_used() {
        use crate::convert::plan::{StageFrom, StagePlan};
        let text =
            "FROM debian:12\nARG APP=/opt/app\nWORKDIR $APP/srv\nRUN make\nCMD [\"./app\"]\n";
        let doc = crate::dockerfile::parse(text).expect("parses");
        let model = crate::model::Model::build(&doc);
        let options = ConvertOptions::default();
        let cx = ConvertContext::of_last_stage(&doc, &model, &options);
        let copy = |text: &str| Item::Add {
            text: text.into(),
            change: ChangeSpec::new(ChangeKind::CopyArtifact, "copy", "why", vec![]),
        };
        let mut plan = Plan::new(
            crate::convert::Ecosystem::Cpp,
            "test",
            crate::convert::Confidence::High,
        );
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Source,
            from_change: None,
            items: vec![
                copy("COPY --from=builder /opt/app/srv/app /usr/local/bin/app"),
                copy("COPY --from=builder /opt/application /opt/application"),
            ],
        });
        keep_arg_paths(&cx, &mut plan);
        let items = plan
            .stages
            .first()
            .map(|s| s.items.clone())
            .unwrap_or_default();
        let arg_node = model
            .instructions
            .iter()
            .find(|i| i.keyword == Keyword::Arg)
            .map(|i| i.node);
        assert!(
            matches!(items.first(), Some(Item::Keep { node, .. }) if Some(*node) == arg_node),
            "{items:?}"
        );
        let texts: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Add { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "COPY --from=builder $APP/srv/app /usr/local/bin/app",
                "COPY --from=builder /opt/application /opt/application",
            ]
        );
    }

    /// A path written with an `ENV` is fixed: it stays as resolved.
    #[test]
    fn env_paths_stay_resolved() {
        let out = converted(
            "FROM node:22\nENV APP_PATH=/opt/app\nWORKDIR $APP_PATH\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\nCMD [\"yarn\", \"start\"]\n",
        );
        assert!(!out.contains("--from=builder $APP_PATH"), "{out}");
    }
}
