//! Build and target platforms, and the build arguments BuildKit defines
//! from them (`BUILDPLATFORM`, `TARGETARCH`, ...).

use std::sync::LazyLock;

use serde::Serialize;

/// An OCI platform: `os/architecture[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Platform {
    /// Operating system (`linux`).
    pub os: String,
    /// Architecture (`amd64`, `arm64`, `arm`).
    pub architecture: String,
    /// Variant (`v7`), often empty.
    pub variant: String,
}

impl Default for Platform {
    /// `linux/amd64`, the platform restage assumes when none is given.
    fn default() -> Self {
        Self {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: String::new(),
        }
    }
}

impl Platform {
    /// Whether this is `linux/amd64` ([`Platform::default`]).
    fn is_default(&self) -> bool {
        self.os == "linux" && self.architecture == "amd64" && self.variant.is_empty()
    }

    /// `os/architecture[/variant]`, as containerd formats it.
    pub fn format(&self) -> String {
        let mut out =
            String::with_capacity(self.os.len() + self.architecture.len() + self.variant.len() + 2);
        out.push_str(&self.os);
        out.push('/');
        out.push_str(&self.architecture);
        if !self.variant.is_empty() {
            out.push('/');
            out.push_str(&self.variant);
        }
        out
    }

    /// Reads `os[/architecture[/variant]]` (or a bare architecture, which
    /// means Linux). The error is the text BuildKit reports after
    /// `failed to parse platform <expr>: `.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid =
            || format!("\"{text}\": unknown operating system or architecture: invalid argument");
        let parts: Vec<&str> = text.split('/').collect();
        if parts.iter().any(|p| {
            p.is_empty()
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }) {
            return Err(format!(
                "\"{text}\": invalid platform component: invalid argument"
            ));
        }
        let lower = |s: &str| s.to_ascii_lowercase();
        let (os, architecture, variant) = match parts.as_slice() {
            [single] => {
                let single = lower(single);
                if is_os(&single) {
                    (single, "amd64".to_string(), String::new())
                } else if let Some(arch) = normalize_arch(&single) {
                    ("linux".to_string(), arch, String::new())
                } else {
                    return Err(invalid());
                }
            }
            [os, arch] => (
                lower(os),
                normalize_arch(&lower(arch)).ok_or_else(invalid)?,
                String::new(),
            ),
            [os, arch, variant] => (
                lower(os),
                normalize_arch(&lower(arch)).ok_or_else(invalid)?,
                lower(variant),
            ),
            _ => return Err(invalid()),
        };
        if !is_os(&os) {
            return Err(invalid());
        }
        Ok(Self {
            os,
            architecture,
            variant,
        })
    }
}

fn is_os(s: &str) -> bool {
    matches!(
        s,
        "linux"
            | "windows"
            | "darwin"
            | "freebsd"
            | "netbsd"
            | "openbsd"
            | "solaris"
            | "illumos"
            | "android"
            | "ios"
            | "aix"
            | "plan9"
            | "dragonfly"
            | "js"
            | "wasip1"
    )
}

fn normalize_arch(s: &str) -> Option<String> {
    Some(
        match s {
            "amd64" | "x86_64" | "x86-64" => "amd64",
            "386" | "i386" | "x86" => "386",
            "arm64" | "aarch64" => "arm64",
            "arm" | "armhf" | "armel" => "arm",
            "ppc64le" | "s390x" | "riscv64" | "mips64le" | "mips64" | "mipsle" | "mips"
            | "loong64" | "ppc64" | "wasm" => s,
            _ => return None,
        }
        .to_string(),
    )
}

/// What [`default_args`] gives for the default platforms, no build
/// arguments and an empty `TARGETSTAGE`, worked out once.
pub fn default_platform_args() -> &'static [(String, String)] {
    static DEFAULTS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        let amd64 = Platform::default();
        work_out(&amd64, &amd64, "", &std::collections::BTreeMap::new())
    });
    &DEFAULTS
}

