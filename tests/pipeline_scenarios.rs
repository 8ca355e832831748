//! Scenarios as text and side by side: JSON and URL round trips, clear errors for unknown
//! versions and malformed input, a parser that never panics, and comparison of evaluated
//! scenarios.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;

use blobscale::cluster::{Algorithm, Init, ParallelInit};
use blobscale::data::{Centers, ClusterStd};
use blobscale::pipeline::jobs::clock::NoClock;
use blobscale::pipeline::scenarios::codec::{
    book_from_json, book_to_json, scenario_from_url, scenario_to_url,
};
use blobscale::pipeline::scenarios::compare::compare;
use blobscale::pipeline::scenarios::scenario::{ScenarioBook, ScenarioError};
use blobscale::pipeline::{Engine, Plan, ScenarioInputs, pipeline_graph};

fn unusual() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 123_457,
        n_features: 5,
        centers: Centers::Points(vec![
            vec![0.1, -2.5, 3.0, 1e-9, 7.0],
            vec![1.0 / 3.0, 2.0, -3.0, 4.0, -1e300],
        ]),
        cluster_std: ClusterStd::PerCenter(vec![0.5, 2.25]),
        center_box: (-3.5, 2.25),
        shuffle: false,
        data_seed: u64::MAX,
        chunk_rows: 777,
        k: 9,
        init: Init::KMeansParallel(ParallelInit::dask_ml()),
        max_iter: 42,
        tol: 1e-7,
        algorithm: Algorithm::Hamerly,
        kmeans_seed: 31,
        fit_sample: Some(10_000),
        silhouette_sample: 0,
        width: 1024,
        height: 3,
        feature_x: 4,
        feature_y: 2,
        projection: blobscale::pipeline::render::projection::Projection::Pca,
        view: Some(blobscale::pipeline::render::raster::ViewWindow {
            x: (-1.0 / 3.0, 2.5),
            y: (1e-3, 7.0),
        }),
        replay_step: Some(4),
        source: blobscale::pipeline::graph::imported::DataSource::Blobs,
    }
}

#[test]
fn a_book_round_trips_through_versioned_json() {
    let mut book = ScenarioBook::new();
    let a = book.create("baseline", ScenarioInputs::default()).unwrap();
    book.create("unusual ✓ «quoted»", unusual()).unwrap();
    book.duplicate(a).unwrap();
    let text = book_to_json(&book);
    assert!(text.contains("\"version\": 1"), "{text}");
    assert_eq!(book_from_json(&text).unwrap(), book);
}

#[test]
fn a_scenario_round_trips_through_a_url_string() {
    for (name, inputs) in [
        ("defaults", ScenarioInputs::default()),
        ("unusual ✓", unusual()),
        (
            "k only",
            ScenarioInputs {
                k: 8,
                ..ScenarioInputs::default()
            },
        ),
    ] {
        let s = scenario_to_url(name, &inputs);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{s}"
        );
        assert_eq!(scenario_from_url(&s).unwrap(), (name.to_owned(), inputs));
    }
    let short = scenario_to_url(
        "k",
        &ScenarioInputs {
            k: 8,
            ..ScenarioInputs::default()
        },
    );
    assert!(short.len() < 40, "only differences are encoded: {short}");
}

