use std::collections::BTreeMap;

use super::*;
use crate::dockerfile::instructions::{MountType, parse_instructions};

fn run_with(text: &str, build_args: &[(&str, &str)]) -> Result<Resolution, ResolveError> {
    let doc = crate::dockerfile::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let ins = parse_instructions(&doc).unwrap_or_else(|e| panic!("{text}: {e}"));
    let options = ResolveOptions {
        build_args: build_args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        ..ResolveOptions::default()
    };
    resolve(&doc, &ins, &options)
}

fn run(text: &str) -> Resolution {
    run_with(text, &[]).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn error(text: &str) -> (String, usize) {
    match run_with(text, &[]) {
        Ok(r) => panic!("{text} must fail, got {r:?}"),
        Err(e) => (e.message, e.start_line),
    }
}

fn env_of(r: &Resolution, stage: usize, name: &str) -> Option<String> {
    r.stages[stage]
        .env
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

#[test]
fn global_args_are_visible_to_from_only() {
    let r =
        run("ARG TAG=3.20\nARG V=1\nFROM alpine:${TAG} AS a\nENV X=$V\nFROM a\nARG V\nENV Y=$V\n");
    assert_eq!(r.stages[0].base_name, "alpine:3.20");
    assert_eq!(r.stages[0].base, Base::Image("alpine:3.20".into()));
    assert_eq!(env_of(&r, 0, "X").as_deref(), Some(""));
    assert_eq!(r.stages[0].commands[0].unmatched, ["V".to_string()].into());
    assert_eq!(r.stages[1].base, Base::Stage(0));
    assert_eq!(env_of(&r, 1, "Y").as_deref(), Some("1"));
    assert_eq!(
        env_of(&r, 1, "X").as_deref(),
        Some(""),
        "env is inherited from a base stage"
    );
    assert_eq!(r.stages[1].args[0].source, ArgSource::Global);
    assert!(r.stages[1].commands[1].unmatched.is_empty());
}

#[test]
fn env_words_see_the_environment_before_the_instruction() {
    let r = run("FROM scratch\nENV a=1\nENV a=2 b=$a\nENV c=${a}${b}\n");
    assert_eq!(env_of(&r, 0, "b").as_deref(), Some("1"));
    assert_eq!(env_of(&r, 0, "c").as_deref(), Some("21"));
    assert_eq!(r.stages[0].base, Base::Scratch);
}

#[test]
fn arg_defaults_build_args_and_platform_args() {
    let text = "ARG GO=1.22\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\nARG TARGETARCH\nARG MODE=release-${TARGETARCH}\nARG GO\nENV OUT=/out/${MODE}/${GO}\n";
    let r = run(text);
    assert_eq!(r.stages[0].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(
        env_of(&r, 0, "OUT").as_deref(),
        Some("/out/release-amd64/1.22")
    );
    let r = run_with(text, &[("GO", "1.23"), ("MODE", "debug")]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.stages[0].base_name, "golang:1.23");
    assert_eq!(env_of(&r, 0, "OUT").as_deref(), Some("/out/debug/1.23"));
    let sources: Vec<_> = r.stages[0]
        .args
        .iter()
        .map(|a| (a.name.as_str(), a.source))
        .collect();
    assert_eq!(
        sources,
        [
            ("TARGETARCH", ArgSource::Global),
            ("MODE", ArgSource::BuildArg),
            ("GO", ArgSource::BuildArg)
        ]
    );
}

#[test]
fn declared_args_are_not_undefined() {
    let r = run("FROM alpine\nARG TOKEN\nENV T=$TOKEN U=$NOPE\nRUN echo $ALSO_NOT_EXPANDED\n");
    assert_eq!(
        r.stages[0].commands[1].unmatched,
        ["NOPE".to_string()].into()
    );
    assert!(
        r.stages[0].commands[2].unmatched.is_empty(),
        "RUN text is never expanded"
    );
}

#[test]
fn expanded_fields_per_instruction() {
    let r = run(concat!(
        "FROM alpine\n",
        "ENV D=/app U=app P=\"80 443\" SIG=TERM\n",
        "WORKDIR $D\n",
        "USER ${U}:${U}\n",
        "COPY --chown=$U --chmod=755 src/ $D/\n",
        "COPY <<EOF <<'RAW' $D/\n$U \"quoted\"\nEOF\n$U\nRAW\n",
        "EXPOSE $P 8080/udp\n",
        "VOLUME [\"$D/data\"]\n",
        "STOPSIGNAL SIG$SIG\n",
        "LABEL $U.name=\"$D\"\n",
        "CMD echo $D\n",
        "RUN --mount=type=cache,target=$D/.cache,id=$U true\n",
    ));
    let e: Vec<_> = r.stages[0].commands.iter().map(|c| &c.expanded).collect();
    assert_eq!(
        *e[1],
        Expanded::Workdir {
            path: "/app".into()
        }
    );
    assert_eq!(
        *e[2],
        Expanded::User {
            user: "app:app".into()
        }
    );
    let Expanded::Copy(copy) = e[3] else {
        panic!("{:?}", e[3])
    };
    assert_eq!(
        (copy.sources.clone(), copy.dest.as_str()),
        (vec!["src/".to_string()], "/app/")
    );
    assert_eq!(
        (copy.chown.as_deref(), copy.chmod.as_deref()),
        (Some("app"), Some("755"))
    );
    let Expanded::Copy(heredocs) = e[4] else {
        panic!("{:?}", e[4])
    };
    assert_eq!(
        heredocs.contents,
        [
            ("EOF".to_string(), "app \"quoted\"\n".to_string()),
            ("RAW".to_string(), "$U\n".to_string())
        ]
    );
    assert_eq!(
        *e[5],
        Expanded::Expose {
            ports: vec!["80".into(), "443".into(), "8080/udp".into()]
        }
    );
    assert_eq!(
        *e[6],
        Expanded::Volume {
            paths: vec!["/app/data".into()]
        }
    );
    assert_eq!(
        *e[7],
        Expanded::Stopsignal {
            signal: "SIGTERM".into()
        }
    );
    assert_eq!(
        *e[8],
        Expanded::Label {
            labels: vec![("app.name".into(), "/app".into())]
        }
    );
    assert_eq!(*e[9], Expanded::None);
    let Expanded::Run { mounts } = e[10] else {
        panic!("{:?}", e[10])
    };
    assert_eq!(mounts[0].kind, MountType::Cache);
    assert_eq!(mounts[0].target.as_deref(), Some("/app/.cache"));
    assert_eq!(mounts[0].id.as_deref(), Some("app"));
}

#[test]
fn the_stage_graph() {
    let r = run(concat!(
        "FROM golang AS build\nRUN go build\n",
        "FROM build AS test\nRUN go test\n",
        "FROM alpine\nCOPY --from=build /out /bin\nCOPY --from=0 /a /a\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\n",
        "RUN --mount=from=test,target=/t true\n",
    ));
    assert_eq!(r.stages[1].base, Base::Stage(0));
    assert_eq!(r.stages[1].display_name, "test");
    assert_eq!(r.stages[2].display_name, "stage-2");
    let deps: Vec<_> = r.stages[2]
        .dependencies
        .iter()
        .map(|d| (d.kind, d.source.clone(), d.command))
        .collect();
    assert_eq!(
        deps,
        [
            (DependencyKind::CopyFrom, Source::Stage(0), 0),
            (DependencyKind::CopyFrom, Source::Stage(0), 1),
            (
                DependencyKind::CopyFrom,
                Source::Image("nginx:alpine".into()),
                2
            ),
            (DependencyKind::MountFrom, Source::Stage(1), 3),
        ]
    );
    assert_eq!(
        run("FROM a\nRUN x\n").stages[0].display_name,
        "",
        "a single stage has no name"
    );
}

#[test]
fn from_only_finds_earlier_stages_by_exact_name() {
    let r = run("FROM later AS first\nFROM alpine AS later\n");
    assert_eq!(r.stages[0].base, Base::Image("later".into()));
    let r = run("FROM alpine AS base\nFROM BASE\n");
    assert_eq!(r.stages[1].base, Base::Image("BASE".into()));
}

#[test]
fn onbuild_triggers_run_first_in_child_stages() {
    let r = run(
        "FROM alpine AS base\nONBUILD ENV FROM_BASE=1\nONBUILD COPY --from=base /x /y\nFROM base\nENV B=$FROM_BASE\n",
    );
    assert_eq!(r.stages[1].onbuild.len(), 2);
    assert_eq!(
        r.stages[1].onbuild[0].line, 4,
        "triggers point at the child's FROM"
    );
    assert_eq!(env_of(&r, 1, "B").as_deref(), Some("1"));
    assert_eq!(r.stages[1].onbuild_dependencies[0].source, Source::Stage(0));
}

#[test]
fn errors_follow_buildkit() {
    let table: &[(&str, &str, usize)] = &[
        ("ARG B\nFROM $B\n", "base name ($B) should not be blank", 2),
        (
            "FROM --platform=$NOPE alpine\n",
            "empty platform value from expression $NOPE",
            1,
        ),
        (
            "FROM ${a:=x}\n",
            "failed to process \"${a:=x}\": unsupported modifier (:=) in substitution",
            1,
        ),
        (
            "FROM a\nENV X=${Y:?unset}\n",
            "failed to process \"${Y:?unset}\": Y: unset",
            2,
        ),
        (
            "FROM a\nCOPY --from=later /a /b\nFROM b AS later\n",
            "cannot copy from stage \"later\", it needs to be defined before current stage \"stage-0\"",
            2,
        ),
        ("FROM a\nCOPY --from=3 /a /b\n", "invalid stage index 3", 2),
        (
            "FROM a AS x\nCOPY --from=y /a /b\nFROM b AS y\nCOPY --from=x /a /b\n",
            "circular dependency detected on stage: x",
            2,
        ),
        (
            "FROM a AS x\nCOPY --from=x /a /b\n",
            "circular dependency detected on stage: x",
            2,
        ),
        ("FROM a\nSTOPSIGNAL SIGNOPE\n", "invalid signal: SIGNOPE", 2),
        ("FROM a\nEXPOSE 80/xyz\n", "invalid proto: xyz", 2),
        (
            "FROM a\nCOPY https://example.com/a /b\n",
            "source can't be a URL for COPY",
            2,
        ),
        (
            "FROM a\nADD --checksum=sha256:abc https://example.com/a /b\n",
            "invalid checksum digest length",
            2,
        ),
        (
            "FROM a\nRUN --mount=type=nope true\n",
            "unsupported mount type \"nope\"",
            2,
        ),
        (
            "FROM a\nRUN --mount=from=later,target=/t true\nFROM b AS later\n",
            "cannot mount from stage \"later\" to \"/t\", stage needs to be defined before current command",
            2,
        ),
    ];
    for (text, message, line) in table {
        assert_eq!(error(text), (message.to_string(), *line), "{text}");
    }
    let doc = crate::dockerfile::parse("ARG A\n").unwrap_or_else(|e| panic!("{e}"));
    let ins = parse_instructions(&doc).unwrap_or_else(|e| panic!("{e}"));
    let e = resolve(&doc, &ins, &ResolveOptions::default()).expect_err("no stages");
    assert_eq!(e.message, "dockerfile contains no stages to build");
}

#[test]
fn an_arg_does_not_see_its_own_names() {
    let doc = crate::dockerfile::parse("FROM scratch\nARG FOO=$FOO\nARG A=$B B=1 C=$B\nENV D=$C\n")
        .expect("parses");
    let typed = crate::dockerfile::instructions::parse_instructions(&doc).expect("typed");
    let r = resolve(&doc, &typed, &ResolveOptions::default()).expect("resolves");
    let stage = r.stages.first().expect("one stage");
    let undefined: Vec<Vec<String>> = stage
        .commands
        .iter()
        .map(|c| c.unmatched.iter().cloned().collect())
        .collect();
    assert_eq!(
        undefined,
        vec![vec!["FOO".to_string()], vec!["B".to_string()], vec![]]
    );
    assert!(
        stage.env.contains(&("D".to_string(), "1".to_string())),
        "{:?}",
        stage.env
    );
}

#[test]
fn partial_resolution_keeps_what_came_before_the_error() {
    let doc = crate::dockerfile::parse(
        "FROM alpine AS a\nENV X=1\nFROM a\nWORKDIR /$X\nEXPOSE ${P:?port}\nRUN true\n",
    )
    .expect("parses");
    let typed = crate::dockerfile::instructions::parse_instructions(&doc).expect("typed");
    let (partial, err) = resolve_partial(&doc, &typed, &ResolveOptions::default());
    let err = err.expect("the EXPOSE fails");
    assert_eq!(err.start_line, 5);
    assert_eq!(partial.stages.len(), 2);
    assert_eq!(partial.stages.get(1).map(|s| s.commands.len()), Some(1));
}

#[test]
fn expansions_stop_at_the_bound_for_the_whole_build() {
    // Each ENV adds a kilobyte to P and keeps the whole of it: the sum of
    // P's lengths passes 4 MiB at the 91st ENV (line 92).
    let more = "y".repeat(1024);
    let mut text = String::from("FROM alpine\n");
    for _ in 0..200 {
        text.push_str(&format!("ENV P=${{P}}{more}\n"));
    }
    let (message, line) = error(&text);
    assert!(
        message.ends_with("variable expansions over 4194304 bytes in all"),
        "{message}"
    );
    assert_eq!(line, 92);
    // Ninety of them are fine.
    let ok: String = text.lines().take(91).map(|l| format!("{l}\n")).collect();
    assert_eq!(env_of(&run(&ok), 0, "P").map(|p| p.len()), Some(90 * 1024));
}
