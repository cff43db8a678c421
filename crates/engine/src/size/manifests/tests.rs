//! Manifest parsing tables: what each kind yields, and the errors bad text
//! gives (file, line, what is wrong).

use super::*;

/// `name[extras] version dev optional group` of each dependency.
fn deps(file: &str, text: &str) -> Vec<String> {
    let m = parse(file, text)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("{file} is not a manifest"));
    m.dependencies
        .iter()
        .map(|d| {
            let mut s = d.name.clone();
            if !d.extras.is_empty() {
                s.push_str(&format!("[{}]", d.extras.join(",")));
            }
            if let Some(v) = &d.version {
                s.push_str(&format!(" {v}"));
            }
            if d.dev {
                s.push_str(" dev");
            }
            if d.optional {
                s.push_str(" optional");
            }
            if let Some(g) = &d.group {
                s.push_str(&format!(" ({g})"));
            }
            s
        })
        .collect()
}

fn error(file: &str, text: &str) -> (usize, String) {
    match parse(file, text) {
        Err(e) => {
            assert_eq!(e.file, file);
            (e.line, e.message)
        }
        Ok(m) => panic!("{file} parsed: {m:?}"),
    }
}

#[test]
fn kinds_by_file_name() {
    for (name, kind) in [
        ("requirements.txt", Some(ManifestKind::Requirements)),
        ("requirements/prod.txt", Some(ManifestKind::Requirements)),
        ("dev-requirements.in", Some(ManifestKind::Requirements)),
        ("app/pyproject.toml", Some(ManifestKind::Pyproject)),
        ("poetry.lock", Some(ManifestKind::PoetryLock)),
        ("Pipfile", Some(ManifestKind::Pipfile)),
        ("api/Pipfile.lock", Some(ManifestKind::PipfileLock)),
        ("uv.lock", Some(ManifestKind::UvLock)),
        ("package.json", Some(ManifestKind::PackageJson)),
        ("go.mod", Some(ManifestKind::GoMod)),
        ("Cargo.toml", Some(ManifestKind::CargoToml)),
        ("pom.xml", Some(ManifestKind::PomXml)),
        ("Gemfile", Some(ManifestKind::Gemfile)),
        ("composer.json", Some(ManifestKind::ComposerJson)),
        ("README.md", None),
        ("package-lock.json", None),
    ] {
        assert_eq!(ManifestKind::detect(name), kind, "{name}");
    }
    assert_eq!(parse("notes.txt", "x").ok().flatten(), None);
}

