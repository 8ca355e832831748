//! Content fingerprints: stable 128-bit hashes of parameters and of task outputs.
//!
//! Memo keys must mean the same thing in every run and on every target (a scenario shared
//! as a URL must hit the same cache entries natively and in wasm32), so nothing here uses
//! std's randomly seeded `RandomState`. Parameters are hashed through their canonical
//! `serde_json` text (field order fixed by the struct, floats printed shortest-round-trip),
//! large buffers through their bit patterns. Large buffers are hashed in fixed-size blocks
//! in parallel and the block hashes combined in order, so the value never depends on the
//! thread count. This is not a cryptographic hash: it defends against accidents, not
//! adversaries, which is all a local memo store needs.

use std::fmt;

use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::CHUNKS_PER_JOB;
use crate::data::keyed_stream::mix64;

/// Words per parallel block: large enough to amortise a rayon task, fixed so the result
/// does not depend on how the work was split.
const BLOCK_WORDS: usize = 1 << 15;
/// An odd 64-bit multiplier (2⁶⁴ over the golden ratio, rounded to odd).
const LANE_MUL: u64 = 0x9E37_79B9_7F4A_7C15;
/// Distinct starting states of the four lanes of a block.
const LANE_SEEDS: [u64; 4] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
];

/// A 128-bit content fingerprint. Serialised as 32 lower-case hex digits, since JSON
/// numbers (and JavaScript) cannot carry 128 bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Fingerprint(pub u128);

impl Fingerprint {
    /// The fingerprint of a value's canonical JSON serialisation.
    pub fn of_json<T: Serialize + ?Sized>(value: &T) -> Self {
        let bytes = serde_json::to_vec(value).expect("plain data always serialises to JSON");
        let mut h = FingerprintHasher::new("json");
        h.bytes(&bytes);
        h.finish()
    }

    /// The low 64 bits, for places that only need a cheap equality check (staleness).
    pub fn low64(self) -> u64 {
        self.0 as u64
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() != 32 {
            return Err(serde::de::Error::custom("a fingerprint is 32 hex digits"));
        }
        u128::from_str_radix(&s, 16)
            .map(Fingerprint)
            .map_err(serde::de::Error::custom)
    }
}

/// A streaming two-lane hasher over 64-bit words with SplitMix64's finaliser as the mixer
/// (the same bijection the keyed random streams use). Every absorb is length-prefixed by
/// the caller's structure, so `("ab", "c")` and `("a", "bc")` differ.
#[derive(Debug, Clone)]
pub struct FingerprintHasher {
    a: u64,
    b: u64,
    words: u64,
}

impl FingerprintHasher {
    /// A hasher whose output is separated from other uses by `domain`.
    pub fn new(domain: &str) -> Self {
        let mut h = Self {
            a: 0x243F_6A88_85A3_08D3,
            b: 0x1319_8A2E_0370_7344,
            words: 0,
        };
        h.bytes(domain.as_bytes());
        h
    }

    /// Absorbs one word.
    pub fn word(&mut self, w: u64) {
        self.words = self.words.wrapping_add(1);
        self.a = mix64(self.a ^ w).wrapping_add(self.b.rotate_left(29));
        self.b = mix64(self.b.wrapping_add(w) ^ 0x9E37_79B9_7F4A_7C15 ^ self.words);
    }

