use super::*;
use crate::dockerfile::instructions::MountType;

fn model(text: &str) -> (crate::dockerfile::Document, ()) {
    (
        crate::dockerfile::parse(text).unwrap_or_else(|e| panic!("{e}")),
        (),
    )
}

#[test]
fn stages_bases_and_reachability() {
    let (doc, _) = model(concat!(
        "ARG BASE=python:3.12\n",
        "FROM ${BASE} AS build\nRUN pip install x\n",
        "FROM build AS test\nRUN pytest\n",
        "FROM python:3.12-slim\nCOPY --from=build /x /x\n",
    ));
    let m = Model::build(&doc);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(
        m.meta_args,
        [("BASE".to_string(), Some("python:3.12".to_string()))]
    );
    let BaseImage::Image { reference, image } = &m.stages[0].base else {
        panic!("{:?}", m.stages[0].base)
    };
    assert_eq!(reference, "python:3.12");
    assert_eq!(image.as_ref().map(|i| i.short_name()), Some("python"));
    assert_eq!(m.stages[1].base, BaseImage::Stage { index: 0 });
    assert_eq!(m.stages[0].used_by, [1, 2]);
    assert_eq!(
        m.stages
            .iter()
            .map(|s| (s.is_final, s.reaches_final))
            .collect::<Vec<_>>(),
        [(false, true), (false, false), (true, true)]
    );
    assert_eq!(m.stages[1].instructions, [4]);
}

#[test]
fn context_is_tracked_and_inherited() {
    let (doc, _) = model(concat!(
        "FROM alpine AS base\nWORKDIR /app\nUSER app\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
        "FROM base\nWORKDIR src\nRUN make\nUSER root\nRUN true\n",
    ));
    let m = Model::build(&doc);
    let run = &m.instructions[6];
    assert_eq!(run.context.workdir.as_deref(), Some("/app/src"));
    assert_eq!(run.context.user.as_deref(), Some("app"));
    assert_eq!(run.context.shell_program(), "/bin/bash");
    assert_eq!(m.instructions[8].context.user.as_deref(), Some("root"));
    assert_eq!(m.instructions[0].context, Context::default());
}

#[test]
fn runs_are_parsed_with_mounts_and_heredocs() {
    let (doc, _) = model(concat!(
        "FROM debian\nARG CACHE=/var/cache/apt\n",
        "RUN --mount=type=cache,target=${CACHE} apt-get update && apt-get install -y curl\n",
        "RUN <<EOF\nset -e\napk add git\nEOF\n",
        "RUN python3 <<EOF\nprint('not shell')\nEOF\n",
        "RUN [\"sh\", \"-c\", \"npm ci\"]\n",
        "ONBUILD RUN pip install x\n",
    ));
    let m = Model::build(&doc);
    let run = m.instructions[2]
        .run
        .as_ref()
        .unwrap_or_else(|| panic!("run"));
    assert_eq!(run.mounts[0].kind, MountType::Cache);
    assert!(run.has_cache_mount("/var/cache/apt/archives"));
    assert_eq!(run.commands().count(), 2);
    let heredoc = m.instructions[3]
        .run
        .as_ref()
        .unwrap_or_else(|| panic!("run"));
    assert_eq!(
        heredoc.commands().map(|c| c.line()).collect::<Vec<_>>(),
        ["set -e", "apk add git"]
    );
    let python = m.instructions[4]
        .run
        .as_ref()
        .unwrap_or_else(|| panic!("run"));
    assert_eq!(
        python.commands().map(|c| c.line()).collect::<Vec<_>>(),
        ["python3"]
    );
    let exec = m.instructions[5]
        .run
        .as_ref()
        .unwrap_or_else(|| panic!("run"));
    assert!(exec.exec_form);
    assert_eq!(
        exec.commands().map(|c| c.base_name()).collect::<Vec<_>>(),
        ["sh", "npm"]
    );
    let trigger = m.instructions[6]
        .trigger
        .as_ref()
        .unwrap_or_else(|| panic!("trigger"));
    assert_eq!(trigger.run.as_ref().map(|r| r.commands().count()), Some(1));
}

#[test]
fn broken_files_are_still_modelled() {
    let (doc, _) = model("RUN before\nARG B\nFROM $B\nFOO bar\nRUN apt-get install x\n");
    let m = Model::build(&doc);
    let messages: Vec<_> = m.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "no build stage in current context",
            "dockerfile parse error on line 4: unknown instruction: FOO (did you mean FROM?)",
            "base name ($B) should not be blank",
        ]
    );
    assert_eq!(m.stages.len(), 1);
    assert!(m.instructions[4].run.is_some());
    assert!(matches!(m.stages[0].base, BaseImage::Image { .. }));
}

