//! Speed-up over one thread in this browser: the core's [`Timings`] kept in local storage
//! under each scenario's shareable string, so a run with `?threads=1` and one with every
//! core, in different page loads, can be set side by side.

use crate::pipeline::display::speedup::{Timings, computed_everything};
use crate::pipeline::engine::evaluation::EvaluationSummary;
use crate::pipeline::{ScenarioInputs, scenarios::codec::scenario_to_url};
use crate::web::browser_storage;

const KEY: &str = "blobscale.timings";

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

/// Remembers the engine time of `summary` for `inputs` on its thread count.
pub fn record(inputs: &ScenarioInputs, summary: &EvaluationSummary) {
    // Most results reuse something: those need no read of the storage.
    if !computed_everything(summary) {
        return;
    }
    let mut all = load();
    if !all.record(scenario_key(inputs), summary) {
        return;
    }
    if let Ok(text) = serde_json::to_string(&all) {
        // Timings are a convenience: a full storage is not worth an error on the page.
        let _ = browser_storage::save(KEY, &text);
    }
}

/// Engine times of `inputs` on one thread and on `threads`, when both were measured.
pub fn measured(inputs: &ScenarioInputs, threads: usize) -> Option<(f64, f64)> {
    load().measured(&scenario_key(inputs), threads)
}
