//! Variable sources for expansion.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// Where variable values come from. Lookup is case-sensitive (Unix).
///
/// `Some("")` is a variable that is set but empty, which `${v:-w}` and
/// `${v-w}` tell apart.
pub trait Env {
    /// The value of `name`, or `None` if it is not set.
    fn lookup(&self, name: &str) -> Option<&str>;
}

/// An environment with no variables at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmptyEnv;

impl Env for EmptyEnv {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<T: Env + ?Sized> Env for &T {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

impl<S: BuildHasher> Env for HashMap<String, String, S> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Env for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// Pairs in order; a later pair overrides an earlier one with the same key
/// (like BuildKit's `BuildEnvs` of a `KEY=value` list).
impl Env for [(&str, &str)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

/// Pairs in order; a later pair overrides an earlier one with the same key.
impl<const N: usize> Env for [(&str, &str); N] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

/// Pairs in order; a later pair overrides an earlier one with the same key.
impl Env for [(String, String)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Pairs in order; a later pair overrides an earlier one with the same key.
impl Env for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

/// Pairs in order; a later pair overrides an earlier one with the same key.
impl Env for Vec<(&str, &str)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}
