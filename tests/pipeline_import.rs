//! Imported data in the engine: a parsed file becomes the `generate` node's value, memoised
//! by content — k changes reuse it, the same bytes imported twice are one dataset, sweeps
//! run on it, scenarios naming it round-trip through the codecs, and a scenario naming a
//! file this engine does not hold fails with what to do.

mod common;

use std::sync::atomic::AtomicBool;

use blobscale::data::import::{ImportOptions, import};
use blobscale::monitor::Unmonitored;
use blobscale::pipeline::graph::imported::DataSource;
use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::scenarios::codec::{scenario_from_url, scenario_to_url};
use blobscale::pipeline::scenarios::sweep::SweepSpec;
use blobscale::pipeline::{Engine, NodeState, Plan, ScenarioInputs, TaskId};
use common::{engine, evaluate};

/// Room for a few imported datasets.
const BUDGET: usize = 256 << 20;

/// Three well-separated groups of points in three columns, with a header and a text
/// column, as a user's CSV might be.
fn csv() -> String {
    let mut s = String::from("x,y,z,name\n");
    for i in 0..3000 {
        let c = (i % 3) as f32 * 20.0;
        let j = (i % 97) as f32 / 97.0;
        s.push_str(&format!("{},{},{},p{i}\n", c + j, c - j, j * 2.0));
    }
    s
}

fn imported_inputs(e: &Engine, text: &str, name: &str) -> ScenarioInputs {
    let out = import(
        text.as_bytes(),
        &ImportOptions::default(),
        None,
        &Unmonitored,
    )
    .unwrap();
    let source = e.register_imported(
        out.matrix,
        name,
        &out.report,
        out.truth.as_ref(),
        out.weights,
    );
    ScenarioInputs {
        k: 3,
        chunk_rows: 512,
        silhouette_sample: 300,
        width: 32,
        height: 24,
        source: DataSource::Imported(source),
        ..ScenarioInputs::default()
    }
}

#[test]
fn changing_k_on_imported_data_reuses_the_dataset() {
    let e = engine(BUDGET);
    let inputs = imported_inputs(&e, &csv(), "groups.csv");
    let first = evaluate(&e, &inputs);
    assert_eq!(
        first.summary.node(TaskId::Generate).state,
        NodeState::Computed
    );
    assert_eq!(first.summary.dataset.n_samples, 3000);
    assert_eq!(first.summary.dataset.n_features, 3);
    assert!(!first.summary.dataset.ground_truth);
    assert!(first.summary.metrics.adjusted_rand.is_nan());
    assert!(first.summary.view.as_ref().unwrap().true_centres.is_empty());
    assert!(first.summary.metrics.silhouette.unwrap() > 0.8);
    let second = evaluate(
        &e,
        &ScenarioInputs {
            k: 4,
            ..inputs.clone()
        },
    );
    assert_eq!(
        second.summary.node(TaskId::Generate).state,
        NodeState::Reused
    );
    assert_eq!(second.summary.node(TaskId::Fit).state, NodeState::Computed);
    // A blobs parameter the imported data do not read changes nothing.
    let third = evaluate(
        &e,
        &ScenarioInputs {
            n_samples: 77,
            k: 4,
            ..inputs
        },
    );
    assert_eq!(third.summary.node(TaskId::Fit).state, NodeState::Reused);
    // The summary crosses a worker boundary as JSON, the absent ARI as null.
    let json = serde_json::to_string(&third.summary).unwrap();
    assert!(json.contains("\"adjusted_rand\":null"), "{json}");
    let back: blobscale::pipeline::EvaluationSummary = serde_json::from_str(&json).unwrap();
    assert!(back.metrics.adjusted_rand.is_nan());
}

#[test]
fn the_same_bytes_imported_twice_are_one_dataset() {
    let e = engine(BUDGET);
    let a = imported_inputs(&e, &csv(), "a.csv");
    let bytes = e.imported_bytes();
    let b = imported_inputs(&e, &csv(), "copy of a.csv");
    assert_eq!(e.imported_bytes(), bytes);
    assert_eq!(bytes, 3000 * 3 * 4);
    let (sa, sb) = (a.imported().unwrap(), b.imported().unwrap());
    assert_eq!(sa.content, sb.content);
    assert_ne!(sa.name, sb.name);
    // Keyed by content, the second scenario finds everything the first computed.
    evaluate(&e, &a);
    let again = evaluate(&e, &b);
    for t in [TaskId::Generate, TaskId::Fit, TaskId::Metrics] {
        assert_eq!(again.summary.node(t).state, NodeState::Reused, "{t:?}");
    }
    // Other options give other data and another fingerprint.
    let o = ImportOptions {
        standardise: true,
        ..ImportOptions::default()
    };
    let out = import(csv().as_bytes(), &o, None, &Unmonitored).unwrap();
    let s = e.register_imported(out.matrix, "a.csv", &out.report, None, None);
    assert_ne!(s.content, sa.content);
}

