//! Scenarios: named assignments of the inputs (Taipy's scenarios), kept in a book the page
//! lists, with create, duplicate, rename and delete. Their results live in the engine's
//! shared memo store, not here, so scenarios that differ only in `k` share one dataset.

use serde::{Deserialize, Serialize};

use crate::pipeline::graph::inputs::ScenarioInputs;

/// Longest scenario name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// A named scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable id within its book.
    pub id: u64,
    /// Name shown to people.
    pub name: String,
    /// The inputs.
    pub inputs: ScenarioInputs,
}

/// Why a scenario operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// No scenario has this id.
    #[error("no scenario with id {0}")]
    NotFound(u64),
    /// The name is empty or too long.
    #[error("a scenario name must have 1 ..= {MAX_NAME_CHARS} characters, got {0}")]
    BadName(usize),
    /// Saved by a format version this build does not read.
    #[error("unsupported scenario format version {found}: this build reads version {supported}")]
    UnsupportedVersion {
        /// The version found.
        found: u64,
        /// The version this build reads.
        supported: u64,
    },
    /// Not a scenario string or document.
    #[error("malformed scenario: {0}")]
    Malformed(String),
}

/// Every scenario of a session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBook {
    scenarios: Vec<Scenario>,
    next_id: u64,
}

impl ScenarioBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a scenario; returns its id.
    pub fn create(&mut self, name: &str, inputs: ScenarioInputs) -> Result<u64, ScenarioError> {
        let name = checked_name(name)?;
        self.next_id += 1;
        let id = self.next_id;
        self.scenarios.push(Scenario { id, name, inputs });
        Ok(id)
    }

    /// Copies a scenario under the name "… (copy)"; returns the copy's id.
    pub fn duplicate(&mut self, id: u64) -> Result<u64, ScenarioError> {
        let s = self.get(id)?.clone();
        let name: String = format!("{} (copy)", s.name)
            .chars()
            .take(MAX_NAME_CHARS)
            .collect();
        self.create(&name, s.inputs)
    }

    /// Renames a scenario.
    pub fn rename(&mut self, id: u64, name: &str) -> Result<(), ScenarioError> {
        let name = checked_name(name)?;
        self.get_mut(id)?.name = name;
        Ok(())
    }

    /// Replaces a scenario's inputs.
    pub fn set_inputs(&mut self, id: u64, inputs: ScenarioInputs) -> Result<(), ScenarioError> {
        self.get_mut(id)?.inputs = inputs;
        Ok(())
    }

    /// Deletes a scenario and returns it.
    pub fn delete(&mut self, id: u64) -> Result<Scenario, ScenarioError> {
        let i = self
            .scenarios
            .iter()
            .position(|s| s.id == id)
            .ok_or(ScenarioError::NotFound(id))?;
        Ok(self.scenarios.remove(i))
    }

    /// A scenario by id.
    pub fn get(&self, id: u64) -> Result<&Scenario, ScenarioError> {
        self.scenarios
            .iter()
            .find(|s| s.id == id)
            .ok_or(ScenarioError::NotFound(id))
    }

    /// Every scenario, in creation order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    fn get_mut(&mut self, id: u64) -> Result<&mut Scenario, ScenarioError> {
        self.scenarios
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(ScenarioError::NotFound(id))
    }

    /// Checks the book's invariants after reading it from outside.
    pub(crate) fn validate(&self) -> Result<(), ScenarioError> {
        let mut ids: Vec<u64> = self.scenarios.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(ScenarioError::Malformed("duplicate scenario ids".into()));
        }
        if ids.last().is_some_and(|&max| max > self.next_id) {
            return Err(ScenarioError::Malformed(
                "a scenario id is above next_id".into(),
            ));
        }
        for s in &self.scenarios {
            checked_name(&s.name)?;
        }
        Ok(())
    }
}

fn checked_name(name: &str) -> Result<String, ScenarioError> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Err(ScenarioError::BadName(n));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_duplicate_rename_delete() {
        let mut book = ScenarioBook::new();
        let a = book.create("baseline", ScenarioInputs::default()).unwrap();
        let b = book.duplicate(a).unwrap();
        assert_ne!(a, b);
        assert_eq!(book.get(b).unwrap().name, "baseline (copy)");
        assert_eq!(book.get(b).unwrap().inputs, book.get(a).unwrap().inputs);
        book.rename(b, "  k = 8 ").unwrap();
        assert_eq!(book.get(b).unwrap().name, "k = 8");
        assert_eq!(book.rename(b, "   "), Err(ScenarioError::BadName(0)));
        assert_eq!(book.delete(a).unwrap().name, "baseline");
        assert_eq!(book.get(a), Err(ScenarioError::NotFound(a)));
        assert_eq!(book.scenarios().len(), 1);
        // Ids are never reused, so a stale reference cannot reach a new scenario.
        let c = book.create("third", ScenarioInputs::default()).unwrap();
        assert!(c > b);
    }
}
