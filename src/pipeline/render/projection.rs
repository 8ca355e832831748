//! How rows of d features are put on the plane of the canvas: two chosen features, or the
//! first two principal components (PCA).
//!
//! PCA follows scikit-learn's `PCA` (<https://scikit-learn.org/stable/modules/generated/sklearn.decomposition.PCA.html>):
//! rows are centred on the mean, the components are the eigenvectors of the sample
//! covariance (denominator n − 1) with the two largest eigenvalues, `explained_variance_ratio_`
//! is each eigenvalue over their sum, and signs follow `svd_flip(..., u_based_decision=False)`:
//! each component's loading of largest magnitude is positive. The covariance is one
//! chunk-parallel `f64` pass whose per-chunk partial sums are added in chunk order, so the
//! result is the same bits for any thread count; the d × d eigenproblem is solved by
//! cyclic Jacobi rotations (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5), exact
//! enough and dependency-free for the few hundred features the page offers.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::ChunkedMatrix;
use crate::limits::LimitError;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::error::PipelineError;

/// Most features PCA is offered for: Jacobi costs O(d³) per sweep and the covariance pass
/// O(n·d²), which stays interactive up to here.
pub const MAX_PCA_FEATURES: usize = 256;

/// Chunks whose partial sums are held at once: bounds memory (d² doubles each) while
/// leaving enough parallel work, and keeps the chunk-order combination.
const CHUNKS_PER_BATCH: usize = 64;

/// Which plane the canvas shows (the `projection` input).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    /// Two features, `feature_x` and `feature_y`.
    #[default]
    Features,
    /// The first two principal components.
    Pca,
}

impl Projection {
    /// Refuses a projection the dataset cannot have, naming the value and the range.
    pub fn check(self, n_features: usize) -> Result<(), PipelineError> {
        match self {
            Projection::Pca if !(2..=MAX_PCA_FEATURES).contains(&n_features) => {
                Err(PipelineError::Limit(LimitError::out_of_range(
                    "n_features (for the PCA projection)",
                    n_features,
                    format!("2 ..= {MAX_PCA_FEATURES}"),
                )))
            }
            _ => Ok(()),
        }
    }
}

/// A fitted two-component PCA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// Per-feature mean (the rows are centred on it).
    pub mean: Vec<f64>,
    /// The two unit components, each d loadings.
    pub components: [Vec<f64>; 2],
    /// Their eigenvalues: the variance along each (denominator n − 1).
    pub explained_variance: [f64; 2],
    /// Each eigenvalue over the total variance.
    pub explained_variance_ratio: [f64; 2],
}

/// The plane the canvas shows, as a linear map from a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axes {
    /// Feature `x` across, feature `y` up.
    Features {
        /// Feature shown horizontally.
        x: usize,
        /// Feature shown vertically.
        y: usize,
    },
    /// The first principal component across, the second up.
    Pca(Pca),
}

impl Axes {
    /// The point of a row of `f32` values on the plane.
    #[inline]
    pub fn point(&self, row: &[f32]) -> (f64, f64) {
        match self {
            Axes::Features { x, y } => (row[*x] as f64, row[*y] as f64),
            Axes::Pca(p) => p.point(row.iter().map(|&v| v as f64)),
        }
    }

    /// The point of a row of `f64` values (a centre) on the plane.
    pub fn point_f64(&self, row: &[f64]) -> (f64, f64) {
        match self {
            Axes::Features { x, y } => (row[*x], row[*y]),
            Axes::Pca(p) => p.point(row.iter().copied()),
        }
    }

    /// Axis titles: "feature 3", or "PC1 (62 %)" with the explained variance.
    pub fn labels(&self) -> [String; 2] {
        match self {
            Axes::Features { x, y } => [format!("feature {x}"), format!("feature {y}")],
            Axes::Pca(p) => {
                let r = p.explained_variance_ratio;
                [
                    format!("PC1 ({} %)", percent(r[0])),
                    format!("PC2 ({} %)", percent(r[1])),
                ]
            }
        }
    }
}

