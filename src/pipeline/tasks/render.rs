//! `render`: the render-ready projection — two features rasterised into RGBA pixels,
//! coloured by cluster (see [`crate::pipeline::raster`]).

use std::sync::Arc;

use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::error::PipelineError;
use crate::pipeline::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::plan::Plan;
use crate::pipeline::raster::{Viewport, bounds, rasterise};

use super::predict::LabelSet;

/// A rasterised projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// The data rectangle the pixels show.
    pub viewport: Viewport,
    /// `width × height` RGBA pixels.
    pub pixels: Vec<u8>,
}

/// Rasterises the plan's two features of `data`, coloured by `labels`.
pub fn render(
    plan: &Plan,
    data: &Blobs,
    labels: &LabelSet,
    monitor: &dyn Monitor,
) -> Result<Arc<Raster>, PipelineError> {
    let p = plan.inputs();
    let (fx, fy) = (p.feature_x, p.feature_y);
    let (x, y) = bounds(&data.x, fx, fy);
    let viewport = Viewport {
        x,
        y,
        width: p.width,
        height: p.height,
    };
    monitor.checkpoint()?;
    let pixels = rasterise(&data.x, fx, fy, Some(labels.labels()), &viewport, monitor);
    monitor.checkpoint()?;
    Ok(Arc::new(Raster { viewport, pixels }))
}

/// Fingerprint of the picture.
pub fn fingerprint(r: &Raster) -> Fingerprint {
    let mut h = FingerprintHasher::new("raster");
    h.json(&r.viewport);
    h.large_bytes(&r.pixels);
    h.finish()
}

/// Bytes held.
pub fn bytes(r: &Raster) -> usize {
    r.pixels.len() + 48
}
