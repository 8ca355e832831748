//! The single-threaded build's dedicated compute worker.
//!
//! Without cross-origin isolation there is no shared memory, so rayon cannot spread work
//! over workers; computing on the page's thread would freeze it. Instead one module worker
//! loads this same wasm module (the compiled `WebAssembly.Module` is posted to it, so
//! nothing is fetched twice) and keeps the scenario engine; scenarios go in as JSON, the
//! outcome comes back as JSON with the pixels in a transferred buffer.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::compute::{Outcome, OutcomeMeta, evaluate_here, sweep_here};
use super::error::WebError;
use crate::pipeline::jobs::progress::ProgressSnapshot;
use crate::pipeline::memo::store::MemoryUse;
use crate::pipeline::scenarios::sweep::{SweepSpec, SweepTable};
use crate::pipeline::{Delivery, ScenarioInputs};

#[wasm_bindgen]
extern "C" {
    // The URL of this module's JS glue, as wasm-bindgen-rayon's no-bundler helper finds it.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: js_sys::JsString;
}

/// The worker's bootstrap: import the glue, instantiate the posted module, then serve jobs.
const BOOTSTRAP: &str = r#"
let mod;
self.onmessage = async (e) => {
  const d = e.data;
  if (d.type === 'init') {
    try {
      mod = await import(d.mainJs);
      mod.initSync({ module: d.module });
      self.postMessage({ type: 'ready' });
    } catch (err) {
      self.postMessage({ type: 'failed', error: String(err) });
    }
  } else if (d.type === 'evaluate') {
    const r = mod.blobscale_worker_evaluate(d.request, d.jobsFrom, d.delivery);
    self.postMessage({ type: 'outcome', id: d.id, ...r }, r.pixels ? [r.pixels.buffer] : []);
  } else if (d.type === 'sweep') {
    self.postMessage({ type: 'outcome', id: d.id, ...mod.blobscale_worker_sweep(d.request) });
  } else if (d.type === 'export') {
    const r = mod.blobscale_worker_export(d.request);
    self.postMessage({ type: 'outcome', id: d.id, ...r }, r.bytes ? [r.bytes.buffer] : []);
  } else if (d.type === 'import') {
    self.postMessage({ type: 'outcome', id: d.id, ...mod.blobscale_worker_import(d.request, new Uint8Array(d.bytes)) });
  }
};
"#;

type Reply = Result<JsValue, WebError>;

struct WorkerHandle {
    worker: web_sys::Worker,
    next_id: u32,
    waiting: HashMap<u32, oneshot::Sender<Reply>>,
    ready: Option<oneshot::Receiver<Result<(), String>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

thread_local! {
    static WORKER: RefCell<Option<Rc<RefCell<WorkerHandle>>>> = const { RefCell::new(None) };
}

fn field(obj: &JsValue, name: &str) -> JsValue {
    Reflect::get(obj, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The worker's side of an error, as its reply carries it: the [`WebError`] as JSON, so the
/// page gets the same variant back.
pub(crate) fn error_json(e: &WebError) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| e.to_string())
}

/// The page's side of [`error_json`]; a reply that is not such JSON is the worker's words.
fn error_from_reply(text: String) -> WebError {
    serde_json::from_str(&text).unwrap_or(WebError::Worker { message: text })
}

fn spawn() -> Result<Rc<RefCell<WorkerHandle>>, WebError> {
    let err = |e: JsValue| WebError::worker(format!("could not start the compute worker: {e:?}"));
    let parts = js_sys::Array::of1(&BOOTSTRAP.into());
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &opts).map_err(err)?;
    let (ready_tx, ready_rx) = oneshot::channel();
    let handle = Rc::new(RefCell::new(WorkerHandle {
        worker: worker.clone(),
        next_id: 0,
        waiting: HashMap::new(),
        ready: Some(ready_rx),
        _on_message: Closure::new(|_: web_sys::MessageEvent| {}),
    }));
    let weak = Rc::downgrade(&handle);
    let mut ready_tx = Some(ready_tx);
    let on_message = Closure::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        let kind = field(&data, "type").as_string().unwrap_or_default();
        match kind.as_str() {
            "ready" | "failed" => {
                let result = match kind.as_str() {
                    "ready" => Ok(()),
                    _ => Err(field(&data, "error").as_string().unwrap_or_default()),
                };
                if let Some(tx) = ready_tx.take() {
                    let _ = tx.send(result);
                }
            }
            "import-progress" => super::import_bridge::note_worker_progress(&data),
            "progress" => note_progress(&data),
            "outcome" => {
                let Some(handle) = weak.upgrade() else { return };
                let id = field(&data, "id").as_f64().unwrap_or(-1.0) as u32;
                let Some(tx) = handle.borrow_mut().waiting.remove(&id) else {
                    return;
                };
                let reply = match field(&data, "error").as_string() {
                    Some(error) => Err(error_from_reply(error)),
                    None => Ok(data),
                };
                let _ = tx.send(reply);
            }
            _ => {}
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    handle.borrow_mut()._on_message = on_message;
    let init = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&init, &k.into(), v).map_err(err);
    set("type", &"init".into())?;
    set("module", &wasm_bindgen::module())?;
    set("mainJs", &MAIN_JS_URL.with(|u| u.clone()).into())?;
    worker.post_message(&init).map_err(err)?;
    Ok(handle)
}

