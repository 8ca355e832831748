//! `metrics`: the cheap scores of the labelled dataset, read in one pass over the labels
//! (ARCHITECTURE.md §10): inertia, cluster sizes and the adjusted Rand index. The internal
//! indices are the `quality` node's ([`super::quality`]), which a [`Metrics`] carries once
//! they are known ([`Metrics::with_quality`]).
//!
//! Scores that are undefined for the labelling (one cluster, or every row its own) are
//! `None`, not errors: a k = 1 scenario still has an inertia worth showing in a sweep.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cluster::KMeansFit;
use crate::cluster::metrics::{adjusted_rand_index, cluster_sizes};
use crate::data::Blobs;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

use super::predict::LabelSet;
use super::quality::Quality;

/// Scores of one scenario's labelling of the whole dataset.
///
/// The `metrics` node fills the first three fields and leaves the internal indices `None`;
/// an evaluation that also asked for the `quality` node reports them filled in
/// ([`Metrics::with_quality`]), and one that did not marks them pending
/// ([`crate::pipeline::engine::evaluation::EvaluationSummary::quality_pending`]).
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
    /// Mean silhouette on a seeded sample (higher is better), from the `quality` node.
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz index (higher is better), from the `quality` node.
    pub calinski_harabasz: Option<f64>,
    /// Davies–Bouldin index (lower is better), from the `quality` node.
    pub davies_bouldin: Option<f64>,
}

impl Metrics {
    /// The internal indices these scores carry (all `None` before the `quality` node's
    /// are filled in).
    pub fn quality(&self) -> Quality {
        Quality {
            silhouette: self.silhouette,
            calinski_harabasz: self.calinski_harabasz,
            davies_bouldin: self.davies_bouldin,
        }
    }

    /// These scores with the `quality` node's indices filled in.
    pub fn with_quality(mut self, q: &Quality) -> Self {
        self.silhouette = q.silhouette;
        self.calinski_harabasz = q.calinski_harabasz;
        self.davies_bouldin = q.davies_bouldin;
        self
    }
}

/// Scores the labels. The ARI is one task of the task stream (chunk index 0; the `quality`
/// node's indices are 1 and 2): it is internally parallel and exposes no chunks.
pub fn metrics(
    data: &Blobs,
    model: &KMeansFit,
    labels: &LabelSet,
    monitor: &dyn Monitor,
) -> Result<Arc<Metrics>, PipelineError> {
    let l = labels.labels();
    let adjusted_rand = if data.labels.is_empty() {
        f64::NAN
    } else {
        run_chunk(monitor, TaskKind::Metrics, 0, || {
            adjusted_rand_index(&data.labels, l)
        })?
    };
    monitor.checkpoint()?;
    Ok(Arc::new(Metrics {
        inertia: labels.inertia(),
        cluster_sizes: cluster_sizes(l, model.k()),
        adjusted_rand,
        silhouette: None,
        calinski_harabasz: None,
        davies_bouldin: None,
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