#[test]
fn requirements() {
    let text = "# API\n\
        -r base.txt\n\
        --index-url https://download.pytorch.org/whl/cpu\n\
        Django>=5.0,<6  # web\n\
        psycopg2-binary==2.9.9 \\\n    --hash=sha256:abc\n\
        uvicorn[standard]==0.30.0\n\
        Pillow ; python_version >= \"3.8\"\n\
        torch==2.3.0+cpu\n\
        mypkg @ https://example.com/mypkg-1.0.tar.gz\n\
        -e git+https://github.com/org/lib.git#egg=orglib\n\
        ./local/pkg\n\
        https://files.example/whl/numpy-2.0.0-cp312-cp312-manylinux.whl\n";
    assert_eq!(
        deps("requirements.txt", text),
        [
            "Django >=5.0,<6",
            "psycopg2-binary ==2.9.9",
            "uvicorn[standard] ==0.30.0",
            "Pillow",
            "torch ==2.3.0+cpu",
            "mypkg @ https://example.com/mypkg-1.0.tar.gz",
            "orglib",
            "numpy",
        ]
    );
    let m = parse("requirements.txt", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert_eq!(m.includes, ["base.txt"]);
    assert_eq!(m.index_urls, ["https://download.pytorch.org/whl/cpu"]);
    assert_eq!(m.bytes, text.len());

    assert_eq!(
        error("requirements.txt", "flask\nnumpy = 1.2\n"),
        (
            2,
            "expected a version specifier (==, >=, ~=, ...) after `numpy`, found `= 1.2`".into()
        )
    );
    assert_eq!(error("requirements.txt", "\n\n--frobnicate\n").0, 3);
    assert_eq!(
        error("requirements.txt", "uvicorn[standard==1\n").1,
        "unclosed `[` in `uvicorn[standard==1`"
    );
    assert_eq!(
        error("requirements.txt", "-r\n").1,
        "option `-r` needs a value"
    );
    assert_eq!(
        error("requirements.txt", "==1.0\n").1,
        "`==1.0` does not start with a package name"
    );
}

#[test]
fn requirement_includes_resolve() {
    let files = vec![
        (
            "requirements.txt".to_string(),
            "-r requirements/base.txt\nflask\n".to_string(),
        ),
        (
            "requirements/base.txt".to_string(),
            "numpy\n-r common.txt\n".to_string(),
        ),
        (
            "requirements/common.txt".to_string(),
            "requests\n-r ../requirements.txt\n".to_string(),
        ),
    ];
    let all = parse_all(&files);
    assert!(all.errors.is_empty());
    let root = all.find("requirements.txt").unwrap_or_else(|| panic!());
    let names: Vec<&str> = all
        .requirements_closure(root)
        .iter()
        .flat_map(|m| m.dependencies.iter().map(|d| d.name.as_str()))
        .collect();
    assert_eq!(
        names,
        ["flask", "numpy", "requests"],
        "each file once, no loop"
    );
}

#[test]
fn pyproject_pep621_and_poetry() {
    let pep621 = r#"
[project]
name = "api"
dependencies = ["fastapi>=0.110", "psycopg[binary]>=3.1", "pandas"]
[project.optional-dependencies]
ml = ["torch"]
[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
"#;
    assert_eq!(
        deps("pyproject.toml", pep621),
        [
            "fastapi >=0.110",
            "psycopg[binary] >=3.1",
            "pandas",
            "torch optional (ml)",
            "pytest >=8 dev (dev)",
            "ruff dev (lint)",
        ]
    );
    let poetry = r#"
[tool.poetry]
name = "svc"
[tool.poetry.dependencies]
python = "^3.12"
django = "^5.0"
celery = { version = "^5.3", extras = ["redis"] }
boto3 = { version = "*", optional = true }
[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
[tool.poetry.group.docs]
optional = true
[tool.poetry.group.docs.dependencies]
mkdocs = "*"
"#;
    assert_eq!(
        deps("pyproject.toml", poetry),
        [
            "boto3 * optional (main)",
            "celery[redis] ^5.3 (main)",
            "django ^5.0 (main)",
            "pytest ^8.0 dev (dev)",
            "mkdocs * dev optional (docs)",
        ]
    );
    let (line, msg) = error(
        "pyproject.toml",
        "[project]\nname = \"x\"\ndependencies = [\"ok\",\n  \"bad name!\"]\n",
    );
    assert_eq!(line, 4, "{msg}");
    let (line, msg) = error("pyproject.toml", "[project\nname = 1\n");
    assert_eq!(line, 1);
    assert!(msg.starts_with("invalid TOML"), "{msg}");
}

#[test]
fn poetry_lock() {
    let text = r#"
[[package]]
name = "numpy"
version = "2.0.0"
groups = ["main"]

[[package]]
name = "pytest"
version = "8.2.0"
category = "dev"
"#;
    assert_eq!(
        deps("poetry.lock", text),
        ["numpy 2.0.0 (main)", "pytest 8.2.0 dev (dev)"]
    );
    assert!(
        parse("poetry.lock", text)
            .ok()
            .flatten()
            .is_some_and(|m| m.locked)
    );
    assert_eq!(
        error("poetry.lock", "[[package]]\nversion = \"1\"\n").1,
        "[[package]] number 1 has no name"
    );
}

#[test]
fn pipfile() {
    let text = r#"
[[source]]
url = "https://pypi.org/simple"
name = "pypi"

[packages]
flask = "*"
psycopg2 = "==2.9.9"
requests = {version = ">=2.31", extras = ["socks"]}
mylib = {path = ".", editable = true}

[dev-packages]
pytest = "*"

[requires]
python_version = "3.12"
"#;
    assert_eq!(
        deps("Pipfile", text),
        [
            "flask",
            "mylib",
            "psycopg2 ==2.9.9",
            "requests[socks] >=2.31",
            "pytest dev (develop)"
        ]
    );
    assert_eq!(
        error("Pipfile", "[packages]\nflask = 3\n"),
        (
            2,
            "`flask` in `[packages]` is 3: a version string or a table was expected".into()
        )
    );
    assert_eq!(
        error("Pipfile", "packages = 1\n").1,
        "`[packages]` must be a table"
    );
}

#[test]
fn pipfile_lock() {
    let text = r#"{
    "_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6},
    "default": {
        "flask": {"hashes": ["sha256:a"], "index": "pypi", "version": "==3.0.3"},
        "uvicorn": {"extras": ["standard"], "version": "==0.30.0"},
        "click": {"version": "==8.1.7"}
    },
    "develop": {
        "click": {"version": "==8.1.7"},
        "pytest": {"version": "==8.2.0"}
    }
}"#;
    assert_eq!(
        deps("Pipfile.lock", text),
        [
            "click ==8.1.7",
            "flask ==3.0.3",
            "uvicorn[standard] ==0.30.0",
            "pytest ==8.2.0 dev (develop)"
        ]
    );
    let m = parse("Pipfile.lock", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert!(m.locked);
    assert_eq!(error("Pipfile.lock", "{\n  \"default\": [\n").0, 3);
    assert_eq!(
        error("Pipfile.lock", "{\"default\": []}").1,
        "`default` must be an object of packages"
    );
}

#[test]
fn uv_lock() {
    let text = r#"
version = 1
requires-python = ">=3.12"

[[package]]
name = "api"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "fastapi" },
    { name = "uvicorn", extra = ["standard"] },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "anyio" },
]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "fastapi"
version = "0.115.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "starlette" }]

[[package]]
name = "starlette"
version = "0.38.6"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "anyio" }]

