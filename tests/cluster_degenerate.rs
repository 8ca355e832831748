//! Degenerate inputs: k > n, duplicate points, one point, a constant feature, empty
//! clusters, non-finite values and inconsistent shapes give a result or a clear error.

mod common;

use blobscale::cluster::metrics::{adjusted_rand_index, silhouette_score};
use blobscale::cluster::{ClusterError, Init, KMeansParams, predict};
use blobscale::data::ChunkedMatrix;
use common::every_init;
use ndarray::Array2;

fn m(values: Vec<f32>, d: usize) -> ChunkedMatrix {
    let n = values.len() / d;
    ChunkedMatrix::from_vec(values, n, d, 3).unwrap()
}

#[test]
fn k_larger_than_n_is_an_error_naming_both() {
    let x = m(vec![0.0, 1.0, 2.0], 1);
    let e = KMeansParams::new(4)
        .check()
        .unwrap()
        .fit(&x, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "k = 4 is out of range: allowed 1 ..= n_samples (3)"
    );
}

#[test]
fn one_point() {
    for init in every_init() {
        let x = m(vec![3.0, -2.0], 2);
        let fit = KMeansParams::new(1)
            .init(init)
            .check()
            .unwrap()
            .fit(&x, None)
            .unwrap();
        assert_eq!(fit.labels, vec![0]);
        assert_eq!(fit.centres.as_slice().unwrap(), &[3.0, -2.0]);
        assert_eq!(fit.inertia, 0.0);
    }
}

#[test]
fn duplicate_points_with_k_above_distinct_count() {
    // Three distinct values, k = 5: two clusters must end up empty or duplicated, and the
    // fit still labels every row with its nearest centre at zero inertia.
    let vals: Vec<f32> = (0..30).map(|i| (i % 3) as f32 * 10.0).collect();
    for init in every_init() {
        let x = m(vals.clone(), 1);
        let fit = KMeansParams::new(5)
            .init(init.clone())
            .check()
            .unwrap()
            .fit(&x, None)
            .unwrap();
        assert_eq!(fit.inertia, 0.0, "{init:?}");
        let truth: Vec<u32> = (0..30).map(|i| i % 3).collect();
        assert_eq!(
            adjusted_rand_index(&truth, &fit.labels.as_u32()).unwrap(),
            1.0
        );
        if let Init::KMeansParallel(_) = init {
            assert_eq!(fit.seeding.n_candidates, 3);
            assert_eq!(fit.seeding.padded, 2);
        }
    }
}

#[test]
fn constant_feature_and_zero_variance() {
    let x = m(vec![1.0, 5.0, 2.0, 5.0, 10.0, 5.0, 11.0, 5.0], 2);
    let fit = KMeansParams::new(2).check().unwrap().fit(&x, None).unwrap();
    let mut c: Vec<f64> = fit.centres.column(0).to_vec();
    c.sort_by(f64::total_cmp);
    assert_eq!(c, vec![1.5, 10.5]);
    assert!(fit.centres.column(1).iter().all(|&v| v == 5.0));
    let all_same = m(vec![7.0; 12], 3);
    let fit = KMeansParams::new(2)
        .check()
        .unwrap()
        .fit(&all_same, None)
        .unwrap();
    assert_eq!(fit.inertia, 0.0);
}

#[test]
fn empty_cluster_is_relocated_to_the_farthest_point() {
    // The third centre is far from everything and starts empty; scikit-learn moves it to
    // the point farthest from its centre (here 100).
    let x = m(vec![0.0, 1.0, 2.0, 3.0, 100.0], 1);
    let fit = KMeansParams::new(3)
        .init(Init::Centers(vec![vec![1.0], vec![2.0], vec![-1000.0]]))
        .check()
        .unwrap()
        .fit(&x, None)
        .unwrap();
    assert!(fit.relocated >= 1);
    assert!(
        fit.centres.column(0).iter().any(|&v| v == 100.0),
        "{:?}",
        fit.centres
    );
    assert_ne!(fit.labels.get(4), fit.labels.get(0));
    assert_eq!(fit.cluster_sizes().iter().filter(|&&s| s == 0).count(), 0);
}

#[test]
fn non_finite_values_are_errors_with_position() {
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let x = m(vec![0.0, 1.0, 2.0, bad, 4.0, 5.0], 2);
        let e = KMeansParams::new(2)
            .check()
            .unwrap()
            .fit(&x, None)
            .unwrap_err();
        assert!(matches!(e, ClusterError::Data(_)));
        assert!(e.to_string().contains("row 1, column 1"), "{e}");
    }
    let x = m(vec![0.0, 1.0], 1);
    let c = Array2::from_shape_vec((1, 1), vec![f64::NAN]).unwrap();
    assert!(predict(&x, c.view(), None).is_err());
}

#[test]
fn shape_mismatches_are_errors() {
    let x = m(vec![0.0, 1.0, 2.0, 3.0], 2);
    let e = KMeansParams::new(1)
        .init(Init::Centers(vec![vec![0.0, 1.0, 2.0]]))
        .check()
        .unwrap()
        .fit(&x, None)
        .unwrap_err();
    assert!(e.to_string().contains("expected 2, got 3"), "{e}");
    let c = Array2::<f64>::zeros((2, 3));
    assert!(predict(&x, c.view(), None).is_err());
    let e = KMeansParams::new(1)
        .check()
        .unwrap()
        .fit(&x, Some(&[1.0]))
        .unwrap_err();
    assert!(e.to_string().contains("sample_weight"), "{e}");
    let e = silhouette_score(&x, &[0, 0], None, 0).unwrap_err();
    assert!(e.to_string().contains("number of labels = 1"), "{e}");
}

#[test]
fn weights_act_like_repeated_rows() {
    let x = m(vec![0.0, 1.0, 10.0, 11.0, 12.0], 1);
    let w = [3.0, 1.0, 1.0, 1.0, 2.0];
    let rep = m(vec![0.0, 0.0, 0.0, 1.0, 10.0, 11.0, 12.0, 12.0], 1);
    let p = KMeansParams::new(2).init(Init::Centers(vec![vec![0.0], vec![12.0]]));
    let a = p.check().unwrap().fit(&x, Some(&w)).unwrap();
    let b = p.check().unwrap().fit(&rep, None).unwrap();
    assert_eq!(a.centres, b.centres);
    assert!((a.inertia - b.inertia).abs() < 1e-9);
}
