//! Java (Maven, Gradle, plain `javac`): the source stage becomes the
//! builder with the JDK and the build tool; the runtime stage is a JRE of
//! the same Java major (`eclipse-temurin:<major>-jre`, its Alpine variant,
//! or distroless `java<major>`) that receives only what the start command
//! uses: the jar (copied to the fixed name `/app/app.jar` when the build
//! names it with a version or a glob), Spring Boot's extracted layers, a
//! Gradle `installDist` tree, or a Tomcat `webapps` directory (on the
//! Tomcat JRE image). A JDK carries a compiler, `jlink`, `jdb` and the
//! build tool's caches that the application never uses at run time.

use super::common::{
    add, command_words, exec_form, is_runtime_behaviour, keep, keep_quiet, trim_after_last_run,
};
use super::jvm_support::{
    absolute, base_name, dir_name, drop_unused_workdirs, entry_commands, flag_value,
    insert_before_command, insert_before_user, item_is, mentions, missing_clients, node_text,
    only_creates_users, parent_stage, positional, replace_token, runs_shell, runtime_packages,
    runtime_platform, runtime_user, switches_user_before, with_mounts, without_exec,
};
use super::{Detection, Strategy};
use crate::convert::classify::classify_run;
use crate::convert::context::{ConvertContext, glob_match};
use crate::convert::images::ImageText;
use crate::convert::plan::{ChangeSpec, Item, Plan, StageFrom, StagePlan};
use crate::convert::types::{ChangeKind, Confidence, Ecosystem, Refusal, RuntimePreference};
use crate::convert::user::ImageUsers;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::CommandKind;
use crate::knowledge::packages::{Distro, package_name};
use crate::model::shell::SimpleCommand;
use crate::model::tools::{Tool, recognise};
use crate::model::{BaseImage, Instruction};

/// The strategy.
pub struct Java;

const ECO: Option<Ecosystem> = Some(Ecosystem::Java);

/// Where a renamed jar goes in the runtime stage.
const APP_JAR: &str = "/app/app.jar";

/// Tomcat's home in the official image.
const CATALINA_HOME: &str = "/usr/local/tomcat";

/// Images whose tag starts with the Java version (`17-jdk-alpine`).
const JDK_IMAGES: &[&str] = &[
    "eclipse-temurin",
    "openjdk",
    "amazoncorretto",
    "ibm-semeru-runtimes",
    "sapmachine",
    "zulu-openjdk",
    "java",
    "ibmjava",
    "liberica-openjdk-debian",
    "liberica-openjdk-alpine",
    "liberica-openjdk-centos",
];

/// Images that carry a build tool on a JDK (`maven:3.9-eclipse-temurin-21`).
const TOOL_IMAGES: &[&str] = &["maven", "gradle"];

/// Files a Maven or Gradle build reads before the sources.
const MANIFESTS: &[&str] = &[
    "pom.xml",
    "mvnw",
    "mvnw.cmd",
    ".mvn",
    "settings.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    "gradle.properties",
    "gradle",
    "gradlew",
    "gradlew.bat",
    "libs.versions.toml",
    "*.gradle",
    "*.gradle.kts",
];

/// Paths only the build uses: the runtime stage neither copies them nor
/// runs commands on them.
const BUILD_PATHS: &[&str] = &[
    "src",
    "target",
    "build",
    "pom.xml",
    "mvnw",
    ".mvn",
    "gradlew",
    "gradle",
    ".gradle",
    ".m2",
    "/root/.m2",
    "/root/.gradle",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
];

/// Spring Boot's layers, in the order that caches best.
const LAYERS: &[&str] = &[
    "dependencies",
    "spring-boot-loader",
    "snapshot-dependencies",
    "application",
];

fn is_manifest(name: &str) -> bool {
    MANIFESTS.iter().any(|m| glob_match(m, name))
}

/// Packages that are a JDK, a JRE or a Java build tool (the runtime image
/// brings its own JRE).
fn is_java_package(name: &str) -> bool {
    name.starts_with("openjdk")
        || name.starts_with("default-jdk")
        || name.starts_with("default-jre")
        || (name.starts_with("java-") && name.contains("openjdk"))
        || name.starts_with("temurin-")
        || name.starts_with("zulu")
        || name.starts_with("msopenjdk")
        || matches!(
            name,
            "maven" | "gradle" | "ant" | "ca-certificates-java" | "java-common"
        )
}

/// The Java major of a version word (`17`, `17.0.9_9`, `8u392`, `1.8`,
/// `${JAVA_VERSION}`).
fn version_major(word: &str) -> Option<String> {
    if word.starts_with('$') {
        return Some(word.to_string());
    }
    if let Some(rest) = word.strip_prefix("1.")
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return Some(rest.chars().take_while(char::is_ascii_digit).collect());
    }
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// The Java major a JDK, Maven, Gradle or Tomcat image tag names.
fn major_from_image(short: &str, tag: &str) -> Option<String> {
    let segments: Vec<&str> = tag.split('-').collect();
    if JDK_IMAGES.contains(&short) {
        return segments
            .iter()
            .find(|s| s.starts_with(|c: char| c.is_ascii_digit() || c == '$'))
            .and_then(|s| version_major(s));
    }
    // Tool and server images: `jdk17`, `jre21`, `temurin-21`, `jdk-11`.
    for (k, seg) in segments.iter().enumerate() {
        for prefix in ["jdk", "jre"] {
            if let Some(v) = seg.strip_prefix(prefix)
                && !v.is_empty()
                && let Some(m) = version_major(v)
            {
                return Some(m);
            }
        }
        if matches!(
            *seg,
            "jdk"
                | "jre"
                | "temurin"
                | "openjdk"
                | "corretto"
                | "amazoncorretto"
                | "semeru"
                | "sapmachine"
                | "zulu"
                | "liberica"
                | "graalvm"
                | "community"
                | "ibmjava"
        ) && let Some(next) = segments.get(k + 1)
            && next.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        {
            return version_major(next);
        }
    }
    None
}

/// The Java major of a `default-jdk` package on a Debian or Ubuntu image.
fn default_jdk_major(image: &ImageText) -> Option<&'static str> {
    let tag = image.tag.as_deref().unwrap_or("latest");
    match image.short_name() {
        "debian" => Some(match tag {
            t if t.starts_with("12") || t.contains("bookworm") => "17",
            t if t.starts_with("11")
                || t.starts_with("10")
                || t.contains("bullseye")
                || t.contains("buster") =>
            {
                "11"
            }
            _ => "21",
        }),
        "ubuntu" => Some(match tag {
            t if t.starts_with("18") || t.starts_with("20") || t.starts_with("22") => "11",
            t if t.contains("bionic") || t.contains("focal") || t.contains("jammy") => "11",
            _ => "21",
        }),
        _ => None,
    }
}

/// The Java major of a JDK installed with the system package manager.
fn major_from_package(name: &str, image: &ImageText) -> Option<String> {
    if name.starts_with("default-jdk") || name.starts_with("default-jre") {
        return default_jdk_major(image).map(str::to_string);
    }
    let rest = name
        .strip_prefix("openjdk-")
        .or_else(|| name.strip_prefix("openjdk"))
        .or_else(|| name.strip_prefix("temurin-"))
        .or_else(|| name.strip_prefix("java-"))?;
    let word = rest.split('-').next().unwrap_or(rest);
    version_major(word)
}

/// What the source stage runs Java on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct JavaBase {
    /// The Java major as written in the `FROM` (may be `${VAR}`).
    major: Option<String>,
    /// The Java major after `ARG` defaults.
    resolved: Option<u32>,
    /// Whether the source image is Alpine (musl).
    alpine: bool,
    /// Whether it is an official Tomcat image.
    tomcat: bool,
    /// The source image is `eclipse-temurin` (its tag carries over).
    temurin_tag: Option<String>,
}

fn java_base(cx: &ConvertContext<'_>, raw: &ImageText, resolved: &ImageText) -> JavaBase {
    let short = resolved.short_name();
    let tag = resolved.tag.clone().unwrap_or_default();
    let raw_tag = raw.tag.clone().unwrap_or_default();
    let mut major = major_from_image(short, &raw_tag);
    let mut resolved_major = major_from_image(short, &tag).and_then(|m| m.parse::<u32>().ok());
    if major.is_none() && resolved_major.is_none() {
        // A distribution image with a JDK package.
        for i in cx.instructions() {
            let Some(system) = classify_run(i).system else {
                continue;
            };
            if let Some(m) = system
                .installed
                .iter()
                .filter(|p| is_java_package(package_name(p)))
                .find_map(|p| major_from_package(package_name(p), resolved))
            {
                resolved_major = m.parse().ok();
                major = Some(m);
                break;
            }
        }
    }
    if major.is_none() {
        major = resolved_major.map(|m| m.to_string());
    }
    if resolved_major.is_none() {
        resolved_major = major.as_deref().and_then(|m| m.parse().ok());
    }
    JavaBase {
        major,
        resolved: resolved_major,
        alpine: resolved.distro() == Distro::Alpine,
        tomcat: short == "tomcat",
        temurin_tag: (short == "eclipse-temurin").then_some(raw_tag),
    }
}

/// Whether an image is a JDK or a Java build tool image.
fn is_jdk_image(text: &ImageText) -> bool {
    let short = text.short_name();
    let tag = text.tag.as_deref().unwrap_or("latest");
    TOOL_IMAGES.contains(&short)
        || (JDK_IMAGES.contains(&short) && !tag.contains("jre"))
        || (short == "tomcat" && tag.contains("jdk"))
}

/// A `java` command line, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct JavaCommand {
    /// `-jar <path>`.
    jar: Option<String>,
    /// `-cp` entries as written.
    classpath: Vec<String>,
    /// The main class.
    main: Option<String>,
    /// `-javaagent:` jars.
    agents: Vec<String>,
    /// Whether JVM options come before `-jar`/the main class.
    options: bool,
    /// `-Djarmode=...` (layer extraction, not the application).
    jarmode: bool,
}

/// JVM options that take the next word as their value.
const JVM_VALUE_OPTIONS: &[&str] = &[
    "--add-opens",
    "--add-exports",
    "--add-modules",
    "--add-reads",
    "--limit-modules",
    "--upgrade-module-path",
    "--module-path",
    "-p",
    "--module",
    "-m",
];

