//! The task stream's numbers (the Dask dashboard's view): the chunk tasks of one
//! evaluation, the wall time they span, how busy each worker thread was, and which task
//! kind covers each pixel column of a thread's lane.
//!
//! A 10M-row run has tens of thousands of chunk tasks. Drawing each as a rectangle would
//! cost a canvas call per task on every poll, so [`lane_runs`] gives every pixel column of
//! a lane the kind that covered most of it and merges equal neighbours: at most a few
//! hundred rectangles, whatever the number of tasks.

use std::collections::BTreeMap;

use crate::monitor::TaskKind;

use crate::pipeline::engine::evaluation::EvaluationSummary;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::job::JobRecord;
use crate::pipeline::jobs::task_record::TaskRecord;

/// The chunk tasks of evaluation `evaluation` in `jobs`, job by job.
pub fn evaluation_tasks(jobs: &[JobRecord], evaluation: u64) -> Vec<TaskRecord> {
    jobs.iter()
        .filter(|j| j.evaluation == evaluation)
        .flat_map(|j| j.tasks.iter().copied())
        .collect()
}

/// The chunk tasks the task stream draws: the newest evaluation's; when that one was the
/// internal indices delivered after the shown result (the shown summary's `quality` job is
/// one of its jobs, ARCHITECTURE.md §2), the shown evaluation's tasks with them, so the
/// stream shows the whole of what the result took rather than its last few tasks.
pub fn stream_tasks(jobs: &[JobRecord], shown: Option<&EvaluationSummary>) -> Vec<TaskRecord> {
    let Some(latest) = jobs.iter().map(|j| j.evaluation).max() else {
        return Vec::new();
    };
    let follow_up = shown.and_then(|s| {
        let quality_job = s.node(TaskId::Quality).job?;
        let of = jobs.iter().find(|j| j.id == quality_job)?.evaluation;
        (of == latest && s.evaluation != latest).then_some(s.evaluation)
    });
    match follow_up {
        Some(first) => jobs
            .iter()
            .filter(|j| j.evaluation == first || j.evaluation == latest)
            .flat_map(|j| j.tasks.iter().copied())
            .collect(),
        None => evaluation_tasks(jobs, latest),
    }
}

/// The extent of a stream of chunk tasks and each thread's busy time.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamStats {
    /// Lanes drawn: one more than the highest thread index that ran a task.
    pub lanes: usize,
    /// First start, ms.
    pub start_ms: f64,
    /// Last end, ms.
    pub end_ms: f64,
    /// Milliseconds each thread spent in tasks, by thread index.
    pub busy_ms: Vec<f64>,
}

impl StreamStats {
    /// The stats of `tasks`; `None` when there are none.
    pub fn of(tasks: &[TaskRecord]) -> Option<Self> {
        let start_ms = tasks
            .iter()
            .map(|t| t.start_ms)
            .fold(f64::INFINITY, f64::min);
        let end_ms = tasks
            .iter()
            .map(|t| t.end_ms)
            .fold(f64::NEG_INFINITY, f64::max);
        if !start_ms.is_finite() {
            return None;
        }
        let lanes = tasks.iter().map(|t| t.thread + 1).max().unwrap_or(1);
        let mut busy_ms = vec![0.0; lanes];
        for t in tasks {
            busy_ms[t.thread] += t.end_ms - t.start_ms;
        }
        Some(Self {
            lanes,
            start_ms,
            end_ms,
            busy_ms,
        })
    }

    /// From the first start to the last end, ms.
    pub fn span_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }

    /// The span as a divisor: a stream of zero-length tasks still has a positive wall time.
    pub fn wall_ms(&self) -> f64 {
        self.span_ms().max(1e-9)
    }

    /// The fraction of the wall time each thread was busy, by thread index.
    pub fn busy_fractions(&self) -> Vec<f64> {
        let wall = self.wall_ms();
        self.busy_ms.iter().map(|b| b / wall).collect()
    }

    /// Threads' worth of work per unit of wall time: the average number of busy threads.
    pub fn parallelism(&self) -> f64 {
        self.busy_ms.iter().sum::<f64>() / self.wall_ms()
    }
}

/// Consecutive pixel columns of one lane covered mostly by one task kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneRun {
    /// The thread's lane.
    pub lane: usize,
    /// The kind covering these columns.
    pub kind: TaskKind,
    /// First column.
    pub from: usize,
    /// One past the last column.
    pub to: usize,
}

