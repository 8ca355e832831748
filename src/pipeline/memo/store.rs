//! The memo store: task outputs keyed by content, shared by every scenario, bounded in bytes
//! with least-recently-used eviction (salsa's LRU, by bytes rather than by count).
//!
//! Evicting a value keeps a small tombstone — its key and output fingerprint — as salsa
//! keeps a query's dependency information after its LRU drops the value. Downstream keys
//! only need the fingerprint, so a cached render stays usable after its dataset was evicted.
//! Tombstones are bounded by count.
//!
//! Only whole values are inserted, after their task completed; a cancelled task inserts
//! nothing, so the store never holds a half-written result.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::pipeline::graph::TaskId;
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::tasks::NodeValue;

/// Tombstones kept after their values were evicted (≈ 64 bytes each).
pub const MAX_TOMBSTONES: usize = 16_384;

#[derive(Debug)]
struct Entry {
    task: TaskId,
    output: Fingerprint,
    value: Option<NodeValue>,
    bytes: usize,
    last_used: u64,
}

/// What a lookup found.
#[derive(Debug, Clone)]
pub enum Lookup {
    /// Nothing known for the key.
    Miss,
    /// The output's fingerprint, its value evicted.
    Fingerprint(Fingerprint),
    /// The output and its value.
    Value(Fingerprint, NodeValue),
}

/// Current use of the store, for the page to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemoryUse {
    /// Bytes of values held.
    pub used_bytes: usize,
    /// The budget.
    pub budget_bytes: usize,
    /// Values held.
    pub values: usize,
    /// Keys whose values were evicted.
    pub tombstones: usize,
    /// Values evicted since the store was made.
    pub evictions: u64,
    /// Values not kept because they alone exceed the budget.
    pub too_large: u64,
}

/// Content-keyed task outputs under a byte budget.
#[derive(Debug)]
pub struct MemoStore {
    entries: HashMap<Fingerprint, Entry>,
    values_by_use: BTreeMap<u64, Fingerprint>,
    tombstones_by_use: BTreeMap<u64, Fingerprint>,
    tick: u64,
    used: MemoryUse,
}

