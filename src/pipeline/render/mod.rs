//! How data becomes a picture: rows of d features put on the canvas's plane
//! ([`projection`]: two chosen features or PCA), points rasterised chunk-parallel into
//! pixels ([`raster`]), and a dataset's per-feature profile for its deck
//! ([`dataset_profile`]) (ARCHITECTURE.md §3). The tasks `project`, `render` and `profile`
//! call these.

pub mod dataset_profile;
pub mod projection;
pub mod raster;
