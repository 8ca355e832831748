//! Random seeding: k distinct rows chosen uniformly, scikit-learn's `init="random"`
//! (`permutation(n)[:k]`), with the permutation keyed by `(seed, InitRandom, index)` so
//! each row is found without shuffling all n.

use crate::data::Purpose;
use crate::data::keyed_stream::stream_key;
use crate::data::permutation::Permutation;

/// The first `k` rows of a keyed random permutation of `0..n` (`k ≤ n`).
pub fn random_rows(n: usize, k: usize, seed: u64, index: u64) -> Vec<usize> {
    let perm = Permutation::new(n as u64, stream_key(seed, Purpose::InitRandom, index));
    (0..k.min(n))
        .map(|i| perm.apply(i as u64) as usize)
        .collect()
}
