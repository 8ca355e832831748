//! What the page shows, computed natively so components only turn it into views and each
//! piece has unit tests (ARCHITECTURE.md §1): which graph nodes a new request would not
//! reuse ([`staleness`], by the engine's own memo keys) and which inputs differ from the
//! shown run's ([`input_marks`], by the engine's fingerprints), where the graph's nodes go
//! ([`graph_layout`]), the task stream's statistics and lanes ([`task_stream`]), the
//! canvas's zoom and pan ([`navigation`]), the small charts' geometry ([`chart_layout`]),
//! measured speed-ups ([`speedup`]), numbers for people ([`number_format`]) and the
//! decks' captions and reasons ([`explanation`]).

pub mod chart_layout;
pub mod explanation;
pub mod graph_layout;
pub mod input_marks;
pub mod navigation;
pub mod number_format;
pub mod replay_caption;
pub mod speedup;
pub mod staleness;
pub mod task_stream;
