//! The distance kernel: for each row, the exact nearest centre and a lower bound on the
//! distance to the second nearest.
//!
//! "Exact" means: the argmin (lowest index on ties) of [`sq_dist`], the direct
//! `Σ (x − c)²` in `f64`. Computing that for every centre is slow, so the kernel first
//! ranks centres with the expanded form `‖c‖² − 2 x·c` in `f32` — the form scikit-learn
//! and every BLAS-based k-means use — a block of [`LANES`] (16) rows at a time with the dot
//! products tiled in registers (written as fixed-size array loops that LLVM vectorises:
//! AVX2 + FMA when the CPU has it, SSE2 otherwise, `simd128` in wasm; on AVX-512 the wider
//! tile of `kernels/wide_tile.rs`). A rigorous bound on
//! the `f32` rounding (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1: a
//! length-d dot product errs by at most γ_d Σ|xᵢcᵢ|) then certifies the winner, eight rows
//! per `std::simd` vector (`Ranking::certify`): when the gap to the runner-up exceeds
//! twice the bound, the exact argmin is the same centre; otherwise the row falls back to
//! exact distances to every centre. Labels therefore never depend on
//! the CPU, the instruction set, the chunking or the thread count.

use std::simd::Select;
use std::simd::Simd;
use std::simd::cmp::SimdPartialOrd;

use crate::cluster::kernels::small_d;

/// Rows per block: two AVX2 registers of `f32`, so a 4-centre tile keeps eight independent
/// multiply-add chains in flight (enough to hide the FMA latency).
pub const LANES: usize = 16;
/// Centres per register tile.
const GROUP: usize = 4;
/// Unit roundoff of `f32`, doubled: 2⁻²³.
const F32_ROUNDOFF_X2: f64 = 1.0 / (1u64 << 23) as f64;

/// Squared Euclidean distance in `f64`, summed in a fixed order (four interleaved partial
/// sums, then a pairwise combination) so that it vectorises and is the same on every target.
#[inline]
pub fn sq_dist(x: &[f32], c: &[f64]) -> f64 {
    sq_dist_body(x, c)
}

