//! The words at the top of each deck: what the step does, what its parameters mean (with
//! the values of the scenario shown), the paper or peer it follows, and why the node was
//! computed, reused, backdated or is stale this time. A caption, not a manual: two or
//! three sentences each.

use crate::cluster::{Algorithm, Init, Oversampling, Rounds};
use crate::data::{Centers, ClusterStd};
use crate::pipeline::display::number_format::thousands;
use crate::pipeline::engine::evaluation::NodeState;
use crate::pipeline::graph::TaskId;
use crate::pipeline::graph::imported::DataSource;
use crate::pipeline::graph::inputs::ScenarioInputs;
use crate::pipeline::render::projection::Projection;

/// What `task` does with the parameters of `inputs`, and whose method it follows.
pub fn caption(task: TaskId, inputs: &ScenarioInputs) -> String {
    let i = inputs;
    match task {
        TaskId::Generate => match &i.source {
            DataSource::Imported(s) => format!(
                "Reads the file you imported ({}) into chunks of {} rows. A file has no ground \
                 truth, so the true centres and the adjusted Rand index are absent.",
                s.name, i.chunk_rows
            ),
            DataSource::Blobs => format!(
                "Draws {} points around {} Gaussian blobs of standard deviation {}, as \
                 scikit-learn's make_blobs does, in chunks of {} rows. Every chunk has its own \
                 random stream keyed by the data seed ({}), so any thread count gives the same \
                 rows.",
                thousands(i.n_samples as u64),
                match &i.centers {
                    Centers::Count(c) => c.to_string(),
                    Centers::Points(p) => p.len().to_string(),
                },
                match &i.cluster_std {
                    ClusterStd::Scalar(s) => format!("{s}"),
                    ClusterStd::PerCenter(_) => "set per centre".to_string(),
                },
                i.chunk_rows,
                i.data_seed
            ),
        },
        TaskId::Sample => match i.fit_sample {
            Some(m) => format!(
                "Draws {m} rows without replacement to fit on; every row is labelled \
                 afterwards by the predict step, as dask-ml fits on a sample of a large \
                 array."
            ),
            None => "Passes the whole dataset through: the model is fitted on every row \
                     (switch on \"Fit on a sample\" to fit on fewer)."
                .to_string(),
        },
        TaskId::Seed => seed_caption(i),
        TaskId::Fit => format!(
            "{} moves each of the k = {} centres to the mean of the rows nearest to it, and \
             repeats. It stops after max_iter = {} iterations, or once the centres move less \
             than tol = {} times the mean feature variance (scikit-learn's tol), or when no \
             label changes.",
            match i.algorithm {
                Algorithm::Lloyd => "Lloyd's algorithm",
                Algorithm::Hamerly => {
                    "Hamerly's algorithm (Lloyd's, skipping distances that bounds rule out)"
                }
            },
            i.k,
            i.max_iter,
            i.tol
        ),
        TaskId::Predict => match i.fit_sample {
            Some(_) => "Labels every row of the dataset with its nearest fitted centre, \
                        chunk by chunk across the workers (scikit-learn's predict)."
                .to_string(),
            None => "Passes the fit's labels through: the model was fitted on every row, so \
                     its last assignment is already every row's label."
                .to_string(),
        },
        TaskId::Metrics => "Scores the clustering in one pass over the labels: inertia (the \
                            sum of squared distances to the nearest centre) and the cluster \
                            sizes. The adjusted Rand index compares the labels with the blobs \
                            they were drawn from."
            .to_string(),
        TaskId::Quality => format!(
            "Judges the clusters by their shape alone, as scikit-learn computes it: the \
             silhouette{}, and the Calinski–Harabasz and Davies–Bouldin indices. The page \
             shows the picture first and these once they are done.",
            match i.silhouette_sample {
                0 => " (off)".to_string(),
                m => format!(" (on a sample of {m} rows)"),
            }
        ),
        TaskId::Profile => "Summarises the dataset for its deck: a histogram of every feature \
                            and the first rows, in two chunk-parallel passes (Flyte Decks' \
                            dataset view)."
            .to_string(),
        TaskId::Project => match i.projection {
            Projection::Features => format!(
                "Chooses the plane the canvas shows: feature {} across, feature {} up.",
                i.feature_x, i.feature_y
            ),
            Projection::Pca => "Chooses the plane the canvas shows: the first two principal \
                                components of the data (PCA, as scikit-learn's PCA computes \
                                them), so any number of features can be seen at once."
                .to_string(),
        },
        TaskId::Replay => match i.replay_step {
            None => "Passes the final labels through. Press play under the plot to replay \
                     the fit: each seeding round's candidates, then each Lloyd iteration's \
                     centres and labels."
                .to_string(),
            Some(s) => format!(
                "Labels every row against the centres of replay step {s}, in one parallel \
                 predict pass (two from the second iteration on, to find the rows that \
                 changed). A step's labels are those a fit with max_iter set to its \
                 iteration returns."
            ),
        },
        TaskId::Render => format!(
            "Draws every point on a {} × {} canvas, coloured by its cluster: one marker per \
             point when few fall in the window, a density shading when many. Zooming and \
             panning rerun only this step.",
            i.width, i.height
        ),
    }
}

