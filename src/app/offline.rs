//! Offline use and updates, as the page shows them (`web/offline.rs`): whether the page is
//! kept in this browser for use without a network, and a notice with a Reload button when
//! a new version is ready.

use leptos::prelude::*;

use super::state::{AppState, RunState};
use crate::web::offline::{apply_update, keep_offline, watch_updates};

/// Where keeping the page offline stands.
#[derive(Debug, Clone, PartialEq)]
enum Offline {
    /// Before the first result (the page's own work comes first).
    Waiting,
    /// The service worker is fetching the rest of the build.
    Caching,
    /// Every file of the build is kept.
    Ready(u32),
    /// Not kept, and why.
    Unavailable(String),
}

/// How long after the first result the page asks for its build to be kept: copying 7 MB
/// into the cache takes a core of a two-core machine from the page for a while, so it
/// waits until the result has been drawn and read.
const KEEP_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// The status bar's "available offline" item. A little after the first result, with no
/// job running, it asks the service worker to keep the whole build, both wasm flavours
/// included.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    let offline = RwSignal::new(Offline::Waiting);
    let keep = move || {
        offline.set(Offline::Caching);
        leptos::task::spawn_local(async move {
            offline.set(match keep_offline().await {
                Ok(kept) => Offline::Ready(kept.files),
                Err(e) => Offline::Unavailable(e.to_string()),
            });
        });
    };
    Effect::new(move |scheduled: Option<bool>| {
        let idle = state.shown.with(Option::is_some) && state.run.get() != RunState::Running;
        if scheduled == Some(true) || !idle || offline.get_untracked() != Offline::Waiting {
            return scheduled.unwrap_or(false);
        }
        set_timeout(keep, KEEP_AFTER);
        true
    });
    view! {
        <span id="offline" data-state=move || match offline.get() {
            Offline::Waiting => "waiting",
            Offline::Caching => "caching",
            Offline::Ready(_) => "ready",
            Offline::Unavailable(_) => "unavailable",
        }>
            {move || match offline.get() {
                Offline::Waiting => String::new(),
                Offline::Caching => "keeping the page for offline use…".to_string(),
                Offline::Ready(n) => format!("works offline ({n} files kept in this browser)"),
                Offline::Unavailable(why) => format!("not kept offline: {why}"),
            }}
        </span>
    }
}

/// A notice that a new version is ready, with a button that switches to it (one reload).
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        // No service worker (blocked, ?nosw): no updates to announce either.
        let _ = watch_updates(move || ready.set(true)).await;
    });
    let reload = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(e) = apply_update().await {
                error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <div id="update-ready" class="update-notice" role="status" hidden=move || !ready.get()>
            {move || ready.get().then(|| view! {
                "A new version of blobscale is ready. Your scenarios are saved. "
                <button id="update-reload" type="button" on:click=reload>"Reload to update"</button>
                {move || error.get().map(|e| view! { <span class="error">{format!(" {e}")}</span> })}
            })}
        </div>
    }
}
