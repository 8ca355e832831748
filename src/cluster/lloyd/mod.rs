//! Lloyd's iterations with scikit-learn's semantics (`_kmeans_single_lloyd`): each
//! iteration labels every row against the current centres and moves each centre to the
//! weighted mean of its rows (relocating empty clusters); it stops on unchanged labels
//! ("strict convergence"), on a total squared centre shift `≤ tol` (absolute, see
//! [`Summary::absolute_tol`]) or after `max_iter` iterations. A final pass relabels the
//! rows against the returned centres and computes the exact inertia, so labels, centres
//! and inertia always agree.

pub mod fixed_sum;
pub mod hamerly;
pub mod partial_sums;
pub mod relocate;

use crate::cluster::error::ClusterError;
use crate::cluster::kernels::assign_pass::{Pass, assign_pass};
use crate::cluster::kernels::general::CentreSet;
use crate::cluster::labels::{LabelWidth, LabelWord, Labels};
use crate::cluster::lloyd::hamerly::{Motion, hamerly_pass};
use crate::cluster::lloyd::partial_sums::{PartialSums, Scales};
use crate::cluster::lloyd::relocate::relocate_empty;
use crate::cluster::params::Algorithm;
use crate::cluster::summary::Summary;
use crate::data::ChunkedMatrix;
use crate::monitor::{Monitor, TaskKind};

/// How the iterations ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convergence {
    /// An iteration left every label unchanged.
    Strict,
    /// The total squared centre shift fell to `tol` or below.
    Tolerance,
    /// `max_iter` iterations ran.
    MaxIter,
}

/// What Lloyd's iterations produced.
#[derive(Debug, Clone, PartialEq)]
pub struct LloydOutcome {
    /// Final centres, `k × d` row-major.
    pub centres: Vec<f64>,
    /// Labels against the final centres, in the narrowest word for k.
    pub labels: Labels,
    /// `Σ w·‖x − c_label‖²` against the final centres.
    pub inertia: f64,
    /// Iterations run.
    pub n_iter: usize,
    /// Cost of each iteration's assignment (against the centres it started from), by the
    /// identity of [`PartialSums::cost_against`].
    pub curve: Vec<f64>,
    /// How the iterations ended.
    pub convergence: Convergence,
    /// Empty clusters relocated, over all iterations.
    pub relocated: usize,
    /// The centres after each iteration, starting with the ones given: `(n_iter + 1) × k × d`
    /// row-major (k·d values per step, so small beside the data).
    pub history: Vec<f64>,
    /// Rows whose label against step `i`'s centres differs from their label against step
    /// `i − 1`'s, for `i = 0 ..= n_iter` (step 0 labels every row for the first time).
    pub moved: Vec<u64>,
}

/// Runs Lloyd's iterations from `centres` (`k × d`, row-major).
#[allow(clippy::too_many_arguments)]
pub fn lloyd(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    summary: &Summary,
    centres: Vec<f64>,
    max_iter: usize,
    tol_abs: f64,
    algorithm: Algorithm,
    monitor: &dyn Monitor,
) -> Result<LloydOutcome, ClusterError> {
    let k = centres.len() / x.n_cols();
    let run = (
        x, weights, summary, centres, max_iter, tol_abs, algorithm, monitor,
    );
    match LabelWidth::for_k(k) {
        LabelWidth::U8 => lloyd_in::<u8>(run),
        LabelWidth::U16 => lloyd_in::<u16>(run),
        LabelWidth::U32 => lloyd_in::<u32>(run),
    }
}

/// [`lloyd`]'s arguments.
type LloydRun<'a> = (
    &'a ChunkedMatrix,
    Option<&'a [f64]>,
    &'a Summary,
    Vec<f64>,
    usize,
    f64,
    Algorithm,
    &'a dyn Monitor,
);

