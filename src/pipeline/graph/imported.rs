//! Imported data as an input node: a user's file, parsed by [`crate::data::import`], enters
//! the graph in place of the generated blobs (Taipy's data node backed by a file instead of
//! a generator), memoised by content.
//!
//! The scenario names its data by a [`DataSource`]; an imported source carries the content
//! fingerprint of the parsed matrix, its name, shape and column names — not the values,
//! which live in the engine's registry ([`Engine::register_imported`]) and, in the browser,
//! as the raw file in IndexedDB so a reload can import it again. The `generate` node of an
//! imported scenario returns the registered matrix: equal bytes with equal options give an
//! equal fingerprint, so importing the same file twice keeps one dataset, and scenarios
//! that differ only in k share it. An imported dataset has ground truth only when a column
//! of the file was chosen as its classes ([`crate::data::import::Truth`]): then its labels
//! are those classes and its true centres their means, as for generated blobs; otherwise
//! both are empty, the adjusted Rand index is absent (NaN, serialised as `null`), and
//! [`crate::pipeline::engine::evaluation::DatasetSummary::ground_truth`] says so.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::data::import::{ImportReport, Truth};
use crate::data::{Blobs, ChunkedMatrix};
use crate::pipeline::engine::Engine;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::TaskId;
use crate::pipeline::graph::inputs::{InputId, ScenarioInputs};
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::tasks::NodeValue;
use crate::pipeline::tasks::generate;

/// Where a scenario's dataset comes from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DataSource {
    /// Blobs generated from the scenario's dataset parameters (the default, and what a
    /// document without a `source` means).
    #[default]
    Blobs,
    /// A file the user imported.
    Imported(ImportedSource),
}

/// An imported dataset as a scenario names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedSource {
    /// Content fingerprint of the parsed matrix (shape and values).
    pub content: Fingerprint,
    /// The file's name, for people.
    pub name: String,
    /// Rows kept.
    pub rows: usize,
    /// Columns kept.
    pub columns: usize,
    /// Names of the kept columns.
    pub column_names: Vec<String>,
    /// Whether the columns were standardised.
    pub standardised: bool,
    /// The file's ground truth, when a column was read as classes.
    #[serde(default)]
    pub truth: Option<ImportedTruth>,
    /// The column read as sample weights, if any.
    #[serde(default)]
    pub weight_column: Option<String>,
}

/// What a scenario knows of an imported file's ground truth: small enough to travel with
/// it (the labels stay in the registered dataset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedTruth {
    /// The column the classes came from.
    pub column: String,
    /// The classes, by code.
    pub classes: Vec<String>,
    /// Each class's mean, `classes × columns` row-major: the true centres.
    pub centres: Vec<f64>,
}

impl ScenarioInputs {
    /// The imported source, if the scenario's data is a file.
    pub fn imported(&self) -> Option<&ImportedSource> {
        match &self.source {
            DataSource::Imported(s) => Some(s),
            DataSource::Blobs => None,
        }
    }
}

/// Inputs only the blobs generator reads: meaningless for an imported dataset.
const BLOBS_ONLY: [InputId; 6] = [
    InputId::NSamples,
    InputId::NFeatures,
    InputId::Centers,
    InputId::ClusterStd,
    InputId::CenterBox,
    InputId::Shuffle,
];

/// The fingerprints a plan keys its tasks by. For an imported source the source node is
/// keyed by content alone (the file's name does not change the data), and the
/// generator-only inputs by a constant, so editing a hidden blobs parameter does not
/// invalidate an imported dataset.
pub(crate) fn effective_fingerprints(
    inputs: &ScenarioInputs,
    mut fps: [Fingerprint; InputId::COUNT],
) -> [Fingerprint; InputId::COUNT] {
    if let Some(s) = inputs.imported() {
        let mut h = FingerprintHasher::new("imported source");
        h.fingerprint(s.content);
        fps[InputId::Source.index()] = h.finish();
        for id in BLOBS_ONLY {
            fps[id.index()] = FingerprintHasher::new("unused by an imported dataset").finish();
        }
    }
    fps
}

impl Plan {
    /// Rows of the dataset: the imported rows, or `n_samples`.
    pub fn n_rows(&self) -> usize {
        self.inputs()
            .imported()
            .map_or(self.inputs().n_samples, |s| s.rows)
    }

    /// Columns of the dataset: the imported columns, or the blobs' features.
    pub fn n_features(&self) -> usize {
        self.inputs()
            .imported()
            .map_or(self.blobs().n_features(), |s| s.columns)
    }

    /// Whether any task reads `input`: an imported dataset leaves the generator-only
    /// inputs unread.
    pub fn reads_input(&self, input: InputId) -> bool {
        self.inputs().imported().is_none() || !BLOBS_ONLY.contains(&input)
    }

    /// Whether the dataset has ground truth (generated blobs do; an imported file when a
    /// column was read as its classes).
    pub fn has_ground_truth(&self) -> bool {
        self.inputs().imported().is_none_or(|s| s.truth.is_some())
    }

    /// Whether the rows carry sample weights (an imported weights column).
    pub fn is_weighted(&self) -> bool {
        self.inputs()
            .imported()
            .is_some_and(|s| s.weight_column.is_some())
    }

    /// The true centres: the generator's, or the means of an imported file's classes
    /// (empty without ground truth).
    pub fn true_centres(&self) -> Array2<f64> {
        match self.inputs().imported() {
            None => self.blobs().centers().clone(),
            Some(s) => match &s.truth {
                Some(t) if s.columns > 0 => Array2::from_shape_vec(
                    (t.centres.len() / s.columns, s.columns),
                    t.centres.clone(),
                )
                .unwrap_or_else(|_| Array2::zeros((0, s.columns))),
                _ => Array2::zeros((0, s.columns)),
            },
        }
    }
}