[[package]]
name = "uvicorn"
version = "0.30.6"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
standard = [{ name = "uvloop" }]

[[package]]
name = "uvloop"
version = "0.20.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }
"#;
    // The project is no dependency; anyio is reached by the main
    // dependencies too, so it is not a development one; uvloop comes with
    // uvicorn's `standard` extra.
    assert_eq!(
        deps("uv.lock", text),
        [
            "anyio 4.4.0",
            "fastapi 0.115.0",
            "starlette 0.38.6",
            "uvicorn 0.30.6",
            "uvloop 0.20.0",
            "pytest 8.3.3 dev (dev)",
            "pluggy 1.5.0 dev (dev)"
        ]
    );
    let m = parse("uv.lock", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert!(m.locked);
    assert_eq!(
        error("uv.lock", "version = 1\npackage = 3\n"),
        (
            2,
            "`package` must be an array of tables ([[package]])".into()
        )
    );
    assert_eq!(
        error("uv.lock", "[[package]]\nversion = \"1\"\n").1,
        "[[package]] number 1 has no name"
    );
}

#[test]
fn package_json() {
    let text = r#"{
  "name": "api",
  "scripts": { "build": "tsc -p ." },
  "dependencies": { "express": "^4.19.0", "@prisma/client": "^5" },
  "devDependencies": { "typescript": "^5.4.0", "jest": "^29" },
  "optionalDependencies": { "fsevents": "*" }
}"#;
    assert_eq!(
        deps("package.json", text),
        [
            "@prisma/client ^5",
            "express ^4.19.0",
            "jest ^29 dev",
            "typescript ^5.4.0 dev",
            "fsevents * optional"
        ]
    );
    let m = parse("package.json", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert_eq!(m.outputs, ["tsc -p ."]);
    let (line, msg) = error(
        "package.json",
        "{\n  \"name\": \"x\",\n  \"dependencies\": {\n    \"a\": \"1\",\n  }\n}",
    );
    assert_eq!(line, 5, "{msg}");
    assert_eq!(
        error("package.json", "{\n\"dependencies\": [\"express\"]\n}").0,
        2
    );
    assert_eq!(
        error("package.json", "[]").1,
        "package.json must be a JSON object"
    );
}

#[test]
fn go_mod() {
    let text = "module github.com/acme/svc\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.5.5\n\tgolang.org/x/net v0.25.0 // indirect\n)\n\nreplace example.com/a => ../a\n";
    assert_eq!(
        deps("go.mod", text),
        [
            "github.com/gin-gonic/gin v1.10.0",
            "github.com/jackc/pgx/v5 v5.5.5",
            "golang.org/x/net v0.25.0 (indirect)"
        ]
    );
    assert_eq!(
        parse("go.mod", text).ok().flatten().and_then(|m| m.name),
        Some("github.com/acme/svc".into())
    );
    assert_eq!(
        error("go.mod", "module x\nrequire (\n\tgithub.com/a v1.0.0\n"),
        (2, "`require (` block is not closed".into())
    );
    assert_eq!(error("go.mod", "module x\nrequire github.com/a\n").0, 2);
    assert_eq!(
        error("go.mod", "module x\nfrobnicate y\n"),
        (2, "unknown directive `frobnicate`".into())
    );
    assert_eq!(
        error("go.mod", "require github.com/a 1.0.0\n").1,
        "`1.0.0` is not a module version (v1.2.3)"
    );
}

