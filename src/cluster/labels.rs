//! Labels in the narrowest unsigned word that holds them.
//!
//! A fit keeps one label per row, and k-means|| one nearest-candidate index per row. At
//! 10M rows a `u32` each is half the size of two-feature `f32` data, so a fit's memory
//! would be 1.5× the data from the labels alone; a `u8` for k ≤ 255 makes it 1.125×.
//! scikit-learn keeps `int32` labels; faiss keeps `int64`.
//!
//! The kernels still read and write `u32`: a pass widens one chunk's labels into a small
//! buffer and narrows them back ([`LabelWord::with_u32s`]), so the kernels stay one
//! monomorphic routine per CPU and the buffer stays in cache.

/// An unsigned word labels are stored in. Its largest value is reserved for "no label
/// yet" ([`LabelWord::NONE`], widened to `u32::MAX`), so a word of `b` bits holds labels
/// `0 ..= 2^b − 2`.
pub trait LabelWord: Copy + Send + Sync + Eq + std::fmt::Debug + 'static {
    /// "No label yet".
    const NONE: Self;
    /// The largest label this word holds.
    const MAX_LABEL: u32;
    /// The label as a `u32` (`NONE` becomes `u32::MAX`).
    fn to_label(self) -> u32;
    /// A label `≤ MAX_LABEL`, or `u32::MAX` for `NONE`.
    fn from_label(v: u32) -> Self;
    /// Wraps labels of this word.
    fn into_labels(v: Vec<Self>) -> Labels;
    /// The same slice as `u32`s, when this word is `u32`.
    fn as_u32s(s: &mut [Self]) -> Option<&mut [u32]>;

    /// Runs `f` on `s` as `u32`s: in place for `u32`, otherwise on a widened copy that is
    /// narrowed back afterwards (every label `f` writes must be `≤ MAX_LABEL` or
    /// `u32::MAX`).
    #[inline]
    fn with_u32s<R>(s: &mut [Self], f: impl FnOnce(&mut [u32]) -> R) -> R {
        if let Some(words) = Self::as_u32s(s) {
            return f(words);
        }
        let mut wide: Vec<u32> = s.iter().map(|&v| v.to_label()).collect();
        let r = f(&mut wide);
        for (o, &v) in s.iter_mut().zip(&wide) {
            *o = Self::from_label(v);
        }
        r
    }
}

macro_rules! narrow_word {
    ($t:ty, $variant:ident) => {
        impl LabelWord for $t {
            const NONE: Self = <$t>::MAX;
            const MAX_LABEL: u32 = <$t>::MAX as u32 - 1;
            #[inline(always)]
            fn to_label(self) -> u32 {
                // A select, not a branch: the loops over a chunk vectorise.
                if self == Self::NONE {
                    u32::MAX
                } else {
                    self as u32
                }
            }
            #[inline(always)]
            fn from_label(v: u32) -> Self {
                v as $t
            }
            fn into_labels(v: Vec<Self>) -> Labels {
                Labels::$variant(v)
            }
            fn as_u32s(_: &mut [Self]) -> Option<&mut [u32]> {
                None
            }
        }
    };
}
narrow_word!(u8, U8);
narrow_word!(u16, U16);

impl LabelWord for u32 {
    const NONE: Self = u32::MAX;
    const MAX_LABEL: u32 = u32::MAX - 1;
    #[inline(always)]
    fn to_label(self) -> u32 {
        self
    }
    #[inline(always)]
    fn from_label(v: u32) -> Self {
        v
    }
    fn into_labels(v: Vec<Self>) -> Labels {
        Labels::U32(v)
    }
    fn as_u32s(s: &mut [Self]) -> Option<&mut [u32]> {
        Some(s)
    }
}

/// Runs `$body` with `$v` bound to the vector inside a [`Labels`] (or a reference to it),
/// whatever its word: the one place that turns the enum into a generic call.
macro_rules! on_words {
    ($labels:expr, $v:ident => $body:expr) => {
        match $labels {
            $crate::cluster::labels::Labels::U8($v) => $body,
            $crate::cluster::labels::Labels::U16($v) => $body,
            $crate::cluster::labels::Labels::U32($v) => $body,
        }
    };
}
pub(crate) use on_words;

/// The word that holds labels `0 .. k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelWidth {
    /// `k ≤ 255`.
    U8,
    /// `k ≤ 65 535`.
    U16,
    /// Anything larger.
    U32,
}

impl LabelWidth {
    /// Bytes per label.
    pub fn bytes(self) -> usize {
        match self {
            LabelWidth::U8 => 1,
            LabelWidth::U16 => 2,
            LabelWidth::U32 => 4,
        }
    }

