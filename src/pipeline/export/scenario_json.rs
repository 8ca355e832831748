//! `scenario.json`: one scenario as a saved-book document of [`scenario_codec`] — the
//! format the page saves in the browser — holding just this scenario, so the file can be
//! read back by [`scenario_codec::book_from_json`] (and by the scenario panel's import)
//! with the same version check.

use crate::pipeline::ScenarioInputs;
use crate::pipeline::scenario::{ScenarioBook, ScenarioError};
use crate::pipeline::scenario_codec;

/// The scenario named `name` with `inputs`, as a versioned JSON document.
pub fn scenario_json(name: &str, inputs: &ScenarioInputs) -> Result<String, ScenarioError> {
    let mut book = ScenarioBook::new();
    book.create(name, inputs.clone())?;
    Ok(scenario_codec::book_to_json(&book))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_as_a_one_scenario_book() {
        let inputs = ScenarioInputs {
            k: 9,
            tol: 1e-7,
            ..ScenarioInputs::default()
        };
        let text = scenario_json("nine \"clusters\"", &inputs).unwrap();
        let book = scenario_codec::book_from_json(&text).unwrap();
        assert_eq!(book.scenarios().len(), 1);
        assert_eq!(book.scenarios()[0].name, "nine \"clusters\"");
        assert_eq!(book.scenarios()[0].inputs, inputs);
        assert!(scenario_json("   ", &inputs).is_err());
    }
}
