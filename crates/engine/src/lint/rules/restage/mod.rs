//! The restage rule set, one file each: the rules about stage structure,
//! image size and image security that neither hadolint nor BuildKit has.
//! Most judge only the final image (the final stage and the stages it
//! builds on through `FROM <stage>`): a build stage is where compilers,
//! caches and dev dependencies belong.
//!
//! Shared helpers: `support` (the final image, variables in effect, packages
//! installed and removed by a `RUN`, cache paths, what the image runs),
//! `packages` (toolchains, `-dev` headers and their runtime libraries) and
//! `images` (SDK images, slim variants, non-root images, floating tags).

use crate::lint::rule::Rule;

mod images;
mod packages;
mod secret_settings;
mod support;

pub(crate) use support::Memo;

pub mod rs001;
pub mod rs002;
pub mod rs003;
pub mod rs004;
pub mod rs005;
pub mod rs006;
pub mod rs007;
pub mod rs008;
pub mod rs009;
pub mod rs010;
pub mod rs011;
pub mod rs012;
pub mod rs013;

/// Every rule of this set, in code order.
pub fn rules() -> impl Iterator<Item = &'static dyn Rule> {
    RULES.iter().copied()
}

const RULES: &[&dyn Rule] = &[
    &rs001::Rs001,
    &rs002::Rs002,
    &rs003::Rs003,
    &rs004::Rs004,
    &rs005::Rs005,
    &rs006::Rs006,
    &rs007::Rs007,
    &rs008::Rs008,
    &rs009::Rs009,
    &rs010::Rs010,
    &rs011::Rs011,
    &rs012::Rs012,
    &rs013::Rs013,
];
