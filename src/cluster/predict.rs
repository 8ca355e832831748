//! Predict: label any chunked matrix against given centres, chunk-parallel with progress
//! (dask-ml's `ParallelPostFit.predict`), with the same exact labels as a fit.

use ndarray::ArrayView2;

use super::error::ClusterError;
use super::kernels::assign_pass::{Pass, assign_pass};
use super::kernels::general::CentreSet;
use super::lloyd::partial_sums::Scales;
use super::summary::Summary;
use crate::data::{ChunkedMatrix, DataError};
use crate::limits::LimitError;
use crate::monitor::{Monitor, TaskKind, Unmonitored};

/// Labels and inertia of a dataset against fixed centres.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Nearest centre of every row (lowest index on ties).
    pub labels: Vec<u32>,
    /// `Σ w·‖x − c_label‖²`.
    pub inertia: f64,
}

/// Labels `x` against `centres` (`k × d`).
pub fn predict(
    x: &ChunkedMatrix,
    centres: ArrayView2<'_, f64>,
    weights: Option<&[f64]>,
) -> Result<Prediction, ClusterError> {
    predict_monitored(x, centres, weights, &Unmonitored)
}

/// Labels `x` against `centres`, reporting each chunk to `monitor`.
pub fn predict_monitored(
    x: &ChunkedMatrix,
    centres: ArrayView2<'_, f64>,
    weights: Option<&[f64]>,
    monitor: &dyn Monitor,
) -> Result<Prediction, ClusterError> {
    if centres.ncols() != x.n_cols() {
        return Err(ClusterError::Inconsistent {
            what: "centres must have one value per feature",
            expected: x.n_cols(),
            got: centres.ncols(),
        });
    }
    if centres.nrows() == 0 {
        return Err(ClusterError::Limit(LimitError::out_of_range(
            "number of centres",
            "0",
            "at least 1",
        )));
    }
    let values: Vec<f64> = centres.iter().copied().collect();
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(DataError::NotFinite {
            name: "centres",
            value: values[i].to_string(),
            row: i / x.n_cols(),
            col: i % x.n_cols(),
        }
        .into());
    }
    let summary = Summary::of(x, weights)?.covering(&values);
    let scales = Scales::new(&summary);
    let cs = CentreSet::new(values, x.n_cols());
    let mut labels = vec![u32::MAX; x.n_rows()];
    let sums = assign_pass(
        x,
        weights,
        &cs,
        &mut labels,
        &scales,
        Pass::Cost,
        TaskKind::Predict,
        monitor,
    )?;
    Ok(Prediction {
        labels,
        inertia: scales.dist.value(sums.cost),
    })
}
