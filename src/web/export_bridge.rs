//! Exports in the browser: the bytes of each file, made off the main thread when they need
//! the engine, and handed to the user as a download.
//!
//! Labels, centroids and the job log need the engine's memoised dataset, model and log: in
//! the threaded build they are made on the rayon pool (a [`super::pool_job`], as in
//! [`super::compute`]); in the single-threaded build the compute worker, which holds the
//! engine, makes them and posts the bytes back in a transferred buffer. The scenario JSON
//! and the dask-ml script are formatted from the inputs (and, for an imported file, the
//! options it was imported with). A download is a `Blob`, an
//! object URL and a click on a temporary `<a download>`: everything stays in the browser,
//! nothing is uploaded.

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::compute::{WASM_MEMORY_LIMIT, wasm_memory_bytes};
use super::error::WebError;
use crate::data::import::FileFormat;
use crate::pipeline::export::labels_csv::{TruthColumn, labels_csv_size_hint};
use crate::pipeline::export::{
    BuildInfo, DaskScriptOptions, DataFile, LabelsLayout, dask_script, scenario_json,
    write_centroids_csv, write_job_log_json, write_labels_csv,
};
use crate::pipeline::{Engine, Plan, ScenarioInputs};

/// Largest file an export builds in wasm memory (the output is the one large buffer).
pub const MAX_EXPORT_BYTES: u64 = 1 << 30;

/// The exports that need the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineExport {
    /// `labels.csv`: every row's cluster (chunk-parallel predict).
    Labels,
    /// `centroids.csv`: each cluster's size and centre.
    Centroids,
    /// `jobs.json`: the job log with per-chunk task records.
    JobLog,
}

/// What the engine side needs to make one export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRequest {
    /// Which file.
    pub kind: EngineExport,
    /// The scenario whose result is exported.
    pub inputs: ScenarioInputs,
    /// Columns of `labels.csv`.
    pub layout: LabelsLayout,
    /// The build and threads, for the job log.
    pub build: BuildInfo,
}

/// Engine side (a rayon worker, or the single-threaded build's compute worker): the bytes
/// of one export, or why not.
pub(crate) fn export_here(engine: &Engine, request: &ExportRequest) -> Result<Vec<u8>, WebError> {
    let cancel = AtomicBool::new(false);
    let mut out = Vec::new();
    // An imported file's own column names head the CSV files.
    let names = request
        .inputs
        .imported()
        .map(|s| s.column_names.clone())
        .filter(|n| n.len() == plan_columns(&request.inputs));
    match request.kind {
        EngineExport::Labels => {
            let plan = Plan::new(&request.inputs)?;
            let hint = labels_csv_size_hint(plan.n_rows(), plan.n_features(), request.layout);
            let room = WASM_MEMORY_LIMIT.saturating_sub(wasm_memory_bytes());
            let limit = MAX_EXPORT_BYTES.min(room);
            if hint > limit {
                return Err(WebError::ExportTooLarge {
                    size_mib: hint >> 20,
                    limit_mib: limit >> 20,
                });
            }
            let a = engine.assign_rows(&request.inputs, &cancel)?;
            out.reserve(hint as usize);
            // An imported file's classes follow the label (generated blobs keep the
            // two-part layout their readers know).
            let truth = request
                .inputs
                .imported()
                .and_then(|s| s.truth.as_ref())
                .filter(|_| a.dataset.labels.len() == a.dataset.x.n_rows())
                .map(|t| TruthColumn {
                    name: &t.column,
                    codes: &a.dataset.labels,
                    classes: &t.classes,
                });
            write_labels_csv(
                &mut out,
                &a.dataset.x,
                &a.prediction.labels,
                request.layout,
                names.as_deref(),
                truth,
            )?;
        }
        EngineExport::Centroids => {
            let f = engine.fitted_scenario(&request.inputs, &cancel)?;
            write_centroids_csv(
                &mut out,
                &f.model.centres,
                &f.summary.metrics.cluster_sizes,
                names.as_deref(),
            )?;
        }
        EngineExport::JobLog => {
            write_job_log_json(&mut out, &engine.jobs(), &request.inputs, &request.build)?;
        }
    }
    Ok(out)
}

/// Columns of the scenario's dataset (0 when its inputs are invalid: no names then).
fn plan_columns(inputs: &ScenarioInputs) -> usize {
    Plan::new(inputs).map_or(0, |p| p.n_features())
}

/// The bytes of an engine export, made on the worker pool.
#[cfg(feature = "threads")]
pub async fn engine_export(request: ExportRequest) -> Result<Vec<u8>, WebError> {
    let engine = super::compute::engine().clone();
    super::pool_job::on_pool(move || export_here(&engine, &request))
        .await
        .unwrap_or(Err(WebError::Cancelled))
}

/// The bytes of an engine export, made by the compute worker.
#[cfg(not(feature = "threads"))]
pub async fn engine_export(request: ExportRequest) -> Result<Vec<u8>, WebError> {
    let request = serde_json::to_string(&request).map_err(|e| WebError::worker(e.to_string()))?;
    let reply = super::st_worker::call("export", request, &[]).await?;
    let bytes = js_sys::Reflect::get(&reply, &"bytes".into())
        .map_err(|_| WebError::worker("bad reply from the compute worker: no bytes"))?;
    Ok(js_sys::Uint8Array::new(&bytes).to_vec())
}

