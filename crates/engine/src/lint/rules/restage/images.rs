//! What restage knows about base images without asking a registry: SDK
//! images and their runtime counterparts, full images with a slim variant,
//! images that run as a non-root user, and floating tags. Messages quote
//! sizes from the size catalog ([`crate::size::image_sizes`]).

use crate::model::image::ImageRef;

/// An SDK or toolchain image, what to run on instead, and what to compare
/// its size with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sdk {
    /// What the image is (`the Go SDK`).
    pub what: &'static str,
    /// The runtime image(s) to use instead.
    pub runtime: String,
    /// A runtime image to compare sizes with (the catalog's figures), when
    /// one stands for the others.
    pub compare_with: Option<String>,
}

/// The Java feature release a tag names (`21-jdk-jammy` → 21,
/// `3.9-eclipse-temurin-17` → 17, `8-jdk21-alpine` → 21), `21` when none.
fn java_major(tag: &str, first: bool) -> String {
    let numbers: Vec<String> = tag
        .split('-')
        .filter_map(|w| {
            let w = w.trim_start_matches("jdk").trim_start_matches("open");
            let major = w.split(['.', '_', 'u']).next().unwrap_or_default();
            (!major.is_empty() && major.chars().all(|c| c.is_ascii_digit()))
                .then(|| major.to_string())
        })
        .collect();
    let pick = if first {
        numbers.first()
    } else {
        numbers
            .iter()
            .rev()
            .find(|n| n.parse::<u32>().is_ok_and(|v| v >= 8))
    };
    pick.cloned().unwrap_or_else(|| "21".to_string())
}

/// Whether a tag names a JRE (`21-jre`, `open-17-jre-jammy`).
fn is_jre(tag: &str) -> bool {
    tag.split('-').any(|w| w.starts_with("jre"))
}

/// The SDK an image is, if it is one. The language images that also run
/// programs (`node`, `python`, `ruby`, `php`) are not SDKs; their full
/// variants are RS012's business.
pub(super) fn sdk(image: &ImageRef) -> Option<Sdk> {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let official_name = image.is_official().then(|| image.short_name());
    let official = |n: &str| official_name == Some(n);
    let path = image.path.to_ascii_lowercase();
    let mcr = image.registry.as_deref() == Some("mcr.microsoft.com");
    if official("golang") {
        return Some(Sdk {
            what: "the Go SDK",
            runtime: "`gcr.io/distroless/static-debian12` (or `scratch`) for a CGO_ENABLED=0 binary, `gcr.io/distroless/base-debian12` with cgo".into(),
            compare_with: Some("gcr.io/distroless/static-debian12".into()),
        });
    }
    if official("rust") {
        return Some(Sdk {
            what: "the Rust toolchain",
            runtime: "`gcr.io/distroless/cc-debian12` (or `debian:<codename>-slim`) for a glibc build, `scratch` or `gcr.io/distroless/static-debian12` for a musl build".into(),
            compare_with: Some("gcr.io/distroless/cc-debian12".into()),
        });
    }
    if official("maven") || official("gradle") {
        let major = java_major(tag, false);
        return Some(Sdk {
            what: if official("maven") {
                "Maven with a JDK"
            } else {
                "Gradle with a JDK"
            },
            runtime: format!(
                "`eclipse-temurin:{major}-jre` (or `gcr.io/distroless/java{major}-debian13`)"
            ),
            compare_with: Some(format!("eclipse-temurin:{major}-jre")),
        });
    }
    let jdk = |runtime: String, major: &str| {
        Some(Sdk {
            what: "a JDK",
            runtime,
            compare_with: Some(format!("eclipse-temurin:{major}-jre")),
        })
    };
    if official("eclipse-temurin") && !is_jre(tag) {
        let major = java_major(tag, true);
        let alpine = if tag.contains("alpine") {
            "-alpine"
        } else {
            ""
        };
        return jdk(format!("`eclipse-temurin:{major}-jre{alpine}`"), &major);
    }
    if (official("openjdk") || official("amazoncorretto") || official("sapmachine")) && !is_jre(tag)
    {
        let major = java_major(tag, true);
        return jdk(
            format!("a JRE: `eclipse-temurin:{major}-jre` (the `openjdk` images are deprecated)"),
            &major,
        );
    }
    if official("ibm-semeru-runtimes") && tag.contains("jdk") {
        let major = java_major(tag, true);
        return jdk(format!("`ibm-semeru-runtimes:open-{major}-jre`"), &major);
    }
    if mcr && (path == "dotnet/sdk" || path == "dotnet/core/sdk") {
        return Some(Sdk {
            what: "the .NET SDK",
            runtime: format!(
                "`mcr.microsoft.com/dotnet/aspnet:{tag}` for a web app, `mcr.microsoft.com/dotnet/runtime:{tag}` for a console app, `runtime-deps` for a self-contained one"
            ),
            compare_with: Some(format!("mcr.microsoft.com/dotnet/aspnet:{tag}")),
        });
    }
    if official("gcc") {
        return Some(Sdk {
            what: "the GCC toolchain",
            runtime: "`gcr.io/distroless/cc-debian12` or `debian:<codename>-slim` for a dynamic binary, `scratch` for a static one".into(),
            compare_with: None,
        });
    }
    if official("buildpack-deps") {
        return Some(Sdk {
            what: "a build-dependencies image (compilers and headers)",
            runtime: "`debian:<codename>-slim` (or `ubuntu`) with only the runtime libraries"
                .into(),
            compare_with: None,
        });
    }
    if official("swift") && !tag.contains("slim") {
        return Some(Sdk {
            what: "the Swift toolchain",
            runtime: format!("`swift:{tag}-slim`"),
            compare_with: None,
        });
    }
    if official("haskell") {
        return Some(Sdk {
            what: "the Haskell toolchain",
            runtime: "`debian:<codename>-slim` with the program's runtime libraries".into(),
            compare_with: None,
        });
    }
    if official("dart") {
        return Some(Sdk {
            what: "the Dart SDK",
            runtime: "`scratch` with the `/runtime/` directory of the dart image and the `dart compile exe` output".into(),
            compare_with: None,
        });
    }
    None
}

