//! The view lane: requests for what the page shows, where the newest wins.
//!
//! Submitting a request records the lineage (see [`crate::pipeline::engine::plan`]) of each of its task
//! nodes in atomics. A job of an older request is stale exactly when the newest request's
//! lineage for the same node differs: dragging the k slider cancels the running fit but not
//! the dataset generation both requests need. Submitting and checking use atomics only, so
//! the page's main thread can submit without ever blocking.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::pipeline::engine::plan::Plan;
use crate::pipeline::graph::TaskId;

/// A submitted request: its plan and its place in the order of submissions.
#[derive(Debug, Clone)]
pub struct Ticket {
    id: u64,
    plan: Plan,
}

impl Ticket {
    /// Submission number, increasing.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}

/// The newest request's lineages.
#[derive(Debug, Default)]
pub struct Lane {
    counter: AtomicU64,
    latest: AtomicU64,
    lineage: [AtomicU64; TaskId::COUNT],
}

impl Lane {
    /// Makes `plan` the newest request. Call from one thread (the page's), as the page does.
    pub fn submit(&self, plan: Plan) -> Ticket {
        let id = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        for t in TaskId::ALL {
            self.lineage[t.index()].store(plan.lineage(t).low64(), Ordering::Relaxed);
        }
        self.latest.store(id, Ordering::Release);
        Ticket { id, plan }
    }

    /// Whether `ticket`'s job for `task` computes something the newest request no longer
    /// needs.
    pub fn is_stale(&self, ticket: &Ticket, task: TaskId) -> bool {
        self.latest.load(Ordering::Acquire) != ticket.id
            && self.lineage[task.index()].load(Ordering::Relaxed)
                != ticket.plan.lineage(task).low64()
    }

    /// The newest submission number.
    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::graph::inputs::ScenarioInputs;

    #[test]
    fn a_newer_request_makes_stale_only_what_it_changes() {
        let lane = Lane::default();
        let a = lane.submit(Plan::new(&ScenarioInputs::default()).unwrap());
        assert!(!lane.is_stale(&a, TaskId::Fit));
        let b = lane.submit(
            Plan::new(&ScenarioInputs {
                k: 6,
                ..ScenarioInputs::default()
            })
            .unwrap(),
        );
        assert!(!lane.is_stale(&a, TaskId::Generate));
        assert!(lane.is_stale(&a, TaskId::Fit));
        assert!(!lane.is_stale(&b, TaskId::Fit));
        assert_eq!(lane.latest(), b.id());
    }
}