/// Parsed matrices by content fingerprint, held for the scenarios that name them.
#[derive(Debug, Default)]
pub struct ImportedRegistry {
    datasets: Mutex<HashMap<Fingerprint, Arc<Blobs>>>,
}

impl ImportedRegistry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Fingerprint, Arc<Blobs>>> {
        self.datasets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The content fingerprint of a parsed matrix: the `generate` node's output fingerprint
/// for it, so the source and the dataset node agree.
pub fn content_fingerprint(x: &ChunkedMatrix) -> Fingerprint {
    generate::fingerprint(&as_dataset(x.clone()))
}

fn as_dataset(x: ChunkedMatrix) -> Blobs {
    let d = x.n_cols();
    Blobs {
        x,
        labels: Vec::new(),
        centers: Array2::zeros((0, d)),
        weights: None,
    }
}

fn with_truth(x: ChunkedMatrix, truth: Option<&Truth>, weights: Option<Vec<f64>>) -> Blobs {
    let mut b = match truth {
        Some(t) => Blobs {
            centers: t.centres(&x),
            labels: t.labels.clone(),
            x,
            weights: None,
        },
        None => as_dataset(x),
    };
    b.weights = weights;
    b
}

impl Engine {
    /// Registers a parsed matrix, with its classes when a truth column was read and its
    /// sample weights when a weight column was, and returns the source a scenario names it
    /// by. Equal matrices with equal classes and weights get equal fingerprints and are held
    /// once; `name` and the report's column names only label it.
    pub fn register_imported(
        &self,
        x: ChunkedMatrix,
        name: &str,
        report: &ImportReport,
        truth: Option<&Truth>,
        weights: Option<Vec<f64>>,
    ) -> ImportedSource {
        let (rows, columns) = (x.n_rows(), x.n_cols());
        let (column_names, standardised) = (report.column_names.clone(), report.standardised);
        let dataset = with_truth(x, truth, weights);
        let imported_truth = truth.map(|t| ImportedTruth {
            column: t.column.clone(),
            classes: t.classes.clone(),
            centres: dataset.centers.iter().copied().collect(),
        });
        let content = generate::fingerprint(&dataset);
        self.imported_registry()
            .lock()
            .entry(content)
            .or_insert_with(|| Arc::new(dataset));
        ImportedSource {
            content,
            name: name.to_owned(),
            rows,
            columns,
            column_names,
            standardised,
            truth: imported_truth,
            weight_column: report.weight_column.clone(),
        }
    }

    /// Whether the matrix with this content is registered.
    pub fn has_imported(&self, content: Fingerprint) -> bool {
        self.imported_registry().lock().contains_key(&content)
    }

    /// Drops a registered matrix (scenarios naming it fail with "not loaded" until it is
    /// imported again); whether it was there.
    pub fn forget_imported(&self, content: Fingerprint) -> bool {
        self.imported_registry().lock().remove(&content).is_some()
    }

    /// Bytes held by registered matrices.
    pub fn imported_bytes(&self) -> usize {
        self.imported_registry()
            .lock()
            .values()
            .map(|b| b.x.nbytes())
            .sum()
    }

    /// The `generate` node's value for an imported source: the registered matrix in the
    /// plan's chunking. `None` when `task` is not `generate` or the data are blobs.
    pub(crate) fn imported_value(
        &self,
        task: TaskId,
        plan: &Plan,
    ) -> Option<Result<NodeValue, PipelineError>> {
        if task != TaskId::Generate {
            return None;
        }
        let source = plan.inputs().imported()?;
        let found = self
            .imported_registry()
            .lock()
            .get(&source.content)
            .cloned();
        let Some(dataset) = found else {
            return Some(Err(PipelineError::NotLoaded {
                name: source.name.clone(),
            }));
        };
        let chunk_rows = plan.inputs().chunk_rows;
        if dataset.x.chunk_rows() == chunk_rows {
            return Some(Ok(NodeValue::Dataset(dataset)));
        }
        Some(
            dataset
                .x
                .clone()
                .with_chunk_rows(chunk_rows)
                .map(|x| {
                    NodeValue::Dataset(Arc::new(Blobs {
                        x,
                        labels: dataset.labels.clone(),
                        centers: dataset.centers.clone(),
                        weights: dataset.weights.clone(),
                    }))
                })
                .map_err(PipelineError::from),
        )
    }
}

/// Serde for a score that is NaN when it cannot be computed (the adjusted Rand index of
/// data without ground truth): written as `null`, read back from `null` as NaN, so it
/// crosses the worker boundary as JSON and older documents with a number still read.
pub mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes NaN as `null`, any other value as a number.
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_f64(*v)
        }
    }

    /// Reads `null` as NaN.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_without_a_source_reads_as_blobs() {
        let json = serde_json::to_value(ScenarioInputs::default()).unwrap();
        assert_eq!(json["source"], serde_json::json!({"kind": "blobs"}));
        let mut map = json.as_object().unwrap().clone();
        map.remove("source");
        let back: ScenarioInputs = serde_json::from_value(map.into()).unwrap();
        assert_eq!(back.source, DataSource::Blobs);
    }

    #[test]
    fn nan_scores_round_trip_through_null() {
        #[derive(Serialize, Deserialize)]
        struct S {
            #[serde(with = "nan_as_null")]
            v: f64,
        }
        assert_eq!(
            serde_json::to_string(&S { v: f64::NAN }).unwrap(),
            r#"{"v":null}"#
        );
        let s: S = serde_json::from_str(r#"{"v":null}"#).unwrap();
        assert!(s.v.is_nan());
        let s: S = serde_json::from_str(r#"{"v":0.5}"#).unwrap();
        assert_eq!(s.v, 0.5);
    }
}