fn seed_caption(i: &ScenarioInputs) -> String {
    match &i.init {
        Init::Random => format!(
            "Picks k = {} distinct rows at random as the starting centres (scikit-learn's \
             init=\"random\"), from k-means seed {}.",
            i.k, i.kmeans_seed
        ),
        Init::KMeansPlusPlus { .. } => format!(
            "k-means++ (Arthur and Vassilvitskii, 2007) picks k = {} starting centres one at \
             a time, each row chosen with probability proportional to its squared distance \
             from the centres so far; the greedy variant tries several candidates per step \
             and keeps the best, as scikit-learn does.",
            i.k
        ),
        Init::KMeansParallel(p) => {
            let per_round = match p.oversampling {
                Oversampling::PerCluster(f) => {
                    format!("ℓ = {f} × k = {} candidates", f * i.k as f64)
                }
                Oversampling::Absolute(l) => {
                    format!("ℓ = {l} candidates (dask-ml's oversampling_factor)")
                }
            };
            let rounds = match p.rounds {
                Rounds::Fixed(r) => format!("{r} rounds"),
                Rounds::LnCost => "ln(cost) rounds, as dask-ml does".to_string(),
            };
            format!(
                "k-means|| (Bahmani et al., 2012) draws about {per_round} per round for \
                 {rounds}, each row with probability proportional to its squared distance \
                 from the candidates so far, all in one parallel pass per round. The weighted \
                 candidates are then reclustered to k = {} with k-means++, as Spark MLlib does.",
                i.k
            )
        }
        Init::Centers(c) => format!(
            "Starts from the {} centres you gave; nothing is sampled.",
            c.len()
        ),
    }
}

