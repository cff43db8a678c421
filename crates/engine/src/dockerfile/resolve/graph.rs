//! The stage graph: which stage or image each `COPY --from` and
//! `RUN --mount from=` names, and BuildKit's circular-dependency check.

use std::collections::HashMap;

use super::types::Source;

/// BuildKit's dispatch states: the stages, then every image named by
/// `--from` that is not a stage (each reference adds one, in order).
#[derive(Debug, Default)]
pub struct States {
    /// Number of stages; states past it are images.
    pub stage_count: usize,
    /// Images added by references, in order.
    pub images: Vec<String>,
    /// Lower-cased stage names registered so far.
    names: HashMap<String, usize>,
}

impl States {
    /// States for `stage_count` stages, no names registered yet.
    pub fn new(stage_count: usize) -> Self {
        Self {
            stage_count,
            ..Self::default()
        }
    }

    /// Registers stage `index` under `name` (already lower case).
    pub fn register(&mut self, name: &str, index: usize) {
        self.names.insert(name.to_string(), index);
    }

    /// The stage whose name is exactly `base` (how `FROM` finds a stage).
    pub fn stage_named_exactly(&self, base: &str) -> Option<usize> {
        self.names.get(base).copied()
    }

    /// BuildKit's `findStateByName`: case-insensitive.
    pub fn stage_named(&self, name: &str) -> Option<usize> {
        self.names
            .get(&crate::dockerfile::gotext::to_lower(name))
            .copied()
    }

    /// Number of states (stages and images).
    pub fn len(&self) -> usize {
        self.stage_count + self.images.len()
    }

    /// The source a `--from` value names. Stage indexes (Go `strconv.Atoi`
    /// syntax) must be in range; names are looked up, anything else is an
    /// image, added as a new state.
    pub fn lookup_reference(
        &mut self,
        reference: &str,
        allow_index: bool,
    ) -> Result<Source, String> {
        if let Some(index) = go_atoi(reference).filter(|_| allow_index) {
            if index < 0 || index >= self.len() as i64 {
                return Err(format!("invalid stage index {index}"));
            }
            let index = usize::try_from(index).unwrap_or_default();
            return Ok(match index.checked_sub(self.stage_count) {
                None => Source::Stage(index),
                Some(i) => Source::Image(self.images.get(i).cloned().unwrap_or_default()),
            });
        }
        if let Some(index) = self.stage_named(reference) {
            return Ok(Source::Stage(index));
        }
        self.images.push(reference.to_string());
        Ok(Source::Image(reference.to_string()))
    }
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, within i64.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// BuildKit's `validateCircularDependency` over stage-to-stage edges
/// (`edges[i]` = stages stage `i` depends on, with the line of the command).
/// Returns the stage the search started from and the lines on the cycle.
pub fn find_cycle(edges: &[Vec<(usize, usize)>]) -> Option<(usize, Vec<usize>)> {
    let mut visited = vec![false; edges.len()];
    for start in 0..edges.len() {
        if visited.get(start).copied().unwrap_or(true) {
            continue;
        }
        // Iterative depth-first search; `stack` holds (stage, next edge, lines so far).
        let mut on_path = vec![false; edges.len()];
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        let mut lines: Vec<usize> = Vec::new();
        if let Some(v) = visited.get_mut(start) {
            *v = true;
        }
        if let Some(p) = on_path.get_mut(start) {
            *p = true;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let edge = edges.get(node).and_then(|e| e.get(*next)).copied();
            *next += 1;
            match edge {
                Some((dep, line)) => {
                    if on_path.get(dep).copied().unwrap_or(false) {
                        lines.push(line);
                        return Some((start, lines));
                    }
                    if !visited.get(dep).copied().unwrap_or(true) {
                        if let Some(v) = visited.get_mut(dep) {
                            *v = true;
                        }
                        if let Some(p) = on_path.get_mut(dep) {
                            *p = true;
                        }
                        lines.push(line);
                        stack.push((dep, 0));
                    }
                }
                None => {
                    if let Some(p) = on_path.get_mut(node) {
                        *p = false;
                    }
                    stack.pop();
                    lines.pop();
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found_without_recursion() {
        assert_eq!(find_cycle(&[vec![], vec![(0, 3)]]), None);
        assert_eq!(find_cycle(&[vec![(0, 2)]]), Some((0, vec![2])));
        assert_eq!(
            find_cycle(&[vec![(1, 2)], vec![(0, 5)]]),
            Some((0, vec![2, 5]))
        );
        let chain: Vec<Vec<(usize, usize)>> = (0..100_000)
            .map(|i| if i == 0 { vec![] } else { vec![(i - 1, i)] })
            .collect();
        assert_eq!(find_cycle(&chain), None);
    }

    #[test]
    fn references_follow_buildkit() {
        let mut states = States::new(2);
        states.register("build", 0);
        states.register("test", 1);
        assert_eq!(states.lookup_reference("Build", true), Ok(Source::Stage(0)));
        assert_eq!(states.lookup_reference("1", true), Ok(Source::Stage(1)));
        assert_eq!(states.lookup_reference("+1", true), Ok(Source::Stage(1)));
        assert_eq!(
            states.lookup_reference("2", true),
            Err("invalid stage index 2".into())
        );
        assert_eq!(
            states.lookup_reference("-1", true),
            Err("invalid stage index -1".into())
        );
        assert_eq!(
            states.lookup_reference("nginx:alpine", true),
            Ok(Source::Image("nginx:alpine".into()))
        );
        assert_eq!(
            states.lookup_reference("2", true),
            Ok(Source::Image("nginx:alpine".into()))
        );
        assert_eq!(
            states.lookup_reference("0", false),
            Ok(Source::Image("0".into()))
        );
    }
}
