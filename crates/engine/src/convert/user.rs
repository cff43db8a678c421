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
    let create = |name: &str, uid: String| match distro {
        Distro::Alpine => format!("RUN adduser -D -u {uid} {name}"),
        _ => format!("RUN useradd --create-home --uid {uid} {name}"),
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
