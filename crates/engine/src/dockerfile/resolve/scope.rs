//! Variable scopes: the global scope `FROM` sees, and a stage's environment.

use std::collections::HashMap;

use crate::dockerfile::shell::Env;

/// An ordered set of variables; setting a name again replaces its value in
/// place (BuildKit's `EnvList.AddOrReplace`).
///
/// A few variables are searched in order; past [`INDEXED_FROM`] a map from
/// name to position keeps a file of thousands of `ENV`s linear.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: Vec<(String, String)>,
    /// Positions in `vars` by name, once `vars` is long.
    index: Option<HashMap<String, usize>>,
}

/// How many variables a scope holds before it indexes them.
const INDEXED_FROM: usize = 32;

impl PartialEq for Scope {
    fn eq(&self, other: &Self) -> bool {
        self.vars == other.vars
    }
}

impl Eq for Scope {}

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
        let mut scope = Self { vars, index: None };
        scope.index_if_long();
        scope
    }

    /// The variables, in the order first set.
    pub fn into_vars(self) -> Vec<(String, String)> {
        self.vars
    }

    /// Sets `name` to `value`.
    pub fn set(&mut self, name: String, value: String) {
        match self.position(&name).and_then(|at| self.vars.get_mut(at)) {
            Some(slot) => slot.1 = value,
            None => {
                if let Some(index) = &mut self.index {
                    index.insert(name.clone(), self.vars.len());
                }
                self.vars.push((name, value));
                self.index_if_long();
            }
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name)
            .and_then(|at| self.vars.get(at))
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

    /// Where `name` is in `vars`.
    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.vars.iter().position(|(k, _)| k == name),
        }
    }

    /// Builds the index once the scope is long.
    fn index_if_long(&mut self) {
        if self.index.is_none() && self.vars.len() > INDEXED_FROM {
            self.index = Some(
                self.vars
                    .iter()
                    .enumerate()
                    .map(|(at, (k, _))| (k.clone(), at))
                    .collect(),
            );
        }
    }
}

impl Env for Scope {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Before and after the index is built, a scope answers as the
        /// ordered list it stands for: names in the order first set, the
        /// latest value of each.
        #[test]
        fn scope_is_an_ordered_list_of_latest_values(
            sets in proptest::collection::vec((0u8..48, 0u8..4), 0..120),
        ) {
            let mut scope = Scope::default();
            let mut model: Vec<(String, String)> = Vec::new();
            for (name, value) in sets {
                let (name, value) = (format!("V{name}"), value.to_string());
                match model.iter_mut().find(|(k, _)| *k == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => model.push((name.clone(), value.clone())),
                }
                scope.set(name, value);
                proptest::prop_assert_eq!(scope.vars(), model.as_slice());
            }
            for name in 0u8..50 {
                let name = format!("V{name}");
                let want = model.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
                proptest::prop_assert_eq!(scope.get(&name), want);
            }
        }
    }
}
