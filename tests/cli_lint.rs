//! `restage lint` as CI runs it: formats, exit codes, configuration.

mod support;

use std::process::{Command, Output, Stdio};

fn restage_in(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(support::restage_bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("restage runs");
    support::feed_stdin(&mut child, stdin);
    child.wait_with_output().expect("restage exits")
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("restage-cli-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const RELATIVE_WORKDIR: &[u8] = b"FROM alpine:3.20\nWORKDIR app\n";

#[test]
fn findings_fail_the_run_unless_below_the_threshold_or_no_fail() {
    let dir = scratch_dir("threshold");
    let out = restage_in(&dir, &["lint", "-"], RELATIVE_WORKDIR);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("-:2:1 DL3000 error: Use absolute WORKDIR"),
        "{}",
        text(&out.stdout)
    );
    let out = restage_in(&dir, &["lint", "--no-fail", "-"], RELATIVE_WORKDIR);
    assert_eq!(out.status.code(), Some(0));
    let out = restage_in(&dir, &["lint", "--style", "DL3000", "-"], RELATIVE_WORKDIR);
    assert_eq!(
        out.status.code(),
        Some(0),
        "style is below the default threshold (info)"
    );
    assert!(text(&out.stdout).contains("DL3000 style:"));
    let out = restage_in(
        &dir,
        &["lint", "-t", "none", "--style", "DL3000", "-"],
        RELATIVE_WORKDIR,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "`none` fails on anything, as in hadolint"
    );
    let out = restage_in(
        &dir,
        &["lint", "--ignore", "absolute-workdir", "-"],
        RELATIVE_WORKDIR,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("BK010 warning"),
        "with DL3000 off, BuildKit's own check speaks: {}",
        text(&out.stdout)
    );
    let out = restage_in(
        &dir,
        &[
            "lint",
            "--ignore",
            "absolute-workdir",
            "--ignore",
            "WorkdirRelativePath",
            "-",
        ],
        RELATIVE_WORKDIR,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
}

#[test]
fn parse_errors_and_missing_files_exit_1() {
    let dir = scratch_dir("errors");
    let out = restage_in(&dir, &["lint", "-f", "json", "-"], b"FROM a\nRUN <<EOF\n");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json[0]["code"], "DL1000");
    assert_eq!(json[0]["message"], "unterminated heredoc");
    assert_eq!(
        (&json[0]["column"], &json[0]["end_column"]),
        (&5.into(), &10.into())
    );
    // The text output underlines what is wrong, not the whole line: the
    // bad value of the flag, on the continued line it is on, after a tab.
    let out = restage_in(
        &dir,
        &["lint", "-f", "tty", "-"],
        b"FROM a:1\nHEALTHCHECK \\\n\t--interval=abc CMD true\n",
    );
    let stderr_and_out = text(&out.stdout);
    assert!(
        stderr_and_out.contains(
            "-:3:13 DL1000 error: dockerfile parse error on line 2: time: invalid duration \"abc\"\n  3 | \t--interval=abc CMD true\n    |             ^^^\n"
        ),
        "{stderr_and_out}"
    );
    let out = restage_in(&dir, &["lint", "missing.Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("missing.Dockerfile"));
    let out = restage_in(&dir, &["lint"], b"");
    assert_eq!(out.status.code(), Some(2), "clap: a file is required");
}

#[test]
fn configuration_files_are_found_and_flags_add_to_them() {
    let dir = scratch_dir("config");
    std::fs::write(dir.join("Dockerfile"), RELATIVE_WORKDIR).expect("write");
    std::fs::write(
        dir.join(".hadolint.yaml"),
        "ignored: [DL3000, WorkdirRelativePath]\n",
    )
    .expect("write");
    let out = restage_in(&dir, &["lint", "Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    std::fs::write(
        dir.join("restage.toml"),
        "failure-threshold = \"error\"\n[override]\nwarning = [\"DL3000\"]\n",
    )
    .expect("write");
    let out = restage_in(&dir, &["lint", "Dockerfile"], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "restage.toml wins over .hadolint.yaml; a warning is below `error`"
    );
    assert!(
        text(&out.stdout).contains("DL3000 warning"),
        "{}",
        text(&out.stdout)
    );
    let out = restage_in(&dir, &["lint", "-t", "warning", "Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(1), "flags beat files");
    std::fs::write(dir.join("bad.yaml"), "ignored: DL3000\n").expect("write");
    let out = restage_in(&dir, &["lint", "-c", "bad.yaml", "Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("restage: bad.yaml: ignored: invalid type"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn pragmas_suppress_and_can_be_disabled() {
    let dir = scratch_dir("pragmas");
    let file = b"FROM alpine:3.20\n# hadolint ignore=DL3000\nWORKDIR app\n";
    let out = restage_in(&dir, &["lint", "-"], file);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = restage_in(&dir, &["lint", "--disable-ignore-pragma", "-"], file);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn every_format_renders() {
    let dir = scratch_dir("formats");
    for format in [
        "tty",
        "json",
        "sarif",
        "gitlab_codeclimate",
        "checkstyle",
        "gnu",
        "junit",
    ] {
        let out = restage_in(
            &dir,
            &[
                "lint",
                "-f",
                format,
                "--file-path-in-report",
                "app/Dockerfile",
                "-",
            ],
            RELATIVE_WORKDIR,
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            text(&out.stdout).contains("app/Dockerfile"),
            "{format}: {}",
            text(&out.stdout)
        );
    }
    let out = restage_in(&dir, &["lint", "-f", "xml", "-"], RELATIVE_WORKDIR);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown format \"xml\""));
}

#[test]
fn many_files_are_reported_in_the_order_given() {
    let dir = scratch_dir("order");
    let mut names = Vec::new();
    for i in 0..40 {
        let name = format!("f{i:02}.Dockerfile");
        // Every file has one DL3000 finding, on a line that tells them apart.
        let body = format!("FROM alpine:3.20\n{}WORKDIR app{i}\n", "\n".repeat(i));
        std::fs::write(dir.join(&name), body).expect("write");
        names.push(name);
    }
    // Given in reverse, with a missing file in the middle.
    let mut args: Vec<&str> = vec!["lint", "-f", "gnu"];
    args.extend(names.iter().rev().take(20).map(String::as_str));
    args.push("missing.Dockerfile");
    args.extend(names.iter().rev().skip(20).map(String::as_str));
    let out = restage_in(&dir, &args, b"");
    assert_eq!(out.status.code(), Some(1));
    let reported: Vec<String> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.split(':').nth(1).map(str::to_string))
        .collect();
    let expected: Vec<String> = names.iter().rev().cloned().collect();
    assert_eq!(reported, expected);
    assert!(text(&out.stderr).contains("missing.Dockerfile"));
}

/// hadolint's `format:` key and `HADOLINT_FORMAT` choose the output when
/// `--format` is not given; the flag wins over both.
#[test]
fn the_configured_format_applies_unless_the_flag_says_otherwise() {
    let dir = scratch_dir("format");
    std::fs::write(dir.join(".hadolint.yaml"), "format: json\n").expect("write");
    let out = restage_in(&dir, &["lint", "-"], RELATIVE_WORKDIR);
    assert!(
        text(&out.stdout).trim_start().starts_with('['),
        "{}",
        text(&out.stdout)
    );
    let out = restage_in(&dir, &["lint", "-f", "gnu", "-"], RELATIVE_WORKDIR);
    assert!(
        text(&out.stdout).starts_with("restage:-:2:1: DL3000"),
        "{}",
        text(&out.stdout)
    );
    let mut child = Command::new(support::restage_bin())
        .args(["lint", "-"])
        .current_dir(&dir)
        .env("HOME", &dir)
        .env("HADOLINT_FORMAT", "gnu")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("restage runs");
    support::feed_stdin(&mut child, RELATIVE_WORKDIR);
    let out = child.wait_with_output().expect("restage exits");
    assert!(
        text(&out.stdout).starts_with("restage:-:2:1: DL3000"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(dir.join(".hadolint.yaml"), "format: bogus\n").expect("write");
    let out = restage_in(&dir, &["lint", "-"], RELATIVE_WORKDIR);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown format \"bogus\""),
        "{}",
        text(&out.stderr)
    );
}
