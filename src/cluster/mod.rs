//! k-means: parameters, seeding (random, k-means++, k-means||), Lloyd and Hamerly
//! iterations, predict and metrics (ARCHITECTURE.md §10).
//!
//! Plain Rust + rayon + ndarray; no web dependency, no clock, no `std::thread`, so the same
//! code runs natively and in wasm32. Every random draw is keyed by `(seed, purpose,
//! index)` and every sum is an exact fixed-point sum ([`lloyd::fixed_sum`]), so a fit gives the
//! same bits for any thread count and any chunk size.

pub mod chunk_tasks;
pub mod error;
pub mod fit;
pub mod kernels;
pub mod labels;
pub mod lloyd;
pub mod metrics;
pub mod params;
pub mod predict;
pub mod sample_fit;
pub mod seeding;
pub mod summary;

pub use error::ClusterError;
pub use fit::KMeansFit;
pub use labels::{LabelWidth, LabelWord, Labels};
pub use lloyd::Convergence;
pub use params::{
    Algorithm, FirstCenter, Init, KMeansParams, Oversampling, ParallelInit, Recluster, Rounds,
    ValidKMeansParams,
};
pub use predict::{Prediction, predict, predict_monitored};
pub use sample_fit::{SampleFit, SampledFit};
pub use seeding::SeedingStats;
