//! Evaluating scenarios off the main thread and reading their progress.
//!
//! Threaded build: one [`Engine`] lives in shared memory; an evaluation runs as a job on
//! the worker pool ([`super::pool_job`]) that the page awaits, while it reads progress and
//! running jobs with atomics and `try_lock`s from the runner's timer poll
//! (`app/runner.rs`). Single-threaded build: the engine lives in the dedicated worker
//! ([`super::st_worker`]) and each request comes back with its jobs. The page never
//! computes either way.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
#[cfg(feature = "threads")]
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::pipeline::jobs::job::JobRecord;
use crate::pipeline::jobs::progress::ProgressSnapshot;
use crate::pipeline::memo::store::MemoryUse;
use crate::pipeline::scenarios::sweep::{SweepSpec, SweepTable};
use crate::pipeline::{Delivery, Engine, EvaluationSummary, Plan, ScenarioInputs};
#[cfg(feature = "threads")]
use crate::pipeline::{Evaluation, PipelineError};

use super::error::WebError;

#[cfg(feature = "threads")]
use super::pool_job::on_pool;

/// The memo store's default budget: a few 10M-row datasets with their labels.
pub const MEMO_BUDGET_BYTES: usize = 1 << 30;
/// wasm32's memory ceiling (the threaded build's `--max-memory`).
pub const WASM_MEMORY_LIMIT: u64 = 4 << 30;

/// What one evaluation gives the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeMeta {
    /// Everything the page shows but the pixels.
    pub summary: EvaluationSummary,
    /// Jobs logged since the id the request named (the evaluation's own and any before).
    pub jobs: Vec<JobRecord>,
    /// The memo store's use after the evaluation.
    pub memory: MemoryUse,
}

/// A finished evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Summary, jobs, memory.
    pub meta: OutcomeMeta,
    /// The plot area's RGBA pixels.
    pub pixels: Vec<u8>,
}

/// Checks the inputs and that the scenario fits in wasm memory when run on `threads`
/// threads, before any work starts.
pub fn plan(inputs: &ScenarioInputs, threads: usize) -> Result<Plan, WebError> {
    let plan = Plan::new(inputs)?;
    let need = plan.estimated_peak_bytes(threads);
    let room = WASM_MEMORY_LIMIT - wasm_memory_bytes().min(WASM_MEMORY_LIMIT) + memo_used();
    if need > room {
        return Err(WebError::NoRoom {
            n_samples: inputs.n_samples,
            need_mib: need >> 20,
            free_mib: room >> 20,
            limit_mib: WASM_MEMORY_LIMIT >> 20,
        });
    }
    Ok(plan)
}

/// Bytes of wasm memory this module has grown to.
pub fn wasm_memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| js_sys::Reflect::get(&m.buffer(), &"byteLength".into()).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as u64
}

fn memo_used() -> u64 {
    live().map_or(0, |l| l.memory.used_bytes as u64)
}

/// Live state for the page's progress poll (`app/runner.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    /// Progress of the running evaluation.
    pub progress: ProgressSnapshot,
    /// The memo store's use.
    pub memory: MemoryUse,
}

/// The page's engine (threaded build), shared with the worker pool.
#[cfg(feature = "threads")]
pub(crate) fn engine() -> &'static Arc<Engine> {
    use std::sync::OnceLock;

    use super::environment::PerformanceClock;
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE.get_or_init(|| Arc::new(Engine::new(Arc::new(PerformanceClock), MEMO_BUDGET_BYTES)))
}

/// Progress and memory, read without blocking (threaded build); `None` where the engine
/// is in another worker or busy this instant.
#[cfg(feature = "threads")]
pub fn live() -> Option<Live> {
    let e = engine();
    Some(Live {
        progress: e.progress(),
        memory: e.try_memory()?,
    })
}

/// Jobs with id ≥ `from_id`, read without blocking (threaded build).
#[cfg(feature = "threads")]
pub fn jobs_since(from_id: u64) -> Option<Vec<JobRecord>> {
    engine().try_jobs(from_id)
}

/// Evaluates `delivery` of `plan` on the worker pool. Setting `cancel` stops it at the
/// next chunk or iteration.
#[cfg(feature = "threads")]
pub async fn evaluate(
    plan: Plan,
    jobs_from: u64,
    cancel: Arc<AtomicBool>,
    delivery: Delivery,
) -> Result<Outcome, WebError> {
    // Submitted here, on the main thread, so the newest request marks older ones stale
    // before any of them reaches a worker.
    let ticket = engine().submit(plan);
    on_pool_outcome(Some(jobs_from), move |e| {
        e.deliver(&ticket, &cancel, delivery)
    })
    .await
}

/// Evaluates `plan` on the worker pool outside the view lane (another scenario's result
/// for the comparison or after a reload): the page's own requests do not cancel it; only
/// `cancel` does.
#[cfg(feature = "threads")]
pub async fn evaluate_detached(plan: Plan, cancel: Arc<AtomicBool>) -> Result<Outcome, WebError> {
    on_pool_outcome(None, move |e| e.evaluate_detached(&plan, &cancel)).await
}

