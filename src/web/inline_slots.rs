//! Which analyses may run on a runtime thread, and when none may.
//!
//! A small input's analysis runs on the runtime thread that received it:
//! handing it to the blocking pool and back costs a lint request about a
//! quarter of its CPU time (BENCHMARKS.md). The price is that an analysis
//! the engine gets stuck in (a parser shape the fuzzers have not found
//! yet) holds that thread. One such thread leaves the others serving; the
//! danger is the next such input, typically the same user retrying,
//! taking the last one.
//!
//! So a slot records when its analysis started, and while any analysis
//! has been running on a runtime thread for longer than [`STUCK_AFTER`]
//! (a normal one takes well under a millisecond, the slowest of ten
//! thousand fuzzed inputs 22 ms), no new analysis is let onto one: they
//! go to the blocking pool until the stuck one ends, and the runtime
//! threads stay free for every other request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long an analysis may run on a runtime thread before the others are
/// sent to the blocking pool.
pub const STUCK_AFTER: Duration = Duration::from_millis(100);

/// One slot per runtime thread; each holds its analysis's start (in
/// microseconds since `epoch`, plus one) or 0 when free.
#[derive(Debug)]
pub struct InlineSlots {
    epoch: Instant,
    stuck_after: u64,
    started: Box<[AtomicU64]>,
    /// The start of the last stuck analysis reported, so that each is
    /// reported once however many analyses it sends away.
    reported: AtomicU64,
}

/// A claimed slot: the analysis may run on this thread. Dropping it frees
/// the slot.
#[derive(Debug)]
pub struct InlineClaim<'a> {
    slot: &'a AtomicU64,
}

/// Why an analysis may not run on the runtime thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every slot is taken.
    Busy,
    /// An analysis has been running on a runtime thread for longer than
    /// the limit.
    Stuck {
        /// How long it has been running.
        running_for: Duration,
        /// Whether this is the first refusal it caused.
        first: bool,
    },
}

impl InlineSlots {
    /// `count` slots, an analysis counting as stuck after [`STUCK_AFTER`].
    pub fn new(count: usize) -> Self {
        Self::with_limit(count, STUCK_AFTER)
    }

    /// `count` slots with another limit (the tests' shorter one).
    fn with_limit(count: usize, stuck_after: Duration) -> Self {
        Self {
            epoch: Instant::now(),
            stuck_after: u64::try_from(stuck_after.as_micros()).unwrap_or(u64::MAX),
            started: (0..count).map(|_| AtomicU64::new(0)).collect(),
            reported: AtomicU64::new(0),
        }
    }

    /// Claims a free slot for an analysis starting `now`, unless every
    /// slot is taken or a running analysis is stuck.
    pub fn try_claim(&self, now: Instant) -> Result<InlineClaim<'_>, Refusal> {
        let now = self.stamp(now);
        for slot in &self.started {
            let started = slot.load(Ordering::Acquire);
            if started != 0 && now.saturating_sub(started) > self.stuck_after {
                return Err(Refusal::Stuck {
                    running_for: Duration::from_micros(now.saturating_sub(started)),
                    first: self.reported.swap(started, Ordering::Relaxed) != started,
                });
            }
        }
        self.started
            .iter()
            .find(|slot| {
                slot.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
            })
            .map(|slot| InlineClaim { slot })
            .ok_or(Refusal::Busy)
    }

    /// Microseconds from the epoch to `now`, plus one, so that 0 means
    /// free.
    fn stamp(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.epoch).as_micros())
            .unwrap_or(u64::MAX - 1)
            .saturating_add(1)
    }
}

impl Drop for InlineClaim<'_> {
    fn drop(&mut self) {
        self.slot.store(0, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_many_analyses_as_slots() {
        let slots = InlineSlots::new(2);
        let first = slots.try_claim(Instant::now());
        let second = slots.try_claim(Instant::now());
        assert!(first.is_ok() && second.is_ok());
        assert_eq!(slots.try_claim(Instant::now()).err(), Some(Refusal::Busy));
        drop(first);
        assert!(
            slots.try_claim(Instant::now()).is_ok(),
            "a dropped claim frees its slot"
        );
    }

    #[test]
    fn a_stuck_analysis_sends_the_others_away_until_it_ends() {
        let slots = InlineSlots::with_limit(4, Duration::from_millis(20));
        let stuck = slots.try_claim(Instant::now());
        assert!(stuck.is_ok());
        assert!(
            slots.try_claim(Instant::now()).is_ok(),
            "a young analysis blocks nothing"
        );
        std::thread::sleep(Duration::from_millis(40));
        let refusals = [
            slots.try_claim(Instant::now()).err(),
            slots.try_claim(Instant::now()).err(),
        ];
        match refusals {
            [
                Some(Refusal::Stuck {
                    running_for,
                    first: true,
                }),
                Some(Refusal::Stuck { first: false, .. }),
            ] => assert!(running_for >= Duration::from_millis(40)),
            other => panic!(
                "expected two refusals for the stuck analysis, the first reported: {other:?}"
            ),
        }
        drop(stuck);
        assert!(
            slots.try_claim(Instant::now()).is_ok(),
            "once it ends, analyses run inline again"
        );
    }

    #[test]
    fn no_slots_means_never_inline() {
        assert_eq!(
            InlineSlots::new(0).try_claim(Instant::now()).err(),
            Some(Refusal::Busy)
        );
    }

    #[test]
    fn claims_from_many_threads_never_exceed_the_slots() {
        let slots = InlineSlots::new(3);
        let held = AtomicU64::new(0);
        let most = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..2_000 {
                        if let Ok(claim) = slots.try_claim(Instant::now()) {
                            let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            held.fetch_sub(1, Ordering::SeqCst);
                            drop(claim);
                        }
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 3);
        assert!(most.load(Ordering::SeqCst) >= 1);
    }
}
