//! The distance kernel: for each row, the exact nearest centre and a lower bound on the
//! distance to the second nearest.
//!
//! "Exact" means: the argmin (lowest index on ties) of [`sq_dist`], the direct
//! `Σ (x − c)²` in `f64`. Computing that for every centre is slow, so the kernel first
//! ranks centres with the expanded form `‖c‖² − 2 x·c` in `f32` — the form scikit-learn
//! and every BLAS-based k-means use — eight rows at a time with the dot products tiled in
//! registers (written as fixed-size array loops that LLVM vectorises: AVX2 + FMA when the
//! CPU has it, SSE2 otherwise, `simd128` in wasm). A rigorous bound on the `f32` rounding
//! (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1: a length-d dot
//! product errs by at most γ_d Σ|xᵢcᵢ|) then certifies the winner: when the gap to the
//! runner-up exceeds twice the bound, the exact argmin is the same centre; otherwise the
//! row falls back to exact distances to every centre. Labels therefore never depend on
//! the CPU, the instruction set, the chunking or the thread count.

/// Rows per block (one AVX2 register of `f32`).
pub const LANES: usize = 8;
/// Centres per register tile.
const GROUP: usize = 4;
/// Unit roundoff of `f32`, doubled: 2⁻²³.
const U32X2: f64 = 1.0 / (1u64 << 23) as f64;

/// Squared Euclidean distance in `f64`, summed in a fixed order (four interleaved partial
/// sums, then a pairwise combination) so that it vectorises and is the same on every target.
#[inline]
pub fn sq_dist(x: &[f32], c: &[f64]) -> f64 {
    debug_assert_eq!(x.len(), c.len());
    let mut acc = [0.0f64; 4];
    let mut xs = x.chunks_exact(4);
    let mut cs = c.chunks_exact(4);
    for (xa, ca) in (&mut xs).zip(&mut cs) {
        for l in 0..4 {
            let t = xa[l] as f64 - ca[l];
            acc[l] += t * t;
        }
    }
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
    /// Padded to a multiple of `GROUP`.
    kp: usize,
    c64: Vec<f64>,
    /// `f32` copies, group-interleaved: `c32[(g·d + j)·GROUP + q]` is feature j of centre
    /// `g·GROUP + q`, so each feature of a tile is one contiguous load.
    c32: Vec<f32>,
    /// `‖c‖²` in `f32`; +∞ for padding, so padding never wins.
    cn: Vec<f32>,
    /// An upper bound on `‖c‖` over real centres.
    cmax: f64,
}

