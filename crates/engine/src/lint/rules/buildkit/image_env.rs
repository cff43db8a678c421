//! The environment variables official base images set (`ENV` in their
//! Dockerfiles), so that `UndefinedVar` can tell a variable the base image
//! defines from a typo without asking a registry.
//!
//! Each list is the union over the image's current variants and recent
//! versions (a variable that only some tags set is listed, so it is never
//! reported). Images not listed here are unknown: their environment cannot
//! be known statically and the check is skipped for stages built on them.

use crate::model::image::ImageRef;

const JAVA: &[&str] = &[
    "JAVA_HOME",
    "JAVA_VERSION",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "PATH",
];

const PYTHON: &[&str] = &[
    "PATH",
    "LANG",
    "GPG_KEY",
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_GET_PIP_URL",
    "PYTHON_GET_PIP_SHA256",
];

const NODE: &[&str] = &["PATH", "NODE_VERSION", "YARN_VERSION"];

const GOLANG: &[&str] = &["PATH", "GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"];

const RUST: &[&str] = &["PATH", "RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"];

const MAVEN: &[&str] = &[
    "JAVA_HOME",
    "JAVA_VERSION",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "PATH",
    "MAVEN_HOME",
    "MAVEN_CONFIG",
];

const GRADLE: &[&str] = &[
    "JAVA_HOME",
    "JAVA_VERSION",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "PATH",
    "GRADLE_HOME",
    "GRADLE_VERSION",
];

const RUBY: &[&str] = &[
    "PATH",
    "LANG",
    "RUBY_MAJOR",
    "RUBY_VERSION",
    "RUBY_DOWNLOAD_URL",
    "RUBY_DOWNLOAD_SHA256",
    "GEM_HOME",
    "BUNDLE_SILENCE_ROOT_WARNING",
    "BUNDLE_APP_CONFIG",
];

const PHP: &[&str] = &[
    "PATH",
    "PHPIZE_DEPS",
    "PHP_INI_DIR",
    "APACHE_CONFDIR",
    "APACHE_ENVVARS",
    "PHP_CFLAGS",
    "PHP_CPPFLAGS",
    "PHP_LDFLAGS",
    "GPG_KEYS",
    "PHP_VERSION",
    "PHP_URL",
    "PHP_ASC_URL",
    "PHP_SHA256",
    "PHP_MD5",
    "PHP_EXTRA_CONFIGURE_ARGS",
    "PHP_EXTRA_BUILD_DEPS",
];

const NGINX: &[&str] = &[
    "PATH",
    "NGINX_VERSION",
    "NJS_VERSION",
    "NJS_RELEASE",
    "PKG_RELEASE",
    "DYNPKG_RELEASE",
];

const HTTPD: &[&str] = &[
    "PATH",
    "HTTPD_PREFIX",
    "HTTPD_VERSION",
    "HTTPD_SHA256",
    "HTTPD_PATCHES",
];

const DOTNET: &[&str] = &[
    "PATH",
    "APP_UID",
    "ASPNETCORE_HTTP_PORTS",
    "ASPNETCORE_URLS",
    "DOTNET_RUNNING_IN_CONTAINER",
    "DOTNET_VERSION",
    "ASPNET_VERSION",
    "ASPNETCORE_VERSION",
    "DOTNET_GENERATE_ASPNET_CERTIFICATE",
    "DOTNET_NOLOGO",
    "DOTNET_SDK_VERSION",
    "DOTNET_USE_POLLING_FILE_WATCHER",
    "NUGET_XMLDOC_MODE",
    "POWERSHELL_DISTRIBUTION_CHANNEL",
];

const OS: &[&str] = &["PATH"];

/// The variables `image` sets, when it is an official image restage knows.
pub(super) fn image_env(image: &ImageRef) -> Option<&'static [&'static str]> {
    let registry = image.registry_or_default();
    if matches!(registry, "docker.io" | "index.docker.io") {
        let path = image.normalized_path();
        let name = path.strip_prefix("library/")?;
        return Some(match name {
            "python" => PYTHON,
            "node" => NODE,
            "golang" => GOLANG,
            "rust" => RUST,
            "eclipse-temurin" | "openjdk" => JAVA,
            "maven" => MAVEN,
            "gradle" => GRADLE,
            "ruby" => RUBY,
            "php" => PHP,
            "nginx" => NGINX,
            "httpd" => HTTPD,
            "alpine" | "debian" | "ubuntu" | "busybox" => OS,
            _ => return None,
        });
    }
    if registry == "mcr.microsoft.com"
        && matches!(
            image.path.as_str(),
            "dotnet/sdk" | "dotnet/aspnet" | "dotnet/runtime" | "dotnet/runtime-deps"
        )
    {
        return Some(DOTNET);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(text: &str) -> Option<&'static [&'static str]> {
        ImageRef::parse(text).and_then(|i| image_env(&i))
    }

    #[test]
    fn official_images_are_known() {
        assert_eq!(env("python:3.12-slim"), Some(PYTHON));
        assert_eq!(env("docker.io/library/node:20"), Some(NODE));
        assert_eq!(env("library/eclipse-temurin:21"), Some(JAVA));
        assert_eq!(env("mcr.microsoft.com/dotnet/sdk:8.0"), Some(DOTNET));
        assert_eq!(env("alpine@sha256:abc"), Some(OS));
        assert_eq!(env("bitnami/python"), None);
        assert_eq!(env("ghcr.io/library/python"), None);
        assert_eq!(env("centos:7"), None);
    }
}