#[test]
fn unknown_versions_and_malformed_text_are_clear_errors() {
    let ok = scenario_to_url("x", &ScenarioInputs::default());
    let newer = ok.replacen("1.", "2.", 1);
    assert_eq!(
        scenario_from_url(&newer).unwrap_err(),
        ScenarioError::UnsupportedVersion {
            found: 2,
            supported: 1
        }
    );
    let err = |s: &str| scenario_from_url(s).unwrap_err().to_string();
    assert!(err("hello").contains("expected <version>.<base64url payload>"));
    assert!(err("x.abc").contains("bad version number"));
    assert!(err("1.***").contains("not base64url"));
    let enc = |json: &str| format!("1.{}", URL_SAFE_NO_PAD.encode(json));
    assert!(err(&enc("[1, 2]")).contains("not a JSON object"));
    assert!(err(&enc(r#"{"kk": 3}"#)).contains("unknown parameter \"kk\""));
    assert!(err(&enc(r#"{"k": "three"}"#)).starts_with("malformed scenario"));
    assert!(err(&enc(r#"{"name": 5}"#)).contains("name must be a string"));

    let book = book_to_json(&ScenarioBook::new());
    let future = book.replace("\"version\": 1", "\"version\": 7");
    assert_eq!(
        book_from_json(&future).unwrap_err(),
        ScenarioError::UnsupportedVersion {
            found: 7,
            supported: 1
        }
    );
    assert!(
        book_from_json("{}")
            .unwrap_err()
            .to_string()
            .contains("format")
    );
    assert!(book_from_json("[").is_err());
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic_the_parsers(s in ".{0,300}") {
        let _ = scenario_from_url(&s);
        let _ = book_from_json(&s);
        let _ = scenario_from_url(&format!("1.{s}"));
    }

    #[test]
    fn arbitrary_payloads_never_panic_the_url_parser(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = scenario_from_url(&format!("1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
    }

    #[test]
    fn arbitrary_inputs_round_trip(
        k in 1usize..1000,
        seed in any::<u64>(),
        tol in 0.0f64..1.0,
        n in 1usize..10_000_000,
        sample in proptest::option::of(1usize..1_000_000),
        name in "[^\\x00]{1,40}",
    ) {
        let inputs = ScenarioInputs { k, kmeans_seed: seed, tol, n_samples: n, fit_sample: sample, ..ScenarioInputs::default() };
        let (back_name, back) = scenario_from_url(&scenario_to_url(&name, &inputs)).unwrap();
        prop_assert_eq!(back_name, name);
        prop_assert_eq!(back, inputs);
    }
}

#[test]
fn evaluated_scenarios_compare_side_by_side() {
    let e = Engine::new(Arc::new(NoClock), 1 << 30);
    let mut book = ScenarioBook::new();
    let base = ScenarioInputs {
        n_samples: 5_000,
        chunk_rows: 1000,
        silhouette_sample: 300,
        width: 16,
        height: 16,
        ..ScenarioInputs::default()
    };
    let a = book.create("k = 3", base.clone()).unwrap();
    let b = book
        .create("k = 5", ScenarioInputs { k: 5, ..base })
        .unwrap();
    let evals: Vec<_> = [a, b]
        .iter()
        .map(|&id| {
            let plan = Plan::new(&book.get(id).unwrap().inputs).unwrap();
            e.evaluate_detached(&plan, &AtomicBool::new(false)).unwrap()
        })
        .collect();
    let (sa, sb) = (book.get(a).unwrap(), book.get(b).unwrap());
    let table = compare(&[
        (sa, Some(&evals[0].summary)),
        (sb, Some(&evals[1].summary)),
        (sa, None),
    ]);
    assert_eq!(table.names, ["k = 3", "k = 5", "k = 3"]);
    let params: Vec<&str> = table
        .parameters
        .iter()
        .filter(|r| r.differs)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(params, ["k"]);
    let inertia = table.results.iter().find(|r| r.name == "inertia").unwrap();
    assert!(inertia.differs);
    assert_eq!(inertia.values[0], evals[0].summary.metrics.inertia);
    assert!(inertia.values[2].is_null());
    // The comparison crosses to the page as JSON.
    assert!(serde_json::to_string(&table).is_ok());
}

#[test]
fn the_graph_is_data_the_page_can_draw() {
    let g = pipeline_graph();
    let json = serde_json::to_value(&g).unwrap();
    let ids: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    for edge in [
        ("k", "seed"),
        ("generate", "sample"),
        ("predict", "replay"),
        ("replay", "render"),
    ] {
        assert!(
            g.edges
                .iter()
                .any(|e| (e.from.as_str(), e.to.as_str()) == edge),
            "{edge:?}"
        );
    }
}
