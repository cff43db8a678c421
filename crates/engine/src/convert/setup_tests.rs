//! Runtime setup of a `make install` build reaches the runtime stage, in
//! an order that builds: package sources before the package install,
//! guarded user and group creation, configuration that runtime packages'
//! programs write, and files added to runtime places; the staged install
//! is checked only for programs it installs.

use super::*;

fn converted(text: &str) -> Conversion {
    convert_text(text, &ConvertOptions::default())
        .unwrap_or_else(|r| panic!("{text}\nrefused: {r}"))
        .conversion
}

/// The last stage.
fn runtime(dockerfile: &str) -> &str {
    dockerfile.rsplit("\nFROM ").next().unwrap_or_default()
}

/// The first stage.
fn builder(dockerfile: &str) -> &str {
    dockerfile.split("\nFROM ").next().unwrap_or_default()
}

/// Where `needle` starts in `haystack` (panics with both when it is not there).
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in\n{haystack}"))
}

/// A service built with `make install` and started by a script of the
/// build context, set up the way the cpuguy83 nagios image is.
const SERVICE: &str = r#"FROM debian:bookworm
ENV APP_GROUP=app
RUN sed -i 's/main/main contrib non-free/' /etc/apt/sources.list.d/debian.sources
RUN apt-get update && apt-get install -y --no-install-recommends build-essential snmp snmp-mibs-downloader runit
RUN ( egrep -i "^${APP_GROUP}" /etc/group || groupadd $APP_GROUP )
RUN ( id -u app || useradd --system app -g $APP_GROUP )
COPY . /src
COPY fix.diff /opt/patches/fix.diff
RUN cd /src && patch -p1 < /opt/patches/fix.diff && ./configure && make && make install
COPY notes.txt /tmp/notes.txt
RUN download-mibs && echo "mibs +ALL" > /etc/snmp/snmp.conf
RUN mkdir -p /etc/sv/app
ADD app.init /etc/sv/app/run
ADD start.sh /usr/local/bin/start_app
CMD ["/usr/local/bin/start_app"]
"#;

#[test]
fn guarded_group_creation_reaches_the_runtime_before_the_users_in_it() {
    let c = converted(SERVICE);
    let run = runtime(&c.dockerfile);
    let groups = at(
        run,
        "RUN ( egrep -i \"^${APP_GROUP}\" /etc/group || groupadd $APP_GROUP )",
    );
    let users = at(
        run,
        "RUN ( id -u app || useradd --system app -g $APP_GROUP )",
    );
    assert!(groups < users, "{}", c.dockerfile);
}

#[test]
fn package_sources_are_set_up_before_the_runtime_packages_are_installed() {
    let c = converted(SERVICE);
    let run = runtime(&c.dockerfile);
    let sources = at(run, "RUN sed -i 's/main/main contrib non-free/'");
    let install = at(run, "apt-get install");
    let env = at(run, "ENV APP_GROUP=app");
    assert!(sources < install && install < env, "{}", c.dockerfile);
    assert!(
        c.changes
            .iter()
            .any(|ch| ch.source_lines == [3]
                && ch.summary.contains("Package sources are set up before")),
        "{:?}",
        c.changes
    );
    // A source line that uses a variable of an ENV takes that ENV along.
    let text = SERVICE.replace(
        "RUN sed -i 's/main/main contrib non-free/' /etc/apt/sources.list.d/debian.sources\n",
        "",
    ) .replace(
        "CMD [",
        "ENV COMPONENTS=contrib\nRUN echo \"deb http://deb.debian.org/debian bookworm $COMPONENTS\" > /etc/apt/sources.list.d/extra.list\nCMD [",
    );
    let c = converted(&text);
    let run = runtime(&c.dockerfile);
    let env = at(run, "ENV COMPONENTS=contrib");
    let sources = at(run, "RUN echo \"deb http");
    let install = at(run, "apt-get install");
    assert!(env < sources && sources < install, "{}", c.dockerfile);
}

