//! `metrics`: scikit-learn's clustering scores of the labelled dataset (ARCHITECTURE.md §10).
//!
//! Scores that are undefined for the labelling (one cluster, or every row its own) are
//! `None`, not errors: a k = 1 scenario still has an inertia worth showing in a sweep.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cluster::KMeansFit;
use crate::cluster::metrics::{
    adjusted_rand_index, calinski_harabasz_and_davies_bouldin, cluster_sizes, silhouette_score,
};
use crate::data::Blobs;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

use super::predict::LabelSet;

/// Scores of one scenario's labelling of the whole dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Sum of squared distances to the assigned centres, over every row.
    pub inertia: f64,
    /// Rows per cluster.
    pub cluster_sizes: Vec<u64>,
    /// Adjusted Rand index against the generating blobs; NaN (`null` in JSON) for data
    /// without ground truth (an imported file).
    #[serde(with = "crate::pipeline::graph::imported::nan_as_null")]
    pub adjusted_rand: f64,
    /// Mean silhouette on a seeded sample (higher is better).
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz index (higher is better).
    pub calinski_harabasz: Option<f64>,
    /// Davies–Bouldin index (lower is better).
    pub davies_bouldin: Option<f64>,
}

/// Scores the labels. ARI, silhouette, and Calinski–Harabasz with Davies–Bouldin (one
/// set of centroids, one pass for both) are recorded as three tasks of the task stream
/// (chunk index = score number): they are internally parallel and expose no chunks.
pub fn metrics(
    plan: &Plan,
    data: &Blobs,
    model: &KMeansFit,
    labels: &LabelSet,
    monitor: &dyn Monitor,
) -> Result<Arc<Metrics>, PipelineError> {
    let l = labels.labels();
    let x = &data.x;
    let adjusted_rand = if data.labels.is_empty() {
        f64::NAN
    } else {
        run_chunk(monitor, TaskKind::Metrics, 0, || {
            adjusted_rand_index(&data.labels, l)
        })?
    };
    monitor.checkpoint()?;
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
    Ok(Arc::new(Metrics {
        inertia: labels.inertia(),
        cluster_sizes: cluster_sizes(l, model.k()),
        adjusted_rand,
        silhouette,
        calinski_harabasz,
        davies_bouldin,
    }))
}

/// Fingerprint of the scores.
pub fn fingerprint(m: &Metrics) -> Fingerprint {
    let mut h = FingerprintHasher::new("metrics");
    h.json(m);
    h.finish()
}

/// Bytes held.
pub fn bytes(m: &Metrics) -> usize {
    m.cluster_sizes.len() * 8 + 64
}
