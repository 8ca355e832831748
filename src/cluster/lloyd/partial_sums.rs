//! Per-chunk partial sums of one assignment pass (the M-step's inputs), kept as exact
//! fixed-point integers (see [`fixed_sum`](crate::cluster::lloyd::fixed_sum)) so that merging them in any
//! grouping gives the same bits.
//!
//! Coordinates, weight and squared norm of a row are the hot path: each is rounded to a
//! 45-bit fixed-point value held in an `f64`, so the rounding and the accumulation are
//! plain `f64` operations (no integer conversion per row); after 2⁸ additions a cluster's
//! `f64` sums (still exact integers, below 2⁵³) move into `i128` totals. The cost (one
//! term per row, the reported inertia) goes straight to `i128` with 61-bit precision.
//!
//! Sums are exact, so adding and removing single rows (a Lloyd iteration after the first
//! only moves the rows whose label changed) gives the same bits as summing afresh.

use crate::cluster::lloyd::fixed_sum::FixedScale;
use crate::cluster::summary::Summary;

/// Additions to one cluster's `f64` accumulators before they move to the totals.
const FLUSH_EVERY: u32 = 1 << 8;

/// The fixed-point scales of one dataset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scales {
    /// For `w·x` (narrow: see [`FixedScale::narrow`]).
    pub coord: FixedScale,
    /// For `w` (narrow).
    pub weight: FixedScale,
    /// For `w·‖x − c‖²`.
    pub dist: FixedScale,
    /// For `w·‖x‖²` (narrow).
    pub norm: FixedScale,
    /// A weight of 1 in fixed point.
    pub unit_weight: f64,
}

impl Scales {
    /// The scales for a summarised dataset.
    pub fn new(s: &Summary) -> Self {
        let weight = FixedScale::narrow(s.max_weight);
        Self {
            coord: FixedScale::narrow(s.max_weight * s.max_abs),
            weight,
            dist: s.dist_scale(),
            norm: FixedScale::narrow(s.max_weight * s.d as f64 * s.max_abs * s.max_abs),
            unit_weight: weight.round_f64(1.0),
        }
    }
}

/// Weighted coordinate sums, weight per cluster, cost and label changes of some rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialSums {
    d: usize,
    /// Pending sums per cluster, exact integers in `f64`: `d` coordinates, then the weight,
    /// then the squared norm (stride `d + 2`).
    acc: Vec<f64>,
    /// Additions pending per cluster.
    pending: Vec<u32>,
    /// `Σ w·x` per cluster and feature, `k × d` (after [`PartialSums::flush`]).
    pub sums: Vec<i128>,
    /// `Σ w` per cluster (after [`PartialSums::flush`]).
    pub weights: Vec<i128>,
    /// `Σ w·‖x‖²` per cluster (norm scale), for the cost identity
    /// `Σ w‖x − c‖² = Σ w‖x‖² − 2 c·Σ wx + ‖c‖² Σ w`.
    pub norms: Vec<i128>,
    /// `Σ w·‖x − c_label‖²` (passes that compute exact distances only).
    pub cost: i128,
    /// Rows whose label changed.
    pub changed: u64,
}

impl PartialSums {
    /// Zero sums for `k` clusters of `d` features.
    pub fn new(k: usize, d: usize) -> Self {
        Self {
            d,
            acc: vec![0.0; k * (d + 2)],
            pending: vec![0; k],
            sums: vec![0; k * d],
            weights: vec![0; k],
            norms: vec![0; k],
            cost: 0,
            changed: 0,
        }
    }

    /// Moves cluster `l`'s pending sums into the totals.
    #[inline(never)]
    fn flush_cluster(&mut self, l: usize) {
        let d = self.d;
        let acc = &mut self.acc[l * (d + 2)..(l + 1) * (d + 2)];
        for (s, a) in self.sums[l * d..(l + 1) * d].iter_mut().zip(&acc[..d]) {
            *s += *a as i128;
        }
        self.weights[l] += acc[d] as i128;
        self.norms[l] += acc[d + 1] as i128;
        acc.fill(0.0);
        self.pending[l] = 0;
    }

    /// Moves every pending sum into the totals; call before reading `sums`/`weights`.
    pub fn flush(&mut self) {
        for l in 0..self.pending.len() {
            if self.pending[l] > 0 {
                self.flush_cluster(l);
            }
        }
    }

    /// Adds (`sign = 1`) or removes (`sign = -1`) one row of weight `w` to or from cluster
    /// `label`'s sums, weight and squared norms.
    #[inline(always)]
    pub fn add_row(&mut self, s: &Scales, row: &[f32], w: f64, label: u32, sign: f64) {
        let (l, d) = (label as usize, self.d);
        let acc = &mut self.acc[l * (d + 2)..(l + 1) * (d + 2)];
        let mut n2 = 0.0f64;
        for (a, &v) in acc[..d].iter_mut().zip(row) {
            let v = v as f64;
            *a += sign * s.coord.round_f64(w * v);
            n2 += v * v;
        }
        let unit = if w == 1.0 {
            s.unit_weight
        } else {
            s.weight.round_f64(w)
        };
        acc[d] += sign * unit;
        acc[d + 1] += sign * s.norm.round_f64(w * n2);
        self.count(l);
    }

