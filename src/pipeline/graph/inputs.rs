//! The input data nodes: every parameter the page offers, as one flat, serialisable record.
//!
//! Each field is one input node of the graph (Taipy's "data nodes" that hold parameters),
//! fingerprinted on its own, so a task's memo key depends only on the fields it reads:
//! changing `k` leaves the key of `generate` alone. The fields keep the names and meanings
//! of [`BlobsParams`] and [`KMeansParams`], which they are converted into.

use serde::{Deserialize, Serialize};

use crate::cluster::{Algorithm, Init, KMeansParams};
use crate::data::{BlobsParams, Centers, ClusterStd};
use crate::pipeline::graph::imported::DataSource;
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::render::projection::Projection;
use crate::pipeline::render::raster::ViewWindow;

/// Default canvas width, pixels.
pub const DEFAULT_WIDTH: u32 = 640;
/// Default canvas height, pixels.
pub const DEFAULT_HEIGHT: u32 = 480;
/// Default silhouette sample: the score costs O(m²·d), and 2 000 rows keep it well under a
/// second in the browser while its standard error stays around 0.01.
pub const DEFAULT_SILHOUETTE_SAMPLE: usize = 2_000;

/// One assignment of every input of the pipeline: a scenario's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInputs {
    /// Rows of the dataset.
    pub n_samples: usize,
    /// Columns of the dataset (ignored when `centers` are explicit points).
    pub n_features: usize,
    /// Blob centres: a count or explicit points.
    pub centers: Centers,
    /// Standard deviation of the blobs.
    pub cluster_std: ClusterStd,
    /// Box the random centres are drawn in.
    pub center_box: (f64, f64),
    /// Whether rows are shuffled.
    pub shuffle: bool,
    /// Seed of the dataset.
    pub data_seed: u64,
    /// Rows per chunk.
    pub chunk_rows: usize,
    /// Number of clusters.
    pub k: usize,
    /// Seeding method, with ℓ and rounds for k-means||.
    pub init: Init,
    /// Most Lloyd iterations.
    pub max_iter: usize,
    /// Relative tolerance (scikit-learn's meaning).
    pub tol: f64,
    /// Lloyd variant.
    pub algorithm: Algorithm,
    /// Seed of k-means (seeding and the fit-on-a-sample draw).
    pub kmeans_seed: u64,
    /// Fit on a seeded sample of this many rows, then predict every row (dask-ml's
    /// `ParallelPostFit`); `None`, or a size ≥ `n_samples`, fits on everything.
    pub fit_sample: Option<usize>,
    /// Rows the silhouette score is computed on (0 skips it).
    pub silhouette_sample: usize,
    /// Canvas width, pixels.
    pub width: u32,
    /// Canvas height, pixels.
    pub height: u32,
    /// Feature shown horizontally.
    pub feature_x: usize,
    /// Feature shown vertically.
    pub feature_y: usize,
    /// Two features or the first two principal components (older documents without it
    /// read as features).
    #[serde(default)]
    pub projection: Projection,
    /// The zoomed and panned data window of the canvas; `None` fits the data's bounds
    /// (older documents without it read as `None`).
    #[serde(default)]
    pub view: Option<ViewWindow>,
    /// The replay step the canvas shows (see [`crate::pipeline::replay::timeline`]);
    /// `None` shows the fit's final labels (older documents without it read as `None`).
    #[serde(default)]
    pub replay_step: Option<usize>,
    /// Where the dataset comes from: generated blobs or an imported file (older documents
    /// without it read as blobs).
    #[serde(default)]
    pub source: DataSource,
}

impl Default for ScenarioInputs {
    /// The seed demo's defaults: scikit-learn's blobs and k-means defaults, 3 clusters.
    fn default() -> Self {
        let b = BlobsParams::default();
        let km = KMeansParams::new(3);
        Self {
            n_samples: 100_000,
            n_features: b.n_features,
            centers: b.centers,
            cluster_std: b.cluster_std,
            center_box: b.center_box,
            shuffle: b.shuffle,
            data_seed: b.seed,
            chunk_rows: b.chunk_rows,
            k: km.k,
            init: km.init,
            max_iter: km.max_iter,
            tol: km.tol,
            algorithm: km.algorithm,
            kmeans_seed: km.seed,
            fit_sample: None,
            silhouette_sample: DEFAULT_SILHOUETTE_SAMPLE,
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            feature_x: 0,
            feature_y: 1,
            projection: Projection::Features,
            view: None,
            replay_step: None,
            source: DataSource::Blobs,
        }
    }
}

impl ScenarioInputs {
    /// The dataset parameters.
    pub fn blobs_params(&self) -> BlobsParams {
        BlobsParams {
            n_samples: self.n_samples,
            n_features: self.n_features,
            centers: self.centers.clone(),
            cluster_std: self.cluster_std.clone(),
            center_box: self.center_box,
            shuffle: self.shuffle,
            seed: self.data_seed,
            chunk_rows: self.chunk_rows,
        }
    }

    /// The k-means parameters.
    pub fn kmeans_params(&self) -> KMeansParams {
        KMeansParams {
            k: self.k,
            init: self.init.clone(),
            max_iter: self.max_iter,
            tol: self.tol,
            algorithm: self.algorithm,
            seed: self.kmeans_seed,
        }
    }

