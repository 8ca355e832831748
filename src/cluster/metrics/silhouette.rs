//! Silhouette coefficient (Rousseeuw 1987), scikit-learn's `silhouette_score`: for each
//! row, `(b − a)/max(a, b)` with `a` its mean distance to the rest of its cluster and `b`
//! its smallest mean distance to another cluster; 0 for rows alone in their cluster.
//! It costs O(m²·d), so it is computed on a seeded sample of m rows, drawn by a keyed
//! permutation (`(seed, Sample, 0)`) as scikit-learn draws `permutation(n)[:m]`.

use rayon::prelude::*;

use super::super::error::ClusterError;
use super::{check_labels, check_number_of_labels, encode};
use crate::data::ChunkedMatrix;
use crate::data::Purpose;
use crate::data::keyed_stream::stream_key;
use crate::data::permutation::Permutation;
use crate::limits::LimitError;

/// The mean silhouette of `labels` on `x`, on all rows (`sample_size = None`) or on a
/// seeded sample of `sample_size` rows.
pub fn silhouette_score(
    x: &ChunkedMatrix,
    labels: &[u32],
    sample_size: Option<usize>,
    seed: u64,
) -> Result<f64, ClusterError> {
    check_labels(x, labels)?;
    let n = x.n_rows();
    let rows: Vec<usize> = match sample_size {
        None => (0..n).collect(),
        Some(m) => {
            if m < 2 || m > n {
                return Err(ClusterError::Limit(LimitError::out_of_range(
                    "sample_size",
                    m,
                    format!("2 ..= n_samples ({n})"),
                )));
            }
            let perm = Permutation::new(n as u64, stream_key(seed, Purpose::Sample, 0));
            (0..m).map(|i| perm.apply(i as u64) as usize).collect()
        }
    };
    let sub: Vec<u32> = rows.iter().map(|&i| labels[i]).collect();
    let (lab, sizes) = encode(&sub);
    let k = sizes.len();
    check_number_of_labels(k, rows.len())?;
    let d = x.n_cols();
    let m = rows.len();
    let (order, starts, cols) = grouped(x, &rows, &lab, &sizes);
    // Each pair of different clusters (a < b) is one job: one block of distances gives the
    // sums from a's rows to b (row sums) and from b's rows to a (column sums), so every
    // distance (and its square root) between two clusters is taken once instead of twice
    // (about 44 % less work for k = 8). Both sums add in the order of [`sum8`] (eight lanes
    // by position in the summed cluster, ascending within a lane), so the score has the
    // same bits as a row-by-row pass, for any thread count. Row sums alone can be split
    // by rows, so a cluster's distances to itself are jobs of `SPLIT_ROWS` rows, and so is a
    // pair too large for one job (one large cluster, or k = 2 on many threads): it is
    // then taken from both ends, by rows, as the row-by-row pass did.
    const SPLIT_ROWS: usize = 128;
    // In u64: m² overflows a 32-bit usize (wasm) for samples above 65,536 rows.
    let threads = rayon::current_num_threads() as u64;
    let size = |l: usize| (starts[l + 1] - starts[l]) as u64;
    let by_rows = |a: usize, b: usize| {
        let end = starts[a + 1];
        (starts[a]..end)
            .step_by(SPLIT_ROWS)
            .map(move |r| (a, b, r..(r + SPLIT_ROWS).min(end), false))
    };
    let mut jobs: Vec<(usize, usize, std::ops::Range<usize>, bool)> = Vec::new();
    for a in 0..k {
        jobs.extend(by_rows(a, a));
        for b in a + 1..k {
            if size(a) * size(b) * threads > (m as u64) * (m as u64) / 2 {
                jobs.extend(by_rows(a, b).chain(by_rows(b, a)));
            } else {
                jobs.push((a, b, starts[a]..starts[a + 1], true));
            }
        }
    }
    let blocks: Vec<(Vec<f64>, Vec<f64>)> = jobs
        .par_iter()
        .map(|(_, b, rows, both)| {
            let cluster = starts[*b]..starts[b + 1];
            pair_sums(&cols, m, d, rows.clone(), cluster, *both)
        })
        .collect();
    // sums[p * k + l]: the distances from the row at sorted position p to cluster l's rows.
    let mut sums = vec![0.0f64; m * k];
    for ((a, b, rows, _), (rows_to_b, rows_of_b_to_a)) in jobs.iter().zip(&blocks) {
        for (p, &v) in rows.clone().zip(rows_to_b) {
            sums[p * k + b] = v;
        }
        for (q, &v) in (starts[*b]..).zip(rows_of_b_to_a) {
            sums[q * k + a] = v;
        }
    }
    let mut sil = vec![0.0f64; m];
    for (p, &i) in order.iter().enumerate() {
        let own = lab[i] as usize;
        if sizes[own] <= 1 {
            continue;
        }
        sil[i] = row_silhouette(&sums[p * k..(p + 1) * k], &sizes, own);
    }
    Ok(sil.iter().sum::<f64>() / sil.len() as f64)
}

