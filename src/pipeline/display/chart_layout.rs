//! Where the marks of the page's small SVG charts go: the decks' curves, bars and
//! histograms and the sweep's criterion curves. The page only formats these numbers into
//! attributes.
//!
//! SVG's y grows downwards, so a larger value sits higher: nearer the top margin.

/// A linear map from a data interval onto a pixel interval. A data interval of zero width
/// (or an inverted one) maps as if it were one unit wide, so a flat series draws as a line
/// at its low end instead of dividing by zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    lo: f64,
    span: f64,
    start: f64,
    length: f64,
}

impl LinearScale {
    /// Maps `lo ..= hi` onto `start ..= end`.
    pub fn new((lo, hi): (f64, f64), (start, end): (f64, f64)) -> Self {
        Self {
            lo,
            span: if hi > lo { hi - lo } else { 1.0 },
            start,
            length: end - start,
        }
    }

    /// The pixel of `v`.
    pub fn at(&self, v: f64) -> f64 {
        self.start + self.length * (v - self.lo) / self.span
    }
}

/// The smallest and largest finite value, or `(∞, −∞)` when there is none.
pub fn finite_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// A chart's box with the same margin on every side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartFrame {
    /// Width, SVG units.
    pub width: f64,
    /// Height, SVG units.
    pub height: f64,
    /// Margin on each side.
    pub pad: f64,
}

/// One bar, in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl ChartFrame {
    /// The map of a series whose x runs over `x_range` and whose values run over their
    /// own finite range, across the frame inside its margins.
    pub fn series(
        &self,
        x_range: (f64, f64),
        values: impl IntoIterator<Item = f64>,
    ) -> SeriesScale {
        SeriesScale {
            x: LinearScale::new(x_range, (self.pad, self.width - self.pad)),
            y: LinearScale::new(finite_range(values), (self.height - self.pad, self.pad)),
        }
    }

    /// The points of a curve through `values` at x = index, its non-finite values left out.
    pub fn line(&self, values: &[f64]) -> Vec<(f64, f64)> {
        let last = (values.len().max(2) - 1) as f64;
        let s = self.series((0.0, last), values.iter().copied());
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(i, &v)| s.at(i as f64, v))
            .collect()
    }

    /// Bars of `values` side by side on the bottom margin, each 80 % of its slot, the
    /// largest reaching the top margin; with the value that fills the height (never
    /// below a tiny positive number, so all-zero bars stay flat).
    pub fn bars(&self, values: &[f64]) -> (f64, Vec<Bar>) {
        let hi = values.iter().copied().fold(0.0, f64::max).max(1e-12);
        let slot = (self.width - 2.0 * self.pad) / values.len().max(1) as f64;
        let bars = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let height = (self.height - 2.0 * self.pad) * v / hi;
                Bar {
                    x: self.pad + i as f64 * slot + slot * 0.1,
                    y: self.height - self.pad - height,
                    width: slot * 0.8,
                    height,
                }
            })
            .collect();
        (hi, bars)
    }
}

/// Where a series' points go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesScale {
    x: LinearScale,
    y: LinearScale,
}

impl SeriesScale {
    /// The point of value `v` at `x`.
    pub fn at(&self, x: f64, v: f64) -> (f64, f64) {
        (self.x.at(x), self.y.at(v))
    }
}

/// One bin of a histogram as drawn: its bar and the data interval it counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistogramBar {
    /// The bar, from the baseline up.
    pub bar: Bar,
    /// The bin's left edge, in data units.
    pub left: f64,
    /// The bin's right edge, in data units.
    pub right: f64,
    /// Rows in the bin.
    pub count: u64,
}

