//! BuildKit cache mounts for package managers (`--cache-mounts`).

use crate::model::tools::Tool;

/// The cache directories of a tool, as mounts (`target=...[,sharing=locked]`).
pub fn mounts(tool: Tool) -> &'static [&'static str] {
    match tool {
        Tool::AptGet | Tool::Apt | Tool::Aptitude => &[
            "target=/var/cache/apt,sharing=locked",
            "target=/var/lib/apt,sharing=locked",
        ],
        Tool::Apk => &["target=/var/cache/apk"],
        Tool::Pip => &["target=/root/.cache/pip"],
        Tool::Poetry => &["target=/root/.cache/pypoetry"],
        Tool::Pipenv => &["target=/root/.cache/pipenv"],
        Tool::Uv => &["target=/root/.cache/uv"],
        Tool::Npm => &["target=/root/.npm"],
        Tool::Yarn => &["target=/usr/local/share/.cache/yarn"],
        Tool::Pnpm => &["target=/pnpm/store"],
        Tool::Go => &["target=/go/pkg/mod", "target=/root/.cache/go-build"],
        Tool::Cargo => &[
            "target=/usr/local/cargo/registry",
            "target=/usr/local/cargo/git/db",
        ],
        Tool::Maven => &["target=/root/.m2"],
        Tool::Gradle => &["target=/root/.gradle"],
        Tool::Dotnet => &["target=/root/.nuget/packages"],
        Tool::Composer => &["target=/tmp/cache"],
        Tool::Gem | Tool::Bundle => &["target=/usr/local/bundle/cache"],
        _ => &[],
    }
}

/// `RUN ...` with cache mounts for `tools` added after the keyword (only
/// mounts the instruction does not have yet).
pub fn with_cache_mounts(instruction: &str, tools: &[Tool]) -> String {
    let keyword_len = instruction
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(instruction.len(), |(i, _)| i);
    let (keyword, rest) = instruction.split_at(keyword_len);
    let mut flags = String::new();
    for tool in tools {
        for m in mounts(*tool) {
            let target = m.split(',').next().unwrap_or(m);
            if !instruction.contains(target) && !flags.contains(target) {
                flags.push_str(" --mount=type=cache,");
                flags.push_str(m);
            }
        }
    }
    format!("{keyword}{flags}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_go_after_the_keyword() {
        assert_eq!(
            with_cache_mounts("RUN pip install -r requirements.txt", &[Tool::Pip]),
            "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt"
        );
        assert_eq!(
            with_cache_mounts(
                "RUN --mount=type=cache,target=/root/.npm npm ci",
                &[Tool::Npm]
            ),
            "RUN --mount=type=cache,target=/root/.npm npm ci"
        );
        assert_eq!(with_cache_mounts("RUN make", &[Tool::Curl]), "RUN make");
    }
}