fn parse_java(args: &[String]) -> JavaCommand {
    let mut out = JavaCommand::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-jar" => {
                out.jar = it.next().cloned();
                break;
            }
            "-cp" | "-classpath" | "--class-path" => {
                if let Some(v) = it.next() {
                    out.classpath
                        .extend(v.split(':').filter(|e| !e.is_empty()).map(str::to_string));
                }
            }
            a if a.starts_with("-javaagent:") => {
                let path = a.trim_start_matches("-javaagent:");
                let path = path.split('=').next().unwrap_or(path);
                out.agents.push(path.to_string());
                out.options = true;
            }
            a if a.starts_with("-Djarmode") => {
                out.jarmode = true;
                out.options = true;
            }
            a if JVM_VALUE_OPTIONS.contains(&a) => {
                it.next();
                out.options = true;
            }
            a if a.starts_with('-') || a.starts_with('$') => out.options = true,
            a => {
                out.main = Some(a.to_string());
                break;
            }
        }
    }
    out
}

/// How the container starts.
#[derive(Debug, Clone)]
enum Entry<'a> {
    /// `java ...` (in `CMD`, `ENTRYPOINT` or a `sh -c` string).
    Java {
        /// The instruction.
        instruction: &'a Instruction,
        /// The command read.
        command: JavaCommand,
    },
    /// The build tool runs the application (`mvn spring-boot:run`).
    Tool {
        /// The instruction.
        instruction: &'a Instruction,
        /// The command.
        command: SimpleCommand,
        /// Maven or Gradle.
        tool: Tool,
    },
    /// Tomcat (`catalina.sh run`, or the image's default command).
    Catalina,
    /// Another program.
    Program {
        /// The instruction.
        instruction: &'a Instruction,
        /// The program as written.
        program: String,
    },
    /// No `CMD` or `ENTRYPOINT`.
    Nothing,
}

fn find_entry<'a>(cx: &ConvertContext<'a>, tomcat: bool) -> Entry<'a> {
    let entrypoint = cx.last(Keyword::Entrypoint);
    let cmd = cx.last(Keyword::Cmd);
    let cmd_exec_args: Vec<String> = match cmd.and_then(Instruction::kind) {
        Some(CommandKind::Cmd(c)) if !c.prepend_shell => c.args.clone(),
        _ => Vec::new(),
    };
    let mut program: Option<(&'a Instruction, String)> = None;
    for (instruction, is_entrypoint) in [(entrypoint, true), (cmd, false)] {
        let Some(instruction) = instruction else {
            continue;
        };
        let commands = entry_commands(cx, instruction);
        let direct = commands.len() == 1;
        for c in commands.iter().filter_map(without_exec) {
            let name = c.base_name();
            if name == "java" {
                let mut args = c.args.clone();
                if is_entrypoint && direct && !instruction_shell_form(instruction) {
                    args.extend(cmd_exec_args.iter().cloned());
                }
                return Entry::Java {
                    instruction,
                    command: parse_java(&args),
                };
            }
            if let Some(inv) = recognise(&c)
                && matches!(inv.tool, Tool::Maven | Tool::Gradle)
            {
                return Entry::Tool {
                    instruction,
                    command: c.clone(),
                    tool: inv.tool,
                };
            }
            if name == "catalina.sh" || name == "catalina" {
                return Entry::Catalina;
            }
            if program.is_none() && !matches!(name, "sh" | "bash" | "ash" | "dash" | "") {
                program = Some((instruction, c.name.clone()));
            }
        }
    }
    if let Some((instruction, program)) = program {
        return Entry::Program {
            instruction,
            program,
        };
    }
    if tomcat {
        return Entry::Catalina;
    }
    Entry::Nothing
}

fn instruction_shell_form(i: &Instruction) -> bool {
    matches!(i.kind(), Some(CommandKind::Cmd(c) | CommandKind::Entrypoint(c)) if c.prepend_shell)
}

/// Maven options whose value is the next word.
const MAVEN_VALUE_FLAGS: &[&str] = &[
    "f",
    "file",
    "P",
    "activate-profiles",
    "pl",
    "projects",
    "s",
    "settings",
    "gs",
    "global-settings",
    "T",
    "threads",
    "rf",
    "resume-from",
    "l",
    "log-file",
    "t",
    "toolchains",
    "b",
    "builder",
];

/// Gradle options whose value is the next word.
const GRADLE_VALUE_FLAGS: &[&str] = &[
    "p",
    "project-dir",
    "x",
    "exclude-task",
    "b",
    "build-file",
    "c",
    "settings-file",
    "g",
    "gradle-user-home",
    "I",
    "init-script",
    "console",
    "warning-mode",
    "max-workers",
    "PskipTests",
];

/// Maven goals and Gradle tasks that only download dependencies.
fn is_dependency_goal(goal: &str) -> bool {
    goal.starts_with("dependency:")
        && !goal.contains("copy-dependencies")
        && !goal.contains("unpack")
        || goal.contains("go-offline")
        || matches!(
            goal,
            "dependencies"
                | "downloadDependencies"
                | "resolveDependencies"
                | "downloadRepos"
                | "help"
                | "--version"
                | "validate"
        )
}

/// One Maven or Gradle command of a `RUN`.
#[derive(Debug, Clone)]
struct ToolRun<'a> {
    instruction: &'a Instruction,
    tool: Tool,
    /// The command as written (`mvn`, `./mvnw`, `gradle`, `./gradlew`).
    name: String,
    /// Its arguments.
    args: Vec<String>,
    /// Goals or tasks.
    goals: Vec<String>,
}

impl ToolRun<'_> {
    /// Whether it only downloads dependencies.
    fn dependencies_only(&self) -> bool {
        !self.goals.is_empty() && self.goals.iter().all(|g| is_dependency_goal(g))
    }
}

fn tool_runs<'a>(cx: &ConvertContext<'a>) -> Vec<ToolRun<'a>> {
    let mut out = Vec::new();
    for i in cx.instructions() {
        let Some(run) = &i.run else { continue };
        for c in run.commands() {
            let Some(inv) = recognise(c) else { continue };
            let flags = match inv.tool {
                Tool::Maven => MAVEN_VALUE_FLAGS,
                Tool::Gradle => GRADLE_VALUE_FLAGS,
                _ => continue,
            };
            out.push(ToolRun {
                instruction: i,
                tool: inv.tool,
                name: inv.line.name.clone(),
                args: inv.line.args.clone(),
                goals: positional(&inv.line.args, flags),
            });
        }
    }
    out
}

/// Whether a `RUN` compiles, packages or extracts Java.
fn is_java_build(i: &Instruction) -> bool {
    if classify_run(i).builds {
        return true;
    }
    i.run.as_ref().is_some_and(|r| {
        r.commands().any(|c| {
            matches!(
                c.base_name(),
                "javac" | "jar" | "jlink" | "jdeps" | "native-image" | "kotlinc" | "scalac"
            ) || (c.base_name() == "java" && c.args.iter().any(|a| a.starts_with("-Djarmode")))
        })
    })
}

/// Spring Boot layer extraction in a `RUN`: the destination directory.
fn layer_extraction(i: &Instruction) -> Option<Result<String, String>> {
    let run = i.run.as_ref()?;
    for c in run.commands() {
        if c.base_name() != "java" || !c.args.iter().any(|a| a.starts_with("-Djarmode")) {
            continue;
        }
        if !c.args.iter().any(|a| a == "extract") {
            continue;
        }
        let tools = c.args.iter().any(|a| a == "-Djarmode=tools");
        let dir = i.context.workdir.as_deref();
        return Some(match flag_value(&c.args, &[], &["destination"]) {
            Some(d) => Ok(absolute(dir, &d)),
            None if tools => Err(
                "`-Djarmode=tools extract` without `--destination` extracts into a directory named after the jar, which restage cannot name"
                    .to_string(),
            ),
            None => Ok(absolute(dir, ".")),
        });
    }
    None
}

/// One artifact the runtime stage copies from the builder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Artifact {
    /// Path in the builder (may be a glob, then staged to `to` first).
    from: String,
    /// Path in the runtime stage.
    to: String,
    /// `--chown` for the copy.
    chown: Option<String>,
    /// The source line it comes from.
    line: usize,
    /// What it is.
    summary: String,
    /// Why it is copied like this.
    reason: String,
}

/// Copies the scripts of the source tree the runtime stage runs or marks
/// executable (`docker-entrypoint.sh`) from the builder: those a `RUN` on
/// `line` names, or all that are left when `line` is `None` (before the
/// start command). Each is placed once.
fn place_scripts(
    scripts: &mut Vec<super::common::ContextScript>,
    line: Option<usize>,
    items: &mut Vec<Item>,
) {
    for s in super::common::take_scripts(scripts, line) {
        items.push(add(
            format!("COPY --from=builder {} {}", s.path, s.path),
            ChangeKind::CopyArtifact,
            format!("`{}` from the builder", s.path),
            "the runtime stage runs it or makes it executable, and it is not part of the build output",
            s.lines,
        ));
    }
}

/// Whether a path is a build tool's output (`target/`, `build/libs/`).
fn in_build_output(path: &str) -> bool {
    path.contains("/target/") || path.contains("/build/libs/") || path.contains("/build/")
}

/// The files a glob in a build output matches, minus the jars that are
/// not the application (Gradle's plain jar, sources, javadoc, the original
/// jar shading or repackaging keeps).
fn staging_command(glob: &str, to: &str) -> String {
    let dir = dir_name(glob);
    let pattern = base_name(glob);
    format!(
        "RUN mkdir -p {} && cp $(find {dir} -maxdepth 1 -name '{pattern}' ! -name '*-plain.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-tests.jar' ! -name 'original-*') {to}",
        dir_name(to)
    )
}

/// Names of files and directories an application reads at run time.
fn is_runtime_asset(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".sh",
        ".jar",
        ".war",
        ".ear",
        ".yml",
        ".yaml",
        ".properties",
        ".conf",
        ".json",
        ".pem",
        ".crt",
        ".p12",
        ".jks",
        ".cer",
    ];
    const DIRS: &[&str] = &[
        "config", "configs", "conf", "certs", "scripts", "static", "public",
    ];
    name != "gradle.properties"
        && !is_manifest(name)
        && (DIRS.contains(&name) || EXTENSIONS.iter().any(|e| name.ends_with(e)))
}

