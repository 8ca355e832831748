//! The replay: a step's labels are those of a fit run with `max_iter` = its iteration from
//! the same seeds (fits are deterministic, so this is exact); the timeline has one step per
//! seeding round, one for the seeds and one per iteration; a step reruns only `replay` and
//! `render`, and a step seen before comes from the memo store.

mod common;

use blobscale::cluster::{Algorithm, Init, KMeansFit, KMeansParams, predict};
use blobscale::data::{BlobsParams, Centers};
use blobscale::monitor::Unmonitored;
use blobscale::pipeline::replay::frame::labels_digest;
use blobscale::pipeline::replay::step_labels::step_labels;
use blobscale::pipeline::replay::timeline::{StepKind, seeding_steps, timeline};
use blobscale::pipeline::{NodeState, ScenarioInputs, TaskId};
use common::{engine, evaluate};

/// The fit `max_iter = i` gives from `fit`'s seeds (with `fit`'s `tol = 0`).
fn refit(
    fit: &KMeansFit,
    x: &blobscale::data::ChunkedMatrix,
    i: usize,
    algorithm: Algorithm,
) -> KMeansFit {
    let seeds = fit
        .initial_centres
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    KMeansParams::new(fit.k())
        .init(Init::Centers(seeds))
        .max_iter(i)
        .tol(0.0)
        .algorithm(algorithm)
        .check()
        .unwrap()
        .fit(x, None)
        .unwrap()
}

#[test]
fn a_steps_labels_equal_a_fit_stopped_at_that_iteration() {
    // Two features (the fused small-d kernel) and twelve (the general one), overlapping
    // blobs so the fit takes several iterations, every seeding and both Lloyd variants.
    let cases = [
        (2, 6, 2.5, Init::default(), Algorithm::Lloyd),
        (
            12,
            5,
            4.0,
            Init::KMeansPlusPlus {
                n_local_trials: None,
            },
            Algorithm::Hamerly,
        ),
        (3, 7, 3.0, Init::Random, Algorithm::Lloyd),
    ];
    let mut iterations_seen = 0;
    for (d, k, std, init, algorithm) in cases {
        let data = BlobsParams::new(6_000)
            .n_features(d)
            .centers(Centers::Count(k))
            .cluster_std(std)
            .seed(11)
            .chunk_rows(700)
            .check()
            .unwrap()
            .generate();
        let fit = KMeansParams::new(k)
            .init(init.clone())
            .algorithm(algorithm)
            .tol(0.0)
            .check()
            .unwrap()
            .fit(&data.x, None)
            .unwrap();
        let seeding = seeding_steps(&fit);
        assert_eq!(timeline(&fit).len(), seeding + fit.n_iter + 1, "{init:?}");
        assert!(fit.n_iter >= 2, "{init:?}: only {} iterations", fit.n_iter);
        for i in 0..=fit.n_iter {
            let step = step_labels(&data, &fit, seeding + i, &Unmonitored).unwrap();
            assert_eq!(step.kind, StepKind::Lloyd { iteration: i });
            let labels = step.labels.as_ref().unwrap();
            let expected = if i == 0 {
                predict(&data.x, fit.initial_centres.view(), None)
                    .unwrap()
                    .labels
            } else {
                refit(&fit, &data.x, i, algorithm).labels.into_u32()
            };
            assert_eq!(
                labels_digest(labels),
                labels_digest(&expected),
                "{init:?} {algorithm:?}: step {i}"
            );
            assert_eq!(labels, &expected, "{init:?} {algorithm:?}: step {i}");
            if i > 0 {
                // The moved rows are the fit's own count of changed labels.
                assert_eq!(step.moved, fit.moved[i], "{init:?}: step {i}");
                let before = step_labels(&data, &fit, seeding + i - 1, &Unmonitored).unwrap();
                let changed = (0..labels.len())
                    .filter(|&r| labels[r] != before.labels.as_ref().unwrap()[r])
                    .count() as u64;
                assert_eq!(step.moved, changed);
                assert!(
                    (0..labels.len())
                        .all(|r| step.changed(r)
                            == (labels[r] != before.labels.as_ref().unwrap()[r]))
                );
            }
            iterations_seen += 1;
        }
        // Seeding rounds have no labels yet.
        let first = step_labels(&data, &fit, 0, &Unmonitored).unwrap();
        assert!(first.labels.is_none() && seeding > 0);
        assert_eq!(
            step_labels(&data, &fit, usize::MAX, &Unmonitored)
                .unwrap()
                .labels
                .unwrap(),
            fit.labels
        );
    }
    assert!(iterations_seen >= 8);
}

fn small() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 20_000,
        chunk_rows: 1000,
        centers: Centers::Count(5),
        cluster_std: blobscale::data::ClusterStd::Scalar(2.5),
        k: 5,
        silhouette_sample: 100,
        width: 64,
        height: 48,
        ..ScenarioInputs::default()
    }
}

#[test]
fn stepping_reruns_only_replay_and_render_and_a_step_seen_before_is_reused() {
    let e = engine(1 << 30);
    let base = small();
    let end = evaluate(&e, &base);
    assert_eq!(
        end.summary.node(TaskId::Replay).state,
        NodeState::PassThrough
    );
    assert!(end.summary.view.as_ref().unwrap().replay.is_none());
    let t = &end.summary.fit.timeline;
    let seeding = t
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Seeding { .. }))
        .count();
    assert_eq!(t.len(), seeding + end.summary.fit.n_iter + 1);
    let step = seeding + 1;
    let at = |s: usize| ScenarioInputs {
        replay_step: Some(s),
        ..base.clone()
    };
    let one = evaluate(&e, &at(step));
    for task in [TaskId::Replay, TaskId::Render] {
        assert_eq!(
            one.summary.node(task).state,
            NodeState::Computed,
            "{task:?}"
        );
    }
    for task in [TaskId::Fit, TaskId::Metrics, TaskId::Profile] {
        assert_eq!(one.summary.node(task).state, NodeState::Reused, "{task:?}");
    }
    let frame = one.summary.view.as_ref().unwrap().replay.clone().unwrap();
    assert_eq!(frame.kind, StepKind::Lloyd { iteration: 1 });
    assert_eq!(frame.centres.len(), 5);
    assert_eq!(frame.trails.iter().map(Vec::len).max(), Some(1));
    assert!(frame.moved > 0);
    assert_ne!(
        one.pixels, end.pixels,
        "the first iteration's picture is the final one"
    );
    // A seeding round: grey points and the candidates so far, no centres.
    let round = evaluate(&e, &at(1));
    let f = round.summary.view.as_ref().unwrap().replay.clone().unwrap();
    assert_eq!(f.kind, StepKind::Seeding { round: 1 });
    assert!(f.centres.is_empty() && !f.candidates.is_empty() && f.labels_digest.is_none());
    assert!(f.candidates.iter().all(|c| c.round <= 1));
    // Back to the first iteration: from the memo store.
    let again = evaluate(&e, &at(step));
    assert_eq!(again.summary.node(TaskId::Replay).state, NodeState::Reused);
    assert_eq!(again.pixels, one.pixels);
    // A step past the end shows the last one: the final labels.
    let last = evaluate(&e, &at(10_000));
    let f = last.summary.view.as_ref().unwrap().replay.clone().unwrap();
    assert_eq!(f.step, t.len() - 1);
    assert!(f.labels_digest.is_some());
    if end.summary.fit.convergence == blobscale::cluster::Convergence::Strict {
        // No row moves at the last step, so nothing is marked: the final picture.
        assert_eq!(f.moved, 0);
        assert_eq!(last.pixels, end.pixels);
    }
}
