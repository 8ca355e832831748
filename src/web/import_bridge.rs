//! Importing a user's file without blocking the page (ARCHITECTURE.md §12), in two steps: [`sniff_file`]
//! previews the first 64 KiB (format, delimiter, header, numeric columns, first rows) so
//! the user can adjust the options and pick columns; [`import_file`] refuses a file that
//! cannot fit *before* reading it (from the preview's estimate), reads it as an
//! `ArrayBuffer` (the browser reads asynchronously), parses it off the main thread and
//! registers the matrix in the engine under its content fingerprint, then keeps the raw
//! file in IndexedDB ([`super::imported_files`]) so [`restore_imported`] can bring it back
//! after a reload.
//!
//! Threaded build: the bytes are copied into wasm memory in slices with a yield to the
//! event loop between them, then parsed on the rayon pool (a [`super::pool_job`], as
//! [`super::compute`] evaluates), with progress in atomics the page polls. Single-threaded
//! build: the `ArrayBuffer` is transferred (not copied) to the compute worker, which
//! parses it, registers the matrix in its own engine and posts progress messages.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use js_sys::{ArrayBuffer, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::compute::{WASM_MEMORY_LIMIT, wasm_memory_bytes};
use super::error::WebError;
use super::imported_files;
use crate::data::import::{
    DEFAULT_SLICE_BYTES as SLICE_BYTES, ImportOptions, ImportReport, Preview, SNIFF_BYTES,
    check_fits, sniff, streamed_bytes,
};
use crate::pipeline::graph::imported::ImportedSource;
use crate::pipeline::memo::fingerprint::Fingerprint;

/// A finished import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// What a scenario names the dataset by.
    pub source: ImportedSource,
    /// Rows kept, bad rows, constant columns.
    pub report: ImportReport,
    /// The options in effect (delimiter, header and columns resolved).
    pub options: ImportOptions,
    /// Why the raw file could not be kept for a reload, if it could not.
    pub not_kept: Option<WebError>,
    /// How much the wasm memory that parsed the file grew during the import: at most the
    /// parsed values plus one slice's buffers ([`crate::data::import::StreamImport`]).
    #[serde(default)]
    pub memory_growth: u64,
}

/// What an import is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing running.
    Idle,
    /// The browser is reading the file.
    Reading,
    /// Copying the bytes into wasm memory.
    Copying,
    /// Parsing (`done` of `total` bytes or rows).
    Parsing,
    /// Keeping the file in IndexedDB.
    Storing,
}

impl Phase {
    /// A word for people.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Reading => "reading",
            Phase::Copying => "copying",
            Phase::Parsing => "parsing",
            Phase::Storing => "keeping for reload",
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            1 => Phase::Reading,
            2 => Phase::Copying,
            3 => Phase::Parsing,
            4 => Phase::Storing,
            _ => Phase::Idle,
        }
    }
}

/// Progress of the running import, for polling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// The phase.
    pub phase: Phase,
    /// Units done.
    pub done: u64,
    /// Units in all (0 when unknown).
    pub total: u64,
}

static PHASE: AtomicU8 = AtomicU8::new(0);
static DONE: AtomicU64 = AtomicU64::new(0);
static TOTAL: AtomicU64 = AtomicU64::new(0);
static CANCEL: AtomicBool = AtomicBool::new(false);
static RUNNING: AtomicBool = AtomicBool::new(false);

