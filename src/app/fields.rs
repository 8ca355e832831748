//! Form fields that refuse out-of-range input at the control, with the reason beside it.

use leptos::prelude::*;

use crate::limits::Limit;

fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A number box for one row of the limits table (`crate::limits`): its range and its
/// refusals are the core's and the CLI's. Accepted values go to `set`; others show why and
/// change nothing.
#[component]
pub fn NumberField(
    /// Element id.
    id: &'static str,
    /// What people read.
    label: &'static str,
    /// The parameter's row of the limits table.
    limit: Limit,
    /// A tighter upper bound that depends on the data (fit-sample rows ≤ samples).
    #[prop(optional, into)]
    max: Option<Signal<f64>>,
    /// Step of the browser's spinner.
    step: &'static str,
    /// The current value.
    value: Signal<f64>,
    /// Receives accepted values.
    set: Callback<f64>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let limit_now = move || max.map_or(limit, |m| limit.up_to(m.get()));
    let on_change = move |ev| {
        let raw = event_target_value(&ev);
        let limit = max.map_or(limit, |m| limit.up_to(m.get_untracked()));
        match limit.parse(&raw) {
            Ok(v) => {
                error.set(None);
                set.run(v);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="number"
                min=show(limit.min())
                max=move || show(limit_now().max())
                step=step
                prop:value=move || show(value.get())
                on:change=on_change
                class:invalid=move || error.get().is_some()
                aria-invalid=move || error.get().is_some().to_string()
            />
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" id=format!("{id}-error")>{e}</p> })}
        </div>
    }
}

/// A slider over whole numbers `min ..= max`, showing its value.
#[component]
pub fn Slider(
    /// Element id.
    id: &'static str,
    /// What people read.
    label: Signal<String>,
    /// Smallest value.
    min: i64,
    /// Largest value.
    max: i64,
    /// The current value.
    value: Signal<i64>,
    /// What the value is shown as.
    #[prop(into)]
    display: Signal<String>,
    /// Receives new values.
    set: Callback<i64>,
) -> impl IntoView {
    let on_input = move |ev| {
        if let Ok(v) = event_target_value(&ev).parse::<i64>()
            && (min..=max).contains(&v)
        {
            set.run(v);
        }
    };
    view! {
        <div class="field">
            <label for=id>{move || label.get()} ": " <strong id=format!("{id}-value")>{move || display.get()}</strong></label>
            <input
                id=id
                type="range"
                min=min.to_string()
                max=max.to_string()
                step="1"
                prop:value=move || value.get().to_string()
                on:input=on_input
            />
        </div>
    }
}
