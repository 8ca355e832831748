//! `profile`: the dataset deck's histograms and first rows (see
//! [`crate::pipeline::render::dataset_profile`]). It reads only the dataset, so it is memoised with
//! it: changing k or the view never recomputes it.

use std::sync::Arc;

use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::render::dataset_profile::{self, DatasetProfile};

/// Profiles `data`.
pub fn profile(data: &Blobs, monitor: &dyn Monitor) -> Result<Arc<DatasetProfile>, PipelineError> {
    Ok(Arc::new(dataset_profile::profile(
        &data.x,
        Some(&data.labels),
        monitor,
    )?))
}

/// Fingerprint of a profile.
pub fn fingerprint(p: &DatasetProfile) -> Fingerprint {
    let mut h = FingerprintHasher::new("profile");
    h.json(p);
    h.finish()
}

/// Bytes held (approximately: counts, first rows and headers).
pub fn bytes(p: &DatasetProfile) -> usize {
    let counts: usize = p.histograms.iter().map(|h| h.counts.len() * 8 + 40).sum();
    let rows: usize = p.first_rows.iter().map(|r| r.values.len() * 4 + 32).sum();
    counts + rows + 64
}
