//! Estimator tests: catalog lookups of the reference forms users write,
//! unknown images, how packages, caches and stages add up.

use super::*;

/// `name variant version` of the row a reference finds, `proxy` when the
/// version was not measured, or `unknown: reason`.
fn lookup(reference: &str) -> String {
    match Catalog::builtin().lookup(reference) {
        Lookup::Scratch => "scratch".into(),
        Lookup::Found(m) => {
            let variant = if m.entry.variant.is_empty() {
                "-"
            } else {
                &m.entry.variant
            };
            let proxy = if m.proxy { " proxy" } else { "" };
            format!("{} {variant}{proxy}", m.entry.name)
        }
        Lookup::Unknown(u) => format!("unknown: {}", u.reason),
    }
}

#[test]
fn normalisation_table() {
    let table: &[(&str, &str)] = &[
        ("python:3.12", "python -"),
        ("python:3.12.4-slim-bookworm", "python slim"),
        ("python:3.12-slim", "python slim"),
        ("docker.io/library/python:3.12", "python -"),
        (
            "index.docker.io/library/python:3.12-alpine",
            "python alpine",
        ),
        ("library/python:3.12-slim", "python slim"),
        (
            "public.ecr.aws/docker/library/python:3.12-slim",
            "python slim",
        ),
        ("mirror.gcr.io/library/python:3.12", "python -"),
        (
            "python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "python -",
        ),
        ("python:3.9-slim-buster", "python slim proxy"),
        ("python", "python - proxy"),
        ("node:20-alpine", "node alpine"),
        ("node:18-alpine", "node alpine proxy"),
        ("node:22-alpine3.20", "node alpine"),
        ("node:lts-slim", "node slim proxy"),
        ("node:iron", "node -"),
        ("node:hydrogen-slim", "node slim proxy"),
        ("node:22.11.0-bookworm", "node -"),
        ("golang:1.22", "golang - proxy"),
        ("golang:1.26-alpine3.21", "golang alpine"),
        ("rust:1-slim-bookworm", "rust slim"),
        ("rust:1.80-alpine", "rust alpine proxy"),
        (
            "eclipse-temurin:21-jre-alpine",
            "eclipse-temurin jre-alpine",
        ),
        ("eclipse-temurin:17-jdk-jammy", "eclipse-temurin jdk proxy"),
        ("eclipse-temurin:21", "eclipse-temurin jdk"),
        ("maven:3.9.6-eclipse-temurin-21", "maven eclipse-temurin"),
        (
            "maven:3-eclipse-temurin-17-alpine",
            "maven eclipse-temurin-alpine",
        ),
        ("gradle:8.10-jdk21", "gradle jdk"),
        (
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "mcr.microsoft.com/dotnet/sdk -",
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
            "mcr.microsoft.com/dotnet/aspnet chiseled",
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet:10.0-alpine",
            "mcr.microsoft.com/dotnet/aspnet alpine",
        ),
        (
            "mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim",
            "mcr.microsoft.com/dotnet/runtime-deps -",
        ),
        ("ruby:3.3-slim", "ruby slim"),
        ("php:8.3-fpm-alpine", "php fpm-alpine"),
        ("php:8.2-apache", "php apache proxy"),
        ("nginx:alpine", "nginx alpine"),
        ("nginx:1.27-alpine-slim", "nginx alpine-slim"),
        (
            "nginxinc/nginx-unprivileged:stable-alpine",
            "nginxinc/nginx-unprivileged alpine",
        ),
        ("httpd:2.4", "httpd -"),
        ("alpine:3.20", "alpine -"),
        ("alpine", "alpine -"),
        ("debian:bookworm-slim", "debian slim"),
        ("debian:12", "debian -"),
        ("ubuntu:22.04", "ubuntu -"),
        ("busybox:1.36-musl", "busybox -"),
        (
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/static -",
        ),
        (
            "gcr.io/distroless/static:latest",
            "gcr.io/distroless/static -",
        ),
        (
            "gcr.io/distroless/base-debian12:debug",
            "gcr.io/distroless/base debug",
        ),
        ("gcr.io/distroless/cc-debian12", "gcr.io/distroless/cc -"),
        (
            "gcr.io/distroless/java21-debian12",
            "gcr.io/distroless/java21 -",
        ),
        (
            "gcr.io/distroless/nodejs22-debian12:nonroot",
            "gcr.io/distroless/nodejs22 -",
        ),
        ("scratch", "scratch"),
        (
            "redhat/ubi9-minimal",
            "registry.access.redhat.com/ubi9/ubi-minimal -",
        ),
    ];
    assert!(table.len() >= 30);
    let mut wrong = Vec::new();
    for (reference, want) in table {
        let got = lookup(reference);
        if got != *want {
            wrong.push(format!("{reference}: got `{got}`, want `{want}`"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn unknown_images_stay_unknown_with_a_reason() {
    for (reference, reason) in [
        (
            "mycorp/base:1",
            "`mycorp/base:1` is not in the catalog; add it in restage.toml",
        ),
        (
            "python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "pinned by digest only",
        ),
        ("${BASE}", "not resolved"),
        (
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "Windows image",
        ),
        ("python:3.12-windowsservercore", "Windows image"),
        ("golang:1.10", "not version `1.10`"),
        ("python:3.12-bullseye-weird", "not the variant `weird`"),
        ("ghcr.io/acme/app:1.0", "not in the catalog"),
        ("quay.io/prometheus/busybox:latest", "not in the catalog"),
    ] {
        let got = lookup(reference);
        assert!(
            got.starts_with("unknown: ") && got.contains(reason),
            "{reference}: {got}"
        );
    }
}

fn size(text: &str) -> ImageSize {
    estimate_text(text, &SizeOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn mb(r: Range) -> f64 {
    r.estimate_bytes as f64 / MB
}

fn check_invariants(s: &ImageSize) {
    let ok = |r: Range| r.low_bytes <= r.estimate_bytes && r.estimate_bytes <= r.high_bytes;
    assert!(ok(s.disk) && ok(s.pull));
    assert!(s.pull.estimate_bytes <= s.disk.estimate_bytes);
    for st in &s.stages {
        assert!(ok(st.disk) && ok(st.pull));
        for l in &st.layers {
            assert!(ok(l.disk) && ok(l.pull), "{l:?}");
            assert!(l.pull.estimate_bytes <= l.disk.estimate_bytes, "{l:?}");
            assert!(l.pull.high_bytes <= l.disk.high_bytes, "{l:?}");
        }
        let sum: Range = st.layers.iter().map(|l| l.disk).sum();
        assert_eq!(sum, st.disk, "stage {} total", st.name);
    }
}

#[test]
fn an_unknown_base_makes_the_total_a_lower_bound() {
    let s = size("FROM mycorp/base:1\nCOPY app.py /app/\n");
    check_invariants(&s);
    assert!(s.lower_bound);
    assert_eq!(s.unknown.len(), 1);
    let base = s
        .stages
        .first()
        .and_then(|st| st.layers.first())
        .unwrap_or_else(|| panic!());
    assert!(base.unknown && base.disk.is_zero());
    assert!(base.note.contains("not in the catalog"), "{}", base.note);
    let text = render_text(&s);
    assert!(
        text.contains("unknown") && text.contains("at least"),
        "{text}"
    );
    let known = size("FROM python:3.12-slim\nCOPY app.py /app/\n");
    assert!(!known.lower_bound);
}

#[test]
fn team_rows_extend_the_catalog() {
    let rows = Catalog::parse_rows(
        "[[images]]\nname = \"mycorp/base\"\ntag = \"*\"\ndisk_mb = 250\npull_mb = 90\nsource = \"docker images on CI\"\ndate = \"2026-10-01\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let options = SizeOptions {
        manifests: Vec::new(),
        catalog: Catalog::with_extra(rows),
    };
    let s = estimate_text("FROM mycorp/base:1\n", &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.lower_bound);
    assert_eq!(s.disk.estimate_bytes, 250_000_000);
}

#[test]
fn packages_in_the_base_image_add_nothing_and_lists_count() {
    let full = size("FROM python:3.12\nRUN apt-get update && apt-get install -y gcc libpq-dev\n");
    let run = full
        .stages
        .first()
        .and_then(|s| s.layers.get(1))
        .unwrap_or_else(|| panic!());
    // Only the apt lists: gcc and libpq-dev are in the full image.
    assert!((15.0..=50.0).contains(&mb(run.disk)), "{run:?}");
    assert!(
        run.note.contains("already in the base image"),
        "{}",
        run.note
    );
    let slim = size(
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\n",
    );
    let run = slim
        .stages
        .first()
        .and_then(|s| s.layers.get(1))
        .unwrap_or_else(|| panic!());
    assert!((120.0..=260.0).contains(&mb(run.disk)), "{run:?}");
    assert!(
        !run.note.contains("apt package lists"),
        "lists removed in the same RUN: {}",
        run.note
    );
    let later = size(
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n",
    );
    let first = later
        .stages
        .first()
        .and_then(|s| s.layers.get(1))
        .unwrap_or_else(|| panic!());
    assert!(first.note.contains("apt package lists"), "{}", first.note);
    let removal = later
        .stages
        .first()
        .and_then(|s| s.layers.get(2))
        .unwrap_or_else(|| panic!());
    assert!(
        removal.disk.is_zero() && removal.note.contains("cannot free"),
        "{removal:?}"
    );
}

#[test]
fn recommends_and_purge() {
    let with = size(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y imagemagick && rm -rf /var/lib/apt/lists/*\n",
    );
    let without = size(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends imagemagick && rm -rf /var/lib/apt/lists/*\n",
    );
    assert!(with.disk.estimate_bytes > without.disk.estimate_bytes);
    let purged = size(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc curl && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n",
    );
    let curl = size(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
    );
    assert_eq!(purged.disk, curl.disk);
    let apk = size(
        "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps build-base && apk add --no-cache libpq && apk del .build-deps\n",
    );
    let run = apk
        .stages
        .first()
        .and_then(|s| s.layers.get(1))
        .unwrap_or_else(|| panic!());
    assert!(mb(run.disk) < 5.0, "{run:?}");
}

#[test]
fn build_stages_are_listed_not_counted_and_copy_from_takes_the_artifact() {
    let s = size(
        "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags='-s -w' -o /out/app ./cmd/app\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
    );
    check_invariants(&s);
    let build = s.stages.first().unwrap_or_else(|| panic!());
    assert_eq!(build.role, StageRole::Build);
    assert!(!build.in_image);
    assert!(mb(build.disk) > 800.0);
    let fin = s.stages.get(1).unwrap_or_else(|| panic!());
    assert_eq!(fin.role, StageRole::Final);
    assert!((4.0..=30.0).contains(&mb(s.disk)), "{:?}", s.disk);
    let copy = fin.layers.get(1).unwrap_or_else(|| panic!());
    assert!(copy.note.contains("Go binary (-s -w)"), "{}", copy.note);
    assert!(copy.basis.iter().any(|b| b.kind == BasisKind::Stage));
}

#[test]
fn stages_built_from_stages_count_through_the_base_row() {
    let s = size(
        "FROM python:3.12-slim AS base\nRUN pip install --no-cache-dir flask\n\nFROM base\nCOPY app.py /app/\n",
    );
    check_invariants(&s);
    let base = s.stages.first().unwrap_or_else(|| panic!());
    assert_eq!(base.role, StageRole::Base);
    assert!(base.in_image);
    let fin = s.stages.get(1).unwrap_or_else(|| panic!());
    assert_eq!(fin.layers.first().map(|l| l.disk), Some(base.disk));
    assert_eq!(s.disk, fin.disk);
}

#[test]
fn caches_left_in_layers() {
    let cached = size("FROM python:3.12-slim\nRUN pip install numpy pandas\n");
    let clean = size("FROM python:3.12-slim\nRUN pip install --no-cache-dir numpy pandas\n");
    let mounted = size(
        "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install numpy pandas\n",
    );
    assert!(cached.disk.estimate_bytes > clean.disk.estimate_bytes);
    assert_eq!(clean.disk, mounted.disk);
    let npm = size("FROM node:22-alpine\nWORKDIR /app\nRUN npm ci\n");
    let npm_clean =
        size("FROM node:22-alpine\nWORKDIR /app\nRUN npm ci && npm cache clean --force\n");
    assert!(npm.disk.estimate_bytes > npm_clean.disk.estimate_bytes);
    let chown = size(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir --target /app/deps numpy\nRUN chown -R nobody /app\n",
    );
    let last = chown
        .stages
        .first()
        .and_then(|s| s.layers.last())
        .unwrap_or_else(|| panic!());
    assert!(
        mb(last.disk) > 40.0,
        "chown -R copies the files again: {last:?}"
    );
}

#[test]
fn heredocs_are_exact_and_manifests_decide_dependencies() {
    let s = size(
        "FROM nginx:alpine\nCOPY <<EOF /etc/nginx/conf.d/default.conf\nserver { listen 80; }\nEOF\n",
    );
    let row = s
        .stages
        .first()
        .and_then(|st| st.layers.get(1))
        .unwrap_or_else(|| panic!());
    assert_eq!(row.disk, Range::exact(22));
    let files = vec![(
        "requirements.txt".to_string(),
        "numpy==2.0\npandas\n".to_string(),
    )];
    let with = estimate_text(
        "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
        &SizeOptions::with_manifests(&files),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = with
        .stages
        .first()
        .and_then(|st| st.layers.get(2))
        .unwrap_or_else(|| panic!());
    assert!(
        run.note.contains("numpy") && run.note.contains("pandas"),
        "{}",
        run.note
    );
    assert!(run.basis.iter().any(|b| b.kind == BasisKind::Manifest));
    let copy = with
        .stages
        .first()
        .and_then(|st| st.layers.get(1))
        .unwrap_or_else(|| panic!());
    assert_eq!(copy.disk, Range::exact(18));
    assert_eq!(with.manifests_used, ["requirements.txt"]);
    let bad = vec![("package.json".to_string(), "{".to_string())];
    let s = estimate_text(
        "FROM node:22\nRUN npm ci\n",
        &SizeOptions::with_manifests(&bad),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.manifest_errors.len(), 1);
}

#[test]
fn torch_cpu_index() {
    let files = vec![(
        "requirements.txt".to_string(),
        "--index-url https://download.pytorch.org/whl/cpu\ntorch\n".to_string(),
    )];
    let cpu = estimate_text(
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        &SizeOptions::with_manifests(&files),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cuda = size("FROM python:3.12-slim\nRUN pip install --no-cache-dir torch\n");
    assert!(cuda.disk.estimate_bytes > 2 * cpu.disk.estimate_bytes);
}

#[test]
fn no_from_and_unparsable_text() {
    // BuildKit rejects a file without instructions: so does the estimate.
    assert!(matches!(
        estimate_text("# nothing\n", &SizeOptions::default()),
        Err(SizeError::Parse { .. })
    ));
    // Instructions but no FROM: no image, a lower bound of nothing.
    let s = size("ARG VERSION=1\n");
    assert!(s.lower_bound && s.stages.is_empty());
    assert!(matches!(
        estimate_text("FROM a\nRUN <<EOF\n", &SizeOptions::default()),
        Err(SizeError::Parse { .. }) | Ok(_)
    ));
}

#[test]
fn from_build_arguments_resolves_through_arg_defaults() {
    let base = |text: &str| {
        let s = size(text);
        let row = s
            .stages
            .first()
            .and_then(|st| st.layers.first())
            .cloned()
            .unwrap_or_else(|| panic!("{text}"));
        (
            s.stages
                .first()
                .map(|st| st.base.clone())
                .unwrap_or_default(),
            row,
        )
    };
    let (name, row) = base("ARG BASE=python:3.12-slim\nFROM ${BASE}\n");
    assert_eq!(name, "python:3.12-slim");
    assert_eq!(
        row.basis.first().map(|b| b.name.as_str()),
        Some("python:3.12-slim")
    );
    let (_, row) = base("ARG PY=3.12\nARG VARIANT=slim\nFROM python:${PY}-${VARIANT}\n");
    assert_eq!(
        row.basis.first().map(|b| b.name.as_str()),
        Some("python:3.12-slim")
    );
    let (_, row) = base(
        "ARG REGISTRY=docker.io/library\nFROM $REGISTRY/python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
    );
    assert_eq!(
        row.basis.first().map(|b| b.name.as_str()),
        Some("python:3.12")
    );
    // No default: unknown, with the reason.
    let (_, row) = base("ARG BASE\nFROM ${BASE}\n");
    assert!(
        row.unknown && row.note.contains("not resolved"),
        "{}",
        row.note
    );
}

/// The layer of `line` in the only stage.
fn layer(s: &ImageSize, line: usize) -> LayerSize {
    s.stages
        .iter()
        .flat_map(|st| st.layers.iter())
        .find(|l| l.instruction_line == line)
        .cloned()
        .unwrap_or_else(|| panic!("no layer at line {line}: {s:?}"))
}

/// Notes say what the table says: the same rounding, plurals, no
/// placeholder in place of a measured image, real tags as the basis, and
/// an empty `--from=` copies the build context, as BuildKit reads it.
#[test]
fn notes_agree_with_the_table() {
    let s = size("FROM ubuntu:22.04\nRUN apk add --no-cache tzdata\nCOPY requirements.txt .\n");
    let base = layer(&s, 1);
    assert_eq!(
        base.note, "ubuntu:22.04",
        "no measured image, no `figures of`"
    );
    let run = layer(&s, 2);
    assert!(
        run.note.contains("1 package with") && !run.note.contains("1 packages"),
        "{}",
        run.note
    );
    let copy = layer(&s, 3);
    let column = render::mb(copy.disk.estimate_bytes);
    assert!(
        copy.note
            .ends_with(&format!("requirements.txt {column} MB")),
        "the note rounds as the column does ({column}): {}",
        copy.note
    );
    let basis = |text: &str| {
        layer(&size(text), 1)
            .basis
            .first()
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    assert_eq!(basis("FROM nginx:alpine\n"), "nginx:alpine");
    assert_eq!(
        basis("FROM gcr.io/distroless/static-debian12\n"),
        "gcr.io/distroless/static-debian12"
    );
    let s = size("FROM alpine:3.20\nCOPY --from= . .\n");
    let copy = layer(&s, 2);
    assert!(
        copy.note.starts_with("build context") && !copy.note.contains(" from "),
        "{}",
        copy.note
    );
}

/// Of `if`/`elif`/`else` bodies, `case` items and the sides of `||`, one
/// runs: the layer counts the largest and says so, and a later
/// `COPY --from` takes only what that arm made.
#[test]
fn one_arm_of_alternatives_is_counted() {
    let install = "RUN if [ -f yarn.lock ]; then yarn --frozen-lockfile; \\\n  elif [ -f package-lock.json ]; then npm ci; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm i --frozen-lockfile; \\\n  else echo \"Lockfile not found.\" && exit 1; fi\n";
    let branches = size(&format!(
        "FROM node:20-alpine AS deps\nWORKDIR /app\n{install}FROM node:20-alpine\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n"
    ));
    let npm = size(
        "FROM node:20-alpine AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n",
    );
    check_invariants(&branches);
    let run = layer(&branches, 3);
    assert_eq!(run.disk, layer(&npm, 3).disk, "{}", run.note);
    assert_eq!(run.note.matches("node_modules").count(), 1, "{}", run.note);
    assert!(
        run.note.contains("one branch of `if … elif … else` runs"),
        "{}",
        run.note
    );
    // What the final stage copies is one node_modules, not three.
    assert_eq!(branches.disk, npm.disk);
    // `a || b` and `case` arms.
    let either = layer(&size("FROM node:20-slim\nRUN npm ci || npm install\n"), 2);
    let one = layer(&size("FROM node:20-slim\nRUN npm ci\n"), 2);
    assert_eq!(either.disk, one.disk, "{}", either.note);
    let case = layer(
        &size("FROM node:20-slim\nRUN case \"$PM\" in yarn) yarn install ;; *) npm ci ;; esac\n"),
        2,
    );
    assert!(
        case.note.contains("one branch of `case` runs"),
        "{}",
        case.note
    );
    // Commands around the arms still count.
    let around = layer(
        &size("FROM python:3.12-slim\nRUN pip install flask && (npm ci || true)\n"),
        2,
    );
    assert!(around.note.contains("pip packages"), "{}", around.note);
}