/// Everything the plan needs about how the runtime image is made.
struct Runtime {
    image: String,
    shell: bool,
    distro: Distro,
    image_user: Option<&'static str>,
    reason: String,
}

fn runtime_image(
    cx: &ConvertContext<'_>,
    base: &JavaBase,
    raw: &ImageText,
    plan: &mut Plan,
) -> Result<Runtime, Refusal> {
    let preference = cx.options.runtime;
    if preference == RuntimePreference::Scratch {
        return Err(Refusal::new(
            ECO,
            "a Java application needs a JVM and a C library, so it cannot run on `scratch`; use --runtime auto, alpine or distroless",
        ));
    }
    if base.tomcat {
        if !matches!(
            preference,
            RuntimePreference::Auto | RuntimePreference::Slim
        ) {
            return Err(Refusal::new(
                ECO,
                "the application is a WAR deployed on Tomcat; the runtime image stays the official Tomcat image (it has no Alpine or distroless variant)",
            ));
        }
        let tag = raw.tag.clone().unwrap_or_else(|| "latest".into());
        let image = if tag.contains("jdk") {
            raw.with_tag(&tag.replacen("jdk", "jre", 1))
        } else {
            plan.warnings.push(format!(
                "the tag `{tag}` does not say which JDK it carries, so the runtime stage keeps it; pick the matching `-jre<major>` tag to leave the JDK out"
            ));
            raw.with_tag(&tag)
        };
        return Ok(Runtime {
            image,
            shell: true,
            distro: Distro::Bookworm,
            image_user: None,
            reason: "the same Tomcat with a JRE instead of a JDK: no compiler, no build tool"
                .into(),
        });
    }
    let major = match &base.major {
        Some(m) => m.clone(),
        None => {
            plan.confidence = Confidence::Low;
            plan.assumptions.push("The source image does not name its Java version, so the runtime is the newest LTS JRE (25), which runs classes compiled for any earlier Java. Pin the same major in both stages (`maven:3.9-eclipse-temurin-21` → `eclipse-temurin:21-jre`).".into());
            "25".into()
        }
    };
    match preference {
        RuntimePreference::Distroless => {
            let resolved = base.resolved.or_else(|| major.parse().ok());
            let Some(m) = resolved.filter(|m| matches!(m, 17 | 21 | 25)) else {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "distroless publishes Java 17, 21 and 25 images only (`gcr.io/distroless/java<major>-debian13`); this build uses Java {major}. Use --runtime auto"
                    ),
                ));
            };
            if major.starts_with('$') {
                plan.assumptions.push(format!("The Java version comes from a build argument ({major}); the distroless image name cannot use it, so it is fixed to Java {m}."));
            }
            if base.alpine {
                plan.warnings.push("the build ran on Alpine (musl); jars with native libraries built for musl will not load on distroless (glibc)".into());
            }
            Ok(Runtime {
                image: format!("gcr.io/distroless/java{m}-debian13:nonroot"),
                shell: false,
                distro: Distro::Trixie,
                image_user: Some("nonroot:nonroot"),
                reason: "distroless Java has the JRE and nothing else: no shell, no package manager (the Debian 12 Java images are no longer published)".into(),
            })
        }
        RuntimePreference::Alpine => {
            if !base.alpine {
                plan.warnings.push("Alpine uses musl: jars with native libraries (Netty epoll, RocksDB, SQLite JDBC) need musl builds".into());
            }
            Ok(Runtime {
                image: format!("eclipse-temurin:{major}-jre-alpine"),
                shell: true,
                distro: Distro::Alpine,
                image_user: None,
                reason: "the Temurin JRE on Alpine: the JVM without compiler or build tool".into(),
            })
        }
        RuntimePreference::Auto | RuntimePreference::Slim | RuntimePreference::Scratch => {
            let alpine = base.alpine && preference == RuntimePreference::Auto;
            let image = match (&base.temurin_tag, alpine) {
                (Some(tag), _) if base.major.is_some() && !tag.is_empty() => {
                    let tag = if tag.contains("-jdk") {
                        tag.replacen("-jdk", "-jre", 1)
                    } else if tag.contains("jdk") {
                        tag.replacen("jdk", "jre", 1)
                    } else {
                        match tag.split_once('-') {
                            Some((v, rest)) => format!("{v}-jre-{rest}"),
                            None => format!("{tag}-jre"),
                        }
                    };
                    let tag = if preference == RuntimePreference::Slim {
                        tag.replace("-alpine", "")
                    } else {
                        tag
                    };
                    raw.with_tag(&tag)
                }
                (_, true) => format!("eclipse-temurin:{major}-jre-alpine"),
                (_, false) => format!("eclipse-temurin:{major}-jre"),
            };
            let alpine = image.contains("alpine");
            Ok(Runtime {
                image,
                shell: true,
                distro: if alpine {
                    Distro::Alpine
                } else {
                    Distro::Bookworm
                },
                image_user: None,
                reason: format!(
                    "the Temurin JRE of the same Java major ({major}): the JVM without compiler, jlink or build tool (about 90 MB compressed instead of about 200 MB for a JDK, more with Maven or Gradle)"
                ),
            })
        }
    }
}

