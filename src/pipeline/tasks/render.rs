//! `render`: the render-ready picture — the projected points rasterised into RGBA pixels,
//! coloured by cluster, in the zoom window or the data's bounds (see
//! [`crate::pipeline::render::raster`]). Zooming and panning change only its `view` input, so only
//! this node reruns: the dataset, fit and axes come from the memo store.

use std::sync::Arc;

use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::render::projection::Axes;
use crate::pipeline::render::raster::{
    Paint, PointStyle, UNLABELLED, Viewport, bounds, bounds_of, rasterise_painted,
};

use super::replay::StepView;

/// A rasterised projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// The data rectangle the pixels show.
    pub viewport: Viewport,
    /// The plane the points were projected on (the centres are projected the same way).
    pub axes: Arc<Axes>,
    /// `width × height` RGBA pixels.
    pub pixels: Vec<u8>,
    /// Whether the points are markers or a density raster.
    pub style: PointStyle,
}

/// Rasterises `data` on `axes`, coloured by the shown step's labels (grey before the
/// seeding has k centres, rows that just changed label marked), in the plan's window.
pub fn render(
    plan: &Plan,
    data: &Blobs,
    shown: &StepView,
    axes: &Arc<Axes>,
    monitor: &dyn Monitor,
) -> Result<Arc<Raster>, PipelineError> {
    let p = plan.inputs();
    let paint = Paint {
        labels: shown.labels(),
        unlabelled: UNLABELLED,
        changed: shown
            .step()
            .map(|s| s.changed.as_slice())
            .filter(|c| !c.is_empty()),
    };
    let (x, y) = match (&p.view, &**axes) {
        (Some(w), _) => (w.x, w.y),
        (None, Axes::Features { x, y }) => bounds(&data.x, *x, *y),
        (None, a) => bounds_of(&data.x, |r| a.point(r)),
    };
    let viewport = Viewport {
        x,
        y,
        width: p.width,
        height: p.height,
    };
    monitor.checkpoint()?;
    let picture = match &**axes {
        Axes::Features { x: fx, y: fy } => {
            let (fx, fy) = (*fx, *fy);
            rasterise_painted(
                &data.x,
                move |r| (r[fx] as f64, r[fy] as f64),
                &paint,
                &viewport,
                monitor,
            )
        }
        a => rasterise_painted(&data.x, |r| a.point(r), &paint, &viewport, monitor),
    };
    monitor.checkpoint()?;
    Ok(Arc::new(Raster {
        viewport,
        axes: axes.clone(),
        pixels: picture.pixels,
        style: picture.style,
    }))
}

/// Fingerprint of the picture.
pub fn fingerprint(r: &Raster) -> Fingerprint {
    let mut h = FingerprintHasher::new("raster");
    h.json(&r.viewport);
    h.json(&*r.axes);
    h.json(&r.style);
    h.large_bytes(&r.pixels);
    h.finish()
}

/// Bytes held.
pub fn bytes(r: &Raster) -> usize {
    r.pixels.len() + 48
}
