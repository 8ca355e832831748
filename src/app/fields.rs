//! Form fields that refuse out-of-range input at the control, with the reason beside it.

use leptos::prelude::*;

fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Checks `raw` against `min ..= max` (whole numbers when `integer`); the error names the
/// field, the value and the allowed range.
pub fn parse_in_range(
    label: &str,
    raw: &str,
    min: f64,
    max: f64,
    integer: bool,
) -> Result<f64, String> {
    let whole = if integer { ", whole numbers" } else { "" };
    let range = format!("allowed {} ..= {}{whole}", show(min), show(max));
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= min && v <= max && (!integer || v.fract() == 0.0) => Ok(v),
        Ok(_) => Err(format!("{label} = {} is out of range: {range}", raw.trim())),
        Err(_) => Err(format!(
            "{label} = \"{}\" is not a number: {range}",
            raw.trim()
        )),
    }
}

/// A number box. Accepted values go to `set`; others show why and change nothing.
#[component]
pub fn NumberField(
    /// Element id.
    id: &'static str,
    /// What people read.
    label: &'static str,
    /// Smallest value.
    min: f64,
    /// Largest value.
    max: Signal<f64>,
    /// Step of the browser's spinner.
    step: &'static str,
    /// Whole numbers only.
    integer: bool,
    /// The current value.
    value: Signal<f64>,
    /// Receives accepted values.
    set: Callback<f64>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let on_change = move |ev| {
        let raw = event_target_value(&ev);
        match parse_in_range(label, &raw, min, max.get_untracked(), integer) {
            Ok(v) => {
                error.set(None);
                set.run(v);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="number"
                min=show(min)
                max=move || show(max.get())
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
