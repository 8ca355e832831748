//! k sweeps: a family of scenarios sharing upstream nodes (dask-ml's merged grid search).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use blobscale::data::Centers;
use blobscale::pipeline::jobs::clock::NoClock;
use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::scenarios::sweep::SweepSpec;
use blobscale::pipeline::{Engine, PipelineError, ScenarioInputs, TaskId};

/// Four well-separated blobs, so every criterion has one right answer.
fn four_blobs() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 8_000,
        centers: Centers::Points(vec![
            vec![-10.0, -10.0],
            vec![-10.0, 10.0],
            vec![10.0, -10.0],
            vec![10.0, 10.0],
        ]),
        chunk_rows: 1024,
        silhouette_sample: 600,
        ..ScenarioInputs::default()
    }
}

fn computed(e: &Engine, task: TaskId) -> usize {
    e.jobs()
        .iter()
        .filter(|j| j.task == task && matches!(j.status, JobStatus::Completed { .. }))
        .count()
}

#[test]
fn a_2_to_12_sweep_generates_its_dataset_once_and_finds_the_four_blobs() {
    let e = Engine::new(Arc::new(NoClock), 1 << 30);
    let table = e
        .sweep(
            &SweepSpec::k_range(four_blobs(), 2..=12),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(computed(&e, TaskId::Generate), 1);
    assert_eq!(computed(&e, TaskId::Fit), 11);
    assert_eq!(computed(&e, TaskId::Render), 0, "a sweep does not render");
    let ks: Vec<usize> = table.rows.iter().map(|r| r.k).collect();
    assert_eq!(ks, (2..=12).collect::<Vec<_>>());
    assert!(
        table
            .per_k
            .windows(2)
            .all(|w| w[1].inertia <= w[0].inertia * 1.05),
        "inertia falls with k"
    );
    assert_eq!(table.best.inertia_elbow, Some(4));
    assert_eq!(table.best.silhouette, Some(4));
    assert_eq!(table.best.calinski_harabasz, Some(4));
    assert_eq!(table.best.davies_bouldin, Some(4));
    let four = &table.per_k[2];
    assert!(four.adjusted_rand > 0.99, "{four:?}");
}

#[test]
fn a_sweep_over_seeds_keeps_the_best_seed_per_k_and_shares_with_single_scenarios() {
    let e = Engine::new(Arc::new(NoClock), 1 << 30);
    let spec = SweepSpec::k_range(four_blobs(), 3..=5).with_seeds(vec![0, 1, 2]);
    let table = e.sweep(&spec, &AtomicBool::new(false)).unwrap();
    assert_eq!(table.rows.len(), 9);
    assert_eq!(table.per_k.len(), 3);
    for best in &table.per_k {
        let min = table
            .rows
            .iter()
            .filter(|r| r.k == best.k)
            .map(|r| r.inertia)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(best.inertia, min);
    }
    assert_eq!(computed(&e, TaskId::Generate), 1);
    // Running the same sweep again computes nothing.
    let before = e.jobs().len();
    let again = e.sweep(&spec, &AtomicBool::new(false)).unwrap();
    let scores = |t: &blobscale::pipeline::scenarios::sweep::SweepTable| -> Vec<(usize, u64, f64)> {
        t.per_k.iter().map(|r| (r.k, r.seed, r.inertia)).collect()
    };
    assert_eq!(scores(&again), scores(&table));
    assert_eq!(again.best, table.best);
    let new_jobs = &e.jobs()[before..];
    assert!(new_jobs.iter().all(|j| j.status == JobStatus::Reused));
}

#[test]
fn sweep_parameters_are_checked_before_any_work() {
    let e = Engine::new(Arc::new(NoClock), 1 << 30);
    let mut spec = SweepSpec::k_range(four_blobs(), 2..=4);
    spec.ks.push(0);
    let err = e.sweep(&spec, &AtomicBool::new(false)).unwrap_err();
    assert!(err.to_string().starts_with("k = 0"), "{err}");
    assert!(e.jobs().is_empty());
    spec.ks.clear();
    assert_eq!(
        e.sweep(&spec, &AtomicBool::new(false))
            .unwrap_err()
            .to_string(),
        "sweep size (ks × seeds) = 0 is out of range: allowed 1 ..= 1024"
    );
    let cancelled = e.sweep(
        &SweepSpec::k_range(four_blobs(), 2..=4),
        &AtomicBool::new(true),
    );
    assert_eq!(cancelled.unwrap_err(), PipelineError::Cancelled);
}
