//! The plain assignment pass: one read of every chunk labels its rows against the current
//! centres, fused with the M-step's sums (scikit-learn's `lloyd_iter_chunked_dense`).
//!
//! Because the sums are exact ([`partial_sums`](crate::cluster::lloyd::partial_sums)), an iteration after
//! the first only moves the rows whose label changed ([`Pass::Delta`]): the result is
//! bit-identical to summing afresh, and a converging fit touches few rows.

use crate::cluster::chunk_tasks::map_chunks_mut;
use crate::cluster::kernels::general::{CentreSet, LANES, Ranking};
use crate::cluster::labels::LabelWord;
use crate::cluster::lloyd::fixed_sum::BlockFixSum;
use crate::cluster::lloyd::partial_sums::{PartialSums, Scales};
use crate::data::ChunkedMatrix;
use crate::monitor::{Cancelled, Monitor, TaskKind};

/// What a pass accumulates besides the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Sums, weights and norms of every row (labels before the pass are ignored).
    Full,
    /// Only the changes: rows whose label changed leave their old cluster and join the new.
    Delta,
    /// The exact cost `Σ w·sq_dist(x, c_label)`, no sums (predict and final inertia).
    Cost,
    /// The cost of the labels as they are, which the caller knows to be the exact argmins
    /// (a fit that converged strictly: its centres are the means of these labels' rows).
    /// The cost of [`Pass::Cost`] without ranking a single centre.
    Labelled,
}

/// Labels every row (writing `labels`, any [`LabelWord`] that holds `cs.k()` labels) and
/// returns the merged sums, or `Cancelled`.
#[allow(clippy::too_many_arguments)]
pub fn assign_pass<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cs: &CentreSet,
    labels: &mut [L],
    scales: &Scales,
    pass: Pass,
    kind: TaskKind,
    monitor: &dyn Monitor,
) -> Result<PartialSums, Cancelled> {
    let (k, d) = (cs.k(), cs.d());
    let parts = map_chunks_mut(x, labels, kind, monitor, |chunk, lab| {
        L::with_u32s(lab, |lab| chunk_pass(chunk, lab, weights, cs, scales, pass))
    })?;
    Ok(PartialSums::merge_all(k, d, parts))
}

/// One chunk of [`assign_pass`], on its labels widened to `u32`.
fn chunk_pass(
    chunk: crate::data::Chunk<'_>,
    lab: &mut [u32],
    weights: Option<&[f64]>,
    cs: &CentreSet,
    scales: &Scales,
    pass: Pass,
) -> PartialSums {
    let (k, d) = (cs.k(), cs.d());
    let mut p = PartialSums::new(k, d);
    let w = weights.map(|w| &w[chunk.start_row..chunk.start_row + chunk.rows()]);
    if pass == Pass::Labelled {
        let full = chunk.rows() / LANES * LANES;
        add_label_costs(
            cs,
            scales,
            &mut p,
            &chunk.values[..full * d],
            &lab[..full],
            w,
        );
        let rest = chunk.values[full * d..].chunks_exact(d).zip(&lab[full..]);
        for (i, (row, &label)) in rest.enumerate() {
            let w = w.map_or(1.0, |w| w[full + i]);
            p.add_cost(scales, w, cs.dist(row, cs.row(label as usize)));
        }
        return p;
    }
    let mut scratch = cs.scratch();
    let mut a = Ranking::default();
    let (mut labels, mut dists) = ([0u32; LANES], [0.0f64; LANES]);
    // Few features: the fused scans rank the full blocks without leaving registers
    // unless a row needs a look; the rows they leave go the general way.
    // A first pass of unit weights, or the final cost pass: labels straight from the scan.
    let labels_from_scan = pass == Pass::Cost || (pass == Pass::Full && w.is_none());
    let scanned = match pass {
        Pass::Delta => {
            let (rows, changed) = cs.scan_blocks(
                chunk.values,
                lab,
                true,
                &mut |b, moved, unsure, old, lab| {
                    let block = &chunk.values[b * LANES * d..(b + 1) * LANES * d];
                    let w = w.map(|w| &w[b * LANES..(b + 1) * LANES]);
                    let row = |l: usize| &block[l * d..(l + 1) * d];
                    let weight = |l: usize| w.map_or(1.0, |w| w[l]);
                    for l in bits(moved) {
                        p.move_row(scales, row(l), weight(l), old[l], lab[l]);
                    }
                    for l in bits(unsure) {
                        let label = cs.nearest_exact(row(l)).label;
                        if label != old[l] {
                            p.changed += 1;
                            p.move_row(scales, row(l), weight(l), old[l], label);
                        }
                        lab[l] = label;
                    }
                },
            );
            p.changed += changed;
            rows
        }
        _ if labels_from_scan => {
            let (rows, changed) =
                cs.scan_blocks(chunk.values, lab, false, &mut |b, _, unsure, old, lab| {
                    let block = &chunk.values[b * LANES * d..(b + 1) * LANES * d];
                    for l in bits(unsure) {
                        let label = cs.nearest_exact(&block[l * d..(l + 1) * d]).label;
                        p.changed += (old[l] != label) as u64;
                        lab[l] = label;
                    }
                });
            p.changed += changed;
            let (values, lab) = (&chunk.values[..rows * d], &lab[..rows]);
            if pass == Pass::Full {
                p.add_unit_rows(scales, values, lab);
            } else {
                add_label_costs(cs, scales, &mut p, values, lab, w);
            }
            rows
        }
        _ => 0,
    };
    let blocks = chunk.values[scanned * d..]
        .chunks(d * LANES)
        .zip(lab[scanned..].chunks_mut(LANES));
    for (b, (block, lab)) in blocks.enumerate() {
        let b = b + scanned / LANES;
        cs.rank(block, &mut scratch, &mut a);
        let row = |l: usize| &block[l * d..(l + 1) * d];
        let weight = |l: usize| w.map_or(1.0, |w| w[b * LANES + l]);
        match pass {
            // Unweighted, the weight is a constant the compiler folds away.
            Pass::Full if w.is_none() => {
                for (l, old) in lab.iter_mut().enumerate() {
                    let label = cs.label_of(&a, l, row(l));
                    p.changed += (*old != label) as u64;
                    *old = label;
                    p.add_row(scales, row(l), 1.0, label, 1.0);
                }
            }
            Pass::Full => {
                for (l, old) in lab.iter_mut().enumerate() {
                    let label = cs.label_of(&a, l, row(l));
                    p.changed += (*old != label) as u64;
                    *old = label;
                    p.add_row(scales, row(l), weight(l), label, 1.0);
                }
            }
            Pass::Delta => {
                // Most rows keep a certified label: find the others with a few
                // vector compares and only visit them.
                let w = w.map(|w| &w[b * LANES..b * LANES + lab.len()]);
                move_unsettled(cs, scales, &mut p, block, w, &a, attention(&a, lab), lab);
            }
            // `Labelled` returned above; ranking it would give the same cost.
            Pass::Cost | Pass::Labelled => {
                cs.exact_of_block(&a, block, &mut labels, &mut dists);
                for (l, old) in lab.iter_mut().enumerate() {
                    p.changed += (*old != labels[l]) as u64;
                    *old = labels[l];
                    p.add_cost(scales, weight(l), dists[l]);
                }
            }
        }
    }
    p
}

