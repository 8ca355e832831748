//! The replay: how a fit got where it is, one step at a time (ARCHITECTURE.md §13).
//!
//! A fit keeps what the replay needs and nothing per row: the candidates each seeding round
//! drew ([`SeedingTrace`](crate::cluster::seeding::SeedingTrace)) and the centres after
//! every Lloyd iteration ([`KMeansFit::centre_history`](crate::cluster::KMeansFit)), both
//! k·d-sized. The [`timeline`] lists the steps; a step's labels are computed on demand by
//! the parallel predict pass in the `replay` task node, memoised like any node on (fit,
//! step) ([`step_labels`]); [`frame`] projects what the canvas draws over the points.
//!
//! No peer replays k-means||: scikit-learn and dask-ml print a verbose log, and browser
//! demos that animate Lloyd's iterations do it for a few hundred points on one thread.

pub mod frame;
pub mod step_labels;
pub mod timeline;