/// Runs `evaluate` against the page's engine on the worker pool and packs its result with
/// the engine's memory use and, when `jobs_from` names an id, the jobs logged since.
#[cfg(feature = "threads")]
async fn on_pool_outcome(
    jobs_from: Option<u64>,
    evaluate: impl FnOnce(&Engine) -> Result<Evaluation, PipelineError> + Send + 'static,
) -> Result<Outcome, WebError> {
    WORK.fetch_add(1, Ordering::Relaxed);
    let e = engine().clone();
    on_pool(move || {
        let ev = evaluate(&e)?;
        Ok(Outcome {
            meta: OutcomeMeta {
                summary: ev.summary,
                jobs: jobs_from.map_or_else(Vec::new, |from| e.jobs_since(from)),
                memory: e.memory(),
            },
            pixels: ev.pixels,
        })
    })
    .await
    .unwrap_or(Err(WebError::Cancelled))
}

/// Runs a k sweep on the worker pool (every member shares the cached dataset).
#[cfg(feature = "threads")]
pub async fn sweep(spec: SweepSpec, cancel: Arc<AtomicBool>) -> Result<SweepTable, WebError> {
    WORK.fetch_add(1, Ordering::Relaxed);
    let e = engine().clone();
    on_pool(move || e.sweep(&spec, &cancel).map_err(WebError::from))
        .await
        .unwrap_or(Err(WebError::Cancelled))
}

/// Evaluations and sweeps requested so far (threaded build): memory preparation stops as
/// soon as this moves.
#[cfg(feature = "threads")]
static WORK: AtomicU64 = AtomicU64::new(0);

/// Touches, on the worker pool, the memory an evaluation of `inputs` on `threads` threads
/// would take (a quarter more, for the seeding's and the metrics' own buffers), so that the
/// next evaluation finds it faulted in ([`super::prefault`]). Call when the page is idle
/// after a result; it stops when new work is requested or an evaluation (such as a
/// background comparison) is running. Only while wasm memory is under the memo store's
/// budget: beyond that the store evicts and the memory it frees is reused, and [`plan`]'s
/// room check (which counts all grown memory outside the store as taken) keeps its room
/// for the work itself. Returns the bytes touched.
#[cfg(feature = "threads")]
pub async fn prepare_memory(inputs: &ScenarioInputs, threads: usize) -> usize {
    let Ok(plan) = Plan::new(inputs) else {
        return 0;
    };
    let want = plan.estimated_peak_bytes(threads).saturating_mul(5) / 4;
    let room = (MEMO_BUDGET_BYTES as u64).saturating_sub(wasm_memory_bytes());
    let bytes = usize::try_from(want.min(room)).unwrap_or(0);
    if bytes == 0 {
        return 0;
    }
    let asked = WORK.load(Ordering::Relaxed);
    on_pool(move || {
        // Also yields to an evaluation already running: the page's comparison fill starts
        // background evaluations in the same idle moment.
        let e = engine();
        super::prefault::touch(bytes, &|| {
            WORK.load(Ordering::Relaxed) != asked || e.progress().running
        })
    })
    .await
    .unwrap_or(0)
}

/// Small evaluations [`warm_up`] runs: enough for V8 to have optimised the pipeline's
/// per-evaluation code (the job runner, seeding, the Lloyd driver, the scores), which it
/// does only after a function has run for a while.
#[cfg(feature = "threads")]
pub const WARM_UP_RUNS: u64 = 16;
/// Values (rows × features) of a warm-up dataset.
#[cfg(feature = "threads")]
const WARM_UP_VALUES: usize = 1 << 13;

/// Whether a warm-up has run to the end in this page.
#[cfg(feature = "threads")]
static WARMED: AtomicBool = AtomicBool::new(false);

