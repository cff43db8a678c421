//! What a chosen runtime image can run: a musl runtime never gets a glibc
//! build or Debian package names, a shell-less runtime never keeps a
//! check it cannot run, and setup a runtime cannot run is carried over or
//! explained.

use super::*;

fn convert_as(text: &str, runtime: RuntimePreference) -> Result<Conversion, Refusal> {
    let options = ConvertOptions {
        runtime,
        ..ConvertOptions::default()
    };
    convert_text(text, &options).map(|o| o.conversion)
}

fn converted(text: &str, runtime: RuntimePreference) -> Conversion {
    convert_as(text, runtime).unwrap_or_else(|r| panic!("{text}\n{runtime:?} refused: {r}"))
}

/// The stage whose `FROM` line contains `from` (up to the next `FROM`).
fn stage<'a>(dockerfile: &'a str, from: &str) -> &'a str {
    let start = dockerfile.find(from).unwrap_or(dockerfile.len());
    let rest = dockerfile.get(start..).unwrap_or_default();
    let end = rest
        .get(1..)
        .and_then(|r| r.find("\nFROM "))
        .map_or(rest.len(), |e| e + 1);
    rest.get(..end).unwrap_or(rest)
}

/// The last stage.
fn runtime(dockerfile: &str) -> &str {
    dockerfile.rsplit("\nFROM ").next().unwrap_or_default()
}

const PYTHON_API: &str = "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev libjpeg-dev zlib1g-dev\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD [\"python\", \"main.py\"]\n";