/// [`sq_dist`], always inlined, so that a caller compiled for AVX2 sums the four partial
/// sums in one register (the same operations in the same order: the same bits).
#[inline(always)]
fn sq_dist_body(x: &[f32], c: &[f64]) -> f64 {
    use std::simd::num::SimdFloat;
    debug_assert_eq!(x.len(), c.len());
    // Partial sum l takes features l, l + 4, l + 8, …: one lane each of a four-value
    // vector (the array loop this replaces stayed in two-value registers under AVX2).
    let mut acc = Simd::<f64, 4>::splat(0.0);
    let mut xs = x.chunks_exact(4);
    let mut cs = c.chunks_exact(4);
    for (xa, ca) in (&mut xs).zip(&mut cs) {
        let t = Simd::<f32, 4>::from_slice(xa).cast::<f64>() - Simd::from_slice(ca);
        acc += t * t;
    }
    let mut acc = acc.to_array();
    for (l, (&xv, &cv)) in xs.remainder().iter().zip(cs.remainder()).enumerate() {
        let t = xv as f64 - cv;
        acc[l] += t * t;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// The nearest centre of one row.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Nearest {
    /// Index of the nearest centre (lowest index on ties).
    pub label: u32,
    /// `sq_dist` to it.
    pub dist: f64,
    /// A lower bound on the squared distance to every other centre (∞ when k = 1).
    pub second_lb: f64,
}

/// A set of centres prepared for the kernel.
#[derive(Debug, Clone)]
pub struct CentreSet {
    k: usize,
    d: usize,
    /// Padded to a multiple of `group`.
    kp: usize,
    c64: Vec<f64>,
    /// `f32` copies, interleaved by register tile of `group` centres ([`GROUP`], or
    /// `WIDE_GROUP` for the AVX-512 tile): `c32[(g·d + j)·group + q]` is feature j of centre
    /// `g·group + q`, so each feature of a tile is one contiguous load.
    c32: Vec<f32>,
    /// `‖c‖²` in `f32`; +∞ for padding, so padding never wins.
    cn: Vec<f32>,
    /// An upper bound on `‖c‖²` over real centres.
    cmax2: f64,
    /// `(d + 5)·2⁻²³`: the rounding bound per unit of `‖x‖² + ‖c‖²`.
    margin_per_norm: f64,
    /// `−2·c` in `f32`, row-major `k × d` (the small-d routines broadcast one centre at a
    /// time into a single multiply-add chain).
    c32_rows: Vec<f32>,
    /// The ranking routine for this CPU, chosen once; it reads rows transposed.
    approx: fn(&CentreSet, &[f32], &mut Ranking),
    /// The same for a full row-major block: transposes it into the scratch buffer with
    /// 8 × 8 register transposes first, in the same target-feature function.
    approx_block: fn(&CentreSet, &[f32], &mut [f32], &mut Ranking),
    /// The same blocked pass, reduced to a mask per centre of the rows it may be within a
    /// bound of (k-means++'s candidate trials).
    within_block: WithinFn,
    /// For `d ≤ 4`: a routine that reads a full block of rows as they are stored
    /// (row-major), with the centres kept in registers ([`kernel_small_d`](crate::cluster::kernels::small_d)).
    approx_rows: Option<crate::cluster::kernels::small_d::Rank>,
    /// The exact distances of a full block of rows to their labelled centres, compiled for
    /// this CPU ([`exact_rows_generic`]).
    exact_rows: ExactRowsFn,
    /// [`sq_dist`] compiled for this CPU.
    exact_one: fn(&[f32], &[f64]) -> f64,
    /// For `d ≤ 4`: the fused scan behind [`CentreSet::scan_blocks`].
    scan: Option<crate::cluster::kernels::small_d::Scan>,
    /// For `d ≤ 4`: the unit-weight block cost behind [`CentreSet::add_block_costs`].
    cost: Option<crate::cluster::kernels::small_d::CostRows>,
}

impl CentreSet {
    /// Prepares `k` centres of `d` features, row-major.
    pub fn new(c64: Vec<f64>, d: usize) -> Self {
        Self::with_routines(c64, d, Routines::for_this_cpu())
    }

    /// The same centres prepared with every routine set this CPU runs, slowest first, so
    /// that tests elsewhere cover each build.
    #[cfg(test)]
    pub(crate) fn every_build(c64: &[f64], d: usize) -> Vec<Self> {
        Routines::all_on_this_cpu()
            .into_iter()
            .map(|r| Self::with_routines(c64.to_vec(), d, r))
            .collect()
    }

    fn with_routines(c64: Vec<f64>, d: usize, routines: Routines) -> Self {
        assert!(d > 0 && c64.len().is_multiple_of(d));
        let k = c64.len() / d;
        let group = routines.group;
        let kp = k.div_ceil(group) * group;
        let mut c32 = vec![0.0f32; kp * d];
        let mut cn = vec![f32::INFINITY; kp];
        let mut cmax2 = 0.0f64;
        for c in 0..k {
            let (g, q) = (c / group, c % group);
            let mut n2 = 0.0f64;
            for j in 0..d {
                let v = c64[c * d + j] as f32;
                c32[(g * d + j) * group + q] = v;
                n2 += v as f64 * v as f64;
            }
            cn[c] = n2 as f32;
            cmax2 = cmax2.max(n2);
        }
        let c32_rows = c64.iter().map(|&v| -2.0 * v as f32).collect();
        Self {
            k,
            d,
            kp,
            c64,
            c32,
            cn,
            cmax2: cmax2 * (1.0 + 1e-6),
            margin_per_norm: (d + 5) as f64 * F32_ROUNDOFF_X2,
            c32_rows,
            approx: routines.approx,
            approx_block: routines.approx_block,
            within_block: routines.within,
            exact_rows: routines.exact_rows,
            exact_one: routines.exact_one,
            approx_rows: small_d::routine(d, routines.small),
            scan: small_d::scan_routine(d, routines.small),
            cost: small_d::cost_routine(d, routines.small),
        }
    }

    /// Number of centres.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Number of features.
    pub fn d(&self) -> usize {
        self.d
    }

    /// Centre `c` in `f64`.
    #[inline]
    pub fn row(&self, c: usize) -> &[f64] {
        &self.c64[c * self.d..(c + 1) * self.d]
    }

    /// All centres, row-major `f64`.
    pub fn values(&self) -> &[f64] {
        &self.c64
    }

    /// A scratch buffer for the block functions.
    pub fn scratch(&self) -> Vec<f32> {
        vec![0.0; self.d * LANES]
    }

    /// Ranks up to [`LANES`] rows (`row(l)` for `l < n`) and calls
    /// `f(l, label, dist, second_lb)` with each row's exact nearest centre, its `sq_dist`
    /// (NaN unless `want_dist`, to spare d operations per row) and a lower bound on the
    /// squared distance to every other centre.
    #[inline(always)]
    fn block<'r>(
        &self,
        want_dist: bool,
        n: usize,
        row: impl Fn(usize) -> &'r [f32],
        scratch: &mut [f32],
        mut f: impl FnMut(usize, u32, f64, f64),
    ) {
        let mut a = Ranking::default();
        self.rank_gathered(n, &row, scratch, &mut a);
        for l in 0..n {
            if a.certain[l] != 0 {
                let label = a.idx[l];
                if want_dist {
                    let xn = a.xn[l] as f64;
                    let margin = self.margin_per_norm * (xn + self.cmax2);
                    let dist = sq_dist(row(l), self.row(label as usize));
                    f(
                        l,
                        label,
                        dist,
                        (a.second[l] as f64 + xn - 2.0 * margin).max(0.0),
                    );
                } else {
                    f(l, label, f64::NAN, f64::NAN);
                }
            } else {
                let o = self.nearest_exact(row(l));
                f(l, o.label, o.dist, o.second_lb);
            }
        }
    }

    /// The `f32` ranking of up to [`LANES`] rows given one by one (`row(l)` for `l < n`).
    #[inline(always)]
    fn rank_gathered<'r>(
        &self,
        n: usize,
        row: &impl Fn(usize) -> &'r [f32],
        scratch: &mut [f32],
        a: &mut Ranking,
    ) {
        let d = self.d;
        debug_assert!(n <= LANES && scratch.len() == d * LANES);
        if let Some(small) = self.approx_rows {
            // Row-major, zero-padded: the small-d routine transposes in registers.
            let mut buf = [0.0f32; LANES * crate::cluster::kernels::small_d::MAX_D];
            for l in 0..n {
                buf[l * d..(l + 1) * d].copy_from_slice(row(l));
            }
            small(self, &buf[..LANES * d], a);
            return;
        }
        for l in 0..n {
            for (j, &v) in row(l).iter().enumerate() {
                scratch[j * LANES + l] = v;
            }
        }
        if n < LANES {
            for j in 0..d {
                scratch[j * LANES + n..(j + 1) * LANES].fill(0.0);
            }
        }
        (self.approx)(self, scratch, a);
    }

    /// The `f32` ranking of the rows of a row-major block of at most [`LANES`] rows into
    /// `a` (rows past the block's end rank as zeros).
    #[inline(always)]
    pub(crate) fn rank(&self, values: &[f32], scratch: &mut [f32], a: &mut Ranking) {
        let d = self.d;
        let n = values.len() / d;
        match self.approx_rows {
            Some(small) if n == LANES => small(self, values, a),
            None if n == LANES => (self.approx_block)(self, values, scratch, a),
            _ => self.rank_gathered(n, &|l| &values[l * d..(l + 1) * d], scratch, a),
        }
    }

    /// The label of row `l` of a ranked block: the certified winner, or the exact argmin
    /// when the `f32` ranking could not certify one.
    #[inline(always)]
    pub(crate) fn label_of(&self, a: &Ranking, l: usize, row: &[f32]) -> u32 {
        if a.certain[l] != 0 {
            a.idx[l]
        } else {
            self.nearest_exact(row).label
        }
    }

    /// Exact labels and [`sq_dist`]s of every row of a ranked row-major block (at most
    /// [`LANES`] rows): for a full block of few features, eight rows per vector.
    #[inline(always)]
    pub(crate) fn exact_of_block(
        &self,
        a: &Ranking,
        values: &[f32],
        labels: &mut [u32; LANES],
        dists: &mut [f64; LANES],
    ) {
        let d = self.d;
        let n = values.len() / d;
        *labels = a.idx;
        if a.certain[..n].contains(&0) {
            for l in 0..n {
                labels[l] = self.label_of(a, l, &values[l * d..(l + 1) * d]);
            }
        }
        if n == LANES {
            return self.exact_dists_of_block(values, labels, dists);
        }
        for l in 0..n {
            dists[l] = sq_dist(&values[l * d..(l + 1) * d], self.row(labels[l] as usize));
        }
    }

    /// Lanes whose `f32` winner is certainly the exact argmin (see [`Ranking::certain`]), from
    /// `W` rows' `‖x‖²`, best and runner-up ranking values.
    #[inline(always)]
    pub(crate) fn certified<const W: usize>(
        &self,
        xn: Simd<f32, W>,
        best: Simd<f32, W>,
        second: Simd<f32, W>,
    ) -> std::simd::Mask<i32, W> {
        let per_norm = ((2.0 * self.margin_per_norm + 2.0 * F32_ROUNDOFF_X2) * 1.01) as f32;
        let thr = Simd::splat(per_norm) * (xn + Simd::splat(self.cmax2 as f32));
        (second - best).simd_gt(thr)
    }

    /// For `d ≤ 4`, the fused scan of an assignment pass: ranks the full blocks of
    /// `values` (row-major) in registers, writes each certified winner into `labels`, and
    /// calls `visit` (see [`Visit`](crate::cluster::kernels::small_d::Visit)) only for blocks with an
    /// uncertified row — or, with `report_moves`, a row that changed label. Returns the
    /// rows scanned (a multiple of [`LANES`]; the caller handles the rest, all of them
    /// without a fused routine) and the certified rows whose label changed.
    #[inline]
    pub(crate) fn scan_blocks(
        &self,
        values: &[f32],
        labels: &mut [u32],
        report_moves: bool,
        visit: crate::cluster::kernels::small_d::Visit<'_>,
    ) -> (usize, u64) {
        match self.scan {
            Some(scan) => {
                let rows = (values.len() / self.d).min(labels.len()) / LANES * LANES;
                let changed = scan(
                    self,
                    &values[..rows * self.d],
                    &mut labels[..rows],
                    report_moves,
                    visit,
                );
                (rows, changed)
            }
            None => (0, 0),
        }
    }

    /// Adds the unit-weight cost `Σ sq_dist(x, c_label)` of full row-major blocks (rows a
    /// multiple of [`LANES`]) to `sum`; `false` (nothing added) without a routine for
    /// this feature count.
    #[inline]
    pub(crate) fn add_block_costs(
        &self,
        values: &[f32],
        labels: &[u32],
        sum: &mut crate::cluster::lloyd::fixed_sum::BlockFixSum,
    ) -> bool {
        match self.cost {
            Some(cost) => {
                cost(&self.c64, values, labels, sum);
                true
            }
            None => false,
        }
    }

    /// Exact [`sq_dist`]s of the rows of a full row-major block to the given centres.
    #[inline(always)]
    pub(crate) fn exact_dists_of_block(
        &self,
        values: &[f32],
        labels: &[u32; LANES],
        dists: &mut [f64; LANES],
    ) {
        let d = self.d;
        if !crate::cluster::kernels::small_d::exact_block(&self.c64, d, values, labels, dists) {
            (self.exact_rows)(&self.c64, d, values, labels, dists);
        }
    }

    /// The `f32` centres interleaved by register tile (see the `c32` field).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub(crate) fn tiles_f32(&self) -> &[f32] {
        &self.c32
    }

    /// The number of centres padded to whole register tiles.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub(crate) fn padded_k(&self) -> usize {
        self.kp
    }

    /// The thresholds of [`CentreSet::within_block`] for rows of `f32` norms `xn`: a row is
    /// flagged when `‖x‖² + ‖c‖² − 2 x·c` (in `f32`) does not exceed its bound plus twice the
    /// rounding margin; the threshold is rounded up and widened by 2⁻²⁰ so that the `f32`
    /// sum cannot round a candidate across it.
    #[inline(always)]
    pub(crate) fn within_thresholds(
        &self,
        xn: &[f32; LANES],
        bound: &[f64; LANES],
    ) -> [f32; LANES] {
        std::array::from_fn(|l| {
            let margin = self.margin_per_norm * (xn[l] as f64 + self.cmax2);
            (((bound[l] + 2.0 * margin) * (1.0 + 1.0 / (1u64 << 20) as f64)) as f32).next_up()
        })
    }

    /// `−2·c` per centre in `f32` (exactly twice the `f32` centre), row-major `k × d`.
    #[inline(always)]
    pub(crate) fn values_f32(&self) -> &[f32] {
        &self.c32_rows
    }

    /// `‖c‖²` in `f32`, per centre (+∞ past `k`).
    #[inline(always)]
    pub(crate) fn norms_f32(&self) -> &[f32] {
        &self.cn
    }

    /// For a full row-major block of [`LANES`] rows: bit `l` of `masks[c]` is set when
    /// row `l`'s exact [`sq_dist`] to centre `c` may be below `bound[l]`, and clear only
    /// when it certainly is not. The test is the blocked `f32` pass with the rounding bound
    /// of the ranking (the same argument as `second_lb`), so a caller that computes the
    /// exact distance of the flagged rows alone gets the result of computing them all:
    /// k-means++ asks which rows a candidate would take over, and in a spread-out dataset
    /// that is a few rows in k.
    #[inline]
    pub(crate) fn within_block(
        &self,
        values: &[f32],
        scratch: &mut [f32],
        bound: &[f64; LANES],
        masks: &mut [u32],
    ) {
        debug_assert!(values.len() == LANES * self.d && masks.len() >= self.k);
        (self.within_block)(self, values, scratch, bound, masks)
    }

    /// The nearest centre of each of up to [`LANES`] rows.
    pub fn nearest_block(&self, rows: &[&[f32]], scratch: &mut [f32], out: &mut [Nearest]) {
        self.block(
            true,
            rows.len(),
            |l| rows[l],
            scratch,
            |l, label, dist, second_lb| {
                out[l] = Nearest {
                    label,
                    dist,
                    second_lb,
                }
            },
        );
    }

    /// [`sq_dist`] from `x` to `c` (any point of `d` features), compiled for this CPU: the
    /// same bits as `sq_dist`, in wider registers where the CPU has them.
    #[inline(always)]
    pub fn dist(&self, x: &[f32], c: &[f64]) -> f64 {
        // Below eight features a wider register holds at most one group of four, and the
        // call through the routine's pointer cost more than the arithmetic (a fifth of
        // k-means++ on two features): inline, same operations, same bits.
        if self.d < 8 {
            sq_dist_body(x, c)
        } else {
            (self.exact_one)(x, c)
        }
    }

    /// The nearest centre by exact distances to every centre.
    pub fn nearest_exact(&self, x: &[f32]) -> Nearest {
        let (mut best, mut label, mut second) = (f64::INFINITY, 0u32, f64::INFINITY);
        for c in 0..self.k {
            let dist = self.dist(x, self.row(c));
            if dist < best {
                second = best;
                best = dist;
                label = c as u32;
            } else if dist < second {
                second = dist;
            }
        }
        Nearest {
            label,
            dist: best,
            second_lb: second * (1.0 - 1e-12),
        }
    }

    /// Calls `f(row_within_values, label, dist, second_lb)` for every row of a row-major
    /// block of rows (see `CentreSet::block` for the meaning).
    #[inline(always)]
    pub fn for_each_nearest(
        &self,
        want_dist: bool,
        values: &[f32],
        scratch: &mut [f32],
        mut f: impl FnMut(usize, u32, f64, f64),
    ) {
        let d = self.d;
        for (b, block) in values.chunks(d * LANES).enumerate() {
            let n = block.len() / d;
            self.block(
                want_dist,
                n,
                |l| &block[l * d..(l + 1) * d],
                scratch,
                |l, label, dist, lb| f(b * LANES + l, label, dist, lb),
            );
        }
    }
}

