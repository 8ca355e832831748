//! A plan: a scenario's inputs, validated, with the fingerprint of every input node and the
//! lineage of every task node.
//!
//! The lineage of a task is the hash of its id, version, the fingerprints of the inputs it
//! reads and the lineages of its upstream tasks: what the task *would* compute, known before
//! anything runs. Two requests whose lineages for a task agree need the same output from it,
//! so a newer request makes a running job stale exactly when their lineages differ. Memo keys
//! are different (see [`crate::pipeline::memo::key`]): they use upstream *output* fingerprints, which
//! is what lets equal outputs be backdated.

use crate::cluster::{Init, LabelWidth};
use crate::data::ValidBlobsParams;
use crate::limits;
use crate::limits::LimitError;
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::inputs::{InputId, ScenarioInputs};
use crate::pipeline::graph::{TASKS, TaskId};
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

/// Largest canvas side accepted, in pixels ([`limits::CANVAS_SIDE`]).
pub const MAX_CANVAS_SIDE: u32 = limits::CANVAS_SIDE.whole_max() as u32;

/// Validated inputs with their fingerprints and lineages.
#[derive(Debug, Clone)]
pub struct Plan {
    inputs: ScenarioInputs,
    blobs: ValidBlobsParams,
    input_fps: [Fingerprint; InputId::COUNT],
    lineage: [Fingerprint; TaskId::COUNT],
}

impl Plan {
    /// Validates `inputs` before any work starts; the error names the bad value and its
    /// allowed range.
    pub fn new(inputs: &ScenarioInputs) -> Result<Self, PipelineError> {
        let blobs = inputs.blobs_params().check()?;
        inputs.kmeans_params().check()?;
        // An imported dataset's shape is the file's, not the blobs parameters'.
        let (n, d) = inputs
            .imported()
            .map_or((inputs.n_samples, blobs.n_features()), |s| {
                (s.rows, s.columns)
            });
        if inputs.imported().is_some() {
            limits::N_SAMPLES
                .named("rows of the imported dataset")
                .check_usize(n)?;
        }
        let fit_rows = inputs.fit_sample.map_or(n, |m| m.min(n));
        if let Some(m) = inputs.fit_sample {
            limits::FIT_SAMPLE.check_usize(m)?;
            // A drawn sample would carry no weights, and its fit would not be the weighted
            // one the user asked for.
            if m < n
                && let Some(w) = inputs.imported().and_then(|s| s.weight_column.as_ref())
            {
                return Err(PipelineError::Limit(LimitError::out_of_range(
                    "fit_sample",
                    m.to_string(),
                    format!("none (every row) while the rows are weighted by '{w}'"),
                )));
            }
        }
        limits::K.up_to(fit_rows as f64).check_usize(inputs.k)?;
        limits::CANVAS_SIDE.check_usize(inputs.width as usize)?;
        limits::CANVAS_SIDE
            .named("height")
            .check_usize(inputs.height as usize)?;
        let feature = limits::FEATURE_INDEX.up_to(d as f64 - 1.0);
        feature.check_usize(inputs.feature_x)?;
        feature.named("feature_y").check_usize(inputs.feature_y)?;
        inputs.projection.check(d)?;
        if let Some(w) = &inputs.view {
            w.check()?;
        }
        if let Init::Centers(rows) = &inputs.init
            && let Some(width) = rows.first().map(Vec::len)
            && width != d
        {
            return Err(PipelineError::Limit(LimitError::out_of_range(
                "features of the initial centres",
                width.to_string(),
                format!("{d} (the dataset's features)"),
            )));
        }
        limits::SILHOUETTE_SAMPLE.check_usize(inputs.silhouette_sample)?;
        let input_fps =
            crate::pipeline::graph::imported::effective_fingerprints(inputs, inputs.fingerprints());
        let mut lineage = [Fingerprint::default(); TaskId::COUNT];
        for t in &TASKS {
            let mut h = FingerprintHasher::new("lineage");
            h.bytes(t.id.name().as_bytes());
            h.word(t.version as u64);
            for i in t.inputs {
                h.fingerprint(input_fps[i.index()]);
            }
            for u in t.upstream {
                h.fingerprint(lineage[u.index()]);
            }
            lineage[t.id.index()] = h.finish();
        }
        Ok(Self {
            inputs: inputs.clone(),
            blobs,
            input_fps,
            lineage,
        })
    }

    /// The inputs.
    pub fn inputs(&self) -> &ScenarioInputs {
        &self.inputs
    }

    /// The checked dataset parameters (centres resolved).
    pub fn blobs(&self) -> &ValidBlobsParams {
        &self.blobs
    }

    /// The fingerprint of one input node.
    pub fn input_fingerprint(&self, id: InputId) -> Fingerprint {
        self.input_fps[id.index()]
    }

    /// The lineage of one task node.
    pub fn lineage(&self, task: TaskId) -> Fingerprint {
        self.lineage[task.index()]
    }