    /// Every field as `(input node, JSON value)`, in [`InputId::ALL`] order.
    pub fn values(&self) -> Vec<(InputId, serde_json::Value)> {
        let serde_json::Value::Object(map) =
            serde_json::to_value(self).expect("inputs always serialise")
        else {
            unreachable!("a struct serialises to a JSON object")
        };
        InputId::ALL
            .iter()
            .map(|&id| (id, map[id.name()].clone()))
            .collect()
    }

    /// The fingerprint of every input node, indexed by [`InputId::index`].
    pub fn fingerprints(&self) -> [Fingerprint; InputId::COUNT] {
        let mut out = [Fingerprint::default(); InputId::COUNT];
        for (id, v) in self.values() {
            out[id.index()] = Fingerprint::of_json(&v);
        }
        out
    }
}

/// An input node: one field of [`ScenarioInputs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is the field of the same name
pub enum InputId {
    NSamples,
    NFeatures,
    Centers,
    ClusterStd,
    CenterBox,
    Shuffle,
    DataSeed,
    ChunkRows,
    K,
    Init,
    MaxIter,
    Tol,
    Algorithm,
    KmeansSeed,
    FitSample,
    SilhouetteSample,
    Width,
    Height,
    FeatureX,
    FeatureY,
    Projection,
    View,
    ReplayStep,
    Source,
}

impl InputId {
    /// Number of input nodes.
    pub const COUNT: usize = 24;

    /// Every input node, in field order.
    pub const ALL: [InputId; Self::COUNT] = [
        InputId::NSamples,
        InputId::NFeatures,
        InputId::Centers,
        InputId::ClusterStd,
        InputId::CenterBox,
        InputId::Shuffle,
        InputId::DataSeed,
        InputId::ChunkRows,
        InputId::K,
        InputId::Init,
        InputId::MaxIter,
        InputId::Tol,
        InputId::Algorithm,
        InputId::KmeansSeed,
        InputId::FitSample,
        InputId::SilhouetteSample,
        InputId::Width,
        InputId::Height,
        InputId::FeatureX,
        InputId::FeatureY,
        InputId::Projection,
        InputId::View,
        InputId::ReplayStep,
        InputId::Source,
    ];

    /// Position in [`InputId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The field name, which is also the node id in the graph and the key in JSON.
    pub fn name(self) -> &'static str {
        match self {
            InputId::NSamples => "n_samples",
            InputId::NFeatures => "n_features",
            InputId::Centers => "centers",
            InputId::ClusterStd => "cluster_std",
            InputId::CenterBox => "center_box",
            InputId::Shuffle => "shuffle",
            InputId::DataSeed => "data_seed",
            InputId::ChunkRows => "chunk_rows",
            InputId::K => "k",
            InputId::Init => "init",
            InputId::MaxIter => "max_iter",
            InputId::Tol => "tol",
            InputId::Algorithm => "algorithm",
            InputId::KmeansSeed => "kmeans_seed",
            InputId::FitSample => "fit_sample",
            InputId::SilhouetteSample => "silhouette_sample",
            InputId::Width => "width",
            InputId::Height => "height",
            InputId::FeatureX => "feature_x",
            InputId::FeatureY => "feature_y",
            InputId::Projection => "projection",
            InputId::View => "view",
            InputId::ReplayStep => "replay_step",
            InputId::Source => "source",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            InputId::NSamples => "samples",
            InputId::NFeatures => "features",
            InputId::Centers => "centres",
            InputId::ClusterStd => "cluster std",
            InputId::CenterBox => "centre box",
            InputId::Shuffle => "shuffle",
            InputId::DataSeed => "data seed",
            InputId::ChunkRows => "chunk rows",
            InputId::K => "number of clusters",
            InputId::Init => "initialisation",
            InputId::MaxIter => "max iterations",
            InputId::Tol => "tolerance",
            InputId::Algorithm => "algorithm",
            InputId::KmeansSeed => "k-means seed",
            InputId::FitSample => "fit-on-sample size",
            InputId::SilhouetteSample => "silhouette sample",
            InputId::Width => "canvas width",
            InputId::Height => "canvas height",
            InputId::FeatureX => "x feature",
            InputId::FeatureY => "y feature",
            InputId::Projection => "projection",
            InputId::View => "zoom window",
            InputId::ReplayStep => "replay step",
            InputId::Source => "data source",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_id_names_a_field() {
        let values = ScenarioInputs::default().values();
        assert_eq!(values.len(), InputId::COUNT);
        for (i, id) in InputId::ALL.iter().enumerate() {
            assert_eq!(id.index(), i);
        }
        let json = serde_json::to_value(ScenarioInputs::default()).unwrap();
        assert_eq!(json.as_object().unwrap().len(), InputId::COUNT);
    }

    #[test]
    fn changing_one_field_changes_only_its_fingerprint() {
        let a = ScenarioInputs::default();
        let b = ScenarioInputs { k: 7, ..a.clone() };
        let (fa, fb) = (a.fingerprints(), b.fingerprints());
        for id in InputId::ALL {
            assert_eq!(fa[id.index()] == fb[id.index()], id != InputId::K, "{id:?}");
        }
    }
}
