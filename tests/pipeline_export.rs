//! Exports end to end through the public API: a scenario evaluated by the engine, every row
//! labelled, written as CSV and read back; centroids, job log, scenario and the dask-ml
//! script agree with what the engine computed.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use blobscale::cluster::{Init, Oversampling, ParallelInit, Rounds};
use blobscale::data::{Centers, ChunkedMatrix, ClusterStd};
use blobscale::monitor::TaskKind;
use blobscale::pipeline::export::{
    BuildInfo, DaskScriptOptions, LabelsLayout, dask_script, scenario_json, write_centroids_csv,
    write_job_log_json, write_labels_csv,
};
use blobscale::pipeline::jobs::clock::NoClock;
use blobscale::pipeline::jobs::job::JobRecord;
use blobscale::pipeline::scenarios::codec::book_from_json;
use blobscale::pipeline::{Engine, ScenarioInputs, TaskId};
use proptest::prelude::*;

fn inputs() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 50_000,
        n_features: 3,
        centers: Centers::Count(4),
        k: 4,
        data_seed: 5,
        chunk_rows: 3_000,
        width: 32,
        height: 32,
        ..ScenarioInputs::default()
    }
}

fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(|v| v.parse::<f64>().unwrap()).collect())
        .collect();
    (header, rows)
}

#[test]
fn labels_and_centroids_read_back_to_the_engines_result() {
    let engine = Engine::new(Arc::new(NoClock), 256 << 20);
    let a = engine
        .assign_rows(&inputs(), &AtomicBool::new(false))
        .unwrap();
    let mut labels_csv = Vec::new();
    write_labels_csv(
        &mut labels_csv,
        &a.dataset.x,
        &a.prediction.labels,
        LabelsLayout::WithFeatures,
        None,
        None,
    )
    .unwrap();
    let (header, rows) = parse_csv(&labels_csv);
    assert_eq!(header, ["x0", "x1", "x2", "label"]);
    assert_eq!(rows.len(), 50_000);

    let mut centroids_csv = Vec::new();
    write_centroids_csv(
        &mut centroids_csv,
        &a.model.centres,
        &a.summary.metrics.cluster_sizes,
        None,
    )
    .unwrap();
    let (header, centroids) = parse_csv(&centroids_csv);
    assert_eq!(header, ["cluster", "size", "x0", "x1", "x2"]);
    assert_eq!(centroids.len(), 4);

    // The inertia recomputed from the two files is the page's (metrics) inertia.
    let mut inertia = 0.0;
    let mut sizes = [0u64; 4];
    for r in &rows {
        let c = r[3] as usize;
        sizes[c] += 1;
        inertia += (0..3)
            .map(|j| (r[j] as f32 as f64 - centroids[c][2 + j]).powi(2))
            .sum::<f64>();
    }
    let m = a.summary.metrics.inertia;
    assert!((inertia - m).abs() <= 1e-9 * m, "{inertia} vs {m}");
    for (c, row) in centroids.iter().enumerate() {
        assert_eq!(row[0] as usize, c);
        assert_eq!(row[1] as u64, sizes[c]);
    }
}

