//! Running core computations off the main thread and awaiting their results.
//!
//! Threaded build: the job is `rayon::spawn`ed onto the worker pool and the page awaits a
//! oneshot channel (wasm-bindgen's raytrace-parallel pattern); cancellation is a shared flag
//! the core reads between chunks. Single-threaded build: the job is sent to one dedicated
//! worker ([`super::st_worker`]), where a stale job runs to its end and its result is
//! dropped by [`super::latest`]. The page never computes either way.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::pipeline::frame::{Frame, FrameRequest};

/// Computes a frame off the main thread. Setting `cancel` makes a running threaded job stop
/// at its next chunk boundary.
#[cfg(feature = "threads")]
pub async fn run_frame(req: FrameRequest, cancel: Arc<AtomicBool>) -> Result<Frame, String> {
    use std::sync::atomic::Ordering;

    use super::environment::PerformanceClock;
    use crate::pipeline::frame::{FrameError, compute_frame};

    let (tx, rx) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        let stop = move || cancel.load(Ordering::Relaxed);
        let _ = tx.send(compute_frame(&req, &PerformanceClock, &stop));
    });
    match rx.await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(FrameError::Cancelled.to_string()),
    }
}

/// Computes a frame off the main thread, in the dedicated worker.
#[cfg(not(feature = "threads"))]
pub async fn run_frame(req: FrameRequest, _cancel: Arc<AtomicBool>) -> Result<Frame, String> {
    super::st_worker::run_frame(req).await
}