/// The lanes of `tasks` drawn `width_px` pixels wide: each column takes the kind that
/// covered most of it (a task covers at least a sliver of a column, so short ones show),
/// and equal neighbouring columns are one run. Runs come lane by lane, left to right.
pub fn lane_runs(tasks: &[TaskRecord], stats: &StreamStats, width_px: f64) -> Vec<LaneRun> {
    let span = stats.span_ms().max(1e-3);
    let scale = width_px / span;
    let columns = (width_px.ceil() as usize).max(1);
    let kinds = TaskKind::ALL.len();
    let mut cover = vec![0f32; stats.lanes * columns * kinds];
    for t in tasks {
        let (x0, x1) = (
            (t.start_ms - stats.start_ms) * scale,
            (t.end_ms - stats.start_ms) * scale,
        );
        let kind = TaskKind::ALL.iter().position(|&k| k == t.kind).unwrap_or(0);
        let first = (x0.floor().max(0.0) as usize).min(columns - 1);
        let last = (x1.ceil().max(1.0) as usize).min(columns);
        for col in first..last.max(first + 1) {
            let overlap = (x1.min(col as f64 + 1.0) - x0.max(col as f64)).max(0.05);
            cover[(t.thread * columns + col) * kinds + kind] += overlap as f32;
        }
    }
    let mut runs = Vec::new();
    for lane in 0..stats.lanes {
        let mut run: Option<(usize, usize)> = None; // (kind, first column)
        for col in 0..=columns {
            let dominant = (col < columns)
                .then(|| {
                    let c = &cover[(lane * columns + col) * kinds..][..kinds];
                    (0..kinds)
                        .filter(|&k| c[k] > 0.0)
                        .max_by(|&a, &b| c[a].total_cmp(&c[b]))
                })
                .flatten();
            if run.map(|r| r.0) != dominant {
                if let Some((kind, from)) = run {
                    runs.push(LaneRun {
                        lane,
                        kind: TaskKind::ALL[kind],
                        from,
                        to: col,
                    });
                }
                run = dominant.map(|k| (k, col));
            }
        }
    }
    runs
}

/// Chunk tasks each thread ran, by thread index (at least `threads` entries).
pub fn tasks_per_thread(tasks: &[TaskRecord], threads: usize) -> Vec<u32> {
    let mut per = vec![0u32; threads.max(1)];
    for t in tasks {
        if t.thread >= per.len() {
            per.resize(t.thread + 1, 0);
        }
        per[t.thread] += 1;
    }
    per
}

/// One task kind's share of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct KindTimes {
    /// Milliseconds each thread spent in tasks of the kind (at least `threads` entries).
    pub busy_ms: Vec<f64>,
    /// From the kind's first start to its last end, ms.
    pub span_ms: f64,
    /// Tasks of the kind.
    pub count: usize,
}

