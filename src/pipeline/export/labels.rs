//! A scenario's fitted model and every row's label, taken from the engine for exports.
//!
//! The scenario is evaluated first (its model and scores; a scenario the page has just
//! shown is all store hits), then the dataset and model values are loaded from the memo
//! store — recomputed if they were evicted — and every row is labelled by chunk-parallel
//! predict against the fitted centres (dask-ml's `ParallelPostFit.predict`). That predict
//! is a job in the log like any other, with its chunk tasks, so the task stream shows the
//! export working. Its inertia must equal the metrics node's: both label every row against
//! the same centres.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::cluster::{KMeansFit, Prediction, predict_monitored};
use crate::data::Blobs;
use crate::pipeline::engine::SCORE_TARGETS;
use crate::pipeline::engine::evaluation::EvaluationSummary;
use crate::pipeline::engine::run::Run;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::job::JobStatus;
use crate::pipeline::jobs::monitor::JobMonitor;
use crate::pipeline::tasks::NodeValue;
use crate::pipeline::{Engine, PipelineError, Plan, ScenarioInputs};

/// A scenario's model, with the evaluation that produced it.
#[derive(Debug, Clone)]
pub struct FittedScenario {
    /// The fitted model (centres `k × d`).
    pub model: Arc<KMeansFit>,
    /// The evaluation: its metrics hold the rows per cluster over the whole dataset.
    pub summary: EvaluationSummary,
}

/// A scenario's dataset, model and the label of every row.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The dataset, shared with the memo store.
    pub dataset: Arc<Blobs>,
    /// The fitted model.
    pub model: Arc<KMeansFit>,
    /// Every row's label against the model's centres, and their inertia.
    pub prediction: Prediction,
    /// The evaluation the model came from.
    pub summary: EvaluationSummary,
}

impl Engine {
    /// Evaluates `inputs` outside the view lane (reusing whatever the store holds) and
    /// returns the fitted model. Only `cancel` stops it.
    pub fn fitted_scenario(
        &self,
        inputs: &ScenarioInputs,
        cancel: &AtomicBool,
    ) -> Result<FittedScenario, PipelineError> {
        let plan = Plan::new(inputs)?;
        let summary = self
            .evaluate_targets(&plan, None, cancel, &SCORE_TARGETS, 0, 1)?
            .summary;
        let mut run = Run::new(self, &plan, None, cancel, summary.evaluation);
        let NodeValue::Model(model) = run.value(TaskId::Fit)? else {
            unreachable!("the fit node holds a model")
        };
        Ok(FittedScenario { model, summary })
    }

    /// Evaluates `inputs` like [`Engine::fitted_scenario`], then labels every row of its
    /// dataset by chunk-parallel predict, logged as a `predict` job with its chunk tasks.
    pub fn assign_rows(
        &self,
        inputs: &ScenarioInputs,
        cancel: &AtomicBool,
    ) -> Result<Assignment, PipelineError> {
        let plan = Plan::new(inputs)?;
        let summary = self
            .evaluate_targets(&plan, None, cancel, &SCORE_TARGETS, 0, 1)?
            .summary;
        let evaluation = summary.evaluation;
        let progress = self.progress_handle();
        progress.begin(evaluation, 0, 1);
        let result = self.predict_all(&plan, &summary, cancel);
        progress.end(evaluation);
        let (dataset, model, prediction) = result?;
        Ok(Assignment {
            dataset,
            model,
            prediction,
            summary,
        })
    }

