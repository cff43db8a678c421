//! What each `RUN` of the source stage does: system packages (split into
//! build-only and runtime), dependency installs, builds, or runtime setup.

use crate::knowledge::packages::{Distro, is_dev, is_toolchain, package_name, runtime_for};
use crate::model::Instruction;
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};

/// System packages installed by one `RUN`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemPackages {
    /// The package manager.
    pub manager: Option<Tool>,
    /// Every package installed, in order, as written (pins kept).
    pub installed: Vec<String>,
    /// Packages removed again in the same `RUN` (`apt-get purge`, `apk del`).
    pub removed: Vec<String>,
    /// Packages among `removed` that went with the official images'
    /// `apt-mark auto '.*'` + `apt-get purge --auto-remove` idiom, which
    /// keeps the libraries the built files link (`ldd` → `apt-mark manual`):
    /// their `-dev` packages still stand for a runtime library.
    pub auto_removed: Vec<String>,
}

impl SystemPackages {
    /// Packages that only build things (toolchains, `-dev` headers) or are
    /// removed again.
    pub fn build_only(&self, distro: Distro) -> Vec<&str> {
        self.installed
            .iter()
            .map(String::as_str)
            .filter(|p| {
                is_toolchain(p, distro)
                    || is_dev(p)
                    || self.removed.iter().any(|r| r == package_name(p))
            })
            .collect()
    }

    /// What the runtime stage must install instead: every package that is
    /// not build-only, plus the runtime library of each `-dev` package.
    pub fn runtime(&self, distro: Distro) -> (Vec<String>, Vec<(String, Vec<String>)>) {
        let mut keep = Vec::new();
        let mut mapped = Vec::new();
        for p in &self.installed {
            let name = package_name(p);
            let auto_removed = self.auto_removed.iter().any(|r| r == name);
            if (self.removed.iter().any(|r| r == name) && !(auto_removed && is_dev(p)))
                || is_toolchain(p, distro)
            {
                continue;
            }
            if is_dev(p) {
                if let Some(libs) = runtime_for(p, distro) {
                    mapped.push((name.to_string(), libs.to_vec()));
                }
                continue;
            }
            keep.push(p.clone());
        }
        (keep, mapped)
    }
}

/// What a `RUN` does, as far as the conversion cares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunFacts {
    /// System packages it installs.
    pub system: Option<SystemPackages>,
    /// Language package managers it installs dependencies with.
    pub dependencies: Vec<Tool>,
    /// Whether it compiles or bundles (`make`, `go build`, `npm run build`, ...).
    pub builds: bool,
    /// Whether every command is runtime setup (users, directories,
    /// permissions, links, config edits) that is safe in a runtime stage.
    pub setup_only: bool,
    /// The packages whose configuration programs the `RUN` runs
    /// (`download-mibs` of snmp-mibs-downloader, `a2enmod` of apache2),
    /// when every other command is runtime setup and every path it names
    /// is configuration or data (`/etc`, `/usr/share`, `/var/lib`, ...):
    /// runtime setup too, when those packages are runtime packages (see
    /// [`is_runtime_setup`]). Empty otherwise.
    pub configures: Vec<&'static str>,
}

/// Commands that create or change users and groups.
pub const ACCOUNT_COMMANDS: &[&str] = &["useradd", "adduser", "groupadd", "addgroup", "usermod"];

/// The files that list users and groups.
const ACCOUNT_FILES: &[&str] = &["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"];