/// Per task kind (by name, in name order): busy time per thread, span and count — what a
/// script comparing thread counts reads beside the task stream's summary.
pub fn kind_times(tasks: &[TaskRecord], threads: usize) -> BTreeMap<&'static str, KindTimes> {
    let mut per: BTreeMap<&'static str, (Vec<f64>, f64, f64, usize)> = BTreeMap::new();
    for t in tasks {
        let e = per
            .entry(t.kind.name())
            .or_insert_with(|| (vec![0.0; threads.max(1)], f64::INFINITY, 0.0, 0));
        if t.thread >= e.0.len() {
            e.0.resize(t.thread + 1, 0.0);
        }
        e.0[t.thread] += t.end_ms - t.start_ms;
        e.1 = e.1.min(t.start_ms);
        e.2 = e.2.max(t.end_ms);
        e.3 += 1;
    }
    per.into_iter()
        .map(|(k, (busy_ms, start, end, count))| {
            (
                k,
                KindTimes {
                    busy_ms,
                    span_ms: end - start,
                    count,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Delivery;
    use crate::pipeline::jobs::job::JobStatus;
    use crate::pipeline::memo::fingerprint::Fingerprint;

    fn task(kind: TaskKind, thread: usize, start_ms: f64, end_ms: f64) -> TaskRecord {
        TaskRecord {
            kind,
            chunk: 0,
            thread,
            start_ms,
            end_ms,
        }
    }

    fn job(id: u64, evaluation: u64, tasks: Vec<TaskRecord>) -> JobRecord {
        JobRecord {
            id,
            evaluation,
            task: TaskId::Fit,
            key: Fingerprint(id as u128),
            status: JobStatus::Completed { backdated: false },
            start_ms: 0.0,
            end_ms: Some(1.0),
            tasks,
            dropped_tasks: 0,
        }
    }

    #[test]
    fn the_latest_evaluation_is_the_one_with_the_highest_id() {
        let a = task(TaskKind::Generate, 0, 0.0, 1.0);
        let b = task(TaskKind::Lloyd, 1, 1.0, 2.0);
        let c = task(TaskKind::Predict, 0, 2.0, 3.0);
        let jobs = [job(1, 7, vec![a]), job(2, 8, vec![b]), job(3, 8, vec![c])];
        assert_eq!(stream_tasks(&jobs, None), [b, c]);
        assert_eq!(evaluation_tasks(&jobs, 7), [a]);
        assert!(stream_tasks(&[], None).is_empty());
    }

    #[test]
    fn indices_delivered_after_the_result_join_its_stream() {
        use crate::pipeline::graph::inputs::ScenarioInputs;
        use crate::pipeline::jobs::clock::NoClock;
        use crate::pipeline::{Engine, Plan};
        use std::sync::Arc;
        use std::sync::atomic::AtomicBool;
        let e = Engine::new(Arc::new(NoClock), 1 << 30);
        let inputs = ScenarioInputs {
            n_samples: 5_000,
            chunk_rows: 500,
            silhouette_sample: 100,
            width: 16,
            height: 12,
            ..ScenarioInputs::default()
        };
        let ticket = e.submit(Plan::new(&inputs).unwrap());
        let never = AtomicBool::new(false);
        let first = e.deliver(&ticket, &never, Delivery::First).unwrap().summary;
        let later = e
            .deliver(&ticket, &never, Delivery::Quality)
            .unwrap()
            .summary;
        let shown = first.with_quality_of(&later).unwrap();
        let jobs = e.jobs();
        let kinds = |t: &[TaskRecord]| t.iter().map(|t| t.kind).collect::<Vec<_>>();
        // Alone, the newest evaluation is the indices' two tasks.
        assert_eq!(kinds(&stream_tasks(&jobs, None)), [TaskKind::Metrics; 2]);
        // With the result they complete: generation, Lloyd, render and the indices.
        let whole = kinds(&stream_tasks(&jobs, Some(&shown)));
        for k in [TaskKind::Generate, TaskKind::Lloyd, TaskKind::Render] {
            assert!(whole.contains(&k), "{k:?} missing from {whole:?}");
        }
        let first_only = evaluation_tasks(&jobs, first.evaluation).len();
        assert_eq!(whole.len(), first_only + 2);
        // The first delivery shown alone, before the indices: its own stream.
        assert_eq!(stream_tasks(&jobs, Some(&first)).len(), 2);
    }

    #[test]
    fn stats_give_the_span_and_how_busy_each_thread_was() {
        assert_eq!(StreamStats::of(&[]), None);
        let tasks = [
            task(TaskKind::Lloyd, 0, 10.0, 60.0),
            task(TaskKind::Lloyd, 0, 60.0, 110.0),
            task(TaskKind::Lloyd, 2, 10.0, 35.0),
        ];
        let s = StreamStats::of(&tasks).unwrap();
        assert_eq!(s.lanes, 3);
        assert_eq!((s.start_ms, s.end_ms, s.span_ms()), (10.0, 110.0, 100.0));
        assert_eq!(s.busy_ms, [100.0, 0.0, 25.0]);
        assert_eq!(s.busy_fractions(), [1.0, 0.0, 0.25]);
        assert_eq!(s.parallelism(), 1.25);
        // Zero-length tasks still divide by a positive wall time.
        let instant = StreamStats::of(&[task(TaskKind::Seed, 0, 5.0, 5.0)]).unwrap();
        assert!(instant.wall_ms() > 0.0 && instant.parallelism() == 0.0);
    }

    #[test]
    fn lane_columns_take_the_kind_covering_most_of_them() {
        let tasks = [
            task(TaskKind::Lloyd, 0, 0.0, 50.0),
            task(TaskKind::Predict, 0, 50.0, 100.0),
            // Most of column 20 of lane 1 is seeding, a sliver of it generating.
            task(TaskKind::Generate, 1, 20.0, 20.2),
            task(TaskKind::Seed, 1, 20.2, 21.0),
            // Far shorter than a column, still drawn.
            task(TaskKind::Metrics, 1, 80.0, 80.001),
        ];
        let s = StreamStats::of(&tasks).unwrap();
        let run = |lane, kind, from, to| LaneRun {
            lane,
            kind,
            from,
            to,
        };
        assert_eq!(
            lane_runs(&tasks, &s, 100.0),
            [
                run(0, TaskKind::Lloyd, 0, 50),
                run(0, TaskKind::Predict, 50, 100),
                run(1, TaskKind::Seed, 20, 21),
                run(1, TaskKind::Metrics, 80, 81),
            ]
        );
        // Half the width: each column spans 2 ms.
        let half = lane_runs(&tasks, &s, 50.0);
        assert_eq!(half[0], run(0, TaskKind::Lloyd, 0, 25));
        assert_eq!(half[1], run(0, TaskKind::Predict, 25, 50));
    }

    #[test]
    fn per_thread_counts_and_per_kind_times() {
        let tasks = [
            task(TaskKind::Lloyd, 0, 0.0, 4.0),
            task(TaskKind::Lloyd, 3, 1.0, 2.5),
            task(TaskKind::Generate, 1, 5.0, 6.0),
        ];
        assert_eq!(tasks_per_thread(&tasks, 2), [1, 1, 0, 1]);
        assert_eq!(tasks_per_thread(&[], 0), [0]);
        let k = kind_times(&tasks, 2);
        assert_eq!(k.keys().copied().collect::<Vec<_>>(), ["generate", "lloyd"]);
        assert_eq!(
            k["lloyd"],
            KindTimes {
                busy_ms: vec![4.0, 0.0, 0.0, 1.5],
                span_ms: 4.0,
                count: 2
            }
        );
        assert_eq!(k["generate"].busy_ms, [0.0, 1.0]);
    }
}
