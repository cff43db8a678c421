//! The non-root user of the runtime stage.

use super::plan::{Item, Plan};
use super::types::ConvertOptions;
use crate::dockerfile::{Document, Keyword};
use crate::knowledge::packages::Distro;

/// How the runtime stage gets its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPlan {
    /// A `RUN` that creates the user (or only its group), if one is needed.
    pub create: Option<String>,
    /// Whether [`Self::create`] makes only the group of a user the image
    /// already has.
    pub group_only: bool,
    /// The `USER` value.
    pub user: String,
    /// Why this user.
    pub reason: String,
}

impl UserPlan {
    /// The summary of the change [`UserPlan::create`] makes: the user, or
    /// only the group of a user the image has.
    pub fn create_summary(&self) -> String {
        let name = self.user.split(':').next().unwrap_or(&self.user);
        match self.user.split_once(':') {
            Some((_, group)) if self.group_only => {
                format!("Created the group `{group}` of `{name}`")
            }
            _ => format!("Created the user `{name}`"),
        }
    }
}

/// The name restage gives a user it creates.
pub const DEFAULT_USER: &str = "appuser";
/// Its uid (Docker's `docker init` uses 10001).
pub const DEFAULT_UID: u32 = 10001;
/// The uid and gid restage runs as on an image without a shell, where no
/// user can be created: distroless's `nonroot`.
pub const NONROOT_ID: u32 = 65532;

/// The users of `debian:12` and `debian:13` (`/etc/passwd` of base-passwd;
/// Ubuntu has them too).
const DEBIAN_USERS: &[&str] = &[
    "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
    "www-data", "backup", "list", "irc", "_apt", "nobody",
];
/// The groups of `debian:12` and `debian:13`.
const DEBIAN_GROUPS: &[&str] = &[
    "root", "daemon", "bin", "sys", "adm", "tty", "disk", "lp", "mail", "news", "uucp", "man",
    "proxy", "kmem", "dialout", "fax", "voice", "cdrom", "floppy", "tape", "sudo", "audio", "dip",
    "www-data", "backup", "operator", "list", "irc", "src", "shadow", "utmp", "video", "sasl",
    "plugdev", "staff", "games", "users", "nogroup",
];
/// The users of `alpine:3.20` (alpine-baselayout; `www-data` is only a group).
const ALPINE_USERS: &[&str] = &[
    "root", "bin", "daemon", "lp", "sync", "shutdown", "halt", "mail", "news", "uucp", "cron",
    "ftp", "sshd", "games", "ntp", "guest", "nobody",
];
/// The groups of `alpine:3.20`.
const ALPINE_GROUPS: &[&str] = &[
    "root", "bin", "daemon", "sys", "adm", "tty", "disk", "lp", "kmem", "wheel", "floppy", "mail",
    "news", "uucp", "cron", "console", "audio", "cdrom", "dialout", "ftp", "sshd", "input", "tape",
    "video", "netdev", "kvm", "games", "shadow", "www-data", "users", "ntp", "abuild", "utmp",
    "ping", "nogroup", "nobody",
];
/// The users of the UBI, Fedora and Rocky images (setup package).
const RHEL_USERS: &[&str] = &[
    "root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "operator", "games",
    "ftp", "nobody",
];
/// The groups of the UBI, Fedora and Rocky images.
const RHEL_GROUPS: &[&str] = &[
    "root", "bin", "daemon", "sys", "adm", "tty", "disk", "lp", "mem", "kmem", "wheel", "cdrom",
    "mail", "man", "dialout", "floppy", "games", "tape", "video", "ftp", "lock", "audio", "users",
    "nobody",
];
/// The uid of `app`, the non-root user of the chiseled .NET images.
const CHISELED_APP_ID: u32 = 1654;

/// The users a runtime image has in its `/etc/passwd` (the names a `USER`
/// instruction can use: Docker refuses to start a container as a name it
/// cannot look up, "unable to find user"), and whether it can make more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageUsers {
    /// An image with a shell: the base users and groups of its
    /// distribution exist, and `useradd` (`adduser` on Alpine) creates others.
    Shell(Distro),
    /// An image without a shell, where no user can be created.
    Fixed {
        /// The names that exist, as users and as groups.
        users: &'static [&'static str],
        /// The uid (and gid) to run as when a name does not exist.
        nonroot: u32,
    },
}

