//! `scenario.json`: one scenario as a saved-book document of [`crate::pipeline::scenarios::codec`] — the
//! format the page saves in the browser — holding just this scenario, so the file can be
//! read back by [`codec::book_from_json`] (and by the scenario panel's import)
//! with the same version check.

use crate::pipeline::ScenarioInputs;
use crate::pipeline::scenarios::codec;
use crate::pipeline::scenarios::scenario::{ScenarioBook, ScenarioError};

/// The scenario named `name` with `inputs`, as a versioned JSON document.
pub fn scenario_json(name: &str, inputs: &ScenarioInputs) -> Result<String, ScenarioError> {
    let mut book = ScenarioBook::new();
    book.create(name, inputs.clone())?;
    Ok(codec::book_to_json(&book))
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
        let book = codec::book_from_json(&text).unwrap();
        assert_eq!(book.scenarios().len(), 1);
        assert_eq!(book.scenarios()[0].name, "nine \"clusters\"");
        assert_eq!(book.scenarios()[0].inputs, inputs);
        assert!(scenario_json("   ", &inputs).is_err());
    }
}
