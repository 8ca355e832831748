//! `predict`: the label of every row. When the model was fitted on a sample, every row is
//! labelled against the fitted centres, chunk-parallel (dask-ml's `ParallelPostFit.predict`);
//! otherwise the fit's own labels pass through.

use std::sync::Arc;

use crate::cluster::{KMeansFit, Prediction, predict_monitored};
use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

/// Labels of every row with the inertia they give.
#[derive(Debug, Clone)]
pub enum LabelSet {
    /// The fit's labels (the model was fitted on every row), widened once to `u32` for
    /// the tasks downstream (the model keeps them in its narrowest word).
    FromFit {
        /// The model.
        model: Arc<KMeansFit>,
        /// Its labels as `u32`s.
        labels: Arc<Vec<u32>>,
    },
    /// Labels predicted for every row.
    Predicted(Arc<Prediction>),
}

impl LabelSet {
    /// The model's own labels.
    pub fn from_fit(model: Arc<KMeansFit>) -> Self {
        let labels = Arc::new(model.labels.as_u32().into_owned());
        LabelSet::FromFit { model, labels }
    }

    /// One label per row of the dataset.
    pub fn labels(&self) -> &[u32] {
        match self {
            LabelSet::FromFit { labels, .. } => labels,
            LabelSet::Predicted(p) => &p.labels,
        }
    }

    /// Inertia of these labels on the whole dataset.
    pub fn inertia(&self) -> f64 {
        match self {
            LabelSet::FromFit { model, .. } => model.inertia,
            LabelSet::Predicted(p) => p.inertia,
        }
    }
}

/// Labels every row of `data` against the model's centres.
pub fn predict(
    data: &Blobs,
    model: &KMeansFit,
    monitor: &dyn Monitor,
) -> Result<Arc<Prediction>, PipelineError> {
    Ok(Arc::new(predict_monitored(
        &data.x,
        model.centres.view(),
        data.weights.as_deref(),
        monitor,
    )?))
}

/// Fingerprint of predicted labels.
pub fn fingerprint(p: &Prediction) -> Fingerprint {
    let mut h = FingerprintHasher::new("labels");
    h.u32s(&p.labels);
    h.f64s(&[p.inertia]);
    h.finish()
}

/// Fingerprint of the pass-through labels: the model's own, re-labelled.
pub fn pass_through_fingerprint(model: Fingerprint) -> Fingerprint {
    let mut h = FingerprintHasher::new("labels: from the fit");
    h.fingerprint(model);
    h.finish()
}

/// Bytes held.
pub fn bytes(p: &Prediction) -> usize {
    p.labels.len() * 4 + 16
}
