//! What the page runs on: build flavour, cross-origin isolation, threads, and a clock that
//! agrees across the main thread and every worker.

use std::cell::OnceCell;

use wasm_bindgen::JsCast;

use crate::pipeline::jobs::clock::Clock;

/// Which of the two web builds is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Atomics, shared memory and a wasm-bindgen-rayon pool of Web Workers.
    Threaded,
    /// No shared memory: one dedicated worker computes, the page stays responsive.
    SingleThreaded,
}

impl Flavour {
    /// The flavour this module was compiled as.
    pub const fn current() -> Self {
        if cfg!(feature = "threads") {
            Flavour::Threaded
        } else {
            Flavour::SingleThreaded
        }
    }

    /// A short name for the status bar and tests.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Threaded => "threaded",
            Flavour::SingleThreaded => "single-threaded",
        }
    }
}

fn global_bool(name: &str) -> bool {
    js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// `globalThis.crossOriginIsolated`: shared memory is only available when true.
pub fn cross_origin_isolated() -> bool {
    global_bool("crossOriginIsolated")
}

/// Whether this global is a window (false inside a worker).
pub fn is_window() -> bool {
    js_sys::global().dyn_into::<web_sys::Window>().is_ok()
}

/// `navigator.hardwareConcurrency`, at least 1.
pub fn hardware_concurrency() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency() as usize)
        .unwrap_or(1)
        .max(1)
}

/// Worker threads to start: `?threads=N` in the page's URL (1 ..= hardware concurrency;
/// how the benchmark measures speed-up over one thread), otherwise every core.
pub fn requested_threads() -> usize {
    let cores = hardware_concurrency();
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("threads=").map(str::to_owned))
        })
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(cores, |n| n.clamp(1, cores))
}

thread_local! {
    static PERFORMANCE: OnceCell<Option<web_sys::Performance>> = const { OnceCell::new() };
}

/// `performance.timeOrigin + performance.now()` of the calling thread, in ms since the
/// epoch: comparable between the page and its workers, unlike `performance.now()` alone.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|cell| {
        cell.get_or_init(|| {
            js_sys::Reflect::get(&js_sys::global(), &"performance".into())
                .ok()
                .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        })
        .as_ref()
        .map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
    })
}

/// The browser's [`Clock`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PerformanceClock;

impl Clock for PerformanceClock {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
}
