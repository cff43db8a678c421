//! Variable scopes: the global scope `FROM` sees, and a stage's environment.

use crate::dockerfile::shell::Env;

/// An ordered set of variables; setting a name again replaces its value in
/// place (BuildKit's `EnvList.AddOrReplace`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    vars: Vec<(String, String)>,
}

impl Scope {
    /// A scope holding `vars`, whose names are distinct (as
    /// [`super::default_args`] gives them).
    pub fn from_distinct(vars: Vec<(String, String)>) -> Self {
        debug_assert!(
            vars.iter()
                .enumerate()
                .all(|(i, (k, _))| vars.iter().skip(i + 1).all(|(other, _)| other != k)),
            "names repeat"
        );
        Self { vars }
    }

    /// The variables, in the order first set.
    pub fn into_vars(self) -> Vec<(String, String)> {
        self.vars
    }

    /// Sets `name` to `value`.
    pub fn set(&mut self, name: String, value: String) {
        match self.vars.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name, value)),
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every variable, in the order first set.
    pub fn vars(&self) -> &[(String, String)] {
        &self.vars
    }

    /// The variable names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|(k, _)| k.as_str())
    }
}

impl Env for Scope {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}
