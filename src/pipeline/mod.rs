//! The scenario engine: data nodes, task nodes, memo store, jobs (DESIGN §4), and the
//! computations the page renders from.
//!
//! Plain Rust + rayon; no web dependency. Time comes in through [`clock::Clock`].

pub mod clock;
pub mod frame;
pub mod raster;
pub mod task_record;
