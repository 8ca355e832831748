//! The page's two deliveries (ARCHITECTURE.md §2): the picture and the cheap scores first,
//! the internal indices (silhouette, Calinski–Harabasz, Davies–Bouldin) after them. Proved
//! from node reports and the job log: the first delivery does not run `quality`, the
//! second runs only `quality`, and the two together give exactly the whole evaluation.

mod common;

use std::sync::atomic::AtomicBool;

use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::{Delivery, Engine, Evaluation, NodeState, Plan, ScenarioInputs, TaskId};
use common::{engine, evaluate, small_scenario};

fn base() -> ScenarioInputs {
    small_scenario()
}

fn deliver(e: &Engine, inputs: &ScenarioInputs, delivery: Delivery) -> Evaluation {
    let ticket = e.submit(Plan::new(inputs).unwrap());
    e.deliver(&ticket, &AtomicBool::new(false), delivery)
        .unwrap()
}

/// Tasks that ran (not reused) in evaluation `ev`, from the job log.
fn computed(e: &Engine, ev: &Evaluation) -> Vec<TaskId> {
    e.jobs()
        .into_iter()
        .filter(|j| j.evaluation == ev.summary.evaluation)
        .filter(|j| matches!(j.status, JobStatus::Completed { .. }))
        .map(|j| j.task)
        .collect()
}

#[test]
fn first_delivery_leaves_the_indices_pending_and_the_second_runs_only_them() {
    let e = engine(1 << 30);
    let first = deliver(&e, &base(), Delivery::First);
    let s = &first.summary;
    assert!(s.quality_pending());
    assert_eq!(s.node(TaskId::Quality).state, NodeState::Idle);
    assert!(!computed(&e, &first).contains(&TaskId::Quality));
    assert!(computed(&e, &first).contains(&TaskId::Metrics));
    assert_eq!(s.metrics.silhouette, None);
    assert!(s.metrics.inertia > 0.0 && !first.pixels.is_empty());

    let later = deliver(&e, &base(), Delivery::Quality);
    assert_eq!(computed(&e, &later), vec![TaskId::Quality]);
    assert!(
        later.pixels.is_empty(),
        "the indices come without a picture"
    );
    let merged = s.with_quality_of(&later.summary).unwrap();
    assert!(!merged.quality_pending());
    assert_eq!(merged.node(TaskId::Quality).state, NodeState::Computed);
    // Every other node keeps what the first delivery did: the graph shows the user's
    // change, not the reuse of the second request.
    assert_eq!(merged.node(TaskId::Fit).state, NodeState::Computed);

    // Both deliveries together are the whole evaluation, to the bit.
    let whole = evaluate(&engine(1 << 30), &base()).summary;
    assert_eq!(merged.metrics, whole.metrics);
    assert!(merged.metrics.silhouette.is_some() && merged.metrics.davies_bouldin.is_some());
}

#[test]
fn held_indices_come_with_the_first_delivery() {
    let e = engine(1 << 30);
    deliver(&e, &base(), Delivery::First);
    deliver(&e, &base(), Delivery::Quality);
    // A new zoom window reruns only the render; the indices are in the store.
    let zoomed = ScenarioInputs {
        width: 80,
        ..base()
    };
    let again = deliver(&e, &zoomed, Delivery::First);
    assert!(!again.summary.quality_pending());
    assert_eq!(again.summary.node(TaskId::Quality).state, NodeState::Reused);
    assert!(again.summary.metrics.silhouette.is_some());
}

#[test]
fn a_new_silhouette_sample_reruns_the_indices_only() {
    let e = engine(1 << 30);
    deliver(&e, &base(), Delivery::First);
    deliver(&e, &base(), Delivery::Quality);
    let bigger = ScenarioInputs {
        silhouette_sample: 800,
        ..base()
    };
    let first = deliver(&e, &bigger, Delivery::First);
    assert!(
        computed(&e, &first).is_empty(),
        "{:?}",
        computed(&e, &first)
    );
    assert!(first.summary.quality_pending());
    let later = deliver(&e, &bigger, Delivery::Quality);
    assert_eq!(computed(&e, &later), vec![TaskId::Quality]);
}

#[test]
fn indices_of_another_scenario_are_refused() {
    let e = engine(1 << 30);
    let first = deliver(&e, &base(), Delivery::First);
    let other = ScenarioInputs { k: 5, ..base() };
    deliver(&e, &other, Delivery::First);
    let later = deliver(&e, &other, Delivery::Quality);
    assert!(first.summary.with_quality_of(&later.summary).is_none());
    // Nor does a first delivery complete another.
    let pending = deliver(&e, &ScenarioInputs { k: 6, ..base() }, Delivery::First);
    assert!(first.summary.with_quality_of(&pending.summary).is_none());
}
