use super::*;

fn convert(text: &str) -> Outcome {
    convert_text(text, &ConvertOptions::default())
        .unwrap_or_else(|r| panic!("{text}\nrefused: {r}"))
}

#[test]
fn seed_python_becomes_builder_and_slim_runtime() {
    let out = convert(
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n",
    );
    let c = &out.conversion;
    assert_eq!(c.ecosystem, Ecosystem::Python);
    assert_eq!(
        c.dockerfile,
        "FROM python:3.12 AS builder\nWORKDIR /app\nCOPY requirements.txt .\nRUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\nRUN pip install -r requirements.txt\n\nFROM python:3.12-slim AS runtime\nWORKDIR /app\nCOPY --from=builder /opt/venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\nCOPY . .\nRUN useradd --create-home --uid 10001 appuser\nUSER appuser\nCMD [\"python\", \"main.py\"]\n"
    );
    // Converting again changes nothing.
    let again = convert(&c.dockerfile);
    assert!(again.conversion.unchanged, "{:?}", again.conversion);
    assert_eq!(again.conversion.dockerfile, c.dockerfile);
}

#[test]
fn dev_packages_become_runtime_libraries() {
    let out = convert(
        "FROM python:3.12-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n",
    );
    let d = &out.conversion.dockerfile;
    assert!(
        d.contains("FROM python:3.12-slim-bookworm AS runtime"),
        "{d}"
    );
    assert!(
        d.contains("apt-get install -y --no-install-recommends libpq5"),
        "{d}"
    );
    assert!(
        !d.split("AS runtime")
            .nth(1)
            .unwrap_or_default()
            .contains("gcc"),
        "{d}"
    );
}

#[test]
fn minimal_files_are_left_alone() {
    let text = "FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    let out = convert(text);
    assert!(out.conversion.unchanged);
    assert_eq!(out.conversion.dockerfile, text);
}

#[test]
fn the_built_image_keeps_its_stage_name() {
    let python_app = |stage: &str| {
        convert(&format!(
            "FROM python:3.12 AS {stage}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n"
        ))
    };
    // `docker build --target app` built the image; it still does.
    let out = python_app("app");
    let d = &out.conversion.dockerfile;
    assert!(d.contains("FROM python:3.12 AS builder\n"), "{d}");
    assert!(d.contains("FROM python:3.12-slim AS app\n"), "{d}");
    assert!(d.contains("COPY --from=builder /opt/venv"), "{d}");
    let again = convert(d);
    assert!(again.conversion.unchanged, "{:?}", again.conversion);

    // A final stage already called `builder`: the new build stage moves
    // aside and every reference to it follows.
    let out = python_app("builder");
    let d = &out.conversion.dockerfile;
    assert!(d.contains("FROM python:3.12 AS builder-2\n"), "{d}");
    assert!(d.contains("FROM python:3.12-slim AS builder\n"), "{d}");
    assert!(d.contains("COPY --from=builder-2 /opt/venv"), "{d}");
    assert!(crate::dockerfile::parse(d).is_ok(), "{d}");
}

