//! The data layer: chunked matrices, the blobs generator and keyed random streams.
//!
//! Plain Rust + rayon + ndarray; no web dependency (ARCHITECTURE.md §1, §9).

pub mod blobs;
pub mod chunked_matrix;
pub mod error;
pub mod import;
pub mod keyed_stream;
pub mod normal;
pub mod permutation;
pub mod row_sample;

pub use blobs::{Blobs, BlobsParams, Centers, ClusterStd, ValidBlobsParams};
pub use chunked_matrix::{CHUNKS_PER_JOB, Chunk, ChunkedMatrix, DEFAULT_CHUNK_ROWS, ValueScan};
pub use error::DataError;
pub use keyed_stream::{KeyedStream, Purpose};
