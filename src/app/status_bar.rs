//! The status bar: which build runs, on how many threads, and whether the page is
//! cross-origin isolated.

use leptos::prelude::*;

use crate::web::environment::{Flavour, cross_origin_isolated};

/// One line saying what the page runs on.
#[component]
pub fn StatusBar(
    /// Threads in the compute pool, once known.
    threads: ReadSignal<Option<usize>>,
) -> impl IntoView {
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
    view! {
        <footer class="status-bar" id="status-bar">
            <span id="flavour" data-flavour=flavour.name()>
                {match flavour {
                    Flavour::Threaded => "Threaded build (Web Workers sharing memory)",
                    Flavour::SingleThreaded => "Single-threaded build (one compute worker: this browser gives no shared memory here)",
                }}
            </span>
            {why_single.map(|why| view! { <span id="why-single">{format!("because {why}")}</span> })}
            <span id="threads">
                {move || match threads.get() {
                    Some(n) => format!("{n} thread{}", if n == 1 { "" } else { "s" }),
                    None => "starting threads…".to_string(),
                }}
            </span>
            <span id="coi" data-coi=coi.to_string()>
                {if coi { "cross-origin isolated" } else { "not cross-origin isolated" }}
            </span>
        </footer>
    }
}
