//! Cancellation: a cancelled job stops within a few chunks, leaves nothing in the store,
//! and a stale result never comes out.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use blobscale::cluster::Init;
use blobscale::data::Centers;
use blobscale::monitor::TaskKind;
use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::{Engine, PipelineError, Plan, ScenarioInputs, TaskId};
use common::engine;

fn held(e: &Engine) -> BTreeSet<String> {
    e.held().iter().map(|(k, t)| format!("{t:?}:{k}")).collect()
}

#[test]
fn cancelling_a_10m_point_fit_returns_within_a_few_chunks_and_keeps_the_store() {
    let e = Arc::new(engine(1 << 31));
    let quick = ScenarioInputs {
        n_samples: 10_000_000,
        centers: Centers::Count(8),
        k: 8,
        init: Init::Random,
        max_iter: 1,
        tol: 0.0,
        silhouette_sample: 0,
        width: 32,
        height: 32,
        ..ScenarioInputs::default()
    };
    let never_cancel = AtomicBool::new(false);
    e.evaluate(&e.submit(Plan::new(&quick).unwrap()), &never_cancel)
        .unwrap();
    let before = (held(&e), e.memory());
    // Same everything but a long fit: only the fit node runs.
    let long = ScenarioInputs {
        max_iter: 300,
        ..quick
    };
    let ticket = e.submit(Plan::new(&long).unwrap());
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let worker = {
        let (e, cancel) = (e.clone(), cancel.clone());
        std::thread::spawn(move || {
            let r = e.evaluate(&ticket, &cancel);
            tx.send(Instant::now()).unwrap();
            r
        })
    };
    // Watch progress from this thread, as the page does, until two iterations are done.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let p = e.progress();
        if p.task == Some(TaskId::Fit) && p.done >= 2 {
            assert_eq!(p.total, 300);
            break;
        }
        assert!(Instant::now() < deadline, "the fit never progressed: {p:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
    let cancelled_at = Instant::now();
    cancel.store(true, Ordering::Relaxed);
    let returned_at = rx.recv().unwrap();
    let result = worker.join().unwrap();
    assert_eq!(result.unwrap_err(), PipelineError::Cancelled);
    let latency = returned_at.duration_since(cancelled_at).as_secs_f64() * 1e3;

    let fit_job = e
        .jobs()
        .into_iter()
        .rev()
        .find(|j| j.task == TaskId::Fit)
        .unwrap();
    assert_eq!(fit_job.status, JobStatus::Cancelled);
    let chunk_ms: Vec<f64> = fit_job
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Lloyd)
        .map(|t| t.end_ms - t.start_ms)
        .collect();
    let mean_chunk = chunk_ms.iter().sum::<f64>() / chunk_ms.len() as f64;
    let chunks_per_iteration = 10_000_000usize.div_ceil(long.chunk_rows) as f64;
    eprintln!(
        "cancel latency {latency:.2} ms; mean Lloyd chunk {mean_chunk:.3} ms over {} chunks",
        chunk_ms.len()
    );
    // "A few chunks": far less than the rest of an iteration (611 chunks), with room for
    // a busy machine's scheduling.
    assert!(
        latency < (8.0 * mean_chunk).max(100.0),
        "returned {latency:.1} ms after cancel; a chunk takes {mean_chunk:.2} ms, an \
         iteration ≈ {:.0} ms",
        mean_chunk * chunks_per_iteration
    );
    assert_eq!((held(&e), e.memory()), before, "the store is unchanged");
}

fn small(k: usize, seed: u64, width: u32) -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 6_000,
        centers: Centers::Count(5),
        chunk_rows: 500,
        k,
        data_seed: seed,
        silhouette_sample: 200,
        width,
        height: 40,
        ..ScenarioInputs::default()
    }
}

#[test]
fn a_burst_of_1000_changes_ends_with_exactly_the_last_result_within_budget() {
    let budget = 1_500_000;
    let e = Arc::new(engine(budget).with_job_capacity(64));
    let (tx, rx) = mpsc::channel();
    let mut last = None;
    for i in 0..1000u64 {
        let inputs = small(2 + (i % 7) as usize, i % 5, 40 + (i % 3) as u32 * 10);
        let ticket = e.submit(Plan::new(&inputs).unwrap());
        last = Some((ticket.id(), inputs));
        let (e, tx) = (e.clone(), tx.clone());
        rayon::spawn(move || {
            let r = e.evaluate(&ticket, &AtomicBool::new(false));
            tx.send((ticket.id(), r)).unwrap();
        });
    }
    drop(tx);
    let (last_id, last_inputs) = last.unwrap();
    let mut superseded = 0;
    let mut final_result = None;
    for (id, r) in rx {
        match r {
            Ok(ev) if id == last_id => final_result = Some(ev),
            Ok(_) => {}
            Err(PipelineError::Superseded) => superseded += 1,
            Err(other) => panic!("request {id} failed: {other}"),
        }
        let m = e.memory();
        assert!(m.used_bytes <= budget, "{m:?}");
    }
    assert!(superseded > 0, "the burst cancelled stale work");
    let got = final_result.expect("the last request always completes");
    let fresh = engine(1 << 30)
        .evaluate_detached(&Plan::new(&last_inputs).unwrap(), &AtomicBool::new(false))
        .unwrap();
    assert_eq!(got.pixels, fresh.pixels);
    assert_eq!(got.summary.fit, fresh.summary.fit);
    assert_eq!(got.summary.metrics, fresh.summary.metrics);
    assert!(e.jobs().len() <= 64);
    assert!(!e.progress().running);
}

#[test]
fn a_newer_request_cancels_only_the_jobs_it_makes_stale() {
    let e = engine(1 << 30);
    let older = e.submit(Plan::new(&small(3, 0, 40)).unwrap());
    // Same dataset, other k: the older request may still generate, but not fit.
    let newer = e.submit(Plan::new(&small(4, 0, 40)).unwrap());
    let err = e.evaluate(&older, &AtomicBool::new(false)).unwrap_err();
    assert_eq!(err, PipelineError::Superseded);
    let jobs = e.jobs();
    assert!(
        jobs.iter()
            .any(|j| j.task == TaskId::Generate && matches!(j.status, JobStatus::Completed { .. }))
    );
    assert!(!jobs.iter().any(|j| j.task == TaskId::Seed));
    let ev = e.evaluate(&newer, &AtomicBool::new(false)).unwrap();
    assert_eq!(ev.summary.fit.k, 4);
    assert_eq!(ev.summary.ticket, Some(newer.id()));
    // Resubmitting identical parameters does not make the older ticket stale.
    let same = e.submit(Plan::new(&small(4, 0, 40)).unwrap());
    assert!(e.evaluate(&newer, &AtomicBool::new(false)).is_ok());
    assert!(e.evaluate(&same, &AtomicBool::new(false)).is_ok());
}
