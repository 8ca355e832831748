//! The main canvas: the Rust-rasterised points blitted into the plot area, with axes,
//! true centres, seeded centres and fitted centroids drawn over them by plotters.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use super::state::{Shown, Theme};
use crate::pipeline::raster::colour;

/// Canvas size in CSS pixels.
pub const CANVAS_WIDTH: u32 = 800;
/// Canvas height in CSS pixels.
pub const CANVAS_HEIGHT: u32 = 520;
const LEFT: u32 = 60;
const RIGHT: u32 = 16;
const TOP: u32 = 16;
const BOTTOM: u32 = 40;
/// Width of the plot area the points are rasterised for.
pub const PLOT_WIDTH: u32 = CANVAS_WIDTH - LEFT - RIGHT;
/// Height of the plot area the points are rasterised for.
pub const PLOT_HEIGHT: u32 = CANVAS_HEIGHT - TOP - BOTTOM;

/// Draws `shown` on `canvas` in `theme`.
pub fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    shown: &Shown,
    theme: Theme,
) -> Result<(), String> {
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("the browser gave no 2-D canvas context")?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let Some(view) = &shown.outcome.meta.summary.view else {
        return Ok(());
    };
    let vp = view.viewport;
    let pixels = &shown.outcome.pixels;
    if pixels.len() == (vp.width * vp.height * 4) as usize {
        // Copy out of wasm memory: ImageData refuses views of the threaded build's shared buffer.
        let bytes = js_sys::Uint8ClampedArray::new_with_length(pixels.len() as u32);
        bytes.copy_from(pixels);
        let image =
            web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&bytes, vp.width, vp.height)
                .map_err(|e| format!("could not build the image: {e:?}"))?;
        ctx.put_image_data(&image, LEFT as f64, TOP as f64)
            .map_err(|e| format!("could not draw the image: {e:?}"))?;
    }

    let (fg, mark, legend_bg) = match theme {
        Theme::Light => (RGBColor(60, 64, 72), BLACK, WHITE.mix(0.85)),
        Theme::Dark => (
            RGBColor(200, 205, 214),
            WHITE,
            RGBColor(28, 31, 38).mix(0.85),
        ),
    };
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| format!("drawing failed: {e}");
    let mut chart = ChartBuilder::on(&root)
        .margin_top(TOP)
        .margin_right(RIGHT)
        .x_label_area_size(BOTTOM)
        .y_label_area_size(LEFT)
        .build_cartesian_2d(vp.x.0..vp.x.1, vp.y.0..vp.y.1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(fg)
        .label_style(("sans-serif", 12).into_font().color(&fg))
        .x_desc(format!("feature {}", view.feature_x))
        .y_desc(format!("feature {}", view.feature_y))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            view.true_centres
                .iter()
                .map(|c| Cross::new((c[0], c[1]), 6, ShapeStyle::from(&mark).stroke_width(2))),
        )
        .map_err(err)?
        .label("true centres")
        .legend(move |(x, y)| Cross::new((x, y), 5, ShapeStyle::from(&mark).stroke_width(2)));
    chart
        .draw_series(
            view.initial_centres
                .iter()
                .map(|c| Circle::new((c[0], c[1]), 4, ShapeStyle::from(&mark).stroke_width(1))),
        )
        .map_err(err)?
        .label("seeded centres")
        .legend(move |(x, y)| Circle::new((x, y), 4, ShapeStyle::from(&mark).stroke_width(1)));
    chart
        .draw_series(view.fitted_centres.iter().enumerate().flat_map(|(i, c)| {
            let [r, g, b] = colour(i as u32);
            [
                Circle::new(
                    (c[0], c[1]),
                    7,
                    ShapeStyle::from(&RGBColor(r, g, b)).filled(),
                ),
                Circle::new((c[0], c[1]), 7, ShapeStyle::from(&mark).stroke_width(2)),
            ]
        }))
        .map_err(err)?
        .label("fitted centroids")
        .legend(move |(x, y)| Circle::new((x, y), 5, ShapeStyle::from(&mark).stroke_width(2)));
    chart
        .configure_series_labels()
        .background_style(legend_bg)
        .border_style(fg)
        .label_font(("sans-serif", 12).into_font().color(&fg))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}