/// The `f32` ranking of one block: per row, the smallest and second smallest
/// `‖c‖² − 2 x·c`, the winner's index, `‖x‖²` (all in `f32`) and whether the winner is
/// certainly the exact argmin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranking {
    pub(crate) best: [f32; LANES],
    pub(crate) second: [f32; LANES],
    pub(crate) idx: [u32; LANES],
    pub(crate) xn: [f32; LANES],
    /// Non-zero where the winner is certain: `second − best` exceeds twice the rounding bound
    /// `(d + 5)·2⁻²³·(‖x‖² + ‖c‖²)` plus the `f32` error of the subtraction itself, with 1 %
    /// slack for the `f32` evaluation of the threshold.
    pub(crate) certain: [u32; LANES],
}

impl Default for Ranking {
    fn default() -> Self {
        Self {
            best: [f32::INFINITY; LANES],
            second: [f32::INFINITY; LANES],
            idx: [0; LANES],
            xn: [0.0; LANES],
            certain: [0; LANES],
        }
    }
}

/// A multiply-add, fused or not; the bound covers both.
pub(crate) trait MulAdd {
    fn mul_add(a: f32, b: f32, c: f32) -> f32;
}

pub(crate) struct Unfused;
impl MulAdd for Unfused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) struct Fused;
#[cfg(target_arch = "x86_64")]
impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

