//! Variable scopes: the global scope `FROM` sees, and a stage's environment.

use crate::dockerfile::shell::Env;

/// An ordered set of variables; setting a name again replaces its value in
/// place (BuildKit's `EnvList.AddOrReplace`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    vars: Vec<(String, String)>,
}

impl Scope {
    /// A scope holding `vars`, later duplicates replacing earlier ones.
    pub fn from_pairs(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut scope = Self::default();
        for (k, v) in vars {
            scope.set(k, v);
        }
        scope
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
