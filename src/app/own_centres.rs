//! Your own starting centres (scikit-learn's `KMeans(init=ndarray)`): paste k rows of d
//! values, or load them from a small file, in any dialect the importer reads; they are
//! checked against k and the data's columns ([`parse_centres`]) before the scenario's
//! seeding becomes `Init::Centers`. Shown while the seeding select says "your own centres".

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::AppState;
use crate::cluster::Init;
use crate::data::import::parse_centres;
use crate::pipeline::ScenarioInputs;

/// The data's columns: the imported file's, or the blobs' features.
fn data_columns(i: &ScenarioInputs) -> usize {
    i.imported().map_or(i.n_features, |s| s.columns)
}

/// The given centres as text, one row a line.
fn as_text(rows: &[Vec<f64>]) -> String {
    rows.iter()
        .map(|r| r.iter().map(f64::to_string).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The starting-centres field.
#[component]
pub fn OwnCentres() -> impl IntoView {
    let state = expect_context::<AppState>();
    let inputs = state.inputs;
    let text = RwSignal::new(inputs.with_untracked(|i| match &i.init {
        Init::Centers(rows) => as_text(rows),
        _ => String::new(),
    }));
    let error = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let apply = move || {
        let (k, d) = inputs.with_untracked(|i| (i.k, data_columns(i)));
        match parse_centres(text.get_untracked().as_bytes(), k, d) {
            Ok(rows) => {
                error.set(String::new());
                applied.set(format!("{k} centres of {d} values in use."));
                inputs.update(|i| i.init = Init::Centers(rows));
            }
            Err(e) => {
                applied.set(String::new());
                error.set(format!("Starting centres: {e}."));
            }
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(f) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(f.text()).await {
                Ok(t) => {
                    text.set(t.as_string().unwrap_or_default());
                    apply();
                }
                Err(_) => error.set(format!(
                    "Starting centres: '{}' could not be read.",
                    f.name()
                )),
            }
        });
    };
    let hint = move || {
        inputs.with(|i| {
            format!(
                "k = {} rows of {} values (the data's columns), separated as in a CSV file.",
                i.k,
                data_columns(i)
            )
        })
    };
    view! {
        <div class="field own-centres" id="own-centres">
            <label for="init-centres">"Starting centres"</label>
            <p class="hint" id="init-centres-hint">{hint}</p>
            <textarea id="init-centres" rows="4" spellcheck="false" aria-describedby="init-centres-hint init-centres-error"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="run-row">
                <label class="file-button">"Load a file "
                    <input type="file" id="init-centres-file" accept=".csv,.tsv,.txt" on:change=on_file />
                </label>
                <button id="init-centres-apply" type="button" on:click=move |_| apply()>"Use these centres"</button>
            </div>
            <p id="init-centres-error" class="field-error" role="alert">{move || error.get()}</p>
            <p id="init-centres-ok" class="import-note" role="status">{move || applied.get()}</p>
        </div>
    }
}