/// The bars of the non-empty bins of equal-width `counts` over `lo ..= hi`, in a box
/// `width` wide whose baseline is `height` down; each bar 90 % of its slot, the fullest bin
/// reaching the top.
pub fn histogram_bars(
    counts: &[u64],
    (lo, hi): (f64, f64),
    width: f64,
    height: f64,
) -> Vec<HistogramBar> {
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = counts.len().max(1) as f64;
    let slot = width / n;
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, &count)| {
            let h = height * count as f64 / most;
            let left = lo + (hi - lo) * i as f64 / n;
            HistogramBar {
                bar: Bar {
                    x: i as f64 * slot,
                    y: height - h,
                    width: slot * 0.9,
                    height: h,
                },
                left,
                right: left + (hi - lo) / n,
                count,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: ChartFrame = ChartFrame {
        width: 320.0,
        height: 120.0,
        pad: 26.0,
    };

    #[test]
    fn a_line_spans_the_frame_inside_its_margins() {
        let p = FRAME.line(&[3.0, 1.0, f64::NAN, 2.0]);
        // The NaN is left out; x still counts it.
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], (26.0, 26.0));
        assert_eq!(p[1].1, 94.0);
        assert_eq!(p[2], (294.0, 60.0));
        // A flat line lies on the bottom margin; one value sits at the left.
        assert_eq!(FRAME.line(&[5.0, 5.0]), [(26.0, 94.0), (294.0, 94.0)]);
        assert_eq!(FRAME.line(&[7.0]), [(26.0, 94.0)]);
        assert!(FRAME.line(&[]).is_empty());
    }

    #[test]
    fn a_series_maps_its_own_x_range() {
        let s = FRAME.series((2.0, 12.0), [10.0, 20.0]);
        assert_eq!(s.at(2.0, 20.0), (26.0, 26.0));
        assert_eq!(s.at(12.0, 10.0), (294.0, 94.0));
        assert_eq!(s.at(7.0, 15.0), (160.0, 60.0));
        // One k: the x range has no width and maps as one unit.
        assert_eq!(FRAME.series((4.0, 4.0), [1.0]).at(4.0, 1.0), (26.0, 94.0));
    }

    #[test]
    fn the_largest_bar_fills_the_height() {
        let (hi, bars) = FRAME.bars(&[2.0, 4.0, 0.0]);
        assert_eq!(hi, 4.0);
        let slot = 268.0 / 3.0;
        assert_eq!(bars[1].height, 68.0);
        assert_eq!(bars[1].y, 26.0);
        assert_eq!(bars[0].height, 34.0);
        assert_eq!(bars[2].height, 0.0);
        assert_eq!(bars[2].y, 94.0);
        assert!((bars[1].x - (26.0 + slot * 1.1)).abs() < 1e-12);
        assert!((bars[0].width - slot * 0.8).abs() < 1e-12);
        let (hi, flat) = FRAME.bars(&[0.0, 0.0]);
        assert!(hi > 0.0 && flat.iter().all(|b| b.height == 0.0));
    }

    #[test]
    fn histogram_bins_keep_their_edges_and_skip_empty_ones() {
        let bars = histogram_bars(&[1, 0, 4, 2], (-1.0, 1.0), 160.0, 58.0);
        assert_eq!(bars.len(), 3);
        assert_eq!((bars[0].left, bars[0].right), (-1.0, -0.5));
        assert_eq!((bars[1].left, bars[1].right), (0.0, 0.5));
        assert_eq!(bars[1].bar.height, 58.0);
        assert_eq!(bars[1].bar.y, 0.0);
        assert_eq!(bars[1].bar.x, 80.0);
        assert_eq!(bars[1].bar.width, 36.0);
        assert_eq!(bars[2].bar.height, 29.0);
        assert_eq!(bars[2].count, 2);
        assert!(histogram_bars(&[0, 0], (0.0, 1.0), 160.0, 58.0).is_empty());
    }

    #[test]
    fn finite_range_ignores_what_cannot_be_drawn() {
        assert_eq!(
            finite_range([2.0, f64::NAN, -1.0, f64::INFINITY]),
            (-1.0, 2.0)
        );
        assert_eq!(finite_range([]), (f64::INFINITY, f64::NEG_INFINITY));
    }
}
