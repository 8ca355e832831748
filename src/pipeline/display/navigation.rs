//! Zoom and pan of the canvas's data window: which data point is under a pixel, the
//! window after a wheel notch, a drag, a pinch or a key, and where the previous picture lands in
//! the new window while its exact raster is being made.
//!
//! Pixels are canvas pixels with y growing downwards; data y grows upwards, so the top
//! edge of the plot area shows the window's `y.1`.

use crate::pipeline::render::raster::ViewWindow;

/// Zoom per wheel pixel: 100 px (one notch in most browsers) zooms by e^0.2 ≈ 1.22.
pub const WHEEL_ZOOM_PER_PIXEL: f64 = 0.002;

/// Pixels of one wheel line (`deltaMode` 1), as browsers scroll a line.
pub const WHEEL_LINE_PIXELS: f64 = 16.0;

/// The closest two fingers may be, in canvas pixels, for their spread to set a zoom: any
/// closer and a pixel of jitter would be a large zoom.
pub const PINCH_MIN_SPREAD: f64 = 8.0;

/// The plot area: where the raster sits on the canvas, in canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotArea {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Where an image is drawn, in canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl PlotArea {
    /// The data point under canvas pixel `(cx, cy)` while the area shows `w`.
    pub fn data_at(&self, w: &ViewWindow, cx: f64, cy: f64) -> (f64, f64) {
        let fx = (cx - self.left) / self.width;
        let fy = (cy - self.top) / self.height;
        (w.x.0 + fx * (w.x.1 - w.x.0), w.y.1 - fy * (w.y.1 - w.y.0))
    }

    /// The canvas pixel showing data point `(px, py)` while the area shows `w` (the
    /// inverse of [`PlotArea::data_at`]).
    pub fn pixel_of(&self, w: &ViewWindow, (px, py): (f64, f64)) -> (f64, f64) {
        (
            self.left + (px - w.x.0) / (w.x.1 - w.x.0) * self.width,
            self.top + (w.y.1 - py) / (w.y.1 - w.y.0) * self.height,
        )
    }

    /// `w` moved by `(dx, dy)` canvas pixels, the content following the pointer; `None`
    /// when the result is not a window [`ViewWindow::check`] accepts.
    pub fn panned(&self, w: &ViewWindow, dx: f64, dy: f64) -> Option<ViewWindow> {
        let sx = (w.x.1 - w.x.0) / self.width;
        let sy = (w.y.1 - w.y.0) / self.height;
        let p = ViewWindow {
            x: (w.x.0 - dx * sx, w.x.1 - dx * sx),
            y: (w.y.0 + dy * sy, w.y.1 + dy * sy),
        };
        p.check().is_ok().then_some(p)
    }

    /// The window after a two-finger gesture that started with the fingers at `from` over
    /// window `w` and has them at `to` now (canvas pixels): the window is scaled by how far
    /// the fingers spread (closer together zooms out) about the data point under their
    /// first midpoint, and that point follows the midpoint, so pinch zoom and two-finger
    /// pan are one motion, as in any map. `None` when the fingers are too close together
    /// to measure a spread, or the result is not a window [`ViewWindow::check`] accepts.
    pub fn pinched(
        &self,
        w: &ViewWindow,
        from: [(f64, f64); 2],
        to: [(f64, f64); 2],
    ) -> Option<ViewWindow> {
        let spread = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1);
        let mid = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (d0, d1) = (spread(from), spread(to));
        if d0 < PINCH_MIN_SPREAD || d1 < PINCH_MIN_SPREAD {
            return None;
        }
        let (m0, m1) = (mid(from), mid(to));
        let anchor = self.data_at(w, m0.0, m0.1);
        let zoomed = w.zoomed(d0 / d1, anchor)?;
        self.panned(&zoomed, m1.0 - m0.0, m1.1 - m0.1)
    }

    /// Where the raster of window `own` lands while the area shows `target`: the
    /// previous picture scaled and moved onto the new window until its own raster comes.
    pub fn placement(&self, own: &ViewWindow, target: &ViewWindow) -> Placement {
        let sx = self.width / (target.x.1 - target.x.0);
        let sy = self.height / (target.y.1 - target.y.0);
        Placement {
            x: self.left + (own.x.0 - target.x.0) * sx,
            y: self.top + (target.y.1 - own.y.1) * sy,
            width: (own.x.1 - own.x.0) * sx,
            height: (own.y.1 - own.y.0) * sy,
        }
    }
}

impl ViewWindow {
    /// The middle of the window.
    pub fn centre(&self) -> (f64, f64) {
        ((self.x.0 + self.x.1) / 2.0, (self.y.0 + self.y.1) / 2.0)
    }