impl Strategy for Java {
    fn name(&self) -> &'static str {
        "java-jre"
    }

    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Java
    }

    fn detect(&self, cx: &ConvertContext<'_>) -> Option<Detection> {
        let mut d = Detection::default();
        let mut jdk = false;
        if let Some((reference, parent)) = parent_stage(cx)
            && is_jdk_image(&ImageText::parse(&reference))
        {
            jdk = true;
            d.add(
                10,
                cx.stage.line,
                format!("builds on the stage `{parent}`, whose image `{reference}` carries a JDK"),
            );
        }
        if let BaseImage::Image { reference, .. } = &cx.stage.base {
            let image = ImageText::parse(reference);
            if is_jdk_image(&image) {
                jdk = true;
                d.add(
                    10,
                    cx.stage.line,
                    format!("base image `{}` carries a JDK", cx.stage.base_text),
                );
            } else if image.short_name() == "tomcat" {
                d.add(
                    5,
                    cx.stage.line,
                    format!("base image `{}` is Tomcat", cx.stage.base_text),
                );
            }
        }
        for i in cx.instructions() {
            if let Some(system) = classify_run(i).system
                && let Some(p) = system
                    .installed
                    .iter()
                    .find(|p| is_java_package(package_name(p)))
            {
                jdk = true;
                d.add(10, i.start_line, format!("installs `{}`", package_name(p)));
                break;
            }
        }
        let mut manifests = 0;
        for (i, c) in cx.copies() {
            for s in &c.sources {
                if is_manifest(base_name(s)) && manifests < 2 {
                    manifests += 1;
                    d.add(5, i.start_line, format!("copies the build file `{s}`"));
                }
            }
        }
        let mut builds = false;
        for r in tool_runs(cx) {
            if !builds {
                builds = true;
                let what = if r.tool == Tool::Maven {
                    "Maven"
                } else {
                    "Gradle"
                };
                d.add(
                    10,
                    r.instruction.start_line,
                    format!("builds with {what} (`{}`)", r.name),
                );
            }
        }
        if !builds
            && let Some(i) = cx.instructions().find(|i| {
                i.run
                    .as_ref()
                    .is_some_and(|r| r.commands().any(|c| c.is("javac")))
            })
        {
            builds = true;
            d.add(10, i.start_line, "compiles with `javac`");
        }
        match find_entry(cx, false) {
            Entry::Java { instruction, .. } => {
                d.add(
                    5,
                    instruction.start_line,
                    "starts the application with `java`",
                );
            }
            Entry::Tool { instruction, .. } => {
                builds = true;
                d.add(
                    10,
                    instruction.start_line,
                    "runs the application through the build tool",
                );
            }
            Entry::Catalina => {
                if let Some(i) = cx.last(Keyword::Cmd) {
                    d.add(5, i.start_line, "starts Tomcat");
                }
            }
            _ => {}
        }
        (d.score >= 15 && (builds || jdk)).then_some(d)
    }

    fn plan(&self, cx: &ConvertContext<'_>, _detection: &Detection) -> Result<Plan, Refusal> {
        let resolved_text = match &cx.stage.base {
            BaseImage::Image { reference, .. } => reference.clone(),
            BaseImage::Stage { .. } => {
                let parent = parent_stage(cx)
                    .map(|(_, name)| format!("`{name}`"))
                    .unwrap_or_else(|| "an earlier stage".into());
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "the final stage builds on {parent}, so it inherits the JDK and the build; restage converts a final stage that starts from an image. Start it from a JRE image (`eclipse-temurin:<major>-jre`) and copy the jar with `COPY --from=...`"
                    ),
                ));
            }
            BaseImage::Scratch => {
                return Err(Refusal::new(ECO, "the final stage starts from scratch"));
            }
        };
        let resolved = ImageText::parse(&resolved_text);
        let raw = ImageText::parse(&cx.stage.base_text);
        let tag = resolved.tag.as_deref().unwrap_or_default();
        if tag.contains("windowsservercore") || tag.contains("nanoserver") {
            return Err(Refusal::new(
                ECO,
                "Windows container images are not supported",
            ));
        }
        let base = java_base(cx, &raw, &resolved);
        let mut plan = Plan::new(Ecosystem::Java, self.name(), Confidence::High);
        let runtime = runtime_image(cx, &base, &raw, &mut plan)?;
        if raw.digest.is_some() {
            plan.assumptions.push(format!(
                "`{}` is pinned by digest; the runtime image `{}` is not — pin it too",
                cx.stage.base_text, runtime.image
            ));
        }
        let entry = find_entry(cx, base.tomcat);
        let runs = tool_runs(cx);
        let build_index: Vec<usize> = cx
            .instructions()
            .filter(|i| is_java_build(i))
            .map(|i| i.node)
            .collect();
        let first_build = build_index.first().copied();
        // RUNs after the first build that work on its output (`cp target/*.jar
        // /app.jar`) belong to the build.
        let is_build_run = |i: &Instruction| -> bool {
            if i.keyword != Keyword::Run {
                return false;
            }
            if build_index.contains(&i.node) {
                return true;
            }
            let text = node_text(cx, i);
            let downloads = i.run.as_ref().is_some_and(|r| {
                r.commands()
                    .any(|c| matches!(c.base_name(), "curl" | "wget"))
            });
            first_build.is_some_and(|f| i.node > f)
                && (mentions(cx, i, BUILD_PATHS)
                    || (!downloads && (text.contains(".jar") || text.contains(".war"))))
        };
        let last_build = cx
            .instructions()
            .filter(|i| is_build_run(i))
            .map(|i| i.node)
            .last();
        let via_tool = matches!(entry, Entry::Tool { .. });
        let building = last_build.is_some() || via_tool;

        // What the start command uses.
        let mut artifacts: Vec<Artifact> = Vec::new();
        let mut rewrites: Vec<(String, String)> = Vec::new();
        let mut new_command: Option<(usize, String, ChangeSpec)> = None;
        let mut added_build: Option<Item> = None;
        let kept_copies: Vec<&Instruction> = cx
            .instructions()
            .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
            .filter(|i| !building || runtime_copy(cx, i, &entry))
            .collect();
        // RUNs the runtime stage keeps that create files (`curl -o /opt/agent.jar`).
        let runtime_runs: Vec<&Instruction> = cx
            .instructions()
            .filter(|i| {
                i.keyword == Keyword::Run
                    && !is_build_run(i)
                    && last_build.is_none_or(|l| i.node > l)
                    && classify_run(i).system.is_none()
                    && !mentions(cx, i, BUILD_PATHS)
            })
            .collect();
        let provided = |path: &str| -> bool {
            kept_copies
                .iter()
                .any(|i| super::jvm_support::copy_provides(cx, i, path))
                || runtime_runs
                    .iter()
                    .any(|i| replace_token(&node_text(cx, i), path, "").is_some())
        };
        let layers = cx
            .instructions()
            .filter(|i| is_build_run(i))
            .find_map(layer_extraction)
            .transpose()
            .map_err(|why| Refusal::new(ECO, why))?;
        let copy_dependencies = runs
            .iter()
            .any(|r| r.goals.iter().any(|g| g.contains("copy-dependencies")));
        if building {
            match &entry {
                Entry::Java {
                    instruction,
                    command,
                } => {
                    let workdir = instruction.context.workdir.as_deref().map(str::to_string);
                    let line = instruction.start_line;
                    if let Some(dest) = &layers {
                        let target = workdir.clone().unwrap_or_else(|| "/".into());
                        for layer in LAYERS {
                            artifacts.push(Artifact {
                                from: format!("{}/{layer}/", dest.trim_end_matches('/')),
                                to: format!("{}/", target.trim_end_matches('/')),
                                chown: None,
                                line,
                                summary: format!("Spring Boot layer `{layer}`"),
                                reason: "the extracted layers are copied separately, dependencies first, so that a code change rebuilds only the small application layer".into(),
                            });
                        }
                    } else {
                        let mut paths: Vec<(String, bool)> = Vec::new();
                        if let Some(jar) = &command.jar {
                            paths.push((jar.clone(), true));
                        }
                        for e in &command.classpath {
                            let dir = e.trim_end_matches('*').trim_end_matches('/');
                            let dir = if dir.is_empty() { "." } else { dir };
                            paths.push((dir.to_string(), false));
                        }
                        if command.jar.is_none()
                            && command.classpath.is_empty()
                            && command.main.is_some()
                        {
                            paths.push((".".into(), false));
                        }
                        for a in command.agents.iter().chain(&env_agents(cx)) {
                            if !paths.iter().any(|(p, _)| p == a) {
                                paths.push((a.clone(), false));
                            }
                        }
                        for (written, is_jar) in paths {
                            let (path, variable) = match expand_variable(cx, &written) {
                                Some(v) => (v, true),
                                None if written.contains('$') => {
                                    return Err(Refusal::new(
                                        ECO,
                                        format!(
                                            "line {line}: the command names `{written}`, a variable restage cannot resolve, so it cannot tell which file to copy"
                                        ),
                                    ));
                                }
                                None => (written.clone(), false),
                            };
                            let abs = absolute(workdir.as_deref(), &path);
                            if provided(&abs) {
                                continue;
                            }
                            if artifacts.iter().any(|a| a.from == abs) {
                                continue;
                            }
                            if is_jar && base_name(&abs) == "quarkus-run.jar" {
                                let dir = dir_name(&abs).to_string();
                                artifacts.push(Artifact {
                                    from: dir.clone(),
                                    to: dir.clone(),
                                    chown: None,
                                    line,
                                    summary: format!("The Quarkus application directory `{dir}`"),
                                    reason: "`quarkus-run.jar` loads the `lib/`, `app/` and `quarkus/` directories next to it".into(),
                                });
                                continue;
                            }
                            if is_jar && in_build_output(&abs) && copy_dependencies {
                                let dir = dir_name(&abs).to_string();
                                artifacts.push(Artifact {
                                    from: dir.clone(),
                                    to: dir.clone(),
                                    chown: None,
                                    line,
                                    summary: format!("The build output directory `{dir}`"),
                                    reason: "the build copies the dependencies next to the jar (`dependency:copy-dependencies`), and the jar's manifest finds them there".into(),
                                });
                                plan.confidence = plan.confidence.min(Confidence::Medium);
                                continue;
                            }
                            let rename = is_jar
                                && !variable
                                && (abs.contains('*') || in_build_output(&abs))
                                && (abs.ends_with(".jar") || abs.ends_with(".war"));
                            if rename {
                                rewrites.push((written.clone(), APP_JAR.into()));
                                let glob = abs.contains('*');
                                if glob {
                                    plan.confidence = plan.confidence.min(Confidence::Medium);
                                }
                                artifacts.push(Artifact {
                                    from: abs.clone(),
                                    to: APP_JAR.into(),
                                    chown: None,
                                    line,
                                    summary: format!("The jar `{abs}` is copied as `{APP_JAR}`"),
                                    reason: if glob {
                                        format!("`{written}` can match several jars (Gradle's `-plain.jar` without dependencies, `-sources.jar`, the `original-` jar a repackaging keeps); the builder copies the one application jar to a fixed name and fails if there is not exactly one")
                                    } else {
                                        "a fixed name keeps the start command independent of the project version".into()
                                    },
                                });
                            } else if abs == workdir.clone().unwrap_or_else(|| "/".into()) {
                                artifacts.push(Artifact {
                                    from: abs.clone(),
                                    to: abs.clone(),
                                    chown: None,
                                    line,
                                    summary: format!("The working directory `{abs}`"),
                                    reason: "the classes are loaded from the working directory (no `-jar` and no `-cp`), where the build wrote them".into(),
                                });
                                plan.assumptions.push(format!("The class path is the working directory, so all of `{abs}` (sources included) is copied from the builder; build a jar to copy less."));
                                plan.confidence = plan.confidence.min(Confidence::Medium);
                            } else {
                                artifacts.push(Artifact {
                                    from: abs.clone(),
                                    to: abs.clone(),
                                    chown: None,
                                    line,
                                    summary: format!("`{abs}` is copied from the builder"),
                                    reason: "the start command uses it".into(),
                                });
                            }
                        }
                    }
                }
                Entry::Tool {
                    instruction,
                    command,
                    tool,
                } => {
                    let (build, jar_glob, args) = tool_build(cx, instruction, command, *tool)?;
                    let line = instruction.start_line;
                    added_build = Some(add(
                        build.clone(),
                        ChangeKind::Add,
                        "The application is packaged once in the builder",
                        "running it through the build tool compiles at every start and needs the JDK, the build tool and the sources at run time; tests were not run before either, so they are skipped",
                        vec![line],
                    ));
                    artifacts.push(Artifact {
                        from: jar_glob.clone(),
                        to: APP_JAR.into(),
                        chown: None,
                        line,
                        summary: format!("The jar `{jar_glob}` is copied as `{APP_JAR}`"),
                        reason: "the builder copies the one application jar to a fixed name (Gradle's `-plain.jar`, sources and javadoc jars excluded) and fails if there is not exactly one".into(),
                    });
                    let keyword = if instruction.keyword == Keyword::Entrypoint {
                        "ENTRYPOINT"
                    } else {
                        "CMD"
                    };
                    let words: Vec<String> = ["java", "-jar", APP_JAR]
                        .iter()
                        .map(|s| s.to_string())
                        .chain(args)
                        .collect();
                    let json = exec_form(&words)
                        .unwrap_or_else(|| format!("[\"java\", \"-jar\", \"{APP_JAR}\"]"));
                    new_command = Some((
                        instruction.node,
                        format!("{keyword} {json}"),
                        ChangeSpec::new(
                            ChangeKind::Rewrite,
                            "The application starts from its jar",
                            "the build tool is not in the runtime image; `java -jar` starts the same application",
                            vec![line],
                        ),
                    ));
                    plan.confidence = plan.confidence.min(Confidence::Medium);
                }
                Entry::Catalina => {
                    let writes_webapps = cx
                        .instructions()
                        .filter(|i| is_build_run(i))
                        .any(|i| node_text(cx, i).contains("webapps"));
                    if !base.tomcat {
                        return Err(Refusal::new(
                            ECO,
                            "the container starts a Tomcat this Dockerfile installs itself, not the official Tomcat image, so restage cannot name a JRE variant of it",
                        ));
                    }
                    if writes_webapps {
                        artifacts.push(Artifact {
                            from: format!("{CATALINA_HOME}/webapps"),
                            to: format!("{CATALINA_HOME}/webapps"),
                            chown: Some(String::new()),
                            line: last_build
                                .and_then(|n| cx.doc.nodes.get(n))
                                .map_or(0, |n| n.start_line),
                            summary: "Tomcat's `webapps` directory with the built WAR".into(),
                            reason: "the official image ships `webapps` empty, so the builder's copy holds exactly the deployed applications; the runtime user owns it because Tomcat unpacks WARs there".into(),
                        });
                    } else if !cx.copies().any(|(i, _)| {
                        super::jvm_support::copy_destination(i)
                            .is_some_and(|d| d.contains("webapps"))
                    }) {
                        return Err(Refusal::new(
                            ECO,
                            "the build does not put its WAR into Tomcat's `webapps`, so restage cannot tell what Tomcat deploys",
                        ));
                    }
                }
                Entry::Program {
                    instruction,
                    program,
                } => {
                    let abs = absolute(instruction.context.workdir.as_deref(), program);
                    if let Some(pos) = abs.find("/build/install/") {
                        let rest = abs.get(pos + "/build/install/".len()..).unwrap_or_default();
                        let name = rest.split('/').next().unwrap_or(rest);
                        let dir = format!(
                            "{}/build/install/{name}",
                            abs.get(..pos).unwrap_or_default()
                        );
                        artifacts.push(Artifact {
                            from: dir.clone(),
                            to: dir.clone(),
                            chown: None,
                            line: instruction.start_line,
                            summary: format!("The application distribution `{dir}`"),
                            reason: "Gradle's `installDist` writes the start script (`bin/`) and every jar (`lib/`) there".into(),
                        });
                    } else {
                        return Err(Refusal::new(
                            ECO,
                            format!(
                                "line {}: the container starts `{program}`, and restage cannot see which build outputs it uses",
                                instruction.start_line
                            ),
                        ));
                    }
                }
                Entry::Nothing => {
                    return Err(Refusal::new(
                        ECO,
                        "there is no CMD or ENTRYPOINT, so the image runs its base image's default command; restage cannot tell what the application is",
                    ));
                }
            }
        }
        if !runtime.shell {
            // No shell: shell-form commands and RUNs cannot work.
            if base.tomcat {
                return Err(Refusal::new(
                    ECO,
                    "Tomcat starts through shell scripts; distroless has no shell",
                ));
            }
            if artifacts.iter().any(|a| a.from.contains("/build/install/")) {
                return Err(Refusal::new(
                    ECO,
                    "Gradle's `installDist` start script needs a shell; distroless has none (use --runtime auto)",
                ));
            }
        }

        // Builder: the source stage up to its last build step.
        let mut builder: Vec<Item> = Vec::new();
        let builder_switches_user = switches_user_before(cx, last_build)
            || super::jvm_support::chowns_to_name_before(cx, last_build);
        let dependency_step = dependency_step(cx, &runs);
        let cache_targets = cache_targets(cx, &resolved);
        for i in cx.instructions() {
            if is_runtime_behaviour(i.keyword)
                && !matches!(i.keyword, Keyword::Env | Keyword::Shell)
            {
                continue;
            }
            if i.keyword == Keyword::Run {
                if last_build.is_some_and(|l| i.node > l) {
                    continue;
                }
                if only_creates_users(i) && !builder_switches_user {
                    continue;
                }
                let tool_run = runs.iter().any(|r| std::ptr::eq(r.instruction, i));
                if cx.options.cache_mounts && tool_run {
                    let text = node_text(cx, i);
                    let with = with_mounts(&text, &cache_targets);
                    if with != text {
                        plan.needs_syntax = true;
                        builder.push(Item::Rewrite {
                            node: i.node,
                            text: with,
                            change: ChangeSpec::new(ChangeKind::CacheMount, "The build tool's downloads go to a cache mount", "dependencies are downloaded once per machine, not at every change of the build files, and stay out of the layers", vec![i.start_line]),
                        });
                    } else {
                        builder.push(keep_quiet(i));
                    }
                } else if build_index.contains(&i.node) {
                    builder.push(keep(
                        i,
                        ChangeKind::Move,
                        "The build runs in the builder stage",
                        "the JDK and the build tool stay out of the runtime image",
                    ));
                } else {
                    builder.push(keep_quiet(i));
                }
                if Some(i.node) == last_build && !via_tool {
                    for a in artifacts.iter().filter(|a| a.from.contains('*')) {
                        builder.push(add(
                            staging_command(&a.from, &a.to),
                            ChangeKind::Add,
                            format!("The application jar is copied to `{}` in the builder", a.to),
                            a.reason.clone(),
                            vec![a.line],
                        ));
                    }
                }
                continue;
            }
            if let Some((node, text)) = &dependency_step
                && *node == i.node
            {
                let text = if cx.options.cache_mounts {
                    plan.needs_syntax = true;
                    with_mounts(text, &cache_targets)
                } else {
                    text.clone()
                };
                builder.push(add(
                    text,
                    ChangeKind::Add,
                    "Dependencies are downloaded in their own layer",
                    "the build files are copied before the sources, so this layer is rebuilt only when they change, not at every code change",
                    vec![i.start_line],
                ));
            }
            builder.push(keep_quiet(i));
        }
        if let Some(item) = added_build {
            let item = match item {
                Item::Add { text, change } if cx.options.cache_mounts => {
                    plan.needs_syntax = true;
                    Item::Add {
                        text: with_mounts(&text, &cache_targets),
                        change,
                    }
                }
                other => other,
            };
            builder.push(item);
            for a in artifacts.iter().filter(|a| a.from.contains('*')) {
                builder.push(add(
                    staging_command(&a.from, &a.to),
                    ChangeKind::Add,
                    format!("The application jar is copied to `{}` in the builder", a.to),
                    a.reason.clone(),
                    vec![a.line],
                ));
            }
        }
        trim_after_last_run(cx, &mut builder);
        if dependency_step.is_some() && runs.iter().any(|r| r.tool == Tool::Gradle) {
            plan.assumptions.push("`gradle dependencies` resolves the root project's dependencies from the build files alone; in a multi-project build whose settings include subprojects, copy their build files before it too.".into());
        }

        // Runtime: the JRE, runtime packages, setup, the artifacts, behaviour.
        let mut items: Vec<Item> = Vec::new();
        let mut notes: Vec<ChangeSpec> = Vec::new();
        let mut packages_done = false;
        let mut kept_runs: Vec<&Instruction> = Vec::new();
        let source_distro = resolved.distro();
        let artifacts_at = |items: &mut Vec<Item>| {
            for a in &artifacts {
                let from = if a.from.contains('*') {
                    a.to.clone()
                } else {
                    a.from.clone()
                };
                let chown = match &a.chown {
                    Some(_) => " --chown=__USER__".to_string(),
                    None => String::new(),
                };
                items.push(add(
                    format!("COPY{chown} --from=builder {from} {}", a.to),
                    ChangeKind::CopyArtifact,
                    a.summary.clone(),
                    a.reason.clone(),
                    vec![a.line],
                ));
            }
        };
        let mut artifacts_placed = false;
        let mut packages = runtime_packages(
            cx,
            source_distro,
            runtime.distro,
            &|p| is_java_package(p),
            Ecosystem::Java,
        )?;
        let clients: &[&str] = match (runtime.shell, runtime.distro) {
            (false, _) => &[],
            (true, Distro::Alpine) => &["wget"],
            (true, _) => &["curl", "wget"],
        };
        for (client, line) in missing_clients(cx, clients) {
            packages.push(
                client,
                format!("line {line} runs `{client}`, which the source image had and the runtime image does not"),
                Some(line),
            );
        }
        if !runtime.shell && !packages.names.is_empty() {
            return Err(Refusal::new(
                ECO,
                format!(
                    "the runtime stage needs system packages ({}: {}), and distroless has no package manager (use --runtime auto)",
                    packages.names.join(", "),
                    packages.reasons.join("; ")
                ),
            ));
        }
        let mut packages_placed = false;
        let mut scripts =
            super::common::context_scripts(cx, &|p| artifacts.iter().any(|a| a.to == p));
        if let Some(script) = scripts.first()
            && !runtime.shell
        {
            return Err(Refusal::new(
                ECO,
                format!(
                    "line {}: the container runs the script `{}`, and distroless has no shell to run it (use --runtime auto)",
                    script.lines.first().copied().unwrap_or(0),
                    script.path
                ),
            ));
        }
        for i in cx.instructions() {
            match i.keyword {
                Keyword::Run => {
                    if is_build_run(i) {
                        if Some(i.node) == last_build && !artifacts_placed {
                            artifacts_at(&mut items);
                            artifacts_placed = true;
                        }
                        continue;
                    }
                    let facts = classify_run(i);
                    let before_build = last_build.is_some_and(|l| i.node < l);
                    if facts.system.is_some() {
                        if !packages_done {
                            packages_done = true;
                            match packages.item(cx, runtime.distro) {
                                Some(item) => {
                                    items.push(item);
                                    packages_placed = true;
                                }
                                None => notes.push(ChangeSpec::new(ChangeKind::Drop, "System packages are not installed in the runtime stage", "they were the JDK, the build tool or build-only packages; the runtime image has its own JRE", vec![i.start_line])),
                            }
                        }
                        continue;
                    }
                    if mentions(cx, i, BUILD_PATHS) {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Left in the builder stage",
                            "it works on build files the runtime stage does not have",
                            vec![i.start_line],
                        ));
                        continue;
                    }
                    if facts.setup_only || !before_build {
                        if !runtime.shell {
                            return Err(Refusal::new(
                                ECO,
                                format!(
                                    "line {}: this RUN must also run in the runtime stage, and distroless has no shell (use --runtime auto)",
                                    i.start_line
                                ),
                            ));
                        }
                        kept_runs.push(i);
                        place_scripts(&mut scripts, Some(i.start_line), &mut items);
                        items.push(keep(i, ChangeKind::Keep, "Runtime setup stays in the runtime stage", "users, directories, permissions and downloaded files belong to the final image"));
                        continue;
                    }
                    if building {
                        plan.warnings.push(format!("line {}: this RUN now runs only in the builder stage; if it creates files the application needs at run time, copy them into the runtime stage", i.start_line));
                        plan.confidence = plan.confidence.min(Confidence::Medium);
                    } else {
                        if !runtime.shell {
                            return Err(Refusal::new(
                                ECO,
                                format!(
                                    "line {}: this RUN must also run in the runtime stage, and distroless has no shell (use --runtime auto)",
                                    i.start_line
                                ),
                            ));
                        }
                        kept_runs.push(i);
                        items.push(keep_quiet(i));
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    if kept_copies.iter().any(|k| std::ptr::eq(*k, i)) {
                        items.push(keep_quiet(i));
                    } else {
                        notes.push(ChangeSpec::new(
                            ChangeKind::Drop,
                            "Sources and build files stay in the builder stage",
                            "the runtime stage gets the build output only",
                            vec![i.start_line],
                        ));
                    }
                }
                Keyword::User => items.push(keep_quiet(i)),
                Keyword::Arg => {}
                Keyword::Env => {
                    let text = node_text(cx, i);
                    match env_without_java_home(cx, i) {
                        Some(None) => notes.push(ChangeSpec::new(ChangeKind::Drop, "`JAVA_HOME` is not set in the runtime stage", "the runtime image sets its own `JAVA_HOME`; the source's path does not exist there", vec![i.start_line])),
                        Some(Some(new)) => items.push(Item::Rewrite { node: i.node, text: apply_rewrites(&new, &rewrites).unwrap_or(new), change: ChangeSpec::new(ChangeKind::Rewrite, "`JAVA_HOME` is left to the runtime image", "the runtime image sets its own `JAVA_HOME`; the source's path does not exist there", vec![i.start_line]) }),
                        None => match apply_rewrites(&text, &rewrites) {
                            Some(new) => items.push(Item::Rewrite { node: i.node, text: new, change: ChangeSpec::new(ChangeKind::Rewrite, "`ENV` points at the artifact's new place", "the jar was copied from the builder stage to a fixed name", vec![i.start_line]) }),
                            None => items.push(keep_quiet(i)),
                        },
                    }
                }
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                    place_scripts(&mut scripts, None, &mut items);
                    if let Some((node, text, change)) = &new_command
                        && *node == i.node
                    {
                        items.push(Item::Rewrite {
                            node: i.node,
                            text: text.clone(),
                            change: change.clone(),
                        });
                        continue;
                    }
                    let text = node_text(cx, i);
                    match apply_rewrites(&text, &rewrites) {
                        Some(new) => items.push(Item::Rewrite {
                            node: i.node,
                            text: new,
                            change: ChangeSpec::new(
                                ChangeKind::Rewrite,
                                format!("`{}` points at the jar's new place", i.keyword.name()),
                                format!("the jar is copied from the builder stage to `{APP_JAR}`"),
                                vec![i.start_line],
                            ),
                        }),
                        None => items.push(keep_quiet(i)),
                    }
                }
                Keyword::Workdir => items.push(keep_quiet(i)),
                _ => items.push(keep_quiet(i)),
            }
        }
        if !packages_placed && let Some(item) = packages.item(cx, runtime.distro) {
            items.insert(0, item);
        }
        if building && !artifacts_placed {
            // The artifacts come from an added build: put them before the command.
            let mut copies = Vec::new();
            artifacts_at(&mut copies);
            insert_before_command(cx, &mut items, copies);
        }

        // The user.
        let known: &[&str] = &[];
        let user = runtime_user(
            cx,
            runtime.image_user,
            known,
            &kept_runs,
            ImageUsers::of(&runtime.image, runtime.shell, runtime.distro),
        );
        if !user.keep_source {
            items.retain(|item| {
                let is_user = item_is(cx, item, &[Keyword::User]);
                !is_user
            });
            for i in cx.with_keyword(Keyword::User) {
                notes.push(ChangeSpec::new(
                    ChangeKind::Drop,
                    "The source's `USER` is replaced",
                    "the runtime stage gets its own non-root user",
                    vec![i.start_line],
                ));
            }
        }
        // A `COPY --chown` needs its user to exist: it is created first.
        let chown_at = items
            .iter()
            .position(|it| matches!(it, Item::Add { text, .. } if text.contains("__USER__")));
        let mut before_command = user.before_command.clone();
        if let Some(at) = chown_at
            && let Some(k) = before_command
                .iter()
                .position(|it| matches!(it, Item::Add { text, .. } if text.starts_with("RUN ")))
        {
            let create = before_command.remove(k);
            items.insert(at, create);
        }
        if let Some(create) = user.create_source.clone() {
            let first_user = items
                .iter()
                .position(|it| item_is(cx, it, &[Keyword::User]));
            match (chown_at, first_user) {
                (Some(c), Some(u)) if c < u => items.insert(c, create),
                (Some(c), None) => items.insert(c, create),
                _ => insert_before_user(cx, &mut items, create),
            }
        }
        insert_before_command(cx, &mut items, before_command);
        let user_name = user.user.clone();
        let mut tomcat_user_fix = false;
        for item in &mut items {
            if let Item::Add { text, .. } = item
                && text.contains("__USER__")
            {
                *text = text.replace("__USER__", &user_name);
                tomcat_user_fix = true;
            }
        }
        if tomcat_user_fix {
            plan.assumptions.push("Tomcat runs as a non-root user: it owns `webapps` (where WARs are unpacked); `logs`, `temp` and `work` are writable by any user in the official image.".into());
        }
        if !runtime.shell {
            distroless_command(cx, &mut items, &mut plan)?;
        }
        for line in drop_unused_workdirs(cx, &mut items, !matches!(entry, Entry::Catalina)) {
            notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "A build-only `WORKDIR` is left out",
                "nothing in the runtime stage uses that directory",
                vec![line],
            ));
        }
        // Build arguments the runtime instructions use come first.
        let texts: Vec<String> = items
            .iter()
            .map(|item| match item {
                Item::Keep { node, .. } => cx
                    .doc
                    .nodes
                    .get(*node)
                    .map(|n| n.original.clone())
                    .unwrap_or_default(),
                Item::Rewrite { text, .. } | Item::Add { text, .. } => text.clone(),
                _ => String::new(),
            })
            .collect();
        let mut args: Vec<Item> = Vec::new();
        for i in cx.with_keyword(Keyword::Arg) {
            let names: Vec<String> = cx
                .node(i)
                .map(|n| {
                    n.args
                        .iter()
                        .map(|a| a.split('=').next().unwrap_or(a).to_string())
                        .collect()
                })
                .unwrap_or_default();
            if names.iter().any(|n| {
                texts
                    .iter()
                    .any(|t| t.contains(&format!("${n}")) || t.contains(&format!("${{{n}")))
            }) {
                args.push(keep(
                    i,
                    ChangeKind::Keep,
                    "Build argument kept for the runtime stage",
                    "runtime instructions use it",
                ));
            }
        }
        args.extend(items);
        let items = args;
        if building && cx.copies().any(|(i, _)| cx.copies_everything(i)) {
            plan.assumptions.push("Only the build output (and recognised runtime files) is copied into the runtime stage; a Java application normally reads its resources from the jar. If it reads other files of the source tree at run time, copy them too.".into());
        }
        if !crate::convert::user::is_root(&user_name) {
            plan.assumptions.push(format!("The application runs as `{user_name}`, not root: files it writes must go to a directory that user can write (a volume, `/tmp`)."));
        }
        plan.notes.extend(notes);

        if building {
            plan.stages.push(StagePlan {
                name: "builder".into(),
                from: StageFrom::Source,
                from_change: Some(ChangeSpec::new(
                    ChangeKind::RenameStage,
                    "The original stage becomes the builder",
                    "it keeps the JDK and the build tool to compile and package",
                    vec![cx.stage.line],
                )),
                items: builder,
            });
        } else {
            plan.notes.push(ChangeSpec::new(
                ChangeKind::Drop,
                "Nothing is built in this stage, so no builder stage is needed",
                "the JRE image runs the same files",
                Vec::new(),
            ));
        }
        plan.stages.push(StagePlan {
            name: "runtime".into(),
            from: StageFrom::Image {
                image: runtime.image.clone(),
                platform: runtime_platform(cx),
            },
            from_change: Some(ChangeSpec::new(
                ChangeKind::ReplaceBase,
                format!("The runtime stage starts from `{}`", runtime.image),
                runtime.reason.clone(),
                vec![cx.stage.line],
            )),
            items,
        });
        Ok(plan)
    }
}

