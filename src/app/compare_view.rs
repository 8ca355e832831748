//! Scenarios side by side: their plots next to each other and one table of parameters,
//! scores and timings with the rows that differ marked (the comparator Taipy documents).

use super::plot::{self, CANVAS_HEIGHT, CANVAS_WIDTH};
use super::state::{AppState, Shown};
use crate::pipeline::scenarios::compare::{ComparisonRow, compare};
use crate::pipeline::scenarios::scenario::Scenario;
use crate::web::environment::now_ms;
use leptos::prelude::*;

fn table_row(r: &ComparisonRow) -> impl IntoView + use<> {
    let cells = r
        .cells()
        .into_iter()
        .map(|c| view! { <td>{c}</td> })
        .collect_view();
    view! {
        <tr class:diff=r.differs data-name=r.name.clone()>
            <th scope="row">{r.label.clone()}</th>
            {cells}
        </tr>
    }
}

/// One compared scenario's plot, drawn from its kept pixels.
#[component]
fn ComparePlot(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let theme = state.theme.get();
        let kept = state.results.with(|r| r.get(&id).cloned());
        let inputs = state
            .book
            .with(|b| b.get(id).map(|s| s.inputs.clone()).ok());
        let (Some(c), Some(k), Some(inputs)) = (canvas.get(), kept, inputs) else {
            return;
        };
        let Some(outcome) = k.outcome.filter(|_| k.saved.inputs == inputs) else {
            return;
        };
        let now = now_ms();
        let shown = Shown {
            outcome,
            inputs,
            requested_ms: now,
            received_ms: now,
        };
        if plot::draw(&c, &shown, theme).is_err() {
            c.set_attribute("data-error", "1").ok();
        }
    });
    let drawn = move || {
        state.results.with(|r| {
            r.get(&id).is_some_and(|k| {
                k.outcome.is_some()
                    && state
                        .book
                        .with(|b| b.get(id).is_ok_and(|s| s.inputs == k.saved.inputs))
            })
        })
    };
    view! {
        <canvas class="compare-plot" data-scenario=id.to_string() data-drawn=move || drawn().to_string()
            node_ref=canvas width=CANVAS_WIDTH.to_string() height=CANVAS_HEIGHT.to_string()></canvas>
    }
}

/// The comparison of the ticked scenarios (shown once two or more are ticked).
#[component]
pub fn CompareView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let all_parameters = RwSignal::new(false);
    let picked = move || -> Vec<Scenario> {
        let ids = state.comparing.get();
        state.book.with(|b| {
            b.scenarios()
                .iter()
                .filter(|s| ids.contains(&s.id))
                .cloned()
                .collect()
        })
    };
    view! {
        {move || {
            let scenarios = picked();
            if scenarios.len() < 2 {
                return view! {
                    <p class="muted" id="compare-hint">"Tick two or more scenarios to compare them side by side."</p>
                }.into_any();
            }
            let summaries: Vec<_> = state.results.with(|r| {
                scenarios
                    .iter()
                    .map(|s| r.get(&s.id).filter(|k| k.saved.inputs == s.inputs).map(|k| k.saved.summary.clone()))
                    .collect()
            });
            let entries: Vec<_> = scenarios.iter().zip(&summaries).map(|(s, e)| (s, e.as_ref())).collect();
            let c = compare(&entries);
            let differing = c.parameters.iter().filter(|r| r.differs).count();
            let show_all = all_parameters.get();
            let parameters = c
                .parameters
                .iter()
                .filter(|r| show_all || r.differs)
                .map(table_row)
                .collect_view();
            let results = c.results.iter().map(table_row).collect_view();
            let heads = c.names.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view();
            let figures = scenarios
                .iter()
                .map(|s| {
                    let id = s.id;
                    view! {
                        <figure class="compare-figure">
                            <ComparePlot id=id />
                            <figcaption>{s.name.clone()}</figcaption>
                        </figure>
                    }
                })
                .collect_view();
            view! {
                <div id="compare" class="compare">
                    <div class="compare-plots">{figures}</div>
                    <p class="muted">
                        {format!("{differing} parameter(s) differ. ")}
                        <label>
                            <input id="compare-all" type="checkbox" prop:checked=show_all
                                on:change=move |ev| all_parameters.set(event_target_checked(&ev)) />
                            " show every parameter"
                        </label>
                    </p>
                    <table id="compare-table" class="facts compare-table">
                        <thead><tr><th><span class="visually-hidden">"parameter or score"</span></th>{heads}</tr></thead>
                        <tbody>
                            <tr class="group"><th colspan="99">"Parameters"</th></tr>
                            {parameters}
                            <tr class="group"><th colspan="99">"Results and timings"</th></tr>
                            {results}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
