//! In-browser tests of the threaded build (wasm-bindgen-test in headless Chromium): the
//! Web Worker pool starts and shares work, and the browser generates bit-for-bit the same
//! dataset as the native build.
#![cfg(target_arch = "wasm32")]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use blobscale::data::BlobsParams;
use blobscale::pipeline::frame::FrameRequest;
use common::{digest, pinned_digest, pinned_params};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn pool() -> usize {
    thread_local!(static STARTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
    if STARTED.get() == 0 {
        STARTED.set(blobscale::web::pool::start(2).await.expect("pool starts"));
    }
    STARTED.get()
}

#[wasm_bindgen_test]
async fn worker_pool_runs_chunks_on_two_threads() {
    assert_eq!(pool().await, 2);
    let req = FrameRequest {
        blobs: BlobsParams::new(400_000).chunk_rows(8_192),
        width: 200,
        height: 100,
    };
    let frame = blobscale::web::jobs::run_frame(req, Arc::new(AtomicBool::new(false)))
        .await
        .expect("frame computes");
    let busy = frame
        .summary
        .tasks_per_thread
        .iter()
        .filter(|&&n| n > 0)
        .count();
    assert_eq!(frame.summary.threads, 2);
    assert_eq!(
        busy, 2,
        "tasks per thread {:?}",
        frame.summary.tasks_per_thread
    );
}

#[wasm_bindgen_test]
async fn browser_generates_the_native_dataset() {
    pool().await;
    let (tx, rx) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        let _ = tx.send(digest(&pinned_params().check().unwrap().generate()));
    });
    assert_eq!(rx.await.unwrap(), pinned_digest());
}

#[wasm_bindgen_test]
async fn cancelled_job_reports_cancellation() {
    pool().await;
    let cancel = Arc::new(AtomicBool::new(true));
    let req = FrameRequest {
        blobs: BlobsParams::new(1_000_000),
        width: 10,
        height: 10,
    };
    let err = blobscale::web::jobs::run_frame(req, cancel.clone())
        .await
        .unwrap_err();
    assert!(cancel.load(Ordering::Relaxed));
    assert_eq!(err, "cancelled");
}
