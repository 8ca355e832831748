//! Which task nodes a new request would not take from the shown evaluation, judged by the
//! engine's own memo keys (the pipeline graph's "stale" nodes).
//!
//! Comparing raw input values would be a second notion of "changed" beside the engine's,
//! and they disagree: renaming an imported file, or editing a blobs parameter while a file
//! is the source, changes a raw value the engine's effective fingerprints ignore, so the
//! engine reuses nodes such a comparison calls stale. Here the keys are computed with the
//! engine's functions — [`memo_key`], [`tasks::passes_through`] and the pass-through
//! fingerprints — from the new plan and the output fingerprints the shown evaluation
//! reported, in graph order, as [`crate::pipeline::engine::run`] settles them. A node keeps its shown output
//! exactly when its key is the one reported. A node whose key changed runs, and its output
//! is unknown until it has (it may come out equal and be backdated), so every node after
//! it is stale too.
//!
//! Only the reports are read, never the engine: the single-threaded build keeps its
//! engine in a worker, and the threaded build's main thread must not wait for the store's
//! lock, while both builds carry the reports back with every result.

use crate::pipeline::engine::evaluation::{NodeReport, NodeState};
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::graph::{TASKS, TaskId};
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::memo::key::memo_key;
use crate::pipeline::tasks;