fn set_progress(phase: Phase, done: u64, total: u64) {
    PHASE.store(phase as u8, Ordering::Relaxed);
    DONE.store(done, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
}

/// Progress of the running import; atomics only, never blocks.
pub fn import_progress() -> ImportProgress {
    ImportProgress {
        phase: Phase::from_u8(PHASE.load(Ordering::Relaxed)),
        done: DONE.load(Ordering::Relaxed),
        total: TOTAL.load(Ordering::Relaxed),
    }
}

/// Asks the running import to stop at its next chunk (threaded build; the single-threaded
/// worker finishes what it started).
pub fn cancel_import() {
    CANCEL.store(true, Ordering::Relaxed);
}

/// Bytes an import may use: what wasm32's 4 GiB leave beyond the memory already grown.
pub fn import_room() -> u64 {
    WASM_MEMORY_LIMIT - wasm_memory_bytes().min(WASM_MEMORY_LIMIT)
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

async fn read_all(blob: &web_sys::Blob) -> Result<ArrayBuffer, WebError> {
    JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| unreadable(&e))?
        .dyn_into::<ArrayBuffer>()
        .map_err(|_| WebError::browser("could not read the file"))
}

/// The browser could not read the file.
fn unreadable(e: &JsValue) -> WebError {
    WebError::browser(format!("could not read the file: {}", describe(e)))
}

async fn read_head(blob: &web_sys::Blob) -> Result<Vec<u8>, WebError> {
    let end = (blob.size()).min(SNIFF_BYTES as f64);
    let part = blob
        .slice_with_f64_and_f64(0.0, end)
        .map_err(|e| unreadable(&e))?;
    let buffer: JsValue = read_all(&part).await?.into();
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Starts reading bytes `start..end` of the file (`Blob.slice`) now.
fn start_read(blob: &web_sys::Blob, start: u64, end: u64) -> Result<JsFuture, WebError> {
    let part = blob
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| unreadable(&e))?;
    Ok(JsFuture::from(part.array_buffer()))
}

/// What a started read resolved to.
fn read_buffer(read: Result<JsValue, JsValue>) -> Result<ArrayBuffer, WebError> {
    read.map_err(|e| unreadable(&e))?
        .dyn_into::<ArrayBuffer>()
        .map_err(|_| WebError::browser("could not read the file"))
}

/// A file read in [`SLICE_BYTES`] slices, each slice's read started while the one before
/// is parsed, with the reading progress shown.
struct Slices {
    file: web_sys::Blob,
    len: u64,
    off: u64,
    ahead: Option<JsFuture>,
}

impl Slices {
    fn new(file: &web_sys::Blob) -> Self {
        Self {
            file: file.clone(),
            len: file.size() as u64,
            off: 0,
            ahead: None,
        }
    }

    /// The next slice, or `None` at the end.
    async fn next(&mut self) -> Result<Option<ArrayBuffer>, WebError> {
        if self.off >= self.len {
            return Ok(None);
        }
        set_progress(Phase::Reading, self.off, self.len);
        let end = (self.off + SLICE_BYTES as u64).min(self.len);
        let reading = match self.ahead.take() {
            Some(r) => r,
            None => start_read(&self.file, self.off, end)?,
        };
        let buffer = read_buffer(reading.await)?;
        self.off = end;
        if end < self.len {
            let after = (end + SLICE_BYTES as u64).min(self.len);
            self.ahead = Some(start_read(&self.file, end, after)?);
        }
        Ok(Some(buffer))
    }
}

/// Why a previewed file cannot fit, importing `columns` columns: its values plus the
/// buffers of one slice need more than the wasm memory left (the check the import makes
/// again before reading a byte of data). `None` when it fits.
pub fn too_large(preview: &Preview, columns: usize) -> Option<crate::data::import::ImportError> {
    check_fits(
        streamed_bytes(SLICE_BYTES as u64, preview.estimated_rows, columns as u64),
        import_room(),
        preview.estimated_rows,
        columns as u64,
    )
    .err()
}

/// The preview of a file (first step): reads only its first 64 KiB.
pub async fn sniff_file(
    file: &web_sys::Blob,
    options: &ImportOptions,
) -> Result<Preview, WebError> {
    let head = read_head(file).await?;
    Ok(sniff(&head, file.size() as u64, options)?)
}

/// Imports a file (second step) with `options` (the preview's detections where `None`);
/// the page polls [`import_progress`] meanwhile.
pub async fn import_file(
    file: &web_sys::Blob,
    name: &str,
    options: ImportOptions,
) -> Result<ImportOutcome, WebError> {
    if RUNNING.swap(true, Ordering::Relaxed) {
        return Err(WebError::ImportRunning);
    }
    let result = import_inner(file, name, options, true).await;
    RUNNING.store(false, Ordering::Relaxed);
    set_progress(Phase::Idle, 0, 0);
    result
}

async fn import_inner(
    file: &web_sys::Blob,
    name: &str,
    options: ImportOptions,
    keep: bool,
) -> Result<ImportOutcome, WebError> {
    options.check()?;
    CANCEL.store(false, Ordering::Relaxed);
    let len = file.size() as u64;
    set_progress(Phase::Reading, 0, len);
    let preview = sniff_file(file, &options).await?;
    if let Some(refusal) = preview.refusal(&options) {
        return Err(refusal.into());
    }
    let resolved = preview.resolved(&options);
    let columns = resolved.columns.as_ref().map_or(0, Vec::len);
    // Refused before a byte of data is read: the preview knows the rows (exactly for
    // .npy, estimated for CSV) and the columns.
    let room = import_room();
    check_fits(
        streamed_bytes(SLICE_BYTES as u64, preview.estimated_rows, columns as u64),
        room,
        preview.estimated_rows,
        columns as u64,
    )?;
    let mut outcome = parse(file, name, resolved, room).await?;
    if keep {
        set_progress(Phase::Storing, 0, 0);
        outcome.not_kept =
            imported_files::save(outcome.source.content, file, name, &outcome.options)
                .await
                .err();
    }
    mark_loaded(outcome.source.content);
    Ok(outcome)
}

/// Makes sure the imported dataset with this content is loaded in the engine: nothing to
/// do if it is, otherwise the file kept in IndexedDB is imported again with the options
/// it was imported with. For the page's start-up when a saved or shared scenario names an
/// import.
pub async fn restore_imported(content: Fingerprint) -> Result<(), WebError> {
    if is_loaded(content) {
        return Ok(());
    }
    let stored = imported_files::load(content)
        .await?
        .ok_or(WebError::NotKept)?;
    if RUNNING.swap(true, Ordering::Relaxed) {
        return Err(WebError::ImportRunning);
    }
    let result = import_inner(&stored.blob, &stored.name, stored.options, false).await;
    RUNNING.store(false, Ordering::Relaxed);
    set_progress(Phase::Idle, 0, 0);
    if result?.source.content != content {
        return Err(WebError::KeptCopyDiffers { name: stored.name });
    }
    Ok(())
}

#[cfg(feature = "threads")]
fn mark_loaded(_content: Fingerprint) {}

/// Whether the engine holds the dataset with this content.
#[cfg(feature = "threads")]
pub fn is_loaded(content: Fingerprint) -> bool {
    super::compute::engine().has_imported(content)
}

#[cfg(not(feature = "threads"))]
thread_local! {
    // Datasets the compute worker's engine holds (it lives as long as the page).
    static LOADED: std::cell::RefCell<std::collections::HashSet<Fingerprint>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

#[cfg(not(feature = "threads"))]
fn mark_loaded(content: Fingerprint) {
    LOADED.with(|l| l.borrow_mut().insert(content));
}

/// Whether the compute worker's engine holds the dataset with this content.
#[cfg(not(feature = "threads"))]
pub fn is_loaded(content: Fingerprint) -> bool {
    LOADED.with(|l| l.borrow().contains(&content))
}

#[cfg(feature = "threads")]
/// Reports parse progress into the bridge's atomics and reads its cancel flag.
struct BridgeMonitor;

#[cfg(feature = "threads")]
impl crate::monitor::Monitor for BridgeMonitor {
    fn is_cancelled(&self) -> bool {
        CANCEL.load(Ordering::Relaxed)
    }
    fn progress(&self, done: u64, total: u64) {
        set_progress(Phase::Parsing, done, total);
    }
}

/// Threaded build: the file is read slice by slice (`Blob.slice`); each slice is copied
/// into wasm memory and parsed on the rayon pool while the page keeps painting, and only
/// the parsed values stay. The matrix is registered on the pool too.
#[cfg(feature = "threads")]
async fn parse(
    file: &web_sys::Blob,
    name: &str,
    options: ImportOptions,
    room: u64,
) -> Result<ImportOutcome, WebError> {
    let len = file.size() as u64;
    let before = wasm_memory_bytes();
    let head = read_head(file).await?;
    let mut stream = crate::data::import::StreamImport::new(
        &head,
        len,
        &options,
        Some(room),
        Some(SLICE_BYTES),
    )?;
    drop(head);
    let mut slices = Slices::new(file);
    while let Some(buffer) = slices.next().await? {
        let bytes = Uint8Array::new(buffer.as_ref()).to_vec();
        drop(buffer);
        let (s, pushed) = super::pool_job::on_pool(move || {
            let r = stream.push(&bytes, &BridgeMonitor);
            (stream, r)
        })
        .await
        .map_err(|_| WebError::ImportStopped)?;
        pushed?;
        stream = s;
    }
    let name = name.to_owned();
    super::pool_job::on_pool(move || {
        stream
            .finish(&BridgeMonitor)
            .map_err(WebError::from)
            .map(|out| {
                let source = super::compute::engine().register_imported(
                    out.matrix,
                    &name,
                    &out.report,
                    out.truth.as_ref(),
                    out.weights,
                );
                ImportOutcome {
                    source,
                    report: out.report,
                    options: out.options,
                    not_kept: None,
                    memory_growth: wasm_memory_bytes().saturating_sub(before),
                }
            })
    })
    .await
    .unwrap_or(Err(WebError::ImportStopped))
}

/// Which step of a streamed import a message to the compute worker is.
#[cfg(not(feature = "threads"))]
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step")]
enum WorkerStep {
    /// The bytes are the file's head: preview it and start the import.
    Begin { file_len: u64, room: u64 },
    /// The bytes are the next slice.
    Slice,
    /// No more bytes: finish, register, reply with the outcome.
    End,
}

/// What the page sends the compute worker with the bytes.
#[cfg(not(feature = "threads"))]
#[derive(Debug, Serialize, Deserialize)]
struct WorkerRequest {
    name: String,
    options: ImportOptions,
    step: WorkerStep,
}

/// Single-threaded build: the page reads the file slice by slice and moves each slice to
/// the compute worker (transferred, not copied), which parses it as it comes, then
/// registers the matrix in its engine.
#[cfg(not(feature = "threads"))]
async fn parse(
    file: &web_sys::Blob,
    name: &str,
    options: ImportOptions,
    room: u64,
) -> Result<ImportOutcome, WebError> {
    let len = file.size() as u64;
    let send = |step: WorkerStep, buffer: ArrayBuffer| {
        let request = serde_json::to_string(&WorkerRequest {
            name: name.to_owned(),
            options: options.clone(),
            step,
        });
        async move {
            let request = request.map_err(|e| WebError::worker(e.to_string()))?;
            let transfer = js_sys::Array::of1(&buffer);
            super::st_worker::call_transferring(
                "import",
                request,
                &[("bytes", buffer.into())],
                &transfer,
            )
            .await
        }
    };
    let head_end = len.min(SNIFF_BYTES as u64);
    send(
        WorkerStep::Begin {
            file_len: len,
            room,
        },
        read_buffer(start_read(file, 0, head_end)?.await)?,
    )
    .await?;
    let mut slices = Slices::new(file);
    while let Some(buffer) = slices.next().await? {
        send(WorkerStep::Slice, buffer).await?;
    }
    let reply = send(WorkerStep::End, ArrayBuffer::new(0)).await?;
    let outcome = js_sys::Reflect::get(&reply, &"outcome".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    serde_json::from_str(&outcome)
        .map_err(|e| WebError::worker(format!("bad reply from the compute worker: {e}")))
}

/// Main thread of the single-threaded build: a progress message from the compute worker.
#[cfg(not(feature = "threads"))]
pub(crate) fn note_worker_progress(data: &JsValue) {
    let get = |k: &str| {
        js_sys::Reflect::get(data, &k.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u64
    };
    set_progress(Phase::Parsing, get("done"), get("total"));
}

/// Posts parse progress from the compute worker to the page, at most once per percent.
#[cfg(not(feature = "threads"))]
struct WorkerMonitor {
    last: AtomicU64,
}

#[cfg(not(feature = "threads"))]
impl crate::monitor::Monitor for WorkerMonitor {
    fn progress(&self, done: u64, total: u64) {
        let step = (total / 100).max(1);
        if done / step == self.last.load(Ordering::Relaxed) / step && done < total {
            return;
        }
        self.last.store(done, Ordering::Relaxed);
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"import-progress".into());
        let _ = js_sys::Reflect::set(&msg, &"done".into(), &(done as f64).into());
        let _ = js_sys::Reflect::set(&msg, &"total".into(), &(total as f64).into());
        if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
            let _ = scope.post_message(&msg);
        }
    }
}

#[cfg(not(feature = "threads"))]
thread_local! {
    // The compute worker's import in progress, and its wasm memory when it began.
    static STREAM: std::cell::RefCell<Option<(crate::data::import::StreamImport, u64)>> =
        const { std::cell::RefCell::new(None) };
}

/// Worker side of the single-threaded build: one step of a streamed import (begin with the
/// file's head, a slice, the end), the matrix registered in this worker's engine at the
/// end. Returns `{outcome}` (JSON; `{}` before the end) or `{error}`; never throws.
#[cfg(not(feature = "threads"))]
#[wasm_bindgen]
pub fn blobscale_worker_import(request: String, bytes: &[u8]) -> JsValue {
    use crate::data::import::StreamImport;
    let out = js_sys::Object::new();
    let monitor = WorkerMonitor {
        last: AtomicU64::new(0),
    };
    let result = serde_json::from_str::<WorkerRequest>(&request)
        .map_err(|e| WebError::worker(format!("bad request: {e}")))
        .and_then(|req| match req.step {
            WorkerStep::Begin { file_len, room } => {
                // The page measured the room in its own instance; this one's is what counts.
                let room = room.min(import_room());
                let before = wasm_memory_bytes();
                let s = StreamImport::new(
                    bytes,
                    file_len,
                    &req.options,
                    Some(room),
                    Some(SLICE_BYTES),
                )?;
                STREAM.with(|c| *c.borrow_mut() = Some((s, before)));
                Ok("{}".to_string())
            }
            WorkerStep::Slice => STREAM.with(|c| match c.borrow_mut().as_mut() {
                Some((s, _)) => s
                    .push(bytes, &monitor)
                    .map(|()| "{}".to_string())
                    .map_err(WebError::from),
                None => Err(WebError::worker("a slice before the import began")),
            }),
            WorkerStep::End => {
                let Some((s, before)) = STREAM.with(|c| c.borrow_mut().take()) else {
                    return Err(WebError::worker("the import's end before it began"));
                };
                let out = s.finish(&monitor)?;
                let source = super::compute::with_st_engine(|e| {
                    e.register_imported(
                        out.matrix,
                        &req.name,
                        &out.report,
                        out.truth.as_ref(),
                        out.weights,
                    )
                });
                serde_json::to_string(&ImportOutcome {
                    source,
                    report: out.report,
                    options: out.options,
                    not_kept: None,
                    memory_growth: wasm_memory_bytes().saturating_sub(before),
                })
                .map_err(|e| WebError::worker(e.to_string()))
            }
        });
    if result.is_err() {
        // A failed step ends the import: the next one starts afresh.
        STREAM.with(|c| c.borrow_mut().take());
    }
    let (key, value) = match result {
        Ok(json) => ("outcome", json),
        Err(e) => ("error", super::st_worker::error_json(&e)),
    };
    let _ = js_sys::Reflect::set(&out, &key.into(), &value.into());
    out.into()
}