#[test]
fn files_added_to_runtime_places_are_copied_into_the_runtime() {
    let c = converted(SERVICE);
    let run = runtime(&c.dockerfile);
    // ADD of a plain file becomes COPY.
    at(run, "COPY app.init /etc/sv/app/run\n");
    at(run, "COPY start.sh /usr/local/bin/start_app\n");
    // A patch a build step reads, and a file in /tmp, stay in the builder.
    assert!(!run.contains("fix.diff"), "{}", c.dockerfile);
    assert!(!run.contains("notes.txt"), "{}", c.dockerfile);
    assert!(
        c.changes.iter().any(|ch| ch.source_lines == [13]
            && ch.summary.contains("Runtime files are copied")
            && ch.summary.contains("`ADD` became `COPY`")),
        "{:?}",
        c.changes
    );
    // A file copied into the sources a build step then works in is a source.
    let text = SERVICE.replace(
        "COPY fix.diff /opt/patches/fix.diff\n",
        "COPY extra.c /src/extra/extra.c\n",
    );
    let c = converted(&text);
    assert!(
        !runtime(&c.dockerfile).contains("extra.c"),
        "{}",
        c.dockerfile
    );
}

#[test]
fn the_staged_install_is_checked_only_for_programs_it_installs() {
    // The command's program comes from a kept ADD, not from the install.
    let c = converted(SERVICE);
    let b = builder(&c.dockerfile);
    assert!(!b.contains("test -e /out"), "{}", c.dockerfile);
    at(b, "RUN test -d /out \\\n");
    at(runtime(&c.dockerfile), "COPY --from=builder /out/ /\n");
    // A program under the install prefix is checked.
    let installed = SERVICE.replace("ADD start.sh /usr/local/bin/start_app\n", "");
    let c = converted(&installed);
    at(
        builder(&c.dockerfile),
        "RUN test -e /out/usr/local/bin/start_app \\\n",
    );
    // Not under the prefix (a later step links it there): not checked.
    let elsewhere = installed.replace("./configure &&", "./configure --prefix=/opt/app &&");
    let c = converted(&elsewhere);
    let b = builder(&c.dockerfile);
    assert!(!b.contains("test -e /out"), "{}", c.dockerfile);
    at(b, "RUN test -d /out \\\n");
}

#[test]
fn runtime_packages_are_configured_in_the_runtime() {
    let c = converted(SERVICE);
    let mibs = "RUN download-mibs && echo \"mibs +ALL\" > /etc/snmp/snmp.conf\n";
    at(runtime(&c.dockerfile), mibs);
    assert!(!builder(&c.dockerfile).contains(mibs), "{}", c.dockerfile);
    // The package is not installed for the runtime: the step stays a build step.
    let without = SERVICE.replace(" snmp-mibs-downloader", "");
    let c = converted(&without);
    assert!(
        !runtime(&c.dockerfile).contains("download-mibs"),
        "{}",
        c.dockerfile
    );
    // It writes outside configuration and data: a build step.
    let elsewhere = SERVICE.replace("> /etc/snmp/snmp.conf", "> /src/snmp.conf");
    let c = converted(&elsewhere);
    assert!(
        !runtime(&c.dockerfile).contains("download-mibs"),
        "{}",
        c.dockerfile
    );
}

#[test]
fn every_line_of_the_service_is_written_or_explained() {
    let c = converted(SERVICE);
    super::runtime_tests::assert_every_line_written_or_explained(SERVICE, &c, "service");
}

/// A user restage creates owns the directories the source made while it
/// ran as root, also in a step that installs packages (vaultwarden's
/// `RUN mkdir /data && apt-get install …`), but not a build step's.
#[test]
fn the_new_user_owns_the_directories_the_source_made() {
    let out = converted(
        "FROM debian:bookworm-slim\nRUN mkdir /data && apt-get update && apt-get install -y --no-install-recommends ca-certificates libmariadb-dev && rm -rf /var/lib/apt/lists/*\nCOPY --from=example/app:1 /app /app\nENTRYPOINT [\"/app\"]\n",
    );
    let last = runtime(&out.dockerfile);
    assert!(
        last.contains("useradd --create-home --uid 10001 appuser")
            && last.contains("mkdir -p /data && chown appuser /data"),
        "{}",
        out.dockerfile
    );
    let built = converted(SERVICE);
    assert!(
        !runtime(&built.dockerfile).contains("chown appuser /src"),
        "{}",
        built.dockerfile
    );
}
