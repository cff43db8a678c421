//! A stage's environment as the size estimate reads it.

use std::collections::HashMap;

/// Variables in the order `ENV` and `ARG` set them; a name set again is
/// listed again, and a lookup finds its latest value. Once the list is
/// long, the latest position of each name is kept, so that the `RUN`s of
/// a stage with thousands of variables do not each read them all.
#[derive(Debug, Clone, Default)]
pub(super) struct StageEnv {
    vars: Vec<(String, String)>,
    /// The latest position of each name in `vars`, once `vars` is long.
    latest: Option<HashMap<String, usize>>,
}

/// How many variables are read in order before they are indexed.
const INDEXED_FROM: usize = 32;

impl StageEnv {
    /// Adds variables, in order.
    pub fn extend(&mut self, vars: impl IntoIterator<Item = (String, String)>) {
        for (name, value) in vars {
            if let Some(latest) = &mut self.latest {
                latest.insert(name.clone(), self.vars.len());
            }
            self.vars.push((name, value));
        }
        if self.latest.is_none() && self.vars.len() > INDEXED_FROM {
            let mut latest = HashMap::with_capacity(self.vars.len());
            for (at, (name, _)) in self.vars.iter().enumerate() {
                latest.insert(name.clone(), at);
            }
            self.latest = Some(latest);
        }
    }

    /// The latest value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let at = match &self.latest {
            Some(latest) => *latest.get(name)?,
            None => self.vars.iter().rposition(|(k, _)| k == name)?,
        };
        self.vars.get(at).map(|(_, v)| v.as_str())
    }

    /// Every variable in the order set, a name set again listed again.
    pub fn vars(&self) -> &[(String, String)] {
        &self.vars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Before and after the index is built, a lookup finds the latest
        /// value a backward read of the list finds.
        #[test]
        fn lookups_find_the_latest_value(
            batches in proptest::collection::vec(
                proptest::collection::vec((0u8..40, 0u8..4), 0..12),
                0..12,
            ),
        ) {
            let mut env = StageEnv::default();
            let mut list: Vec<(String, String)> = Vec::new();
            for batch in batches {
                let batch: Vec<(String, String)> = batch
                    .into_iter()
                    .map(|(k, v)| (format!("V{k}"), v.to_string()))
                    .collect();
                list.extend(batch.iter().cloned());
                env.extend(batch);
                proptest::prop_assert_eq!(env.vars(), list.as_slice());
                for name in 0u8..42 {
                    let name = format!("V{name}");
                    let want = list.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
                    proptest::prop_assert_eq!(env.get(&name), want);
                }
            }
        }
    }
}
