//! Your own data in: drop or pick a CSV or `.npy` file, see its first rows with the detected
//! delimiter, decimal mark, thousands separator, header and numeric columns, adjust them,
//! pick columns and a ground-truth column (Orange's File widget; pandas' `read_csv`
//! options), then import. While Import is disabled the panel says why, naming the file
//! ([`Preview::refusal`] and the sniffer's errors, the CLI's messages too). Import is — parsed off the main thread with progress, bad rows listed by line
//! and column with a count of the rest. A successful import switches the scenario's data to
//! the file; "use generated blobs" switches back. A scenario naming an import that is not
//! loaded (after a reload) is restored from the copy kept in IndexedDB.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::format;
use super::state::AppState;
use crate::data::import::{
    DecimalMark, Delimiter, FileFormat, ImportOptions, ImportReport, Preview, Thousands,
};
use crate::pipeline::graph::imported::{DataSource, ImportedSource};
use crate::pipeline::jobs::progress::percent;
use crate::pipeline::render::projection::Projection;
use crate::web::WebError;
use crate::web::import_bridge::{self, ImportOutcome, ImportProgress, Phase};

/// Bad rows listed on the page; the report counts the rest.
const SHOWN_BAD_ROWS: usize = 5;

/// Where the panel is.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// No file yet.
    Empty,
    /// Reading the preview.
    Sniffing,
    /// Preview shown; options can change.
    Ready,
    /// Importing.
    Importing,
}

fn report_view(
    name: String,
    r: ImportReport,
    not_kept: Option<String>,
    growth: u64,
) -> impl IntoView {
    let listed: Vec<String> = r
        .bad_rows
        .iter()
        .take(SHOWN_BAD_ROWS)
        .map(ToString::to_string)
        .collect();
    let more = r.bad_count.saturating_sub(listed.len() as u64);
    let bad_count = r.bad_count;
    view! {
        <div id="import-report" data-rows=r.rows.to_string() data-bad-count=bad_count.to_string()
            data-memory-growth=growth.to_string()>
            <p>{format!(
                "Imported '{name}': {} rows × {} columns ({}){}.",
                format::thousands(r.rows as u64),
                r.columns,
                r.column_names.join(", "),
                if r.standardised { ", standardised" } else { "" },
            )}</p>
            {(bad_count == 0).then(|| view! { <p class="import-ok">"No bad rows."</p> })}
            {(bad_count > 0).then(|| view! {
                <p class="import-bad">{format!("{bad_count} bad row(s) excluded:")}</p>
                <ul class="bad-rows">
                    {listed.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p class="bad-more">{format!("and {more} more")}</p> })}
            })}
            {(!r.constant_columns.is_empty()).then(|| view! {
                <p class="import-note">{format!("Constant columns left centred at 0: {}.", r.constant_columns.join(", "))}</p>
            })}
            {match &r.truth_column {
                Some(c) => view! { <p class="import-note" id="import-truth-note">{format!(
                    "Ground truth: '{c}', {} classes: the adjusted Rand index and the true centres are shown.",
                    r.classes
                )}</p> }.into_any(),
                None => view! { <p class="import-note">"No ground-truth column chosen: the adjusted Rand index and the true centres are absent."</p> }.into_any(),
            }}
            {r.weight_column.clone().map(|w| view! { <p class="import-note" id="import-weight-note">{format!(
                "Sample weights: '{w}', {} in all: the seeding, the iterations and the inertia weigh each row.",
                if r.total_weight.fract() == 0.0 && r.total_weight < 1e15 {
                    format::thousands(r.total_weight as u64)
                } else {
                    format!("{:.4}", r.total_weight)
                }
            )}</p> })}
            {not_kept.map(|e| view! { <p class="import-note">{format!("Not kept for a reload: {e}")}</p> })}
        </div>
    }
}

/// Switches the scenario to the imported dataset, remembering the blobs' feature choice.
fn use_imported(
    state: AppState,
    source: ImportedSource,
    saved: StoredValue<Option<(usize, usize, usize)>>,
) {
    state.inputs.update(|i| {
        if i.imported().is_none() {
            saved.set_value(Some((i.n_features, i.feature_x, i.feature_y)));
        }
        let d = source.columns;
        // The feature selects list n_features entries; the generator ignores it meanwhile.
        i.n_features = d;
        i.feature_x = 0;
        i.feature_y = usize::from(d > 1);
        i.view = None;
        if d < 2 {
            i.projection = Projection::Features;
        }
        i.k = i.k.min(source.rows).max(1);
        i.source = DataSource::Imported(source);
    });
}

