//! Property tests: the kernel's labels equal a naive exact argmin on random data, and a
//! whole fit equals a naive Lloyd written from scikit-learn's description.

use blobscale::cluster::kernels::general::CentreSet;
use blobscale::cluster::{Algorithm, Init, KMeansParams};
use blobscale::data::ChunkedMatrix;
use proptest::prelude::*;

/// Lowest-index argmin of the squared distance summed left to right in `f64`.
fn naive_label(x: &[f32], centres: &[f64], d: usize) -> u32 {
    let mut best = (0u32, f64::INFINITY);
    for (c, cr) in centres.chunks(d).enumerate() {
        let dist: f64 = x
            .iter()
            .zip(cr)
            .map(|(&a, &b)| (a as f64 - b).powi(2))
            .sum();
        if dist < best.1 {
            best = (c as u32, dist);
        }
    }
    best.0
}

fn matrix(n: usize, d: usize) -> impl Strategy<Value = Vec<f32>> {
    prop::collection::vec(-100.0f32..100.0, n * d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn kernel_labels_equal_naive_argmin(
        (d, x, c) in (1usize..40, 1usize..30).prop_flat_map(|(d, k)| {
            (Just(d), matrix(37, d), prop::collection::vec(-100.0f64..100.0, k * d))
        }),
        offset in -1e4f32..1e4,
    ) {
        // Shifted data make the f32 ranking lose digits, exercising the exact fallback.
        let x: Vec<f32> = x.iter().map(|v| v + offset).collect();
        let c: Vec<f64> = c.iter().map(|v| v + offset as f64).collect();
        let cs = CentreSet::new(c.clone(), d);
        let mut scratch = cs.scratch();
        for want_dist in [false, true] {
            cs.for_each_nearest(want_dist, &x, &mut scratch, |r, label, _, _| {
                let row = &x[r * d..(r + 1) * d];
                assert_eq!(label, naive_label(row, &c, d), "row {r}");
            });
        }
    }

    #[test]
    fn fit_equals_naive_lloyd(
        (d, k, x) in (1usize..6, 1usize..6).prop_flat_map(|(d, k)| (Just(d), Just(k), matrix(100, d))),
        hamerly in any::<bool>(),
        // Chunks of 8 rows take the general path only; 48 and 100 also the fused block
        // scans of few features (full 16-row blocks) with a general tail.
        chunk_rows in prop_oneof![Just(8usize), Just(48), Just(100)],
        offset in prop_oneof![Just(0.0f32), -3e3f32..3e3],
    ) {
        let n = 100;
        // Shifted data make the f32 ranking lose digits, exercising the exact fallback.
        let x: Vec<f32> = x.iter().map(|v| v + offset).collect();
        let init: Vec<Vec<f64>> = (0..k).map(|c| x[c * 7 * d..c * 7 * d + d].iter().map(|&v| v as f64).collect()).collect();
        let m = ChunkedMatrix::from_vec(x.clone(), n, d, chunk_rows).unwrap();
        let fit = KMeansParams::new(k)
            .init(Init::Centers(init.clone()))
            .tol(0.0)
            .max_iter(50)
            .algorithm(if hamerly { Algorithm::Hamerly } else { Algorithm::Lloyd })
            .check()
            .unwrap()
            .fit(&m, None)
            .unwrap();
        // Naive Lloyd: label, then mean of each cluster (empty clusters keep their centre
        // unless relocated; skip cases where relocation happens, tested elsewhere).
        let mut c: Vec<f64> = init.concat();
        let mut labels = vec![u32::MAX; n];
        for _ in 0..fit.n_iter {
            let new: Vec<u32> = (0..n).map(|i| naive_label(&x[i * d..(i + 1) * d], &c, d)).collect();
            let mut sums = vec![0.0f64; k * d];
            let mut counts = vec![0usize; k];
            for i in 0..n {
                let l = new[i] as usize;
                counts[l] += 1;
                for j in 0..d {
                    sums[l * d + j] += x[i * d + j] as f64;
                }
            }
            prop_assume!(counts.iter().all(|&n| n > 0));
            let stop = new == labels;
            labels = new;
            for l in 0..k {
                for j in 0..d {
                    c[l * d + j] = sums[l * d + j] / counts[l] as f64;
                }
            }
            if stop {
                break;
            }
        }
        let final_labels: Vec<u32> = (0..n).map(|i| naive_label(&x[i * d..(i + 1) * d], &c, d)).collect();
        prop_assert_eq!(&fit.labels, &final_labels);
        for (a, b) in fit.centres.iter().zip(&c) {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{} vs {}", a, b);
        }
    }
}