/// `‖x‖²` of each row of a transposed block, in `f32`.
#[inline(always)]
fn row_norms<M: MulAdd>(xt: &[f32]) -> [f32; LANES] {
    let mut xn = [0.0f32; LANES];
    for xv in xt.chunks_exact(LANES) {
        for l in 0..LANES {
            xn[l] = M::mul_add(xv[l], xv[l], xn[l]);
        }
    }
    xn
}

/// `x·c` in `f32` for each row of a transposed block and each centre of tile `g`
/// ([`GROUP`] centres packed feature by feature): the register tile of the blocked pass.
#[inline(always)]
fn tile_dots<M: MulAdd>(cs: &CentreSet, xt: &[f32], g: usize) -> [[f32; LANES]; GROUP] {
    let d = cs.d;
    let tile = &cs.c32[g * d * GROUP..(g + 1) * d * GROUP];
    let mut acc = [[0.0f32; LANES]; GROUP];
    for (xv, cv) in xt.chunks_exact(LANES).zip(tile.chunks_exact(GROUP)) {
        let xv: &[f32; LANES] = xv.try_into().expect("LANES values");
        let cv: &[f32; GROUP] = cv.try_into().expect("GROUP values");
        for q in 0..GROUP {
            for l in 0..LANES {
                acc[q][l] = M::mul_add(xv[l], cv[q], acc[q][l]);
            }
        }
    }
    acc
}

