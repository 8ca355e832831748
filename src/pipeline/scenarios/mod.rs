//! Scenarios, as Taipy keeps them: named assignments of the inputs in a book
//! ([`scenario`]), the book as versioned text and share links ([`codec`]), what the page
//! keeps between visits ([`session`]), families of scenarios over k and seeds ([`sweep`]),
//! and side-by-side tables of their parameters and scores ([`compare`])
//! (ARCHITECTURE.md §7).
//!
//! Reference: Taipy's scenarios and comparison
//! (<https://docs.taipy.io/en/latest/userman/scenario_features/>); dask-ml's merged grid
//! search for sweeps (<https://ml.dask.org/hyper-parameter-search.html>).

pub mod codec;
pub mod compare;
pub mod scenario;
pub mod session;
pub mod sweep;
