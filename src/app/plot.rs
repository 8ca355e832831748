//! The main canvas: the Rust-rasterised points blitted into the plot area, with axes,
//! true centres, seeded centres and fitted centroids drawn over them by plotters — and
//! zoom and pan.
//!
//! Wheel zooms around the cursor, drag pans, double-click (or `#view-reset`, or `0`)
//! returns to the data's bounds; `+`/`−`/arrows do the same from the keyboard. A gesture
//! changes the scenario's `view` input, so the engine re-renders only the `render` node
//! at the new window (cost independent of the canvas, dataset and fit reused). Until that
//! raster arrives, the previous image is scaled and translated onto the new window with
//! `drawImage` (the immediate feedback of map viewers such as Leaflet), then the exact one
//! replaces it. Requests are throttled here and the latest-wins runner drops intermediates.
//! The window arithmetic — the point under the cursor, zoom about it, pan, where the
//! previous picture lands — is the core's ([`crate::pipeline::display::navigation`]).

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;
use plotters::prelude::*;
use wasm_bindgen::JsCast;

use super::legend::{LegendEntry, draw_legend};
use super::measured_canvas::MeasuredCanvas;
use super::state::{AppState, RunState, Shown, Theme};
use crate::pipeline::display::navigation::{PlotArea, wheel_pixels, wheel_zoom_factor};
use crate::pipeline::render::raster::{ViewWindow, colour};
use crate::pipeline::replay::frame::ReplayFrame;
use crate::pipeline::replay::timeline::StepKind;
use crate::web::environment::now_ms;
use plotters::coord::types::RangedCoordf64;

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
/// Where the raster sits on the canvas.
const AREA: PlotArea = PlotArea {
    left: LEFT as f64,
    top: TOP as f64,
    width: PLOT_WIDTH as f64,
    height: PLOT_HEIGHT as f64,
};

/// Zoom factor of one `+`/`−` key press.
const KEY_ZOOM: f64 = 1.25;
/// Fraction of the window an arrow key pans.
const KEY_PAN: f64 = 0.1;
/// Fewest milliseconds between two view requests during a gesture.
const REQUEST_INTERVAL_MS: f64 = 50.0;

thread_local! {
    // The last raster drawn through an offscreen canvas, by outcome: drawImage needs an
    // image source, and rebuilding it on every preview frame would copy the pixels again.
    static SOURCE: RefCell<Option<(usize, u64, web_sys::HtmlCanvasElement)>> =
        const { RefCell::new(None) };
    // The data's bounds of the last unzoomed result, with what they were bounds of (row
    // count and axis titles): the target a reset previews before its raster arrives.
    static HOME: RefCell<Option<(usize, String, String, ViewWindow)>> = const { RefCell::new(None) };
}

fn image_data(shown: &Shown) -> Result<Option<web_sys::ImageData>, String> {
    let Some(view) = &shown.outcome.meta.summary.view else {
        return Ok(None);
    };
    let vp = view.viewport;
    let pixels = &shown.outcome.pixels;
    if pixels.len() != (vp.width * vp.height * 4) as usize {
        return Ok(None);
    }
    // Copy out of wasm memory: ImageData refuses views of the threaded build's shared buffer.
    let bytes = js_sys::Uint8ClampedArray::new_with_length(pixels.len() as u32);
    bytes.copy_from(pixels);
    web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&bytes, vp.width, vp.height)
        .map(Some)
        .map_err(|e| format!("could not build the image: {e:?}"))
}

/// The shown raster as an image source for `drawImage`, built once per outcome.
fn source_canvas(shown: &Shown) -> Result<Option<web_sys::HtmlCanvasElement>, String> {
    let key = (
        std::sync::Arc::as_ptr(&shown.outcome) as usize,
        shown.outcome.meta.summary.evaluation,
    );
    if let Some(c) = SOURCE.with_borrow(|s| {
        s.as_ref()
            .filter(|(p, e, _)| (*p, *e) == key)
            .map(|(_, _, c)| c.clone())
    }) {
        return Ok(Some(c));
    }
    let Some(image) = image_data(shown)? else {
        return Ok(None);
    };
    let c = document()
        .create_element("canvas")
        .map_err(|e| format!("could not create a canvas: {e:?}"))?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .map_err(|_| "not a canvas".to_string())?;
    c.set_width(image.width());
    c.set_height(image.height());
    context(&c)?
        .put_image_data(&image, 0.0, 0.0)
        .map_err(|e| format!("could not draw the image: {e:?}"))?;
    SOURCE.with_borrow_mut(|s| *s = Some((key.0, key.1, c.clone())));
    Ok(Some(c))
}