/// Variables the JVM (or its launch scripts) reads options from.
const JVM_OPTION_VARIABLES: &[&str] = &[
    "JAVA_TOOL_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "JAVA_OPTS",
    "JAVA_OPTS_APPEND",
    "CATALINA_OPTS",
];

/// `-javaagent:` jars named in the stage's JVM option variables.
fn env_agents(cx: &ConvertContext<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for i in cx.with_keyword(Keyword::Env) {
        let Some(CommandKind::Env(pairs)) = i.kind() else {
            continue;
        };
        for kv in pairs
            .iter()
            .filter(|kv| JVM_OPTION_VARIABLES.contains(&kv.key.as_str()))
        {
            for word in kv.value.trim_matches(['"', '\'']).split_whitespace() {
                if let Some(path) = word.strip_prefix("-javaagent:") {
                    let path = path.split('=').next().unwrap_or(path);
                    if !path.contains('$') && !out.iter().any(|p| p == path) {
                        out.push(path.to_string());
                    }
                }
            }
        }
    }
    out
}

/// A `$NAME`/`${NAME}` path resolved from the stage's environment.
fn expand_variable(cx: &ConvertContext<'_>, written: &str) -> Option<String> {
    let name = written
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| written.strip_prefix('$'))?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    cx.stage
        .env
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// `text` with every rewrite applied; `None` when nothing changed.
fn apply_rewrites(text: &str, rewrites: &[(String, String)]) -> Option<String> {
    let mut out = text.to_string();
    let mut changed = false;
    for (old, new) in rewrites {
        if let Some(t) = replace_token(&out, old, new) {
            out = t;
            changed = true;
        }
    }
    changed.then_some(out)
}