impl MemoStore {
    /// An empty store holding at most `budget_bytes` of values.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            entries: HashMap::new(),
            values_by_use: BTreeMap::new(),
            tombstones_by_use: BTreeMap::new(),
            tick: 0,
            used: MemoryUse {
                budget_bytes,
                ..MemoryUse::default()
            },
        }
    }

    /// Looks `key` up, marking a held value as just used.
    pub fn lookup(&mut self, key: Fingerprint) -> Lookup {
        self.tick += 1;
        let tick = self.tick;
        let Some(e) = self.entries.get_mut(&key) else {
            return Lookup::Miss;
        };
        let by_use = if e.value.is_some() {
            &mut self.values_by_use
        } else {
            &mut self.tombstones_by_use
        };
        by_use.remove(&e.last_used);
        by_use.insert(tick, key);
        e.last_used = tick;
        match &e.value {
            Some(v) => Lookup::Value(e.output, v.clone()),
            None => Lookup::Fingerprint(e.output),
        }
    }

    /// Stores a completed task's output under `key`, then evicts least-recently-used values
    /// until the budget holds. A value larger than the whole budget is not kept (only its
    /// fingerprint is). Returns `false` when the key was already known with another output.
    pub fn insert(
        &mut self,
        key: Fingerprint,
        task: TaskId,
        output: Fingerprint,
        value: NodeValue,
    ) -> bool {
        if let Some(old) = self.entries.get(&key) {
            if old.output != output {
                return false;
            }
            if old.value.is_some() {
                return true;
            }
            self.remove(key);
        }
        self.tick += 1;
        let bytes = value.bytes();
        let keep = bytes <= self.used.budget_bytes;
        if keep {
            self.values_by_use.insert(self.tick, key);
            self.used.used_bytes += bytes;
            self.used.values += 1;
        } else {
            self.tombstones_by_use.insert(self.tick, key);
            self.used.tombstones += 1;
            self.used.too_large += 1;
        }
        self.entries.insert(
            key,
            Entry {
                task,
                output,
                value: keep.then_some(value),
                bytes: if keep { bytes } else { 0 },
                last_used: self.tick,
            },
        );
        self.enforce();
        true
    }

    /// Changes the budget, evicting at once if needed.
    pub fn set_budget(&mut self, budget_bytes: usize) {
        self.used.budget_bytes = budget_bytes;
        self.enforce();
    }

    /// Current use.
    pub fn memory(&self) -> MemoryUse {
        self.used
    }

    /// Keys of held values with their task, least recently used first.
    pub fn held(&self) -> Vec<(Fingerprint, TaskId)> {
        self.values_by_use
            .values()
            .map(|k| (*k, self.entries[k].task))
            .collect()
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        let budget = self.used.budget_bytes;
        *self = Self::new(budget);
    }

    fn remove(&mut self, key: Fingerprint) {
        if let Some(e) = self.entries.remove(&key) {
            if e.value.is_some() {
                self.values_by_use.remove(&e.last_used);
                self.used.used_bytes -= e.bytes;
                self.used.values -= 1;
            } else {
                self.tombstones_by_use.remove(&e.last_used);
                self.used.tombstones -= 1;
            }
        }
    }

    fn enforce(&mut self) {
        while self.used.used_bytes > self.used.budget_bytes {
            let Some((tick, key)) = self.values_by_use.pop_first() else {
                break;
            };
            let e = self.entries.get_mut(&key).expect("indexed entries exist");
            e.value = None;
            self.used.used_bytes -= e.bytes;
            e.bytes = 0;
            self.used.values -= 1;
            self.used.evictions += 1;
            self.tombstones_by_use.insert(tick, key);
            self.used.tombstones += 1;
        }
        while self.used.tombstones > MAX_TOMBSTONES {
            let Some((_, key)) = self.tombstones_by_use.pop_first() else {
                break;
            };
            self.entries.remove(&key);
            self.used.tombstones -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::pipeline::tasks::Metrics;

    fn value(sizes: usize) -> NodeValue {
        NodeValue::Metrics(Arc::new(Metrics {
            inertia: sizes as f64,
            cluster_sizes: vec![1; sizes],
            adjusted_rand: 0.0,
            silhouette: None,
            calinski_harabasz: None,
            davies_bouldin: None,
        }))
    }

    #[test]
    fn evicts_least_recently_used_by_bytes_and_keeps_fingerprints() {
        let each = value(100).bytes();
        let mut s = MemoStore::new(each * 2);
        let k = |i: u128| Fingerprint(i);
        assert!(s.insert(k(1), TaskId::Metrics, k(11), value(100)));
        assert!(s.insert(k(2), TaskId::Metrics, k(12), value(100)));
        assert!(matches!(s.lookup(k(1)), Lookup::Value(..)));
        assert!(s.insert(k(3), TaskId::Metrics, k(13), value(100)));
        assert!(s.memory().used_bytes <= each * 2);
        assert!(matches!(s.lookup(k(2)), Lookup::Fingerprint(f) if f == k(12)));
        assert!(matches!(s.lookup(k(1)), Lookup::Value(..)));
        assert!(matches!(s.lookup(k(3)), Lookup::Value(..)));
        assert!(matches!(s.lookup(k(4)), Lookup::Miss));
        assert_eq!(s.memory().evictions, 1);
        assert_eq!(s.memory().tombstones, 1);
        // Re-inserting an evicted key restores its value.
        assert!(s.insert(k(2), TaskId::Metrics, k(12), value(100)));
        assert!(matches!(s.lookup(k(2)), Lookup::Value(..)));
        assert!(s.memory().used_bytes <= each * 2);
        // Same key, other output: refused.
        assert!(!s.insert(k(2), TaskId::Metrics, k(99), value(100)));
    }

    #[test]
    fn a_value_larger_than_the_budget_is_not_kept_and_shrinking_evicts() {
        let mut s = MemoStore::new(value(10).bytes());
        s.insert(Fingerprint(1), TaskId::Metrics, Fingerprint(2), value(1000));
        assert_eq!(s.memory().used_bytes, 0);
        assert_eq!(s.memory().too_large, 1);
        assert!(matches!(s.lookup(Fingerprint(1)), Lookup::Fingerprint(_)));
        s.insert(Fingerprint(3), TaskId::Metrics, Fingerprint(4), value(10));
        assert_eq!(s.memory().values, 1);
        s.set_budget(0);
        assert_eq!(s.memory().used_bytes, 0);
        assert_eq!(s.memory().values, 0);
        assert!(s.held().is_empty());
    }
}