/// Why the node is in the state it shows: `stale` when an input changed since the shown
/// result (judged by the engine's memo keys); `pending` when the page is still waiting for
/// its output, as for the internal indices that follow the picture
/// ([`crate::pipeline::engine::evaluation::EvaluationSummary::quality_pending`]); otherwise
/// what the shown evaluation did.
pub fn reason(state: NodeState, stale: bool, pending: bool) -> &'static str {
    if stale {
        return "Stale: an input it reads, or an upstream output, differs from the shown \
                result's, so its memo key changed; the next run computes it.";
    }
    if pending {
        return "Pending: it runs after the picture and the scores are shown, so they come \
                without waiting for it; its values appear here when it is done.";
    }
    match state {
        NodeState::Computed => {
            "Computed this time: no stored output had its memo key (its task version, inputs \
             and upstream outputs)."
        }
        NodeState::Backdated => {
            "Recomputed, but its output equals the previous one, so the nodes after it kept \
             theirs (salsa's backdating)."
        }
        NodeState::Reused => {
            "Reused from the memo store: an earlier run had the same memo key, so nothing was \
             computed."
        }
        NodeState::Known => {
            "Not needed: its output was known and everything after it was reused, so its \
             value was never loaded."
        }
        NodeState::PassThrough => "Passes its input through unchanged; it has no work of its own.",
        NodeState::Idle => "Not part of this evaluation.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ParallelInit;

    fn sentences(s: &str) -> usize {
        s.matches(". ").count() + usize::from(s.ends_with('.'))
    }

    #[test]
    fn every_caption_is_two_or_three_short_sentences_at_most() {
        let inputs = ScenarioInputs::default();
        for t in TaskId::ALL {
            let c = caption(t, &inputs);
            assert!((1..=3).contains(&sentences(&c)), "{t:?}: {c}");
            assert!(c.len() < 420, "{t:?} is {} bytes: {c}", c.len());
        }
    }

    #[test]
    fn captions_show_the_scenarios_own_values_and_their_sources() {
        let inputs = ScenarioInputs {
            k: 7,
            max_iter: 123,
            tol: 0.002,
            init: Init::KMeansParallel(ParallelInit {
                oversampling: Oversampling::PerCluster(3.0),
                rounds: Rounds::Fixed(4),
                ..ParallelInit::default()
            }),
            ..ScenarioInputs::default()
        };
        let blobs = ScenarioInputs {
            n_samples: 1_234_567,
            ..inputs.clone()
        };
        assert!(caption(TaskId::Generate, &blobs).contains("Draws 1,234,567 points"));
        let seed = caption(TaskId::Seed, &inputs);
        for want in [
            "Bahmani et al., 2012",
            "ℓ = 3 × k = 21",
            "4 rounds",
            "k = 7",
        ] {
            assert!(seed.contains(want), "seed caption lacks {want:?}: {seed}");
        }
        let fit = caption(TaskId::Fit, &inputs);
        for want in [
            "max_iter = 123",
            "tol = 0.002",
            "scikit-learn's tol",
            "k = 7",
        ] {
            assert!(fit.contains(want), "fit caption lacks {want:?}: {fit}");
        }
        let dask = ScenarioInputs {
            init: Init::KMeansParallel(ParallelInit {
                oversampling: Oversampling::Absolute(20.0),
                rounds: Rounds::LnCost,
                ..ParallelInit::default()
            }),
            ..inputs.clone()
        };
        let seed = caption(TaskId::Seed, &dask);
        assert!(
            seed.contains("oversampling_factor") && seed.contains("ln(cost)"),
            "{seed}"
        );
        let hamerly = ScenarioInputs {
            algorithm: Algorithm::Hamerly,
            fit_sample: Some(500),
            ..inputs
        };
        assert!(caption(TaskId::Fit, &hamerly).starts_with("Hamerly"));
        assert!(caption(TaskId::Sample, &hamerly).contains("500 rows"));
        assert!(caption(TaskId::Predict, &hamerly).contains("Labels every row"));
    }

    #[test]
    fn reasons_differ_by_state_and_staleness_comes_first() {
        let states = [
            NodeState::Computed,
            NodeState::Backdated,
            NodeState::Reused,
            NodeState::Known,
            NodeState::PassThrough,
            NodeState::Idle,
        ];
        let mut all: Vec<&str> = states.iter().map(|&s| reason(s, false, false)).collect();
        all.push(reason(NodeState::Reused, true, false));
        all.push(reason(NodeState::Idle, false, true));
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert!(reason(NodeState::Computed, true, false).starts_with("Stale"));
        assert!(reason(NodeState::Idle, true, true).starts_with("Stale"));
        assert!(reason(NodeState::Idle, false, true).starts_with("Pending"));
        assert!(reason(NodeState::Backdated, false, false).contains("backdating"));
    }
}