/// An `ENV` without `JAVA_HOME`: `None` when it has no `JAVA_HOME`,
/// `Some(None)` when nothing else is left.
fn env_without_java_home(cx: &ConvertContext<'_>, i: &Instruction) -> Option<Option<String>> {
    let Some(CommandKind::Env(pairs)) = i.kind() else {
        return None;
    };
    if !pairs.iter().any(|kv| kv.key == "JAVA_HOME") {
        return None;
    }
    let rest: Vec<String> = pairs
        .iter()
        .filter(|kv| kv.key != "JAVA_HOME")
        .map(|kv| format!("{}={}", kv.key, kv.value))
        .collect();
    let _ = cx;
    if rest.is_empty() {
        return Some(None);
    }
    Some(Some(format!("ENV {}", rest.join(" "))))
}

/// Whether a context `COPY`/`ADD` goes to the runtime stage too (when the
/// stage builds): files the application reads at run time, not sources.
fn runtime_copy(cx: &ConvertContext<'_>, i: &Instruction, entry: &Entry<'_>) -> bool {
    let from_stage = matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some());
    if from_stage {
        return true;
    }
    if cx.copies_everything(i) {
        return false;
    }
    let sources = cx.copy_sources(i);
    if sources.iter().any(|s| s.contains("://")) {
        return true;
    }
    let dest = super::jvm_support::copy_destination(i).unwrap_or_default();
    if dest.contains("webapps") {
        return true;
    }
    if sources.iter().any(|s| {
        let b = base_name(s);
        is_manifest(b) || BUILD_PATHS.contains(&b) || b.ends_with(".java") || b.ends_with(".kt")
    }) {
        return false;
    }
    // Named by the start command or a runtime ENV.
    let referenced = match entry {
        Entry::Java { instruction, .. }
        | Entry::Program { instruction, .. }
        | Entry::Tool { instruction, .. } => {
            let text = node_text(cx, instruction);
            let d = dest.trim_end_matches('/');
            !d.is_empty() && text.contains(d)
        }
        _ => false,
    };
    referenced || sources.iter().all(|s| is_runtime_asset(base_name(s)))
}

