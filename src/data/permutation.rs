//! A seeded random permutation of `0..n` evaluated one index at a time.
//!
//! `make_blobs(shuffle=True)` shuffles rows with Fisher–Yates, a sequential pass. Here the
//! shuffle is a keyed Feistel network on the smallest even power of two ≥ n with cycle
//! walking (Black & Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002), so any
//! chunk can compute its rows' source positions without the others.

use super::keyed_stream::mix64;

/// Four rounds make a Feistel network a pseudo-random permutation (Luby & Rackoff 1988).
const ROUNDS: usize = 4;

/// A bijection on `0..n` chosen by a key.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    half_bits: u32,
    round_keys: [u64; ROUNDS],
}

impl Permutation {
    /// The permutation of `0..n` for `key`.
    pub fn new(n: u64, key: u64) -> Self {
        let bits = 64 - n.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let round_keys = std::array::from_fn(|r| mix64(key.wrapping_add(r as u64)));
        Self {
            n,
            half_bits,
            round_keys,
        }
    }

    /// The image of `i` (`i < n`).
    pub fn apply(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = i;
        // The Feistel domain is < 4n, so this loop runs fewer than 4 times on average.
        loop {
            x = self.feistel(x);
            if x < self.n {
                return x;
            }
        }
    }

    /// `apply(first + r)` into `out[r]`: every index's rounds first, in a loop without
    /// branches (so the processor overlaps the rounds of neighbouring indices), then the
    /// few that left `0..n` walk on.
    pub fn apply_block(&self, first: u64, out: &mut [u64]) {
        debug_assert!(first + out.len() as u64 <= self.n);
        for (o, i) in out.iter_mut().zip(first..) {
            *o = self.feistel(i);
        }
        for o in out.iter_mut() {
            while *o >= self.n {
                *o = self.feistel(*o);
            }
        }
    }

    fn feistel(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for key in self.round_keys {
            let f = mix64(key ^ right) & mask;
            (left, right) = (right, left ^ f);
        }
        (left << self.half_bits) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_bijection_for_awkward_sizes() {
        for n in [1u64, 2, 3, 5, 17, 1000, 4097] {
            let p = Permutation::new(n, 99);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "n={n}: {j} hit twice");
                seen[j] = true;
            }
        }
    }

    #[test]
    fn blocks_apply_the_same_permutation() {
        for n in [1u64, 5, 1000, 4097, 100_003] {
            let p = Permutation::new(n, 7);
            let first = n / 3;
            let mut out = vec![0; (n - first).min(300) as usize];
            p.apply_block(first, &mut out);
            for (r, &o) in out.iter().enumerate() {
                assert_eq!(
                    o,
                    p.apply(first + r as u64),
                    "n {n} index {}",
                    first + r as u64
                );
            }
        }
    }

    #[test]
    fn different_keys_shuffle_differently() {
        let a: Vec<u64> = (0..100)
            .map(|i| Permutation::new(100, 1).apply(i))
            .collect();
        let b: Vec<u64> = (0..100)
            .map(|i| Permutation::new(100, 2).apply(i))
            .collect();
        assert_ne!(a, b);
        let fixed = a
            .iter()
            .enumerate()
            .filter(|&(i, &v)| i as u64 == v)
            .count();
        assert!(fixed < 10, "{fixed} fixed points");
    }
}