    /// Adds unit-weight rows (row-major `values`, one label each): the same bits as
    /// [`PartialSums::add_row`] row by row, with the feature count a constant for few
    /// features.
    pub fn add_unit_rows(&mut self, s: &Scales, values: &[f32], labels: &[u32]) {
        match self.d {
            1 => self.add_unit_rows_of::<1>(s, values, labels),
            2 => self.add_unit_rows_of::<2>(s, values, labels),
            3 => self.add_unit_rows_of::<3>(s, values, labels),
            4 => self.add_unit_rows_of::<4>(s, values, labels),
            d => {
                for (row, &l) in values.chunks_exact(d).zip(labels) {
                    self.add_row(s, row, 1.0, l, 1.0);
                }
            }
        }
    }

    #[inline(always)]
    fn add_unit_rows_of<const D: usize>(&mut self, s: &Scales, values: &[f32], labels: &[u32]) {
        for (row, &l) in values.chunks_exact(D).zip(labels) {
            let l = l as usize;
            let acc = &mut self.acc[l * (D + 2)..(l + 1) * (D + 2)];
            let mut n2 = 0.0f64;
            for j in 0..D {
                let v = row[j] as f64;
                acc[j] += s.coord.round_f64(v);
                n2 += v * v;
            }
            acc[D] += s.unit_weight;
            acc[D + 1] += s.norm.round_f64(n2);
            self.count(l);
        }
    }

    /// Moves one row of weight `w` from cluster `from` to cluster `to` (both sums stay
    /// exact): the same bits as removing it and adding it, each term rounded once.
    #[inline(always)]
    pub fn move_row(&mut self, s: &Scales, row: &[f32], w: f64, from: u32, to: u32) {
        debug_assert_ne!(from, to);
        let (d, stride) = (self.d, self.d + 2);
        let (f, t) = (from as usize * stride, to as usize * stride);
        let (acc_f, acc_t) = if f < t {
            let (lo, hi) = self.acc.split_at_mut(t);
            (&mut lo[f..f + stride], &mut hi[..stride])
        } else {
            let (lo, hi) = self.acc.split_at_mut(f);
            (&mut hi[..stride], &mut lo[t..t + stride])
        };
        let mut n2 = 0.0f64;
        for ((a, b), &v) in acc_f[..d].iter_mut().zip(&mut acc_t[..d]).zip(row) {
            let v = v as f64;
            let term = s.coord.round_f64(w * v);
            *a -= term;
            *b += term;
            n2 += v * v;
        }
        let unit = if w == 1.0 {
            s.unit_weight
        } else {
            s.weight.round_f64(w)
        };
        let norm = s.norm.round_f64(w * n2);
        acc_f[d] -= unit;
        acc_t[d] += unit;
        acc_f[d + 1] -= norm;
        acc_t[d + 1] += norm;
        self.count(from as usize);
        self.count(to as usize);
    }

    /// Adds the cost of a vector sum of unit-weight distances.
    pub fn add_cost_sum(&mut self, sum: crate::cluster::lloyd::fixed_sum::BlockFixSum) {
        self.cost += sum.total();
    }

    /// Adds `w·dist` to the cost.
    #[inline(always)]
    pub fn add_cost(&mut self, s: &Scales, w: f64, dist: f64) {
        self.cost += s.dist.fix(w * dist) as i128;
    }

    #[inline(always)]
    fn count(&mut self, l: usize) {
        self.pending[l] += 1;
        if self.pending[l] == FLUSH_EVERY {
            self.flush_cluster(l);
        }
    }

    /// Adds another partial result (both flushed).
    pub fn merge(&mut self, other: &PartialSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.weights.iter_mut().zip(&other.weights) {
            *a += b;
        }
        for (a, b) in self.norms.iter_mut().zip(&other.norms) {
            *a += b;
        }
        self.cost += other.cost;
        self.changed += other.changed;
    }

    /// Flushes and merges partial results in order.
    pub fn merge_all(k: usize, d: usize, parts: Vec<PartialSums>) -> PartialSums {
        let mut total = PartialSums::new(k, d);
        for mut p in parts {
            p.flush();
            total.merge(&p);
        }
        total
    }

    /// The cost `Σ w‖x − c_label‖²` of these sums against centres `c` (`k × d`), by the
    /// identity in [`PartialSums::norms`]: exact inputs, one `f64` evaluation, so it is
    /// deterministic; its rounding error is about 10⁻¹⁶ of `Σ w‖x‖²`.
    pub fn cost_against(&self, s: &Scales, c: &[f64]) -> f64 {
        let d = self.d;
        let mut total = 0.0;
        for (l, &w) in self.weights.iter().enumerate() {
            let cl = &c[l * d..(l + 1) * d];
            let dot: f64 = cl
                .iter()
                .zip(&self.sums[l * d..(l + 1) * d])
                .map(|(&cv, &sv)| cv * s.coord.value(sv))
                .sum();
            let c2: f64 = cl.iter().map(|v| v * v).sum();
            total += s.norm.value(self.norms[l]) - 2.0 * dot + s.weight.value(w) * c2;
        }
        total.max(0.0)
    }

    /// The weighted means; a cluster with no weight keeps its entry in `fallback`.
    pub fn means(&self, s: &Scales, fallback: &[f64]) -> Vec<f64> {
        let d = self.d;
        let mut out = fallback.to_vec();
        for (c, &w) in self.weights.iter().enumerate() {
            if w > 0 {
                let wv = s.weight.value(w);
                for j in 0..d {
                    out[c * d + j] = s.coord.value(self.sums[c * d + j]) / wv;
                }
            }
        }
        out
    }
}