/// The Maven or Gradle command that downloads dependencies after the build
/// files are copied, when the source copies them before the sources but has
/// no such step: (the node to add it after, the instruction).
fn dependency_step(cx: &ConvertContext<'_>, runs: &[ToolRun<'_>]) -> Option<(usize, String)> {
    let build = runs.iter().find(|r| !r.dependencies_only())?;
    let mut last_manifest: Option<&Instruction> = None;
    let mut copied: Vec<String> = Vec::new();
    for i in cx.instructions() {
        if i.node >= build.instruction.node {
            return None;
        }
        match i.keyword {
            Keyword::Copy | Keyword::Add => {
                let sources = cx.copy_sources(i);
                if matches!(i.kind(), Some(CommandKind::Copy(c)) if c.from.is_some()) {
                    continue;
                }
                if !sources.is_empty() && sources.iter().all(|s| is_manifest(base_name(s))) {
                    last_manifest = Some(i);
                    copied.extend(sources.iter().map(|s| base_name(s).to_string()));
                } else if last_manifest.is_some() {
                    // The sources come next: the step goes before them.
                    let wrapper = build.name.contains("mvnw") || build.name.contains("gradlew");
                    let needs: &[&str] = match (build.tool, wrapper) {
                        (Tool::Maven, true) => &["mvnw", ".mvn", "pom.xml"],
                        (Tool::Maven, false) => &["pom.xml"],
                        (_, true) => &["gradlew", "gradle"],
                        (_, false) => &[],
                    };
                    if !needs.iter().all(|n| copied.iter().any(|c| c == n)) {
                        return None;
                    }
                    if build.tool == Tool::Gradle && !copied.iter().any(|c| c.contains(".gradle")) {
                        return None;
                    }
                    // It runs where the build runs, with the files its options name.
                    let workdir = build.instruction.context.workdir.as_deref();
                    if i.context.workdir.as_deref() != workdir {
                        return None;
                    }
                    let project = workdir.unwrap_or("/");
                    let named = [
                        "s",
                        "settings",
                        "gs",
                        "global-settings",
                        "f",
                        "file",
                        "c",
                        "settings-file",
                        "b",
                        "build-file",
                        "p",
                        "project-dir",
                    ]
                    .iter()
                    .filter_map(|f| flag_value(&build.args, &[f], &[f]))
                    .collect::<Vec<_>>();
                    for value in named {
                        let abs = absolute(workdir, &value);
                        let inside =
                            abs.starts_with(&format!("{}/", project.trim_end_matches('/')));
                        if inside && !copied.iter().any(|c| c == base_name(&abs)) {
                            return None;
                        }
                    }
                    return Some((i.node, dependency_command(build)));
                } else {
                    return None;
                }
            }
            Keyword::Run
                if runs
                    .iter()
                    .any(|r| std::ptr::eq(r.instruction, i) && r.dependencies_only()) =>
            {
                return None;
            }
            _ => {}
        }
    }
    None
}

/// `mvn dependency:go-offline` / `gradle dependencies` with the build's
/// options that change where and how dependencies resolve.
fn dependency_command(build: &ToolRun<'_>) -> String {
    let mut words = vec![build.name.clone()];
    let mut it = build.args.iter();
    while let Some(a) = it.next() {
        let keep_value = match build.tool {
            Tool::Maven => matches!(
                a.as_str(),
                "-s" | "--settings"
                    | "-gs"
                    | "--global-settings"
                    | "-f"
                    | "--file"
                    | "-P"
                    | "--activate-profiles"
            ),
            _ => matches!(
                a.as_str(),
                "-p" | "--project-dir"
                    | "-b"
                    | "--build-file"
                    | "-c"
                    | "--settings-file"
                    | "-g"
                    | "--gradle-user-home"
            ),
        };
        if keep_value {
            words.push(a.clone());
            if let Some(v) = it.next() {
                words.push(v.clone());
            }
            continue;
        }
        let keep_alone = match build.tool {
            Tool::Maven => {
                matches!(
                    a.as_str(),
                    "-B" | "--batch-mode"
                        | "-ntp"
                        | "--no-transfer-progress"
                        | "-q"
                        | "--quiet"
                        | "-o"
                        | "--offline"
                ) || a.starts_with("-Dmaven.repo.local")
                    || a.starts_with("--settings=")
                    || a.starts_with("-P")
            }
            _ => {
                matches!(
                    a.as_str(),
                    "--no-daemon" | "-q" | "--quiet" | "--offline" | "--console=plain"
                ) || a.starts_with("-Dorg.gradle")
                    || a.starts_with("--project-dir=")
            }
        };
        if keep_alone {
            words.push(a.clone());
        }
    }
    let goal = if build.tool == Tool::Maven {
        "dependency:go-offline"
    } else {
        "dependencies"
    };
    words.push(goal.into());
    if build.tool == Tool::Gradle && !words.iter().any(|w| w == "--no-daemon") {
        words.push("--no-daemon".into());
    }
    format!("RUN {}", words.join(" "))
}