    /// Bytes of the dataset's values and labels, in `u64` because on wasm32 a request may
    /// describe more than `usize` can count (and must then be refused, not wrapped).
    pub fn dataset_bytes(&self) -> u64 {
        let d = self.n_features() as u64;
        // Imported data without a truth column have no labels; weights take 8 bytes a row.
        let label = if self.has_ground_truth() { 4 } else { 0 };
        let weight = if self.is_weighted() { 8 } else { 0 };
        self.n_rows() as u64 * (d * 4 + label + weight)
    }

    /// Bytes the evaluation will hold at its peak, for refusing a request that cannot fit
    /// in the browser's fixed shared memory before any work starts: the dataset, a copied
    /// training sample, the model's labels (in the narrowest word for k,
    /// [`LabelWidth`]), one `u32` label per row for the tasks downstream (the fit's
    /// widened, or the prediction), the pixels, and the rasteriser's per-thread count and
    /// first-row buffers (8 bytes a pixel).
    pub fn estimated_peak_bytes(&self, threads: usize) -> u64 {
        let p = &self.inputs;
        let d = self.n_features() as u64;
        let pixels = p.width as u64 * p.height as u64;
        let (sample, fitted_rows) = match p.fit_sample {
            Some(m) if self.fits_on_sample() => (m as u64 * d * 4, m as u64),
            _ => (0, self.n_rows() as u64),
        };
        let model_labels = fitted_rows * LabelWidth::for_k(p.k).bytes() as u64;
        // An imported dataset is already resident in the engine's registry.
        let dataset = if self.inputs().imported().is_none() {
            self.dataset_bytes()
        } else {
            0
        };
        dataset
            + sample
            + model_labels
            + self.n_rows() as u64 * 4
            + pixels * 4
            + pixels * 8 * threads.max(1) as u64
    }

    /// Whether the model is fitted on a sample (and `predict` labels every row).
    pub fn fits_on_sample(&self) -> bool {
        self.inputs.fit_sample.is_some_and(|m| m < self.n_rows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_follows_the_inputs_each_task_reads() {
        let a = Plan::new(&ScenarioInputs::default()).unwrap();
        let b = Plan::new(&ScenarioInputs {
            k: 5,
            ..ScenarioInputs::default()
        })
        .unwrap();
        for t in TaskId::ALL {
            let same = matches!(
                t,
                TaskId::Generate | TaskId::Sample | TaskId::Profile | TaskId::Project
            );
            assert_eq!(a.lineage(t) == b.lineage(t), same, "{t:?}");
        }
        let c = Plan::new(&ScenarioInputs {
            width: 100,
            ..ScenarioInputs::default()
        })
        .unwrap();
        for t in TaskId::ALL {
            assert_eq!(a.lineage(t) == c.lineage(t), t != TaskId::Render, "{t:?}");
        }
    }

    #[test]
    fn peak_memory_grows_with_rows_sample_and_canvas() {
        let base = ScenarioInputs {
            n_samples: 1_000_000,
            ..ScenarioInputs::default()
        };
        let a = Plan::new(&base).unwrap().estimated_peak_bytes(4);
        // 1M × 2 f32 + generated labels = 12 MB, the model's one-byte labels (k = 8) and
        // their u32 copy 5 MB, plus 640 × 480 pixels.
        assert_eq!(a, 12_000_000 + 5_000_000 + 640 * 480 * (4 + 8 * 4));
        let sampled = Plan::new(&ScenarioInputs {
            fit_sample: Some(100_000),
            ..base.clone()
        })
        .unwrap();
        // The sample's copy (100k × 8 bytes) and the model's labels of its rows alone.
        assert_eq!(
            sampled.estimated_peak_bytes(4),
            a + 800_000 + 100_000 - 1_000_000
        );
        let all_rows = Plan::new(&ScenarioInputs {
            fit_sample: Some(2_000_000),
            ..base
        })
        .unwrap();
        assert_eq!(all_rows.estimated_peak_bytes(4), a);
    }

    #[test]
    fn bad_values_are_named_before_any_work() {
        let e = Plan::new(&ScenarioInputs {
            feature_y: 2,
            ..ScenarioInputs::default()
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "feature_y = 2 is out of range: allowed 0 ..= 1"
        );
        let e = Plan::new(&ScenarioInputs {
            fit_sample: Some(10),
            k: 11,
            ..ScenarioInputs::default()
        })
        .unwrap_err();
        assert!(e.to_string().starts_with("k = 11"), "{e}");
        let e = Plan::new(&ScenarioInputs {
            k: 2,
            init: Init::Centers(vec![vec![0.0; 3], vec![1.0; 3]]),
            ..ScenarioInputs::default()
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("allowed 2 (the dataset's features)"),
            "{e}"
        );
        let e = Plan::new(&ScenarioInputs {
            n_samples: 0,
            ..ScenarioInputs::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("n_samples"), "{e}");
    }
}
