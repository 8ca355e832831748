//! Chunk-parallel loops that record each chunk as a task, skip the remaining chunks once
//! the monitor cancels, and return per-chunk results in chunk order.

use rayon::prelude::*;

use crate::data::{CHUNKS_PER_JOB, Chunk, ChunkedMatrix};
use crate::monitor::{Cancelled, Monitor, TaskKind, run_chunk};

/// `f(chunk)` for every chunk, in chunk order.
pub fn map_chunks<R: Send>(
    x: &ChunkedMatrix,
    kind: TaskKind,
    monitor: &dyn Monitor,
    f: impl Fn(Chunk<'_>) -> R + Sync,
) -> Result<Vec<R>, Cancelled> {
    let out: Vec<Option<R>> = x
        .par_chunks()
        .map(|c| {
            if monitor.is_cancelled() {
                None
            } else {
                Some(run_chunk(monitor, kind, c.index, || f(c)))
            }
        })
        .collect();
    monitor.checkpoint()?;
    out.into_iter().map(|r| r.ok_or(Cancelled)).collect()
}

/// `f(chunk, rows_of_state)` for every chunk, where `state` holds one value per row and
/// each chunk gets its rows' slice to update.
pub fn map_chunks_mut<T: Send, R: Send>(
    x: &ChunkedMatrix,
    state: &mut [T],
    kind: TaskKind,
    monitor: &dyn Monitor,
    f: impl Fn(Chunk<'_>, &mut [T]) -> R + Sync,
) -> Result<Vec<R>, Cancelled> {
    let out: Vec<Option<R>> = state
        .par_chunks_mut(x.chunk_rows())
        .zip(x.par_chunks())
        .with_max_len(CHUNKS_PER_JOB)
        .map(|(s, c)| {
            if monitor.is_cancelled() {
                None
            } else {
                Some(run_chunk(monitor, kind, c.index, || f(c, s)))
            }
        })
        .collect();
    monitor.checkpoint()?;
    out.into_iter().map(|r| r.ok_or(Cancelled)).collect()
}

/// [`map_chunks_mut`] over two per-row states at once: `f(chunk, rows_of_a, rows_of_b)`.
pub fn map_chunks_mut2<A: Send, B: Send, R: Send>(
    x: &ChunkedMatrix,
    a: &mut [A],
    b: &mut [B],
    kind: TaskKind,
    monitor: &dyn Monitor,
    f: impl Fn(Chunk<'_>, &mut [A], &mut [B]) -> R + Sync,
) -> Result<Vec<R>, Cancelled> {
    assert_eq!(a.len(), b.len(), "one value of each state per row");
    let out: Vec<Option<R>> = a
        .par_chunks_mut(x.chunk_rows())
        .zip(b.par_chunks_mut(x.chunk_rows()))
        .zip(x.par_chunks())
        .with_max_len(CHUNKS_PER_JOB)
        .map(|((a, b), c)| {
            if monitor.is_cancelled() {
                None
            } else {
                Some(run_chunk(monitor, kind, c.index, || f(c, a, b)))
            }
        })
        .collect();
    monitor.checkpoint()?;
    out.into_iter().map(|r| r.ok_or(Cancelled)).collect()
}