impl CentreSet {
    /// Prepares `k` centres of `d` features, row-major.
    pub fn new(c64: Vec<f64>, d: usize) -> Self {
        assert!(d > 0 && c64.len().is_multiple_of(d));
        let k = c64.len() / d;
        let kp = k.div_ceil(GROUP) * GROUP;
        let mut c32 = vec![0.0f32; kp * d];
        let mut cn = vec![f32::INFINITY; kp];
        let mut cmax = 0.0f64;
        for c in 0..k {
            let (g, q) = (c / GROUP, c % GROUP);
            let mut n2 = 0.0f64;
            for j in 0..d {
                let v = c64[c * d + j] as f32;
                c32[(g * d + j) * GROUP + q] = v;
                n2 += v as f64 * v as f64;
            }
            cn[c] = n2 as f32;
            cmax = cmax.max(n2.sqrt());
        }
        Self {
            k,
            d,
            kp,
            c64,
            c32,
            cn,
            cmax: cmax * (1.0 + 1e-6),
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

    /// A scratch buffer for [`CentreSet::nearest_block`].
    pub fn scratch(&self) -> Vec<f32> {
        vec![0.0; self.d * LANES]
    }

    /// The nearest centre of each of up to [`LANES`] rows.
    pub fn nearest_block(&self, rows: &[&[f32]], scratch: &mut [f32], out: &mut [Nearest]) {
        let n = rows.len();
        debug_assert!(n <= LANES && out.len() >= n && scratch.len() == self.d * LANES);
        let d = self.d;
        for (l, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                scratch[j * LANES + l] = v;
            }
        }
        for l in n..LANES {
            for j in 0..d {
                scratch[j * LANES + l] = 0.0;
            }
        }
        let mut a = Approx::default();
        approx_dispatch(self, scratch, &mut a);
        for l in 0..n {
            let xnorm = (a.xn[l] as f64).sqrt() * (1.0 + 1e-6) + self.cmax;
            let margin = (d + 5) as f64 * U32X2 * xnorm * xnorm;
            let (b, s) = (a.best[l] as f64, a.second[l] as f64);
            out[l] = if s - b > 2.0 * margin {
                let label = a.idx[l];
                Nearest {
                    label,
                    dist: sq_dist(rows[l], self.row(label as usize)),
                    second_lb: (s + a.xn[l] as f64 - 2.0 * margin).max(0.0),
                }
            } else {
                self.nearest_exact(rows[l])
            };
        }
    }

    /// The nearest centre by exact distances to every centre.
    pub fn nearest_exact(&self, x: &[f32]) -> Nearest {
        let (mut best, mut label, mut second) = (f64::INFINITY, 0u32, f64::INFINITY);
        for c in 0..self.k {
            let dist = sq_dist(x, self.row(c));
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

    /// Calls `f(row_within_rows, nearest)` for every row of a row-major block of rows.
    pub fn for_each_nearest(
        &self,
        values: &[f32],
        scratch: &mut [f32],
        mut f: impl FnMut(usize, &Nearest),
    ) {
        let d = self.d;
        let mut out = [Nearest::default(); LANES];
        for (b, block) in values.chunks(d * LANES).enumerate() {
            let mut rows: [&[f32]; LANES] = [&[]; LANES];
            let n = block.len() / d;
            for (l, r) in block.chunks_exact(d).enumerate() {
                rows[l] = r;
            }
            self.nearest_block(&rows[..n], scratch, &mut out);
            for (l, o) in out[..n].iter().enumerate() {
                f(b * LANES + l, o);
            }
        }
    }
}

/// The `f32` ranking of one block.
#[derive(Debug, Clone, Copy)]
struct Approx {
    best: [f32; LANES],
    second: [f32; LANES],
    idx: [u32; LANES],
    xn: [f32; LANES],
}

impl Default for Approx {
    fn default() -> Self {
        Self {
            best: [f32::INFINITY; LANES],
            second: [f32::INFINITY; LANES],
            idx: [0; LANES],
            xn: [0.0; LANES],
        }
    }
}

/// A multiply-add, fused or not; the bound covers both.
trait MulAdd {
    fn mul_add(a: f32, b: f32, c: f32) -> f32;
}

struct Unfused;
impl MulAdd for Unfused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

#[cfg(target_arch = "x86_64")]
struct Fused;
#[cfg(target_arch = "x86_64")]
impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

#[inline(always)]
fn approx_generic<M: MulAdd>(cs: &CentreSet, xt: &[f32], a: &mut Approx) {
    let d = cs.d;
    let mut xn = [0.0f32; LANES];
    for xv in xt.chunks_exact(LANES) {
        for l in 0..LANES {
            xn[l] = M::mul_add(xv[l], xv[l], xn[l]);
        }
    }
    a.xn = xn;
    let (mut best, mut second, mut idx) = (a.best, a.second, a.idx);
    for g in 0..cs.kp / GROUP {
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
        for (q, accq) in acc.iter().enumerate() {
            let c = g * GROUP + q;
            let cn = cs.cn[c];
            for l in 0..LANES {
                let v = M::mul_add(-2.0, accq[l], cn);
                let lt = v < best[l];
                second[l] = if lt {
                    best[l]
                } else if v < second[l] {
                    v
                } else {
                    second[l]
                };
                idx[l] = if lt { c as u32 } else { idx[l] };
                best[l] = if lt { v } else { best[l] };
            }
        }
    }
    a.best = best;
    a.second = second;
    a.idx = idx;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn approx_avx2(cs: &CentreSet, xt: &[f32], a: &mut Approx) {
    approx_generic::<Fused>(cs, xt, a)
}

fn approx_plain(cs: &CentreSet, xt: &[f32], a: &mut Approx) {
    approx_generic::<Unfused>(cs, xt, a)
}

#[inline]
fn approx_dispatch(cs: &CentreSet, xt: &[f32], a: &mut Approx) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports the features `approx_avx2` is compiled for.
            unsafe { approx_avx2(cs, xt, a) };
            return;
        }
    }
    approx_plain(cs, xt, a)
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
        cs.for_each_nearest(&x, &mut scratch, |i, o| {
            let row = &x[i * d..(i + 1) * d];
            let (label, dist) = reference(row, &c, d);
            assert_eq!(o.label, label, "row {i}");
            assert!((o.dist - dist).abs() <= 1e-12 * dist.max(1.0));
            for (cc, cr) in c.chunks(d).enumerate() {
                if cc as u32 != label {
                    assert!(sq_dist(row, cr) >= o.second_lb, "row {i}");
                }
            }
            seen += 1;
        });
        assert_eq!(seen, n);
    }

    #[test]
    fn ties_go_to_the_lowest_index() {
        let cs = CentreSet::new(vec![1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0], 2);
        let x = [0.0f32, 0.0, 0.5, 0.5];
        let mut scratch = cs.scratch();
        let mut got = vec![];
        cs.for_each_nearest(&x, &mut scratch, |_, o| got.push(o.label));
        assert_eq!(got, vec![4, 0]);
        let far = CentreSet::new(vec![3.0, 0.0, -3.0, 0.0], 2);
        let mut got = vec![];
        far.for_each_nearest(&[0.0, 0.0], &mut scratch[..2 * LANES], |_, o| {
            got.push(o.label)
        });
        assert_eq!(got, vec![0]);
    }
}