const PYTHON_APP: &str = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";
const GO_SERVICE: &str = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\nCMD [\"/app/server\"]\n";

fn convert_with(text: &str, runtime: RuntimePreference, user: &str) -> Conversion {
    let options = ConvertOptions {
        runtime,
        user: Some(user.into()),
        ..ConvertOptions::default()
    };
    convert_text(text, &options)
        .unwrap_or_else(|r| panic!("{text}\n--user {user} refused: {r}"))
        .conversion
}

/// The `USER` lines of the last stage.
fn runtime_users(dockerfile: &str) -> Vec<&str> {
    let runtime = dockerfile.rsplit("\nFROM ").next().unwrap_or_default();
    runtime
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .collect()
}

#[test]
fn users_the_runtime_image_has_are_not_created_again() {
    // Debian slim (python:3.12-slim) and Alpine (alpine:3.20) have these
    // users: `useradd` would fail the build with "user already exists".
    let cases = [
        (PYTHON_APP, RuntimePreference::Auto, "root"),
        (PYTHON_APP, RuntimePreference::Auto, "nobody"),
        (PYTHON_APP, RuntimePreference::Auto, "www-data"),
        (PYTHON_APP, RuntimePreference::Auto, "www-data:www-data"),
        (PYTHON_APP, RuntimePreference::Auto, "nobody:nogroup"),
        (PYTHON_APP, RuntimePreference::Auto, "0"),
        (GO_SERVICE, RuntimePreference::Slim, "root"),
        (GO_SERVICE, RuntimePreference::Slim, "nobody"),
        (GO_SERVICE, RuntimePreference::Alpine, "root"),
        (GO_SERVICE, RuntimePreference::Alpine, "nobody"),
        (GO_SERVICE, RuntimePreference::Alpine, "guest"),
    ];
    for (text, runtime, user) in cases {
        let c = convert_with(text, runtime, user);
        let d = &c.dockerfile;
        for tool in ["useradd", "adduser", "groupadd", "addgroup"] {
            assert!(!d.contains(tool), "--user {user}: {tool}\n{d}");
        }
        assert_eq!(runtime_users(d), [user], "{d}");
        assert!(crate::dockerfile::parse(d).is_ok(), "{d}");
    }
    // A user the image lacks is still created, in a group the image has.
    let c = convert_with(PYTHON_APP, RuntimePreference::Auto, "app:www-data");
    assert!(
        c.dockerfile.contains(
            "RUN useradd --create-home --uid 10001 --gid www-data app\nUSER app:www-data\n"
        ),
        "{}",
        c.dockerfile
    );
}

#[test]
fn running_as_root_is_warned_about() {
    for user in ["root", "0", "root:root", "0:0"] {
        let c = convert_with(PYTHON_APP, RuntimePreference::Auto, user);
        assert!(
            c.warnings.iter().any(|w| w.contains("runs as root")),
            "--user {user}: {:?}",
            c.warnings
        );
        assert_eq!(runtime_users(&c.dockerfile), [user], "{}", c.dockerfile);
    }
    for user in ["nobody", "app", "10001"] {
        let c = convert_with(PYTHON_APP, RuntimePreference::Auto, user);
        assert!(
            !c.warnings.iter().any(|w| w.contains("root")),
            "--user {user}: {:?}",
            c.warnings
        );
    }
}

#[test]
fn names_a_shell_less_runtime_cannot_resolve_become_uids() {
    // scratch has no /etc/passwd; distroless has root, nobody and nonroot;
    // auto picks distroless static for a static Go binary.
    let cases = [
        (RuntimePreference::Scratch, "app", "65532:65532"),
        (RuntimePreference::Scratch, "app:1000", "65532:1000"),
        (RuntimePreference::Scratch, "nobody", "65532:65532"),
        (RuntimePreference::Scratch, "root", "0:0"),
        (RuntimePreference::Distroless, "app", "65532:65532"),
        (RuntimePreference::Distroless, "app:web", "65532:65532"),
        (RuntimePreference::Auto, "app", "65532:65532"),
    ];
    for (runtime, user, uid) in cases {
        let c = convert_with(GO_SERVICE, runtime, user);
        let d = &c.dockerfile;
        assert_eq!(runtime_users(d), [uid], "{runtime:?} --user {user}\n{d}");
        if user != "root" {
            let name = user.split(':').next().unwrap_or(user);
            assert!(
                c.warnings.iter().any(|w| w.contains(&format!("`{user}`"))
                    && w.contains(&format!("unable to find user {name}"))
                    && w.contains(&format!("runs as `{uid}`"))),
                "{runtime:?} --user {user}: {:?}",
                c.warnings
            );
        }
    }
    // Names the image has stay names.
    for user in ["nonroot", "nobody", "nonroot:nonroot", "1000:1000"] {
        let c = convert_with(GO_SERVICE, RuntimePreference::Distroless, user);
        assert_eq!(runtime_users(&c.dockerfile), [user], "{}", c.dockerfile);
        assert!(
            c.warnings.iter().all(|w| !w.contains("user")),
            "{:?}",
            c.warnings
        );
    }
    // The other strategies with shell-less runtimes do the same.
    let node = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npx tsc\nCMD [\"node\", \"dist/index.js\"]\n";
    let java = "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/app.jar\"]\n";
    let dotnet = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\nWORKDIR /app\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";
    for (text, uid) in [
        (node, "65532:65532"),
        (java, "65532:65532"),
        (dotnet, "1654:1654"),
    ] {
        let c = convert_with(text, RuntimePreference::Distroless, "web");
        assert_eq!(runtime_users(&c.dockerfile), [uid], "{}", c.dockerfile);
        assert!(
            c.warnings
                .iter()
                .any(|w| w.contains("unable to find user web")),
            "{:?}",
            c.warnings
        );
    }
}

#[test]
fn a_byte_order_mark_stays_out_of_the_output() {
    let body = "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\",\"app.py\"]\n";
    let inputs = [
        format!("\u{feff}{body}"),
        format!("\u{feff}{}", body.replace('\n', "\r\n")),
        format!("\u{feff}# a comment\n{body}"),
        format!(
            "\u{feff}FROM golang:1.22 AS tools\nRUN go install example.com/tool@latest\n\n{body}"
        ),
    ];
    for input in inputs {
        let d = convert(&input).conversion.dockerfile;
        assert!(!d.contains('\u{feff}'), "{d:?}");
        let parsed = crate::dockerfile::parse(&d).unwrap_or_else(|e| panic!("{d}\n{e}"));
        let froms: Vec<&str> = parsed
            .nodes
            .iter()
            .filter(|n| n.kind == crate::dockerfile::Keyword::From)
            .filter_map(|n| n.args.first().map(String::as_str))
            .collect();
        assert_eq!(
            froms.last().copied(),
            Some("python:3.12-slim"),
            "every stage starts with a FROM: {d:?}"
        );
        assert!(froms.contains(&"python:3.12"), "{d:?}");
        assert!(
            parsed
                .nodes
                .iter()
                .all(|n| n.kind != crate::dockerfile::Keyword::Unknown),
            "{d:?}"
        );
    }
}

/// A final stage that only holds an artifact (`FROM scratch`, distroless,
/// nginx) names the ecosystem of what feeds it, and a language runtime
/// the final image is built on names its own; the strategy stays `none`,
/// since nothing is converted.
#[test]
fn already_multi_stage_files_name_what_they_build() {
    let go = convert(
        "FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\nFROM scratch\nCOPY --from=builder /app/server /server\nCMD [\"/server\"]\n",
    );
    let c = &go.conversion;
    assert!(c.unchanged, "{c:?}");
    assert_eq!((c.ecosystem, c.strategy.as_str()), (Ecosystem::Go, "none"));
    assert!(
        go.evidence
            .iter()
            .any(|e| e.line == 4 && e.fact.contains("go build")),
        "{:?}",
        go.evidence
    );
    // A Rails app with a Node.js frontend stage is Ruby: it runs on ruby.
    let rails = convert(
        "FROM node:20-slim AS client\nWORKDIR /client\nCOPY client/ .\nRUN npm ci && npm run build\nFROM ruby:3.3-slim AS base\nWORKDIR /rails\nFROM base AS build\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\nFROM base\nCOPY --from=build /usr/local/bundle /usr/local/bundle\nCOPY --from=build /rails /rails\nCOPY --from=client /client/build /rails/public\nCMD [\"./bin/rails\", \"server\"]\n",
    );
    assert_eq!(rails.conversion.ecosystem, Ecosystem::Ruby, "{rails:?}");
    // Nothing feeds it and it runs on no language runtime: generic.
    let plain = convert("FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\"]\n");
    assert_eq!(plain.conversion.ecosystem, Ecosystem::Generic);
}

/// `npm ci` of devDependencies in the final image (RS006) is what a build
/// stage holds back: the file is converted, the runtime gets production
/// dependencies only, and converting that again changes nothing.
#[test]
fn dev_dependencies_in_the_final_image_are_converted() {
    let text = "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"index.js\"]\n";
    let out = convert(text);
    let c = &out.conversion;
    assert!(!c.unchanged, "{:?}", c.warnings);
    assert_eq!(c.ecosystem, Ecosystem::Node);
    assert!(
        c.dockerfile.contains("RUN npm ci --omit=dev"),
        "{}",
        c.dockerfile
    );
    let runtime = c.dockerfile.split("AS runtime").nth(1).unwrap_or_default();
    assert!(!runtime.contains("npm ci"), "{}", c.dockerfile);
    assert!(convert(&c.dockerfile).conversion.unchanged);
}

/// A stage left as it is says why, and names what restage's size rules
/// still report about it instead of "nothing to change".
#[test]
fn a_stage_left_as_it_is_names_its_size_findings() {
    let warning = |text: &str| {
        let out = convert(text);
        assert!(out.conversion.unchanged, "{text}");
        out.conversion.warnings.join("\n")
    };
    // Production dependencies, npm's cache left in the layer (RS004).
    let cache = warning(
        "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
    );
    assert!(
        cache.contains("RS004 at line 4") && !cache.contains("Nothing to change"),
        "{cache}"
    );
    // Poetry's dev group is fixed by the install's option: a build stage
    // would copy it as installed.
    let poetry = warning(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN pip install --no-cache-dir poetry && poetry config virtualenvs.create false && poetry install --no-root --no-cache\nCOPY . .\nEXPOSE 8000\nCMD [\"gunicorn\", \"app:app\"]\n",
    );
    assert!(poetry.contains("RS006 at line 4"), "{poetry}");
    assert!(
        poetry.contains("a multi-stage build would not make the image smaller"),
        "{poetry}"
    );
    let minimal = warning("FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    assert!(minimal.ends_with("Nothing to change."), "{minimal}");
}
