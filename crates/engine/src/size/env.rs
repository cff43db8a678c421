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

/// `text` with `${k}` and then `$k` replaced by `v` for each variable of
/// `latest_first` in turn, then `$HOME` by `home`: the size estimate's
/// textual expansion.
///
/// A variable changes the text only if `$k` or `${k}` occurs in it at its
/// turn, so each is tested at the text's `$`s alone, and once no `$` is
/// left the rest are skipped: a `RUN` in a stage of thousands of variables
/// does not search its text once for each.
pub(super) fn expand<'e>(
    text: &str,
    latest_first: impl Iterator<Item = &'e (String, String)>,
    home: &str,
) -> String {
    let mut out = text.to_string();
    let mut dollars = dollar_positions(&out);
    for (k, v) in latest_first {
        if dollars.is_empty() {
            // Nothing left to replace; `$HOME` neither.
            return out;
        }
        if !follows_a_dollar(&out, &dollars, k) {
            continue;
        }
        out = out
            .replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v);
        dollars = dollar_positions(&out);
    }
    out.replace("$HOME", home)
}

/// Where `text` has a `$`.
fn dollar_positions(text: &str) -> Vec<usize> {
    memchr::memchr_iter(b'$', text.as_bytes()).collect()
}

/// Whether `$name` or `${name}` occurs in `text`, whose `$`s are at
/// `dollars`.
fn follows_a_dollar(text: &str, dollars: &[usize], name: &str) -> bool {
    let (text, name) = (text.as_bytes(), name.as_bytes());
    dollars.iter().any(|&at| {
        let after = text.get(at + 1..).unwrap_or_default();
        after.starts_with(name)
            || after
                .strip_prefix(b"{")
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with(b"}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expansion as it was written first: each variable's name
    /// searched in the whole text.
    fn expand_by_search(text: &str, latest_first: &[(String, String)], home: &str) -> String {
        if !text.contains('$') {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (k, v) in latest_first {
            if !out.contains(k.as_str()) {
                continue;
            }
            out = out
                .replace(&format!("${{{k}}}"), v)
                .replace(&format!("${k}"), v);
        }
        out.replace("$HOME", home)
    }

    proptest::proptest! {
        // A replacement that moves the `$`s needs a few thousand cases to
        // come up.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// Testing names at the `$`s alone expands as searching the text
        /// for each name did.
        #[test]
        fn expansion_at_the_dollars_is_expansion_by_search(
            text in "(\\$|\\{|\\}|A|x|/|HOME){0,10}",
            vars in proptest::collection::vec(
                ("(A|x|\\{|\\}|\\$|HOME){0,2}", "(A|\\$|\\{|\\}|x|HOME){0,3}"),
                0..6,
            ),
        ) {
            proptest::prop_assert_eq!(
                expand(&text, vars.iter(), "/root"),
                expand_by_search(&text, &vars, "/root")
            );
        }
    }

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
