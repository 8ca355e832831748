//! Memory for the next evaluation, touched while the page is idle.
//!
//! wasm memory only grows, and the allocator (dlmalloc) reuses what is freed, but every
//! byte above the heap's high-water mark is new to the process: the first write to each
//! 4 KiB page faults (the kernel finds and zeroes a page), and each growth of a *shared*
//! memory interrupts every worker so it can see the new size. While the memo store fills
//! towards its budget, every evaluation on new data lands above that mark. Measured in
//! headless Chromium on 2 cores: about 4,000 page faults in the workers per W1 run (1M × 2),
//! and with memory recycled instead (a small memo budget) the runs took 10–15 % less time,
//! generation most of all. Allocating one evaluation's worth after a result, writing one
//! byte per page and freeing it again leaves that much faulted memory at the top of the
//! heap, so the next evaluation's allocations find it ready — the work moves into time
//! the page is idle. wasm memory cannot be handed back to the system, so a page faulted in
//! once stays in.

/// The operating system's page: one write per page faults it in.
const PAGE: usize = 4096;

/// Bytes touched between two looks at `stop`: well under a millisecond of work.
const SLICE: usize = 1 << 20;

/// Allocates `bytes`, writes one byte in each page of it and frees it, stopping early
/// once `stop()` is true (new work has arrived: it needs the threads more than this).
/// Returns the bytes touched; 0 when the allocation itself fails (nothing is reserved
/// then, and nothing aborts).
pub fn touch(bytes: usize, stop: &dyn Fn() -> bool) -> usize {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_err() {
        return 0;
    }
    let base = block.as_mut_ptr();
    let mut done = 0;
    while done < bytes && !stop() {
        let end = (done + SLICE).min(bytes);
        for offset in (done..end).step_by(PAGE) {
            // SAFETY: `offset < bytes`, within the reserved capacity. Volatile, because a
            // plain store to memory that is freed unread may be removed by the compiler.
            unsafe { base.add(offset).write_volatile(0) };
        }
        done = end;
    }
    done
}