fn context(
    canvas: &web_sys::HtmlCanvasElement,
) -> Result<web_sys::CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "the browser gave no 2-D canvas context".to_string())
}

/// The data window of the shown raster.
fn shown_window(shown: &Shown) -> Option<ViewWindow> {
    shown
        .outcome
        .meta
        .summary
        .view
        .as_ref()
        .map(|v| ViewWindow {
            x: v.viewport.x,
            y: v.viewport.y,
        })
}

/// Draws `shown` on `canvas` in `theme`.
pub fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    shown: &Shown,
    theme: Theme,
) -> Result<(), String> {
    draw_at(canvas, shown, theme, None, true)
}

/// Draws `shown` on `canvas` in `theme` with axes and overlays for the data window
/// `target`; when that is not the window of the shown raster, the raster is scaled and
/// translated onto it (a preview until the exact raster arrives). Without `overlays` only
/// the points and the axes are drawn.
pub fn draw_at(
    canvas: &web_sys::HtmlCanvasElement,
    shown: &Shown,
    theme: Theme,
    target: Option<ViewWindow>,
    overlays: bool,
) -> Result<(), String> {
    let ctx = context(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let Some(view) = &shown.outcome.meta.summary.view else {
        return Ok(());
    };
    let own = shown_window(shown).expect("a view has a window");
    let target = target.unwrap_or(own);
    if target.same_as(&own) {
        if let Some(image) = image_data(shown)? {
            ctx.put_image_data(&image, LEFT as f64, TOP as f64)
                .map_err(|e| format!("could not draw the image: {e:?}"))?;
        }
    } else if let Some(source) = source_canvas(shown)? {
        let at = AREA.placement(&own, &target);
        ctx.save();
        ctx.begin_path();
        ctx.rect(AREA.left, AREA.top, AREA.width, AREA.height);
        ctx.clip();
        ctx.set_image_smoothing_enabled(false);
        let drawn = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &source, at.x, at.y, at.width, at.height,
        );
        ctx.restore();
        drawn.map_err(|e| format!("could not draw the preview: {e:?}"))?;
    }
    let vp = target;
    let inside = |c: &&[f64; 2]| vp.contains(**c);
    let x_desc = if view.x_label.is_empty() {
        format!("feature {}", view.feature_x)
    } else {
        view.x_label.clone()
    };
    let y_desc = if view.y_label.is_empty() {
        format!("feature {}", view.feature_y)
    } else {
        view.y_label.clone()
    };

    let (fg, mark, legend_bg) = match theme {
        Theme::Light => (RGBColor(60, 64, 72), BLACK, WHITE.mix(0.85)),
        Theme::Dark => (
            RGBColor(200, 205, 214),
            WHITE,
            RGBColor(28, 31, 38).mix(0.85),
        ),
    };
    let backend = MeasuredCanvas::new(canvas).ok_or("no canvas backend")?;
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
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()
        .map_err(err)?;
    if let Some(frame) = &view.replay {
        draw_replay(&mut chart, frame, &vp, mark).map_err(err)?;
        return root.present().map_err(err);
    }
    if !overlays {
        return root.present().map_err(err);
    }
    chart
        .draw_series(
            view.true_centres
                .iter()
                .filter(inside)
                .map(|c| Cross::new((c[0], c[1]), 6, ShapeStyle::from(&mark).stroke_width(2))),
        )
        .map_err(err)?;
    chart
        .draw_series(
            view.initial_centres
                .iter()
                .filter(inside)
                .map(|c| Circle::new((c[0], c[1]), 4, ShapeStyle::from(&mark).stroke_width(1))),
        )
        .map_err(err)?;
    chart
        .draw_series(centroid_discs(&view.fitted_centres, &vp, mark))
        .map_err(err)?;
    let area = chart.plotting_area().strip_coord_spec();
    let font = ("sans-serif", 12).into_font().color(&fg);
    let entries: [LegendEntry; 3] = [
        ("true centres", &|(x, y)| {
            area.draw(&Cross::new(
                (x, y),
                5,
                ShapeStyle::from(&mark).stroke_width(2),
            ))
        }),
        ("seeded centres", &|(x, y)| {
            area.draw(&Circle::new(
                (x, y),
                4,
                ShapeStyle::from(&mark).stroke_width(1),
            ))
        }),
        ("fitted centroids", &|(x, y)| {
            area.draw(&Circle::new(
                (x, y),
                5,
                ShapeStyle::from(&mark).stroke_width(2),
            ))
        }),
    ];
    draw_legend(&area, &entries, &font, legend_bg, fg).map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// A replay step over its points: the seeding's candidates so far as discs sized by their
/// weight (this round's solid, earlier ones hollow), or the step's centroids in their
/// clusters' colours with trails through their last positions.
fn draw_replay<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    frame: &ReplayFrame,
    vp: &ViewWindow,
    mark: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let inside = |c: &[f64; 2]| vp.contains(*c);
    let this_round = match frame.kind {
        StepKind::Seeding { round } => Some(round as u32),
        StepKind::Lloyd { .. } => None,
    };
    chart.draw_series(frame.candidates.iter().filter(|c| inside(&c.at)).map(|c| {
        let radius = 3.0 + 7.0 * c.weight.unwrap_or(0.25).sqrt();
        let style = if Some(c.round) == this_round {
            ShapeStyle::from(&mark.mix(0.85)).filled()
        } else {
            ShapeStyle::from(&mark.mix(0.6)).stroke_width(1)
        };
        Circle::new((c.at[0], c.at[1]), radius.round() as i32, style)
    }))?;
    for (i, trail) in frame.trails.iter().enumerate() {
        let Some(now) = frame.centres.get(i) else {
            continue;
        };
        let [r, g, b] = colour(i as u32);
        let points: Vec<(f64, f64)> = trail
            .iter()
            .chain(std::iter::once(now))
            .map(|p| (p[0], p[1]))
            .collect();
        chart.draw_series(std::iter::once(PathElement::new(
            points.clone(),
            ShapeStyle::from(&mark).stroke_width(3),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            points,
            ShapeStyle::from(&RGBColor(r, g, b)).stroke_width(2),
        )))?;
    }
    chart.draw_series(centroid_discs(&frame.centres, vp, mark))?;
    Ok(())
}

