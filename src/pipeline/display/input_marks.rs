//! How the graph marks each input node against the shown evaluation: edited, unread, or
//! as it was.
//!
//! "Edited" compares the engine's effective input fingerprints ([`Plan::input_fingerprint`])
//! of the edited plan and of the plan the shown result was computed for, not raw values:
//! renaming an imported file, or editing a blobs parameter while a file is the source, is
//! no edit the engine sees, so the graph does not call it one (the same rule as
//! [`super::staleness`] for task nodes).

use serde::Serialize;

use crate::pipeline::engine::plan::Plan;
use crate::pipeline::graph::inputs::InputId;

/// The mark of one input node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputMark {
    /// As it was when the shown result was computed (or nothing is shown yet).
    Same,
    /// Changed since: the tasks that read it are stale.
    Edited,
    /// No task reads it for this scenario (a generator parameter while a file is the data).
    Unread,
}

impl InputMark {
    /// The name the page gives the state (`data-state`).
    pub fn name(self) -> &'static str {
        match self {
            InputMark::Same => "same",
            InputMark::Edited => "edited",
            InputMark::Unread => "unread",
        }
    }
}

/// The mark of every input node, by [`InputId::index`], for the edited plan `now` against
/// the plan of the shown result.
pub fn input_marks(now: &Plan, shown: Option<&Plan>) -> [InputMark; InputId::COUNT] {
    let mut out = [InputMark::Same; InputId::COUNT];
    for id in InputId::ALL {
        out[id.index()] = if !now.reads_input(id) {
            InputMark::Unread
        } else if shown.is_some_and(|s| s.input_fingerprint(id) != now.input_fingerprint(id)) {
            InputMark::Edited
        } else {
            InputMark::Same
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::graph::imported::{DataSource, ImportedSource};
    use crate::pipeline::graph::inputs::ScenarioInputs;
    use crate::pipeline::memo::fingerprint::Fingerprint;

    fn marked(now: &ScenarioInputs, shown: &ScenarioInputs) -> Vec<(InputId, InputMark)> {
        let marks = input_marks(&Plan::new(now).unwrap(), Some(&Plan::new(shown).unwrap()));
        InputId::ALL
            .into_iter()
            .filter(|i| marks[i.index()] != InputMark::Same)
            .map(|i| (i, marks[i.index()]))
            .collect()
    }

    #[test]
    fn only_the_edited_input_is_marked() {
        let a = ScenarioInputs::default();
        assert_eq!(marked(&a, &a), []);
        let b = ScenarioInputs { k: 5, ..a.clone() };
        assert_eq!(marked(&b, &a), [(InputId::K, InputMark::Edited)]);
        let nothing_shown = input_marks(&Plan::new(&b).unwrap(), None);
        assert!(nothing_shown.iter().all(|&m| m == InputMark::Same));
    }

    #[test]
    fn a_file_leaves_the_generator_inputs_unread_and_a_rename_is_no_edit() {
        let file = |name: &str| ScenarioInputs {
            source: DataSource::Imported(ImportedSource {
                name: name.into(),
                content: Fingerprint::of_json(&serde_json::json!("rows")),
                rows: 500,
                columns: 3,
                column_names: vec!["a".into(), "b".into(), "c".into()],
                standardised: false,
                truth: None,
                weight_column: None,
            }),
            ..ScenarioInputs::default()
        };
        let shown = file("a.csv");
        let renamed_and_edited = ScenarioInputs {
            n_samples: 7,
            ..file("b.csv")
        };
        let marks = marked(&renamed_and_edited, &shown);
        assert!(
            marks.iter().all(|&(_, m)| m == InputMark::Unread),
            "{marks:?}"
        );
        assert_eq!(marks.len(), 6);
        assert!(
            !marks
                .iter()
                .any(|&(i, _)| i == InputId::Source || i == InputId::DataSeed)
        );
    }
}