impl ImageUsers {
    /// `scratch`: no `/etc/passwd` at all, so only numbers work; uid 65532
    /// stands in for a name, as on distroless.
    pub const SCRATCH: Self = Self::Fixed {
        users: &[],
        nonroot: NONROOT_ID,
    };
    /// The distroless images: `root`, `nobody` and `nonroot` (uid 65532).
    pub const DISTROLESS: Self = Self::Fixed {
        users: &["root", "nobody", "nonroot"],
        nonroot: NONROOT_ID,
    };
    /// The chiseled .NET images: `root` and `app` (uid 1654, `$APP_UID`).
    pub const CHISELED: Self = Self::Fixed {
        users: &["root", "app"],
        nonroot: CHISELED_APP_ID,
    };

    /// The users of a runtime image, from its reference and whether it has
    /// a shell: [`Self::SCRATCH`], [`Self::CHISELED`], and
    /// [`Self::DISTROLESS`] for any other image without a shell.
    pub fn of(image: &str, shell: bool, distro: Distro) -> Self {
        if shell {
            Self::Shell(distro)
        } else if image == "scratch" {
            Self::SCRATCH
        } else if image.contains("chiseled") {
            Self::CHISELED
        } else {
            Self::DISTROLESS
        }
    }

    /// The users every image of this kind has.
    fn users(self) -> &'static [&'static str] {
        match self {
            Self::Shell(Distro::Alpine) => ALPINE_USERS,
            Self::Shell(Distro::Rhel) => RHEL_USERS,
            Self::Shell(Distro::Bookworm | Distro::Trixie) => DEBIAN_USERS,
            Self::Fixed { users, .. } => users,
        }
    }

    /// The groups every image of this kind has.
    fn groups(self) -> &'static [&'static str] {
        match self {
            Self::Shell(Distro::Alpine) => ALPINE_GROUPS,
            Self::Shell(Distro::Rhel) => RHEL_GROUPS,
            Self::Shell(Distro::Bookworm | Distro::Trixie) => DEBIAN_GROUPS,
            Self::Fixed { users, .. } => users,
        }
    }

    /// Whether every image of this kind has the user `name`, so that no
    /// `useradd` is needed (and one would fail: "user already exists").
    pub fn has_user(self, name: &str) -> bool {
        self.users().contains(&name)
    }
}

/// The users [`check_user`] accepts, as a pattern for API documents: a
/// name or uid, optionally `:group` or `:gid`, each of letters, digits,
/// `_`, `.` and `-`, not starting with `.` or `-`, at most 32 long. The
/// empty string stands for "not given".
pub const USER_PATTERN: &str =
    "^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?)?$";

/// A user asked for that cannot be the runtime stage's user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a user: give a name or uid, optionally with `:group` or `:gid` \
     (letters, digits, `_`, `.` and `-`, not starting with `.` or `-`, at most 32 each)"
)]
pub struct InvalidUser(pub String);

/// Checks a user asked for (`--user`, `options.user`): it becomes the
/// runtime stage's `USER` and the operand of the `useradd` or `adduser`
/// that creates it, so it may hold nothing but a name or id and a group
/// ([`USER_PATTERN`]); a space, a quote or a line break would change the
/// Dockerfile restage writes.
pub fn check_user(user: &str) -> Result<(), InvalidUser> {
    fn part(p: &str) -> bool {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && p.len() <= 32
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    }
    let ok = match user.split_once(':') {
        Some((name, group)) => part(name) && part(group),
        None => part(user),
    };
    if ok {
        Ok(())
    } else {
        Err(InvalidUser(user.to_string()))
    }
}

/// Whether `user` names root.
pub fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

/// The summary of the change that sets the runtime stage's user.
pub fn runs_as(user: &str) -> String {
    if user == "root" {
        "Runs as root, as asked".to_string()
    } else if is_root(user) {
        format!("Runs as `{user}` (root), as asked")
    } else {
        format!("Runs as `{user}`, not root")
    }
}

/// Whether a user or group is a number (needs no `/etc/passwd` entry).
fn numeric(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_digit())
}

