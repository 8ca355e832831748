//! Oracle tests against scikit-learn (fixtures from `scripts/make_fixtures.py`): from the
//! same initial centres, `KMeans(algorithm="lloyd", n_init=1)` and blobscale give the same
//! labels, centres within 1e-5, the same `n_iter` and inertia, with and without sample
//! weights, through an empty-cluster relocation and a `max_iter` stop; the metrics equal
//! `sklearn.metrics` on the same labels.

use blobscale::cluster::metrics::{
    adjusted_rand_index, calinski_harabasz, davies_bouldin, silhouette_score,
};
use blobscale::cluster::{Algorithm, Init, KMeansParams};
use blobscale::data::ChunkedMatrix;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixtures {
    scikit_learn: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    x: Vec<Vec<f64>>,
    weights: Option<Vec<f64>>,
    truth: Vec<u32>,
    k: usize,
    init: Vec<Vec<f64>>,
    tol: f64,
    max_iter: usize,
    labels: Vec<u32>,
    centres: Vec<Vec<f64>>,
    inertia: f64,
    n_iter: usize,
    metrics: Metrics,
}

#[derive(Deserialize)]
struct Metrics {
    ari: f64,
    silhouette: Option<f64>,
    calinski_harabasz: Option<f64>,
    davies_bouldin: Option<f64>,
}

fn fixtures() -> Fixtures {
    let text = include_str!("fixtures/sklearn_kmeans.json");
    serde_json::from_str(text).expect("fixture parses")
}

fn matrix(c: &Case, chunk_rows: usize) -> ChunkedMatrix {
    let d = c.x[0].len();
    let values: Vec<f32> = c.x.iter().flatten().map(|&v| v as f32).collect();
    ChunkedMatrix::from_vec(values, c.x.len(), d, chunk_rows).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn fits_match_scikit_learn_from_the_same_centres() {
    let f = fixtures();
    assert!(
        f.cases.len() >= 6,
        "fixtures from scikit-learn {}",
        f.scikit_learn
    );
    for c in &f.cases {
        for algorithm in [Algorithm::Lloyd, Algorithm::Hamerly] {
            let x = matrix(c, 64);
            let fit = KMeansParams::new(c.k)
                .init(Init::Centers(c.init.clone()))
                .tol(c.tol)
                .max_iter(c.max_iter)
                .algorithm(algorithm)
                .check()
                .unwrap()
                .fit(&x, c.weights.as_deref())
                .unwrap();
            let name = format!("{} ({algorithm:?})", c.name);
            assert_eq!(fit.labels, c.labels, "{name}: labels");
            assert_eq!(fit.n_iter, c.n_iter, "{name}: n_iter");
            for (row, want) in fit.centres.outer_iter().zip(&c.centres) {
                for (a, b) in row.iter().zip(want) {
                    assert!((a - b).abs() <= 1e-5, "{name}: centre {a} vs {b}");
                }
            }
            assert!(
                close(fit.inertia, c.inertia, 1e-9),
                "{name}: inertia {} vs {}",
                fit.inertia,
                c.inertia
            );
        }
    }
}

#[test]
fn metrics_match_scikit_learn_on_the_same_labels() {
    for c in &fixtures().cases {
        let x = matrix(c, 50);
        let ari = adjusted_rand_index(&c.truth, &c.labels).unwrap();
        assert!(
            close(ari, c.metrics.ari, 1e-12),
            "{}: ARI {ari} vs {}",
            c.name,
            c.metrics.ari
        );
        if let Some(want) = c.metrics.silhouette {
            let got = silhouette_score(&x, &c.labels, None, 0).unwrap();
            assert!(
                close(got, want, 1e-9),
                "{}: silhouette {got} vs {want}",
                c.name
            );
        }
        if let Some(want) = c.metrics.calinski_harabasz {
            let got = calinski_harabasz(&x, &c.labels).unwrap();
            assert!(close(got, want, 1e-9), "{}: CH {got} vs {want}", c.name);
        }
        if let Some(want) = c.metrics.davies_bouldin {
            let got = davies_bouldin(&x, &c.labels).unwrap();
            assert!(close(got, want, 1e-9), "{}: DB {got} vs {want}", c.name);
        }
    }
}