/// Worker side of the single-threaded build: one export from its JSON request. Returns
/// `{bytes}` or `{error}`; never throws.
#[cfg(not(feature = "threads"))]
#[wasm_bindgen]
pub fn blobscale_worker_export(request: String) -> JsValue {
    let out = js_sys::Object::new();
    let result = serde_json::from_str::<ExportRequest>(&request)
        .map_err(|e| WebError::worker(format!("bad request: {e}")))
        .and_then(|r| super::compute::with_st_engine(|e| export_here(e, &r)));
    let (key, value): (&str, JsValue) = match result {
        Ok(bytes) => ("bytes", js_sys::Uint8Array::from(&bytes[..]).into()),
        Err(e) => ("error", super::st_worker::error_json(&e).into()),
    };
    let _ = js_sys::Reflect::set(&out, &key.into(), &value);
    out.into()
}

/// `scenario.json` for the scenario named `name`.
pub fn scenario_bytes(name: &str, inputs: &ScenarioInputs) -> Result<Vec<u8>, WebError> {
    scenario_json(name, inputs)
        .map(String::into_bytes)
        .map_err(WebError::export)
}

/// `blobscale_dask.py` for the scenario, with the page's inertia in its header. For an
/// imported file, the options it was imported with come from the copy kept in IndexedDB
/// ([`super::imported_files`]), so the script reads the file exactly as the page did.
pub async fn dask_script_bytes(
    name: &str,
    inputs: &ScenarioInputs,
    inertia: f64,
) -> Result<Vec<u8>, WebError> {
    let data_file = match inputs.imported() {
        None => None,
        Some(source) => {
            let stored = super::imported_files::load(source.content)
                .await?
                .ok_or_else(|| WebError::ScriptFileGone {
                    name: source.name.clone(),
                })?;
            Some(DataFile {
                format: file_format(&stored.blob).await?,
                name: stored.name,
                options: stored.options,
                rows: source.rows,
            })
        }
    };
    let options = DaskScriptOptions {
        name: Some(name.to_string()),
        scheduler: None,
        expected_inertia: Some(inertia),
        data_file,
    };
    Ok(dask_script(inputs, &options)?.into_bytes())
}

/// CSV or `.npy`, from the file's first bytes as the importer decides.
async fn file_format(blob: &web_sys::Blob) -> Result<FileFormat, WebError> {
    let err = |e: JsValue| WebError::browser(format!("could not read the imported file: {e:?}"));
    let head = blob.slice_with_i32_and_i32(0, 16).map_err(err)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(head.array_buffer())
        .await
        .map_err(err)?;
    Ok(FileFormat::detect(
        &js_sys::Uint8Array::new(&buffer).to_vec(),
    ))
}

/// Offers `bytes` as a download named `filename` of type `mime`.
pub fn download_bytes(bytes: &[u8], filename: &str, mime: &str) -> Result<(), WebError> {
    // A copy into a plain JS array: a Blob may not view the threaded build's shared memory.
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag)
        .map_err(|e| WebError::browser(format!("could not make {filename}: {e:?}")))?;
    download_blob(&blob, filename)
}

/// Offers `blob` as a download named `filename`: an object URL clicked through a temporary
/// `<a download>`, revoked once the click has been handled.
pub fn download_blob(blob: &web_sys::Blob, filename: &str) -> Result<(), WebError> {
    let err = |e: JsValue| WebError::browser(format!("could not download {filename}: {e:?}"));
    let window = web_sys::window().ok_or(WebError::browser("no window"))?;
    let document = window.document().ok_or(WebError::browser("no document"))?;
    let body = document.body().ok_or(WebError::browser("no body"))?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(err)?;
    let a: web_sys::HtmlElement = document
        .create_element("a")
        .map_err(err)?
        .dyn_into()
        .map_err(|_| WebError::browser("an <a> is not an HTML element"))?;
    a.set_attribute("href", &url).map_err(err)?;
    a.set_attribute("download", filename).map_err(err)?;
    a.set_attribute("hidden", "").map_err(err)?;
    body.append_child(&a).map_err(err)?;
    a.click();
    a.remove();
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
        .map_err(err)?;
    Ok(())
}

/// The canvas as a PNG blob (`canvas.toBlob`).
pub async fn canvas_png(canvas: &web_sys::HtmlCanvasElement) -> Result<web_sys::Blob, WebError> {
    let (tx, rx) = futures_channel::oneshot::channel::<Option<web_sys::Blob>>();
    let callback = Closure::once_into_js(move |blob: JsValue| {
        let _ = tx.send(blob.dyn_into::<web_sys::Blob>().ok());
    });
    canvas
        .to_blob(callback.unchecked_ref())
        .map_err(|e| WebError::browser(format!("the canvas cannot be exported: {e:?}")))?;
    rx.await
        .ok()
        .flatten()
        .ok_or(WebError::browser("the browser made no PNG of the canvas"))
}