    /// The narrowest word for labels `0 .. k`.
    pub fn for_k(k: usize) -> Self {
        if k as u64 <= u64::from(u8::MAX_LABEL) + 1 {
            LabelWidth::U8
        } else if k as u64 <= u64::from(u16::MAX_LABEL) + 1 {
            LabelWidth::U16
        } else {
            LabelWidth::U32
        }
    }
}

/// One label per row, each `< k`, stored in the narrowest [`LabelWord`] for `k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labels {
    /// `k ≤ 255`.
    U8(Vec<u8>),
    /// `k ≤ 65 535`.
    U16(Vec<u16>),
    /// Anything larger.
    U32(Vec<u32>),
}

impl Labels {
    /// Rows.
    pub fn len(&self) -> usize {
        match self {
            Labels::U8(v) => v.len(),
            Labels::U16(v) => v.len(),
            Labels::U32(v) => v.len(),
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The word they are stored in.
    pub fn width(&self) -> LabelWidth {
        match self {
            Labels::U8(_) => LabelWidth::U8,
            Labels::U16(_) => LabelWidth::U16,
            Labels::U32(_) => LabelWidth::U32,
        }
    }

    /// Bytes per label.
    pub fn word_bytes(&self) -> usize {
        self.width().bytes()
    }

    /// Row `i`'s label.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Labels::U8(v) => v[i].to_label(),
            Labels::U16(v) => v[i].to_label(),
            Labels::U32(v) => v[i],
        }
    }

    /// The labels as `u32`s: borrowed when they are stored as `u32`, widened otherwise.
    pub fn as_u32(&self) -> std::borrow::Cow<'_, [u32]> {
        match self {
            Labels::U8(v) => v.iter().map(|&l| l.to_label()).collect(),
            Labels::U16(v) => v.iter().map(|&l| l.to_label()).collect(),
            Labels::U32(v) => std::borrow::Cow::Borrowed(v),
        }
    }

    /// The labels as `u32`s, consuming them.
    pub fn into_u32(self) -> Vec<u32> {
        match self {
            Labels::U32(v) => v,
            other => other.as_u32().into_owned(),
        }
    }

    /// The labels in row order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl From<Vec<u32>> for Labels {
    /// Keeps `u32` storage (no scan for the largest label).
    fn from(v: Vec<u32>) -> Self {
        Labels::U32(v)
    }
}

impl PartialEq<[u32]> for Labels {
    fn eq(&self, other: &[u32]) -> bool {
        self.len() == other.len() && (0..other.len()).all(|i| self.get(i) == other[i])
    }
}

impl PartialEq<Vec<u32>> for Labels {
    fn eq(&self, other: &Vec<u32>) -> bool {
        *self == **other
    }
}

impl PartialEq<Labels> for Vec<u32> {
    fn eq(&self, other: &Labels) -> bool {
        other == self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_hold_every_label_below_k_and_reserve_none() {
        assert_eq!(LabelWidth::for_k(1), LabelWidth::U8);
        assert_eq!(LabelWidth::for_k(255), LabelWidth::U8);
        assert_eq!(LabelWidth::for_k(256), LabelWidth::U16);
        assert_eq!(LabelWidth::for_k(65_535), LabelWidth::U16);
        assert_eq!(LabelWidth::for_k(65_536), LabelWidth::U32);
        assert_eq!(254u8.to_label(), 254);
        assert_eq!(u8::NONE.to_label(), u32::MAX);
        assert_eq!(u8::from_label(u32::MAX), u8::NONE);
        assert_eq!(u16::from_label(65_534).to_label(), 65_534);
    }

    #[test]
    fn a_chunk_widened_and_narrowed_keeps_what_the_pass_wrote() {
        let mut s = vec![u8::NONE, 3, 7];
        let seen = u8::with_u32s(&mut s, |w| {
            let seen = w.to_vec();
            w[0] = 5;
            w[2] = u32::MAX;
            seen
        });
        assert_eq!(seen, vec![u32::MAX, 3, 7]);
        assert_eq!(s, vec![5, 3, u8::NONE]);
        let mut t = vec![1u32, 2];
        u32::with_u32s(&mut t, |w| w[1] = 9);
        assert_eq!(t, vec![1, 9]);
    }

    #[test]
    fn every_storage_reads_back_the_same_labels() {
        let l = vec![0u32, 4, 2, 4];
        let narrow = [
            Labels::U8(l.iter().map(|&v| v as u8).collect()),
            Labels::U16(l.iter().map(|&v| v as u16).collect()),
            Labels::from(l.clone()),
        ];
        for labels in narrow {
            assert_eq!(labels.as_u32().as_ref(), l.as_slice());
            assert_eq!(labels, l);
            assert_eq!(labels.iter().collect::<Vec<_>>(), l);
            assert_eq!(labels.into_u32(), l);
        }
    }
}