/// The import panel.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let file = StoredValue::new_local(None::<web_sys::File>);
    let name = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Empty);
    let preview = RwSignal::new(None::<Preview>);
    let delimiter = RwSignal::new(None::<Delimiter>);
    let header = RwSignal::new(None::<bool>);
    let decimal = RwSignal::new(None::<DecimalMark>);
    let thousands = RwSignal::new(None::<Thousands>);
    let truth = RwSignal::new(None::<usize>);
    let weight = RwSignal::new(None::<usize>);
    let columns = RwSignal::new(Vec::<usize>::new());
    let standardise = RwSignal::new(false);
    let progress = RwSignal::new(None::<ImportProgress>);
    let outcome = RwSignal::new(None::<(String, ImportReport, Option<String>, u64)>);
    let error = RwSignal::new(String::new());
    // Why the chosen file cannot be imported (the sniffer's error), shown by the button.
    let refused = RwSignal::new(String::new());
    let saved = StoredValue::new(None::<(usize, usize, usize)>);

    // Preview with the current delimiter and header choice (detected where unset).
    let sniff = move || {
        let Some(f) = file.get_value() else { return };
        let options = ImportOptions {
            delimiter: delimiter.get_untracked(),
            header: header.get_untracked(),
            decimal: decimal.get_untracked(),
            thousands: thousands.get_untracked(),
            ..ImportOptions::default()
        };
        step.set(Step::Sniffing);
        error.set(String::new());
        refused.set(String::new());
        spawn_local(async move {
            match import_bridge::sniff_file(&f, &options).await {
                Ok(p) => {
                    delimiter.set(p.delimiter);
                    header.set(Some(p.header));
                    decimal.set(p.number_format.map(|n| n.decimal));
                    thousands.set(p.number_format.map(|n| n.thousands));
                    let t = truth.get_untracked().filter(|&t| t < p.n_fields);
                    let w = weight.get_untracked().filter(|&w| w < p.n_fields);
                    truth.set(t);
                    weight.set(w);
                    let besides: Vec<usize> = t.into_iter().chain(w).collect();
                    columns.set(p.default_columns_besides(&besides));
                    preview.set(Some(p));
                    step.set(Step::Ready);
                }
                Err(e) => {
                    preview.set(None);
                    refused.set(e.to_string());
                    step.set(Step::Empty);
                }
            }
        });
    };
    let choose = move |f: web_sys::File| {
        name.set(f.name());
        file.set_value(Some(f));
        delimiter.set(None);
        header.set(None);
        decimal.set(None);
        thousands.set(None);
        truth.set(None);
        weight.set(None);
        outcome.set(None);
        sniff();
    };

    let run = move |_| {
        let Some(f) = file.get_value() else { return };
        let options = ImportOptions {
            delimiter: delimiter.get_untracked(),
            header: header.get_untracked(),
            decimal: decimal.get_untracked(),
            thousands: thousands.get_untracked(),
            truth_column: truth.get_untracked(),
            weight_column: weight.get_untracked(),
            columns: Some(columns.get_untracked()),
            standardise: standardise.get_untracked(),
            ..ImportOptions::default()
        };
        step.set(Step::Importing);
        error.set(String::new());
        outcome.set(None);
        let file_name = name.get_untracked();
        let poll = set_interval_with_handle(
            move || progress.set(Some(import_bridge::import_progress())),
            Duration::from_millis(100),
        )
        .ok();
        spawn_local(async move {
            let result: Result<ImportOutcome, WebError> =
                import_bridge::import_file(&f, &file_name, options).await;
            if let Some(h) = poll {
                h.clear();
            }
            progress.set(None);
            step.set(Step::Ready);
            match result {
                Ok(o) => {
                    let not_kept = o.not_kept.as_ref().map(WebError::to_string);
                    outcome.set(Some((
                        file_name,
                        o.report.clone(),
                        not_kept,
                        o.memory_growth,
                    )));
                    use_imported(state, o.source, saved);
                }
                Err(e) => error.set(e.to_string()),
            }
        });
    };

    let clear = move |_| {
        state.inputs.update(|i| {
            i.source = DataSource::Blobs;
            if let Some((n, x, y)) = saved.get_value() {
                (i.n_features, i.feature_x, i.feature_y) = (n, x, y);
            }
            let last = i.n_features.saturating_sub(1);
            i.feature_x = i.feature_x.min(last);
            i.feature_y = i.feature_y.min(last);
            i.view = None;
        });
    };

    // A scenario naming an import this engine does not hold (a reload, a saved scenario):
    // import the kept copy again, then ask for a run.
    let restoring = StoredValue::new(None::<crate::pipeline::memo::fingerprint::Fingerprint>);
    Effect::new(move |_| {
        let Some(source) = state.inputs.with(|i| i.imported().cloned()) else {
            return;
        };
        // Parsing uses the worker pool: wait until it has started (a rayon call before
        // would start rayon's default pool in its place).
        if state.threads.get().is_none() {
            return;
        }
        if import_bridge::is_loaded(source.content)
            || restoring.get_value() == Some(source.content)
            || step.get_untracked() == Step::Importing
        {
            return;
        }
        restoring.set_value(Some(source.content));
        spawn_local(async move {
            match import_bridge::restore_imported(source.content).await {
                Ok(()) => state.run_requests.update(|n| *n += 1),
                Err(e) => error.set(format!("'{}': {e}", source.name)),
            }
            restoring.set_value(None);
        });
    });

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            choose(f);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(f) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|l| l.get(0))
        {
            choose(f);
        }
    };

    let is_npy = move || preview.with(|p| p.as_ref().is_some_and(|p| p.format == FileFormat::Npy));
    // Why Import is disabled, in the CLI's words, naming the file.
    let why = Memo::new(move |_| {
        let file_name = name.get();
        let reason = {
            let r = refused.get();
            if r.is_empty() {
                preview.with(|p| {
                    let options = ImportOptions {
                        columns: Some(columns.get()),
                        truth_column: truth.get(),
                        weight_column: weight.get(),
                        ..ImportOptions::default()
                    };
                    let p = p.as_ref()?;
                    p.refusal(&options)
                        .or_else(|| import_bridge::too_large(p, columns.with(Vec::len)))
                        .map(|e| e.to_string())
                })
            } else {
                Some(r)
            }
        };
        reason.map(|r| format!("'{file_name}' cannot be imported: {r}."))
    });
    let current = move || state.inputs.with(|i| i.imported().map(|s| s.name.clone()));

    view! {
        <section class="panel import" aria-label="Your own data">
            <h2>"Your own data"</h2>
            <div
                id="import-drop"
                class="drop-zone"
                on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                on:drop=on_drop
            >
                <p><label for="import-file">"Drop a CSV or .npy file here, or choose one:"</label></p>
                <input type="file" id="import-file" accept=".csv,.tsv,.txt,.npy" on:change=on_file />
            </div>
            <p id="import-source" class="import-note">{move || match current() {
                Some(n) => format!("The scenario uses '{n}'."),
                None => "The scenario uses generated blobs.".to_string(),
            }}</p>
            {move || preview.get().map(|p| {
                let n = p.n_fields;
                let npy = p.format == FileFormat::Npy;
                view! {
                    <p id="import-detected" class="import-note" data-format=if npy { "npy" } else { "csv" }
                        data-delimiter=p.delimiter.map_or("", |d| d.name()) data-header=p.header.to_string()
                        data-decimal=p.number_format.map_or("", |f| f.decimal.name())
                        data-thousands=p.number_format.map_or("", |f| f.thousands.name())>
                        {format!(
                            "{}: {} columns, about {} rows{}{}{}.",
                            name.get_untracked(),
                            n,
                            format::thousands(p.estimated_rows),
                            p.dtype.as_ref().map_or(String::new(), |d| format!(", dtype {d}")),
                            p.number_format.map_or(String::new(), |f| format!(", numbers with {f}")),
                            if p.latin1 { ", Latin-1 text" } else { "" },
                        )}
                    </p>
                    <div class="table-scroll">
                        <table id="import-preview" class="first-rows">
                            <thead><tr>
                                {p.column_names.iter().enumerate().map(|(j, c)| {
                                    let numeric = p.numeric[j];
                                    view! {
                                        <th class:numeric=numeric>
                                            <label>
                                                <input type="checkbox" id=format!("import-col-{j}")
                                                    disabled=move || truth.get() == Some(j) || weight.get() == Some(j)
                                                    prop:checked=move || columns.with(|c| c.contains(&j))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        columns.update(|c| {
                                                            c.retain(|&x| x != j);
                                                            if on { c.push(j); c.sort_unstable(); }
                                                        });
                                                    } />
                                                {c.clone()}
                                            </label>
                                        </th>
                                    }
                                }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {p.rows.iter().map(|r| view! {
                                    <tr>{(0..n).map(|j| view! { <td>{r.get(j).cloned().unwrap_or_default()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
            <div class="import-options" class:hidden=move || name.with(String::is_empty)>
                <label class="check">"Delimiter "
                    <select id="import-delimiter" disabled=is_npy on:change=move |ev| {
                        delimiter.set(Delimiter::from_name(&event_target_value(&ev)));
                        sniff();
                    }>
                        {Delimiter::ALL.into_iter().map(|d| view! {
                            <option value=d.name() selected=move || delimiter.get() == Some(d)>{d.name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">"Decimal mark "
                    <select id="import-decimal" disabled=is_npy on:change=move |ev| {
                        decimal.set(DecimalMark::from_name(&event_target_value(&ev)));
                        // A separator equal to the new mark cannot stay: detect it again.
                        if decimal.get_untracked().map(|d| d.byte())
                            == thousands.get_untracked().and_then(Thousands::byte)
                        {
                            thousands.set(None);
                        }
                        sniff();
                    }>
                        {DecimalMark::ALL.into_iter().map(|d| view! {
                            <option value=d.name() selected=move || decimal.get() == Some(d)>{d.name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">"Thousands "
                    <select id="import-thousands" disabled=is_npy on:change=move |ev| {
                        thousands.set(Thousands::from_name(&event_target_value(&ev)));
                        if thousands.get_untracked().and_then(Thousands::byte)
                            == decimal.get_untracked().map(|d| d.byte())
                        {
                            decimal.set(None);
                        }
                        sniff();
                    }>
                        {Thousands::ALL.into_iter().map(|t| view! {
                            <option value=t.name() selected=move || thousands.get() == Some(t)>{t.name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">"Ground truth "
                    <select id="import-truth" on:change=move |ev| {
                        let t = event_target_value(&ev).parse::<usize>().ok();
                        truth.set(t);
                        if let Some(t) = t {
                            columns.update(|c| c.retain(|&x| x != t));
                            if weight.get_untracked() == Some(t) { weight.set(None) }
                        }
                    }>
                        <option value="" selected=move || truth.get().is_none()>"none"</option>
                        {move || preview.with(|p| p.as_ref().map(|p| p.column_names.clone()).unwrap_or_default())
                            .into_iter()
                            .enumerate()
                            .map(|(j, c)| view! {
                                <option value=j.to_string() selected=move || truth.get() == Some(j)>{c}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="check">"Sample weights "
                    <select id="import-weight" on:change=move |ev| {
                        let w = event_target_value(&ev).parse::<usize>().ok();
                        weight.set(w);
                        if let Some(w) = w {
                            columns.update(|c| c.retain(|&x| x != w));
                            if truth.get_untracked() == Some(w) { truth.set(None) }
                        }
                    }>
                        <option value="" selected=move || weight.get().is_none()>"none"</option>
                        {move || preview.with(|p| p.as_ref().map(|p| p.column_names.clone()).unwrap_or_default())
                            .into_iter()
                            .enumerate()
                            .map(|(j, c)| view! {
                                <option value=j.to_string() selected=move || weight.get() == Some(j)>{c}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" id="import-header" disabled=is_npy
                        prop:checked=move || header.get() == Some(true)
                        on:change=move |ev| { header.set(Some(event_target_checked(&ev))); sniff(); } />
                    " first row is a header"
                </label>
                <label class="check">
                    <input type="checkbox" id="import-standardise"
                        prop:checked=move || standardise.get()
                        on:change=move |ev| standardise.set(event_target_checked(&ev)) />
                    " standardise each column (z-score)"
                </label>
                <button id="import-run" type="button" aria-describedby="import-why"
                    disabled=move || {
                        step.get() != Step::Ready
                            || why.with(Option::is_some)
                            || state.threads.get().is_none()
                    }
                    on:click=run>"Import"</button>
                <p id="import-why" class="field-error" role="status">{move || why.get().unwrap_or_default()}</p>
            </div>
            <p id="import-progress" data-state=move || match step.get() { Step::Importing => "running", Step::Sniffing => "sniffing", _ => "idle" }>
                {move || progress.get().filter(|p| p.phase != Phase::Idle).map(|p| view! {
                    <progress max=p.total.max(1).to_string() value=p.done.to_string()></progress>
                    {format!(" {} {}", p.phase.name(), percent(p.done, p.total).map_or(String::new(), |pct| format!("{pct}%")))}
                })}
            </p>
            {move || outcome.get().map(|(n, r, k, g)| report_view(n, r, k, g))}
            <p id="import-error" class="field-error" role="alert">{move || error.get()}</p>
            <button id="import-clear" type="button" disabled=move || current().is_none() on:click=clear>
                "Use generated blobs"
            </button>
        </section>
    }
}
