//! One job on the threaded build's worker pool, awaited from the page (wasm-bindgen's
//! raytrace-parallel pattern): the job is `rayon::spawn`ed and sends its result down a
//! oneshot channel, so the page's thread awaits a future instead of blocking on the pool,
//! which a browser's main thread may not do.

/// The job ended without sending a result (it panicked, so its sender was dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLost;

/// Runs `job` on the worker pool and resolves with what it returns.
pub async fn on_pool<R: Send + 'static>(
    job: impl FnOnce() -> R + Send + 'static,
) -> Result<R, JobLost> {
    let (tx, rx) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        // The page may have stopped waiting; the result is then not needed.
        let _ = tx.send(job());
    });
    rx.await.map_err(|_| JobLost)
}
