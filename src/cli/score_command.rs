//! `blobscale score`: metrics of given labels on a dataset.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::ScoreArgs;
use super::data_source::load;
use super::files::read_labels;
use crate::cluster::metrics::{
    adjusted_rand_index, calinski_harabasz, davies_bouldin, silhouette_score,
};

/// Default silhouette sample: O(m²·d) work stays well under a second.
const DEFAULT_SILHOUETTE_SAMPLE: usize = 5000;

/// Runs the command.
pub fn run(args: ScoreArgs) -> Result<Value, CliError> {
    let ScoreArgs {
        source,
        labels: labels_path,
        silhouette_sample: sample,
        seed,
    } = args;
    let src = load(&source)?;
    let labels = read_labels(&labels_path)?;
    let n = src.x.n_rows();
    let sample = match sample {
        Some(0) => None,
        Some(m) => Some(m),
        None if n > DEFAULT_SILHOUETTE_SAMPLE => Some(DEFAULT_SILHOUETTE_SAMPLE),
        None => None,
    };
    let t0 = Instant::now();
    let silhouette = silhouette_score(&src.x, &labels, sample, seed)?;
    let ch = calinski_harabasz(&src.x, &labels)?;
    let db = davies_bouldin(&src.x, &labels)?;
    let ari = match &src.truth {
        Some(t) => Some(adjusted_rand_index(t, &labels)?),
        None => None,
    };
    Ok(json!({
        "command": "score",
        "data": src.describe,
        "silhouette": silhouette,
        "silhouette_sample": sample,
        "calinski_harabasz": ch,
        "davies_bouldin": db,
        "ari": ari,
        "timings_s": { "load": src.seconds, "score": t0.elapsed().as_secs_f64() },
    }))
}
