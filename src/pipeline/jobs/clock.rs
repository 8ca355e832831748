//! Time for job records, the same code natively and in the browser.
//!
//! `std::time::Instant` panics on `wasm32-unknown-unknown`, so the core never reads time
//! itself: callers hand it a [`Clock`]. Natively that is [`MonotonicClock`]; in the browser
//! the `web` layer supplies one backed by `performance.timeOrigin + performance.now()`, which
//! agrees across the main thread and every worker.

/// A source of timestamps in milliseconds.
pub trait Clock: Sync + Send {
    /// Milliseconds since an origin shared by every thread of the process or page.
    fn now_ms(&self) -> f64;
}

/// The native clock: milliseconds since the clock was made.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    origin: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for MonotonicClock {
    fn default() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for MonotonicClock {
    fn now_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1e3
    }
}

/// A clock that always reads zero, for callers that do not want timings.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}
