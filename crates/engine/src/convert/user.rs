//! The non-root user of the runtime stage.

use super::types::ConvertOptions;
use crate::knowledge::packages::Distro;

/// How the runtime stage gets its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPlan {
    /// A `RUN` that creates the user, if one is needed.
    pub create: Option<String>,
    /// The `USER` value.
    pub user: String,
    /// Why this user.
    pub reason: String,
}

/// The name restage gives a user it creates.
pub const DEFAULT_USER: &str = "appuser";
/// Its uid (Docker's `docker init` uses 10001).
pub const DEFAULT_UID: u32 = 10001;

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

/// The user for a runtime image. `existing` is the image's own non-root
/// user (`node`, `nonroot`), `shell` whether the image has a shell to
/// create one with.
pub fn plan_user(
    options: &ConvertOptions,
    existing: Option<&str>,
    shell: bool,
    distro: Distro,
) -> UserPlan {
    // `name:group`: the user is `name`; a group by another name is
    // created first and made its primary group (a numeric gid needs no
    // entry, and a group named as the user is what both tools make anyway).
    let create = |user: &str, uid: String| {
        let (name, group) = user.split_once(':').unwrap_or((user, ""));
        let own_group =
            group.is_empty() || group == name || group.chars().all(|c| c.is_ascii_digit());
        match (distro, own_group) {
            (Distro::Alpine, true) => format!("RUN adduser -D -u {uid} {name}"),
            (Distro::Alpine, false) => {
                format!("RUN addgroup -S {group} && adduser -D -u {uid} -G {group} {name}")
            }
            (_, true) => format!("RUN useradd --create-home --uid {uid} {name}"),
            (_, false) => format!(
                "RUN groupadd {group} && useradd --create-home --uid {uid} --gid {group} {name}"
            ),
        }
    };
    match &options.user {
        Some(u) if u.chars().all(|c| c.is_ascii_digit() || c == ':') => UserPlan {
            create: None,
            user: u.clone(),
            reason: "the user asked for this uid".into(),
        },
        Some(u) if existing == Some(u.as_str()) || !shell => UserPlan {
            create: None,
            user: u.clone(),
            reason: "the user asked for this user".into(),
        },
        Some(u) => UserPlan {
            create: Some(create(u, DEFAULT_UID.to_string())),
            user: u.clone(),
            reason: "the user asked for this user; it is created in the runtime stage".into(),
        },
        None => match existing {
            Some(e) => UserPlan {
                create: None,
                user: e.to_string(),
                reason: format!("the runtime image already has the non-root user `{e}`"),
            },
            None if shell => UserPlan {
                create: Some(create(DEFAULT_USER, DEFAULT_UID.to_string())),
                user: DEFAULT_USER.into(),
                reason: "a container should not run as root; a dedicated user with uid 10001 is created".into(),
            },
            None => UserPlan {
                create: None,
                user: "65532:65532".into(),
                reason: "the runtime image has no shell to create a user; uid 65532 is distroless's `nonroot`".into(),
            },
        },
    }
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
            plan_user(&options, None, true, distro)
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
