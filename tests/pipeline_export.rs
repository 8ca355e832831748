//! Exports end to end through the public API: a scenario evaluated by the engine, every row
//! labelled, written as CSV and read back; centroids, job log, scenario and the dask-ml
//! script agree with what the engine computed.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use blobscale::data::{Centers, ChunkedMatrix};
use blobscale::pipeline::clock::NoClock;
use blobscale::pipeline::export::{
    BuildInfo, DaskScriptOptions, LabelsLayout, dask_script, scenario_json, write_centroids_csv,
    write_job_log_json, write_labels_csv,
};
use blobscale::pipeline::scenario_codec::book_from_json;
use blobscale::pipeline::{Engine, ScenarioInputs};
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

#[test]
fn job_log_scenario_and_script_describe_the_same_scenario() {
    let engine = Engine::new(Arc::new(NoClock), 256 << 20);
    let f = engine
        .fitted_scenario(&inputs(), &AtomicBool::new(false))
        .unwrap();
    let mut log = Vec::new();
    let build = BuildInfo {
        flavour: "native".into(),
        threads: rayon::current_num_threads(),
        cross_origin_isolated: None,
        user_agent: None,
    };
    write_job_log_json(&mut log, &engine.jobs(), &inputs(), &build).unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    let fit = log["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["task"] == "fit")
        .unwrap();
    assert!(!fit["tasks"].as_array().unwrap().is_empty());

    let book = book_from_json(&scenario_json("four blobs", &inputs()).unwrap()).unwrap();
    assert_eq!(book.scenarios()[0].inputs, inputs());

    let script = dask_script(
        &inputs(),
        &DaskScriptOptions {
            expected_inertia: Some(f.summary.metrics.inertia),
            ..DaskScriptOptions::default()
        },
    )
    .unwrap();
    assert!(script.contains("N_SAMPLES = 50000\n"));
    assert!(script.contains(&format!("{:?}", f.summary.metrics.inertia)));
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
        write_labels_csv(&mut out, &x, &labels, LabelsLayout::WithFeatures, None).unwrap();
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
