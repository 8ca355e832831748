//! The replay's steps: one per seeding round, then the seeds' own labelling, then one per
//! Lloyd iteration.
//!
//! Step numbering is global: `0 .. seeding_steps` are the seeding's rounds (for k-means||
//! the first centre, then each of Bahmani et al.'s rounds; for k-means++ each chosen
//! centre; for random seeding the one draw), step `seeding_steps` labels every row against
//! the seeds (for k-means||, after the recluster to k), and step `seeding_steps + i` shows
//! the centres and labels after `i` Lloyd iterations — exactly what a fit with
//! `max_iter = i` from the same seeds returns.

use serde::{Deserialize, Serialize};

use crate::cluster::KMeansFit;

/// What a step shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// A seeding round: the candidates drawn so far, this round's emphasised.
    Seeding {
        /// Round index into the seeding's `candidates_per_round`.
        round: usize,
    },
    /// Labels and centres after `iteration` Lloyd iterations (0: the seeds).
    Lloyd {
        /// Iterations run.
        iteration: usize,
    },
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineStep {
    /// What it shows.
    #[serde(flatten)]
    pub kind: StepKind,
    /// Candidates drawn in this round (seeding steps), or 0.
    pub drawn: usize,
    /// The seeding's potential `φ` after this round (when the method records it; random
    /// seeding does not), or the inertia of this step's labels against its centres (on the
    /// rows the model was fitted on).
    pub cost: Option<f64>,
    /// Rows whose label changed from the step before (Lloyd steps after the first).
    pub moved: Option<u64>,
}

/// Number of seeding steps of `fit`.
pub fn seeding_steps(fit: &KMeansFit) -> usize {
    fit.seeding.candidates_per_round.len()
}

/// Seeding steps at the start of `timeline` (as it travels in the fit's summary).
pub fn seeding_count(timeline: &[TimelineStep]) -> usize {
    timeline
        .iter()
        .take_while(|s| matches!(s.kind, StepKind::Seeding { .. }))
        .count()
}

/// Every step of `fit`'s replay: `seeding_steps + n_iter + 1` of them.
pub fn timeline(fit: &KMeansFit) -> Vec<TimelineStep> {
    let s = &fit.seeding;
    let mut steps: Vec<TimelineStep> = s
        .candidates_per_round
        .iter()
        .enumerate()
        .map(|(round, &drawn)| TimelineStep {
            kind: StepKind::Seeding { round },
            drawn,
            cost: s.cost_per_round.get(round).copied(),
            moved: None,
        })
        .collect();
    // The cost of the assignment against step i's centres: the convergence curve, whose
    // entry i is exactly that, and the final inertia for the last step.
    let last = fit.history_steps().saturating_sub(1);
    steps.extend((0..=last).map(|i| TimelineStep {
        kind: StepKind::Lloyd { iteration: i },
        drawn: 0,
        cost: Some(if i < last {
            fit.inertia_curve[i]
        } else {
            fit.inertia
        }),
        moved: (i > 0).then(|| fit.moved.get(i).copied()).flatten(),
    }));
    steps
}

/// What global step `step` of `fit` is, clamped to the last.
pub fn step_kind(fit: &KMeansFit, step: usize) -> (usize, StepKind) {
    let seeding = seeding_steps(fit);
    let total = seeding + fit.history_steps();
    let step = step.min(total - 1);
    let kind = if step < seeding {
        StepKind::Seeding { round: step }
    } else {
        StepKind::Lloyd {
            iteration: step - seeding,
        }
    };
    (step, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Init, KMeansParams};
    use crate::data::BlobsParams;

    #[test]
    fn one_step_per_round_then_one_per_iteration_and_the_seeds() {
        let data = BlobsParams::new(4_000)
            .centers(crate::data::Centers::Count(5))
            .seed(3)
            .check()
            .unwrap()
            .generate();
        for init in [
            Init::default(),
            Init::KMeansPlusPlus {
                n_local_trials: None,
            },
            Init::Random,
        ] {
            let fit = KMeansParams::new(5)
                .init(init.clone())
                .check()
                .unwrap()
                .fit(&data.x, None)
                .unwrap();
            let t = timeline(&fit);
            let rounds = fit.seeding.candidates_per_round.len();
            assert!(rounds >= 1, "{init:?}");
            assert_eq!(t.len(), rounds + fit.n_iter + 1, "{init:?}");
            assert_eq!(t[rounds].kind, StepKind::Lloyd { iteration: 0 });
            assert_eq!(t.last().unwrap().cost, Some(fit.inertia));
            assert_eq!(step_kind(&fit, 10_000).0, t.len() - 1);
            // Costs never rise along Lloyd's steps (the assignment and the update both
            // lower the inertia).
            for w in t[rounds..].windows(2) {
                let (a, b) = (w[0].cost.unwrap(), w[1].cost.unwrap());
                assert!(b <= a * (1.0 + 1e-12), "{init:?}: {w:?}");
            }
            // Every step survives the JSON the single-threaded build's worker sends.
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Vec<TimelineStep>>(&json).unwrap(), t);
        }
    }
}
