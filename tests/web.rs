//! In-browser tests of the threaded build (wasm-bindgen-test in headless Chromium): the
//! Web Worker pool starts and shares work, and the browser generates bit-for-bit the same
//! dataset as the native build.
#![cfg(target_arch = "wasm32")]

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use blobscale::pipeline::{Delivery, ScenarioInputs};
use blobscale::web::{WebError, compute};
use common::{digest, pinned_digest, pinned_params};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn pool() -> usize {
    thread_local!(static STARTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
    if STARTED.get() == 0 {
        STARTED.set(blobscale::web::pool::start(2).await.expect("pool starts"));
    }
    STARTED.get()
}

fn scenario(n_samples: usize, k: usize) -> ScenarioInputs {
    ScenarioInputs {
        n_samples,
        k,
        chunk_rows: 8_192,
        width: 200,
        height: 100,
        ..ScenarioInputs::default()
    }
}

#[wasm_bindgen_test]
async fn worker_pool_runs_chunks_on_two_threads() {
    assert_eq!(pool().await, 2);
    let plan = compute::plan(&scenario(400_000, 4), 2).expect("valid scenario");
    let outcome = compute::evaluate(
        plan.clone(),
        0,
        Arc::new(AtomicBool::new(false)),
        Delivery::First,
    )
    .await
    .expect("evaluation completes");
    assert_eq!(outcome.meta.summary.threads, 2);
    // The internal indices follow in a second delivery that runs only them.
    assert!(outcome.meta.summary.quality_pending());
    let later = compute::evaluate(plan, 0, Arc::new(AtomicBool::new(false)), Delivery::Quality)
        .await
        .expect("the indices complete");
    let whole = outcome
        .meta
        .summary
        .with_quality_of(&later.meta.summary)
        .expect("same scenario");
    assert!(whole.metrics.silhouette.is_some() && !whole.quality_pending());
    let mut per_thread = [0usize; 2];
    for task in outcome.meta.jobs.iter().flat_map(|j| &j.tasks) {
        per_thread[task.thread] += 1;
    }
    assert!(
        per_thread.iter().all(|&n| n > 0),
        "tasks per thread {per_thread:?}"
    );
    assert_eq!(outcome.pixels.len(), 200 * 100 * 4);
}

#[wasm_bindgen_test]
async fn browser_generates_the_native_dataset() {
    pool().await;
    let generated =
        blobscale::web::pool_job::on_pool(|| digest(&pinned_params().check().unwrap().generate()))
            .await
            .expect("the job answers");
    assert_eq!(generated, pinned_digest());
}

/// Resolves after `ms` milliseconds, letting the page's tasks run meanwhile.
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A running evaluation cancelled the way the page cancels it: a newer request through
/// [`Latest`], as `app::runner` submits one on every input change, sets the running one's
/// flag. The fit stops part-way, its job says so, and nothing of it is kept: the next
/// evaluation of the same scenario computes the fit again (its finished dataset is
/// reused), giving what an engine that never saw the cancelled run gives.
#[wasm_bindgen_test]
async fn cancelled_evaluation_reports_cancellation() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use blobscale::cluster::Init;
    use blobscale::data::Centers;
    use blobscale::pipeline::jobs::clock::NoClock;
    use blobscale::pipeline::jobs::job::JobStatus;
    use blobscale::pipeline::{Engine, NodeState, Plan, TaskId};
    use blobscale::web::compute::Outcome;
    use blobscale::web::latest::Latest;

    pool().await;
    // A dataset no other test makes, so nothing of it is in the store yet; eight
    // overlapping blobs and no tolerance keep the fit iterating long enough to be caught.
    let inputs = ScenarioInputs {
        data_seed: 7_071,
        centers: Centers::Count(8),
        init: Init::Random,
        tol: 0.0,
        max_iter: 300,
        ..scenario(1_000_000, 8)
    };
    let from = compute::jobs_since(0)
        .expect("log free")
        .last()
        .map_or(0, |j| j.id + 1);
    // Every request's own result, delivered or not (the runner hands on only the newest).
    let results: Rc<RefCell<Vec<Result<Outcome, WebError>>>> = Rc::default();
    let (tx, delivered) = futures_channel::oneshot::channel();
    let tx = RefCell::new(Some(tx));
    let runner = Latest::new(
        {
            let results = results.clone();
            move |inputs: ScenarioInputs, cancel| {
                let results = results.clone();
                async move {
                    let r = match compute::plan(&inputs, 2) {
                        Ok(plan) => compute::evaluate(plan, from, cancel, Delivery::First).await,
                        Err(e) => Err(e),
                    };
                    results.borrow_mut().push(r.clone());
                    r
                }
            }
        },
        move |r| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(r);
            }
        },
    );
    runner.submit(inputs.clone());
    // Watch the job log from the main thread, as the page does, until the fit has run
    // some of its chunks.
    let mut waited = 0;
    loop {
        let fitting = compute::jobs_since(from).is_some_and(|jobs| {
            jobs.iter().any(|j| {
                j.task == TaskId::Fit && j.status == JobStatus::Running && !j.tasks.is_empty()
            })
        });
        if fitting {
            break;
        }
        assert!(
            results.borrow().is_empty(),
            "the evaluation ended before its fit was seen running: {:?}",
            results.borrow()[0]
                .as_ref()
                .map(|o| o.meta.summary.fit.n_iter)
        );
        assert!(waited < 60_000, "the fit never started");
        sleep_ms(2).await;
        waited += 2;
    }
    // Run pressed again with the same inputs: the runner cancels the running request.
    runner.submit(inputs.clone());
    let again = delivered
        .await
        .expect("the newest request is delivered")
        .expect("the newest request completes");

    assert_eq!(results.borrow().len(), 2, "requests that returned");
    let first = results.borrow_mut().remove(0);
    match &first {
        Err(e) => {
            assert_eq!(*e, WebError::Cancelled);
            assert!(e.is_cancellation());
        }
        Ok(o) => panic!(
            "the first request was not cancelled: its fit ran {} iterations to the end",
            o.meta.summary.fit.n_iter
        ),
    }
    let jobs = compute::jobs_since(from).expect("log free");
    let fit_jobs: Vec<_> = jobs.iter().filter(|j| j.task == TaskId::Fit).collect();
    assert_eq!(fit_jobs.len(), 2, "fit jobs: {fit_jobs:?}");
    assert_eq!(fit_jobs[0].status, JobStatus::Cancelled);
    assert!(fit_jobs[0].end_ms.is_some());
    // Nothing half-done was stored: the same key missed and the fit ran again, while the
    // dataset the cancelled run had finished was reused.
    let s = &again.meta.summary;
    assert_eq!(s.node(TaskId::Fit).state, NodeState::Computed);
    assert_eq!(s.node(TaskId::Fit).key, Some(fit_jobs[0].key));
    assert_eq!(s.node(TaskId::Fit).job, Some(fit_jobs[1].id));
    assert_eq!(
        fit_jobs[1].status,
        JobStatus::Completed { backdated: false }
    );
    assert_eq!(s.node(TaskId::Generate).state, NodeState::Reused);
    // And the result is right: what a fresh engine computes for the same scenario.
    let plan = Plan::new(&inputs).unwrap();
    let fresh = blobscale::web::pool_job::on_pool(move || {
        Engine::new(Arc::new(NoClock), 1 << 28).evaluate_detached(&plan, &AtomicBool::new(false))
    })
    .await
    .expect("the job answers")
    .expect("the fresh evaluation completes");
    assert_eq!(s.fit, fresh.summary.fit);
    // The page's first delivery: the scores without the internal indices, still to come.
    assert!(s.quality_pending());
    assert_eq!(
        s.metrics,
        blobscale::pipeline::tasks::Metrics {
            silhouette: None,
            calinski_harabasz: None,
            davies_bouldin: None,
            ..fresh.summary.metrics.clone()
        }
    );
    assert!(again.pixels == fresh.pixels, "pictures differ");
}

