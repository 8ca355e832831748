//! Helpers shared by the integration tests, native and in-browser: the pinned dataset and
//! its digest, generated blobs, a small scenario, an engine, one evaluation, a thread pool
//! of a given size, and every seeding method.

// Every test crate compiles this module and uses only some of it.
#![allow(dead_code)]

use std::sync::atomic::AtomicBool;

use blobscale::cluster::{Init, ParallelInit};
use blobscale::data::{Blobs, BlobsParams, Centers};
use blobscale::pipeline::{Engine, Evaluation, Plan, ScenarioInputs};

/// The pinned dataset: uneven sizes, odd feature count, a chunk size that splits rows
/// unevenly, shuffled — everything that could make two targets disagree.
pub fn pinned_params() -> BlobsParams {
    BlobsParams::new(100_003)
        .n_features(3)
        .centers(Centers::Count(7))
        .cluster_std(1.5)
        .seed(20_261_122)
        .chunk_rows(4_099)
}

/// FNV-1a over the bits of every value and label: equal digests mean equal datasets.
pub fn digest(b: &Blobs) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: [u8; 4]| {
        for byte in bytes {
            h ^= byte as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    b.x.as_slice()
        .iter()
        .for_each(|v| eat(v.to_bits().to_le_bytes()));
    b.labels.iter().for_each(|l| eat(l.to_le_bytes()));
    format!("{h:016x}")
}

/// The digest committed in `tests/fixtures/blobs_digest.txt`.
pub fn pinned_digest() -> &'static str {
    include_str!("../fixtures/blobs_digest.txt").trim()
}

/// The dataset `params` describe (they must be valid).
pub fn generate(params: BlobsParams) -> Blobs {
    params.check().unwrap().generate()
}

/// Every seeding method, k-means|| in both its presets.
pub fn every_init() -> Vec<Init> {
    vec![
        Init::Random,
        Init::KMeansPlusPlus {
            n_local_trials: None,
        },
        Init::KMeansParallel(ParallelInit::default()),
        Init::KMeansParallel(ParallelInit::dask_ml()),
    ]
}

/// `f` run on a pool of its own with `threads` threads.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// A scenario small enough to evaluate many times in a test: 20,000 rows in four blobs,
/// k = 4, a 400-row silhouette sample and a 64 × 48 picture.
pub fn small_scenario() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 20_000,
        centers: Centers::Count(4),
        chunk_rows: 2048,
        k: 4,
        silhouette_sample: 400,
        width: 64,
        height: 48,
        ..ScenarioInputs::default()
    }
}

/// An engine keeping at most `budget_bytes` of outputs, timing jobs on the native clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn engine(budget_bytes: usize) -> Engine {
    use blobscale::pipeline::jobs::clock::MonotonicClock;
    Engine::new(std::sync::Arc::new(MonotonicClock::default()), budget_bytes)
}

/// `inputs` submitted on the view lane and evaluated to the end, as the page asks.
pub fn evaluate(e: &Engine, inputs: &ScenarioInputs) -> Evaluation {
    let ticket = e.submit(Plan::new(inputs).unwrap());
    e.evaluate(&ticket, &AtomicBool::new(false)).unwrap()
}