#[test]
fn a_sweep_runs_on_imported_data() {
    let e = engine(BUDGET);
    let inputs = imported_inputs(&e, &csv(), "groups.csv");
    let table = e
        .sweep(&SweepSpec::k_range(inputs, 2..=5), &AtomicBool::new(false))
        .unwrap();
    assert_eq!(table.per_k.len(), 4);
    assert!(table.per_k.iter().all(|r| r.adjusted_rand.is_nan()));
    let generated = e
        .jobs()
        .iter()
        .filter(|j| j.task == TaskId::Generate && matches!(j.status, JobStatus::Completed { .. }))
        .count();
    assert_eq!(generated, 1, "the dataset node ran once");
    assert_eq!(table.best.silhouette, Some(3));
}

#[test]
fn a_scenario_naming_a_missing_import_says_what_to_do() {
    let e = engine(BUDGET);
    let inputs = imported_inputs(&e, &csv(), "groups.csv");
    let other = engine(BUDGET);
    let ticket = other.submit(Plan::new(&inputs).unwrap());
    let err = other
        .evaluate(&ticket, &AtomicBool::new(false))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "imported dataset 'groups.csv' is not loaded: import the file again"
    );
    // Forgetting it has the same effect; registering it again brings it back.
    let content = inputs.imported().unwrap().content;
    assert!(e.forget_imported(content));
    assert!(!e.has_imported(content));
    let again = imported_inputs(&e, &csv(), "groups.csv");
    assert_eq!(again, inputs);
    evaluate(&e, &again);
}

