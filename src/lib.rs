//! blobscale: how k-means scales, in the browser and natively.
//!
//! The core — [`data`], [`cluster`], [`pipeline`], [`monitor`] and the table of parameter
//! [`limits`] they all validate against — is plain Rust with rayon
//! and ndarray, built and tested natively. The browser layers, `web` (threads, workers,
//! storage, files) and `app` (Leptos views), exist only on wasm32. See `docs/ARCHITECTURE.md` §1.

#![warn(missing_docs)]
// The small-d distance kernel (cluster::kernels::small_d) is written with std::simd: the same
// source gives AVX2 natively and simd128 in wasm, where auto-vectorisation was unreliable.
#![feature(portable_simd)]

pub mod cluster;
pub mod data;
pub mod limits;
pub mod monitor;
pub mod pipeline;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod web;
