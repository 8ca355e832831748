//! `quality`: the internal validity indices of the labelled dataset, scikit-learn's
//! silhouette (on a seeded sample), Calinski–Harabasz and Davies–Bouldin
//! (ARCHITECTURE.md §10).
//!
//! A node of its own, apart from `metrics`, because it costs as much as the fit on small
//! data and nothing else waits for it: the page shows the picture and the cheap scores
//! first and these once they arrive, marked as pending until then (§2). Indices that are
//! undefined for the labelling (one cluster, or every row its own) are `None`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cluster::metrics::{calinski_harabasz_and_davies_bouldin, silhouette_score};
use crate::data::Blobs;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

use super::predict::LabelSet;

/// The three internal indices of one labelling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Mean silhouette on a seeded sample (higher is better); `None` with the sample off.
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz index (higher is better).
    pub calinski_harabasz: Option<f64>,
    /// Davies–Bouldin index (lower is better).
    pub davies_bouldin: Option<f64>,
}

/// Scores the labels. The silhouette, and Calinski–Harabasz with Davies–Bouldin (one set
/// of centroids, one pass for both), are two tasks of the task stream (chunk index 1 and
/// 2, after `metrics`' adjusted Rand index at 0): each is internally parallel.
pub fn quality(
    plan: &Plan,
    data: &Blobs,
    labels: &LabelSet,
    monitor: &dyn Monitor,
) -> Result<Arc<Quality>, PipelineError> {
    let l = labels.labels();
    let x = &data.x;
    let m = plan.inputs().silhouette_sample.min(x.n_rows());
    let silhouette = if m >= 2 {
        run_chunk(monitor, TaskKind::Metrics, 1, || {
            silhouette_score(x, l, Some(m), plan.inputs().data_seed).ok()
        })
    } else {
        None
    };
    monitor.checkpoint()?;
    let (calinski_harabasz, davies_bouldin) = run_chunk(monitor, TaskKind::Metrics, 2, || {
        calinski_harabasz_and_davies_bouldin(x, l).ok()
    })
    .unzip();
    monitor.checkpoint()?;
    Ok(Arc::new(Quality {
        silhouette,
        calinski_harabasz,
        davies_bouldin,
    }))
}

/// Fingerprint of the indices.
pub fn fingerprint(q: &Quality) -> Fingerprint {
    let mut h = FingerprintHasher::new("quality");
    h.json(q);
    h.finish()
}

/// Bytes held.
pub fn bytes(_: &Quality) -> usize {
    std::mem::size_of::<Quality>()
}
