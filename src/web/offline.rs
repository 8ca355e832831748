//! The service worker seen from the page (`assets/coi-sw.js`, ARCHITECTURE.md §8): asking
//! it to keep the whole build for offline use, learning that a new version is waiting, and
//! switching to it with one reload when the user says so.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

use super::error::WebError;

/// How long the page waits for a service worker to take charge before it says the page is
/// not kept offline (registration can be blocked, or refused by the browser).
const READY_TIMEOUT_MS: i32 = 15_000;

/// What the service worker keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// The build's version key (a digest of its files).
    pub version: String,
    /// Files in the cache.
    pub files: u32,
}

fn container() -> Result<ServiceWorkerContainer, WebError> {
    let window = web_sys::window().ok_or_else(|| WebError::browser("no window"))?;
    let navigator = window.navigator();
    if !Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return Err(WebError::browser(
            "this browser offers no service workers here",
        ));
    }
    Ok(navigator.service_worker())
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// The active registration, once a service worker controls this origin's pages, or an
/// error after [`READY_TIMEOUT_MS`].
async fn ready() -> Result<ServiceWorkerRegistration, WebError> {
    let ready = container()?
        .ready()
        .map_err(|e| WebError::browser(format!("service worker: {e:?}")))?;
    let timeout = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, READY_TIMEOUT_MS);
        }
    });
    let first = JsFuture::from(Promise::race(&Array::of2(&ready, &timeout)))
        .await
        .map_err(|e| WebError::browser(format!("service worker: {e:?}")))?;
    first.dyn_into::<ServiceWorkerRegistration>().map_err(|_| {
        WebError::browser("no service worker took charge of this page (blocked, or ?nosw)")
    })
}

/// Asks the service worker to cache every file of this build (both wasm flavours) and
/// waits for its answer.
pub async fn keep_offline() -> Result<Kept, WebError> {
    let registration = ready().await?;
    let active = registration
        .active()
        .ok_or_else(|| WebError::browser("the service worker is not active"))?;
    let channel =
        web_sys::MessageChannel::new().map_err(|e| WebError::browser(format!("{e:?}")))?;
    let port = channel.port1();
    let answer = Promise::new(&mut |resolve, _| {
        let on_message = Closure::once_into_js(move |ev: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &ev.data());
        });
        port.set_onmessage(Some(on_message.unchecked_ref()));
    });
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"precache".into());
    active
        .post_message_with_transferable(&message, &Array::of1(&channel.port2()))
        .map_err(|e| WebError::browser(format!("asking the service worker to cache: {e:?}")))?;
    let reply = JsFuture::from(answer)
        .await
        .map_err(|e| WebError::browser(format!("{e:?}")))?;
    let ok = Reflect::get(&reply, &"ok".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !ok {
        return Err(WebError::browser(format!(
            "caching for offline use failed: {}",
            text(&reply, "error").unwrap_or_default()
        )));
    }
    Ok(Kept {
        version: text(&reply, "version").unwrap_or_default(),
        files: Reflect::get(&reply, &"files".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32,
    })
}

/// Calls `on_ready` once a new version of the page is installed and waiting: now, or when
/// the browser finds one (it checks on every visit).
pub async fn watch_updates(on_ready: impl Fn() + 'static) -> Result<(), WebError> {
    let registration = ready().await?;
    let container = container()?;
    let on_ready = Rc::new(on_ready);
    if registration.waiting().is_some() && container.controller().is_some() {
        on_ready();
    }
    let reg = registration.clone();
    let on_update_found = Closure::<dyn Fn()>::new(move || {
        let Some(installing) = reg.installing() else {
            return;
        };
        let worker: ServiceWorker = installing.clone();
        let on_ready = on_ready.clone();
        let on_state = Closure::<dyn Fn()>::new(move || {
            // A first install has no controller to replace; only an update is announced.
            let controlled = container_controlled();
            if worker.state() == ServiceWorkerState::Installed && controlled {
                on_ready();
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
    Ok(())
}

fn container_controlled() -> bool {
    container().is_ok_and(|c| c.controller().is_some())
}

/// Lets the waiting version take over and reloads the page once it has.
pub async fn apply_update() -> Result<(), WebError> {
    let registration = ready().await?;
    let waiting = registration
        .waiting()
        .ok_or_else(|| WebError::browser("no new version is waiting"))?;
    let reloaded = Rc::new(Cell::new(false));
    let on_change = Closure::<dyn Fn()>::new(move || {
        // One reload, whatever else fires.
        if !reloaded.replace(true)
            && let Some(w) = web_sys::window()
        {
            let _ = w.location().reload();
        }
    });
    container()?.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"skip-waiting".into());
    waiting
        .post_message(&message)
        .map_err(|e| WebError::browser(format!("{e:?}")))
}