    fn predict_all(
        &self,
        plan: &Plan,
        summary: &EvaluationSummary,
        cancel: &AtomicBool,
    ) -> Result<(Arc<Blobs>, Arc<KMeansFit>, Prediction), PipelineError> {
        let evaluation = summary.evaluation;
        let mut run = Run::new(self, plan, None, cancel, evaluation);
        let NodeValue::Dataset(dataset) = run.value(TaskId::Generate)? else {
            unreachable!("the generate node holds a dataset")
        };
        let NodeValue::Model(model) = run.value(TaskId::Fit)? else {
            unreachable!("the fit node holds a model")
        };
        // Pass-through predict nodes have no memo key: the job is named by the node's
        // lineage, which identifies the same computation.
        let key = summary
            .node(TaskId::Predict)
            .key
            .unwrap_or_else(|| plan.lineage(TaskId::Predict));
        let clock = self.clock();
        let job = self.new_job(
            evaluation,
            TaskId::Predict,
            key,
            clock.now_ms(),
            JobStatus::Running,
        );
        self.progress_handle().task(evaluation, TaskId::Predict);
        let never_stale = || false;
        let monitor = JobMonitor {
            clock,
            job: &job,
            progress: self.progress_handle(),
            cancel,
            stale: &never_stale,
        };
        let prediction = predict_monitored(
            &dataset.x,
            model.centres.view(),
            dataset.weights.as_deref(),
            &monitor,
        );
        let end = clock.now_ms();
        match prediction {
            Ok(p) => {
                job.finish(JobStatus::Completed { backdated: false }, end);
                Ok((dataset, model, p))
            }
            Err(e) => {
                let e = PipelineError::from(e);
                job.finish(
                    if e.is_cancellation() {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Failed {
                            message: e.to_string(),
                        }
                    },
                    end,
                );
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::jobs::clock::NoClock;

    fn engine() -> Engine {
        Engine::new(Arc::new(NoClock), 256 << 20)
    }

    #[test]
    fn labels_every_row_with_the_metrics_inertia() {
        let e = engine();
        let inputs = ScenarioInputs {
            n_samples: 20_000,
            chunk_rows: 1_000,
            width: 16,
            height: 16,
            ..ScenarioInputs::default()
        };
        let a = e.assign_rows(&inputs, &AtomicBool::new(false)).unwrap();
        assert_eq!(a.prediction.labels.len(), 20_000);
        assert_eq!(a.prediction.labels, a.model.labels);
        let m = a.summary.metrics.inertia;
        assert!(
            (a.prediction.inertia - m).abs() <= 1e-9 * m,
            "{} vs {m}",
            a.prediction.inertia
        );
        let jobs = e.jobs();
        let predict = jobs
            .iter()
            .rfind(|j| j.task == TaskId::Predict)
            .expect("a predict job");
        assert_eq!(predict.status, JobStatus::Completed { backdated: false });
        assert_eq!(predict.tasks.len(), 20);
    }

    #[test]
    fn a_sample_fit_is_predicted_on_every_row() {
        let e = engine();
        let inputs = ScenarioInputs {
            n_samples: 30_000,
            fit_sample: Some(3_000),
            chunk_rows: 4_096,
            ..ScenarioInputs::default()
        };
        let shown = e
            .evaluate_detached(&Plan::new(&inputs).unwrap(), &AtomicBool::new(false))
            .unwrap();
        let a = e.assign_rows(&inputs, &AtomicBool::new(false)).unwrap();
        assert_eq!(a.model.labels.len(), 3_000);
        assert_eq!(a.prediction.labels.len(), 30_000);
        let sizes = crate::cluster::metrics::cluster_sizes(&a.prediction.labels, inputs.k);
        assert_eq!(sizes, shown.summary.metrics.cluster_sizes);
        // Everything came from the store the first evaluation filled.
        assert_eq!(
            a.summary.node(TaskId::Fit).state,
            crate::pipeline::NodeState::Reused
        );
    }

    #[test]
    fn fitted_scenario_gives_the_centres_and_a_cancel_stops_it() {
        let e = engine();
        let inputs = ScenarioInputs {
            n_samples: 5_000,
            k: 4,
            ..ScenarioInputs::default()
        };
        let f = e.fitted_scenario(&inputs, &AtomicBool::new(false)).unwrap();
        assert_eq!(f.model.centres.dim(), (4, 2));
        assert_eq!(f.summary.metrics.cluster_sizes.iter().sum::<u64>(), 5_000);
        let other = ScenarioInputs { k: 6, ..inputs };
        let e2 = engine();
        assert_eq!(
            e2.assign_rows(&other, &AtomicBool::new(true)).unwrap_err(),
            PipelineError::Cancelled
        );
        let bad = ScenarioInputs {
            max_iter: 0,
            ..other
        };
        assert!(e2.fitted_scenario(&bad, &AtomicBool::new(false)).is_err());
    }
}
