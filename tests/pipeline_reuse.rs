//! Reuse, proved from the job log as salsa's tests prove it from their event logs: which
//! task nodes ran, which were taken from the memo store, which were backdated.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::{Engine, Evaluation, NodeState, Plan, ScenarioInputs, TaskId};
use common::{engine, evaluate, small_scenario, with_threads};

fn base() -> ScenarioInputs {
    small_scenario()
}

/// The evaluation's jobs as `task → status name`.
fn log(e: &Engine, ev: &Evaluation) -> BTreeMap<TaskId, &'static str> {
    let mut out = BTreeMap::new();
    for j in e.jobs() {
        if j.evaluation != ev.summary.evaluation {
            continue;
        }
        let s = match j.status {
            JobStatus::Completed { backdated: false } => "computed",
            JobStatus::Completed { backdated: true } => "backdated",
            JobStatus::Reused => "reused",
            JobStatus::Running => "running",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Failed { .. } => "failed",
        };
        assert!(out.insert(j.task, s).is_none(), "{:?} has two jobs", j.task);
    }
    out
}

fn expect(pairs: &[(TaskId, &'static str)]) -> BTreeMap<TaskId, &'static str> {
    pairs.iter().copied().collect()
}

use TaskId::*;

#[test]
fn first_run_computes_every_node_and_records_chunk_tasks() {
    let e = engine(1 << 30);
    let ev = evaluate(&e, &base());
    assert_eq!(
        log(&e, &ev),
        expect(&[
            (Generate, "computed"),
            (Seed, "computed"),
            (Fit, "computed"),
            (Metrics, "computed"),
            (Quality, "computed"),
            (Profile, "computed"),
            (Project, "computed"),
            (Render, "computed"),
        ])
    );
    // No sample: the training set and the labels pass through, without jobs.
    assert_eq!(ev.summary.node(Sample).state, NodeState::PassThrough);
    assert_eq!(ev.summary.node(Predict).state, NodeState::PassThrough);
    let generate = e.jobs().into_iter().find(|j| j.task == Generate).unwrap();
    assert_eq!(generate.tasks.len(), 10, "one task per chunk of 2048 rows");
    assert!(generate.end_ms.unwrap() >= generate.start_ms);
    assert_eq!(ev.pixels.len(), 64 * 48 * 4);
    let view = ev.summary.view.as_ref().unwrap();
    assert_eq!(view.true_centres.len(), 4);
    assert_eq!(view.fitted_centres.len(), 4);
    assert_eq!(ev.summary.metrics.cluster_sizes.iter().sum::<u64>(), 20_000);
    assert_eq!(ev.summary.dataset.n_chunks, 10);
}

#[test]
fn changing_only_k_reruns_no_generation() {
    let e = engine(1 << 30);
    evaluate(&e, &base());
    let ev = evaluate(&e, &ScenarioInputs { k: 6, ..base() });
    assert_eq!(
        log(&e, &ev),
        expect(&[
            (Generate, "reused"),
            (Seed, "computed"),
            (Fit, "computed"),
            (Metrics, "computed"),
            (Quality, "computed"),
            (Profile, "reused"),
            (Project, "reused"),
            (Render, "computed"),
        ])
    );
    assert_eq!(ev.summary.fit.k, 6);
}

#[test]
fn returning_to_an_earlier_parameter_set_reuses_every_node() {
    let e = engine(1 << 30);
    let first = evaluate(&e, &base());
    evaluate(&e, &ScenarioInputs { k: 7, ..base() });
    evaluate(
        &e,
        &ScenarioInputs {
            width: 32,
            ..base()
        },
    );
    let again = evaluate(&e, &base());
    assert_eq!(
        log(&e, &again),
        expect(&[
            (Generate, "reused"),
            (Seed, "reused"),
            (Fit, "reused"),
            (Metrics, "reused"),
            (Quality, "reused"),
            (Profile, "reused"),
            (Project, "reused"),
            (Render, "reused"),
        ])
    );
    assert_eq!(again.pixels, first.pixels);
    assert_eq!(again.summary.metrics, first.summary.metrics);
    assert_eq!(again.summary.fit, first.summary.fit);
}

#[test]
fn changing_the_data_seed_reruns_everything() {
    let e = engine(1 << 30);
    evaluate(&e, &base());
    let ev = evaluate(
        &e,
        &ScenarioInputs {
            data_seed: 99,
            ..base()
        },
    );
    // Feature axes do not depend on the values: the new dataset gives equal axes.
    assert!(
        log(&e, &ev).iter().all(|(&t, &s)| s
            == if t == Project {
                "backdated"
            } else {
                "computed"
            }),
        "{:?}",
        log(&e, &ev)
    );
    assert_eq!(log(&e, &ev).len(), 8);
}

#[test]
fn changing_the_kmeans_seed_keeps_the_dataset() {
    let e = engine(1 << 30);
    evaluate(&e, &base());
    let ev = evaluate(
        &e,
        &ScenarioInputs {
            kmeans_seed: 5,
            ..base()
        },
    );
    assert_eq!(log(&e, &ev)[&Generate], "reused");
    assert_eq!(log(&e, &ev)[&Seed], "computed");
}

#[test]
fn a_new_chunk_size_regenerates_an_equal_dataset_which_is_backdated() {
    let e = engine(1 << 30);
    let first = evaluate(&e, &base());
    let ev = evaluate(
        &e,
        &ScenarioInputs {
            chunk_rows: 3000,
            ..base()
        },
    );
    // The values do not depend on chunking, so everything downstream stays valid.
    assert_eq!(
        log(&e, &ev),
        expect(&[
            (Generate, "backdated"),
            (Seed, "reused"),
            (Fit, "reused"),
            (Metrics, "reused"),
            (Quality, "reused"),
            (Profile, "reused"),
            (Project, "reused"),
            (Render, "reused"),
        ])
    );
    assert_eq!(ev.summary.node(Generate).state, NodeState::Backdated);
    assert_eq!(ev.pixels, first.pixels);
    assert_eq!(ev.summary.dataset.n_chunks, 7);
}

#[test]
fn an_equal_refit_is_backdated_and_keeps_render_and_metrics() {
    let e = engine(1 << 30);
    let first = evaluate(&e, &base());
    assert!(first.summary.fit.n_iter < 300, "the fit converges");
    let ev = evaluate(
        &e,
        &ScenarioInputs {
            max_iter: 500,
            ..base()
        },
    );
    assert_eq!(
        log(&e, &ev),
        expect(&[
            (Generate, "reused"),
            (Seed, "reused"),
            (Fit, "backdated"),
            (Metrics, "reused"),
            (Quality, "reused"),
            (Profile, "reused"),
            (Project, "reused"),
            (Render, "reused"),
        ])
    );
}

#[test]
fn fit_on_a_sample_predicts_every_row_and_reuses_the_prediction() {
    let e = engine(1 << 30);
    let sampled = ScenarioInputs {
        fit_sample: Some(3000),
        ..base()
    };
    let ev = evaluate(&e, &sampled);
    assert_eq!(
        log(&e, &ev),
        expect(&[
            (Generate, "computed"),
            (Sample, "computed"),
            (Seed, "computed"),
            (Fit, "computed"),
            (Predict, "computed"),
            (Metrics, "computed"),
            (Quality, "computed"),
            (Profile, "computed"),
            (Project, "computed"),
            (Render, "computed"),
        ])
    );
    assert_eq!(ev.summary.fit.trained_on, 3000);
    assert_eq!(ev.summary.fit.cluster_sizes.iter().sum::<u64>(), 3000);
    assert_eq!(ev.summary.metrics.cluster_sizes.iter().sum::<u64>(), 20_000);
    let predict = e.jobs().into_iter().find(|j| j.task == Predict).unwrap();
    assert_eq!(predict.tasks.len(), 10, "predict runs chunk-parallel");
    let ev = evaluate(
        &e,
        &ScenarioInputs {
            width: 80,
            ..sampled
        },
    );
    assert_eq!(log(&e, &ev)[&Render], "computed");
    assert_eq!(log(&e, &ev)[&Predict], "reused");
    assert_eq!(log(&e, &ev)[&Fit], "reused");
}

#[test]
fn eviction_respects_the_byte_budget_and_keeps_fingerprints() {
    // Room for everything except the 240 kB dataset.
    let budget = 200_000;
    let e = engine(budget);
    let first = evaluate(&e, &base());
    assert!(e.memory().used_bytes <= budget);
    assert_eq!(
        e.memory().too_large,
        1,
        "the dataset alone exceeds the budget"
    );
    // The dataset was dropped but its fingerprint kept: nothing downstream misses, so it
    // is not regenerated.
    let again = evaluate(&e, &base());
    assert!(
        log(&e, &again).values().all(|&s| s == "reused"),
        "{:?}",
        log(&e, &again)
    );
    assert!(!log(&e, &again).contains_key(&Generate));
    assert_eq!(again.summary.node(Generate).state, NodeState::Known);
    assert_eq!(again.pixels, first.pixels);
    // A new view needs the values: the dataset is regenerated, equal, hence backdated.
    let wider = evaluate(
        &e,
        &ScenarioInputs {
            width: 100,
            ..base()
        },
    );
    assert_eq!(log(&e, &wider)[&Generate], "backdated");
    assert_eq!(log(&e, &wider)[&Render], "computed");
    // Many scenarios under a tight budget: use never exceeds it, and old values go.
    for k in 2..10 {
        evaluate(&e, &ScenarioInputs { k, ..base() });
        let m = e.memory();
        assert!(m.used_bytes <= budget, "{m:?}");
    }
    assert!(e.memory().evictions > 0);
}

#[test]
fn scenarios_share_one_store_and_progress_reports_the_last_evaluation() {
    let e = engine(1 << 30);
    let a = evaluate(&e, &base());
    let plan = Plan::new(&ScenarioInputs { k: 3, ..base() }).unwrap();
    let b = e.evaluate_detached(&plan, &AtomicBool::new(false)).unwrap();
    assert_eq!(b.summary.ticket, None);
    assert_eq!(log(&e, &b)[&Generate], "reused");
    assert_eq!(
        a.summary.node(Generate).output,
        b.summary.node(Generate).output
    );
    let p = e.progress();
    assert_eq!(p.evaluation, b.summary.evaluation);
    assert!(!p.running);
    assert!(e.try_jobs(0).is_some());
    assert!(e.try_memory().is_some());
}

/// The scores, the picture and the profile need the same finished fit and not each other:
/// they run as parallel jobs, each once, and give what a run of one node at a time gives.
#[test]
fn sinks_computed_side_by_side_run_once_each_and_match_one_at_a_time() {
    let e = engine(1 << 30);
    let ev = evaluate(&e, &base());
    for t in [Fit, Metrics, Quality, Render, Profile] {
        let jobs = e
            .jobs()
            .into_iter()
            .filter(|j| j.task == t && j.evaluation == ev.summary.evaluation)
            .count();
        assert_eq!(jobs, 1, "{t:?}");
        assert_eq!(ev.summary.node(t).state, NodeState::Computed, "{t:?}");
    }
    // On one thread the side-by-side jobs run one after the other.
    let one = engine(1 << 30);
    let plan = Plan::new(&base()).unwrap();
    let serial = with_threads(1, || one.evaluate_detached(&plan, &AtomicBool::new(false))).unwrap();
    assert_eq!(serial.pixels, ev.pixels);
    assert_eq!(serial.summary.metrics, ev.summary.metrics);
    assert_eq!(serial.summary.profile, ev.summary.profile);
    assert_eq!(serial.summary.fit, ev.summary.fit);
}