/// Adds the exact cost of full blocks of rows (row-major `values`, rows a multiple of
/// [`LANES`]) at their labels to `p`.
fn add_label_costs(
    cs: &CentreSet,
    scales: &Scales,
    p: &mut PartialSums,
    values: &[f32],
    lab: &[u32],
    w: Option<&[f64]>,
) {
    let d = cs.d();
    // Unit weights: distances (never negative) summed eight per vector.
    let mut unit = BlockFixSum::new(&scales.dist);
    if w.is_some() || !cs.add_block_costs(values, lab, &mut unit) {
        let mut dists = [0.0f64; LANES];
        let blocks = values.chunks_exact(d * LANES).zip(lab.chunks_exact(LANES));
        for (b, (block, lab)) in blocks.enumerate() {
            let lab: &[u32; LANES] = lab.try_into().expect("a full block");
            cs.exact_dists_of_block(block, lab, &mut dists);
            for (l, &dist) in dists.iter().enumerate() {
                let w = w.map_or(1.0, |w| w[b * LANES + l]);
                p.add_cost(scales, w, dist);
            }
        }
    }
    p.add_cost_sum(unit);
}

/// Moves each row of a ranked block flagged in `need` whose exact label differs from its
/// current one between the sums, and relabels it.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn move_unsettled(
    cs: &CentreSet,
    scales: &Scales,
    p: &mut PartialSums,
    block: &[f32],
    w: Option<&[f64]>,
    a: &Ranking,
    need: u32,
    lab: &mut [u32],
) {
    let d = cs.d();
    for l in bits(need) {
        let row = &block[l * d..(l + 1) * d];
        let label = cs.label_of(a, l, row);
        let old = lab[l];
        if old != label {
            p.changed += 1;
            p.move_row(scales, row, w.map_or(1.0, |w| w[l]), old, label);
            lab[l] = label;
        }
    }
}

/// The indices of the set bits of a block mask, lowest first.
#[inline(always)]
pub(crate) fn bits(mut mask: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let l = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            l
        })
    })
}

/// Bit `l` set when row `l` of a ranked block needs a look: its winner is not certified,
/// or differs from its current label.
#[inline(always)]
fn attention(a: &Ranking, lab: &[u32]) -> u32 {
    let mut need = 0u32;
    for (l, ((&sure, &idx), &old)) in a.certain.iter().zip(&a.idx).zip(lab).enumerate() {
        need |= (((sure == 0) | (idx != old)) as u32) << l;
    }
    need
}
