//! `restage report` as a user runs it: the size tables in text, the report
//! JSON, manifests read from beside the Dockerfile or given, the team
//! catalog of `restage.toml`, exit status.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PYTHON: &str = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";

fn restage_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    // HOME is the project: no user configuration of hadolint's applies.
    let mut child = Command::new(support::restage_bin())
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("restage runs");
    support::feed_stdin(&mut child, stdin);
    child.wait_with_output().expect("restage exits")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory with these files.
fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("restage-cli-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, content) in files {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(path, content).expect("write");
    }
    dir
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

fn before_disk(report: &serde_json::Value) -> u64 {
    report["size"]["before"]["disk"]["estimate_bytes"]
        .as_u64()
        .expect("bytes")
}

#[test]
fn text_has_lint_conversion_and_size_tables() {
    let dir = project("text", &[("Dockerfile", PYTHON)]);
    let out = restage_in(&dir, &["report", "Dockerfile"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for part in [
        "restage report: Dockerfile",
        "size: disk ",
        "== Findings ==",
        "== Multi-stage Dockerfile",
        "== Size ==",
        "BEFORE (the input)",
        "AFTER (the multi-stage Dockerfile)",
        "disk = unpacked",
        "pull = compressed",
        "catalog python:3.12 [",
        "Saving: disk ",
    ] {
        assert!(t.contains(part), "`{part}` missing from\n{t}");
    }
}

#[test]
fn manifests_beside_the_dockerfile_are_read_unless_told_not_to() {
    let dir = project(
        "beside",
        &[
            ("app/Dockerfile", PYTHON),
            ("app/requirements.txt", "torch==2.5.0\n"),
        ],
    );
    let with = json(&restage_in(
        &dir,
        &["report", "--format", "json", "app/Dockerfile"],
        b"",
    ));
    assert_eq!(
        with["size"]["before"]["manifests_used"][0],
        "requirements.txt"
    );
    let without = json(&restage_in(
        &dir,
        &[
            "report",
            "--format",
            "json",
            "--no-manifests",
            "app/Dockerfile",
        ],
        b"",
    ));
    assert!(
        without["size"]["before"]["manifests_used"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert!(
        before_disk(&with) > before_disk(&without) + 1_000_000_000,
        "torch: {} vs {}",
        before_disk(&with),
        before_disk(&without)
    );
    // --manifest adds one, also with --no-manifests and from standard input.
    let given = json(&restage_in(
        &dir,
        &[
            "report",
            "--format",
            "json",
            "--manifest",
            "app/requirements.txt",
            "-",
        ],
        PYTHON.as_bytes(),
    ));
    assert_eq!(before_disk(&given), before_disk(&with));
    let missing = restage_in(
        &dir,
        &["report", "--manifest", "nope.txt", "app/Dockerfile"],
        b"",
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("nope.txt"),
        "{}",
        text(&missing.stderr)
    );
}

#[test]
fn the_json_report_has_the_size_shape_and_the_saving() {
    let dir = project("json", &[("Dockerfile", PYTHON)]);
    let report = json(&restage_in(
        &dir,
        &["report", "--format", "json", "Dockerfile"],
        b"",
    ));
    let size = &report["size"];
    for side in ["before", "after"] {
        for unit in ["disk", "pull"] {
            for key in ["estimate_bytes", "low_bytes", "high_bytes"] {
                assert!(size[side][unit][key].is_u64(), "{side}.{unit}.{key}");
            }
        }
        let layer = &size[side]["stages"][0]["layers"][0];
        assert_eq!(layer["kind"], "base");
        assert!(layer["basis"][0]["source"].is_string(), "{layer}");
    }
    assert!(
        size["saving_percent"].as_f64().is_some_and(|p| p > 50.0),
        "{size}"
    );
    assert!(report["conversion"]["dockerfile"].is_string());
    assert!(report["findings"].is_array());
}

#[test]
fn a_team_catalog_names_its_own_base_images() {
    let dockerfile = "FROM registry.example.com/platform/base:2.3\nCOPY app /app\n";
    let rows = "ignored = [\"DL3006\"]\n\n[[images]]\nname = \"registry.example.com/platform/base\"\ntag = \"2.*\"\ndisk_bytes = 250000000\npull_bytes = 90000000\nsource = \"docker images on CI\"\ndate = \"2026-10-01\"\n";
    let dir = project(
        "team",
        &[("Dockerfile", dockerfile), ("restage.toml", rows)],
    );
    let report = json(&restage_in(
        &dir,
        &["report", "--format", "json", "Dockerfile"],
        b"",
    ));
    assert_eq!(
        report["size"]["before"]["stages"][0]["layers"][0]["disk"]["estimate_bytes"],
        250_000_000
    );
    assert_eq!(report["size"]["before"]["lower_bound"], false);
    // Without the catalog the image is unknown, with the reason.
    let other = project("team-none", &[("Dockerfile", dockerfile)]);
    let report = json(&restage_in(
        &other,
        &["report", "--format", "json", "Dockerfile"],
        b"",
    ));
    assert_eq!(report["size"]["before"]["lower_bound"], true);
    assert!(
        report["size"]["before"]["unknown"][0]
            .as_str()
            .is_some_and(|r| r.contains("not in the catalog")),
        "{}",
        report["size"]["before"]
    );
    // --config names the file; a bad row is an error that says which.
    std::fs::write(
        other.join("team.toml"),
        "[[images]]\nname = \"x\"\ntag = \"*\"\ndisk_bytes = 1\n",
    )
    .expect("write");
    let bad = restage_in(
        &other,
        &["report", "--config", "team.toml", "Dockerfile"],
        b"",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("row 1"), "{}", text(&bad.stderr));
}

#[test]
fn an_unparsable_dockerfile_exits_1_with_where() {
    let dir = project("bad", &[]);
    let out = restage_in(&dir, &["report", "-"], b"FROM a\nRUN <<EOF\necho\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("<stdin>:2:5: unterminated heredoc"),
        "{}",
        text(&out.stderr)
    );
}

/// `--user` (of `restage convert` and `restage report`) goes into `USER`
/// and the `useradd` that creates it: a value with a space or a line
/// break is refused with what is accepted, before anything is written.
#[test]
fn user_must_be_a_name_or_an_id() {
    let dir = project("user", &[("Dockerfile", PYTHON)]);
    for command in ["convert", "report"] {
        for user in ["app user", "app\nRUN id", ""] {
            let out = restage_in(&dir, &[command, "--user", user, "Dockerfile"], b"");
            assert_eq!(out.status.code(), Some(2), "{command} --user {user:?}");
            assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
            assert!(
                text(&out.stderr).contains("is not a user"),
                "{}",
                text(&out.stderr)
            );
        }
    }
    let out = restage_in(&dir, &["convert", "--user", "app:app", "Dockerfile"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("\nUSER app:app\n"),
        "{}",
        text(&out.stdout)
    );
}

/// `restage report` lints with the settings `restage lint` reads: a
/// `.hadolint.yaml` beside it, or one given with `--config`.
#[test]
fn report_reads_the_lint_settings_lint_reads() {
    let codes = |out: &Output| -> Vec<String> {
        json(out)["findings"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|x| x["code"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let with_cache = PYTHON.replace(" --no-cache-dir", "");
    let dir = project("hadolint-yaml", &[("Dockerfile", &with_cache)]);
    let before = codes(&restage_in(
        &dir,
        &["report", "--format", "json", "Dockerfile"],
        b"",
    ));
    assert!(before.iter().any(|c| c == "DL3042"), "{before:?}");
    std::fs::write(dir.join(".hadolint.yaml"), "ignored: [DL3042]\n").expect("write");
    let after = codes(&restage_in(
        &dir,
        &["report", "--format", "json", "Dockerfile"],
        b"",
    ));
    assert!(!after.iter().any(|c| c == "DL3042"), "{after:?}");
    std::fs::rename(dir.join(".hadolint.yaml"), dir.join("ci.yaml")).expect("rename");
    let given = codes(&restage_in(
        &dir,
        &[
            "report",
            "--format",
            "json",
            "--config",
            "ci.yaml",
            "Dockerfile",
        ],
        b"",
    ));
    assert!(!given.iter().any(|c| c == "DL3042"), "{given:?}");
}

#[test]
fn a_manifest_the_dockerfile_does_not_use_is_named_on_stderr() {
    let dir = project(
        "unused",
        &[
            ("Dockerfile", PYTHON),
            ("requirements.txt", "flask\n"),
            ("extra/requirements-dev.txt", "pytest\n"),
            ("extra/notes.md", "hello\n"),
        ],
    );
    let dev = dir.join("extra/requirements-dev.txt");
    let out = restage_in(
        &dir,
        &[
            "report",
            "--format",
            "json",
            "--manifest",
            &dev.to_string_lossy(),
            "Dockerfile",
        ],
        b"",
    );
    let report = json(&out);
    assert_eq!(
        report["size"]["before"]["manifests_used"],
        serde_json::json!(["requirements.txt"])
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("requirements-dev.txt"),
        "{stderr}"
    );
    assert!(stderr.contains("not used"), "{stderr}");
    // A file restage does not read as a manifest is named too.
    let notes = restage_in(
        &dir,
        &["report", "--manifest", "extra/notes.md", "Dockerfile"],
        b"",
    );
    assert!(notes.status.success());
    assert!(
        text(&notes.stderr).contains("extra/notes.md")
            && text(&notes.stderr).contains("not a manifest"),
        "{}",
        text(&notes.stderr)
    );
    // A manifest it uses: nothing on stderr.
    let used = restage_in(
        &dir,
        &["report", "--manifest", "requirements.txt", "Dockerfile"],
        b"",
    );
    assert!(used.status.success());
    assert_eq!(text(&used.stderr), "");
}

#[test]
fn an_unrecognised_ecosystem_is_called_unknown() {
    let dir = project("unknown", &[("Dockerfile", "FROM alpine\nCOPY\n")]);
    let out = restage_in(&dir, &["report", "Dockerfile"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("ecosystem: unknown\n"),
        "{}",
        text(&out.stdout)
    );
}
