//! A [`Monitor`] that timestamps stage boundaries, so the CLI can report how long seeding
//! and Lloyd's iterations took without the core reading a clock (it must not: wasm32 has
//! no `Instant`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::monitor::{Monitor, TaskKind};

/// Records when the first task of each kind started.
pub struct StageClock {
    start: Instant,
    first: Mutex<[Option<Duration>; TaskKind::ALL.len()]>,
}

impl StageClock {
    /// A clock started now.
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
            first: Mutex::new([None; TaskKind::ALL.len()]),
        }
    }

    /// Seconds since the start.
    pub fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Seconds from the start to the first task of `kind`, if one ran.
    pub fn first_task(&self, kind: TaskKind) -> Option<f64> {
        let i = TaskKind::ALL.iter().position(|&k| k == kind)?;
        self.first.lock().expect("not poisoned")[i].map(|d| d.as_secs_f64())
    }
}

impl Monitor for StageClock {
    fn task_started(&self, kind: TaskKind, _chunk: usize) -> u64 {
        let i = TaskKind::ALL
            .iter()
            .position(|&k| k == kind)
            .expect("every kind is listed");
        let mut first = self.first.lock().expect("not poisoned");
        if first[i].is_none() {
            first[i] = Some(self.start.elapsed());
        }
        0
    }
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`), if known.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
