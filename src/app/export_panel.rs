//! Results out: buttons that download the shown result's labels and centroids (CSV), its
//! scenario and the job log (JSON), the canvas (PNG) and a dask-ml script that reproduces
//! the scenario on a Dask cluster. Disabled until there is a result; the bytes are made by
//! the export bridge (off the main thread when they need the engine) and never leave the
//! browser.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::state::{AppState, Shown};
use crate::pipeline::export::{BuildInfo, LabelsLayout};
use crate::web::WebError;
use crate::web::environment::{Flavour, cross_origin_isolated};
use crate::web::export_bridge::{
    self, EngineExport, ExportRequest, canvas_png, dask_script_bytes, download_blob,
    download_bytes, scenario_bytes,
};

/// One button of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    Labels,
    Centroids,
    Scenario,
    Png,
    JobLog,
    Dask,
}

impl Export {
    const ALL: [Export; 6] = [
        Export::Labels,
        Export::Centroids,
        Export::Scenario,
        Export::Png,
        Export::JobLog,
        Export::Dask,
    ];

    fn id(self) -> &'static str {
        match self {
            Export::Labels => "export-labels",
            Export::Centroids => "export-centroids",
            Export::Scenario => "export-scenario",
            Export::Png => "export-png",
            Export::JobLog => "export-joblog",
            Export::Dask => "export-dask",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Export::Labels => "labels.csv",
            Export::Centroids => "centroids.csv",
            Export::Scenario => "scenario.json",
            Export::Png => "plot.png",
            Export::JobLog => "jobs.json",
            Export::Dask => "blobscale_dask.py",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Export::Labels => "Labels (CSV)",
            Export::Centroids => "Centroids (CSV)",
            Export::Scenario => "Scenario (JSON)",
            Export::Png => "Plot (PNG)",
            Export::JobLog => "Job log (JSON)",
            Export::Dask => "dask-ml script (Python)",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Export::Labels | Export::Centroids => "text/csv",
            Export::Scenario | Export::JobLog => "application/json",
            Export::Png => "image/png",
            Export::Dask => "text/x-python",
        }
    }
}

/// The build facts the job log records.
fn build_info(shown: &Shown) -> BuildInfo {
    BuildInfo {
        flavour: Flavour::current().name().to_string(),
        threads: shown.outcome.meta.summary.threads,
        cross_origin_isolated: Some(cross_origin_isolated()),
        user_agent: web_sys::window().and_then(|w| w.navigator().user_agent().ok()),
    }
}

/// Makes and downloads one export of `shown`.
async fn export(
    which: Export,
    shown: Shown,
    name: String,
    layout: LabelsLayout,
) -> Result<(), WebError> {
    let engine = |kind| ExportRequest {
        kind,
        inputs: shown.inputs.clone(),
        layout,
        build: build_info(&shown),
    };
    let bytes = match which {
        Export::Png => {
            let canvas = document()
                .get_element_by_id("plot")
                .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
                .ok_or(WebError::browser("the plot canvas is not on the page"))?;
            let blob = canvas_png(&canvas).await?;
            return download_blob(&blob, which.file());
        }
        Export::Labels => export_bridge::engine_export(engine(EngineExport::Labels)).await?,
        Export::Centroids => export_bridge::engine_export(engine(EngineExport::Centroids)).await?,
        Export::JobLog => export_bridge::engine_export(engine(EngineExport::JobLog)).await?,
        Export::Scenario => scenario_bytes(&name, &shown.inputs)?,
        Export::Dask => {
            dask_script_bytes(
                &name,
                &shown.inputs,
                shown.outcome.meta.summary.metrics.inertia,
            )
            .await?
        }
    };
    download_bytes(&bytes, which.file(), which.mime())
}

/// The export buttons.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<Export>);
    let with_features = RwSignal::new(true);
    let done = RwSignal::new(None::<Export>);

    let start = move |which: Export| {
        let Some(shown) = state.shown.get_untracked() else {
            return;
        };
        let id = state.current.get_untracked();
        let name = state
            .book
            .with_untracked(|b| b.get(id).map(|s| s.name.clone()))
            .unwrap_or_else(|_| "blobscale scenario".to_string());
        let layout = if with_features.get_untracked() {
            LabelsLayout::WithFeatures
        } else {
            LabelsLayout::LabelsOnly
        };
        error.set(None);
        done.set(None);
        busy.set(Some(which));
        spawn_local(async move {
            let result = export(which, shown, name, layout).await;
            busy.set(None);
            match result {
                Ok(()) => done.set(Some(which)),
                Err(e) => error.set(Some(format!("{}: {e}", which.file()))),
            }
        });
    };

    let buttons = Export::ALL
        .iter()
        .map(|&which| {
            view! {
                <button
                    id=which.id()
                    type="button"
                    disabled=move || state.shown.with(Option::is_none) || busy.get().is_some()
                    on:click=move |_| start(which)
                    title=format!("Download {}", which.file())
                >
                    {which.label()}
                </button>
            }
        })
        .collect_view();

    view! {
        <section class="panel export-panel" aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            <div class="export-buttons">{buttons}</div>
            <label class="export-option">
                <input
                    id="export-with-features"
                    type="checkbox"
                    prop:checked=move || with_features.get()
                    on:change=move |ev| with_features.set(event_target_checked(&ev))
                />
                " labels.csv with each row's features (x0, x1, …, label)"
            </label>
            <p
                id="export-status"
                data-state=move || match (busy.get(), error.with(Option::is_some)) {
                    (Some(_), _) => "busy",
                    (None, true) => "failed",
                    (None, false) if done.get().is_some() => "done",
                    _ => "idle",
                }
                role="status"
            >
                {move || match (busy.get(), done.get()) {
                    (Some(which), _) => format!("Making {}…", which.file()),
                    (None, Some(which)) => format!("{} downloaded.", which.file()),
                    _ => "Files are made in this browser; nothing is uploaded.".to_string(),
                }}
            </p>
            <p id="export-error" class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
