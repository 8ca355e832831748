//! The scenario engine: data nodes, task nodes, memo store, jobs (DESIGN §4).
