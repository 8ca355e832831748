//! The CLI end to end: generate to .npy and CSV, fit from the file, predict and score with
//! the exported centres and labels; errors are one line with a non-zero exit code.

use std::process::Command;

fn run(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_blobscale"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn generate_fit_predict_score_through_files() {
    let dir = std::env::temp_dir().join(format!("blobscale-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    for ext in ["npy", "csv"] {
        let (x, y) = (p(&format!("x.{ext}")), p(&format!("y.{ext}")));
        let (code, g, err) = run(&[
            "generate",
            "--n-samples",
            "3000",
            "--n-features",
            "3",
            "--centers",
            "4",
            "--center-box",
            "-30,30",
            "--out",
            &x,
            "--labels-out",
            &y,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(g["centers"].as_array().unwrap().len(), 4);
        let (c, l) = (p(&format!("c.{ext}")), p(&format!("l.{ext}")));
        let (code, fit, err) = run(&[
            "fit",
            "--input",
            &x,
            "--truth",
            &y,
            "--k",
            "4",
            "--threads",
            "2",
            "--centres-out",
            &c,
            "--labels-out",
            &l,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(fit["ari"].as_f64().unwrap(), 1.0);
        assert_eq!(fit["data"]["n_samples"], 3000);
        assert!(fit["timings_s"]["fit"].as_f64().unwrap() > 0.0);
        let inertia = fit["inertia"].as_f64().unwrap();
        let (code, pred, err) = run(&["predict", "--input", &x, "--centres", &c, "--truth", &y]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(pred["ari"].as_f64().unwrap(), 1.0);
        // Centres went through a file: CSV prints them shortest-round-trip, .npy exactly.
        assert!((pred["inertia"].as_f64().unwrap() - inertia).abs() <= 1e-9 * inertia);
        let (code, score, err) = run(&["score", "--input", &x, "--labels", &l, "--truth", &y]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(score["ari"].as_f64().unwrap(), 1.0);
        assert!(score["silhouette"].as_f64().unwrap() > 0.5);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_the_value_with_a_non_zero_exit() {
    // A bad command line is clap's error (with usage), exit code 2.
    let (code, _, err) = run(&["fit", "--k", "0"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("k = 0 is out of range: allowed 1 ..= 100000"),
        "{err}"
    );
    let (code, _, err) = run(&["fit", "--bogus", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument '--bogus'"), "{err}");
    // A value that only the data can refuse is a failure while running: one line, exit 1.
    let (code, _, err) = run(&["fit", "--n-samples", "3", "--k", "4"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("blobscale: error: k = 4 is out of range"),
        "{err}"
    );
    let (code, _, err) = run(&["fit", "--input", "/nonexistent.npy", "--k", "2"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent.npy"), "{err}");
    let (code, _, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
}

/// `pipeline` runs the page's nodes natively on consecutive data seeds: each run's model is
/// the one `fit` gives on the same data, and every computing node reports its time.
#[test]
fn pipeline_runs_the_page_nodes_and_fits_what_fit_fits() {
    let data = [
        "--n-samples",
        "20000",
        "--centers",
        "5",
        "--cluster-std",
        "2",
    ];
    let (code, p, err) = run(&[
        &["pipeline"][..],
        &data,
        &[
            "--data-seed",
            "7",
            "--repeat",
            "2",
            "--width",
            "64",
            "--height",
            "48",
        ],
    ]
    .concat());
    assert_eq!(code, 0, "{err}");
    let runs = p["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (r, seed) in runs.iter().zip(["7", "8"]) {
        assert_eq!(r["data_seed"].as_u64().unwrap().to_string(), seed);
        for node in ["generate", "seed", "fit", "metrics", "profile", "render"] {
            assert!(r["node_ms"][node].as_f64().unwrap() > 0.0, "{node}: {r}");
        }
        let (code, f, err) = run(&[&["fit"][..], &data, &["--data-seed", seed]].concat());
        assert_eq!(code, 0, "{err}");
        assert_eq!(r["inertia"], f["inertia"], "data seed {seed}");
        assert_eq!(r["n_iter"], f["n_iter"]);
    }
    let (code, _, err) = run(&[&["pipeline"][..], &data, &["--repeat", "0"]].concat());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("repeat = 0 is out of range"), "{err}");
}

/// The CLI reads files as the page does: refusals in the page's words, prefixed with the
/// path; a class column as ground truth gives the adjusted Rand index; dialects detected.
#[test]
fn files_are_refused_or_read_as_the_page_reads_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");
    let (code, _, err) = run(&[
        "fit",
        "--input",
        &format!("{dir}/header_only.csv"),
        "--k",
        "2",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.trim_end().ends_with(
            "header_only.csv: no data rows: the file holds a header (height, income, score) and nothing below it"
        ),
        "{err}"
    );
    let (code, _, err) = run(&["fit", "--input", &format!("{dir}/binary.csv"), "--k", "2"]);
    assert_eq!(code, 1);
    assert!(err.contains("binary.csv: not a text file"), "{err}");
    let iris = format!("{dir}/iris.csv");
    let (code, out, err) = run(&["fit", "--input", &iris, "--truth-column", "5", "--k", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out["ari"].as_f64().is_some_and(|a| a > 0.5), "{out}");
    let (code, out, err) = run(&["fit", "--input", &iris, "--k", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out["ari"].is_null(), "{out}");
    let (code, out, err) = run(&[
        "fit",
        "--input",
        &format!("{dir}/decimal_comma.csv"),
        "--k",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["data"]["import"]["rows"], 40, "{out}");
    let (code, _, err) = run(&[
        "fit",
        "--input",
        &iris,
        "--decimal",
        "comma",
        "--thousands",
        "comma",
        "--k",
        "2",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("thousands = comma is out of range"), "{err}");
}

/// `fit --fit-sample`: faiss's 256 rows per centre (or a count), the sample's fit reported
/// beside the fit of every row; sizes out of range are refused by name.
#[test]
fn fit_on_a_sample_reports_the_sample_and_refuses_bad_sizes() {
    let data = [
        "--n-samples",
        "20000",
        "--n-features",
        "4",
        "--centers",
        "5",
        "--center-box",
        "-30,30",
        "--threads",
        "2",
    ];
    let fit = |extra: &[&str]| {
        let mut args = vec!["fit"];
        args.extend_from_slice(&data);
        args.extend_from_slice(extra);
        run(&args)
    };
    let (code, faiss, err) = fit(&["--fit-sample", "faiss"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(faiss["sample"]["rows"], 1280);
    assert_eq!(faiss["sample"]["refine_passes"], 1);
    assert!(faiss["sample"]["n_iter"].as_u64().unwrap() >= 1);
    assert_eq!(faiss["ari"].as_f64().unwrap(), 1.0);
    let (code, full, err) = fit(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(full["sample"].is_null());
    assert!(faiss["inertia"].as_f64().unwrap() <= full["inertia"].as_f64().unwrap() * 1.001);
    let (code, rows, err) = fit(&["--fit-sample", "600", "--refine-passes", "3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows["sample"]["rows"], 600);
    assert_eq!(rows["sample"]["refine_passes"], 3);
    let (code, _, err) = fit(&["--fit-sample", "fast"]);
    assert_eq!(code, 2);
    assert!(err.contains("fast") && err.contains("faiss"), "{err}");
    let (code, _, err) = fit(&["--fit-sample", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("fit_sample = 0 is out of range"), "{err}");
    let (code, _, err) = fit(&["--fit-sample", "3"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("fit_sample = 3") && err.contains("k = 5"),
        "{err}"
    );
    let (code, _, err) = fit(&["--fit-sample", "faiss", "--refine-passes", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("refine-passes = 0 is out of range"), "{err}");
    let (code, _, err) = fit(&["--refine-passes", "2"]);
    assert_eq!(code, 2);
    assert!(err.contains("--fit-sample"), "{err}");
}
