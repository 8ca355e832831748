//! A seeded sample of rows drawn without replacement (dask-ml's "fit on a sample", faiss's
//! training subsample), shared by the pipeline's `sample` task and the core's
//! [`fit_on_sample`](crate::cluster::ValidKMeansParams::fit_on_sample), so that the page
//! and the CLI train on the same rows for the same seed and size.

use super::keyed_stream::{Purpose, stream_key};
use super::permutation::Permutation;
use super::{ChunkedMatrix, DataError};

/// Stream index of the fit sample under [`Purpose::Sample`]; index 0 is the silhouette's.
pub const FIT_SAMPLE_STREAM: u64 = 1;

/// `min(m, n)` rows of `x` drawn without replacement by the keyed permutation
/// `(seed, Sample, FIT_SAMPLE_STREAM)`, kept in dataset order for locality, with the
/// indices they came from. Chunks keep `x`'s chunk size.
pub fn sample_rows(
    x: &ChunkedMatrix,
    m: usize,
    seed: u64,
) -> Result<(ChunkedMatrix, Vec<usize>), DataError> {
    let n = x.n_rows();
    let m = m.min(n);
    let perm = Permutation::new(
        n as u64,
        stream_key(seed, Purpose::Sample, FIT_SAMPLE_STREAM),
    );
    let mut rows: Vec<usize> = (0..m).map(|i| perm.apply(i as u64) as usize).collect();
    rows.sort_unstable();
    let d = x.n_cols();
    let sample = ChunkedMatrix::par_build(m, d, x.chunk_rows(), |_, start, out| {
        for (r, row) in out.chunks_mut(d).enumerate() {
            row.copy_from_slice(x.row(rows[start + r]));
        }
    })?;
    Ok((sample, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize, d: usize) -> ChunkedMatrix {
        let v: Vec<f32> = (0..n * d).map(|i| i as f32).collect();
        ChunkedMatrix::from_vec(v, n, d, 7).unwrap()
    }

    #[test]
    fn draws_distinct_rows_in_order_and_copies_them_whole() {
        let x = numbered(1_000, 3);
        let (s, rows) = sample_rows(&x, 100, 9).unwrap();
        assert_eq!((s.n_rows(), s.n_cols(), s.chunk_rows()), (100, 3, 7));
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "distinct, in order");
        for (i, &r) in rows.iter().enumerate() {
            assert_eq!(s.row(i), x.row(r));
        }
        // Another seed, another sample; the same seed, the same one.
        assert_ne!(sample_rows(&x, 100, 10).unwrap().1, rows);
        assert_eq!(sample_rows(&x, 100, 9).unwrap().1, rows);
    }

    #[test]
    fn a_sample_as_large_as_the_data_is_all_of_it() {
        let x = numbered(50, 2);
        let (s, rows) = sample_rows(&x, 80, 1).unwrap();
        assert_eq!(rows, (0..50).collect::<Vec<_>>());
        assert_eq!(s.as_slice(), x.as_slice());
    }
}