const GO_HEALTHCHECK: &str = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/server\nRUN mkdir -p /data && chown 1000:1000 /data\nVOLUME /data\nEXPOSE 8080\nHEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1\nUSER 1000:1000\nCMD [\"/app\"]\n";

#[test]
fn python_on_alpine_builds_on_alpine_with_alpine_package_names() {
    let c = converted(PYTHON_API, RuntimePreference::Alpine);
    let d = &c.dockerfile;
    let builder = stage(d, "FROM python:3.12-alpine AS builder");
    assert!(
        builder.contains("RUN apk add --no-cache gcc musl-dev libpq-dev jpeg-dev zlib-dev\n"),
        "{d}"
    );
    let run = runtime(d);
    assert!(run.starts_with("python:3.12-alpine AS runtime"), "{d}");
    assert!(
        run.contains("RUN apk add --no-cache libpq libjpeg-turbo zlib\n"),
        "{d}"
    );
    assert!(
        run.contains("COPY --from=builder /opt/venv /opt/venv"),
        "{d}"
    );
    // Nothing of Debian is left: no apt, no Debian names, no glibc builder.
    for debian in [
        "apt-get",
        "libjpeg62-turbo",
        "zlib1g",
        "libpq5",
        "useradd",
        "FROM python:3.12 ",
    ] {
        assert!(!d.contains(debian), "{debian}\n{d}");
    }
}

#[test]
fn python_on_alpine_is_refused_when_it_cannot_build_on_alpine() {
    // The final stage copies packages a glibc stage built (saleor's shape).
    let glibc_stage = "FROM python:3.12 AS build\nRUN pip install --prefix=/install django\n\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y libxslt1-dev libffi8 && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /install /usr/local\nCOPY . /app\nCMD [\"python\", \"/app/manage.py\", \"runserver\"]\n";
    // Runtime setup with Debian's useradd, which BusyBox lacks.
    let useradd = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nRUN groupadd -r app && useradd -r -g app app\nCOPY . .\nUSER app\nCMD [\"python\", \"main.py\"]\n";
    // A package restage has no Alpine name for.
    let unknown = "FROM python:3.12\nRUN apt-get update && apt-get install -y libfoo-bar7 && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n";
    for (text, why) in [
        (glibc_stage, "glibc"),
        (useradd, "`groupadd`"),
        (unknown, "`libfoo-bar7`"),
    ] {
        match convert_as(text, RuntimePreference::Alpine) {
            Ok(c) => panic!("{why}: converted\n{}", c.dockerfile),
            Err(r) => {
                assert!(r.reason.contains(why), "{why}: {r}");
                assert!(r.reason.contains("--runtime slim"), "{r}");
            }
        }
        // The slim runtime, where nothing moves between C libraries, works.
        converted(text, RuntimePreference::Slim);
    }
}

#[test]
fn a_cgo_binary_keeps_the_c_library_it_was_built_against() {
    let debian = "FROM golang:1.22-bookworm\nRUN apt-get update && apt-get install -y gcc libsqlite3-dev\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=1 go build -o /app/bin/store .\nCMD [\"/app/bin/store\"]\n";
    let r = convert_as(debian, RuntimePreference::Alpine).err();
    assert!(
        r.as_ref().is_some_and(|r| r.reason.contains("links glibc")),
        "{r:?}"
    );
    let alpine = "FROM golang:1.22-alpine\nRUN apk add --no-cache gcc musl-dev sqlite-dev\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=1 go build -o /app/bin/store .\nCMD [\"/app/bin/store\"]\n";
    for preference in [RuntimePreference::Slim, RuntimePreference::Distroless] {
        let r = convert_as(alpine, preference).err();
        assert!(
            r.as_ref().is_some_and(|r| r.reason.contains("links musl")),
            "{preference:?}: {r:?}"
        );
    }
    let c = converted(alpine, RuntimePreference::Auto);
    assert!(
        runtime(&c.dockerfile).starts_with("alpine:"),
        "{}",
        c.dockerfile
    );
    assert!(
        runtime(&c.dockerfile).contains("sqlite-libs"),
        "{}",
        c.dockerfile
    );
}

#[test]
fn python_installs_the_http_client_its_healthcheck_runs() {
    let text = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nHEALTHCHECK CMD curl -fs http://localhost:8000/health || exit 1\nCMD [\"python\", \"main.py\"]\n";
    let slim = converted(text, RuntimePreference::Auto);
    assert!(
        runtime(&slim.dockerfile).contains("apt-get install -y --no-install-recommends curl"),
        "{}",
        slim.dockerfile
    );
    let alpine = converted(text, RuntimePreference::Alpine);
    assert!(
        runtime(&alpine.dockerfile).contains("RUN apk add --no-cache curl\n"),
        "{}",
        alpine.dockerfile
    );
}

#[test]
fn a_shell_healthcheck_moves_auto_to_a_runtime_that_can_run_it() {
    let c = converted(GO_HEALTHCHECK, RuntimePreference::Auto);
    let run = runtime(&c.dockerfile);
    assert!(
        run.starts_with("debian:trixie-slim AS runtime"),
        "{}",
        c.dockerfile
    );
    assert!(
        run.contains("ca-certificates tzdata wget"),
        "{}",
        c.dockerfile
    );
    assert!(
        run.contains("HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1"),
        "{}",
        c.dockerfile
    );
    assert!(
        c.assumptions
            .iter()
            .any(|a| a.contains("HEALTHCHECK") && a.contains("--runtime distroless")),
        "{:?}",
        c.assumptions
    );
}

#[test]
fn a_healthcheck_a_shell_less_runtime_cannot_run_is_dropped_and_explained() {
    let exec_wget = GO_HEALTHCHECK.replace(
        "HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1",
        "HEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://localhost:8080/health\"]",
    );
    let own = GO_HEALTHCHECK.replace(
        "HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1",
        "HEALTHCHECK CMD [\"/app\", \"healthcheck\"]",
    );
    for preference in [RuntimePreference::Distroless, RuntimePreference::Scratch] {
        for text in [GO_HEALTHCHECK, exec_wget.as_str()] {
            let c = converted(text, preference);
            assert!(!c.dockerfile.contains("HEALTHCHECK"), "{}", c.dockerfile);
            assert!(
                c.changes.iter().any(|ch| ch.kind == ChangeKind::Drop
                    && ch.source_lines == [8]
                    && ch.summary.contains("HEALTHCHECK")),
                "{:?}",
                c.changes
            );
            assert!(
                c.warnings.iter().any(|w| w.contains("line 8")
                    && w.contains("exec form")
                    && w.contains("probe")),
                "{:?}",
                c.warnings
            );
        }
        // A check the application answers itself stays.
        let c = converted(&own, preference);
        assert!(
            c.dockerfile
                .contains("HEALTHCHECK CMD [\"/app\", \"healthcheck\"]"),
            "{}",
            c.dockerfile
        );
    }
}

#[test]
fn a_directory_setup_prepared_reaches_a_shell_less_runtime_with_its_owner() {
    let c = converted(GO_HEALTHCHECK, RuntimePreference::Distroless);
    let d = &c.dockerfile;
    let builder = stage(d, "FROM golang:1.22 AS builder");
    assert!(
        builder.contains("RUN mkdir -p /data && chown 1000:1000 /data\n"),
        "{d}"
    );
    let run = runtime(d);
    let copy = run.find("COPY --from=builder --chown=1000:1000 /data /data\n");
    let volume = run.find("VOLUME /data\n");
    assert!(copy.is_some() && copy < volume, "{d}");
    // A user the image lacks: the directory goes to the user it runs as.
    let named = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nRUN useradd -u 1001 app && mkdir -p /data && chown app:app /data\nVOLUME /data\nUSER app\nCMD [\"/app\"]\n";
    let c = converted(named, RuntimePreference::Distroless);
    let run = runtime(&c.dockerfile);
    assert!(
        run.contains("COPY --from=builder --chown=nonroot:nonroot /data /data\n"),
        "{}",
        c.dockerfile
    );
    assert!(run.contains("USER nonroot:nonroot\n"), "{}", c.dockerfile);
    assert!(!run.contains("USER app"), "{}", c.dockerfile);
}

#[test]
fn setup_runs_stay_in_a_runtime_with_a_shell() {
    for preference in [RuntimePreference::Alpine, RuntimePreference::Slim] {
        let c = converted(GO_HEALTHCHECK, preference);
        let run = runtime(&c.dockerfile);
        let setup = run.find("RUN mkdir -p /data && chown 1000:1000 /data\n");
        let volume = run.find("VOLUME /data\n");
        assert!(setup.is_some() && setup < volume, "{}", c.dockerfile);
    }
    // A step on a source file the runtime stage does not get would fail
    // there: left out, and said so.
    let source_file = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o server .\nRUN chmod +x scripts/start.sh\nCMD [\"./server\"]\n";
    let c = converted(source_file, RuntimePreference::Slim);
    assert!(!c.dockerfile.contains("chmod"), "{}", c.dockerfile);
    assert!(
        c.changes
            .iter()
            .any(|ch| ch.kind == ChangeKind::Drop && ch.source_lines == [5]),
        "{:?}",
        c.changes
    );
    // Debian's useradd does not exist on Alpine: refused, not kept.
    let useradd = GO_HEALTHCHECK.replace("RUN mkdir -p", "RUN useradd -u 1000 app && mkdir -p");
    let r = convert_as(&useradd, RuntimePreference::Alpine).err();
    assert!(
        r.as_ref().is_some_and(|r| r.reason.contains("`useradd`")),
        "{r:?}"
    );
}

#[test]
fn no_instruction_leaves_without_a_change_log_entry() {
    for preference in [
        RuntimePreference::Auto,
        RuntimePreference::Alpine,
        RuntimePreference::Distroless,
    ] {
        let c = converted(GO_HEALTHCHECK, preference);
        assert_every_line_written_or_explained(GO_HEALTHCHECK, &c, &format!("{preference:?}"));
    }
}

/// Every line of `source` after its `FROM` is in the conversion or named by
/// one of its changes (`label` says which case failed).
pub(super) fn assert_every_line_written_or_explained(source: &str, c: &Conversion, label: &str) {
    let out: Vec<&str> = c.dockerfile.lines().map(str::trim).collect();
    for (n, line) in source.lines().enumerate().skip(1) {
        let explained = c
            .changes
            .iter()
            .any(|ch| ch.source_lines.contains(&(n + 1)));
        assert!(
            out.contains(&line.trim()) || explained,
            "{label}: line {} `{line}` left silently\n{}\n{:?}",
            n + 1,
            c.dockerfile,
            c.changes
        );
    }
}
