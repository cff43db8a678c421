//! The buildkit rule set, one file each: BuildKit's build checks
//! (`docker build --check`), coded `BK` + the check's row in BuildKit's
//! rule table (`StageNameCasing` = BK001 ... `ExposeInvalidFormat` =
//! BK021). Each rule's alias is BuildKit's check name, so
//! `# check=skip=JSONArgsRecommended` works.
//!
//! Not here:
//! - `DuplicateStageName` (BK005), `ReservedStageName` (BK006),
//!   `MaintainerDeprecated` (BK008) and `RedundantTargetPlatform` (BK014)
//!   are the same checks as hadolint's DL3024, DL3063, DL4000 and DL3065,
//!   which carry the BuildKit name as an alias.
//! - `CopyIgnoredFile` (BK018) needs the build context's `.dockerignore`,
//!   which is not part of the Dockerfile.
//! - `InvalidBaseImagePlatform` (BK022) needs the base image's
//!   configuration from a registry (its OS and architecture); restage reads
//!   no registry.

use crate::lint::rule::Rule;

mod common;
pub(crate) use common::Memo;
mod expose;
mod image_env;

pub mod bk001;
pub mod bk002;
pub mod bk003;
pub mod bk004;
pub mod bk007;
pub mod bk009;
pub mod bk010;
pub mod bk011;
pub mod bk012;
pub mod bk013;
pub mod bk015;
pub mod bk016;
pub mod bk017;
pub mod bk019;
pub mod bk020;
pub mod bk021;

/// Every rule of this set, in code order.
pub fn rules() -> impl Iterator<Item = &'static dyn Rule> {
    RULES.iter().copied()
}

const RULES: &[&dyn Rule] = &[
    &bk001::Bk001,
    &bk002::Bk002,
    &bk003::Bk003,
    &bk004::Bk004,
    &bk007::Bk007,
    &bk009::Bk009,
    &bk010::Bk010,
    &bk011::Bk011,
    &bk012::Bk012,
    &bk013::Bk013,
    &bk015::Bk015,
    &bk016::Bk016,
    &bk017::Bk017,
    &bk019::Bk019,
    &bk020::Bk020,
    &bk021::Bk021,
];
