//! The dispatch layer (stage graph, scopes, expansion) on the corpus.

use std::fs;

use restage::dockerfile::{
    self,
    instructions::parse_instructions,
    resolve::{ResolveOptions, resolve},
};

const CORPUS: &str = "../shared/corpus/files";

/// Corpus files that parse but that BuildKit refuses to build with no
/// build arguments, with its message.
const NEEDS_BUILD_ARGS: &[(&str, &str)] = &[
    // `FROM ${ARG}` with no default: only buildable with --build-arg.
    (
        "conan-io__conan-docker-tools__images__jenkins__Dockerfile",
        "base name ($SOURCE_CONANIO_IMAGE) should not be blank",
    ),
    (
        "dotnet__dotnet-docker__documentation__scripts__Dockerfile.distroless-wrapper",
        "base name ($DISTROLESS_IMAGE) should not be blank",
    ),
    (
        "dotnet__dotnet-docker__eng__docker-tools__Dockerfile.syft",
        "base name (${SYFT_IMAGE_NAME}) should not be blank",
    ),
    (
        "getsentry__self-hosted__clickhouse__Dockerfile",
        "base name (${BASE_IMAGE}) should not be blank",
    ),
    (
        "getsentry__self-hosted__cron__Dockerfile",
        "base name (${BASE_IMAGE}) should not be blank",
    ),
    (
        "netbox-community__netbox-docker__Dockerfile",
        "base name (${FROM}) should not be blank",
    ),
    (
        "tailscale__tailscale__ssh__tailssh__testcontainers__Dockerfile",
        "base name (${BASE}) should not be blank",
    ),
    // buildah's SELinux relabel option `z` is not a BuildKit mount field.
    (
        "containers__buildah__tests__bud__verify-cleanup__Dockerfile",
        "invalid field 'z' must be a key=value pair",
    ),
    // BuildKit's parser-only test files: `'a\'b'` and `\conf\\"` do not lex.
    (
        "moby__buildkit__frontend__dockerfile__parser__testfiles__env__Dockerfile",
        r#"failed to process "'a\\'b'": unexpected end of statement while looking for matching single-quote"#,
    ),
    (
        "moby__buildkit__frontend__dockerfile__parser__testfiles__escapes__Dockerfile",
        r#"failed to process "\\conf\\\\\"": unexpected end of statement while looking for matching double-quote"#,
    ),
];

#[test]
fn corpus_files_resolve_with_default_arguments() {
    let mut names: Vec<_> = fs::read_dir(CORPUS)
        .expect("corpus beside the checkout")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut resolved = 0;
    for name in &names {
        let Ok(text) = fs::read_to_string(format!("{CORPUS}/{name}")) else {
            continue;
        };
        let Ok(doc) = dockerfile::parse(&text) else {
            continue;
        };
        let Ok(ins) = parse_instructions(&doc) else {
            continue;
        };
        match resolve(&doc, &ins, &ResolveOptions::default()) {
            Ok(r) => {
                resolved += 1;
                assert_eq!(r.stages.len(), ins.stages.len());
                for (stage, got) in ins.stages.iter().zip(&r.stages) {
                    assert_eq!(stage.commands.len(), got.commands.len(), "{name}");
                }
            }
            Err(e) => {
                let got = format!("{e}");
                match NEEDS_BUILD_ARGS.iter().find(|(n, _)| n == name) {
                    Some((_, want)) if *want == got => {}
                    _ => failures.push(format!("{name}:{}: {got}", e.start_line)),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fail:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
    assert_eq!(resolved + NEEDS_BUILD_ARGS.len(), 595);
}
