//! The assignment kernels: each row's exact nearest centre, ranked in `f32` and certified
//! (the argument is in `src/cluster/README.md` §1–§3). [`general`] tiles rows × centres
//! for any number of features (`wide_tile` is its AVX-512 tile), [`small_d`] keeps a few
//! features in registers, and
//! [`assign_pass`] runs either over every chunk, fused with the M-step's sums.

pub mod assign_pass;
pub mod general;
pub mod small_d;
#[cfg(target_arch = "x86_64")]
pub(crate) mod wide_tile;
