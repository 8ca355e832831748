//! Imported files kept in IndexedDB (this origin only; nothing is uploaded), keyed by the
//! content fingerprint of the matrix they gave, so a reload — or a saved scenario that
//! names the import — can parse the same bytes with the same options again.
//!
//! The record holds the `File` itself (IndexedDB stores blobs natively, without copying
//! them through wasm), its name, and the import options as JSON.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use super::error::WebError;
use crate::data::import::ImportOptions;
use crate::pipeline::memo::fingerprint::Fingerprint;

const DB_NAME: &str = "blobscale-imports";
const DB_VERSION: u32 = 1;
const STORE: &str = "files";

/// A stored import.
pub struct StoredFile {
    /// The file as the user gave it.
    pub blob: web_sys::Blob,
    /// Its name.
    pub name: String,
    /// The options it was imported with (delimiter, header and columns resolved).
    pub options: ImportOptions,
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| {
            e.dyn_ref::<web_sys::Event>()
                .and_then(|ev| ev.target())
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.error().ok().flatten())
                .map(|d| d.message())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// An IndexedDB call that failed, in the browser's words.
fn idb(e: &JsValue) -> WebError {
    WebError::browser(format!("IndexedDB: {}", describe(e)))
}

/// Waits for an IndexedDB request and returns its result.
async fn done(req: &IdbRequest) -> Result<JsValue, WebError> {
    let promise = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|e| idb(&e))?;
    req.result().map_err(|e| idb(&e))
}

async fn open() -> Result<IdbDatabase, WebError> {
    let factory = web_sys::window()
        .ok_or(WebError::browser("no window"))?
        .indexed_db()
        .map_err(|e| WebError::browser(format!("the browser refused IndexedDB: {}", describe(&e))))?
        .ok_or(WebError::browser("this browser has no IndexedDB"))?;
    let req: IdbOpenDbRequest = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| idb(&e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db
            && !db.object_store_names().contains(STORE)
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = done(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    db?.dyn_into::<IdbDatabase>()
        .map_err(|_| WebError::browser("IndexedDB: open gave no database"))
}

/// Keeps `blob` under `content` with its name and options (replacing any older record).
pub async fn save(
    content: Fingerprint,
    blob: &web_sys::Blob,
    name: &str,
    options: &ImportOptions,
) -> Result<(), WebError> {
    let db = open().await?;
    let record = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&record, &k.into(), v);
    let options = serde_json::to_string(options).map_err(|e| WebError::browser(e.to_string()))?;
    set("blob", blob)
        .and_then(|_| set("name", &name.into()))
        .and_then(|_| set("options", &options.into()))
        .map_err(|e| WebError::browser(describe(&e)))?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| idb(&e))?;
    let store = tx.object_store(STORE).map_err(|e| idb(&e))?;
    let req = store
        .put_with_key(&record, &content.to_string().into())
        .map_err(|e| {
            WebError::browser(format!(
                "could not keep the file in IndexedDB: {}",
                describe(&e)
            ))
        })?;
    done(&req).await?;
    db.close();
    Ok(())
}

/// The file kept under `content`, if any.
pub async fn load(content: Fingerprint) -> Result<Option<StoredFile>, WebError> {
    let db = open().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| idb(&e))?;
    let store = tx.object_store(STORE).map_err(|e| idb(&e))?;
    let req = store
        .get(&content.to_string().into())
        .map_err(|e| idb(&e))?;
    let record = done(&req).await?;
    db.close();
    if record.is_undefined() || record.is_null() {
        return Ok(None);
    }
    let get = |k: &str| Reflect::get(&record, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let blob = get("blob")
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| WebError::browser("the stored import has no file"))?;
    let options: ImportOptions =
        serde_json::from_str(&get("options").as_string().unwrap_or_default()).map_err(|e| {
            WebError::browser(format!("the stored import's options are unreadable: {e}"))
        })?;
    Ok(Some(StoredFile {
        blob,
        name: get("name").as_string().unwrap_or_default(),
        options,
    }))
}