/// A full image of a language or distribution with a slim variant: the
/// slim reference and what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Slim {
    /// The slim tag to use.
    pub reference: String,
    /// What the slim variant leaves out.
    pub without: &'static str,
}

/// Debian and Ubuntu codenames used in image tags.
pub(super) const CODENAMES: &[&str] = &[
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "sid", "bionic",
    "focal", "jammy", "noble",
];

/// The slim variant of a full Debian-based official image (`python:3.12`
/// → `python:3.12-slim`, `node:20-bookworm` → `node:20-bookworm-slim`,
/// `debian:bookworm` → `debian:bookworm-slim`), when one exists.
pub(super) fn slim_variant(image: &ImageRef) -> Option<Slim> {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let words: Vec<&str> = tag.split('-').collect();
    let variant = |w: &str| {
        w.starts_with("slim")
            || w.starts_with("alpine")
            || w.starts_with("windowsservercore")
            || w.starts_with("nanoserver")
            || w == "onbuild"
            || w == "backports"
    };
    if words.iter().any(|w| variant(w)) {
        return None;
    }
    let name = image.short_name();
    let official = image.is_official();
    if !official {
        return None;
    }
    let reference = match name {
        // `python:3.12-bookworm` → `python:3.12-slim-bookworm`.
        "python" | "ruby" | "perl" | "erlang" | "elixir" => {
            let slim = match (tag, words.as_slice()) {
                ("latest", _) => "slim".to_string(),
                (_, [version, codename]) if CODENAMES.contains(codename) => {
                    format!("{version}-slim-{codename}")
                }
                (_, [only]) if CODENAMES.contains(only) => format!("slim-{only}"),
                _ => format!("{tag}-slim"),
            };
            format!("{}:{slim}", image.path)
        }
        // `node:20-bookworm` → `node:20-bookworm-slim`.
        "node" => {
            let slim = if tag == "latest" {
                "slim".to_string()
            } else {
                format!("{tag}-slim")
            };
            format!("{}:{slim}", image.path)
        }
        "debian" => {
            let slim = if matches!(
                tag,
                "latest" | "stable" | "testing" | "unstable" | "oldstable"
            ) || CODENAMES.contains(&tag)
                || tag.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                if tag == "latest" {
                    "stable-slim".to_string()
                } else {
                    format!("{tag}-slim")
                }
            } else {
                return None;
            };
            format!("{}:{slim}", image.path)
        }
        _ => return None,
    };
    let reference = match &image.registry {
        Some(r) => format!("{r}/{reference}"),
        None => reference,
    };
    let without = if name == "debian" {
        "documentation, man pages and extra locales"
    } else {
        "the compilers, headers and tools of buildpack-deps"
    };
    Some(Slim { reference, without })
}

