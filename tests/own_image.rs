//! restage's own `Dockerfile` is the example it preaches: `restage lint`
//! finds nothing in it at any severity, and `restage convert` leaves it as
//! it is, byte for byte. (`scripts/image-test` runs the image's binary the
//! way `scratch` would.)

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DOCKERFILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile");

/// Rules that are off by default and need no configuration: the test turns
/// them on too (the label-schema rules need a schema, so they stay off).
const OFF_BY_DEFAULT: &[&str] = &["DL1001", "DL3057", "BK019"];

/// An empty home directory, so no user configuration of hadolint's applies.
fn empty_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("restage-own-image-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn restage(args: &[&str], cwd: &Path) -> Output {
    let home = empty_home();
    Command::new(support::restage_bin())
        .args(args)
        .current_dir(cwd)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env_remove("NO_COLOR")
        .output()
        .expect("restage runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_dockerfile_has_no_pragmas_that_silence_the_linter() {
    let source = std::fs::read_to_string(DOCKERFILE).expect("Dockerfile");
    for pragma in ["hadolint", "check="] {
        assert!(
            !source.contains(pragma),
            "the Dockerfile must be clean without `{pragma}` pragmas"
        );
    }
}

#[test]
fn lint_finds_nothing_at_any_severity() {
    // In an empty directory: no `restage.toml` or `.hadolint.yaml` applies.
    let cwd = empty_home();
    let mut args = vec![
        "lint",
        "--format",
        "json",
        "--failure-threshold",
        "style",
        "--disable-ignore-pragma",
    ];
    for code in OFF_BY_DEFAULT {
        args.extend(["--style", code]);
    }
    args.push(DOCKERFILE);
    let out = restage(&args, &cwd);
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "restage lint Dockerfile: {}\n{stdout}\n{}",
        out.status,
        text(&out.stderr)
    );
    let findings: serde_json::Value = serde_json::from_str(&stdout).expect("JSON findings");
    assert_eq!(findings, serde_json::json!([]), "findings: {stdout}");
}

#[test]
fn convert_leaves_it_unchanged_byte_for_byte() {
    let source = std::fs::read(DOCKERFILE).expect("Dockerfile");
    let cwd = empty_home();
    let out = restage(&["convert", DOCKERFILE], &cwd);
    assert!(
        out.status.success(),
        "restage convert Dockerfile: {}\n{}",
        out.status,
        text(&out.stderr)
    );
    assert!(
        out.stdout == source,
        "restage convert changed the Dockerfile:\n{}",
        text(&out.stdout)
    );

    let out = restage(&["convert", "--format", "json", DOCKERFILE], &cwd);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["unchanged"], true, "{}", text(&out.stdout));
    assert_eq!(json["changes"], serde_json::json!([]));
}

#[test]
fn the_image_runs_what_the_scratch_test_runs() {
    // scripts/image-test proves the final stage by running the binary in an
    // empty root with exactly these settings; keep the two in step.
    let source = std::fs::read_to_string(DOCKERFILE).expect("Dockerfile");
    let final_stage = source
        .rsplit_once("\nFROM ")
        .map(|(_, stage)| stage)
        .expect("a final stage");
    for line in [
        "scratch\n",
        "COPY --from=builder /restage /restage\n",
        "COPY --from=builder --chown=65532:65532 /data /data\n",
        "USER 65532:65532\n",
        "VOLUME /data\n",
        "EXPOSE 8080\n",
        "ENV RESTAGE_BIND=0.0.0.0:8080 RESTAGE_DATABASE_URL=/data/restage.db\n",
        "HEALTHCHECK CMD [\"/restage\", \"healthcheck\"]\n",
        "ENTRYPOINT [\"/restage\"]\n",
        "CMD [\"serve\"]\n",
    ] {
        assert!(
            final_stage.contains(line),
            "the final stage lacks `{}`:\n{final_stage}",
            line.trim_end()
        );
    }
    let script =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/image-test"))
            .expect("scripts/image-test");
    assert!(script.contains("RESTAGE_DATABASE_URL=/data/restage.db"));
    assert!(script.contains("--userspec=65532:65532"));
}
