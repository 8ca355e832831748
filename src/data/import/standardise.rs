//! Standardisation per column: z = (x − mean) / std with the population standard
//! deviation, scikit-learn's `StandardScaler` semantics — including its choice for a
//! constant column: centred (all zeros), not scaled, never an error. Sums run in `f64`
//! over fixed blocks of rows combined in order, so the result does not depend on the
//! matrix's chunking or the thread count.

use rayon::prelude::*;

/// Rows per block of the column sums (fixed, so results never depend on the chunking).
const BLOCK_ROWS: usize = 4096;

/// Standardises the `d` columns of the row-major `values` in place; returns the columns
/// that were constant (left centred at 0).
pub fn standardise(values: &mut [f32], d: usize) -> Vec<usize> {
    if d == 0 || values.is_empty() {
        return Vec::new();
    }
    let n = (values.len() / d) as f64;
    let sums = |f: &(dyn Fn(usize, f32) -> f64 + Sync)| -> Vec<f64> {
        let blocks: Vec<Vec<f64>> = values
            .par_chunks(BLOCK_ROWS * d)
            .map(|block| {
                let mut s = vec![0.0f64; d];
                for row in block.chunks_exact(d) {
                    for (j, &v) in row.iter().enumerate() {
                        s[j] += f(j, v);
                    }
                }
                s
            })
            .collect();
        let mut total = vec![0.0f64; d];
        for b in blocks {
            for (t, v) in total.iter_mut().zip(b) {
                *t += v;
            }
        }
        total
    };
    let mean: Vec<f64> = sums(&|_, v| v as f64).into_iter().map(|s| s / n).collect();
    let var: Vec<f64> = sums(&|j, v| (v as f64 - mean[j]).powi(2))
        .into_iter()
        .map(|s| s / n)
        .collect();
    let scale: Vec<f64> = var
        .iter()
        .map(|&v| if v > 0.0 { 1.0 / v.sqrt() } else { 1.0 })
        .collect();
    values.par_chunks_mut(BLOCK_ROWS * d).for_each(|block| {
        for row in block.chunks_exact_mut(d) {
            for (j, v) in row.iter_mut().enumerate() {
                *v = ((*v as f64 - mean[j]) * scale[j]) as f32;
            }
        }
    });
    (0..d).filter(|&j| var[j] <= 0.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_mean_zero_and_unit_variance() {
        let mut v = vec![1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0];
        let constant = standardise(&mut v, 2);
        assert_eq!(constant, vec![1]);
        let col0: Vec<f32> = v.iter().step_by(2).copied().collect();
        let mean: f32 = col0.iter().sum::<f32>() / 4.0;
        let var: f32 = col0.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / 4.0;
        assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "{col0:?}");
        assert!(v.iter().skip(1).step_by(2).all(|&x| x == 0.0));
    }
}