#[inline(always)]
fn approx_generic<M: MulAdd>(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    a.xn = row_norms::<M>(xt);
    let (mut best, mut second, mut idx) = (
        [f32::INFINITY; LANES],
        [f32::INFINITY; LANES],
        [0u32; LANES],
    );
    for g in 0..cs.kp / GROUP {
        let acc = tile_dots::<M>(cs, xt, g);
        for (q, accq) in acc.iter().enumerate() {
            let c = g * GROUP + q;
            let cn = cs.cn[c];
            for l in 0..LANES {
                let v = M::mul_add(-2.0, accq[l], cn);
                // Branch-free (selects vectorise; branches on random data mispredict):
                // the runner-up is min(second, max(best, v)).
                let hi = if v > best[l] { v } else { best[l] };
                second[l] = if hi < second[l] { hi } else { second[l] };
                idx[l] = if v < best[l] { c as u32 } else { idx[l] };
                best[l] = if v < best[l] { v } else { best[l] };
            }
        }
    }
    a.certify(cs, best, second, idx);
}

/// Transposes a full row-major block of [`LANES`] rows × `d` features into `out`
/// (`out[j·LANES + l]` is feature j of row l): eight rows × eight features per register
/// transpose, the features past the last multiple of eight one by one. A scalar
/// transposition cost about as much as the multiply-adds at d = 16.
#[inline(always)]
pub(crate) fn transpose_block(values: &[f32], d: usize, out: &mut [f32]) {
    type V = Simd<f32, 8>;
    debug_assert!(values.len() == LANES * d && out.len() == LANES * d);
    let whole = d / 8 * 8;
    for h in 0..LANES / 8 {
        for j0 in (0..whole).step_by(8) {
            // A loop, not `array::from_fn`: its closure is not inlined into the AVX-512
            // routines, and the call cost 14 % of a W3 iteration.
            let mut r = [V::splat(0.0); 8];
            for (i, r) in r.iter_mut().enumerate() {
                *r = V::from_slice(&values[(h * 8 + i) * d + j0..]);
            }
            for (c, col) in transpose8(r).iter().enumerate() {
                col.copy_to_slice(&mut out[(j0 + c) * LANES + h * 8..][..8]);
            }
        }
    }
    for j in whole..d {
        for l in 0..LANES {
            out[j * LANES + l] = values[l * d + j];
        }
    }
}

/// An 8 × 8 transpose in three rounds of two-input shuffles (the unpack, shuffle and
/// 128-bit permute of the classic AVX transpose; two `simd128` shuffles each in wasm).
#[inline(always)]
fn transpose8(r: [Simd<f32, 8>; 8]) -> [Simd<f32, 8>; 8] {
    use std::simd::simd_swizzle;
    let lo = |a, b| simd_swizzle!(a, b, [0, 8, 1, 9, 4, 12, 5, 13]);
    let hi = |a, b| simd_swizzle!(a, b, [2, 10, 3, 11, 6, 14, 7, 15]);
    let t = [
        lo(r[0], r[1]),
        hi(r[0], r[1]),
        lo(r[2], r[3]),
        hi(r[2], r[3]),
        lo(r[4], r[5]),
        hi(r[4], r[5]),
        lo(r[6], r[7]),
        hi(r[6], r[7]),
    ];
    let pl = |a, b| simd_swizzle!(a, b, [0, 1, 8, 9, 4, 5, 12, 13]);
    let ph = |a, b| simd_swizzle!(a, b, [2, 3, 10, 11, 6, 7, 14, 15]);
    let u = [
        pl(t[0], t[2]),
        ph(t[0], t[2]),
        pl(t[1], t[3]),
        ph(t[1], t[3]),
        pl(t[4], t[6]),
        ph(t[4], t[6]),
        pl(t[5], t[7]),
        ph(t[5], t[7]),
    ];
    let ql = |a, b| simd_swizzle!(a, b, [0, 1, 2, 3, 8, 9, 10, 11]);
    let qh = |a, b| simd_swizzle!(a, b, [4, 5, 6, 7, 12, 13, 14, 15]);
    [
        ql(u[0], u[4]),
        ql(u[1], u[5]),
        ql(u[2], u[6]),
        ql(u[3], u[7]),
        qh(u[0], u[4]),
        qh(u[1], u[5]),
        qh(u[2], u[6]),
        qh(u[3], u[7]),
    ]
}