/// Runs up to [`WARM_UP_RUNS`] small evaluations shaped like `inputs` (its features,
/// clusters, seeding, algorithm and picture, on a few thousand generated rows) on a scratch
/// engine, on the worker pool, while the page is idle; returns how many ran.
///
/// wasm code starts in V8's baseline tier and is optimised once it has run enough, on a
/// background thread: a function that runs once per evaluation (the job runner, the Lloyd
/// driver) was optimised only around the page's tenth run, and each of those compiles took
/// 10–90 ms of a core in the middle of a job — on two cores, from the job's own threads.
/// Small runs get there in a fraction of a second, before the user's next run. The scratch
/// engine keeps nothing of them (its store, job log and progress are its own). It stops
/// between runs when new work is requested or an evaluation is running, and is done for
/// good once a warm-up has run to the end.
#[cfg(feature = "threads")]
pub async fn warm_up(inputs: &ScenarioInputs) -> u64 {
    if WARMED.load(Ordering::Relaxed) {
        return 0;
    }
    let d = inputs.n_features.max(1);
    let rows = (WARM_UP_VALUES / d).max(4 * inputs.k).max(64);
    if rows.saturating_mul(d) > 8 * WARM_UP_VALUES {
        return 0;
    }
    let small = ScenarioInputs {
        n_samples: rows,
        chunk_rows: rows.div_ceil(8),
        fit_sample: inputs.fit_sample.map(|m| m.min(rows / 2).max(inputs.k)),
        silhouette_sample: inputs.silhouette_sample.min(rows),
        view: None,
        source: crate::pipeline::graph::imported::DataSource::Blobs,
        ..inputs.clone()
    };
    let asked = WORK.load(Ordering::Relaxed);
    on_pool(move || {
        use super::environment::PerformanceClock;
        let scratch = Engine::new(Arc::new(PerformanceClock), 64 << 20).with_job_capacity(16);
        let cancel = AtomicBool::new(false);
        let mut ran = 0;
        for i in 0..WARM_UP_RUNS {
            if WORK.load(Ordering::Relaxed) != asked || engine().progress().running {
                break;
            }
            let inputs = ScenarioInputs {
                data_seed: small.data_seed.wrapping_add(1 + i),
                ..small.clone()
            };
            let Ok(plan) = Plan::new(&inputs) else { break };
            if scratch.evaluate_detached(&plan, &cancel).is_err() {
                break;
            }
            ran += 1;
        }
        if ran == WARM_UP_RUNS {
            WARMED.store(true, Ordering::Relaxed);
        }
        ran
    })
    .await
    .unwrap_or(0)
}

/// The last progress the compute worker posted, with the memo store's use as of the last
/// outcome.
#[cfg(not(feature = "threads"))]
pub fn live() -> Option<Live> {
    super::st_worker::last_live()
}

/// Jobs are returned with each outcome instead.
#[cfg(not(feature = "threads"))]
pub fn jobs_since(_from_id: u64) -> Option<Vec<JobRecord>> {
    None
}

/// Evaluates `plan` in the compute worker; a newer request waits for this one
/// ([`super::latest`] keeps only the newest waiting).
#[cfg(not(feature = "threads"))]
pub async fn evaluate(
    plan: Plan,
    jobs_from: u64,
    _cancel: Arc<AtomicBool>,
    delivery: Delivery,
) -> Result<Outcome, WebError> {
    super::st_worker::evaluate(plan.inputs(), jobs_from, delivery).await
}

/// Evaluates another scenario in the compute worker. The worker runs its messages one at
/// a time to the end, in the order posted, and has no way to see `cancel`: a background
/// evaluation is not stopped by the page's next request, which waits behind it instead
/// (unlike the threaded build, where setting `cancel` stops it).
#[cfg(not(feature = "threads"))]
pub async fn evaluate_detached(plan: Plan, _cancel: Arc<AtomicBool>) -> Result<Outcome, WebError> {
    super::st_worker::evaluate(plan.inputs(), u64::MAX, Delivery::Whole).await
}

/// Runs a k sweep in the compute worker.
#[cfg(not(feature = "threads"))]
pub async fn sweep(spec: SweepSpec, _cancel: Arc<AtomicBool>) -> Result<SweepTable, WebError> {
    super::st_worker::sweep(&spec).await
}

#[cfg(not(feature = "threads"))]
thread_local! {
    // The single-threaded build's engine, inside its compute worker.
    static ST_ENGINE: Engine = {
        let engine = Engine::new(Arc::new(super::environment::PerformanceClock), MEMO_BUDGET_BYTES);
        engine.on_progress(Box::new(super::st_worker::post_progress));
        engine
    };
}

/// Worker side of the single-threaded build: `f` on this thread's engine (exports).
#[cfg(not(feature = "threads"))]
pub(crate) fn with_st_engine<R>(f: impl FnOnce(&Engine) -> R) -> R {
    ST_ENGINE.with(f)
}

/// Worker side of the single-threaded build: a sweep on this thread's engine.
#[cfg(not(feature = "threads"))]
pub(crate) fn sweep_here(spec: &SweepSpec) -> Result<SweepTable, WebError> {
    ST_ENGINE.with(|e| Ok(e.sweep(spec, &AtomicBool::new(false))?))
}

/// Worker side of the single-threaded build: an evaluation on this thread's engine.
#[cfg(not(feature = "threads"))]
pub(crate) fn evaluate_here(
    inputs: &ScenarioInputs,
    jobs_from: u64,
    delivery: Delivery,
) -> Result<Outcome, WebError> {
    let plan = Plan::new(inputs)?;
    ST_ENGINE.with(|e| {
        let ticket = e.submit(plan);
        let ev = e.deliver(&ticket, &AtomicBool::new(false), delivery)?;
        Ok(Outcome {
            meta: OutcomeMeta {
                summary: ev.summary,
                jobs: e.jobs_since(jobs_from),
                memory: e.memory(),
            },
            pixels: ev.pixels,
        })
    })
}