/// The user for a runtime image. `existing` is the image's own non-root
/// user (`node`, `nonroot:nonroot`), `image` the users it has.
///
/// A user asked for (`options.user`) that the image has — a uid, its own
/// user, a base user of its distribution (`root`, `nobody`, `www-data` on
/// Debian) — is used as it is, with only a group it lacks created. Any
/// other name is created (uid [`DEFAULT_UID`]) on an image with a shell.
/// An image without a shell (scratch, distroless) cannot create it, and
/// Docker does not start a container as a name its `/etc/passwd` lacks, so
/// the user becomes numeric: the uid of the image's non-root user
/// ([`NONROOT_ID`], distroless's `nonroot`, also on scratch; `app`'s 1654
/// on chiseled images; `0` for root), with the group asked for when the
/// image has it. The reason says so, and [`warnings`] repeats it.
pub fn plan_user(options: &ConvertOptions, existing: Option<&str>, image: ImageUsers) -> UserPlan {
    if let Some(asked) = &options.user {
        return asked_user(asked, existing, image);
    }
    match (existing, image) {
        (Some(e), _) => UserPlan {
            create: None,
            group_only: false,
            user: e.to_string(),
            reason: format!("the runtime image already has the non-root user `{e}`"),
        },
        (None, ImageUsers::Shell(distro)) => UserPlan {
            create: Some(create_user(DEFAULT_USER, None, distro, &|_| false)),
            group_only: false,
            user: DEFAULT_USER.into(),
            reason: "a container should not run as root; a dedicated user with uid 10001 is created"
                .into(),
        },
        (None, ImageUsers::Fixed { .. }) => UserPlan {
            create: None,
            group_only: false,
            user: format!("{NONROOT_ID}:{NONROOT_ID}"),
            reason: "the runtime image has no shell to create a user; uid 65532 is distroless's `nonroot`".into(),
        },
    }
}

/// [`plan_user`] for a user asked for.
fn asked_user(asked: &str, existing: Option<&str>, image: ImageUsers) -> UserPlan {
    let (name, group) = match asked.split_once(':') {
        Some((name, group)) => (name, Some(group)),
        None => (asked, None),
    };
    // The image's own user comes with a group of its name.
    let (own_name, own_group) = match existing.map(|e| e.split_once(':').unwrap_or((e, e))) {
        Some((n, g)) => (Some(n), Some(g)),
        None => (None, None),
    };
    let has_user = numeric(name) || own_name == Some(name) || image.has_user(name);
    let has_group = |g: &str| numeric(g) || own_group == Some(g) || image.groups().contains(&g);
    let kept = if is_root(name) {
        "the user asked to run as root".to_string()
    } else if numeric(name) {
        "the user asked for this uid".to_string()
    } else {
        format!("the user asked for `{name}`, which the runtime image already has")
    };
    let missing_group = group.filter(|g| !has_group(g));
    match (image, missing_group) {
        (_, None) if has_user => UserPlan {
            create: None,
            group_only: false,
            user: asked.to_string(),
            reason: kept,
        },
        (ImageUsers::Shell(distro), Some(g)) if has_user => UserPlan {
            create: Some(match distro {
                Distro::Alpine => format!("RUN addgroup -S {g}"),
                _ => format!("RUN groupadd {g}"),
            }),
            group_only: true,
            user: asked.to_string(),
            reason: format!("{kept}; the group `{g}` is created"),
        },
        (ImageUsers::Shell(distro), _) => UserPlan {
            create: Some(create_user(name, group, distro, &has_group)),
            group_only: false,
            user: asked.to_string(),
            reason: "the user asked for this user; it is created in the runtime stage".into(),
        },
        (ImageUsers::Fixed { users, nonroot }, _) => {
            let fallback = if has_user {
                name.to_string()
            } else if is_root(name) {
                "0".to_string()
            } else {
                nonroot.to_string()
            };
            let gid = match group {
                Some(g) if has_group(g) => g.to_string(),
                _ => fallback.clone(),
            };
            let user = format!("{fallback}:{gid}");
            let (missing, lookup) = match missing_group {
                Some(g) if has_user => (format!("the group `{g}`"), format!("group {g}")),
                _ => (format!("the user `{name}`"), format!("user {name}")),
            };
            let has = if users.is_empty() {
                "has no /etc/passwd at all (scratch)".to_string()
            } else {
                let (last, rest) = users.split_last().unwrap_or((&"", &[]));
                match rest {
                    [] => format!("has only the user `{last}`"),
                    _ => format!("has only the users `{}` and `{last}`", rest.join("`, `")),
                }
            };
            let note = if fallback != nonroot.to_string() {
                String::new()
            } else if let Some(own) = users.iter().find(|u| !matches!(**u, "root" | "nobody")) {
                format!(" (uid {nonroot} is the image's `{own}`)")
            } else {
                format!(" (uid {nonroot}, as distroless's `nonroot`)")
            };
            UserPlan {
                create: None,
                group_only: false,
                reason: format!(
                    "{missing} does not exist in the runtime image, which {has}, and no shell to create it, and Docker cannot start a container as a name it cannot look up (\"unable to find {lookup}\"); `{user}` is used instead{note}"
                ),
                user,
            }
        }
    }
}