/// Cache mount targets for Maven and Gradle.
fn cache_targets(cx: &ConvertContext<'_>, image: &ImageText) -> Vec<String> {
    let mut out = Vec::new();
    let env = |name: &str| {
        cx.stage
            .env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if !cx.uses(Tool::Maven).is_empty()
        || cx.instructions().any(|i| mentions(cx, i, &["mvn", "mvnw"]))
    {
        out.push("/root/.m2".to_string());
    }
    if !cx.uses(Tool::Gradle).is_empty() {
        out.push(match env("GRADLE_USER_HOME") {
            Some(h) => h,
            None if image.short_name() == "gradle" => "/home/gradle/.gradle".into(),
            None => "/root/.gradle".into(),
        });
    }
    if out.is_empty() {
        out.push("/root/.m2".into());
    }
    out
}

/// The build that replaces running through the build tool, the jar glob it
/// writes, and the application arguments.
fn tool_build(
    cx: &ConvertContext<'_>,
    instruction: &Instruction,
    command: &SimpleCommand,
    tool: Tool,
) -> Result<(String, String, Vec<String>), Refusal> {
    let workdir = instruction.context.workdir.as_deref().map(str::to_string);
    let (flags, goal) = match tool {
        Tool::Maven => (MAVEN_VALUE_FLAGS, "spring-boot:run"),
        _ => (GRADLE_VALUE_FLAGS, "bootRun"),
    };
    let goals = positional(&command.args, flags);
    if goals.is_empty() {
        return Err(Refusal::new(
            ECO,
            format!(
                "line {}: the container runs `{}` itself: this is a build tool image, with no application to separate from the tool",
                instruction.start_line, command.name
            ),
        ));
    }
    let runs = goals
        .iter()
        .any(|g| g == goal || g.ends_with(&format!(":{goal}")));
    if !runs {
        return Err(Refusal::new(
            ECO,
            format!(
                "line {}: the application runs through `{}` ({}), and restage cannot tell which jar and class path that uses; only `spring-boot:run` and `bootRun` are converted",
                instruction.start_line,
                command.name,
                goals.join(" ")
            ),
        ));
    }
    let mut args = Vec::new();
    let mut words = vec![command.name.clone()];
    let mut unknown = Vec::new();
    let mut it = command.args.iter();
    while let Some(a) = it.next() {
        if let Some(p) = a.strip_prefix("-Dspring-boot.run.profiles=") {
            args.push(format!("--spring.profiles.active={p}"));
        } else if let Some(v) = a.strip_prefix("-Dspring-boot.run.arguments=") {
            args.extend(v.split_whitespace().map(str::to_string));
        } else if let Some(v) = a.strip_prefix("--args=") {
            args.extend(v.split_whitespace().map(str::to_string));
        } else if a.starts_with("-Dspring-boot.run") {
            unknown.push(a.clone());
        } else if a == goal || a.ends_with(&format!(":{goal}")) {
            continue;
        } else if a.starts_with('-') {
            let takes = flags.contains(&a.trim_start_matches('-'));
            words.push(a.clone());
            if takes && let Some(v) = it.next() {
                words.push(v.clone());
            }
        } else {
            words.push(a.clone());
        }
    }
    if !unknown.is_empty() {
        return Err(Refusal::new(
            ECO,
            format!(
                "line {}: `{}` passes JVM settings to the build tool's run goal, which restage does not translate",
                instruction.start_line,
                unknown.join(" ")
            ),
        ));
    }
    let (task, output) = match tool {
        Tool::Maven => {
            let dir = flag_value(&command.args, &["f"], &["file"])
                .map(|f| {
                    if f.ends_with(".xml") {
                        dir_name(&f).to_string()
                    } else {
                        f
                    }
                })
                .unwrap_or_else(|| ".".into());
            words.push("package".into());
            words.push("-DskipTests".into());
            (
                words.join(" "),
                absolute(workdir.as_deref(), &format!("{dir}/target/*.jar")),
            )
        }
        _ => {
            let dir =
                flag_value(&command.args, &["p"], &["project-dir"]).unwrap_or_else(|| ".".into());
            words.push("bootJar".into());
            if !words.iter().any(|w| w == "--no-daemon") {
                words.push("--no-daemon".into());
            }
            (
                words.join(" "),
                absolute(workdir.as_deref(), &format!("{dir}/build/libs/*.jar")),
            )
        }
    };
    let _ = cx;
    Ok((format!("RUN {task}"), output, args))
}

/// On distroless (no shell) the commands must be exec form; the image's
/// entrypoint is `java -jar`, so `CMD ["java", "-jar", x]` becomes
/// `CMD [x]`, and a `java` command with JVM options resets the entrypoint.
fn distroless_command(
    cx: &ConvertContext<'_>,
    items: &mut [Item],
    plan: &mut Plan,
) -> Result<(), Refusal> {
    let has_entrypoint = cx.last(Keyword::Entrypoint).is_some();
    for item in items.iter_mut() {
        let (node, text) = match item {
            Item::Keep { node, .. } => (
                *node,
                cx.doc
                    .nodes
                    .get(*node)
                    .map(|n| n.text(&cx.doc.source).trim_end().to_string())
                    .unwrap_or_default(),
            ),
            Item::Rewrite { node, text, .. } => (*node, text.clone()),
            _ => continue,
        };
        let Some(n) = cx.doc.nodes.get(node) else {
            continue;
        };
        let Some(instruction) = cx.model.instructions.get(node) else {
            continue;
        };
        match n.kind {
            Keyword::Healthcheck if !text.to_ascii_uppercase().contains("NONE") => {
                return Err(Refusal::new(
                    ECO,
                    format!(
                        "line {}: the HEALTHCHECK runs a command, and distroless has no shell or HTTP client (use --runtime auto)",
                        n.start_line
                    ),
                ));
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                let reparsed = crate::dockerfile::parse(&format!("FROM scratch\n{text}\n")).ok();
                let words: Vec<String> = reparsed
                    .as_ref()
                    .and_then(|d| d.nodes.get(1))
                    .map(|n| n.args.clone())
                    .unwrap_or_default();
                let shell_form = reparsed
                    .as_ref()
                    .and_then(|d| d.nodes.get(1))
                    .is_some_and(|n| !n.json);
                let words: Vec<String> = if shell_form {
                    words
                        .join(" ")
                        .split_whitespace()
                        .map(str::to_string)
                        .collect()
                } else {
                    words
                };
                let _ = command_words(cx, instruction);
                if !shell_form && runs_shell(&words) {
                    return Err(Refusal::new(
                        ECO,
                        format!(
                            "line {}: the command runs a shell (`{}`), and distroless has none; use --runtime auto",
                            n.start_line,
                            words.join(" ")
                        ),
                    ));
                }
                if shell_form && exec_form(&words).is_none() {
                    return Err(Refusal::new(
                        ECO,
                        format!(
                            "line {}: the command uses shell features (`{}`), and distroless has no shell; use --runtime auto",
                            n.start_line,
                            words.join(" ")
                        ),
                    ));
                }
                let keyword = n.kind.name();
                let new_words: Vec<String>;
                let mut new_keyword = keyword;
                let mut summary = "The command is in exec form".to_string();
                if n.kind == Keyword::Cmd
                    && !has_entrypoint
                    && words.first().map(String::as_str) == Some("java")
                {
                    if words.get(1).map(String::as_str) == Some("-jar") {
                        new_words = words.iter().skip(2).cloned().collect();
                        summary =
                            "The image's entrypoint runs `java -jar`; CMD names the jar".into();
                    } else {
                        new_words = words.clone();
                        new_keyword = "ENTRYPOINT";
                        summary = "The `java` command with JVM options replaces the image's `java -jar` entrypoint".into();
                    }
                } else {
                    new_words = words.clone();
                }
                if !shell_form && new_keyword == keyword && new_words == words {
                    continue;
                }
                let Some(json) = exec_form(&new_words) else {
                    return Err(Refusal::new(
                        ECO,
                        format!(
                            "line {}: the command cannot be written in exec form for distroless",
                            n.start_line
                        ),
                    ));
                };
                *item = Item::Rewrite {
                    node,
                    text: format!("{new_keyword} {json}"),
                    change: ChangeSpec::new(
                        ChangeKind::Rewrite,
                        summary,
                        "distroless Java has no shell and starts `java -jar` with the CMD as arguments",
                        vec![n.start_line],
                    ),
                };
                if new_keyword == "ENTRYPOINT" {
                    plan.warnings.push(format!("line {}: the `java` command became the ENTRYPOINT (distroless's own entrypoint is `java -jar`); `docker run <image> <args>` now passes arguments instead of replacing the command", n.start_line));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{ConvertOptions, convert_text};

    #[test]
    fn java_majors_from_tags() {
        let m = |s: &str, t: &str| major_from_image(s, t);
        assert_eq!(m("eclipse-temurin", "17-jdk-alpine").as_deref(), Some("17"));
        assert_eq!(
            m("eclipse-temurin", "24.0.2_12-jdk-noble").as_deref(),
            Some("24")
        );
        assert_eq!(m("openjdk", "8u342-jdk").as_deref(), Some("8"));
        assert_eq!(
            m("maven", "3.9.6-eclipse-temurin-21-alpine").as_deref(),
            Some("21")
        );
        assert_eq!(m("maven", "3.6-jdk-11-slim").as_deref(), Some("11"));
        assert_eq!(m("maven", "3-amazoncorretto-17").as_deref(), Some("17"));
        assert_eq!(m("maven", "3.9"), None);
        assert_eq!(m("gradle", "8.5-jdk17-alpine").as_deref(), Some("17"));
        assert_eq!(m("gradle", "jdk21").as_deref(), Some("21"));
        assert_eq!(
            m("tomcat", "10.1-jdk17-temurin-jammy").as_deref(),
            Some("17")
        );
        assert_eq!(
            m("eclipse-temurin", "${JAVA_VERSION}-jdk").as_deref(),
            Some("${JAVA_VERSION}")
        );
        assert_eq!(
            m("ibm-semeru-runtimes", "open-17-jdk").as_deref(),
            Some("17")
        );
        let ubuntu = ImageText::parse("ubuntu:22.04");
        assert_eq!(
            major_from_package("openjdk-17-jdk-headless", &ubuntu).as_deref(),
            Some("17")
        );
        assert_eq!(
            major_from_package("default-jdk", &ubuntu).as_deref(),
            Some("11")
        );
        assert_eq!(
            major_from_package("openjdk21", &ubuntu).as_deref(),
            Some("21")
        );
        assert_eq!(
            major_from_package("java-1.8.0-openjdk-devel", &ubuntu).as_deref(),
            Some("8")
        );
    }

    #[test]
    fn java_commands() {
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let c = parse_java(&words(
            "-Xmx512m -javaagent:/opt/agent.jar=x -jar target/app.jar --port 1",
        ));
        assert_eq!(c.jar.as_deref(), Some("target/app.jar"));
        assert_eq!(c.agents, ["/opt/agent.jar"]);
        assert!(c.options);
        let c = parse_java(&words("-cp app:app/lib/* hello.Application"));
        assert_eq!(c.classpath, ["app", "app/lib/*"]);
        assert_eq!(c.main.as_deref(), Some("hello.Application"));
    }

    fn convert(text: &str, options: &ConvertOptions) -> Result<String, String> {
        convert_text(text, options)
            .map(|o| o.conversion.dockerfile)
            .map_err(|r| r.reason)
    }

    #[test]
    fn planning_decisions() {
        let auto = ConvertOptions::default();
        let distroless = ConvertOptions {
            runtime: RuntimePreference::Distroless,
            ..ConvertOptions::default()
        };
        let scratch = ConvertOptions {
            runtime: RuntimePreference::Scratch,
            ..ConvertOptions::default()
        };
        let maven = "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -B package\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"target/demo-1.0.jar\"]\n";
        let out = convert(maven, &auto).unwrap_or_default();
        assert!(
            out.contains("FROM eclipse-temurin:21-jre AS runtime"),
            "{out}"
        );
        assert!(out.contains("RUN mvn -B dependency:go-offline"), "{out}");
        assert!(
            out.contains("COPY --from=builder /app/target/demo-1.0.jar /app/app.jar"),
            "{out}"
        );
        assert!(
            out.contains("CMD [\"java\", \"-jar\", \"/app/app.jar\"]"),
            "{out}"
        );
        assert!(!out.contains("skipTests"), "{out}");
        let out = convert(maven, &distroless).unwrap_or_default();
        assert!(
            out.contains("FROM gcr.io/distroless/java21-debian13:nonroot AS runtime"),
            "{out}"
        );
        assert!(out.contains("CMD [\"/app/app.jar\"]"), "{out}");
        assert!(convert(maven, &scratch).is_err());
        // A glob is staged to a fixed name in the builder.
        let gradle = "FROM gradle:8.7-jdk17-alpine\nWORKDIR /src\nCOPY . .\nRUN gradle build --no-daemon\nCMD java -jar build/libs/*.jar\n";
        let out = convert(gradle, &auto).unwrap_or_default();
        assert!(
            out.contains("FROM eclipse-temurin:17-jre-alpine AS runtime"),
            "{out}"
        );
        assert!(out.contains("! -name '*-plain.jar'"), "{out}");
        assert!(out.contains("CMD java -jar /app/app.jar"), "{out}");
        assert!(out.contains("adduser -D"), "{out}");
        // spring-boot:run becomes a packaged jar.
        let run = "FROM maven:3-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nCMD [\"mvn\", \"spring-boot:run\"]\n";
        let out = convert(run, &auto).unwrap_or_default();
        assert!(out.contains("RUN mvn package -DskipTests"), "{out}");
        assert!(
            out.contains("CMD [\"java\", \"-jar\", \"/app/app.jar\"]"),
            "{out}"
        );
        // An unknowable start script is refused.
        let script = "FROM maven:3-eclipse-temurin-17\nCOPY . .\nRUN mvn package\nENTRYPOINT [\"./start.sh\"]\n";
        assert!(convert(script, &auto).is_err());
    }
}