/// One row's silhouette `(b − a) / max(a, b)` from its distance sums to each cluster:
/// `a` is the mean distance to the rest of its own cluster `own` (of more than one row),
/// `b` the smallest mean distance to another cluster (scikit-learn's `silhouette_samples`).
fn row_silhouette(sums: &[f64], sizes: &[u64], own: usize) -> f64 {
    let a = sums[own] / (sizes[own] - 1) as f64;
    let b = (0..sums.len())
        .filter(|&l| l != own)
        .map(|l| sums[l] / sizes[l] as f64)
        .fold(f64::INFINITY, f64::min);
    let mx = a.max(b);
    if mx > 0.0 { (b - a) / mx } else { 0.0 }
}

/// The sample (`rows` of `x`, labelled `lab` with cluster `sizes`) grouped by cluster
/// (stable, so each cluster keeps sample order) and stored by column: the sorted order, each
/// cluster's first sorted position (and the end), and the d × m coordinates. The distances
/// from one row to a cluster are then d vector passes over a contiguous range.
fn grouped(
    x: &ChunkedMatrix,
    rows: &[usize],
    lab: &[u32],
    sizes: &[u64],
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let (m, k, d) = (rows.len(), sizes.len(), x.n_cols());
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&j| lab[j]);
    let mut starts = vec![0usize; k + 1];
    for l in 0..k {
        starts[l + 1] = starts[l] + sizes[l] as usize;
    }
    let mut cols = vec![0.0f64; d * m];
    for (p, &j) in order.iter().enumerate() {
        for (t, &v) in x.row(rows[j]).iter().enumerate() {
            cols[t * m + p] = v as f64;
        }
    }
    (order, starts, cols)
}

/// For rows at sorted positions `ra` and a cluster at `rb` of the column-major sample
/// `cols` (m rows, d columns): the summed distances from each row of `ra` to `rb`, and,
/// when `both` (`ra` is a whole other cluster), from each row of `rb` to `ra`.
fn pair_sums(
    cols: &[f64],
    m: usize,
    d: usize,
    ra: std::ops::Range<usize>,
    rb: std::ops::Range<usize>,
    both: bool,
) -> (Vec<f64>, Vec<f64>) {
    let nb = rb.len();
    let mut dist = vec![0.0f64; nb];
    let mut to_b = Vec::with_capacity(ra.len());
    // Lane l of row q of `rb`: its distances to the rows of `ra` whose position in `ra` is
    // l modulo 8, added in order.
    let mut lanes = vec![0.0f64; if both { 8 * nb } else { 0 }];
    for (at, p) in ra.clone().enumerate() {
        dist.fill(0.0);
        for t in 0..d {
            let xt = cols[t * m + p];
            for (s, &c) in dist.iter_mut().zip(&cols[t * m + rb.start..t * m + rb.end]) {
                let u = xt - c;
                *s += u * u;
            }
        }
        // One square root per distance, for both sums.
        for s in &mut dist {
            *s = s.sqrt();
        }
        to_b.push(sum8(&dist));
        if both {
            let lane = &mut lanes[(at % 8) * nb..(at % 8 + 1) * nb];
            for (acc, &s) in lane.iter_mut().zip(&dist) {
                *acc += s;
            }
        }
    }
    let to_a = if both {
        (0..nb)
            .map(|q| {
                let l = |i: usize| lanes[i * nb + q];
                ((l(0) + l(1)) + (l(2) + l(3))) + ((l(4) + l(5)) + (l(6) + l(7)))
            })
            .collect()
    } else {
        Vec::new()
    };
    (to_b, to_a)
}