#[test]
fn cargo_toml() {
    let text = r#"
[package]
name = "svc"
[[bin]]
name = "server"
[dependencies]
tokio = { version = "1", features = ["full"] }
serde = "1"
[dev-dependencies]
criterion = "0.5"
[target.'cfg(unix)'.dependencies]
nix = "0.28"
"#;
    assert_eq!(
        deps("Cargo.toml", text),
        ["serde 1", "tokio 1", "nix 0.28", "criterion 0.5 dev"]
    );
    let m = parse("Cargo.toml", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert_eq!(m.outputs, ["server"]);
    assert_eq!(
        error(
            "Cargo.toml",
            "[package]\nname = \"x\"\n[dependencies]\nserde = 1\n"
        )
        .0,
        4
    );
}

#[test]
fn pom_xml() {
    let text = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>
  <artifactId>api</artifactId>
  <dependencyManagement><dependencies><dependency><groupId>x</groupId><artifactId>managed</artifactId></dependency></dependencies></dependencyManagement>
  <dependencies>
    <!-- web -->
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><scope>runtime</scope></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-test</artifactId><scope>test</scope></dependency>
  </dependencies>
  <build><plugins><plugin><dependencies><dependency><groupId>p</groupId><artifactId>plugin-dep</artifactId></dependency></dependencies></plugin></plugins></build>
</project>"#;
    assert_eq!(
        deps("pom.xml", text),
        [
            "org.springframework.boot:spring-boot-starter-web",
            "org.postgresql:postgresql (runtime)",
            "org.springframework.boot:spring-boot-starter-test dev (test)"
        ]
    );
    let m = parse("pom.xml", text)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!());
    assert_eq!(
        (m.name.as_deref(), m.parent.as_deref()),
        (Some("api"), Some("spring-boot-starter-parent"))
    );
    let (line, msg) = error(
        "pom.xml",
        "<project>\n  <dependencies>\n  </dependency>\n</project>\n",
    );
    assert_eq!(line, 3, "{msg}");
    assert!(msg.starts_with("invalid XML"), "{msg}");
    assert_eq!(error("pom.xml", "<settings/>").1, "no <project> element");
}

#[test]
fn gemfile() {
    let text = "source \"https://rubygems.org\"\nruby \"3.3.0\"\ngem \"rails\", \"~> 7.1\"\ngem 'pg' # db\ngem \"bootsnap\", require: false\n\ngroup :development, :test do\n  gem \"rspec-rails\"\nend\ngem \"rubocop\", group: :development\nplatforms :mri do\n  gem \"byebug\"\nend\n";
    assert_eq!(
        deps("Gemfile", text),
        [
            "rails ~> 7.1",
            "pg",
            "bootsnap",
            "rspec-rails dev (development)",
            "rubocop dev (development)",
            "byebug"
        ]
    );
    assert_eq!(
        error("Gemfile", "gem \"rails\"\nend\n"),
        (2, "`end` without an open block".into())
    );
    assert_eq!(
        error("Gemfile", "group :test do\n  gem \"x\"\n"),
        (1, "block is not closed with `end`".into())
    );
    assert_eq!(
        error("Gemfile", "gem \"rails\n").1,
        "unterminated string (opened with \")"
    );
    assert_eq!(
        error("Gemfile", "gem rails\n").1,
        "`gem` must be followed by a quoted gem name"
    );
}

#[test]
fn composer_json() {
    let text = r#"{"require": {"php": "^8.2", "ext-pdo": "*", "laravel/framework": "^11.0"}, "require-dev": {"phpunit/phpunit": "^11"}}"#;
    assert_eq!(
        deps("composer.json", text),
        ["laravel/framework ^11.0", "phpunit/phpunit ^11 dev"]
    );
    assert_eq!(error("composer.json", "{\"require\": ").0, 1);
}

#[test]
fn parse_all_collects_errors_and_ignores_other_files() {
    let files = vec![
        ("README.md".to_string(), "hi".to_string()),
        ("package.json".to_string(), "{".to_string()),
        ("go.mod".to_string(), "module x\n".to_string()),
    ];
    let all = parse_all(&files);
    assert_eq!(all.list.len(), 1);
    assert_eq!(all.errors.len(), 1);
    assert_eq!(
        all.errors.first().map(|e| e.file.as_str()),
        Some("package.json")
    );
}