#[test]
fn the_plan_checks_against_the_imported_shape() {
    let e = engine(BUDGET);
    let inputs = imported_inputs(&e, &csv(), "groups.csv");
    // Features 0..=2 exist in the file, whatever n_features says.
    assert!(
        Plan::new(&ScenarioInputs {
            feature_y: 2,
            ..inputs.clone()
        })
        .is_ok()
    );
    let err = Plan::new(&ScenarioInputs {
        feature_y: 3,
        ..inputs.clone()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "feature_y = 3 is out of range: allowed 0 ..= 2"
    );
    let err = Plan::new(&ScenarioInputs {
        k: 3001,
        ..inputs.clone()
    })
    .unwrap_err();
    assert!(err.to_string().starts_with("k = 3001"), "{err}");
    // The imported values are resident already: the peak counts labels (the model's one
    // byte a row and their u32 copy) and pixels.
    let plan = Plan::new(&inputs).unwrap();
    assert_eq!(plan.dataset_bytes(), 3000 * 3 * 4);
    assert_eq!(
        plan.estimated_peak_bytes(1),
        3000 * (1 + 4) + 32 * 24 * (4 + 8)
    );
}

#[test]
fn scenarios_naming_an_import_round_trip_through_the_codecs() {
    let e = engine(BUDGET);
    let inputs = imported_inputs(&e, &csv(), "my data; \"quoted\".csv");
    let url = scenario_to_url("imported", &inputs);
    let (name, back) = scenario_from_url(&url).unwrap();
    assert_eq!(name, "imported");
    assert_eq!(back, inputs);
    let json = serde_json::to_string(&inputs).unwrap();
    let back: ScenarioInputs = serde_json::from_str(&json).unwrap();
    assert_eq!(back, inputs);
    // A link made before imports existed still reads, as blobs.
    let blobs = ScenarioInputs {
        k: 7,
        ..ScenarioInputs::default()
    };
    let (_, back) = scenario_from_url(&scenario_to_url("k", &blobs)).unwrap();
    assert_eq!(back.source, DataSource::Blobs);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A scenario on a fixture read with `options`, seeded from the file's first `k` rows (as
/// the page's "your own centres" does), so two files' fits can be compared exactly.
fn fixture_inputs(e: &Engine, file: &str, options: &ImportOptions, k: usize) -> ScenarioInputs {
    let out = import(&fixture(file), options, None, &Unmonitored).unwrap();
    let d = out.matrix.n_cols();
    let rows = (0..k)
        .map(|i| {
            out.matrix.as_slice()[i * d..(i + 1) * d]
                .iter()
                .map(|&v| f64::from(v))
                .collect()
        })
        .collect();
    let source = e.register_imported(
        out.matrix,
        file,
        &out.report,
        out.truth.as_ref(),
        out.weights,
    );
    ScenarioInputs {
        k,
        init: blobscale::cluster::Init::Centers(rows),
        chunk_rows: 16,
        silhouette_sample: 0,
        width: 32,
        height: 24,
        source: DataSource::Imported(source),
        ..ScenarioInputs::default()
    }
}

/// A weights column reaches the seeding, Lloyd and the inertia: the weighted fit of a file
/// is the fit of the same rows repeated by their weights (scikit-learn's `sample_weight`).
#[test]
fn a_weights_column_fits_as_the_rows_repeated_by_their_weights() {
    let e = engine(BUDGET);
    let weighted = ImportOptions {
        weight_column: Some(3),
        ..ImportOptions::default()
    };
    let a_inputs = fixture_inputs(&e, "weighted.csv", &weighted, 3);
    let a = evaluate(&e, &a_inputs);
    // The same starting centres for the repeated rows.
    let b_inputs = ScenarioInputs {
        init: a_inputs.init.clone(),
        ..fixture_inputs(&e, "weighted_repeated.csv", &ImportOptions::default(), 3)
    };
    let b = evaluate(&e, &b_inputs);
    assert_eq!(a.summary.dataset.n_samples, 40);
    assert!(b.summary.dataset.n_samples > 40);
    assert_eq!(a.summary.fit.n_iter, b.summary.fit.n_iter);
    let (ia, ib) = (a.summary.metrics.inertia, b.summary.metrics.inertia);
    assert!((ia - ib).abs() <= 1e-9 * ib, "weighted {ia}, repeated {ib}");
    for (ca, cb) in a.summary.fit.centres.iter().zip(&b.summary.fit.centres) {
        for (x, y) in ca.iter().zip(cb) {
            assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}");
        }
    }
    // Unweighted, the same file fits differently.
    let u = evaluate(
        &e,
        &fixture_inputs(
            &e,
            "weighted.csv",
            &ImportOptions {
                columns: Some(vec![0, 1, 2]),
                ..ImportOptions::default()
            },
            3,
        ),
    );
    assert!((u.summary.metrics.inertia - ia).abs() > 1e-6 * ia);
    // A fit on a sample would drop the weights: refused, naming the column.
    let sampled = ScenarioInputs {
        fit_sample: Some(10),
        ..fixture_inputs(&e, "weighted.csv", &weighted, 3)
    };
    let err = Plan::new(&sampled).unwrap_err().to_string();
    assert!(
        err.contains("fit_sample = 10") && err.contains("'weight'"),
        "{err}"
    );
}

/// A class column is the dataset's ground truth in the engine: the adjusted Rand index and
/// the true centres (the class means) are there, and scikit-learn's score is matched.
#[test]
fn a_truth_column_gives_the_adjusted_rand_index_and_true_centres() {
    let e = engine(BUDGET);
    let o = ImportOptions {
        truth_column: Some(4),
        ..ImportOptions::default()
    };
    let inputs = fixture_inputs(&e, "iris.csv", &o, 3);
    let rows: Vec<Vec<f64>> = {
        let out = import(&fixture("iris.csv"), &o, None, &Unmonitored).unwrap();
        [0, 50, 100]
            .iter()
            .map(|&i| {
                out.matrix.as_slice()[i * 4..i * 4 + 4]
                    .iter()
                    .map(|&v| f64::from(v))
                    .collect()
            })
            .collect()
    };
    let r = evaluate(
        &e,
        &ScenarioInputs {
            init: blobscale::cluster::Init::Centers(rows),
            ..inputs
        },
    );
    assert!(r.summary.dataset.ground_truth);
    let oracle: serde_json::Value = serde_json::from_slice(&fixture("iris_oracle.json")).unwrap();
    let want = oracle["adjusted_rand"].as_f64().unwrap();
    assert!(
        (r.summary.metrics.adjusted_rand - want).abs() < 1e-12,
        "{} vs {want}",
        r.summary.metrics.adjusted_rand
    );
    assert_eq!(r.summary.view.as_ref().unwrap().true_centres.len(), 3);
}
