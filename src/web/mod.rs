//! The browser bridge: thread pool, off-main-thread jobs, storage, files (DESIGN §1, §5).