thread_local! {
    // Page side: the compute worker's last posted progress and memory use.
    static LIVE: RefCell<(Option<ProgressSnapshot>, MemoryUse)> = RefCell::new(Default::default());
    // Worker side: when progress was last posted.
    static LAST_POST_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Least milliseconds between progress messages: under the 100 ms the page leaves between
/// progress reads (`app/runner.rs`, checking every 25 ms), so each read finds a recent
/// snapshot without the worker posting on every change.
const PROGRESS_EVERY_MS: f64 = 40.0;

/// Worker side: posts `p` to the page, at most every [`PROGRESS_EVERY_MS`] (always the
/// end of an evaluation), so the single-threaded build shows progress too.
pub(crate) fn post_progress(p: ProgressSnapshot) {
    let now = super::environment::now_ms();
    if p.running && now - LAST_POST_MS.with(|t| t.get()) < PROGRESS_EVERY_MS {
        return;
    }
    LAST_POST_MS.with(|t| t.set(now));
    let Ok(json) = serde_json::to_string(&p) else {
        return;
    };
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"progress".into());
    let _ = Reflect::set(&message, &"progress".into(), &json.into());
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&message);
}

fn note_progress(data: &JsValue) {
    let json = field(data, "progress").as_string().unwrap_or_default();
    if let Ok(p) = serde_json::from_str::<ProgressSnapshot>(&json) {
        LIVE.with(|l| l.borrow_mut().0 = Some(p));
    }
}

/// Page side: the last progress the worker posted.
pub(crate) fn last_live() -> Option<super::compute::Live> {
    LIVE.with(|l| {
        let (progress, memory) = &*l.borrow();
        progress.map(|progress| super::compute::Live {
            progress,
            memory: *memory,
        })
    })
}

fn decode_outcome(data: &JsValue) -> Result<Outcome, WebError> {
    let meta = field(data, "meta").as_string().unwrap_or_default();
    let meta: OutcomeMeta = serde_json::from_str(&meta)
        .map_err(|e| WebError::worker(format!("bad reply from the compute worker: {e}")))?;
    LIVE.with(|l| l.borrow_mut().1 = meta.memory);
    let pixels = Uint8Array::new(&field(data, "pixels")).to_vec();
    Ok(Outcome { meta, pixels })
}

async fn handle() -> Result<Rc<RefCell<WorkerHandle>>, WebError> {
    let existing = WORKER.with(|w| w.borrow().clone());
    let handle = match existing {
        Some(h) => h,
        None => {
            let h = spawn()?;
            WORKER.with(|w| *w.borrow_mut() = Some(h.clone()));
            h
        }
    };
    let ready = handle.borrow_mut().ready.take();
    if let Some(ready) = ready {
        let started = ready
            .await
            .unwrap_or_else(|_| Err("the compute worker stopped".into()));
        if let Err(e) = started {
            WORKER.with(|w| *w.borrow_mut() = None);
            return Err(WebError::worker(format!(
                "could not start the compute worker: {e}"
            )));
        }
    }
    Ok(handle)
}

/// Posts `{type, id, request, ...extra}` and awaits the reply message.
pub(crate) async fn call(kind: &str, request: String, extra: &[(&str, JsValue)]) -> Reply {
    call_transferring(kind, request, extra, &js_sys::Array::new()).await
}

