//! Memoisation, as salsa memoises queries: what a task's output is stored under ([`key`]:
//! the task's version and the fingerprints of its inputs and upstream outputs), the content
//! hashes that make those keys ([`fingerprint`]), and the store that holds outputs, backdates
//! equal ones and evicts the least recently used by bytes ([`store`]) (ARCHITECTURE.md §5).
//!
//! Reference: the salsa book, "Memoization", "Backdating" and "LRU"
//! (<https://salsa-rs.github.io/salsa/>).

pub mod fingerprint;
pub mod key;
pub mod store;
