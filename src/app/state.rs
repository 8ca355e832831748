//! The page's signals, shared through Leptos context. Components read and write these.
//! The view's own evaluations and the progress poll go through [`super::runner`], which
//! keeps them latest-wins; work outside the view lane calls `crate::web` itself — the idle
//! scenario filler (`scenarios.rs`), k sweeps (`sweep_panel.rs`), and the import and export
//! panels through `import_bridge` and `export_bridge`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;

use crate::pipeline::ScenarioInputs;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::job::JobRecord;
use crate::pipeline::scenarios::scenario::ScenarioBook;
use crate::pipeline::scenarios::session::SavedResult;
use crate::web::WebError;
use crate::web::compute::{Live, Outcome};

/// Jobs the page keeps for its log and task stream.
pub const KEPT_JOBS: usize = 200;

/// Where the current request is.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Threads are starting.
    Starting,
    /// Waiting for the Run button (auto-run off and inputs changed).
    Idle,
    /// An evaluation is running.
    Running,
    /// The shown outcome is current.
    Done,
    /// The last request failed.
    Failed(String),
}

impl RunState {
    /// `data-state` value for styling and tests.
    pub fn key(&self) -> &'static str {
        match self {
            RunState::Starting => "starting",
            RunState::Idle => "idle",
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Failed(_) => "failed",
        }
    }
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light panels.
    Light,
    /// Light text on dark panels.
    Dark,
}

/// A completed evaluation with the page-side times of its request.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The outcome.
    pub outcome: Arc<Outcome>,
    /// The inputs it was computed for.
    pub inputs: ScenarioInputs,
    /// When the page sent the request (ms since the epoch, page clock).
    pub requested_ms: f64,
    /// When the page received the result.
    pub received_ms: f64,
}

/// A scenario's last result: its summary (saved across reloads) and, once computed in
/// this page, its pixels.
#[derive(Debug, Clone)]
pub struct Kept {
    /// Inputs and summary, as saved in the browser.
    pub saved: SavedResult,
    /// The full outcome, when computed since the page loaded.
    pub outcome: Option<Arc<Outcome>>,
}

/// Every signal of the page.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The scenario being edited: every pipeline input.
    pub inputs: RwSignal<ScenarioInputs>,
    /// Run on every change (otherwise the Run button does).
    pub auto_run: RwSignal<bool>,
    /// The demo's coupling: one slider sets both the true centres and k.
    pub coupled: RwSignal<bool>,
    /// Threads in the compute pool, once started.
    pub threads: RwSignal<Option<usize>>,
    /// State of the current request. Set it with [`AppState::set_run`].
    pub run: RwSignal<RunState>,
    /// The state the page shows: `run`, except that a new evaluation is shown as running
    /// only once it has run long enough to report progress (the runner's first progress
    /// read). Below 0.1 s a response feels instant without a busy indicator (Card,
    /// Robertson and Mackinlay, "The information visualizer", CHI 1991; Nielsen,
    /// *Usability Engineering*, 1993), and on a two-core machine the repaint the indicator
    /// costs is taken from the compute threads of the job it announces.
    pub shown_run: RwSignal<RunState>,
    /// The last completed evaluation, as every panel shows it.
    pub shown: RwSignal<Option<Shown>>,
    /// The last completed evaluation as the plot draws it: set the moment it arrives, a
    /// frame before [`AppState::shown`], so the picture is drawn in one task and the
    /// graph, decks, tables and status follow in the next (ARCHITECTURE.md §8, "Start-up":
    /// together they made one task of more than 50 ms).
    pub picture: RwSignal<Option<Shown>>,
    /// Recent jobs, oldest first.
    pub jobs: RwSignal<Vec<JobRecord>>,
    /// Live progress while running (threaded build).
    pub live: RwSignal<Option<Live>>,
    /// The deck that is open.
    pub deck: RwSignal<TaskId>,
    /// Colour theme.
    pub theme: RwSignal<Theme>,
    /// Whether the plot draws the centres and the legend over the points.
    pub overlays: RwSignal<bool>,
    /// Bumped to ask for a run (the Run button).
    pub run_requests: RwSignal<u64>,
    /// A k sweep is running.
    pub sweeping: RwSignal<bool>,
    /// Every scenario (Taipy's scenario selector).
    pub book: RwSignal<ScenarioBook>,
    /// The scenario open in the main view; edits to `inputs` go to it.
    pub current: RwSignal<u64>,
    /// Last result of each scenario, by id.
    pub results: RwSignal<BTreeMap<u64, Kept>>,
    /// Scenarios ticked for the side-by-side comparison.
    pub comparing: RwSignal<BTreeSet<u64>>,
    /// The scenario being computed in the background, if any.
    pub filling: RwSignal<Option<u64>>,
    /// Scenarios whose background evaluation failed, with the reason.
    pub fill_errors: RwSignal<BTreeMap<u64, WebError>>,
    /// A message about saving, restoring or sharing scenarios.
    pub notice: RwSignal<Option<String>>,
}

impl AppState {
    /// Fresh state with the demo's defaults.
    pub fn new(inputs: ScenarioInputs) -> Self {
        Self {
            inputs: RwSignal::new(inputs),
            auto_run: RwSignal::new(true),
            coupled: RwSignal::new(true),
            threads: RwSignal::new(None),
            run: RwSignal::new(RunState::Starting),
            shown_run: RwSignal::new(RunState::Starting),
            shown: RwSignal::new(None),
            picture: RwSignal::new(None),
            jobs: RwSignal::new(Vec::new()),
            live: RwSignal::new(None),
            deck: RwSignal::new(TaskId::Fit),
            theme: RwSignal::new(Theme::Light),
            overlays: RwSignal::new(true),
            run_requests: RwSignal::new(0),
            sweeping: RwSignal::new(false),
            book: RwSignal::new(ScenarioBook::new()),
            current: RwSignal::new(0),
            results: RwSignal::new(BTreeMap::new()),
            comparing: RwSignal::new(BTreeSet::new()),
            filling: RwSignal::new(None),
            fill_errors: RwSignal::new(BTreeMap::new()),
            notice: RwSignal::new(None),
        }
    }

    /// Sets the state of the current request. Every state but `Running` is shown at once;
    /// the runner shows `Running` when the evaluation's progress is first due.
    pub fn set_run(&self, run: RunState) {
        if run != RunState::Running {
            self.shown_run.set(run.clone());
        }
        self.run.set(run);
    }

    /// The id after the last job in the kept log: where the next evaluation's jobs start.
    pub fn next_job_id(&self) -> u64 {
        self.jobs
            .with_untracked(|j| j.last().map_or(0, |j| j.id + 1))
    }

    /// Adds jobs to the kept log, replacing records of the same id (a running job's record
    /// is superseded by its final one).
    pub fn merge_jobs(&self, new: Vec<JobRecord>) {
        if new.is_empty() {
            return;
        }
        // Polls return the last known job again and again: notify (and redraw the task
        // stream) only when something changed.
        self.jobs.maybe_update(|jobs| {
            let mut changed = false;
            for job in new {
                match jobs.iter_mut().find(|j| j.id == job.id) {
                    Some(old) if *old == job => {}
                    Some(old) => {
                        *old = job;
                        changed = true;
                    }
                    None => {
                        jobs.push(job);
                        changed = true;
                    }
                }
            }
            if changed {
                jobs.sort_by_key(|j| j.id);
                let excess = jobs.len().saturating_sub(KEPT_JOBS);
                jobs.drain(..excess);
            }
            changed
        });
    }
}
