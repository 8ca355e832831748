//! The page is built in stages (ARCHITECTURE.md §8, "Start-up"): the shell first, then each
//! panel in a task of its own after the previous one is painted, so that no task of the
//! start-up comes near the 50 ms that Chrome calls a long task. Building every panel in the
//! task that instantiates the module took 200–380 ms on this project's two-core machine,
//! most of it compiling one function that held the whole page.
//!
//! A stage's view is built behind a `dyn Fn` ([`ChildrenFn`]), so its code stays a
//! function of its own that the optimiser cannot inline into the page's, and is compiled
//! (wasm functions compile lazily, on their first call) in its own task too.

use leptos::prelude::*;

/// How far the page has been built: the parts that are not needed for the first picture
/// are mounted one per task, after the first paint (ARCHITECTURE.md §8, "Start-up").
#[derive(Clone, Copy)]
pub(super) struct MountStage(pub(super) RwSignal<u8>);

/// The last stage: everything is mounted.
pub(super) const LAST_STAGE: u8 = 15;

/// Mounts the next stage in a task of its own once the previous stage has been painted: a
/// timeout started from an animation frame runs after that frame, so each stage's build and
/// its layout fall in separate tasks, and no task of the start-up comes near 50 ms.
pub(super) fn advance(stage: RwSignal<u8>) {
    request_animation_frame(move || {
        set_timeout(
            move || {
                stage.update(|s| *s += 1);
                if stage.get_untracked() < LAST_STAGE {
                    advance(stage);
                }
            },
            std::time::Duration::ZERO,
        );
    });
}

/// `children`, once the page has reached `stage`.
#[component]
pub(super) fn Later(stage: u8, children: ChildrenFn) -> impl IntoView {
    let MountStage(mounted) = expect_context();
    // Reruns once, when the stage is reached; later stages leave the built view alone.
    let ready = Memo::new(move |_| mounted.get() >= stage);
    move || ready.get().then(|| children())
}
