//! The line beside the replay controls: which step is shown and what it did, in words.

use crate::pipeline::display::number_format::{score, thousands};
use crate::pipeline::replay::frame::ReplayFrame;
use crate::pipeline::replay::timeline::{StepKind, TimelineStep, seeding_count};

/// What step `step` of `timeline` shows; `frame` adds what only the computed step knows
/// (the rows of the whole dataset that moved).
pub fn step_caption(timeline: &[TimelineStep], step: usize, frame: Option<&ReplayFrame>) -> String {
    let Some(t) = timeline.get(step) else {
        return String::new();
    };
    let seeding = seeding_count(timeline);
    let iterations = timeline.len().saturating_sub(seeding + 1);
    match t.kind {
        StepKind::Seeding { round: 0 } if t.drawn == 1 => format!(
            "Seeding, step 1 of {seeding}: the first centre, one row drawn at random \
             (potential φ {}).",
            score(t.cost)
        ),
        StepKind::Seeding { round: 0 } => format!(
            "Seeding: {} rows drawn at random as the starting centres.",
            thousands(t.drawn as u64)
        ),
        StepKind::Seeding { round } => format!(
            "Seeding, step {} of {seeding}: {} new candidate{} drawn, each row with \
             probability proportional to its squared distance to the candidates so far \
             (potential φ {}).",
            round + 1,
            thousands(t.drawn as u64),
            if t.drawn == 1 { "" } else { "s" },
            score(t.cost)
        ),
        StepKind::Lloyd { iteration: 0 } => format!(
            "The seeds: every row labelled by its nearest starting centre (inertia {}). \
             {iterations} Lloyd {}.",
            score(t.cost),
            if iterations == 1 {
                "iteration follows"
            } else {
                "iterations follow"
            }
        ),
        StepKind::Lloyd { iteration } => format!(
            "Lloyd iteration {iteration} of {iterations}: centres moved to their rows' means \
             and rows relabelled (inertia {}); {} rows changed cluster{}.",
            score(t.cost),
            thousands(frame.map_or(t.moved.unwrap_or(0), |f| f.moved)),
            if frame.is_some_and(|f| f.moved > 0) {
                ", marked in gold"
            } else {
                ""
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(kind: StepKind, drawn: usize, cost: f64, moved: Option<u64>) -> TimelineStep {
        TimelineStep {
            kind,
            drawn,
            cost: Some(cost),
            moved,
        }
    }

    #[test]
    fn each_kind_of_step_says_what_it_did() {
        let tl = [
            t(StepKind::Seeding { round: 0 }, 1, 900.0, None),
            t(StepKind::Seeding { round: 1 }, 7, 90.0, None),
            t(StepKind::Lloyd { iteration: 0 }, 0, 50.0, None),
            t(StepKind::Lloyd { iteration: 1 }, 0, 40.0, Some(1234)),
        ];
        assert!(step_caption(&tl, 0, None).starts_with("Seeding, step 1 of 2: the first"));
        assert!(step_caption(&tl, 1, None).contains("7 new candidates"));
        assert!(step_caption(&tl, 2, None).contains("1 Lloyd iteration follows."));
        let last = step_caption(&tl, 3, None);
        assert!(last.starts_with("Lloyd iteration 1 of 1") && last.contains("1,234 rows"));
        assert_eq!(step_caption(&tl, 9, None), "");
        let random = [t(StepKind::Seeding { round: 0 }, 8, 0.0, None)];
        assert!(step_caption(&random, 0, None).contains("8 rows drawn at random"));
    }
}