    /// Whether `p` lies in the window, edges included.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        self.x.0 <= p[0] && p[0] <= self.x.1 && self.y.0 <= p[1] && p[1] <= self.y.1
    }

    /// Whether two windows agree to a billionth of their span: the same window, as far
    /// as a picture of it can tell.
    pub fn same_as(&self, other: &ViewWindow) -> bool {
        let close = |p: (f64, f64), q: (f64, f64)| {
            let tol = 1e-9 * (p.1 - p.0).abs();
            (p.0 - q.0).abs() <= tol && (p.1 - q.1).abs() <= tol
        };
        close(self.x, other.x) && close(self.y, other.y)
    }

    /// The window scaled by `factor` (> 1 zooms out) about the data point `(px, py)`, which
    /// stays where it is on the canvas; `None` when that would leave the range a window may
    /// have, or keep fewer than a few thousand representable steps across it.
    pub fn zoomed(&self, factor: f64, (px, py): (f64, f64)) -> Option<ViewWindow> {
        let scale = |(lo, hi): (f64, f64), p: f64| (p - (p - lo) * factor, p + (hi - p) * factor);
        let z = ViewWindow {
            x: scale(self.x, px),
            y: scale(self.y, py),
        };
        let fine = |(lo, hi): (f64, f64)| hi - lo > 1e-12 * lo.abs().max(hi.abs()).max(1e-3);
        (fine(z.x) && fine(z.y) && z.check().is_ok()).then_some(z)
    }
}

/// A wheel event's vertical delta in pixels: `delta_mode` 1 counts lines, 2 pages of
/// `page_pixels`, anything else pixels already.
pub fn wheel_pixels(delta_y: f64, delta_mode: u32, page_pixels: f64) -> f64 {
    match delta_mode {
        1 => delta_y * WHEEL_LINE_PIXELS,
        2 => delta_y * page_pixels,
        _ => delta_y,
    }
}

