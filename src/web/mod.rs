//! The browser bridge: which build runs, the worker thread pool, jobs off the main thread
//! (ARCHITECTURE.md §1, §8). Nothing here computes; it moves plain Rust values between the page and
//! the core.

pub mod browser_storage;
pub mod compute;
pub mod environment;
pub mod error;
pub mod export_bridge;
pub mod import_bridge;
pub mod imported_files;
pub mod latest;
pub mod offline;
#[cfg(feature = "threads")]
pub mod prefault;

#[cfg(feature = "threads")]
pub mod pool;
#[cfg(feature = "threads")]
pub mod pool_job;
#[cfg(not(feature = "threads"))]
pub mod st_worker;

pub use error::WebError;