/// Each centroid inside `vp` as a disc of its cluster's colour ringed in `mark`.
fn centroid_discs<'a>(
    centres: &'a [[f64; 2]],
    vp: &'a ViewWindow,
    mark: RGBColor,
) -> impl Iterator<Item = Circle<(f64, f64), i32>> + 'a {
    centres
        .iter()
        .enumerate()
        .filter(|(_, c)| vp.contains(**c))
        .flat_map(move |(i, c)| {
            let [r, g, b] = colour(i as u32);
            [
                Circle::new(
                    (c[0], c[1]),
                    7,
                    ShapeStyle::from(&RGBColor(r, g, b)).filled(),
                ),
                Circle::new((c[0], c[1]), 7, ShapeStyle::from(&mark).stroke_width(2)),
            ]
        })
}

/// Canvas pixels per CSS pixel (the canvas is scaled down by CSS on narrow screens).
fn css_scale(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let client = canvas.client_width();
    if client > 0 {
        canvas.width() as f64 / client as f64
    } else {
        1.0
    }
}

/// Sends view changes to the scenario at most every [`REQUEST_INTERVAL_MS`], always ending
/// on the last one (leading and trailing edges).
#[derive(Clone, Copy)]
struct Throttle {
    last_ms: StoredValue<f64>,
    scheduled: StoredValue<bool>,
    pending: StoredValue<Option<Option<ViewWindow>>>,
    preview: RwSignal<Option<ViewWindow>>,
    state: AppState,
}

impl Throttle {
    fn request(self, w: Option<ViewWindow>) {
        self.pending.set_value(Some(w));
        if self.scheduled.get_value() {
            return;
        }
        let wait = self.last_ms.get_value() + REQUEST_INTERVAL_MS - now_ms();
        if wait <= 0.0 {
            self.flush();
        } else {
            self.scheduled.set_value(true);
            set_timeout(
                move || {
                    self.scheduled.set_value(false);
                    self.flush();
                },
                Duration::from_millis(wait.ceil() as u64),
            );
        }
    }

    fn flush(self) {
        let Some(w) = self.pending.try_update_value(Option::take).flatten() else {
            return;
        };
        self.last_ms.set_value(now_ms());
        if self.state.inputs.with_untracked(|i| i.view != w) {
            self.state.inputs.update(|i| i.view = w);
        }
        self.preview.set(None);
    }
}

