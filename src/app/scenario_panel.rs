//! The scenario selector (Taipy's): every scenario with its key numbers; create,
//! duplicate, rename, delete (with undo), switch, share as a link, and tick two or more to
//! compare them side by side.

use leptos::prelude::*;

use super::compare_view::CompareView;
use super::format;
use super::scenarios;
use super::state::AppState;
use crate::pipeline::scenarios::codec::scenario_to_url;
use crate::pipeline::scenarios::scenario::Scenario;
use crate::web::browser_storage;

/// One line of facts about a scenario: its shape and its last result, or why there is none.
fn facts(state: AppState, s: &Scenario) -> String {
    let i = &s.inputs;
    let shape = format!(
        "{} × {}, k = {}",
        format::thousands(i.n_samples as u64),
        i.n_features,
        i.k
    );
    let result = state.results.with(|r| {
        r.get(&s.id).filter(|k| k.saved.inputs == *i).map(|k| {
            format!(
                "inertia {}, ARI {}",
                format::score(Some(k.saved.summary.metrics.inertia)),
                format::score(Some(k.saved.summary.metrics.adjusted_rand))
            )
        })
    });
    let note = if let Some(r) = result {
        r
    } else if state.filling.get() == Some(s.id) {
        "computing…".to_string()
    } else if let Some(e) = state.fill_errors.with(|f| f.get(&s.id).cloned()) {
        format!("failed: {e}")
    } else if state.current.get() == s.id {
        "running…".to_string()
    } else {
        "waiting to compute".to_string()
    };
    format!("{shape} — {note}")
}

/// The scenario panel.
#[component]
pub fn ScenarioPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let deleted = RwSignal::new(None::<Scenario>);
    let link = RwSignal::new(String::new());
    let name_draft = RwSignal::new(String::new());

    // The name box follows the open scenario.
    Effect::new(move |_| {
        let id = state.current.get();
        let name = state
            .book
            .with(|b| b.get(id).map(|s| s.name.clone()).unwrap_or_default());
        name_draft.set(name);
    });

    // The list follows ids and names only: a run changes the open scenario's inputs in the
    // book at every start, which must not rebuild the list (each row's facts follow on
    // their own).
    let rows = Memo::new(move |_| {
        state.book.with(|b| {
            b.scenarios()
                .iter()
                .map(|s| (s.id, s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let report = move |r: Result<(), String>| error.set(r.err());
    let share = move |_| {
        let id = state.current.get_untracked();
        let code = state
            .book
            .with_untracked(|b| b.get(id).map(|s| scenario_to_url(&s.name, &s.inputs)));
        match code {
            Ok(code) => {
                let url = browser_storage::share_link(&code);
                if let Some(w) = web_sys::window() {
                    // Best effort (the browser may refuse): the link is also shown to copy.
                    let copied = wasm_bindgen_futures::JsFuture::from(
                        w.navigator().clipboard().write_text(&url),
                    );
                    leptos::task::spawn_local(async move {
                        let _ = copied.await;
                    });
                }
                link.set(url);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };

    view! {
        <section class="panel scenarios" id="scenarios" aria-label="Scenarios">
            <h2>"Scenarios"</h2>
            {move || state.notice.get().map(|n| view! { <p id="scenario-notice" class="notice" role="status">{n}</p> })}
            <ul id="scenario-list" class="scenario-list">
                <For
                    each=move || rows.get()
                    key=|(id, name)| (*id, name.clone())
                    children=move |(id, name)| {
                        let checked = move || state.comparing.with(|c| c.contains(&id));
                        view! {
                            <li data-id=id.to_string() class:current=move || state.current.get() == id>
                                <input type="checkbox" id=format!("scenario-compare-{id}") title="Compare"
                                    aria-label=format!("Compare {name}")
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        state.comparing.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                    } />
                                <button type="button" class="link scenario-open" id=format!("scenario-open-{id}")
                                    on:click=move |_| scenarios::open(state, id)>{name}</button>
                                <span class="muted scenario-facts">
                                    {move || state.book.with(|b| b.get(id).ok().cloned()).map(|s| facts(state, &s))}
                                </span>
                            </li>
                        }
                    }
                />
            </ul>
            <div class="row scenario-actions">
                <button id="scenario-new" type="button" on:click=move |_| report(scenarios::create(state))>"New from current"</button>
                <button id="scenario-duplicate" type="button"
                    on:click=move |_| report(scenarios::duplicate(state, state.current.get_untracked()))>"Duplicate"</button>
                <button id="scenario-delete" type="button"
                    on:click=move |_| match scenarios::delete(state, state.current.get_untracked()) {
                        Ok(s) => { deleted.set(Some(s)); error.set(None); }
                        Err(e) => error.set(Some(e)),
                    }>"Delete"</button>
                {move || deleted.get().map(|s| {
                    let label = format!("Undo delete of “{}”", s.name);
                    view! {
                        <button id="scenario-undo" type="button" on:click=move |_| {
                            if let Some(s) = deleted.get_untracked() {
                                report(scenarios::undelete(state, s));
                                deleted.set(None);
                            }
                        }>{label}</button>
                    }
                })}
            </div>
            <div class="row scenario-actions">
                <label for="scenario-name">"Name"</label>
                <input id="scenario-name" type="text" maxlength="120" prop:value=move || name_draft.get()
                    on:input=move |ev| name_draft.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" {
                        report(scenarios::rename(state, state.current.get_untracked(), &name_draft.get_untracked()));
                    } />
                <button id="scenario-rename" type="button"
                    on:click=move |_| report(scenarios::rename(state, state.current.get_untracked(), &name_draft.get_untracked()))>"Rename"</button>
                <button id="scenario-share" type="button" on:click=share>"Share link"</button>
            </div>
            {move || (!link.get().is_empty()).then(|| view! {
                <p class="share">
                    <label for="scenario-link">"Link to this scenario (copied): "</label>
                    <input id="scenario-link" type="text" readonly prop:value=move || link.get() />
                </p>
            })}
            {move || error.get().map(|e| view! { <p id="scenario-error" class="error" role="alert">{e}</p> })}
            <CompareView />
        </section>
    }
}
