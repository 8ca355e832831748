//! Speed-up over one thread, measured rather than assumed: the engine time of every
//! evaluation that computed all its nodes is kept per scenario and thread count (in this
//! browser's storage, so a run with `?threads=1` and one with every core can be set side
//! by side), and the task stream's summary divides the two when both exist.

use std::collections::BTreeMap;

use crate::pipeline::evaluation::{EvaluationSummary, NodeState};
use crate::pipeline::{ScenarioInputs, scenario_codec::scenario_to_url};
use crate::web::browser_storage;

const KEY: &str = "blobscale.timings";
/// Scenarios remembered; the oldest are dropped first.
const KEPT: usize = 64;

type Timings = BTreeMap<String, (u64, BTreeMap<usize, f64>)>;

fn load() -> Timings {
    browser_storage::load(KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn scenario_key(inputs: &ScenarioInputs) -> String {
    scenario_to_url("", inputs)
}

/// Whether every node of the evaluation did its work (nothing came from the memo store),
/// so its time is the scenario's full cost.
fn computed_everything(s: &EvaluationSummary) -> bool {
    s.nodes.iter().all(|n| {
        matches!(
            n.state,
            NodeState::Computed | NodeState::Backdated | NodeState::PassThrough | NodeState::Idle
        )
    })
}

/// Remembers the engine time of `summary` for `inputs` on its thread count (the fastest
/// of repeated measurements).
pub fn record(inputs: &ScenarioInputs, summary: &EvaluationSummary) {
    if !computed_everything(summary) {
        return;
    }
    let mut all = load();
    let stamp = all.values().map(|v| v.0).max().unwrap_or(0) + 1;
    let entry = all.entry(scenario_key(inputs)).or_default();
    entry.0 = stamp;
    let ms = summary.end_ms - summary.start_ms;
    let best = entry.1.entry(summary.threads).or_insert(ms);
    *best = best.min(ms);
    while all.len() > KEPT {
        let Some(oldest) = all.iter().min_by_key(|(_, v)| v.0).map(|(k, _)| k.clone()) else {
            break;
        };
        all.remove(&oldest);
    }
    if let Ok(text) = serde_json::to_string(&all) {
        // Timings are a convenience: a full storage is not worth an error on the page.
        let _ = browser_storage::save(KEY, &text);
    }
}

/// Engine times of `inputs` on one thread and on `threads`, when both were measured.
pub fn measured(inputs: &ScenarioInputs, threads: usize) -> Option<(f64, f64)> {
    if threads < 2 {
        return None;
    }
    let all = load();
    let (_, by_threads) = all.get(&scenario_key(inputs))?;
    Some((*by_threads.get(&1)?, *by_threads.get(&threads)?))
}
