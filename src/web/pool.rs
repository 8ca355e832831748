//! The threaded build's rayon pool on Web Workers (wasm-bindgen-rayon).

use wasm_bindgen_futures::JsFuture;

use super::environment::cross_origin_isolated;
use super::error::WebError;

/// Starts a global rayon pool of `threads` Web Workers sharing this module's memory.
///
/// Refuses when the page is not cross-origin isolated: the workers could not receive the
/// shared memory (`DataCloneError`). rayon must not be used before this resolves, or it
/// would build a one-thread pool of its own and the real pool could not be installed.
pub async fn start(threads: usize) -> Result<usize, WebError> {
    if !cross_origin_isolated() {
        return Err(WebError::NotIsolated);
    }
    let threads = threads.max(1);
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map_err(|e| {
            WebError::browser(format!("starting {threads} worker threads failed: {e:?}"))
        })?;
    Ok(rayon::current_num_threads())
}