#[test]
fn workdirs_join_like_buildkit() {
    assert_eq!(join_workdir(None, "app"), "/app");
    assert_eq!(join_workdir(Some("/a/b"), "../c/./d/"), "/a/c/d");
    assert_eq!(join_workdir(Some("/a"), "/x"), "/x");
}

proptest::proptest! {
    /// From a directory the model keeps, a `WORKDIR` read on its own gives
    /// what joining and cleaning the whole path gives.
    #[test]
    fn next_workdir_joins_like_a_whole_clean(
        start in proptest::option::of("[a./é]{0,12}"),
        path in "[a./é]{0,12}",
    ) {
        let current = start.map(|s| join_workdir(None, &s));
        proptest::prop_assert_eq!(
            super::build::next_workdir(current.as_deref(), &path),
            join_workdir(current.as_deref(), &path)
        );
    }
}

proptest::proptest! {
    /// Joining cleans as a list of components does: the size ledger's
    /// `normalise_path`, Go's `path.Clean` of `/` + the path.
    #[test]
    fn join_workdir_cleans_like_a_list_of_components(
        start in "[a./é]{0,12}",
        path in "[a./é]{0,12}",
    ) {
        let want = if path.starts_with('/') {
            crate::size::ledger::normalise_path(&path)
        } else {
            crate::size::ledger::normalise_path(&format!("{start}/{path}"))
        };
        proptest::prop_assert_eq!(join_workdir(Some(&start), &path), want);
    }
}

/// The working directory each `RUN` runs in, in order.
fn run_workdirs(m: &Model<'_>) -> Vec<String> {
    m.instructions
        .iter()
        .filter(|i| i.run.is_some())
        .map(|i| i.context.workdir.as_deref().unwrap_or_default().to_string())
        .collect()
}

/// Each problem's first line and message.
fn problem_lines<'m>(m: &'m Model<'_>) -> Vec<(usize, &'m str)> {
    m.problems
        .iter()
        .map(|p| (p.start_line, p.message.as_str()))
        .collect()
}

#[test]
fn a_workdir_past_path_max_is_a_problem_and_the_directory_stays() {
    let long = "d/".repeat(2_100);
    let (doc, _) = model(&format!(
        "FROM alpine:3.20\nWORKDIR /app\nRUN a\nWORKDIR {long}\nRUN b\nWORKDIR c\nRUN d\n"
    ));
    let m = Model::build(&doc);
    assert_eq!(run_workdirs(&m), ["/app", "/app", "/app/c"]);
    let messages = problem_lines(&m);
    assert_eq!(
        messages,
        [(
            4,
            "WORKDIR path longer than 4096 bytes: the build cannot create it"
        )]
    );
    assert_eq!(
        m.stages.first().and_then(|s| s.end.workdir.as_deref()),
        Some("/app/c")
    );
}

#[test]
fn thousands_of_relative_workdirs_are_followed_up_to_a_total() {
    let n = 2_100;
    let mut text = String::from("FROM alpine:3.20\nWORKDIR /app\n");
    text.push_str(&"WORKDIR a\n".repeat(n));
    text.push_str("RUN pwd\n");
    let (doc, _) = model(&text);
    let m = Model::build(&doc);
    // The directories made: /app (4 bytes), then 2 bytes longer each.
    let mut total = 4;
    let followed = (1..=n)
        .find(|k| {
            total += 4 + 2 * k;
            total > MAX_WORKDIR_BYTES_IN_ALL
        })
        .map_or(n, |k| k - 1);
    assert!(followed < n, "the total is reached");
    let messages = problem_lines(&m);
    assert_eq!(
        messages,
        [(
            3 + followed,
            "WORKDIR paths over 1048576 bytes in all: restage stops following them here"
        )]
    );
    let dir = run_workdirs(&m).pop().unwrap_or_default();
    assert_eq!(dir.len(), 4 + 2 * followed);
}

#[test]
fn instructions_share_their_context_instead_of_copying_it() {
    let user = "u".repeat(1_000);
    let (doc, _) = model(&format!("FROM alpine:3.20\nUSER {user}\nRUN a\nRUN b\n"));
    let m = Model::build(&doc);
    let users: Vec<&std::sync::Arc<str>> = m
        .instructions
        .iter()
        .filter(|i| i.run.is_some())
        .filter_map(|i| i.context.user.as_ref())
        .collect();
    assert_eq!(users.len(), 2);
    assert!(std::sync::Arc::ptr_eq(users[0], users[1]));
}