/// The `RUN` that creates the user `name` (uid [`DEFAULT_UID`]) on an image
/// with a shell. Its group: a numeric gid needs no entry; a group the image
/// has (`has_group`, also when it is named as the user) is joined; another
/// group is created first. Without one, both tools make a group of the
/// user's name.
fn create_user(
    name: &str,
    group: Option<&str>,
    distro: Distro,
    has_group: &dyn Fn(&str) -> bool,
) -> String {
    let uid = DEFAULT_UID;
    let gid = match group {
        Some(g) if numeric(g) => None,
        Some(g) if g != name => Some(g),
        _ => has_group(name).then_some(name),
    };
    let new_group = gid.filter(|g| !has_group(g));
    match (distro, gid, new_group) {
        (Distro::Alpine, None, _) => format!("RUN adduser -D -u {uid} {name}"),
        (Distro::Alpine, Some(g), None) => format!("RUN adduser -D -u {uid} -G {g} {name}"),
        (Distro::Alpine, Some(g), Some(_)) => {
            format!("RUN addgroup -S {g} && adduser -D -u {uid} -G {g} {name}")
        }
        (_, None, _) => format!("RUN useradd --create-home --uid {uid} {name}"),
        (_, Some(g), None) => format!("RUN useradd --create-home --uid {uid} --gid {g} {name}"),
        (_, Some(g), Some(_)) => {
            format!("RUN groupadd {g} && useradd --create-home --uid {uid} --gid {g} {name}")
        }
    }
}

/// Warnings about the user asked for (`options.user`), from what the
/// plan's runtime stage (its last) ends up running as: root, or another
/// user than the one asked for (a name the runtime image cannot look up,
/// replaced by a uid), with the reason the plan gives.
pub fn warnings(options: &ConvertOptions, doc: &Document, plan: &Plan) -> Vec<String> {
    let Some(asked) = options.user.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if is_root(asked) {
        out.push(format!(
            "The runtime stage runs as root, as asked (`{asked}`): whoever takes over the application controls the whole container, and platforms that require a non-root user (Kubernetes' runAsNonRoot, OpenShift) refuse the image. Leave the user out to get a non-root one."
        ));
    }
    let runs = plan
        .stages
        .last()
        .and_then(|stage| final_user(doc, &stage.items));
    if let Some((user, reason)) = runs
        && user != asked
        && !(is_root(asked) && is_root(&user))
    {
        out.push(format!(
            "The user `{asked}` cannot be used on this runtime image, so the runtime stage runs as `{user}`: {reason}."
        ));
    }
    out
}