fn percent(ratio: f64) -> String {
    let p = 100.0 * ratio;
    if p >= 9.95 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

impl Pca {
    /// Coordinates of one row, centred.
    #[inline]
    fn point(&self, row: impl Iterator<Item = f64>) -> (f64, f64) {
        let (mut u, mut v) = (0.0, 0.0);
        for ((x, m), (a, b)) in row
            .zip(&self.mean)
            .zip(self.components[0].iter().zip(&self.components[1]))
        {
            let c = x - m;
            u += c * a;
            v += c * b;
        }
        (u, v)
    }
}

/// The axes `projection` asks for: no data pass for features, a PCA fit otherwise.
pub fn axes(
    projection: Projection,
    feature_x: usize,
    feature_y: usize,
    x: &ChunkedMatrix,
    monitor: &dyn Monitor,
) -> Result<Axes, PipelineError> {
    match projection {
        Projection::Features => Ok(Axes::Features {
            x: feature_x,
            y: feature_y,
        }),
        Projection::Pca => Ok(Axes::Pca(pca(x, monitor)?)),
    }
}

/// Fits a two-component PCA to every row of `x`.
pub fn pca(x: &ChunkedMatrix, monitor: &dyn Monitor) -> Result<Pca, PipelineError> {
    let d = x.n_cols();
    Projection::Pca.check(d)?;
    if x.n_rows() < 2 {
        return Err(PipelineError::Limit(LimitError::out_of_range(
            "n_samples (for the PCA projection)",
            x.n_rows(),
            format!("2 ..= {}", usize::MAX),
        )));
    }
    let (mean, cov) = covariance(x, monitor)?;
    let (values, vectors) = symmetric_eigen(cov, d);
    let mut order: Vec<usize> = (0..d).collect();
    // Stable sort: equal eigenvalues keep index order, so ties are deterministic.
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let component = |i: usize| {
        let mut c: Vec<f64> = (0..d).map(|r| vectors[r * d + order[i]]).collect();
        flip_sign(&mut c);
        c
    };
    let variance = |i: usize| values[order[i]].max(0.0);
    let ratio = |i: usize| {
        if total > 0.0 {
            variance(i) / total
        } else {
            0.0
        }
    };
    Ok(Pca {
        mean,
        components: [component(0), component(1)],
        explained_variance: [variance(0), variance(1)],
        explained_variance_ratio: [ratio(0), ratio(1)],
    })
}

/// scikit-learn's `svd_flip` with `u_based_decision=False`: the loading of largest
/// magnitude (the first, on ties) is made positive.
fn flip_sign(c: &mut [f64]) {
    let mut best = 0;
    for (i, v) in c.iter().enumerate() {
        if v.abs() > c[best].abs() {
            best = i;
        }
    }
    if c[best] < 0.0 {
        c.iter_mut().for_each(|v| *v = -*v);
    }
}

/// Per-feature mean and the d × d sample covariance (row-major, denominator n − 1).
///
/// Rows are shifted by the first row before summing, which leaves the covariance unchanged
/// and avoids the cancellation of raw second moments far from the origin.
pub fn covariance(
    x: &ChunkedMatrix,
    monitor: &dyn Monitor,
) -> Result<(Vec<f64>, Vec<f64>), PipelineError> {
    let (n, d) = (x.n_rows(), x.n_cols());
    let shift: Vec<f64> = x.row(0).iter().map(|&v| v as f64).collect();
    let tri = d * (d + 1) / 2;
    let mut sum = vec![0.0f64; d];
    let mut prod = vec![0.0f64; tri];
    let chunks: Vec<_> = x.chunks().collect();
    for batch in chunks.chunks(CHUNKS_PER_BATCH) {
        monitor.checkpoint()?;
        let partials: Vec<(Vec<f64>, Vec<f64>)> = batch
            .par_iter()
            .map(|c| {
                run_chunk(monitor, TaskKind::Render, c.index, || {
                    let mut s = vec![0.0f64; d];
                    let mut p = vec![0.0f64; tri];
                    let mut y = vec![0.0f64; d];
                    for r in 0..c.rows() {
                        for ((yj, &v), m) in y.iter_mut().zip(c.row(r)).zip(&shift) {
                            *yj = v as f64 - m;
                        }
                        let mut k = 0;
                        for i in 0..d {
                            s[i] += y[i];
                            let yi = y[i];
                            for &yj in &y[i..] {
                                p[k] += yi * yj;
                                k += 1;
                            }
                        }
                    }
                    (s, p)
                })
            })
            .collect();
        // Chunk order, whatever thread computed each partial.
        for (s, p) in partials {
            sum.iter_mut().zip(&s).for_each(|(a, b)| *a += b);
            prod.iter_mut().zip(&p).for_each(|(a, b)| *a += b);
        }
    }
    monitor.checkpoint()?;
    let nf = n as f64;
    let mean_shifted: Vec<f64> = sum.iter().map(|s| s / nf).collect();
    let mut cov = vec![0.0f64; d * d];
    let mut k = 0;
    for i in 0..d {
        for j in i..d {
            let c = (prod[k] - nf * mean_shifted[i] * mean_shifted[j]) / (nf - 1.0);
            cov[i * d + j] = c;
            cov[j * d + i] = c;
            k += 1;
        }
    }
    let mean = mean_shifted
        .iter()
        .zip(&shift)
        .map(|(a, b)| a + b)
        .collect();
    Ok((mean, cov))
}

/// Eigenvalues and eigenvectors (columns of the returned row-major d × d matrix) of the
/// symmetric matrix `a`, by cyclic Jacobi rotations until the off-diagonal is negligible.
pub fn symmetric_eigen(mut a: Vec<f64>, d: usize) -> (Vec<f64>, Vec<f64>) {
    assert_eq!(a.len(), d * d, "a must be d × d");
    let mut v = vec![0.0f64; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * d + j] * a[i * d + j])
            .sum::<f64>()
            .sqrt();
        if off <= f64::EPSILON * scale || off == 0.0 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (a[p * d + p], a[q * d + q]);
                // Rutishauser's stable rotation (Golub & Van Loan, Algorithm 8.5.1).
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let values = (0..d).map(|i| a[i * d + i]).collect();
    (values, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Unmonitored;

    fn matrix(rows: &[[f32; 2]], chunk: usize) -> ChunkedMatrix {
        let v: Vec<f32> = rows.iter().flatten().copied().collect();
        ChunkedMatrix::from_vec(v, rows.len(), 2, chunk).unwrap()
    }

    #[test]
    fn hand_computed_two_by_two() {
        // Rows (0,0), (2,0), (0,2), (2,2), (4,4): mean (1.6, 1.6).
        // Deviations: (-1.6,-1.6), (0.4,-1.6), (-1.6,0.4), (0.4,0.4), (2.4,2.4).
        // Σxx = 2.56+0.16+2.56+0.16+5.76 = 11.2, Σxy = 2.56−0.64−0.64+0.16+5.76 = 7.2;
        // /(n−1) = 4: C = [[2.8, 1.8], [1.8, 2.8]] → eigenvalues 4.6 and 1.0,
        // components (1,1)/√2 and (1,−1)/√2 (sign: first largest loading positive).
        let x = matrix(&[[0., 0.], [2., 0.], [0., 2.], [2., 2.], [4., 4.]], 2);
        let p = pca(&x, &Unmonitored).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(p.mean[0], 1.6) && close(p.mean[1], 1.6),
            "{:?}",
            p.mean
        );
        assert!(
            close(p.explained_variance[0], 4.6),
            "{:?}",
            p.explained_variance
        );
        assert!(close(p.explained_variance[1], 1.0));
        assert!(close(p.explained_variance_ratio[0], 4.6 / 5.6));
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!(close(p.components[0][0], h) && close(p.components[0][1], h));
        assert!(close(p.components[1][0], h) && close(p.components[1][1], -h));
        let axes = Axes::Pca(p);
        let (u, v) = axes.point(&[4.0, 4.0]);
        assert!(close(u, 2.4 * 2.0 * h) && close(v, 0.0), "{u} {v}");
        assert_eq!(axes.labels()[0], "PC1 (82 %)");
        assert_eq!(axes.labels()[1], "PC2 (18 %)");
    }

    #[test]
    fn jacobi_diagonalises_a_known_matrix() {
        // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 1, 3, 5.
        let (mut vals, vecs) = symmetric_eigen(vec![2., 1., 0., 1., 2., 0., 0., 0., 5.], 3);
        // A v = λ v for every column.
        let a = [[2., 1., 0.], [1., 2., 0.], [0., 0., 5.]];
        for (j, &l) in vals.iter().enumerate() {
            for (i, ai) in a.iter().enumerate() {
                let av: f64 = (0..3).map(|k| ai[k] * vecs[k * 3 + j]).sum();
                assert!((av - l * vecs[i * 3 + j]).abs() < 1e-12);
            }
        }
        vals.sort_by(f64::total_cmp);
        for (v, e) in vals.iter().zip([1.0, 3.0, 5.0]) {
            assert!((v - e).abs() < 1e-12, "{vals:?}");
        }
    }

    #[test]
    fn sign_convention_makes_the_largest_loading_positive() {
        let mut c = vec![0.3, -0.9, 0.1];
        flip_sign(&mut c);
        assert_eq!(c, vec![-0.3, 0.9, -0.1]);
    }

    #[test]
    fn pca_is_refused_for_one_feature_with_the_range() {
        let x = ChunkedMatrix::from_vec(vec![1.0, 2.0, 3.0], 3, 1, 2).unwrap();
        let e = pca(&x, &Unmonitored).unwrap_err();
        assert_eq!(
            e.to_string(),
            "n_features (for the PCA projection) = 1 is out of range: allowed 2 ..= 256"
        );
    }

    #[test]
    fn feature_axes_read_columns_and_name_them() {
        let a = Axes::Features { x: 2, y: 0 };
        assert_eq!(a.point(&[1.0, 2.0, 3.0]), (3.0, 1.0));
        assert_eq!(a.point_f64(&[1.0, 2.0, 3.0]), (3.0, 1.0));
        assert_eq!(
            a.labels(),
            ["feature 2".to_string(), "feature 0".to_string()]
        );
    }
}
