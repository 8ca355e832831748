//! One frame of the page: generate the blobs, then rasterise them for the canvas.
//!
//! This is the end-to-end slice every flavour runs the same way — natively in tests, on the
//! rayon pool of the threaded web build, or inside the dedicated worker of the
//! single-threaded build — so the request and its result are plain serialisable values.

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::raster::{Viewport, bounds, rasterise};
use super::task_record::{TaskRecord, TaskRecorder, tasks_per_thread};
use crate::data::{BlobsParams, DataError};
use crate::monitor::Cancelled;

/// Largest canvas accepted, per side.
pub const MAX_CANVAS_SIDE: u32 = 4096;

/// What to compute and how large the picture is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameRequest {
    /// The dataset.
    pub blobs: BlobsParams,
    /// Plot area width in pixels.
    pub width: u32,
    /// Plot area height in pixels.
    pub height: u32,
}

/// Everything about a frame except its pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameSummary {
    /// Rows generated.
    pub n_samples: usize,
    /// Columns generated.
    pub n_features: usize,
    /// Chunks the dataset was split into.
    pub n_chunks: usize,
    /// Bytes of the dataset's values.
    pub nbytes: usize,
    /// The data rectangle the pixels show.
    pub viewport: Viewport,
    /// True centres projected on the two shown features.
    pub true_centres: Vec<[f64; 2]>,
    /// Threads in the pool that ran the frame.
    pub threads: usize,
    /// Chunk tasks run by each thread.
    pub tasks_per_thread: Vec<u32>,
    /// Every chunk task.
    pub tasks: Vec<TaskRecord>,
    /// Time spent generating, ms.
    pub generate_ms: f64,
    /// Time spent rasterising, ms.
    pub render_ms: f64,
}

/// A computed frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Metadata and timings.
    pub summary: FrameSummary,
    /// `width × height` RGBA pixels of the plot area.
    pub pixels: Vec<u8>,
}

/// Why a frame was not produced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// A parameter was invalid.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The canvas size is out of range.
    #[error(
        "canvas {width} × {height} is out of range: each side must be in 1 ..= {MAX_CANVAS_SIDE}"
    )]
    Canvas {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// A newer request made this one stale.
    #[error("cancelled")]
    Cancelled,
}

impl From<Cancelled> for FrameError {
    fn from(_: Cancelled) -> Self {
        FrameError::Cancelled
    }
}

/// Computes a frame on the current rayon pool, timing with `clock` and stopping between
/// chunks once `cancel` returns true.
pub fn compute_frame(
    req: &FrameRequest,
    clock: &dyn Clock,
    cancel: &(dyn Fn() -> bool + Sync),
) -> Result<Frame, FrameError> {
    for side in [req.width, req.height] {
        if side == 0 || side > MAX_CANVAS_SIDE {
            return Err(FrameError::Canvas {
                width: req.width,
                height: req.height,
            });
        }
    }
    let params = req.blobs.check()?;
    let recorder = TaskRecorder::new(clock).with_cancel(cancel);
    let t0 = clock.now_ms();
    let blobs = params.generate_monitored(&recorder)?;
    let t1 = clock.now_ms();
    let (fx, fy) = (0, 1.min(blobs.x.n_cols() - 1));
    let (x, y) = bounds(&blobs.x, fx, fy);
    let viewport = Viewport {
        x,
        y,
        width: req.width,
        height: req.height,
    };
    let pixels = rasterise(&blobs.x, fx, fy, Some(&blobs.labels), &viewport, &recorder);
    if cancel() {
        return Err(FrameError::Cancelled);
    }
    let t2 = clock.now_ms();
    let tasks = recorder.records();
    Ok(Frame {
        summary: FrameSummary {
            n_samples: blobs.x.n_rows(),
            n_features: blobs.x.n_cols(),
            n_chunks: blobs.x.n_chunks(),
            nbytes: blobs.x.nbytes(),
            viewport,
            true_centres: blobs
                .centers
                .rows()
                .into_iter()
                .map(|c| [c[fx], c[fy]])
                .collect(),
            threads: rayon::current_num_threads(),
            tasks_per_thread: tasks_per_thread(&tasks),
            tasks,
            generate_ms: t1 - t0,
            render_ms: t2 - t1,
        },
        pixels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Centers;
    use crate::pipeline::clock::MonotonicClock;

    fn request(k: usize) -> FrameRequest {
        FrameRequest {
            blobs: BlobsParams::new(50_000)
                .centers(Centers::Count(k))
                .chunk_rows(4096),
            width: 120,
            height: 80,
        }
    }

    #[test]
    fn frame_has_pixels_centres_and_task_records() {
        let clock = MonotonicClock::default();
        let f = compute_frame(&request(4), &clock, &|| false).unwrap();
        assert_eq!(f.pixels.len(), 120 * 80 * 4);
        assert_eq!(f.summary.true_centres.len(), 4);
        assert_eq!(f.summary.n_chunks, 13);
        let generate = f
            .summary
            .tasks
            .iter()
            .filter(|t| t.kind == crate::monitor::TaskKind::Generate)
            .count();
        assert_eq!(generate, 13);
        assert!(f.pixels.chunks(4).any(|p| p[3] > 0));
    }

    #[test]
    fn more_centres_change_the_picture() {
        let a = compute_frame(&request(2), &crate::pipeline::clock::NoClock, &|| false).unwrap();
        let b = compute_frame(&request(7), &crate::pipeline::clock::NoClock, &|| false).unwrap();
        assert_ne!(a.pixels, b.pixels);
    }

    #[test]
    fn bad_input_and_cancellation_are_errors() {
        let mut r = request(3);
        r.width = 0;
        let e = compute_frame(&r, &crate::pipeline::clock::NoClock, &|| false).unwrap_err();
        assert!(e.to_string().contains("0 × 80"), "{e}");
        let e = compute_frame(&request(3), &crate::pipeline::clock::NoClock, &|| true).unwrap_err();
        assert_eq!(e, FrameError::Cancelled);
    }
}