/// BuildKit's `defaultArgs`: the platform arguments visible to every
/// `FROM` (and to stages that declare them), build arguments overriding.
/// Each name appears once.
pub fn default_args(
    build: &Platform,
    target: &Platform,
    target_stage: &str,
    build_args: &std::collections::BTreeMap<String, String>,
) -> Vec<(String, String)> {
    // Lint and most analyses run on the default platforms without build
    // arguments: their values are worked out once.
    if build_args.is_empty() && build.is_default() && target.is_default() {
        let mut args = default_platform_args().to_vec();
        if let Some((_, stage)) = args.iter_mut().find(|(k, _)| k == "TARGETSTAGE") {
            target_stage.clone_into(stage);
        }
        return args;
    }
    work_out(build, target, target_stage, build_args)
}

fn work_out(
    build: &Platform,
    target: &Platform,
    target_stage: &str,
    build_args: &std::collections::BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let values = [
        ("BUILDPLATFORM", build.format()),
        ("BUILDOS", build.os.clone()),
        ("BUILDOSVERSION", String::new()),
        ("BUILDARCH", build.architecture.clone()),
        ("BUILDVARIANT", build.variant.clone()),
        ("TARGETPLATFORM", target.format()),
        ("TARGETOS", target.os.clone()),
        ("TARGETOSVERSION", String::new()),
        ("TARGETARCH", target.architecture.clone()),
        ("TARGETVARIANT", target.variant.clone()),
        ("TARGETSTAGE", target_stage.to_string()),
    ];
    values
        .into_iter()
        .map(|(k, v)| (k.to_string(), build_args.get(k).cloned().unwrap_or(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_args_for_the_default_platforms_match_the_worked_out_ones() {
        let amd64 = Platform::default();
        let none = std::collections::BTreeMap::new();
        for stage in ["", "runtime"] {
            assert_eq!(
                default_args(&amd64, &amd64, stage, &none),
                work_out(&amd64, &amd64, stage, &none)
            );
        }
        let get = |args: &[(String, String)], name: &str| {
            args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        };
        let args = default_args(&amd64, &amd64, "runtime", &none);
        assert_eq!(get(&args, "TARGETSTAGE").as_deref(), Some("runtime"));
        assert_eq!(get(&args, "TARGETPLATFORM").as_deref(), Some("linux/amd64"));
        // Another platform, or a build argument, is worked out each time.
        let arm = Platform::parse("linux/arm/v7").unwrap_or_default();
        let args = default_args(&amd64, &arm, "", &none);
        assert_eq!(
            get(&args, "TARGETPLATFORM").as_deref(),
            Some("linux/arm/v7")
        );
        assert_eq!(get(&args, "TARGETVARIANT").as_deref(), Some("v7"));
        let overridden = [("TARGETARCH".to_string(), "riscv64".to_string())].into();
        let args = default_args(&amd64, &amd64, "", &overridden);
        assert_eq!(get(&args, "TARGETARCH").as_deref(), Some("riscv64"));
        assert_eq!(get(&args, "BUILDARCH").as_deref(), Some("amd64"));
    }

    #[test]
    fn platforms_parse_and_format() {
        let p = |s: &str| Platform::parse(s).map(|p| p.format());
        assert_eq!(p("linux/amd64"), Ok("linux/amd64".into()));
        assert_eq!(p("linux/arm/v7"), Ok("linux/arm/v7".into()));
        assert_eq!(p("linux/aarch64"), Ok("linux/arm64".into()));
        assert_eq!(p("arm64"), Ok("linux/arm64".into()));
        assert_eq!(p("Linux/AMD64"), Ok("linux/amd64".into()));
        assert!(p("linux/toaster").is_err());
        assert!(p("a/b/c/d").is_err());
        assert!(p("linux//amd64").is_err());
    }
}
