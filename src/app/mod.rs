//! Leptos components: they read and write signals and never compute (DESIGN §1).
