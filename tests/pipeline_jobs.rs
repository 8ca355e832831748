//! The job log as the page reads it: statuses, failures with their message, per-chunk task
//! records with thread indices, and a bounded log.

mod common;

use std::sync::atomic::AtomicBool;

use blobscale::data::Centers;
use blobscale::monitor::TaskKind;
use blobscale::pipeline::jobs::job::JobStatus;
use blobscale::pipeline::{PipelineError, Plan, ScenarioInputs, TaskId};
use common::{engine, evaluate, with_threads};

fn small() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 40_000,
        chunk_rows: 1000,
        silhouette_sample: 100,
        width: 20,
        height: 20,
        ..ScenarioInputs::default()
    }
}

#[test]
fn a_failing_task_leaves_a_failed_job_with_its_message_and_nothing_stored() {
    let e = engine(1 << 30);
    // A centre beyond f32's range: the f64 parameters are valid, the f32 data are not.
    let inputs = ScenarioInputs {
        centers: Centers::Points(vec![vec![1e300, 0.0], vec![0.0, 0.0]]),
        k: 2,
        ..small()
    };
    let ticket = e.submit(Plan::new(&inputs).unwrap());
    let err = e.evaluate(&ticket, &AtomicBool::new(false)).unwrap_err();
    assert!(matches!(err, PipelineError::Cluster(_)), "{err}");
    let jobs = e.jobs();
    let failed = jobs.iter().find(|j| j.task == TaskId::Seed).unwrap();
    match &failed.status {
        JobStatus::Failed { message } => assert_eq!(message, &err.to_string()),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(failed.end_ms.is_some());
    let held: Vec<TaskId> = e.held().into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        held,
        [TaskId::Generate],
        "only the completed dataset is stored"
    );
    assert!(!e.progress().running);
}

#[test]
fn chunk_tasks_carry_thread_kind_and_times_for_the_task_stream() {
    let e = engine(1 << 30);
    let ev = with_threads(2, || evaluate(&e, &small()));
    assert_eq!(ev.summary.threads, 2);
    let jobs = e.jobs();
    let of = |task| jobs.iter().find(|j| j.task == task).unwrap();
    let generate = of(TaskId::Generate);
    assert_eq!(generate.tasks.len(), 40);
    assert!(generate.tasks.iter().all(|t| t.kind == TaskKind::Generate));
    let fit = of(TaskId::Fit);
    assert!(fit.tasks.iter().any(|t| t.kind == TaskKind::Lloyd));
    let render = of(TaskId::Render);
    assert!(render.tasks.iter().all(|t| t.kind == TaskKind::Render));
    for j in &jobs {
        let (start, end) = (j.start_ms, j.end_ms.unwrap());
        assert!(end >= start);
        for t in &j.tasks {
            assert!(t.thread < 2);
            assert!(t.start_ms >= start && t.end_ms <= end && t.end_ms >= t.start_ms);
        }
    }
    // Node timings agree with their jobs.
    let fit_node = ev.summary.node(TaskId::Fit);
    assert_eq!(fit_node.job, Some(fit.id));
    assert!((fit_node.ms - (fit.end_ms.unwrap() - fit.start_ms)).abs() < 1e-9);
    // The log serialises for the page.
    let json = serde_json::to_string(&jobs).unwrap();
    assert!(json.contains("\"status\":\"completed\""), "{json:.200}");
}

#[test]
fn the_job_log_is_a_bounded_ring() {
    let e = engine(1 << 30).with_job_capacity(8);
    for k in 1..=6 {
        let plan = Plan::new(&ScenarioInputs { k, ..small() }).unwrap();
        e.evaluate_detached(&plan, &AtomicBool::new(false)).unwrap();
    }
    let jobs = e.jobs();
    assert_eq!(jobs.len(), 8);
    assert!(jobs.windows(2).all(|w| w[0].id < w[1].id));
    let last = jobs.last().unwrap().id;
    assert_eq!(e.try_jobs(last).unwrap().len(), 1);
}
