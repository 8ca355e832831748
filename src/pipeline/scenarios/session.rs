//! What the page saves in the browser between visits: the scenario book, which scenario is
//! open, and the last result summary of each scenario — Taipy keeps its scenarios and
//! their data nodes across sessions; here that lives in the browser's storage, so a reload
//! shows every scenario with its numbers at once while the plots are recomputed.
//!
//! The document is versioned like the book ([`crate::pipeline::scenarios::codec`]): a session written
//! by a newer build is refused with a message naming both versions, never misread.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(test)]
use serde_json::Value;

use super::codec::{versioned, versioned_payload};
use super::scenario::{ScenarioBook, ScenarioError};
use crate::pipeline::engine::evaluation::EvaluationSummary;
use crate::pipeline::graph::inputs::ScenarioInputs;

/// The `format` field of a saved session.
pub const SESSION_FORMAT: &str = "blobscale-session";
/// The session format version this build writes and reads.
pub const SESSION_VERSION: u64 = 1;

/// A scenario's last result as saved: the inputs it was computed for (a result is only
/// shown for a scenario whose inputs still equal these) and its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedResult {
    /// The inputs the summary was computed for.
    pub inputs: ScenarioInputs,
    /// Everything but the pixels.
    pub summary: EvaluationSummary,
}

/// The page's saved state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Every scenario.
    pub book: ScenarioBook,
    /// The scenario open in the main view.
    pub current: u64,
    /// Last result of each scenario, by id.
    pub results: BTreeMap<u64, SavedResult>,
}

impl Session {
    /// A session with one scenario, `name`, holding `inputs`.
    pub fn starting_with(name: &str, inputs: ScenarioInputs) -> Result<Self, ScenarioError> {
        let mut book = ScenarioBook::new();
        let current = book.create(name, inputs)?;
        Ok(Self {
            book,
            current,
            results: BTreeMap::new(),
        })
    }

    /// The open scenario's inputs.
    pub fn current_inputs(&self) -> Option<&ScenarioInputs> {
        self.book.get(self.current).ok().map(|s| &s.inputs)
    }

    /// Adds a shared scenario (from a link) and opens it; a scenario with the same name and
    /// inputs already in the book is opened instead, so reloading a shared link does not
    /// pile up copies.
    pub fn open_shared(
        &mut self,
        name: &str,
        inputs: ScenarioInputs,
    ) -> Result<u64, ScenarioError> {
        let same = self
            .book
            .scenarios()
            .iter()
            .find(|s| s.name == name.trim() && s.inputs == inputs)
            .map(|s| s.id);
        let id = match same {
            Some(id) => id,
            None => self.book.create(name, inputs)?,
        };
        self.current = id;
        Ok(id)
    }

    /// Drops saved results whose scenario is gone or whose inputs have changed since.
    pub fn prune(&mut self) {
        let book = &self.book;
        self.results
            .retain(|id, r| book.get(*id).is_ok_and(|s| s.inputs == r.inputs));
    }
}

/// The session as a versioned JSON document.
pub fn session_to_json(session: &Session) -> String {
    let session = serde_json::to_value(session).expect("a session always serialises");
    serde_json::to_string(&versioned(
        SESSION_FORMAT,
        SESSION_VERSION,
        "session",
        session,
    ))
    .expect("JSON values serialise")
}

/// Reads a document written by [`session_to_json`], checking the book's invariants and
/// that the open scenario exists (else the first one is opened).
pub fn session_from_json(text: &str) -> Result<Session, ScenarioError> {
    let session = versioned_payload(text, SESSION_FORMAT, SESSION_VERSION, "session")?;
    let mut session: Session =
        serde_json::from_value(session).map_err(|e| ScenarioError::Malformed(e.to_string()))?;
    session.book.validate()?;
    if session.book.get(session.current).is_err() {
        session.current = session.book.scenarios().first().map_or(0, |s| s.id);
    }
    session.prune();
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(k: usize) -> ScenarioInputs {
        ScenarioInputs {
            k,
            ..ScenarioInputs::default()
        }
    }

    fn summary_of(inputs: &ScenarioInputs) -> EvaluationSummary {
        use std::sync::Arc;
        use std::sync::atomic::AtomicBool;

        use crate::pipeline::jobs::clock::NoClock;
        use crate::pipeline::{Engine, Plan};
        let engine = Engine::new(Arc::new(NoClock), 64 << 20);
        let plan = Plan::new(inputs).unwrap();
        engine
            .evaluate_detached(&plan, &AtomicBool::new(false))
            .unwrap()
            .summary
    }

    fn small(k: usize) -> ScenarioInputs {
        ScenarioInputs {
            n_samples: 2_000,
            width: 16,
            height: 16,
            ..inputs(k)
        }
    }

    #[test]
    fn round_trips_and_prunes_stale_results() {
        let mut s = Session::starting_with("baseline", small(3)).unwrap();
        let a = s.current;
        let b = s.book.create("k = 6", small(6)).unwrap();
        s.current = b;
        for (id, k) in [(a, 3), (b, 6)] {
            let saved = SavedResult {
                inputs: small(k),
                summary: summary_of(&small(k)),
            };
            s.results.insert(id, saved);
        }
        let text = session_to_json(&s);
        assert_eq!(session_from_json(&text).unwrap(), s);

        // Scenario b was edited after its result was saved: the result no longer belongs
        // to it and is dropped; a's is kept.
        s.book.set_inputs(b, small(7)).unwrap();
        let back = session_from_json(&session_to_json(&s)).unwrap();
        assert!(back.results.contains_key(&a));
        assert!(!back.results.contains_key(&b));

        let mut doc: Value = serde_json::from_str(&text).unwrap();
        doc["session"]["current"] = 99.into();
        let back = session_from_json(&doc.to_string()).unwrap();
        assert_eq!(
            back.current, a,
            "a missing current scenario opens the first"
        );
    }

    #[test]
    fn refuses_other_versions_and_formats() {
        let s = Session::starting_with("a", inputs(3)).unwrap();
        let mut doc: Value = serde_json::from_str(&session_to_json(&s)).unwrap();
        doc["version"] = 7.into();
        assert_eq!(
            session_from_json(&doc.to_string()),
            Err(ScenarioError::UnsupportedVersion {
                found: 7,
                supported: SESSION_VERSION
            })
        );
        let err = session_from_json("{\"format\":\"other\"}").unwrap_err();
        assert!(err.to_string().contains("blobscale-session"), "{err}");
        assert!(session_from_json("not json").is_err());
    }

    #[test]
    fn a_shared_link_opened_twice_is_one_scenario() {
        let mut s = Session::starting_with("a", inputs(3)).unwrap();
        let first = s.open_shared("from a link", inputs(8)).unwrap();
        let again = s.open_shared(" from a link ", inputs(8)).unwrap();
        assert_eq!(first, again);
        assert_eq!(s.book.scenarios().len(), 2);
        assert_eq!(s.current_inputs(), Some(&inputs(8)));
    }
}