/// As [`call`], moving the buffers listed in `transfer` to the worker instead of copying.
pub(crate) async fn call_transferring(
    kind: &str,
    request: String,
    extra: &[(&str, JsValue)],
    transfer: &js_sys::Array,
) -> Reply {
    let handle = handle().await?;
    let (tx, rx) = oneshot::channel();
    let message = Object::new();
    {
        let mut h = handle.borrow_mut();
        let id = h.next_id;
        h.next_id = h.next_id.wrapping_add(1);
        h.waiting.insert(id, tx);
        let _ = Reflect::set(&message, &"type".into(), &kind.into());
        let _ = Reflect::set(&message, &"id".into(), &id.into());
        let _ = Reflect::set(&message, &"request".into(), &request.into());
        for (k, v) in extra {
            let _ = Reflect::set(&message, &(*k).into(), v);
        }
        h.worker
            .post_message_with_transfer(&message, transfer)
            .map_err(|e| WebError::worker(format!("could not reach the compute worker: {e:?}")))?;
    }
    rx.await
        .unwrap_or_else(|_| Err(WebError::worker("the compute worker stopped")))
}

/// Sends a scenario to the worker and awaits the `delivery` of its evaluation.
pub async fn evaluate(
    inputs: &ScenarioInputs,
    jobs_from: u64,
    delivery: Delivery,
) -> Result<Outcome, WebError> {
    let request = serde_json::to_string(inputs).map_err(|e| WebError::worker(e.to_string()))?;
    let delivery = serde_json::to_string(&delivery).map_err(|e| WebError::worker(e.to_string()))?;
    let reply = call(
        "evaluate",
        request,
        &[
            ("jobsFrom", (jobs_from as f64).into()),
            ("delivery", delivery.into()),
        ],
    )
    .await?;
    decode_outcome(&reply)
}

/// Sends a sweep to the worker and awaits its table.
pub async fn sweep(spec: &SweepSpec) -> Result<SweepTable, WebError> {
    let request = serde_json::to_string(spec).map_err(|e| WebError::worker(e.to_string()))?;
    let reply = call("sweep", request, &[]).await?;
    let table = field(&reply, "table").as_string().unwrap_or_default();
    serde_json::from_str(&table)
        .map_err(|e| WebError::worker(format!("bad reply from the compute worker: {e}")))
}

/// Worker side: runs one sweep from its JSON spec. Returns `{table}` or `{error}`.
#[wasm_bindgen]
pub fn blobscale_worker_sweep(request: String) -> JsValue {
    let out = Object::new();
    let result = serde_json::from_str::<SweepSpec>(&request)
        .map_err(|e| WebError::worker(format!("bad request: {e}")))
        .and_then(|spec| sweep_here(&spec))
        .and_then(|table| {
            serde_json::to_string(&table).map_err(|e| WebError::worker(e.to_string()))
        });
    let (key, value) = match result {
        Ok(table) => ("table", table),
        Err(e) => ("error", error_json(&e)),
    };
    let _ = Reflect::set(&out, &key.into(), &value.into());
    out.into()
}

/// Worker side: evaluates one scenario from its JSON inputs and delivery. Returns
/// `{meta, pixels}` or `{error}`; never throws, so a bad request cannot take the worker
/// down.
#[wasm_bindgen]
pub fn blobscale_worker_evaluate(request: String, jobs_from: f64, delivery: String) -> JsValue {
    let out = Object::new();
    let result = serde_json::from_str::<ScenarioInputs>(&request)
        .and_then(|inputs| Ok((inputs, serde_json::from_str::<Delivery>(&delivery)?)))
        .map_err(|e| WebError::worker(format!("bad request: {e}")))
        .and_then(|(inputs, delivery)| evaluate_here(&inputs, jobs_from as u64, delivery));
    match result {
        Ok(outcome) => {
            let meta = serde_json::to_string(&outcome.meta).unwrap_or_default();
            let _ = Reflect::set(&out, &"meta".into(), &meta.into());
            let _ = Reflect::set(
                &out,
                &"pixels".into(),
                &Uint8Array::from(&outcome.pixels[..]).into(),
            );
        }
        Err(e) => {
            let _ = Reflect::set(&out, &"error".into(), &error_json(&e).into());
        }
    }
    out.into()
}