/// The last `USER` of a planned stage, with the reason of its change.
pub fn final_user(doc: &Document, items: &[Item]) -> Option<(String, String)> {
    items.iter().rev().find_map(|item| match item {
        Item::Add { text, change } | Item::Rewrite { text, change, .. } => {
            let (keyword, value) = text.trim().split_once(char::is_whitespace)?;
            keyword
                .eq_ignore_ascii_case("USER")
                .then(|| (value.trim().to_string(), change.reason.clone()))
        }
        Item::Keep { node, change } => {
            let node = doc.nodes.get(*node).filter(|n| n.kind == Keyword::User)?;
            Some((
                node.args.first().cloned().unwrap_or_default(),
                change
                    .as_ref()
                    .map(|c| c.reason.clone())
                    .unwrap_or_default(),
            ))
        }
        Item::Comment(_) | Item::Blank => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn users_that_can_and_cannot_be_asked_for() {
        for ok in [
            "app",
            "10001",
            "10001:10001",
            "app:app",
            "www-data",
            "_svc",
            "a.b",
            "nonroot:65532",
            "U2",
        ] {
            assert_eq!(check_user(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            " app",
            "app user",
            "app\nRUN rm -rf /",
            "app;id",
            "$(id)",
            "-o",
            ".hidden",
            "app:",
            ":app",
            "a:b:c",
            "\"app\"",
            "ä",
            &"a".repeat(33),
        ] {
            assert_eq!(
                check_user(bad),
                Err(InvalidUser(bad.to_string())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_user_with_a_group_is_created_by_its_name() {
        let plan = |user: &str, distro| {
            let options = ConvertOptions {
                user: Some(user.into()),
                ..ConvertOptions::default()
            };
            plan_user(&options, None, ImageUsers::Shell(distro))
        };
        let cases = [
            (
                "app",
                Distro::Bookworm,
                "RUN useradd --create-home --uid 10001 app",
            ),
            (
                "app:app",
                Distro::Bookworm,
                "RUN useradd --create-home --uid 10001 app",
            ),
            (
                "app:1000",
                Distro::Bookworm,
                "RUN useradd --create-home --uid 10001 app",
            ),
            (
                "app:web",
                Distro::Bookworm,
                "RUN groupadd web && useradd --create-home --uid 10001 --gid web app",
            ),
            ("app:app", Distro::Alpine, "RUN adduser -D -u 10001 app"),
            (
                "app:web",
                Distro::Alpine,
                "RUN addgroup -S web && adduser -D -u 10001 -G web app",
            ),
        ];
        for (user, distro, create) in cases {
            let p = plan(user, distro);
            assert_eq!(p.create.as_deref(), Some(create), "{user}");
            assert_eq!(p.user, user);
        }
    }

    #[test]
    fn users_and_groups_the_image_has_are_not_created() {
        let plan = |user: &str, existing: Option<&str>, image| {
            let options = ConvertOptions {
                user: Some(user.into()),
                ..ConvertOptions::default()
            };
            plan_user(&options, existing, image)
        };
        let debian = ImageUsers::Shell(Distro::Bookworm);
        let alpine = ImageUsers::Shell(Distro::Alpine);
        let cases = [
            ("root", None, debian, None, "root"),
            ("www-data", None, debian, None, "www-data"),
            ("nobody:nogroup", None, debian, None, "nobody:nogroup"),
            // Debian's `nobody` is in `nogroup`: a group `nobody` is made.
            (
                "nobody:nobody",
                None,
                debian,
                Some("RUN groupadd nobody"),
                "nobody:nobody",
            ),
            ("nobody:nobody", None, alpine, None, "nobody:nobody"),
            // Alpine has the group www-data, not the user.
            (
                "www-data",
                None,
                alpine,
                Some("RUN adduser -D -u 10001 -G www-data www-data"),
                "www-data",
            ),
            (
                "staff",
                None,
                debian,
                Some("RUN useradd --create-home --uid 10001 --gid staff staff"),
                "staff",
            ),
            ("node:node", Some("node"), debian, None, "node:node"),
            ("app", Some("$APP_UID"), ImageUsers::CHISELED, None, "app"),
            (
                "web",
                Some("$APP_UID"),
                ImageUsers::CHISELED,
                None,
                "1654:1654",
            ),
            ("nonroot", None, ImageUsers::DISTROLESS, None, "nonroot"),
            ("root", None, ImageUsers::SCRATCH, None, "0:0"),
            ("1000", None, ImageUsers::SCRATCH, None, "1000"),
        ];
        for (asked, existing, image, create, user) in cases {
            let p = plan(asked, existing, image);
            assert_eq!(p.create.as_deref(), create, "{asked} on {image:?}");
            assert_eq!(p.user, user, "{asked} on {image:?}");
        }
        assert_eq!(
            plan("nobody:nobody", None, debian).create_summary(),
            "Created the group `nobody` of `nobody`"
        );
        assert_eq!(runs_as("root"), "Runs as root, as asked");
    }

    proptest! {
        /// The documented pattern and the check agree (the pattern's empty
        /// alternative is "not given", which the edges turn into `None`).
        #[test]
        fn the_pattern_documents_the_check(user in "[a-z0-9_.:;$ -]{0,40}") {
            let pattern = regex::Regex::new(USER_PATTERN).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(
                check_user(&user).is_ok(),
                !user.is_empty() && pattern.is_match(&user),
                "{:?}", user
            );
        }
    }
}