/// The main canvas with its zoom and pan handlers and the reset button.
#[component]
pub fn PlotCanvas() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // The window a gesture is heading for, before its request is sent.
    let preview = RwSignal::new(None::<ViewWindow>);
    let requested = Memo::new(move |_| state.inputs.with(|i| i.view));
    let throttle = Throttle {
        last_ms: StoredValue::new(f64::NEG_INFINITY),
        scheduled: StoredValue::new(false),
        pending: StoredValue::new(None),
        preview,
        state,
    };
    // Drag start: pointer position (canvas px) and the window then.
    let drag = StoredValue::new(None::<(f64, f64, ViewWindow)>);
    // The pointers down on the canvas (id, canvas px), and a two-finger gesture's start:
    // both fingers then and the window then.
    let pointers = StoredValue::new(Vec::<(i32, (f64, f64))>::new());
    let pinch = StoredValue::new(None::<([(f64, f64); 2], ViewWindow)>);

    // The window shown now: the gesture's, else the requested one, else the raster's own.
    let current = move || -> Option<ViewWindow> {
        preview
            .get_untracked()
            .or_else(|| requested.get_untracked())
            .or_else(|| {
                state
                    .picture
                    .with_untracked(|s| s.as_ref().and_then(shown_window))
            })
    };
    let home_of = move |shown: &Shown| {
        let v = shown.outcome.meta.summary.view.as_ref()?;
        let n = shown.outcome.meta.summary.dataset.n_samples;
        HOME.with_borrow(|h| {
            h.as_ref()
                .filter(|(hn, xl, yl, _)| *hn == n && *xl == v.x_label && *yl == v.y_label)
                .map(|h| h.3)
        })
    };

    Effect::new(move |_| {
        let theme = state.theme.get();
        let overlays = state.overlays.get();
        let target = preview.get().or_else(|| requested.get());
        state.picture.with(|shown| {
            let (Some(s), Some(c)) = (shown, canvas.get()) else {
                return;
            };
            // A reset shows the data's bounds at once when they are known.
            let zoomed = s
                .outcome
                .meta
                .summary
                .view
                .as_ref()
                .is_some_and(|v| v.zoomed);
            let target = target.or_else(|| home_of(s).filter(|_| zoomed));
            if let Err(e) = draw_at(&c, s, theme, target, overlays) {
                state.set_run(RunState::Failed(e));
            }
            // Only the main canvas's own unzoomed results define home (the comparison's
            // canvases draw other scenarios).
            if let (Some(v), Some(w)) = (s.outcome.meta.summary.view.as_ref(), shown_window(s))
                && !v.zoomed
            {
                let n = s.outcome.meta.summary.dataset.n_samples;
                HOME.with_borrow_mut(|h| *h = Some((n, v.x_label.clone(), v.y_label.clone(), w)));
            }
        });
    });

    let zoom_by = move |factor: f64, at: Option<(f64, f64)>| {
        let Some(w) = current() else { return };
        let p = at.unwrap_or_else(|| w.centre());
        if let Some(z) = w.zoomed(factor, p) {
            preview.set(Some(z));
            throttle.request(Some(z));
        }
    };
    let pan_by = move |dx: f64, dy: f64, from: Option<ViewWindow>| {
        let Some(w) = from.or_else(current) else {
            return;
        };
        if let Some(p) = AREA.panned(&w, dx, dy) {
            preview.set(Some(p));
            throttle.request(Some(p));
        }
    };
    let reset = move || {
        drag.set_value(None);
        throttle.pending.set_value(None);
        preview.set(None);
        if requested.get_untracked().is_some() {
            state.inputs.update(|i| i.view = None);
        }
    };
    // A finger or the mouse lifted: a pinch left with one finger carries on as a drag from
    // where the window is now; the last one lifted sends the window at once.
    let lift = move |id: i32| {
        pointers.update_value(|p| p.retain(|(q, _)| *q != id));
        let left = pointers.with_value(|p| p.first().map(|(_, xy)| *xy));
        let was_pinch = pinch.try_update_value(Option::take).flatten().is_some();
        let was_drag = drag.try_update_value(Option::take).flatten().is_some();
        match left {
            Some((x, y)) if was_pinch => {
                if let Some(w) = current() {
                    drag.set_value(Some((x, y, w)));
                }
            }
            Some(_) => {}
            None if was_pinch || was_drag => throttle.flush(),
            None => {}
        }
    };
    let position = move |ev: &web_sys::MouseEvent| {
        let s = canvas.get_untracked().map_or(1.0, |c| css_scale(&c));
        (ev.offset_x() as f64 * s, ev.offset_y() as f64 * s)
    };

    view! {
        <canvas id="plot" node_ref=canvas tabindex="0"
            width=CANVAS_WIDTH.to_string() height=CANVAS_HEIGHT.to_string()
            aria-label="Points coloured by cluster. Wheel, pinch or + and − zoom, drag or arrow keys pan, double-click or 0 resets."
            data-zoomed=move || requested.get().is_some().to_string()
            on:wheel=move |ev: web_sys::WheelEvent| {
                ev.prevent_default();
                let pixels = wheel_pixels(ev.delta_y(), ev.delta_mode(), AREA.height);
                let (cx, cy) = position(&ev);
                let at = current().map(|w| AREA.data_at(&w, cx, cy));
                zoom_by(wheel_zoom_factor(pixels), at);
            }
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                if ev.button() != 0 {
                    return;
                }
                let (Some(c), Some(w)) = (canvas.get_untracked(), current()) else { return };
                let _ = c.set_pointer_capture(ev.pointer_id());
                let at = position(&ev);
                pointers.update_value(|p| {
                    p.retain(|(id, _)| *id != ev.pointer_id());
                    p.push((ev.pointer_id(), at));
                });
                match pointers.with_value(|p| p.iter().map(|(_, xy)| *xy).collect::<Vec<_>>()).as_slice() {
                    [only] => drag.set_value(Some((only.0, only.1, w))),
                    [a, b, ..] => {
                        // A second finger: the drag becomes a pinch from here.
                        drag.set_value(None);
                        pinch.set_value(Some(([*a, *b], w)));
                    }
                    [] => {}
                }
            }
            on:pointermove=move |ev: web_sys::PointerEvent| {
                let at = position(&ev);
                pointers.update_value(|p| {
                    if let Some(q) = p.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
                        q.1 = at;
                    }
                });
                if let Some((from, w)) = pinch.get_value() {
                    let now = pointers.with_value(|p| (p.len() >= 2).then(|| [p[0].1, p[1].1]));
                    if let Some(z) = now.and_then(|to| AREA.pinched(&w, from, to)) {
                        preview.set(Some(z));
                        throttle.request(Some(z));
                    }
                } else if let Some((x0, y0, w)) = drag.get_value() {
                    let (x, y) = at;
                    if (x - x0).abs() + (y - y0).abs() >= 1.0 {
                        pan_by(x - x0, y - y0, Some(w));
                    }
                }
            }
            on:pointerup=move |ev: web_sys::PointerEvent| lift(ev.pointer_id())
            on:pointercancel=move |ev: web_sys::PointerEvent| lift(ev.pointer_id())
            on:dblclick=move |ev| { ev.prevent_default(); reset() }
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                let step_x = PLOT_WIDTH as f64 * KEY_PAN;
                let step_y = PLOT_HEIGHT as f64 * KEY_PAN;
                match ev.key().as_str() {
                    "+" | "=" => zoom_by(1.0 / KEY_ZOOM, None),
                    "-" | "_" | "\u{2212}" => zoom_by(KEY_ZOOM, None),
                    // Arrows move the view over the data (the content moves the other way).
                    "ArrowLeft" => pan_by(step_x, 0.0, None),
                    "ArrowRight" => pan_by(-step_x, 0.0, None),
                    "ArrowUp" => pan_by(0.0, step_y, None),
                    "ArrowDown" => pan_by(0.0, -step_y, None),
                    "0" | "Home" => reset(),
                    _ => return,
                }
                ev.prevent_default();
            }
        ></canvas>
        <p id="plot-axes" class="muted">
            {move || state.shown.with(|s| s.as_ref().and_then(|s| s.outcome.meta.summary.view.as_ref()).map(|v| {
                format!("x: {} · y: {}{}", v.x_label, v.y_label, if v.zoomed { " · zoomed" } else { "" })
            }))}
        </p>
        <div class="plot-tools">
            <button id="zoom-in" type="button" class="zoom" aria-label="Zoom in" aria-controls="plot"
                on:click=move |_| zoom_by(1.0 / KEY_ZOOM, None)>"+"</button>
            <button id="zoom-out" type="button" class="zoom" aria-label="Zoom out" aria-controls="plot"
                on:click=move |_| zoom_by(KEY_ZOOM, None)>"−"</button>
            <button id="view-reset" type="button" disabled=move || requested.get().is_none() && preview.get().is_none()
                on:click=move |_| reset()>"Reset view"</button>
            <span class="muted">"Wheel, pinch or +/− to zoom, drag (one or two fingers) or arrows to pan, double-click or 0 to reset."</span>
        </div>
    }
}
