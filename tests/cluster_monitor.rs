//! Monitor hooks: every chunk task is reported as started and finished with its kind, a
//! fit reports progress, and cancellation stops a fit, a predict and a k-means|| seeding
//! with `ClusterError::Cancelled` at the next chunk boundary.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use blobscale::cluster::{ClusterError, Init, KMeansParams, ParallelInit, predict_monitored};
use blobscale::data::{BlobsParams, Centers, ChunkedMatrix};
use blobscale::monitor::{Monitor, TaskKind};
use common::generate;

/// Records tasks and cancels once `cancel_after` tasks have started (never if 0).
#[derive(Default)]
struct Recorder {
    cancel_after: u64,
    started: AtomicU64,
    finished: AtomicU64,
    kinds: Mutex<Vec<TaskKind>>,
    progress: AtomicU64,
}

impl Monitor for Recorder {
    fn is_cancelled(&self) -> bool {
        self.cancel_after > 0 && self.started.load(Ordering::SeqCst) >= self.cancel_after
    }
    fn task_started(&self, kind: TaskKind, _chunk: usize) -> u64 {
        self.kinds.lock().unwrap().push(kind);
        self.started.fetch_add(1, Ordering::SeqCst)
    }
    fn task_finished(&self, _kind: TaskKind, _chunk: usize, _token: u64) {
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
    fn progress(&self, _done: u64, _total: u64) {
        self.progress.fetch_add(1, Ordering::SeqCst);
    }
}

fn data() -> ChunkedMatrix {
    generate(
        BlobsParams::new(20_000)
            .n_features(3)
            .centers(Centers::Count(6))
            .chunk_rows(1000),
    )
    .x
}

#[test]
fn tasks_and_progress_are_reported() {
    let x = data();
    let r = Recorder::default();
    let fit = KMeansParams::new(6)
        .check()
        .unwrap()
        .fit_monitored(&x, None, &r)
        .unwrap();
    let started = r.started.load(Ordering::SeqCst);
    assert_eq!(started, r.finished.load(Ordering::SeqCst));
    let kinds = r.kinds.lock().unwrap();
    let lloyd = kinds.iter().filter(|&&k| k == TaskKind::Lloyd).count();
    // One task per chunk per iteration, plus the final labelling pass.
    assert_eq!(lloyd, 20 * (fit.n_iter + 1));
    assert!(kinds.iter().filter(|&&k| k == TaskKind::Seed).count() >= 20 * 3);
    assert!(r.progress.load(Ordering::SeqCst) >= fit.n_iter as u64);
}

#[test]
fn cancellation_stops_fit_seeding_and_predict() {
    let x = data();
    for (init, after) in [
        (Init::Random, 30),
        (Init::KMeansParallel(ParallelInit::default()), 5),
        (
            Init::KMeansPlusPlus {
                n_local_trials: None,
            },
            50,
        ),
    ] {
        let r = Recorder {
            cancel_after: after,
            ..Default::default()
        };
        let e = KMeansParams::new(6)
            .init(init.clone())
            .check()
            .unwrap()
            .fit_monitored(&x, None, &r)
            .unwrap_err();
        assert_eq!(e, ClusterError::Cancelled, "{init:?}");
        // Chunks already running finish; no new ones start after the cancel (2 threads
        // at most could be past the check).
        assert!(r.started.load(Ordering::SeqCst) <= after + rayon::current_num_threads() as u64);
    }
    let fit = KMeansParams::new(6).check().unwrap().fit(&x, None).unwrap();
    let r = Recorder {
        cancel_after: 3,
        ..Default::default()
    };
    let e = predict_monitored(&x, fit.centres.view(), None, &r).unwrap_err();
    assert_eq!(e, ClusterError::Cancelled);
}