/// The `NAME = value` lines of a script (a trailing `# comment` dropped), and the rows of
/// its `CENTERS` array.
fn script_constants(script: &str) -> (BTreeMap<String, String>, Vec<Vec<f64>>) {
    let mut constants = BTreeMap::new();
    for line in script.lines() {
        let Some((name, value)) = line.split_once(" = ") else {
            continue;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        let value = value.split("  #").next().unwrap().trim().to_string();
        assert!(
            constants.insert(name.to_string(), value).is_none(),
            "{name} set twice"
        );
    }
    let centres = script
        .split_once("CENTERS = np.array([\n")
        .expect("a CENTERS array")
        .1
        .split_once("\n], dtype=np.float64)")
        .unwrap()
        .0
        .lines()
        .map(|row| {
            let row = row.trim().trim_end_matches(',');
            row.strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .unwrap()
                .split(", ")
                .map(|v| v.parse::<f64>().unwrap())
                .collect()
        })
        .collect();
    (constants, centres)
}

#[test]
fn job_log_scenario_and_script_describe_the_same_scenario() {
    // Every parameter the script carries set to a value of its own, so that one written in
    // another's place cannot go unseen.
    let inputs = ScenarioInputs {
        cluster_std: ClusterStd::Scalar(0.75),
        center_box: (-7.5, 12.0),
        kmeans_seed: 11,
        max_iter: 77,
        tol: 2.5e-5,
        init: Init::KMeansParallel(ParallelInit {
            oversampling: Oversampling::PerCluster(1.5),
            rounds: Rounds::Fixed(3),
            ..ParallelInit::default()
        }),
        ..inputs()
    };
    let engine = Engine::new(Arc::new(NoClock), 256 << 20);
    let a = engine
        .assign_rows(&inputs, &AtomicBool::new(false))
        .unwrap();

    // The job log: the scenario it was exported for, and the fit job this evaluation ran,
    // with one Lloyd task per chunk per iteration and the final labelling pass.
    let mut log = Vec::new();
    let build = BuildInfo {
        flavour: "native".into(),
        threads: rayon::current_num_threads(),
        cross_origin_isolated: None,
        user_agent: None,
    };
    write_job_log_json(&mut log, &engine.jobs(), &inputs, &build).unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    let logged: ScenarioInputs = serde_json::from_value(log["scenario"].clone()).unwrap();
    assert_eq!(logged, inputs);
    let fit_node = a.summary.node(TaskId::Fit);
    let fit: JobRecord = log["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| serde_json::from_value::<JobRecord>(j.clone()).unwrap())
        .find(|j| Some(j.id) == fit_node.job)
        .expect("the evaluation's fit job is in the log");
    assert_eq!(fit.task, TaskId::Fit);
    assert_eq!(Some(fit.key), fit_node.key);
    assert_eq!(fit.evaluation, a.summary.evaluation);
    let lloyd = fit
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Lloyd)
        .count();
    assert_eq!(
        lloyd,
        a.summary.dataset.n_chunks * (a.model.n_iter + 1),
        "{} iterations over {} chunks",
        a.model.n_iter,
        a.summary.dataset.n_chunks
    );

    let book = book_from_json(&scenario_json("four blobs", &inputs).unwrap()).unwrap();
    assert_eq!(book.scenarios()[0].inputs, inputs);

    // The script, as the page makes it: the engine's inertia in its header.
    let script = dask_script(
        &inputs,
        &DaskScriptOptions {
            expected_inertia: Some(a.summary.metrics.inertia),
            ..DaskScriptOptions::default()
        },
    )
    .unwrap();
    let (constants, centres) = script_constants(&script);
    let constant = |name: &str| -> &str {
        constants
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in the script"))
    };
    let float = |name: &str| constant(name).parse::<f64>().unwrap();
    // Each parameter is the scenario's, in blobscale's meaning.
    for (name, want) in [
        ("N_SAMPLES", inputs.n_samples.to_string()),
        ("CHUNK_ROWS", inputs.chunk_rows.to_string()),
        ("K", inputs.k.to_string()),
        ("MAX_ITER", inputs.max_iter.to_string()),
        ("KMEANS_SEED", inputs.kmeans_seed.to_string()),
        ("DATA_SEED", inputs.data_seed.to_string()),
        ("FIT_SAMPLE", "None".into()),
        ("SHUFFLE", "True".into()),
        ("INIT", "\"k-means||\"".into()),
        ("INIT_MAX_ITER", "3".into()),
        ("DATA_FILE", "None".into()),
    ] {
        assert_eq!(constant(name), want, "{name}");
    }
    assert_eq!(float("TOL"), inputs.tol, "TOL");
    assert_eq!(float("CLUSTER_STD"), 0.75, "CLUSTER_STD");
    assert_eq!(constant("CENTER_BOX"), "(-7.5, 12.0)", "CENTER_BOX");
    // dask-ml's oversampling_factor is ℓ itself: 1.5 per cluster × k.
    assert_eq!(
        float("OVERSAMPLING_FACTOR"),
        1.5 * inputs.k as f64,
        "OVERSAMPLING_FACTOR"
    );
    // What the script derives on its own agrees with what the engine ran: the rounds the
    // seeding made (the first centre, then one entry per round), the true centres the
    // dataset was drawn around, to the bit.
    assert_eq!(
        a.model.seeding.candidates_per_round.len(),
        1 + 3,
        "rounds run"
    );
    let truth: Vec<Vec<f64>> = a
        .dataset
        .centers
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(centres, truth, "CENTERS");
    // The quoted inertia is every row's, from the labels and centres the engine gave them.
    let quoted: f64 = script
        .lines()
        .find_map(|l| l.strip_prefix("# blobscale's inertia for this scenario (every row): "))
        .expect("the inertia line")
        .parse()
        .unwrap();
    let d = inputs.n_features;
    let mut every_row = 0.0;
    for (i, &label) in a.prediction.labels.iter().enumerate() {
        let c = a.model.centres.row(label as usize);
        every_row += (0..d)
            .map(|j| (a.dataset.x.row(i)[j] as f64 - c[j]).powi(2))
            .sum::<f64>();
    }
    assert!(
        (quoted - every_row).abs() <= 1e-9 * every_row,
        "quoted {quoted}, every row {every_row}"
    );
}

proptest! {
    /// Any matrix and labels: one line per row plus the header, and every value reads back
    /// to the same f32 bits, whatever the chunking.
    #[test]
    fn labels_csv_round_trips(
        n in 1usize..300,
        d in 1usize..5,
        chunk in 1usize..64,
        seed in any::<u64>(),
    ) {
        let mut state = seed | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let values: Vec<f32> = (0..n * d)
            .map(|_| f32::from_bits((next() as u32) & 0x7f7f_ffff) * if next() % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let labels: Vec<u32> = (0..n).map(|_| next() as u32 % 1000).collect();
        let x = ChunkedMatrix::from_vec(values.clone(), n, d, chunk).unwrap();
        let mut out = Vec::new();
        write_labels_csv(&mut out, &x, &labels, LabelsLayout::WithFeatures, None, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        prop_assert_eq!(text.lines().count(), n + 1);
        for (i, line) in text.lines().skip(1).enumerate() {
            let fields: Vec<&str> = line.split(',').collect();
            prop_assert_eq!(fields.len(), d + 1);
            for j in 0..d {
                prop_assert_eq!(fields[j].parse::<f32>().unwrap().to_bits(), values[i * d + j].to_bits());
            }
            prop_assert_eq!(fields[d].parse::<u32>().unwrap(), labels[i]);
        }
    }
}
