//! The plot's legend: plotters' series-label box, drawn by the page so that its labels are
//! measured through the plot's backend ([`MeasuredCanvas`]) — plotters measures series
//! labels with its web font module, which forces a layout of the whole page per label.

use plotters::prelude::*;
use plotters_backend::BackendCoord;

use super::measured_canvas::MeasuredCanvas;

/// What drawing on the plot's canvas can fail with.
pub type Failed = DrawingAreaErrorKind<<MeasuredCanvas as DrawingBackend>::ErrorType>;

/// A legend line: its label, and what draws its marker centred on a point.
pub type LegendEntry<'a> = (&'a str, &'a dyn Fn(BackendCoord) -> Result<(), Failed>);

/// The legend box in the plot area's upper right corner: one line per entry, its marker
/// drawn by the entry's function at the line's left end. The layout is plotters' series
/// labels' (`configure_series_labels` at `UpperRight`: lines 1.25 font sizes apart, a
/// 10 px margin, 30 px for the markers, 5 px from the corner), but the labels are measured
/// through the backend: plotters measures series labels with its web font module, which
/// forces a layout of the page per label. The box may come out a pixel wider or narrower,
/// as the canvas and the page round a text's width differently.
pub fn draw_legend(
    area: &DrawingArea<MeasuredCanvas, plotters::coord::Shift>,
    entries: &[LegendEntry],
    font: &TextStyle,
    background: RGBAColor,
    border: RGBColor,
) -> Result<(), Failed> {
    const MARGIN: i32 = 10;
    const MARKERS: i32 = 30;
    const CORNER: i32 = 5;
    const LINE_HEIGHT: f64 = 1.25;
    // Each line's offset from the first, and its text's size.
    let lines: Vec<(i32, (u32, u32))> = entries
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let y = (i as f64 * font.font.get_size() * LINE_HEIGHT).round() as i32;
            Ok((y, area.estimate_text_size(label, font)?))
        })
        .collect::<Result<_, Failed>>()?;
    let text_w = lines.iter().map(|(_, (w, _))| *w as i32).max().unwrap_or(0);
    let text_h = lines
        .iter()
        .map(|(y, (_, h))| y + *h as i32)
        .max()
        .unwrap_or(0);
    let (w, h) = (text_w + MARKERS + 2 * MARGIN, text_h + 2 * MARGIN);
    let (area_w, _) = area.dim_in_pixel();
    let (x0, y0) = (area_w as i32 - w - CORNER, CORNER);
    let frame = [(x0, y0), (x0 + w, y0 + h)];
    area.draw(&Rectangle::new(frame, background.filled()))?;
    area.draw(&Rectangle::new(frame, border))?;
    for ((label, marker), (y, (_, line_h))) in entries.iter().zip(&lines) {
        let top = y0 + MARGIN + y;
        area.draw_text(label, font, (x0 + MARKERS + MARGIN, top))?;
        marker((x0 + MARGIN, (2 * top + *line_h as i32) / 2))?;
    }
    Ok(())
}
