//! The severity of every registered rule under one configuration, worked
//! out once per lint.
//!
//! [`LintConfig::severity_for`] reads the whole `ignored` and `overrides`
//! lists for one rule, so asking it for each of the hundred rules cost
//! their product: a hundred ignored codes made a lint of a small file
//! twice as slow. Here each configured name is looked up once in the
//! registry's index.

use super::config::LintConfig;
use super::registry;
use super::rule::Severity;

/// What [`LintConfig::severity_for`] answers for each rule, in registry
/// order, and which rules are ignored by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSeverities {
    severity: Vec<Option<Severity>>,
    ignored: Vec<bool>,
}

impl RuleSeverities {
    /// The severities `config` gives every registered rule.
    pub fn new(config: &LintConfig) -> Self {
        let mut severity: Vec<Option<Severity>> = registry::all()
            .map(|rule| {
                let meta = rule.meta();
                (meta.enabled_by_default || config.enables(meta)).then_some(meta.severity)
            })
            .collect();
        let mut ignored = vec![false; severity.len()];
        // In order, so the last override of a rule wins.
        for (name, level) in &config.overrides {
            if let Some(slot) = registry::position(name).and_then(|i| severity.get_mut(i)) {
                *slot = Some(*level);
            }
        }
        for name in &config.ignored {
            if let Some(i) = registry::position(name) {
                if let Some(slot) = severity.get_mut(i) {
                    *slot = None;
                }
                if let Some(flag) = ignored.get_mut(i) {
                    *flag = true;
                }
            }
        }
        Self { severity, ignored }
    }

    /// The severity of the rule at `position` in the registry, `None` when
    /// it is off.
    pub fn get(&self, position: usize) -> Option<Severity> {
        self.severity.get(position).copied().flatten()
    }

    /// Whether the configuration ignores the rule at `position` by name
    /// (rather than leaving it off by default).
    pub fn ignored(&self, position: usize) -> bool {
        self.ignored.get(position).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names a configuration may hold: codes in either case, names,
    /// aliases, and names of no rule.
    fn names() -> Vec<String> {
        let mut out = vec!["DL9999".to_string(), String::new(), "nonsense".to_string()];
        for meta in registry::catalogue() {
            out.push(meta.code.to_string());
            out.push(meta.code.to_ascii_lowercase());
            out.push(meta.name.to_string());
            out.extend(meta.aliases.iter().map(|a| a.to_ascii_lowercase()));
        }
        out
    }

    fn severity() -> impl Strategy<Value = Severity> {
        prop_oneof![
            Just(Severity::Error),
            Just(Severity::Warning),
            Just(Severity::Info),
            Just(Severity::Style),
        ]
    }

    proptest! {
        #[test]
        fn each_rule_gets_what_severity_for_answers(
            ignored in proptest::collection::vec(proptest::sample::select(names()), 0..12),
            overrides in proptest::collection::vec(
                (proptest::sample::select(names()), severity()),
                0..12,
            ),
            trusted in any::<bool>(),
            strict_labels in any::<bool>(),
        ) {
            let config = LintConfig {
                ignored,
                overrides,
                trusted_registries: if trusted { vec!["docker.io".into()] } else { Vec::new() },
                strict_labels,
                ..LintConfig::default()
            };
            let table = RuleSeverities::new(&config);
            for (i, rule) in registry::all().enumerate() {
                let meta = rule.meta();
                prop_assert_eq!(table.get(i), config.severity_for(meta), "{}", meta.code);
                prop_assert_eq!(
                    table.ignored(i),
                    config.ignored.iter().any(|c| meta.matches(c)),
                    "{}",
                    meta.code
                );
            }
        }
    }

    #[test]
    fn the_last_override_wins_and_ignoring_beats_it() {
        let config = LintConfig {
            overrides: vec![
                ("DL3008".into(), Severity::Error),
                ("dl3008".into(), Severity::Style),
                ("RS001".into(), Severity::Error),
            ],
            ignored: vec!["toolchain-in-final-image".into()],
            ..LintConfig::default()
        };
        let table = RuleSeverities::new(&config);
        let at = |code| registry::position(code).unwrap_or(usize::MAX);
        assert_eq!(table.get(at("DL3008")), Some(Severity::Style));
        assert_eq!(table.get(at("RS001")), None);
        assert!(table.ignored(at("RS001")));
        assert!(!table.ignored(at("DL3008")));
        assert_eq!(table.get(usize::MAX), None);
    }
}