    /// Absorbs a byte string, length first.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
    }

    /// Absorbs another fingerprint.
    pub fn fingerprint(&mut self, f: Fingerprint) {
        self.word(f.0 as u64);
        self.word((f.0 >> 64) as u64);
    }

    /// Absorbs a value through its canonical JSON.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.fingerprint(Fingerprint::of_json(value));
    }

    /// Absorbs `f32` values by bit pattern (so `-0.0 ≠ 0.0`: outputs are compared exactly).
    pub fn f32s(&mut self, values: &[f32]) {
        self.pairs(values.len(), |i| values[i].to_bits());
    }

    /// Absorbs `f64` values by bit pattern.
    pub fn f64s(&mut self, values: &[f64]) {
        self.blocks(values.len(), values.len(), |i| values[i].to_bits());
    }

    /// Absorbs `u64` values.
    pub fn u64s(&mut self, values: &[u64]) {
        self.blocks(values.len(), values.len(), |i| values[i]);
    }

    /// Absorbs `u32` values.
    pub fn u32s(&mut self, values: &[u32]) {
        self.pairs(values.len(), |i| values[i]);
    }

    /// Absorbs labels: the same as [`FingerprintHasher::u32s`] of them widened, without
    /// the widened copy.
    pub fn labels(&mut self, labels: &crate::cluster::Labels) {
        use crate::cluster::{LabelWord, Labels};
        match labels {
            Labels::U8(v) => self.pairs(v.len(), |i| v[i].to_label()),
            Labels::U16(v) => self.pairs(v.len(), |i| v[i].to_label()),
            Labels::U32(v) => self.u32s(v),
        }
    }

    /// Absorbs bytes of a large buffer (pixels, an imported file) in parallel blocks,
    /// eight bytes per word.
    pub fn large_bytes(&mut self, values: &[u8]) {
        self.blocks(values.len(), values.len().div_ceil(8), |i| {
            let mut w = [0u8; 8];
            let c = &values[i * 8..(i * 8 + 8).min(values.len())];
            w[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(w)
        });
    }

    /// `len` 32-bit items, two per word (the length is absorbed first, so a zero pad of
    /// an odd tail is unambiguous).
    fn pairs(&mut self, len: usize, item: impl Fn(usize) -> u32 + Sync) {
        self.blocks(len, len.div_ceil(2), |i| {
            let hi = if 2 * i + 1 < len { item(2 * i + 1) } else { 0 };
            item(2 * i) as u64 | (hi as u64) << 32
        });
    }

    /// Absorbs `len` (the item count), then hashes `words` words in fixed blocks, in
    /// parallel, and absorbs the block hashes in order. Within a block four independent
    /// lanes take one word each in turn, each step `(lane ⊕ w)·P` rotated — a bijection
    /// of the lane for a fixed word, so a block differing in any one word always hashes
    /// differently before the final mix — at about one multiply per word.
    fn blocks(&mut self, len: usize, words: usize, word: impl Fn(usize) -> u64 + Sync) {
        self.word(len as u64);
        let n_blocks = words.div_ceil(BLOCK_WORDS);
        let block_hashes: Vec<Fingerprint> = (0..n_blocks)
            .into_par_iter()
            .with_max_len(CHUNKS_PER_JOB)
            .map(|b| {
                let (start, end) = (b * BLOCK_WORDS, ((b + 1) * BLOCK_WORDS).min(words));
                let step = |lane: u64, w: u64| (lane ^ w).wrapping_mul(LANE_MUL).rotate_left(29);
                let mut lanes = LANE_SEEDS;
                let mut i = start;
                while i + 4 <= end {
                    for (l, lane) in lanes.iter_mut().enumerate() {
                        *lane = step(*lane, word(i + l));
                    }
                    i += 4;
                }
                for (lane, j) in lanes.iter_mut().zip(i..end) {
                    *lane = step(*lane, word(j));
                }
                let mut h = FingerprintHasher::new("block");
                h.word((end - start) as u64);
                for lane in lanes {
                    h.word(lane);
                }
                h.finish()
            })
            .collect();
        for f in block_hashes {
            self.fingerprint(f);
        }
    }

    /// The fingerprint of everything absorbed.
    pub fn finish(&self) -> Fingerprint {
        let hi = mix64(self.a ^ mix64(self.b ^ self.words));
        let lo = mix64(self.b.wrapping_add(hi) ^ self.a.rotate_left(17));
        Fingerprint(((hi as u128) << 64) | lo as u128)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_content_equal_fingerprint_and_structure_matters() {
        let mut a = FingerprintHasher::new("t");
        a.bytes(b"ab");
        a.bytes(b"c");
        let mut b = FingerprintHasher::new("t");
        b.bytes(b"a");
        b.bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
        assert_eq!(
            Fingerprint::of_json(&(1, "x")),
            Fingerprint::of_json(&(1, "x"))
        );
        assert_ne!(
            Fingerprint::of_json(&(1, "x")),
            Fingerprint::of_json(&(2, "x"))
        );
    }

    #[test]
    fn value_is_fixed_across_runs_and_thread_counts() {
        // A pinned value: a change here breaks every shared memo key, so it must be
        // deliberate (bump the task versions with it).
        let f = Fingerprint::of_json(&serde_json::json!({"k": 3}));
        assert_eq!(f.to_string(), "0afb4871e42d58cd82f6985614ecf245");
        let values: Vec<f32> = (0..100_000).map(|i| i as f32 * 0.5).collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let h1 = one.install(|| {
            let mut h = FingerprintHasher::new("v");
            h.f32s(&values);
            h.finish()
        });
        let mut h = FingerprintHasher::new("v");
        h.f32s(&values);
        assert_eq!(h1, h.finish());
        let mut changed = values.clone();
        changed[77_777] = -1.0;
        let mut h2 = FingerprintHasher::new("v");
        h2.f32s(&changed);
        assert_ne!(h1, h2.finish());
    }

    /// Packing two 32-bit items per word loses nothing: an odd tail differs from the same
    /// values with a zero appended, and every single-item change in a block is seen.
    #[test]
    fn packed_items_keep_length_and_every_change() {
        let of = |v: &[u32]| {
            let mut h = FingerprintHasher::new("u");
            h.u32s(v);
            h.finish()
        };
        assert_ne!(of(&[7]), of(&[7, 0]));
        assert_ne!(of(&[]), of(&[0]));
        let base: Vec<u32> = (0..1_000).collect();
        let f = of(&base);
        for i in (0..1_000).step_by(37) {
            let mut v = base.clone();
            v[i] ^= 1 << (i % 32);
            assert_ne!(of(&v), f, "item {i}");
        }
        let bytes = |v: &[u8]| {
            let mut h = FingerprintHasher::new("b");
            h.large_bytes(v);
            h.finish()
        };
        assert_ne!(bytes(&[1, 2, 3]), bytes(&[1, 2, 3, 0]));
    }

    #[test]
    fn serialises_as_hex_and_back() {
        let f = Fingerprint(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        let s = serde_json::to_string(&f).unwrap();
        assert_eq!(s, "\"0123456789abcdef0011223344556677\"");
        assert_eq!(serde_json::from_str::<Fingerprint>(&s).unwrap(), f);
        assert!(serde_json::from_str::<Fingerprint>("\"12\"").is_err());
    }
}