/// Images known to run as a non-root user by default, by how they are
/// named: distroless `:nonroot` tags, `*-nonroot` tags, Chainguard images
/// (except `wolfi-base`), Bitnami images (except `minideb`), .NET
/// `-chiseled` images, `nginxinc/nginx-unprivileged`, and official or
/// vendor images whose Dockerfile ends with a non-root `USER` (Jenkins,
/// Grafana, Prometheus, SonarQube, Keycloak, Jupyter, Elastic, Selenium,
/// memcached, ...).
pub(super) fn runs_as_non_root(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let path = image.path.to_ascii_lowercase();
    let registry = image.registry.as_deref().unwrap_or("docker.io");
    if tag == "nonroot" || tag.ends_with("-nonroot") || tag.starts_with("nonroot-") {
        return true;
    }
    if registry == "cgr.dev" {
        return !path.ends_with("/wolfi-base");
    }
    if path.starts_with("bitnami/") && path != "bitnami/minideb" {
        return true;
    }
    if registry == "mcr.microsoft.com" && path.starts_with("dotnet/") && tag.contains("chiseled") {
        return true;
    }
    const USERS: &[&str] = &[
        "nginxinc/nginx-unprivileged",
        "jenkins/jenkins",
        "jenkins/inbound-agent",
        "grafana/grafana",
        "grafana/grafana-oss",
        "grafana/loki",
        "prom/prometheus",
        "prom/alertmanager",
        "prom/node-exporter",
        "prom/pushgateway",
        "prometheus/prometheus",
        "sonarqube",
        "keycloak/keycloak",
        "jupyter/base-notebook",
        "jupyter/minimal-notebook",
        "jupyter/scipy-notebook",
        "jupyter/datascience-notebook",
        "jupyter/pyspark-notebook",
        "jupyter/tensorflow-notebook",
        "jupyter/pytorch-notebook",
        "elasticsearch/elasticsearch",
        "kibana/kibana",
        "logstash/logstash",
        "selenium/standalone-chrome",
        "selenium/standalone-firefox",
        "selenium/node-chrome",
        "selenium/hub",
        "memcached",
        "sonatype/nexus3",
        "apache/airflow",
        "mssql/server",
        "confluentinc/cp-kafka",
        "confluentinc/cp-zookeeper",
        "confluentinc/cp-schema-registry",
    ];
    let short = path.strip_prefix("library/").unwrap_or(&path);
    if USERS.contains(&short) {
        return true;
    }
    // docker.elastic.co/<product>/<product>, quay.io/prometheus/*,
    // quay.io/keycloak/keycloak, quay.io/jupyter/*.
    matches!(registry, "docker.elastic.co")
        || (registry == "quay.io"
            && (path.starts_with("prometheus/")
                || path == "keycloak/keycloak"
                || path.starts_with("jupyter/")))
        || (registry == "mcr.microsoft.com" && path == "mssql/server")
}

/// Official images whose entrypoint starts as root and drops to an
/// unprivileged user (`gosu`/`su-exec`) before starting the server, as long
/// as the Dockerfile keeps their `ENTRYPOINT`.
pub(super) fn drops_privileges(image: &ImageRef) -> bool {
    image.is_official()
        && matches!(
            image.short_name(),
            "postgres"
                | "mysql"
                | "mariadb"
                | "mongo"
                | "redis"
                | "rabbitmq"
                | "couchdb"
                | "cassandra"
                | "zookeeper"
                | "neo4j"
                | "solr"
                | "influxdb"
                | "elasticsearch"
                | "kibana"
                | "logstash"
        )
}