/// Per task node (by [`TaskId::index`]), whether evaluating `plan` would not keep the
/// output `shown` reports for it: its memo key differs, an upstream output it reads is not
/// known before running, or it passes through a different value. A node `shown` left idle
/// has no output to lose and is not stale.
pub fn stale_tasks(plan: &Plan, shown: &[NodeReport]) -> [bool; TaskId::COUNT] {
    let mut known: [Option<Fingerprint>; TaskId::COUNT] = [None; TaskId::COUNT];
    let mut stale = [true; TaskId::COUNT];
    for spec in &TASKS {
        let task = spec.id;
        let Some(report) = shown.iter().find(|r| r.task == task) else {
            continue;
        };
        if report.state == NodeState::Idle {
            // Never evaluated for the shown result (the indices still to come): there is
            // no output to keep or lose; the node says "pending" instead.
            stale[task.index()] = false;
            continue;
        }
        let Some(upstream) = spec
            .upstream
            .iter()
            .map(|u| known[u.index()])
            .collect::<Option<Vec<Fingerprint>>>()
        else {
            continue;
        };
        let output = if tasks::passes_through(task, plan) {
            Some(tasks::pass_through_fingerprint(task, &upstream))
        } else {
            let key = memo_key(task, plan, &upstream);
            report.output.filter(|_| report.key == Some(key))
        };
        known[task.index()] = output;
        stale[task.index()] = output.is_none() || output != report.output;
    }
    stale
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::data::ChunkedMatrix;
    use crate::pipeline::Delivery;
    use crate::pipeline::engine::evaluation::{EvaluationSummary, NodeState};
    use crate::pipeline::graph::imported::DataSource;
    use crate::pipeline::graph::inputs::{InputId, ScenarioInputs};
    use crate::pipeline::jobs::clock::NoClock;
    use crate::pipeline::render::projection::Projection;
    use crate::pipeline::render::raster::ViewWindow;
    use crate::pipeline::{Engine, TaskId};

    fn small() -> ScenarioInputs {
        ScenarioInputs {
            n_samples: 6_000,
            chunk_rows: 1_000,
            silhouette_sample: 100,
            width: 32,
            height: 24,
            ..ScenarioInputs::default()
        }
    }

    fn engine() -> Engine {
        Engine::new(Arc::new(NoClock), 1 << 30)
    }

    fn evaluate(e: &Engine, inputs: &ScenarioInputs) -> EvaluationSummary {
        let ticket = e.submit(Plan::new(inputs).unwrap());
        e.evaluate(&ticket, &AtomicBool::new(false))
            .unwrap()
            .summary
    }

    fn stale_after(shown: &EvaluationSummary, next: &ScenarioInputs) -> Vec<TaskId> {
        let stale = stale_tasks(&Plan::new(next).unwrap(), &shown.nodes);
        TaskId::ALL
            .into_iter()
            .filter(|t| stale[t.index()])
            .collect()
    }

    #[test]
    fn nothing_is_stale_for_the_shown_inputs() {
        let base = small();
        let shown = evaluate(&engine(), &base);
        assert_eq!(stale_after(&shown, &base), []);
        let sampled = ScenarioInputs {
            fit_sample: Some(1_000),
            ..base
        };
        let shown = evaluate(&engine(), &sampled);
        assert_eq!(stale_after(&shown, &sampled), []);
    }

    #[test]
    fn indices_still_to_come_are_pending_not_stale() {
        let base = small();
        let e = engine();
        let ticket = e.submit(Plan::new(&base).unwrap());
        let first = e
            .deliver(&ticket, &AtomicBool::new(false), Delivery::First)
            .unwrap()
            .summary;
        assert!(first.quality_pending());
        assert_eq!(stale_after(&first, &base), []);
        // A new silhouette sample would rerun only the indices, which have no output yet.
        let bigger = ScenarioInputs {
            silhouette_sample: 200,
            ..base.clone()
        };
        assert_eq!(stale_after(&first, &bigger), []);
        use TaskId::*;
        assert_eq!(
            stale_after(&first, &ScenarioInputs { k: 5, ..base }),
            [Seed, Fit, Predict, Metrics, Replay, Render]
        );
    }

    #[test]
    fn changing_only_k_marks_the_fit_and_what_follows_it() {
        let base = small();
        let shown = evaluate(&engine(), &base);
        use TaskId::*;
        assert_eq!(
            stale_after(&shown, &ScenarioInputs { k: 5, ..base }),
            [Seed, Fit, Predict, Metrics, Quality, Replay, Render]
        );
    }

    #[test]
    fn a_view_only_input_marks_only_render() {
        let base = small();
        let shown = evaluate(&engine(), &base);
        let wider = ScenarioInputs {
            width: 40,
            ..base.clone()
        };
        assert_eq!(stale_after(&shown, &wider), [TaskId::Render]);
        let zoomed = ScenarioInputs {
            view: Some(ViewWindow {
                x: (-1.0, 1.0),
                y: (-2.0, 2.0),
            }),
            ..base
        };
        assert_eq!(stale_after(&shown, &zoomed), [TaskId::Render]);
    }

    fn imported(e: &Engine, name: &str) -> ScenarioInputs {
        let values: Vec<f32> = (0..900).map(|i| ((i * 37) % 101) as f32 / 7.0).collect();
        let x = ChunkedMatrix::from_vec(values, 300, 3, 100).unwrap();
        let report = crate::data::import::ImportReport {
            column_names: vec!["a".into(), "b".into(), "c".into()],
            ..Default::default()
        };
        let source = e.register_imported(x, name, &report, None, None);
        ScenarioInputs {
            chunk_rows: 100,
            source: DataSource::Imported(source),
            ..small()
        }
    }

    #[test]
    fn an_imported_dataset_the_engine_reuses_is_not_stale() {
        let e = engine();
        let base = imported(&e, "points.csv");
        let shown = evaluate(&e, &base);
        // A hidden blobs parameter and the file's name change raw input values, but not
        // the effective fingerprints the engine keys by.
        let mut renamed = imported(&e, "renamed.csv");
        renamed.n_samples = 12_345;
        assert_ne!(
            base.values()[InputId::NSamples.index()],
            renamed.values()[InputId::NSamples.index()]
        );
        assert_ne!(base.source, renamed.source);
        assert_eq!(stale_after(&shown, &renamed), []);
        let next = evaluate(&e, &renamed);
        for n in &next.nodes {
            assert!(
                matches!(
                    n.state,
                    NodeState::Reused | NodeState::Known | NodeState::PassThrough
                ),
                "{:?} was {:?}",
                n.task,
                n.state
            );
        }
    }

    /// Every task `task` reads, directly or through others.
    fn ancestors(task: TaskId) -> Vec<TaskId> {
        let mut out = Vec::new();
        for &u in task.spec().upstream {
            out.push(u);
            out.extend(ancestors(u));
        }
        out
    }

    /// Against the engine itself, one changed input at a time on an engine holding only
    /// the shown evaluation: a node not called stale is reused with its shown output, and
    /// a stale node runs, unless it only forwards a value or an upstream rerun was
    /// backdated (which no key known before running can tell).
    #[test]
    fn stale_nodes_are_the_ones_the_engine_runs() {
        let base = small();
        let changes: Vec<ScenarioInputs> = vec![
            ScenarioInputs {
                k: 4,
                ..base.clone()
            },
            ScenarioInputs {
                kmeans_seed: base.kmeans_seed + 1,
                ..base.clone()
            },
            ScenarioInputs {
                data_seed: base.data_seed + 1,
                ..base.clone()
            },
            ScenarioInputs {
                fit_sample: Some(2_000),
                ..base.clone()
            },
            ScenarioInputs {
                silhouette_sample: 200,
                ..base.clone()
            },
            ScenarioInputs {
                max_iter: 3,
                ..base.clone()
            },
            ScenarioInputs {
                projection: Projection::Pca,
                ..base.clone()
            },
            ScenarioInputs {
                feature_x: 1,
                feature_y: 0,
                ..base.clone()
            },
            // Rechunked data are equal data: generate reruns and is backdated.
            ScenarioInputs {
                chunk_rows: 500,
                ..base.clone()
            },
            ScenarioInputs {
                height: 30,
                ..base.clone()
            },
        ];
        for next in changes {
            let e = engine();
            let shown = evaluate(&e, &base);
            let stale = stale_tasks(&Plan::new(&next).unwrap(), &shown.nodes);
            let after = evaluate(&e, &next);
            let plan = Plan::new(&next).unwrap();
            for t in TaskId::ALL {
                let (then, now) = (shown.node(t), after.node(t));
                if !stale[t.index()] {
                    assert!(
                        matches!(
                            now.state,
                            NodeState::Reused | NodeState::Known | NodeState::PassThrough
                        ),
                        "{t:?} not stale but {:?} after {next:?}",
                        now.state
                    );
                    assert_eq!(now.output, then.output, "{t:?}");
                } else if !tasks::passes_through(t, &plan)
                    && !ancestors(t)
                        .iter()
                        .any(|a| after.node(*a).state == NodeState::Backdated)
                {
                    assert!(
                        matches!(now.state, NodeState::Computed | NodeState::Backdated),
                        "{t:?} stale but {:?} after {next:?}",
                        now.state
                    );
                }
            }
        }
    }
}