/// Whether a command only tells whether a user or group exists (`id -u
/// app`, `getent group app`, `grep -q ^app: /etc/passwd`): the guard of
/// `... || groupadd app`, harmless wherever the account is created.
pub fn is_account_guard(cmd: &SimpleCommand) -> bool {
    match cmd.base_name() {
        "id" => true,
        "getent" => matches!(
            cmd.positional(&["s", "service"]).first(),
            Some(&("passwd" | "group" | "shadow" | "gshadow"))
        ),
        "grep" | "egrep" | "fgrep" => {
            let value_flags = ["e", "f", "m", "A", "B", "C", "regexp", "file", "max-count"];
            let operands = cmd.positional(&value_flags);
            let pattern_given = cmd.has_flag(&["e", "f", "regexp", "file"]);
            let files = operands
                .get(usize::from(!pattern_given)..)
                .unwrap_or_default();
            !files.is_empty() && files.iter().all(|f| ACCOUNT_FILES.contains(f))
        }
        _ => false,
    }
}

/// Programs that configure a package at run time (enable modules, fetch
/// its data, rebuild its caches), by the package that provides them.
/// They only run where the package is installed: in a runtime stage, only
/// when it is a runtime package.
const PACKAGE_CONFIG_PROGRAMS: &[(&str, &[&str])] = &[
    ("snmp-mibs-downloader", &["download-mibs"]),
    (
        "apache2",
        &[
            "a2enmod",
            "a2dismod",
            "a2ensite",
            "a2dissite",
            "a2enconf",
            "a2disconf",
        ],
    ),
    (
        "postfix",
        &["postconf", "postmap", "postalias", "newaliases"],
    ),
    ("locales", &["update-locale"]),
    ("fontconfig", &["fc-cache"]),
    ("ssl-cert", &["make-ssl-cert"]),
];

/// The package whose configuration program `cmd` runs.
fn configured_package(cmd: &SimpleCommand) -> Option<&'static str> {
    let name = cmd.base_name();
    PACKAGE_CONFIG_PROGRAMS
        .iter()
        .find(|(_, programs)| programs.contains(&name))
        .map(|(package, _)| *package)
}

/// Where runtime configuration and data live.
const CONFIG_DIRS: &[&str] = &[
    "/etc/",
    "/usr/share/",
    "/usr/local/etc/",
    "/var/lib/",
    "/var/spool/",
    "/var/www/",
    "/srv/",
];

/// Whether every absolute path a script names (arguments and redirection
/// targets alike) is configuration or data, or `/dev/null`. A path with a
/// variable in it is not known, so it does not count as one.
fn names_only_config_paths(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .map(|w| {
            w.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '>' | '<'))
                .trim_matches(|c| matches!(c, '"' | '\''))
        })
        .filter(|w| w.starts_with('/') || (w.contains('$') && w.contains('/')))
        .all(|w| {
            !w.contains('$') && (w == "/dev/null" || CONFIG_DIRS.iter().any(|d| w.starts_with(d)))
        })
}

/// Whether a `RUN` is runtime setup for a runtime stage that installs
/// `runtime_packages`: setup only, or it configures only packages among
/// them (see [`RunFacts::configures`]).
pub fn is_runtime_setup(facts: &RunFacts, runtime_packages: &[String]) -> bool {
    facts.setup_only
        || (!facts.configures.is_empty()
            && facts
                .configures
                .iter()
                .all(|p| runtime_packages.iter().any(|r| package_name(r) == *p)))
}

