//! Speed-up over one thread, measured rather than assumed: the engine time of every
//! evaluation that computed all its nodes, kept per scenario and thread count, so a run
//! on one thread and one on every core can be set side by side (the page keeps these in
//! the browser's storage, across reloads and thread counts).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pipeline::engine::evaluation::{EvaluationSummary, NodeState};

/// Scenarios remembered; the least recently measured are dropped first.
pub const KEPT_SCENARIOS: usize = 64;

/// Best engine times by scenario key and thread count. Serialised as a map from key to
/// `[stamp, {threads: ms}]`, the stamp ordering scenarios by their last measurement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timings(BTreeMap<String, (u64, BTreeMap<usize, f64>)>);

impl Timings {
    /// Remembers the engine time of `summary` for the scenario `key` on its thread count,
    /// keeping the fastest of repeated measurements, then forgets the least recently
    /// measured scenarios beyond [`KEPT_SCENARIOS`]. An evaluation that reused anything
    /// did not pay the scenario's full cost and is not recorded; returns whether it was.
    pub fn record(&mut self, key: String, summary: &EvaluationSummary) -> bool {
        if !computed_everything(summary) {
            return false;
        }
        let stamp = self.0.values().map(|v| v.0).max().unwrap_or(0) + 1;
        let entry = self.0.entry(key).or_default();
        entry.0 = stamp;
        let ms = summary.end_ms - summary.start_ms;
        let best = entry.1.entry(summary.threads).or_insert(ms);
        *best = best.min(ms);
        while self.0.len() > KEPT_SCENARIOS {
            let Some(oldest) = self
                .0
                .iter()
                .min_by_key(|(_, v)| v.0)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.0.remove(&oldest);
        }
        true
    }

    /// The best times of scenario `key` on one thread and on `threads`, when both were
    /// measured (`None` for one thread: there is nothing to compare).
    pub fn measured(&self, key: &str, threads: usize) -> Option<(f64, f64)> {
        if threads < 2 {
            return None;
        }
        let (_, by_threads) = self.0.get(key)?;
        Some((*by_threads.get(&1)?, *by_threads.get(&threads)?))
    }

    /// Scenarios remembered.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether every node of the evaluation did its work (nothing came from the memo store),
/// so its time is the scenario's full cost.
pub fn computed_everything(s: &EvaluationSummary) -> bool {
    s.nodes.iter().all(|n| {
        matches!(
            n.state,
            NodeState::Computed | NodeState::Backdated | NodeState::PassThrough | NodeState::Idle
        )
    })
}

/// How many times faster `threads_ms` is than `one_thread_ms`.
pub fn speedup(one_thread_ms: f64, threads_ms: f64) -> f64 {
    one_thread_ms / threads_ms.max(1e-9)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::pipeline::jobs::clock::NoClock;
    use crate::pipeline::{Engine, Plan, ScenarioInputs};

    /// A first evaluation (everything computed) and a repeat (everything reused).
    fn summaries() -> (EvaluationSummary, EvaluationSummary) {
        let e = Engine::new(Arc::new(NoClock), 1 << 30);
        let inputs = ScenarioInputs {
            n_samples: 2_000,
            silhouette_sample: 50,
            width: 8,
            height: 8,
            ..ScenarioInputs::default()
        };
        let run = || {
            let t = e.submit(Plan::new(&inputs).unwrap());
            e.evaluate(&t, &AtomicBool::new(false)).unwrap().summary
        };
        (run(), run())
    }

    fn timed(s: &EvaluationSummary, threads: usize, ms: f64) -> EvaluationSummary {
        EvaluationSummary {
            threads,
            start_ms: 100.0,
            end_ms: 100.0 + ms,
            ..s.clone()
        }
    }

    #[test]
    fn only_full_runs_count_and_the_fastest_is_kept() {
        let (first, again) = summaries();
        assert!(computed_everything(&first) && !computed_everything(&again));
        let mut t = Timings::default();
        assert!(!t.record("a".into(), &again));
        assert!(t.is_empty());
        assert!(t.record("a".into(), &timed(&first, 1, 90.0)));
        assert!(t.record("a".into(), &timed(&first, 1, 80.0)));
        assert!(t.record("a".into(), &timed(&first, 1, 85.0)));
        assert_eq!(t.measured("a", 4), None);
        t.record("a".into(), &timed(&first, 4, 30.0));
        assert_eq!(t.measured("a", 4), Some((80.0, 30.0)));
        // One thread has nothing to compare with, another scenario was never measured.
        assert_eq!(t.measured("a", 1), None);
        assert_eq!(t.measured("b", 4), None);
        assert!((speedup(80.0, 30.0) - 8.0 / 3.0).abs() < 1e-12);
        assert!(speedup(80.0, 0.0).is_finite());
    }

    #[test]
    fn the_least_recently_measured_scenario_goes_first() {
        let (first, _) = summaries();
        let mut t = Timings::default();
        for i in 0..KEPT_SCENARIOS {
            t.record(format!("s{i}"), &timed(&first, 1, 10.0));
        }
        // Measuring s0 again makes s1 the oldest.
        t.record("s0".into(), &timed(&first, 2, 5.0));
        t.record("new".into(), &timed(&first, 1, 10.0));
        assert_eq!(t.len(), KEPT_SCENARIOS);
        assert_eq!(t.measured("s0", 2), Some((10.0, 5.0)));
        assert!(t.measured("s1", 2).is_none() && !t.0.contains_key("s1"));
        assert!(t.0.contains_key("s2") && t.0.contains_key("new"));
    }

    #[test]
    fn stored_timings_keep_their_format() {
        // What the page has kept in browsers' storage since before this type existed.
        let stored = r#"{"abc":[3,{"1":120.5,"2":70.25}]}"#;
        let t: Timings = serde_json::from_str(stored).unwrap();
        assert_eq!(t.measured("abc", 2), Some((120.5, 70.25)));
        assert_eq!(serde_json::to_string(&t).unwrap(), stored);
    }
}