/// [`lloyd`] with labels kept as `L`.
fn lloyd_in<L: LabelWord>(run: LloydRun<'_>) -> Result<LloydOutcome, ClusterError> {
    let (x, weights, summary, mut centres, max_iter, tol_abs, algorithm, monitor) = run;
    let d = x.n_cols();
    let n = x.n_rows();
    let scales = Scales::new(&summary.covering(&centres));
    // Filled on every thread: a serial fill of n values is a serial stage of its own at
    // 10M rows, and a zeroed one is cleared inside wasm's global allocator lock.
    let mut labels = filled(n, L::NONE);
    let mut lower = match algorithm {
        Algorithm::Lloyd => Vec::new(),
        Algorithm::Hamerly => filled(n, 0.0f32),
    };
    let mut previous: Option<Vec<f64>> = None;
    let mut totals: Option<PartialSums> = None;
    let mut curve = Vec::new();
    let mut relocated = 0;
    let mut relocated_before = false;
    let mut convergence = Convergence::MaxIter;
    let mut history = centres.clone();
    let mut moved_rows = Vec::new();
    for it in 0..max_iter {
        monitor.checkpoint()?;
        let cs = CentreSet::new(centres.clone(), d);
        // After a relocation the sums no longer follow the labels: sum afresh.
        let pass = match totals {
            Some(_) if !relocated_before => Pass::Delta,
            _ => Pass::Full,
        };
        let part = match algorithm {
            Algorithm::Lloyd => assign_pass(
                x,
                weights,
                &cs,
                &mut labels,
                &scales,
                pass,
                TaskKind::Lloyd,
                monitor,
            )?,
            Algorithm::Hamerly => {
                let motion = Motion::new(previous.as_deref(), &cs);
                hamerly_pass(
                    x,
                    weights,
                    &cs,
                    &motion,
                    &mut labels,
                    &mut lower,
                    &scales,
                    pass,
                    monitor,
                )?
            }
        };
        let changed = part.changed;
        moved_rows.push(changed);
        let mut sums = match (pass, totals.take()) {
            (Pass::Delta, Some(mut t)) => {
                t.merge(&part);
                t
            }
            _ => part,
        };
        curve.push(sums.cost_against(&scales, cs.values()));
        let moved = relocate_empty(x, weights, &labels, &cs, &mut sums, &scales);
        relocated += moved.len();
        let new = sums.means(&scales, &centres);
        totals = Some(sums);
        let shift: f64 = new
            .iter()
            .zip(&centres)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        history.extend_from_slice(&new);
        previous = Some(std::mem::replace(&mut centres, new));
        monitor.progress((it + 1) as u64, max_iter as u64);
        if changed == 0 && moved.is_empty() && !relocated_before {
            convergence = Convergence::Strict;
            break;
        }
        relocated_before = !moved.is_empty();
        if shift <= tol_abs {
            convergence = Convergence::Tolerance;
            break;
        }
    }
    drop(totals);
    drop(lower);
    // Labels and inertia against the returned centres. After strict convergence the labels
    // cannot change: no row moved, so the sums and their means are those of the last pass,
    // whose exact argmins the labels are. Only their cost is then computed, which spares a
    // ranking pass (a third of a two-iteration fit's Lloyd phase); the bitwise check keeps
    // that argument honest.
    let settled = convergence == Convergence::Strict
        && previous.as_deref().is_some_and(|p| {
            p.iter()
                .zip(&centres)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        });
    let cs = CentreSet::new(centres.clone(), d);
    let last = assign_pass(
        x,
        weights,
        &cs,
        &mut labels,
        &scales,
        if settled { Pass::Labelled } else { Pass::Cost },
        TaskKind::Lloyd,
        monitor,
    )?;
    let inertia = scales.dist.value(last.cost);
    moved_rows.push(last.changed);
    Ok(LloydOutcome {
        centres,
        labels: L::into_labels(labels),
        inertia,
        n_iter: curve.len(),
        curve,
        convergence,
        relocated,
        history,
        moved: moved_rows,
    })
}

/// Below this many values a buffer is filled in place rather than in parallel.
const PARALLEL_FILL_MIN: usize = 1 << 14;

/// `n` copies of `value`, written in parallel when `n` is large.
pub(crate) fn filled<T: Copy + Send + Sync>(n: usize, value: T) -> Vec<T> {
    use rayon::prelude::*;
    // Small buffers (k-means||'s recluster of a few dozen candidates, many times per
    // seeding) are filled in place: a parallel fill splits even three rows across threads,
    // and waking a sleeping browser worker costs more than the fill.
    if n < PARALLEL_FILL_MIN {
        return vec![value; n];
    }
    let mut v = Vec::with_capacity(n);
    v.par_extend(rayon::iter::repeat_n(value, n));
    v
}
