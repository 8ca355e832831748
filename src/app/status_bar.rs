//! The status bar: which build runs, on how many threads, whether the page is
//! cross-origin isolated, and memory against the wasm limit and the memo budget.

use leptos::prelude::*;

use super::format;
use super::state::AppState;
use crate::web::compute::{WASM_MEMORY_LIMIT, wasm_memory_bytes};
use crate::web::environment::{Flavour, cross_origin_isolated};

/// One line saying what the page runs on.
#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let flavour = Flavour::current();
    let coi = cross_origin_isolated();
    // The loader leaves the reason it chose the single-threaded build in session storage.
    let why_single = (flavour == Flavour::SingleThreaded)
        .then(|| {
            web_sys::window()
                .and_then(|w| w.session_storage().ok().flatten())
                .and_then(|s| s.get_item("blobscale-why-single").ok().flatten())
        })
        .flatten();
    let memory = move || {
        // Re-read whenever a result or a progress poll arrives.
        state.shown.track();
        state.live.track();
        let memo = state
            .live
            .get()
            .map(|l| l.memory)
            .or_else(|| state.shown.get().map(|s| s.outcome.meta.memory));
        let wasm = format!(
            "wasm memory {} of {}",
            format::bytes(wasm_memory_bytes()),
            format::bytes(WASM_MEMORY_LIMIT)
        );
        match memo {
            Some(m) => format!(
                "{wasm} · memo {} of {} ({} values)",
                format::bytes(m.used_bytes as u64),
                format::bytes(m.budget_bytes as u64),
                m.values
            ),
            None => wasm,
        }
    };
    view! {
        <footer class="status-bar" id="status-bar">
            <span id="flavour" data-flavour=flavour.name()>
                {match flavour {
                    Flavour::Threaded => "Threaded build (Web Workers sharing memory)",
                    Flavour::SingleThreaded => "Single-threaded build (one compute worker)",
                }}
            </span>
            {why_single.map(|why| view! { <span id="why-single">{format!("because {why}")}</span> })}
            <span id="thread-count">
                {move || match state.threads.get() {
                    Some(n) => format!("{n} thread{}", if n == 1 { "" } else { "s" }),
                    None => "starting threads…".to_string(),
                }}
            </span>
            <span id="coi" data-coi=coi.to_string()>
                {if coi { "cross-origin isolated" } else { "not cross-origin isolated" }}
            </span>
            <span id="memory">{memory}</span>
            <super::offline::OfflineStatus />
        </footer>
    }
}
