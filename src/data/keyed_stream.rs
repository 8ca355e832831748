//! Counter-based random streams keyed by `(seed, purpose, index)`.
//!
//! Every random draw in blobscale comes from a stream named by what it is for and which
//! item it belongs to — never by thread or chunk — so a dataset is the same for any chunk
//! size, any thread count, natively and in the browser. This is the counter-based design of
//! Salmon et al., "Parallel random numbers: as easy as 1, 2, 3" (SC 2011), with SplitMix64
//! (Steele, Lea & Flood, OOPSLA 2014) as the bijective mixer. Only integer and IEEE-exact
//! float operations are used, so both targets draw identical numbers.

use rand::RngCore;

/// What a stream is used for. Distinct purposes never share random numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u64)]
pub enum Purpose {
    /// Centre positions drawn in `center_box`.
    Centers = 1,
    /// The shuffle permutation of sample order.
    Shuffle = 2,
    /// Gaussian noise of one sample (index = sample row).
    Noise = 3,
    /// Random seeding of k-means (index = draw number).
    InitRandom = 4,
    /// k-means++ seeding (index = step).
    InitPlusPlus = 5,
    /// k-means|| oversampling (index = round, counter = row).
    InitParallel = 6,
    /// Subsampling for "fit on a sample" and for the silhouette score.
    Sample = 7,
    /// Relocation of empty clusters.
    Relocate = 8,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijection on `u64` with full avalanche.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of one stream, derived from the user's seed, the purpose and an item index.
#[inline]
pub fn stream_key(seed: u64, purpose: Purpose, index: u64) -> u64 {
    StreamFamily::new(seed, purpose).key(index)
}

/// The streams of one `(seed, purpose)`, one per item index: the part of [`stream_key`]
/// that depends only on seed and purpose is mixed once, so a per-row stream costs one
/// [`mix64`] to open instead of three (same keys, same draws).
#[derive(Debug, Clone, Copy)]
pub struct StreamFamily {
    base: u64,
}

impl StreamFamily {
    /// The family of `(seed, purpose)`.
    #[inline]
    pub fn new(seed: u64, purpose: Purpose) -> Self {
        Self {
            base: mix64(mix64(seed ^ GOLDEN).wrapping_add(purpose as u64)),
        }
    }

    /// `stream_key(seed, purpose, index)`.
    #[inline]
    pub fn key(&self, index: u64) -> u64 {
        mix64(self.base.wrapping_add(index))
    }
}

/// A random stream: `next_u64` is `mix64(key + counter · φ)`, so draw `c` of stream
/// `(seed, purpose, index)` is a pure function of those four numbers.
#[derive(Debug, Clone)]
pub struct KeyedStream {
    key: u64,
    counter: u64,
}

impl KeyedStream {
    /// The stream for `(seed, purpose, index)`, positioned at its first draw.
    pub fn new(seed: u64, purpose: Purpose, index: u64) -> Self {
        Self {
            key: stream_key(seed, purpose, index),
            counter: 0,
        }
    }

    /// The stream with key `key` (a [`stream_key`] or [`StreamFamily::key`]), at its first
    /// draw.
    #[inline]
    pub fn from_key(key: u64) -> Self {
        Self { key, counter: 0 }
    }

    /// Draw number `counter` of the stream with key `key`, without a stream.
    #[inline(always)]
    pub fn bits_at(key: u64, counter: u64) -> u64 {
        mix64(key.wrapping_add(counter.wrapping_mul(GOLDEN)))
    }

    /// Moves to draw number `counter` of this stream, so that one stream can give row `i`
    /// its own draw (`seek(i)`) however rows are split into chunks.
    #[inline]
    pub fn seek(&mut self, counter: u64) {
        self.counter = counter;
    }

    /// A uniform `f64` in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        // Through `i64` (below 2⁵³ either way): one instruction in wasm, unlike `u64`.
        ((self.next_u64() >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// [`KeyedStream::uniform`] at draw number `counter` of the stream with key `key`,
    /// without a stream: a pure function, so a loop of them has no carried state.
    #[inline(always)]
    pub fn uniform_at(key: u64, counter: u64) -> f64 {
        ((Self::bits_at(key, counter) >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform `f64` in `(0, 1]`, safe to take the logarithm of.
    #[inline]
    pub fn uniform_open0(&mut self) -> f64 {
        (((self.next_u64() >> 11) + 1) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..n` (Lemire's multiply-shift; the bias is below 2⁻³² for
    /// any `n` a dataset can have).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// A standard normal draw ([`super::normal::standard_normal`]).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        super::normal::standard_normal(self)
    }
}

impl RngCore for KeyedStream {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        let out = Self::bits_at(self.key, self.counter);
        self.counter = self.counter.wrapping_add(1);
        out
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_pure_functions_of_their_key() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut s = KeyedStream::new(7, Purpose::Noise, 3);
                move |_| s.next_u64()
            })
            .collect();
        let mut s = KeyedStream::new(7, Purpose::Noise, 3);
        let b: Vec<u64> = (0..4).map(|_| s.next_u64()).collect();
        assert_eq!(a, b);
        let mut other = KeyedStream::new(7, Purpose::Noise, 4);
        assert_ne!(a[0], other.next_u64());
        let mut other = KeyedStream::new(7, Purpose::Centers, 3);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn a_family_opens_the_same_streams() {
        let f = StreamFamily::new(9, Purpose::Noise);
        for i in [0u64, 1, 77, u64::MAX] {
            assert_eq!(f.key(i), stream_key(9, Purpose::Noise, i));
            assert_eq!(
                KeyedStream::from_key(f.key(i)).next_u64(),
                KeyedStream::new(9, Purpose::Noise, i).next_u64()
            );
        }
    }

    #[test]
    fn seek_reaches_any_draw() {
        let mut s = KeyedStream::new(5, Purpose::InitParallel, 2);
        let draws: Vec<u64> = (0..5).map(|_| s.next_u64()).collect();
        let mut t = KeyedStream::new(5, Purpose::InitParallel, 2);
        t.seek(3);
        assert_eq!(t.next_u64(), draws[3]);
        t.seek(0);
        assert_eq!(t.next_u64(), draws[0]);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut s = KeyedStream::new(1, Purpose::Sample, 0);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            let v = s.below(10) as usize;
            seen[v] = true;
        }
        assert!(seen.iter().all(|&x| x));
    }
}
