//! Per-chunk partial sums of one assignment pass (the M-step's inputs), kept as exact
//! fixed-point integers (see [`fixed_sum`](super::fixed_sum)) so that merging them in any
//! grouping gives the same bits.

use super::fixed_sum::FixedScale;
use super::summary::Summary;

/// The fixed-point scales of one dataset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scales {
    /// For `w·x`.
    pub coord: FixedScale,
    /// For `w`.
    pub weight: FixedScale,
    /// For `w·‖x − c‖²`.
    pub dist: FixedScale,
}

impl Scales {
    /// The scales for a summarised dataset.
    pub fn new(s: &Summary) -> Self {
        Self {
            coord: s.coord_scale(),
            weight: s.weight_scale(),
            dist: s.dist_scale(),
        }
    }
}

/// Weighted coordinate sums, weight per cluster, cost and label changes of some rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialSums {
    d: usize,
    /// `Σ w·x` per cluster and feature, `k × d`.
    pub sums: Vec<i128>,
    /// `Σ w` per cluster.
    pub weights: Vec<i128>,
    /// `Σ w·‖x − c_label‖²`.
    pub cost: i128,
    /// Rows whose label changed.
    pub changed: u64,
}

impl PartialSums {
    /// Zero sums for `k` clusters of `d` features.
    pub fn new(k: usize, d: usize) -> Self {
        Self {
            d,
            sums: vec![0; k * d],
            weights: vec![0; k],
            cost: 0,
            changed: 0,
        }
    }

    /// Adds one row with weight `w` assigned to `label` at squared distance `dist`.
    #[inline(always)]
    pub fn add(&mut self, s: &Scales, row: &[f32], w: f64, label: u32, dist: f64) {
        let l = label as usize;
        let sums = &mut self.sums[l * self.d..(l + 1) * self.d];
        for (acc, &v) in sums.iter_mut().zip(row) {
            *acc += s.coord.fix(w * v as f64) as i128;
        }
        self.weights[l] += s.weight.fix(w) as i128;
        self.cost += s.dist.fix(w * dist) as i128;
    }

    /// Adds another partial result.
    pub fn merge(&mut self, other: &PartialSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.weights.iter_mut().zip(&other.weights) {
            *a += b;
        }
        self.cost += other.cost;
        self.changed += other.changed;
    }

    /// Merges partial results in order.
    pub fn merge_all(k: usize, d: usize, parts: &[PartialSums]) -> PartialSums {
        let mut total = PartialSums::new(k, d);
        for p in parts {
            total.merge(p);
        }
        total
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