/// Why a tag floats: `None` when it names a release precisely enough.
/// Untagged and `latest` references are reported by the caller.
pub(super) fn floating_tag(image: &ImageRef) -> Option<&'static str> {
    let tag = image.tag.as_deref()?;
    let name = image.short_name().to_ascii_lowercase();
    let words: Vec<&str> = tag.split('-').collect();
    const FLOATING: &[&str] = &[
        "lts", "current", "stable", "edge", "rolling", "devel", "mainline", "testing", "unstable",
        "sid", "nightly", "latest", "beta", "rc", "canary", "next", "main", "master", "develop",
    ];
    if let Some(w) = words
        .iter()
        .find(|w| FLOATING.contains(&w.to_ascii_lowercase().as_str()))
    {
        return Some(match *w {
            "lts" | "current" => "a release channel that moves to the next major version",
            "latest" => "`latest` within a variant moves to every new release",
            _ => "a pre-release or rolling channel that changes constantly",
        });
    }
    // Distributions: a major release or a codename is a stable line.
    const DISTROS: &[&str] = &[
        "debian",
        "ubuntu",
        "centos",
        "rockylinux",
        "almalinux",
        "fedora",
        "oraclelinux",
        "amazonlinux",
        "ubi",
        "ubi-minimal",
        "ubi8",
        "ubi9",
        "ubi10",
        "ubi8-minimal",
        "ubi9-minimal",
        "leap",
        "photon",
        "clearlinux",
        "archlinux",
        "opensuse",
    ];
    // Languages whose major number is the release line (patch updates only).
    const MAJOR_IS_LINE: &[&str] = &[
        "eclipse-temurin",
        "openjdk",
        "amazoncorretto",
        "ibm-semeru-runtimes",
        "sapmachine",
        "postgres",
        "gcc",
        "java",
        "java17",
        "java21",
        "zulu-openjdk",
    ];
    let java_distroless = name.starts_with("java") && image.registry.as_deref() == Some("gcr.io");
    if DISTROS.contains(&name.as_str()) || java_distroless {
        return None;
    }
    let version_word = |w: &&str| {
        let w = w.trim_start_matches('v');
        w.starts_with("ltsc") || w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let Some(version) = words.iter().find(|w| version_word(w)) else {
        // `node:alpine`, `python:slim`, `node:hydrogen`: no version at all.
        // Only official images have known tag conventions; some of them
        // name releases rather than versions (`ros:humble`,
        // `buildpack-deps:bookworm`). An empty word is an empty `ARG`.
        const RELEASE_NAMED: &[&str] = &["ros", "gazebo", "buildpack-deps", "alpine", "busybox"];
        if !image.is_official()
            || RELEASE_NAMED.contains(&name.as_str())
            || words.iter().any(|w| w.is_empty())
        {
            return None;
        }
        return Some("the tag names a variant but no version, so it follows the newest release");
    };
    let version = version.trim_start_matches('v');
    let parts = version.split('.').filter(|p| !p.is_empty()).count();
    let numeric = version.chars().all(|c| c.is_ascii_digit() || c == '.');
    let big = version.len() >= 4; // dates and build numbers
    let line = MAJOR_IS_LINE.contains(&name.as_str())
        || image.registry.as_deref() == Some("mcr.microsoft.com");
    if numeric && parts == 1 && !big && !line {
        return Some("a major-only tag moves to every new minor release");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(text: &str) -> ImageRef {
        ImageRef::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn sdks() {
        for s in [
            "golang:1.22",
            "golang:1.22-alpine",
            "rust:1-slim",
            "maven:3.9-eclipse-temurin-21",
            "gradle:8-jdk17",
            "eclipse-temurin:21",
            "eclipse-temurin:21-jdk-jammy",
            "openjdk:17-jdk-slim",
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "docker.io/library/golang:1.22",
        ] {
            assert!(sdk(&img(s)).is_some(), "{s}");
        }
        for s in [
            "node:20",
            "python:3.12",
            "eclipse-temurin:21-jre",
            "openjdk:11-jre-slim",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "myorg/golang:1",
        ] {
            assert!(sdk(&img(s)).is_none(), "{s}");
        }
        assert!(
            sdk(&img("maven:3.9-eclipse-temurin-17"))
                .is_some_and(|s| s.runtime.contains("eclipse-temurin:17-jre"))
        );
        assert!(sdk(&img("gradle:8-jdk21-alpine")).is_some_and(|s| s.runtime.contains(":21-jre")));
    }

    #[test]
    fn slim_variants() {
        let slim = |s: &str| slim_variant(&img(s)).map(|s| s.reference);
        assert_eq!(slim("python:3.12").as_deref(), Some("python:3.12-slim"));
        assert_eq!(
            slim("python:3.12-bookworm").as_deref(),
            Some("python:3.12-slim-bookworm")
        );
        assert_eq!(slim("python").as_deref(), Some("python:slim"));
        assert_eq!(
            slim("node:20-bookworm").as_deref(),
            Some("node:20-bookworm-slim")
        );
        assert_eq!(
            slim("debian:bookworm").as_deref(),
            Some("debian:bookworm-slim")
        );
        assert_eq!(slim("debian:12").as_deref(), Some("debian:12-slim"));
        assert_eq!(slim("python:3.12-slim"), None);
        assert_eq!(slim("node:20-alpine"), None);
        assert_eq!(slim("golang:1.22"), None);
        assert_eq!(slim("myorg/python:3.12"), None);
    }

    #[test]
    fn floating_tags() {
        for t in [
            "python:3",
            "node:lts",
            "alpine:edge",
            "node:20",
            "python:3-slim",
            "node:alpine",
            "golang:1",
            "ubuntu:rolling",
            "python:slim",
            "alpine:3",
            "nginx:mainline-alpine",
        ] {
            assert!(floating_tag(&img(t)).is_some(), "{t}");
        }
        for t in [
            "python:3.12",
            "node:20.11-slim",
            "debian:bookworm",
            "debian:12",
            "ubuntu:22.04",
            "eclipse-temurin:21-jre",
            "postgres:16",
            "alpine:3.20",
            "nginx:1.27-alpine",
            "myimage:20240101",
            "debian:bookworm-slim",
            "golang:1.22-alpine3.19",
            "ros:humble-ros-base-jammy",
            "buildpack-deps:bookworm-scm",
            "discourse/base:slim",
            "gcr.io/distroless/static-debian12:nonroot",
            "php:-alpine",
        ] {
            assert!(floating_tag(&img(t)).is_none(), "{t}");
        }
    }
}
