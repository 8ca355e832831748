//! Memo keys: what a task's output is stored under.
//!
//! A key is the hash of the task's id and version, of the fingerprints of the input nodes it
//! reads, and of the *output* fingerprints of the task nodes it reads — salsa's "changed_at"
//! idea with content in place of revisions. When an upstream task reruns and produces an
//! output equal to before ("backdating" in the salsa book), every downstream key is
//! unchanged and every downstream result is reused. Keys depend on content only, never on
//! which scenario asked, so scenarios share results.

use crate::pipeline::engine::plan::Plan;
use crate::pipeline::graph::TaskId;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

/// The key of `task` under `plan`, given the output fingerprints of its upstream tasks in
/// the order of its spec's `upstream`.
pub fn memo_key(task: TaskId, plan: &Plan, upstream_outputs: &[Fingerprint]) -> Fingerprint {
    let spec = task.spec();
    debug_assert_eq!(upstream_outputs.len(), spec.upstream.len());
    let mut h = FingerprintHasher::new("memo");
    h.bytes(task.name().as_bytes());
    h.word(spec.version as u64);
    for i in spec.inputs {
        h.fingerprint(plan.input_fingerprint(*i));
    }
    for f in upstream_outputs {
        h.fingerprint(*f);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::graph::inputs::ScenarioInputs;

    #[test]
    fn key_ignores_inputs_the_task_does_not_read() {
        let a = Plan::new(&ScenarioInputs::default()).unwrap();
        let b = Plan::new(&ScenarioInputs {
            k: 9,
            ..ScenarioInputs::default()
        })
        .unwrap();
        let up = [Fingerprint(1), Fingerprint(2)];
        let up3 = [Fingerprint(1), Fingerprint(2), Fingerprint(4)];
        assert_eq!(
            memo_key(TaskId::Render, &a, &up3),
            memo_key(TaskId::Render, &b, &up3)
        );
        assert_ne!(
            memo_key(TaskId::Fit, &a, &up),
            memo_key(TaskId::Fit, &b, &up)
        );
        assert_ne!(
            memo_key(TaskId::Render, &a, &up3),
            memo_key(
                TaskId::Render,
                &a,
                &[Fingerprint(1), Fingerprint(3), Fingerprint(4)]
            )
        );
    }
}