#[wasm_bindgen_test]
async fn oversized_scenario_is_refused_before_any_work() {
    let err = compute::plan(
        &ScenarioInputs {
            n_samples: 190_000_000,
            n_features: 4,
            ..ScenarioInputs::default()
        },
        2,
    )
    .unwrap_err();
    assert!(matches!(err, WebError::NoRoom { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("n_samples = 190000000 needs about"),
        "{err}"
    );
}

#[wasm_bindgen_test]
fn prefault_touches_what_it_is_asked_and_stops_when_told() {
    use blobscale::web::prefault::touch;
    assert_eq!(touch(3 << 20, &|| false), 3 << 20);
    assert_eq!(touch(3 << 20, &|| true), 0);
    // A size no allocator can give is skipped, not an abort.
    assert_eq!(touch(usize::MAX - 4096, &|| false), 0);
}

#[wasm_bindgen_test]
async fn prepared_memory_takes_the_next_evaluation_without_growing() {
    pool().await;
    let cancel = Arc::new(AtomicBool::new(false));
    let at_seed = |data_seed| ScenarioInputs {
        data_seed,
        ..scenario(400_000, 5)
    };
    let first = compute::plan(&at_seed(101), 2).expect("valid scenario");
    compute::evaluate(first, 0, cancel.clone(), Delivery::First)
        .await
        .expect("evaluation completes");
    let touched = compute::prepare_memory(&at_seed(102), 2).await;
    assert!(touched > 400_000 * 12, "touched only {touched} bytes");
    // The next evaluation (new data: every node is computed and kept) fits in what was
    // prepared, so wasm memory does not grow while it runs.
    let before = compute::wasm_memory_bytes();
    let next = compute::plan(&at_seed(102), 2).expect("valid scenario");
    compute::evaluate(next, 0, cancel, Delivery::First)
        .await
        .expect("evaluation completes");
    assert_eq!(compute::wasm_memory_bytes(), before);
}

#[wasm_bindgen_test]
async fn warm_up_runs_on_a_scratch_engine_once_per_page() {
    pool().await;
    let cancel = Arc::new(AtomicBool::new(false));
    let inputs = scenario(60_000, 4);
    let plan = compute::plan(&inputs, 2).expect("valid scenario");
    compute::evaluate(plan, 0, cancel, Delivery::First)
        .await
        .expect("evaluation completes");
    let jobs = compute::jobs_since(0).expect("log free").len();
    let memory = compute::live().expect("store free").memory;
    assert_eq!(compute::warm_up(&inputs).await, compute::WARM_UP_RUNS);
    // Nothing of the warm-up reaches the page's engine: no job, no stored output.
    assert_eq!(compute::jobs_since(0).expect("log free").len(), jobs);
    assert_eq!(compute::live().expect("store free").memory, memory);
    // Once done, never again in this page.
    assert_eq!(compute::warm_up(&inputs).await, 0);
}

/// The plot's backend measures labels with the canvas: the sizes plotters' own estimate
/// gets from a `<span>` in the page (to a pixel), without adding anything to the page —
/// each of those spans forced a layout of the whole document.
#[wasm_bindgen_test]
fn plot_labels_are_measured_by_the_canvas_not_the_page() {
    use blobscale::app::measured_canvas::MeasuredCanvas;
    use plotters::prelude::{DrawingBackend, IntoFont, TextStyle};
    use plotters_canvas::CanvasBackend;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    body.append_child(&canvas).unwrap();
    let style = TextStyle::from(("sans-serif", 12).into_font());
    let texts = ["0", "-1234.5", "fitted centroids", "feature 0"];

    let noop = Closure::<dyn FnMut()>::new(|| {});
    let observer = web_sys::MutationObserver::new(noop.as_ref().unchecked_ref()).unwrap();
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(&body, &options).unwrap();
    let measured = MeasuredCanvas::new(&canvas).unwrap();
    let sizes: Vec<(u32, u32)> = texts
        .iter()
        .map(|t| measured.estimate_text_size(t, &style).unwrap())
        .collect();
    assert_eq!(observer.take_records().length(), 0, "the page was changed");
    let stock = CanvasBackend::with_canvas_object(canvas.clone()).unwrap();
    let spans: Vec<(u32, u32)> = texts
        .iter()
        .map(|t| stock.estimate_text_size(t, &style).unwrap())
        .collect();
    assert!(
        observer.take_records().length() > 0,
        "plotters' own estimate went unseen: the check above proves nothing"
    );
    observer.disconnect();
    canvas.remove();
    for ((t, m), s) in texts.iter().zip(&sizes).zip(&spans) {
        assert!(
            m.0.abs_diff(s.0) <= 1 && m.1.abs_diff(s.1) <= 1,
            "{t:?}: canvas {m:?}, span {s:?}"
        );
    }
    assert!(sizes[1].0 > 3 * sizes[0].0, "widths {sizes:?}");
    assert!((12..=20).contains(&sizes[0].1), "heights {sizes:?}");
}

/// The legend box sits in the area's upper right corner, 5 px in, framed in the border
/// colour over its background; each entry's marker is drawn once, at the box's left margin,
/// line below line; its labels are drawn inside the box; and nothing lands outside it.
#[wasm_bindgen_test]
fn plot_legend_draws_its_box_labels_and_markers() {
    use std::cell::RefCell;

    use blobscale::app::legend::{Failed, LegendEntry, draw_legend};
    use blobscale::app::measured_canvas::MeasuredCanvas;
    use plotters::prelude::*;
    use wasm_bindgen::JsCast;

    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    let (cw, ch) = (400u32, 200u32);
    canvas.set_width(cw);
    canvas.set_height(ch);
    document.body().unwrap().append_child(&canvas).unwrap();
    let area = MeasuredCanvas::new(&canvas).unwrap().into_drawing_area();
    area.fill(&WHITE).unwrap();

    let calls = RefCell::new(Vec::new());
    let marker = |p: (i32, i32)| -> Result<(), Failed> {
        calls.borrow_mut().push(p);
        area.draw(&Rectangle::new(
            [(p.0 - 2, p.1 - 2), (p.0 + 2, p.1 + 2)],
            RED.filled(),
        ))
    };
    let entries: [LegendEntry; 3] = [
        ("true centres", &marker),
        ("seeded centres", &marker),
        ("fitted centroids", &marker),
    ];
    let font = ("sans-serif", 12).into_font().color(&BLACK);
    let background = RGBColor(0, 0, 255).to_rgba();
    draw_legend(&area, &entries, &font, background, BLACK).unwrap();
    area.present().unwrap();

    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = ctx
        .get_image_data(0.0, 0.0, cw as f64, ch as f64)
        .unwrap()
        .data()
        .0;
    canvas.remove();
    let px = |x: i32, y: i32| {
        let i = 4 * (y as usize * cw as usize + x as usize);
        (data[i], data[i + 1], data[i + 2])
    };

    let calls = calls.into_inner();
    assert_eq!(calls.len(), 3, "markers drawn: {calls:?}");
    let x0 = calls[0].0 - 10;
    assert!(calls.iter().all(|c| c.0 == calls[0].0), "{calls:?}");
    assert!(calls.windows(2).all(|w| w[1].1 > w[0].1 + 10), "{calls:?}");
    // The box: from x0 to 5 px before the right edge, from y = 5 to a 10 px margin below
    // the last line (whose marker is at its middle).
    let (right, top, bottom) = (cw as i32 - 5, 5, calls[2].1 + 10);
    assert!(x0 > 0 && x0 < right - 100, "box left edge at {x0}");
    let blue = |p: (u8, u8, u8)| p.2 > 200 && p.0 < 60 && p.1 < 60;
    let dark = |p: (u8, u8, u8)| p.0 < 140 && p.1 < 140 && p.2 < 140;
    assert!(
        blue(px(x0 + 4, top + 4)),
        "background {:?}",
        px(x0 + 4, top + 4)
    );
    assert!(
        blue(px(right - 4, bottom - 4)),
        "background {:?}",
        px(right - 4, bottom - 4)
    );
    for (x, y) in [(x0, 40), (right, 40), ((x0 + right) / 2, top)] {
        assert!(
            [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]
                .iter()
                .any(|(dx, dy)| dark(px(x + dx, y + dy))),
            "border at ({x}, {y}): {:?}",
            px(x, y)
        );
    }
    // The markers, and some dark label pixels right of them on every line.
    for &(mx, my) in &calls {
        assert_eq!(px(mx, my), (255, 0, 0), "marker at ({mx}, {my})");
        let ink = (x0 + 40..right - 2)
            .flat_map(|x| (my - 5..=my + 5).map(move |y| (x, y)))
            .filter(|&(x, y)| dark(px(x, y)))
            .count();
        assert!(ink > 20, "label on line {my}: {ink} dark pixels");
    }
    // Outside the box the canvas is untouched.
    for (x, y) in [
        (x0 - 3, 20),
        (right + 3, 20),
        (x0 + 20, bottom + 15),
        (2, 2),
    ] {
        assert_eq!(px(x, y), (255, 255, 255), "outside at ({x}, {y})");
    }
}

/// The single-threaded build's worker posts errors back as JSON: each comes back as the
/// same variant with the same words, so a cancellation there is one on the page.
#[wasm_bindgen_test]
fn web_errors_cross_the_worker_boundary_as_themselves() {
    use blobscale::data::import::ImportError;
    use blobscale::pipeline::PipelineError;
    let errors = [
        WebError::Cancelled,
        WebError::from(PipelineError::Superseded),
        WebError::from(ImportError::Cancelled),
        WebError::NoRoom {
            n_samples: 190_000_000,
            need_mib: 5_800,
            free_mib: 3_900,
            limit_mib: 4_096,
        },
        WebError::from(PipelineError::Limit(
            blobscale::limits::LimitError::out_of_range("k", "0", "1 ..= 30"),
        )),
    ];
    for e in &errors {
        let json = serde_json::to_string(e).unwrap();
        assert_eq!(&serde_json::from_str::<WebError>(&json).unwrap(), e);
    }
    let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(words[0], "cancelled");
    assert_eq!(words[1], "superseded by a newer request");
    assert_eq!(words[2], "import cancelled");
    assert!(words[3].starts_with("n_samples = 190000000 needs about 5800 MiB, but only 3900 MiB"));
    assert_eq!(words[4], "k = 0 is out of range: allowed 1 ..= 30");
    assert!(errors[..3].iter().all(WebError::is_cancellation));
    assert!(!errors[3].is_cancellation());
}