/// The packages a stage installs that a runtime stage installs too (not
/// build-only, not removed again), by name.
pub fn runtime_package_names<'a>(
    runs: impl Iterator<Item = &'a Instruction>,
    distro: Distro,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in runs {
        if let Some(system) = classify_run(i).system {
            for p in system.runtime(distro).0 {
                let name = package_name(&p).to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// Commands that prepare a runtime environment.
const SETUP: &[&str] = &[
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "mkdir",
    "chown",
    "chmod",
    "chgrp",
    "ln",
    "echo",
    "printf",
    "sed",
    "touch",
    "cp",
    "mv",
    "rm",
    "cat",
    "tee",
    "update-ca-certificates",
    "localedef",
    "locale-gen",
    "true",
    "set",
    "cd",
    "export",
    "install",
    "ls",
    "date",
    "id",
    "test",
    "[",
];

/// Commands that compile or bundle.
fn is_build(cmd: &SimpleCommand) -> bool {
    let name = cmd.base_name();
    if matches!(
        name,
        "make"
            | "cmake"
            | "gcc"
            | "g++"
            | "cc"
            | "c++"
            | "clang"
            | "ninja"
            | "meson"
            | "tsc"
            | "mvn"
            | "mvnw"
            | "gradle"
            | "gradlew"
            | "javac"
            | "rustc"
            | "ng"
            | "webpack"
            | "vite"
            | "esbuild"
            | "rollup"
    ) {
        return true;
    }
    match recognise(cmd) {
        Some(inv) => {
            let sub = inv.subcommand().unwrap_or_default().to_string();
            match inv.tool {
                Tool::Go => matches!(sub.as_str(), "build" | "install" | "generate"),
                Tool::Cargo => matches!(sub.as_str(), "build" | "install" | "rustc"),
                Tool::Dotnet => matches!(sub.as_str(), "build" | "publish" | "pack"),
                Tool::Maven | Tool::Gradle => true,
                Tool::Npm | Tool::Pnpm => sub == "run" || sub == "build" || sub == "run-script",
                // `yarn workspaces focus` installs (Yarn Berry's production install).
                Tool::Yarn => {
                    let installs = matches!(
                        sub.as_str(),
                        "" | "install" | "add" | "cache" | "config" | "global"
                    );
                    let focus = sub == "workspaces" && inv.operands().first() == Some(&"focus");
                    !(installs || focus)
                }
                _ => false,
            }
        }
        None => false,
    }
}

/// Whether the tool and subcommand install dependencies.
fn installs_dependencies(cmd: &SimpleCommand) -> Option<Tool> {
    let inv = recognise(cmd)?;
    let sub = inv.subcommand().unwrap_or_default().to_string();
    let yes = match inv.tool {
        Tool::Pip => sub == "install",
        Tool::Pipenv | Tool::Poetry => matches!(sub.as_str(), "install" | "sync"),
        Tool::Uv => matches!(sub.as_str(), "sync" | "pip"),
        Tool::Npm => matches!(sub.as_str(), "ci" | "install" | "i"),
        Tool::Yarn => {
            matches!(sub.as_str(), "" | "install")
                || (sub == "workspaces" && inv.operands().first() == Some(&"focus"))
        }
        Tool::Pnpm => matches!(sub.as_str(), "install" | "i"),
        Tool::Gem => sub == "install",
        Tool::Bundle => matches!(sub.as_str(), "" | "install"),
        Tool::Go => sub == "mod" || sub == "get",
        Tool::Cargo => sub == "fetch",
        Tool::Composer => matches!(sub.as_str(), "install" | "require" | "update"),
        Tool::Dotnet => sub == "restore",
        _ => false,
    };
    yes.then_some(inv.tool)
}

/// Reads what a `RUN` does.
pub fn classify_run(instruction: &Instruction) -> RunFacts {
    let mut facts = RunFacts::default();
    let Some(run) = &instruction.run else {
        return facts;
    };
    let mut system = SystemPackages::default();
    let mut all_setup = true;
    let mut marked_auto = false;
    let mut configures: Vec<&'static str> = Vec::new();
    let mut all_configure = true;
    let creates_accounts = run
        .commands()
        .any(|c| ACCOUNT_COMMANDS.contains(&c.base_name()));
    for cmd in run.commands() {
        // `apt-mark auto '.*'` (or `apt-mark showmanual | xargs apt-mark auto`)
        // marks everything installed so far as removable.
        let words: Vec<&str> = std::iter::once(cmd.base_name())
            .chain(cmd.args.iter().map(String::as_str))
            .collect();
        if words
            .windows(2)
            .any(|w| matches!(w, [a, b] if *a == "apt-mark" && *b == "auto"))
        {
            marked_auto = true;
        }
        let inv = recognise(cmd);
        let mut is_setup = SETUP.contains(&cmd.base_name())
            || cmd.name.is_empty()
            || (creates_accounts && is_account_guard(cmd));
        if let Some(inv) = &inv {
            let sub = inv.subcommand().unwrap_or_default().to_string();
            // `` `# a comment` `` inside a package list expands to nothing.
            let operands: Vec<String> = inv
                .operands()
                .into_iter()
                .filter(|o| !o.starts_with("`#"))
                .map(str::to_string)
                .collect();
            match inv.tool {
                Tool::AptGet | Tool::Apt | Tool::Aptitude => match sub.as_str() {
                    "install" => {
                        system.manager = Some(inv.tool);
                        system.installed.extend(operands);
                    }
                    "purge" | "remove" | "autoremove" => {
                        let auto =
                            sub == "autoremove" || inv.has_flag(&["auto-remove", "autoremove"]);
                        if marked_auto && auto {
                            for p in &system.installed {
                                let name = package_name(p).to_string();
                                if !system.removed.contains(&name) {
                                    system.auto_removed.push(name.clone());
                                    system.removed.push(name);
                                }
                            }
                        }
                        system.removed.extend(operands);
                    }
                    _ => {}
                },
                Tool::Apk => match sub.as_str() {
                    "add" => {
                        system.manager = Some(Tool::Apk);
                        if let Some(v) = inv.flag_value(&["t", "virtual"]) {
                            // Packages of a virtual group deleted later are build-only.
                            let group = v.to_string();
                            let removed_later = run.commands().filter_map(recognise).any(|i| {
                                i.tool == Tool::Apk
                                    && i.subcommand() == Some("del")
                                    && i.operands().contains(&group.as_str())
                            });
                            if removed_later {
                                system
                                    .removed
                                    .extend(operands.iter().map(|p| package_name(p).to_string()));
                            }
                        }
                        system.installed.extend(operands);
                    }
                    "del" => system.removed.extend(operands),
                    _ => {}
                },
                Tool::Dnf | Tool::Yum | Tool::Microdnf | Tool::Zypper => match sub.as_str() {
                    "install" | "in" => {
                        system.manager = Some(inv.tool);
                        system.installed.extend(operands);
                    }
                    "remove" | "erase" | "rm" => system.removed.extend(operands),
                    _ => {}
                },
                _ => {}
            }
            if inv.tool.is_package_manager()
                && matches!(
                    inv.tool,
                    Tool::AptGet
                        | Tool::Apt
                        | Tool::Aptitude
                        | Tool::Apk
                        | Tool::Dnf
                        | Tool::Yum
                        | Tool::Microdnf
                        | Tool::Zypper
                )
            {
                is_setup = false;
            }
        }
        if let Some(tool) = installs_dependencies(cmd)
            && !facts.dependencies.contains(&tool)
        {
            facts.dependencies.push(tool);
            is_setup = false;
        }
        if is_build(cmd) {
            facts.builds = true;
            is_setup = false;
        }
        match configured_package(cmd) {
            Some(p) => {
                if !configures.contains(&p) {
                    configures.push(p);
                }
            }
            _ => all_configure &= is_setup,
        }
        all_setup &= is_setup;
    }
    if system.manager.is_some() {
        facts.system = Some(system);
    }
    facts.setup_only = all_setup && facts.system.is_none();
    if !facts.setup_only
        && all_configure
        && facts.system.is_none()
        && !facts.builds
        && facts.dependencies.is_empty()
        && run.scripts.iter().all(|s| names_only_config_paths(&s.text))
    {
        facts.configures = configures;
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn facts(run: &str) -> RunFacts {
        let text = format!("FROM debian\nRUN {run}\n");
        let doc = crate::dockerfile::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let model = Model::build(&doc);
        model
            .instructions
            .get(1)
            .map(classify_run)
            .unwrap_or_default()
    }

    #[test]
    fn system_packages_split_into_build_and_runtime() {
        let f = facts(
            "apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl && rm -rf /var/lib/apt/lists/*",
        );
        let sys = f.system.unwrap_or_default();
        assert_eq!(sys.build_only(Distro::Bookworm), ["gcc", "libpq-dev"]);
        let (keep, mapped) = sys.runtime(Distro::Bookworm);
        assert_eq!(keep, ["curl"]);
        assert_eq!(
            mapped,
            [("libpq-dev".to_string(), vec!["libpq5".to_string()])]
        );
        let f = facts(
            "apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps",
        );
        let sys = f.system.unwrap_or_default();
        assert_eq!(sys.runtime(Distro::Alpine).0, Vec::<String>::new());
        assert_eq!(f.dependencies, [Tool::Pip]);
    }

    #[test]
    fn the_apt_mark_idiom_removes_what_the_run_installed() {
        let f = facts(
            "savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y --no-install-recommends gcc libpq-dev wget; make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; rm -rf /var/lib/apt/lists/*",
        );
        let sys = f.system.unwrap_or_default();
        assert_eq!(sys.removed, ["gcc", "libpq-dev", "wget"]);
        // The idiom keeps what the built files link: libpq-dev still stands
        // for libpq5; wget went.
        let (keep, mapped) = sys.runtime(Distro::Bookworm);
        assert!(keep.is_empty(), "{keep:?}");
        assert_eq!(
            mapped,
            [("libpq-dev".to_string(), vec!["libpq5".to_string()])]
        );
        // Without `apt-mark auto`, `--auto-remove` removes only what it names.
        let f = facts("apt-get install -y gcc && apt-get purge -y --auto-remove wget");
        assert_eq!(f.system.unwrap_or_default().removed, ["wget"]);
    }

    #[test]
    fn account_creation_guarded_by_a_lookup_is_setup() {
        for run in [
            "( egrep -i \"^${G}\" /etc/group || groupadd $G ) && ( egrep -i \"^${C}\" /etc/group || groupadd $C )",
            "getent group app || groupadd app",
            "grep -q ^app: /etc/passwd || useradd -r app",
            "id -u app || useradd --system app -g app",
        ] {
            assert!(facts(run).setup_only, "{run}");
        }
        // A lookup without an account being created, or of another file,
        // is no guard.
        for run in [
            "egrep -i ^app /etc/group",
            "grep -q x /etc/hosts || groupadd app",
            "getent hosts db || groupadd app",
        ] {
            assert!(!facts(run).setup_only, "{run}");
        }
    }

    #[test]
    fn configuration_programs_of_packages_write_only_configuration() {
        let f = facts("download-mibs && echo \"mibs +ALL\" > /etc/snmp/snmp.conf");
        assert!(!f.setup_only);
        assert_eq!(f.configures, ["snmp-mibs-downloader"]);
        let runtime = vec!["snmp".to_string(), "snmp-mibs-downloader".to_string()];
        assert!(is_runtime_setup(&f, &runtime));
        assert!(!is_runtime_setup(&f, &["snmp".to_string()]));
        assert_eq!(
            facts("a2enmod rewrite && a2ensite app").configures,
            ["apache2"]
        );
        // Writes outside configuration and data, unknown programs, builds.
        for run in [
            "download-mibs && echo x > /opt/app/mibs.conf",
            "download-mibs > $HOME/x",
            "download-mibs && ./fetch-more",
            "download-mibs && make",
        ] {
            assert!(facts(run).configures.is_empty(), "{run}");
        }
    }

    #[test]
    fn roles() {
        assert!(facts("go build -o /app .").builds);
        assert!(facts("npm run build").builds);
        assert!(!facts("npm ci").builds);
        assert!(!facts("yarn workspaces focus --all --production").builds);
        assert!(facts("yarn workspaces foreach run build").builds);
        assert_eq!(facts("npm ci").dependencies, [Tool::Npm]);
        assert!(facts("useradd -m app && mkdir -p /data && chown app /data").setup_only);
        assert!(!facts("curl -fsSL x | sh").setup_only);
    }
}
