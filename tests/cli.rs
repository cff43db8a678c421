//! `restage parse` as a user runs it: output formats, exit status, errors.

mod support;

use std::process::{Command, Output, Stdio};

fn restage(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(support::restage_bin())
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

#[test]
fn dump_of_an_official_test_file_is_byte_identical() {
    let dir = "../shared/conformance/buildkit/testfiles/brimstone-consuldock";
    let out = restage(&["parse", &format!("{dir}/Dockerfile")], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = std::fs::read(format!("{dir}/result")).expect("result file");
    assert_eq!(text(&out.stdout), text(&expected));
}

#[test]
fn json_format_describes_nodes() {
    let out = restage(
        &["parse", "--format", "json", "-"],
        b"# the base\nFROM alpine AS build\nRUN <<EOF\necho hi\nEOF\nONBUILD COPY --chown=1 . /\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["escape"], "\\");
    let nodes = json["nodes"].as_array().expect("nodes");
    assert_eq!(nodes[0]["cmd"], "FROM");
    assert_eq!(
        nodes[0]["value"],
        serde_json::json!(["alpine", "AS", "build"])
    );
    assert_eq!(nodes[0]["prev_comment"], serde_json::json!(["the base"]));
    assert_eq!(nodes[1]["heredocs"][0]["content"], "echo hi\n");
    assert_eq!(
        (
            nodes[1]["start_line"].as_u64(),
            nodes[1]["end_line"].as_u64()
        ),
        (Some(3), Some(5))
    );
    assert_eq!(nodes[2]["sub_cmd"], "COPY");
    assert_eq!(nodes[2]["sub_flags"], serde_json::json!(["--chown=1"]));
}

#[test]
fn parse_errors_exit_1_with_file_line_and_buildkit_message() {
    let out = restage(&["parse", "-"], b"FROM a\nRUN <<EOF\nnever ends\n");
    assert_eq!(out.status.code(), Some(1));
    // FILE:LINE:COLUMN, the column that of the `<<EOF` left open.
    assert_eq!(text(&out.stderr), "<stdin>:2:5: unterminated heredoc\n");
    assert!(out.stdout.is_empty());

    let path = "../shared/conformance/buildkit/testfiles-negative/env_no_value/Dockerfile";
    let out = restage(&["parse", path], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("{path}:3:5: ENV must have two arguments\n")
    );
}

#[test]
fn bad_bytes_and_size_are_errors_not_panics() {
    let out = restage(&["parse", "-"], b"FROM a\nRUN \xff\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "<stdin>:2:5: invalid UTF-8 at byte offset 11 (line 2, column 5)\n"
    );
    let out = restage(&["parse", "--max-bytes", "4", "-"], b"FROM a\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("over the limit of 4 bytes"));
    let out = restage(&["parse", "/nonexistent/Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("restage: reading /nonexistent/Dockerfile"));
}

#[test]
fn stages_format_resolves_the_build() {
    let out = restage(
        &["parse", "--format", "stages", "--build-arg", "V=3.19", "-"],
        b"ARG V=3.20\nFROM alpine:$V AS build\nFROM scratch\nCOPY --from=build /x /y\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let stages = &json["resolution"]["stages"];
    assert_eq!(stages[0]["base_name"], "alpine:3.19");
    assert_eq!(
        stages[1]["dependencies"][0]["source"],
        serde_json::json!({"kind": "stage", "value": 0})
    );

    let out = restage(
        &["parse", "--format", "stages", "-"],
        b"FROM a\nCOPY --from=b /x /y\nFROM c AS b\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "<stdin>:2:13: cannot copy from stage \"b\", it needs to be defined before current stage \"stage-0\"\n"
    );
    let out = restage(&["parse", "--format", "stages", "-"], b"FROM a\nFOO bar\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "<stdin>:2:1: dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)\n"
    );
}

#[test]
fn a_script_the_shell_parser_panics_on_is_linted_quietly() {
    // brush-parser unwraps at the end of this unterminated `$(` beside a
    // here-document. The shell guard now keeps the script from it (and a
    // panic of a shape not yet known is caught, with the binary's panic
    // hook quiet for it); either way the script is read another way and
    // nothing on stderr may look like a crash.
    let file = "tests/fuzz-regressions/convert-panic-unterminated-substitution";
    for command in ["lint", "convert", "report"] {
        let out = restage(&[command, file], b"");
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{command}: {stderr}"
        );
    }
}

/// `convert` and `report` say where a Dockerfile goes wrong as `parse`
/// does, FILE:LINE:COLUMN, the column that of the mount option at fault.
#[test]
fn convert_and_report_name_the_column() {
    let text_in = b"FROM a\n  RUN <<EOF\n";
    for command in ["parse", "convert", "report"] {
        let out = restage(&[command, "-"], text_in);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert_eq!(
            text(&out.stderr),
            "<stdin>:2:7: unterminated heredoc\n",
            "{command}"
        );
    }
    let out = restage(
        &["convert", "-"],
        b"FROM python:3.12\nRUN --mount=type=cache,target=/x \\\n  --mount=type=bogus pip install x\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("(line 3, column 11: unsupported mount type \"bogus\")"),
        "{}",
        text(&out.stderr)
    );
}

/// An error of the whole file has no line to name: no `:0:`.
#[test]
fn an_empty_file_is_an_error_of_the_file_not_of_line_0() {
    for command in ["parse", "convert"] {
        let out = restage(&[command, "-"], b"");
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert_eq!(
            text(&out.stderr),
            "<stdin>: file with no instructions\n",
            "{command}"
        );
    }
}

/// `restage convert` reads the manifests beside the Dockerfile, as
/// `restage report` does: psycopg2 in requirements.txt needs libpq at run
/// time.
#[test]
fn convert_reads_the_manifests_beside_the_dockerfile() {
    let dir = std::env::temp_dir().join(format!("restage-cli-convert-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dockerfile = dir.join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n",
    )
    .expect("write");
    std::fs::write(dir.join("requirements.txt"), "flask\npsycopg2==2.9.9\n").expect("write");
    let path = dockerfile.to_string_lossy().into_owned();
    let out = restage(&["convert", &path], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("libpq5"),
        "{}",
        text(&out.stdout)
    );
    let out = restage(&["convert", "--no-manifests", &path], b"");
    assert!(
        !text(&out.stdout).contains("libpq5"),
        "{}",
        text(&out.stdout)
    );
}