/// The zoom factor of a wheel turn of `pixels` (down zooms out), at most e² either way so
/// one flick of a free-spinning wheel cannot jump out of the data.
pub fn wheel_zoom_factor(pixels: f64) -> f64 {
    (pixels * WHEEL_ZOOM_PER_PIXEL).clamp(-2.0, 2.0).exp()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const AREA: PlotArea = PlotArea {
        left: 60.0,
        top: 16.0,
        width: 724.0,
        height: 464.0,
    };

    fn window() -> impl Strategy<Value = ViewWindow> {
        (-1e3..1e3f64, 1e-2..1e3f64, -1e3..1e3f64, 1e-2..1e3f64).prop_map(|(x, w, y, h)| {
            ViewWindow {
                x: (x, x + w),
                y: (y, y + h),
            }
        })
    }

    fn close(a: f64, b: f64, scale: f64) -> bool {
        (a - b).abs() <= 1e-9 * scale.max(1.0)
    }

    proptest! {
        /// Zooming about a point keeps that point under the same pixel.
        #[test]
        fn zooming_about_a_point_keeps_it_fixed(
            w in window(),
            factor in 0.1..10.0f64,
            fx in 0.0..1.0f64,
            fy in 0.0..1.0f64,
        ) {
            let p = AREA.data_at(&w, AREA.left + fx * AREA.width, AREA.top + fy * AREA.height);
            let z = w.zoomed(factor, p).expect("a modest zoom stays valid");
            let (before, after) = (AREA.pixel_of(&w, p), AREA.pixel_of(&z, p));
            // To a thousandth of a pixel.
            prop_assert!((before.0 - after.0).abs() < 1e-3, "{before:?} {after:?}");
            prop_assert!((before.1 - after.1).abs() < 1e-3, "{before:?} {after:?}");
            prop_assert!(close(z.x.1 - z.x.0, (w.x.1 - w.x.0) * factor, 1e3));
        }

        /// A drag moves the content with the pointer: the point under the press is under
        /// the release, and dragging back returns the window.
        #[test]
        fn panning_moves_the_content_with_the_pointer(
            w in window(),
            dx in -500.0..500.0f64,
            dy in -500.0..500.0f64,
        ) {
            let (cx, cy) = (AREA.left + 100.0, AREA.top + 50.0);
            let p = AREA.panned(&w, dx, dy).expect("a drag stays valid");
            let (a, b) = (AREA.data_at(&w, cx, cy), AREA.data_at(&p, cx + dx, cy + dy));
            prop_assert!(close(a.0, b.0, 1e3) && close(a.1, b.1, 1e3), "{a:?} {b:?}");
            let back = AREA.panned(&p, -dx, -dy).unwrap();
            prop_assert!(close(back.x.0, w.x.0, 1e3) && close(back.y.1, w.y.1, 1e3), "{back:?} {w:?}");
        }

        /// A pinch keeps the data under each finger under that finger, wherever the
        /// fingers move (a spread and a shift without rotation), and two fingers moved
        /// together pan as one would.
        #[test]
        fn a_pinch_keeps_the_data_under_the_fingers(
            w in window(),
            a in (0.0..1.0f64, 0.0..1.0f64),
            b in (0.0..1.0f64, 0.0..1.0f64),
            scale in 0.3..3.0f64,
            shift in (-200.0..200.0f64, -200.0..200.0f64),
        ) {
            let px = |(fx, fy): (f64, f64)| (AREA.left + fx * AREA.width, AREA.top + fy * AREA.height);
            let from = [px(a), px(b)];
            let spread = (from[0].0 - from[1].0).hypot(from[0].1 - from[1].1);
            // Both spreads must be measurable, or the gesture is rightly refused.
            prop_assume!(spread.min(spread * scale) >= 2.0 * PINCH_MIN_SPREAD);
            let mid = ((from[0].0 + from[1].0) / 2.0, (from[0].1 + from[1].1) / 2.0);
            let moved = |p: (f64, f64)| (
                mid.0 + (p.0 - mid.0) * scale + shift.0,
                mid.1 + (p.1 - mid.1) * scale + shift.1,
            );
            let to = [moved(from[0]), moved(from[1])];
            let p = AREA.pinched(&w, from, to).expect("a modest pinch stays valid");
            for (f, t) in from.iter().zip(&to) {
                let (before, after) = (AREA.data_at(&w, f.0, f.1), AREA.data_at(&p, t.0, t.1));
                prop_assert!(close(before.0, after.0, 1e4) && close(before.1, after.1, 1e4), "{before:?} {after:?}");
            }
            prop_assert!(close((p.x.1 - p.x.0) * scale, w.x.1 - w.x.0, 1e4));
        }

        /// The previous picture of a window lands exactly on that window's pixels.
        #[test]
        fn the_previous_picture_lands_on_its_window(own in window(), target in window()) {
            let at = AREA.placement(&own, &target);
            let top_left = AREA.pixel_of(&target, (own.x.0, own.y.1));
            let bottom_right = AREA.pixel_of(&target, (own.x.1, own.y.0));
            let scale = [at.x, at.y, at.width, at.height, AREA.width]
                .into_iter()
                .fold(0.0, |m, v| v.abs().max(m));
            prop_assert!(close(at.x, top_left.0, scale) && close(at.y, top_left.1, scale));
            prop_assert!(close(at.x + at.width, bottom_right.0, scale));
            prop_assert!(close(at.y + at.height, bottom_right.1, scale));
        }
    }

    #[test]
    fn pixels_and_data_points_invert_each_other() {
        let w = ViewWindow {
            x: (-2.0, 6.0),
            y: (10.0, 14.0),
        };
        assert_eq!(AREA.data_at(&w, AREA.left, AREA.top), (-2.0, 14.0));
        assert_eq!(
            AREA.data_at(&w, AREA.left + AREA.width, AREA.top + AREA.height),
            (6.0, 10.0)
        );
        assert_eq!(AREA.pixel_of(&w, (2.0, 12.0)), (60.0 + 362.0, 16.0 + 232.0));
        assert_eq!(
            AREA.placement(&w, &w),
            Placement {
                x: AREA.left,
                y: AREA.top,
                width: AREA.width,
                height: AREA.height
            }
        );
    }

    #[test]
    fn zoom_and_pan_refuse_windows_a_picture_cannot_show() {
        let w = ViewWindow {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
        };
        assert!(w.zoomed(1e-13, w.centre()).is_none());
        assert!(w.zoomed(1e16, w.centre()).is_none());
        assert!(AREA.panned(&w, 1e18, 0.0).is_none());
        assert!(w.contains([0.0, 1.0]) && !w.contains([1.5, 0.5]));
    }

    #[test]
    fn fingers_too_close_together_set_no_zoom() {
        let w = ViewWindow {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
        };
        let (a, b) = ((100.0, 100.0), (100.0 + PINCH_MIN_SPREAD / 2.0, 100.0));
        assert!(AREA.pinched(&w, [a, b], [a, (300.0, 100.0)]).is_none());
        assert!(AREA.pinched(&w, [a, (300.0, 100.0)], [a, b]).is_none());
        let same = AREA.pinched(&w, [a, (300.0, 100.0)], [a, (300.0, 100.0)]);
        assert!(same.is_some_and(|s| s.same_as(&w)));
    }

    #[test]
    fn wheel_turns_become_bounded_zoom_factors() {
        assert_eq!(wheel_pixels(3.0, 1, 464.0), 48.0);
        assert_eq!(wheel_pixels(1.0, 2, 464.0), 464.0);
        assert_eq!(wheel_pixels(-120.0, 0, 464.0), -120.0);
        assert!((wheel_zoom_factor(100.0) - 0.2f64.exp()).abs() < 1e-12);
        assert!((wheel_zoom_factor(-100.0) * wheel_zoom_factor(100.0) - 1.0).abs() < 1e-12);
        assert_eq!(wheel_zoom_factor(1e6), 2.0f64.exp());
        assert_eq!(wheel_zoom_factor(0.0), 1.0);
    }
}