/// `Σ v` with eight interleaved partial sums (a fixed order, so it vectorises and gives the
/// same bits on every target and thread count).
fn sum8(v: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let mut it = v.chunks_exact(8);
    for c in &mut it {
        for l in 0..8 {
            acc[l] += c[l];
        }
    }
    for (l, &r) in it.remainder().iter().enumerate() {
        acc[l] += r;
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `Σ √v` in the eight lanes the row-by-row pass used.
    fn sum_sqrt(v: &[f64]) -> f64 {
        let mut acc = [0.0f64; 8];
        let mut it = v.chunks_exact(8);
        for c in &mut it {
            for l in 0..8 {
                acc[l] += c[l].sqrt();
            }
        }
        for (l, &r) in it.remainder().iter().enumerate() {
            acc[l] += r.sqrt();
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    }

    /// The row-by-row pass the pair blocks replace: every distance taken from both ends.
    fn row_by_row(x: &ChunkedMatrix, labels: &[u32]) -> f64 {
        let (lab, sizes) = encode(labels);
        let (m, k) = (x.n_rows(), sizes.len());
        let all: Vec<usize> = (0..m).collect();
        let (_, starts, cols) = grouped(x, &all, &lab, &sizes);
        let sil: Vec<f64> = (0..m)
            .map(|i| {
                let own = lab[i] as usize;
                if sizes[own] <= 1 {
                    return 0.0;
                }
                let mut dist = vec![0.0f64; m];
                for (t, &v) in x.row(i).iter().enumerate() {
                    for (s, &c) in dist.iter_mut().zip(&cols[t * m..(t + 1) * m]) {
                        let u = v as f64 - c;
                        *s += u * u;
                    }
                }
                let sums: Vec<f64> = (0..k)
                    .map(|l| sum_sqrt(&dist[starts[l]..starts[l + 1]]))
                    .collect();
                row_silhouette(&sums, &sizes, own)
            })
            .collect();
        sil.iter().sum::<f64>() / sil.len() as f64
    }

    proptest! {
        #[test]
        fn pair_blocks_give_the_bits_of_the_row_by_row_pass(
            rows in prop::collection::vec((-50i32..50, -50i32..50, -50i32..50, 0u32..6), 2..400),
            d in 1usize..4,
            chunk in 1usize..40,
            clusters in 2u32..7,
        ) {
            // Few clusters make some larger than a job of `SPLIT_ROWS`, and pairs large
            // enough to be taken by rows.
            let labels: Vec<u32> = rows.iter().map(|r| r.3 % clusters).collect();
            let distinct = labels.iter().collect::<std::collections::BTreeSet<_>>().len();
            prop_assume!(distinct >= 2 && distinct < labels.len());
            let values: Vec<f32> = rows
                .iter()
                .flat_map(|r| [r.0 as f32 * 0.37, r.1 as f32 * 1.9, r.2 as f32 * 0.05])
                .enumerate()
                .filter(|(i, _)| i % 3 < d)
                .map(|(_, v)| v)
                .collect();
            let x = ChunkedMatrix::from_vec(values, rows.len(), d, chunk).unwrap();
            let want = row_by_row(&x, &labels).to_bits();
            // Eight threads take large pairs by rows (two never do): both give the bits.
            for threads in [2, 8] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let got = pool.install(|| silhouette_score(&x, &labels, None, 0).unwrap());
                prop_assert_eq!(got.to_bits(), want);
            }
        }
    }
}
