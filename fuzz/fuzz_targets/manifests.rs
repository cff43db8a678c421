//! Fuzzes the dependency manifests a request may carry (requirements.txt,
//! pyproject.toml, poetry.lock, package.json, go.mod, Cargo.toml, pom.xml,
//! Gemfile, composer.json) and the size estimate that reads them.
//!
//! The first byte picks the kind; the rest is the text (as the API only
//! takes strings, invalid UTF-8 is replaced). A NUL splits it into two
//! files of the same ecosystem, so includes (`-r dev.txt`), lock files and
//! nested projects meet. No panic, an unreadable manifest names a line of
//! its file, and the estimate's ranges stay ordered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::size::manifests::{self, ManifestKind};
use restage::size::{SizeOptions, estimate_text};

/// Per kind: the file, a second file of the same ecosystem, and a
/// Dockerfile that copies and installs them.
const KINDS: [(&str, &str, &str); 9] = [
    (
        "requirements.txt",
        "requirements/dev.txt",
        "FROM python:3.12-slim\nCOPY requirements.txt requirements/ ./\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
    ),
    (
        "pyproject.toml",
        "poetry.lock",
        "FROM python:3.12\nCOPY pyproject.toml poetry.lock ./\nRUN pip install poetry && poetry install --no-root\nCMD [\"python\", \"-m\", \"app\"]\n",
    ),
    (
        "poetry.lock",
        "pyproject.toml",
        "FROM python:3.12\nCOPY . .\nRUN pip install .\n",
    ),
    (
        "package.json",
        "packages/web/package.json",
        "FROM node:20\nCOPY package.json packages ./\nRUN npm install && npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
    ),
    (
        "go.mod",
        "tools/go.mod",
        "FROM golang:1.22\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\nENTRYPOINT [\"/app\"]\n",
    ),
    (
        "Cargo.toml",
        "crates/core/Cargo.toml",
        "FROM rust:1\nCOPY Cargo.toml .\nCOPY crates crates\nRUN cargo build --release\nCMD [\"./target/release/app\"]\n",
    ),
    (
        "pom.xml",
        "module/pom.xml",
        "FROM maven:3-eclipse-temurin-21\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\nCOPY . .\nRUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/app.jar\"]\n",
    ),
    (
        "Gemfile",
        "gems.rb",
        "FROM ruby:3.3\nCOPY Gemfile ./\nRUN bundle install\nCMD [\"ruby\", \"app.rb\"]\n",
    ),
    (
        "composer.json",
        "lib/composer.json",
        "FROM php:8.3\nCOPY composer.json .\nRUN composer install --no-dev\nCMD [\"php\", \"index.php\"]\n",
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(&(first, second, dockerfile)) = KINDS.get(usize::from(pick) % KINDS.len()) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (a, b) = text.split_once('\0').unwrap_or((&text, ""));
    let files = vec![
        (first.to_string(), a.to_string()),
        (second.to_string(), b.to_string()),
    ];
    for (name, content) in &files {
        assert!(ManifestKind::detect(name).is_some(), "{name} is a manifest");
        if let Err(e) = manifests::parse(name, content) {
            let lines = content.lines().count() + 1;
            assert!(
                (1..=lines).contains(&e.line),
                "{name}: line {} of {lines}: {}",
                e.line,
                e.message
            );
        }
    }
    let read = manifests::parse_all(&files);
    for m in &read.list {
        let _ = read.requirements_closure(m);
    }
    let options = SizeOptions::with_manifests(&files);
    if let Ok(size) = estimate_text(dockerfile, &options) {
        for range in [size.disk, size.pull] {
            assert!(
                range.low_bytes <= range.estimate_bytes && range.estimate_bytes <= range.high_bytes,
                "unordered range {range:?}"
            );
        }
    }
});
