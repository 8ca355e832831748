//! Leptos components: they read and write signals and never compute (ARCHITECTURE.md §1, §3).

mod charts;
mod compare_view;
mod controls;
mod decks;
mod export_panel;
mod fields;
mod import_panel;
pub mod legend;
pub mod measured_canvas;
mod offline;
mod own_centres;
mod page;
mod pipeline_view;
mod plot;
mod replay_panel;
mod runner;
mod scenario_panel;
mod scenarios;
mod speedup;
mod staged;
mod state;
mod status_bar;
mod sweep_panel;
mod task_stream;

// Numbers for people are formatted by the core, where their text is tested natively; the
// components name the module `format` (`super::format`).
use crate::pipeline::display::number_format as format;
use crate::web::environment::{Flavour, cross_origin_isolated, is_window};

/// The web entry point, called by `main` on wasm32.
///
/// The same module is also instantiated inside workers (the rayon pool, the
/// single-threaded build's compute worker), where there is no page to mount. In the threaded
/// build without cross-origin isolation the loader in `index.html` is already switching to
/// the single-threaded build, so nothing is mounted either.
pub fn start() {
    if !is_window() {
        return;
    }
    console_error_panic_hook::set_once();
    if Flavour::current() == Flavour::Threaded && !cross_origin_isolated() {
        return;
    }
    // In a task of its own, not in the one that instantiated the module (app/staged.rs).
    leptos::prelude::set_timeout(
        || leptos::mount::mount_to_body(page::Page),
        std::time::Duration::ZERO,
    );
}