#[inline(always)]
fn approx_block_generic<M: MulAdd>(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    a: &mut Ranking,
) {
    transpose_block(values, cs.d, xt);
    approx_generic::<M>(cs, xt, a)
}

/// The signature of [`CentreSet::within_block`]'s routines.
type WithinFn = fn(&CentreSet, &[f32], &mut [f32], &[f64; LANES], &mut [u32]);

#[inline(always)]
fn within_generic<M: MulAdd>(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    let d = cs.d;
    transpose_block(values, d, xt);
    let xn = row_norms::<M>(xt);
    let thr = cs.within_thresholds(&xn, bound);
    for g in 0..cs.kp / GROUP {
        let acc = tile_dots::<M>(cs, xt, g);
        for (q, accq) in acc.iter().enumerate() {
            let c = g * GROUP + q;
            if c >= cs.k {
                break;
            }
            let cn = cs.cn[c];
            let mut mask = 0u32;
            for l in 0..LANES {
                let v = M::mul_add(-2.0, accq[l], cn) + xn[l];
                mask |= ((v <= thr[l]) as u32) << l;
            }
            masks[c] = mask;
        }
    }
}

impl Ranking {
    /// Stores a block's ranking (with `xn` already set) and certifies each winner.
    #[inline(always)]
    pub(crate) fn certify(
        &mut self,
        cs: &CentreSet,
        best: [f32; LANES],
        second: [f32; LANES],
        idx: [u32; LANES],
    ) {
        // In std::simd: a plain `bool as u32` per lane is scalarised.
        type F = Simd<f32, 8>;
        for h in 0..LANES / 8 {
            let span = h * 8..(h + 1) * 8;
            let sure = cs
                .certified(
                    F::from_slice(&self.xn[span.clone()]),
                    F::from_slice(&best[span.clone()]),
                    F::from_slice(&second[span.clone()]),
                )
                .select(Simd::<u32, 8>::splat(1), Simd::splat(0));
            sure.copy_to_slice(&mut self.certain[span]);
        }
        self.best = best;
        self.second = second;
        self.idx = idx;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn approx_avx2(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    approx_generic::<Fused>(cs, xt, a)
}

fn approx_plain(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    approx_generic::<Unfused>(cs, xt, a)
}

#[cfg(target_arch = "x86_64")]
fn approx_avx2_checked(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    // SAFETY: only selected by `Routines` when the CPU has AVX2 and FMA.
    unsafe { approx_avx2(cs, xt, a) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn approx_block_avx2(cs: &CentreSet, values: &[f32], xt: &mut [f32], a: &mut Ranking) {
    approx_block_generic::<Fused>(cs, values, xt, a)
}

fn approx_block_plain(cs: &CentreSet, values: &[f32], xt: &mut [f32], a: &mut Ranking) {
    approx_block_generic::<Unfused>(cs, values, xt, a)
}

#[cfg(target_arch = "x86_64")]
fn approx_block_avx2_checked(cs: &CentreSet, values: &[f32], xt: &mut [f32], a: &mut Ranking) {
    // SAFETY: only selected by `Routines` when the CPU has AVX2 and FMA.
    unsafe { approx_block_avx2(cs, values, xt, a) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn within_avx2(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    within_generic::<Fused>(cs, values, xt, bound, masks)
}

fn within_plain(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    within_generic::<Unfused>(cs, values, xt, bound, masks)
}

#[cfg(target_arch = "x86_64")]
fn within_avx2_checked(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    // SAFETY: only selected by `Routines` when the CPU has AVX2 and FMA.
    unsafe { within_avx2(cs, values, xt, bound, masks) }
}

/// The signature of the exact block distances (`CentreSet::exact_dists_of_block`).
type ExactRowsFn = fn(&[f64], usize, &[f32], &[u32; LANES], &mut [f64; LANES]);

/// [`sq_dist`] of each row of a full row-major block (`d` features) to its labelled centre
/// of `c64`. Measured at d = 16, the AVX2 build of the same code took k-means||'s update
/// pass from SSE2's two-value registers to one four-value register per row.
#[inline(always)]
fn exact_rows_generic(
    c64: &[f64],
    d: usize,
    values: &[f32],
    labels: &[u32; LANES],
    dists: &mut [f64; LANES],
) {
    for (l, dist) in dists.iter_mut().enumerate() {
        let c = &c64[labels[l] as usize * d..][..d];
        *dist = sq_dist_body(&values[l * d..(l + 1) * d], c);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn exact_rows_avx2(
    c64: &[f64],
    d: usize,
    values: &[f32],
    labels: &[u32; LANES],
    dists: &mut [f64; LANES],
) {
    exact_rows_generic(c64, d, values, labels, dists)
}

#[cfg(target_arch = "x86_64")]
fn exact_rows_avx2_checked(
    c64: &[f64],
    d: usize,
    values: &[f32],
    labels: &[u32; LANES],
    dists: &mut [f64; LANES],
) {
    // SAFETY: only selected by `Routines` when the CPU has AVX2.
    unsafe { exact_rows_avx2(c64, d, values, labels, dists) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sq_dist_avx2(x: &[f32], c: &[f64]) -> f64 {
    sq_dist_body(x, c)
}

#[cfg(target_arch = "x86_64")]
fn sq_dist_avx2_checked(x: &[f32], c: &[f64]) -> f64 {
    // SAFETY: only selected by `Routines` when the CPU has AVX2.
    unsafe { sq_dist_avx2(x, c) }
}

/// The ranking routines of one CPU, and the tile width their centre layout needs.
#[derive(Clone, Copy)]
struct Routines {
    group: usize,
    approx: fn(&CentreSet, &[f32], &mut Ranking),
    approx_block: fn(&CentreSet, &[f32], &mut [f32], &mut Ranking),
    within: WithinFn,
    exact_rows: ExactRowsFn,
    exact_one: fn(&[f32], &[f64]) -> f64,
    /// The build of the few-feature routines ([`small_d`]) that goes with these.
    small: small_d::Tier,
}

impl Routines {
    /// The fastest routines this CPU runs: the AVX-512 tile, the AVX2 one, or the plain
    /// loops (SSE2 natively, `simd128` in wasm).
    fn for_this_cpu() -> Self {
        *Self::all_on_this_cpu()
            .last()
            .expect("the plain routines run anywhere")
    }

    /// Every routine set this CPU runs, slowest first.
    fn all_on_this_cpu() -> Vec<Self> {
        let plain = Self {
            group: GROUP,
            approx: approx_plain,
            approx_block: approx_block_plain,
            within: within_plain,
            exact_rows: exact_rows_generic,
            exact_one: sq_dist,
            small: small_d::Tier::Plain,
        };
        #[cfg(target_arch = "x86_64")]
        {
            use crate::cluster::kernels::wide_tile;
            let mut all = vec![plain];
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                all.push(Self {
                    group: GROUP,
                    approx: approx_avx2_checked,
                    approx_block: approx_block_avx2_checked,
                    within: within_avx2_checked,
                    exact_rows: exact_rows_avx2_checked,
                    exact_one: sq_dist_avx2_checked,
                    small: small_d::Tier::Avx2,
                });
            }
            if wide_tile::available() {
                all.push(Self {
                    group: wide_tile::WIDE_GROUP,
                    approx: wide_tile::approx,
                    approx_block: wide_tile::approx_block,
                    within: wide_tile::within,
                    exact_rows: exact_rows_avx2_checked,
                    exact_one: sq_dist_avx2_checked,
                    small: small_d::Tier::Avx512,
                });
            }
            all
        }
        #[cfg(not(target_arch = "x86_64"))]
        vec![plain]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(x: &[f32], c: &[f64], d: usize) -> (u32, f64) {
        let mut best = (0u32, f64::INFINITY);
        for (i, cr) in c.chunks(d).enumerate() {
            let dist: f64 = x
                .iter()
                .zip(cr)
                .map(|(&a, &b)| (a as f64 - b).powi(2))
                .sum();
            if dist < best.1 {
                best = (i as u32, dist);
            }
        }
        best
    }

    #[test]
    fn kernel_matches_exact_argmin_and_bounds_hold() {
        let (n, d, k) = (203, 7, 13);
        let mut s = crate::data::KeyedStream::new(1, crate::data::Purpose::Sample, 0);
        let x: Vec<f32> = (0..n * d)
            .map(|_| (s.uniform() * 20.0 - 10.0) as f32)
            .collect();
        let c: Vec<f64> = (0..k * d).map(|_| s.uniform() * 20.0 - 10.0).collect();
        let cs = CentreSet::new(c.clone(), d);
        let mut scratch = cs.scratch();
        let mut seen = 0;
        cs.for_each_nearest(true, &x, &mut scratch, |i, got, got_dist, lb| {
            let row = &x[i * d..(i + 1) * d];
            let (label, dist) = reference(row, &c, d);
            assert_eq!(got, label, "row {i}");
            assert!((got_dist - dist).abs() <= 1e-12 * dist.max(1.0));
            for (cc, cr) in c.chunks(d).enumerate() {
                if cc as u32 != label {
                    assert!(sq_dist(row, cr) >= lb, "row {i}");
                }
            }
            seen += 1;
        });
        assert_eq!(seen, n);
    }

    /// The summation order `sq_dist` promises, written out with scalars.
    fn four_partial_sums(x: &[f32], c: &[f64]) -> f64 {
        let mut acc = [0.0f64; 4];
        for (j, (&xv, &cv)) in x.iter().zip(c).enumerate() {
            let t = xv as f64 - cv;
            acc[j % 4] += t * t;
        }
        (acc[0] + acc[1]) + (acc[2] + acc[3])
    }

    #[test]
    fn every_build_of_the_exact_distance_gives_the_same_bits() {
        let mut s = crate::data::KeyedStream::new(7, crate::data::Purpose::Sample, 0);
        for d in [1, 2, 3, 4, 5, 7, 8, 13, 16, 21, 64] {
            let x: Vec<f32> = (0..LANES * d)
                .map(|_| (s.uniform() * 2e3 - 1e3) as f32)
                .collect();
            let k = 5;
            let c: Vec<f64> = (0..k * d).map(|_| s.uniform() * 2e3 - 1e3).collect();
            let labels: [u32; LANES] = std::array::from_fn(|l| (l % k) as u32);
            for routines in Routines::all_on_this_cpu() {
                let cs = CentreSet::with_routines(c.clone(), d, routines);
                let mut dists = [0.0f64; LANES];
                cs.exact_dists_of_block(&x, &labels, &mut dists);
                for l in 0..LANES {
                    let (row, centre) = (&x[l * d..(l + 1) * d], cs.row(labels[l] as usize));
                    let want = four_partial_sums(row, centre).to_bits();
                    assert_eq!(sq_dist(row, centre).to_bits(), want, "d {d} row {l}");
                    assert_eq!(cs.dist(row, centre).to_bits(), want, "d {d} row {l}");
                    assert_eq!(dists[l].to_bits(), want, "d {d} row {l}");
                }
            }
        }
    }

    #[test]
    fn ties_go_to_the_lowest_index() {
        let cs = CentreSet::new(vec![1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0], 2);
        let x = [0.0f32, 0.0, 0.5, 0.5];
        let mut scratch = cs.scratch();
        let mut got = vec![];
        cs.for_each_nearest(true, &x, &mut scratch, |_, l, _, _| got.push(l));
        assert_eq!(got, vec![4, 0]);
        let far = CentreSet::new(vec![3.0, 0.0, -3.0, 0.0], 2);
        let mut got = vec![];
        far.for_each_nearest(
            true,
            &[0.0, 0.0],
            &mut scratch[..2 * LANES],
            |_, l, _, _| got.push(l),
        );
        assert_eq!(got, vec![0]);
    }

    #[test]
    fn block_transpose_matches_the_scalar_one() {
        for d in [1, 7, 8, 13, 16, 24] {
            let values: Vec<f32> = (0..LANES * d).map(|v| v as f32).collect();
            let mut out = vec![f32::NAN; LANES * d];
            transpose_block(&values, d, &mut out);
            for l in 0..LANES {
                for j in 0..d {
                    assert_eq!(
                        out[j * LANES + l],
                        values[l * d + j],
                        "d {d} row {l} col {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn full_blocks_rank_as_the_exact_argmin_for_every_centre_count() {
        let d = 16;
        let mut s = crate::data::KeyedStream::new(3, crate::data::Purpose::Sample, 0);
        let x: Vec<f32> = (0..64 * LANES * d)
            .map(|_| (s.uniform() * 20.0 - 10.0) as f32)
            .collect();
        for (k, routines) in [1, 2, 3, 4, 5, 9, 16, 32, 37]
            .into_iter()
            .flat_map(|k| Routines::all_on_this_cpu().into_iter().map(move |r| (k, r)))
        {
            let c: Vec<f64> = (0..k * d).map(|_| s.uniform() * 20.0 - 10.0).collect();
            let cs = CentreSet::with_routines(c.clone(), d, routines);
            let (mut scratch, mut a) = (cs.scratch(), Ranking::default());
            let (mut labels, mut dists) = ([0u32; LANES], [0.0f64; LANES]);
            for (b, block) in x.chunks(LANES * d).enumerate() {
                cs.rank(block, &mut scratch, &mut a);
                cs.exact_of_block(&a, block, &mut labels, &mut dists);
                for l in 0..LANES {
                    let (label, dist) = reference(&block[l * d..(l + 1) * d], &c, d);
                    assert_eq!(labels[l], label, "k {k} block {b} row {l}");
                    assert!((dists[l] - dist).abs() <= 1e-12 * dist.max(1.0));
                }
            }
        }
    }

    #[test]
    fn within_flags_every_row_nearer_than_its_bound() {
        let mut s = crate::data::KeyedStream::new(5, crate::data::Purpose::Sample, 0);
        for d in [1, 3, 8, 16, 21] {
            let x: Vec<f32> = (0..32 * LANES * d)
                .map(|_| (s.uniform() * 20.0 - 10.0) as f32)
                .collect();
            let k = 7;
            let c: Vec<f64> = (0..k * d).map(|_| s.uniform() * 20.0 - 10.0).collect();
            for routines in Routines::all_on_this_cpu() {
                let cs = CentreSet::with_routines(c.clone(), d, routines);
                let (mut scratch, mut masks) = (cs.scratch(), vec![0u32; k]);
                let (mut flagged, mut rows) = (0, 0);
                for block in x.chunks(LANES * d) {
                    // Bounds spread around the distances, some exactly on one.
                    let bound: [f64; LANES] = std::array::from_fn(|l| {
                        let row = &block[l * d..(l + 1) * d];
                        sq_dist(row, &c[(l % k) * d..(l % k + 1) * d])
                            * (0.5 + (l % 5) as f64 * 0.25)
                    });
                    cs.within_block(block, &mut scratch, &bound, &mut masks);
                    for l in 0..LANES {
                        let row = &block[l * d..(l + 1) * d];
                        for (cc, cr) in c.chunks(d).enumerate() {
                            let set = masks[cc] >> l & 1 == 1;
                            if sq_dist(row, cr) <= bound[l] {
                                assert!(set, "d {d} row {l} centre {cc}");
                            }
                            flagged += set as usize;
                            rows += 1;
                        }
                    }
                }
                // The filter is worth having: it clears most pairs here.
                assert!(flagged * 2 < rows, "d {d}: {flagged} of {rows} flagged");
            }
        }
    }
}
