//! Side-by-side comparison of scenarios: every parameter and every score in one table,
//! rows where the scenarios differ marked (the scenario comparator Taipy documents but
//! never shipped in its UI).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::pipeline::display::number_format;
use crate::pipeline::engine::evaluation::EvaluationSummary;
use crate::pipeline::graph::TaskId;
use crate::pipeline::graph::inputs::InputId;
use crate::pipeline::scenarios::scenario::Scenario;

/// One parameter or score across the compared scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Machine name (`"k"`, `"silhouette"`).
    pub name: String,
    /// Label for people.
    pub label: String,
    /// One value per scenario, in the order given (`null` where not evaluated or undefined).
    pub values: Vec<Value>,
    /// Whether the values are not all equal.
    pub differs: bool,
}

/// The comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Scenario ids, one per column.
    pub ids: Vec<u64>,
    /// Scenario names, one per column.
    pub names: Vec<String>,
    /// Every input.
    pub parameters: Vec<ComparisonRow>,
    /// Fit and scores.
    pub results: Vec<ComparisonRow>,
}

impl ComparisonRow {
    /// The values as the table shows them, one cell per scenario.
    pub fn cells(&self) -> Vec<String> {
        self.values.iter().map(cell).collect()
    }
}

/// One value as a table cell: whole numbers with thousands separators, other numbers as
/// scores, strings as they are, `null` as a dash, and anything else as its JSON.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => number_format::thousands(u),
            (None, Some(f)) => number_format::score(Some(f)),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Comparison {
    /// Rows (parameters then results) whose values differ.
    pub fn differences(&self) -> impl Iterator<Item = &ComparisonRow> {
        self.parameters
            .iter()
            .chain(&self.results)
            .filter(|r| r.differs)
    }
}

/// Compares scenarios with their evaluations (`None` for one not evaluated yet).
pub fn compare(entries: &[(&Scenario, Option<&EvaluationSummary>)]) -> Comparison {
    let values: Vec<Vec<(InputId, Value)>> =
        entries.iter().map(|(s, _)| s.inputs.values()).collect();
    let parameters = InputId::ALL
        .iter()
        .map(|&id| {
            row(
                id.name(),
                id.label(),
                values.iter().map(|v| v[id.index()].1.clone()).collect(),
            )
        })
        .collect();
    type Pick = fn(&EvaluationSummary) -> Value;
    let results: [(&str, &str, Pick); 11] = [
        ("inertia", "inertia", |e| e.metrics.inertia.into()),
        ("n_iter", "iterations", |e| e.fit.n_iter.into()),
        ("convergence", "convergence", |e| {
            serde_json::to_value(e.fit.convergence).expect("serialises")
        }),
        ("adjusted_rand", "adjusted Rand index", |e| {
            e.metrics.adjusted_rand.into()
        }),
        ("silhouette", "silhouette", |e| e.metrics.silhouette.into()),
        ("calinski_harabasz", "Calinski–Harabasz", |e| {
            e.metrics.calinski_harabasz.into()
        }),
        ("davies_bouldin", "Davies–Bouldin", |e| {
            e.metrics.davies_bouldin.into()
        }),
        ("cluster_sizes", "cluster sizes", |e| {
            e.metrics.cluster_sizes.clone().into()
        }),
        // Times of the evaluation that produced the summary: a node reused from the memo
        // store costs nothing there, which is the point of sharing it.
        ("engine_ms", "engine time, ms", |e| {
            rounded_ms(e.end_ms - e.start_ms)
        }),
        ("seed_ms", "seeding time, ms", |e| {
            rounded_ms(e.node(TaskId::Seed).ms)
        }),
        ("fit_ms", "fit time, ms", |e| {
            rounded_ms(e.node(TaskId::Fit).ms)
        }),
    ];
    let results = results
        .iter()
        .map(|(name, label, pick)| {
            row(
                name,
                label,
                entries
                    .iter()
                    .map(|(_, e)| e.map_or(Value::Null, pick))
                    .collect(),
            )
        })
        .collect();
    Comparison {
        ids: entries.iter().map(|(s, _)| s.id).collect(),
        names: entries.iter().map(|(s, _)| s.name.clone()).collect(),
        parameters,
        results,
    }
}

fn rounded_ms(ms: f64) -> Value {
    ((ms * 10.0).round() / 10.0).into()
}

fn row(name: &str, label: &str, values: Vec<Value>) -> ComparisonRow {
    let differs = values.windows(2).any(|w| w[0] != w[1]);
    ComparisonRow {
        name: name.into(),
        label: label.into(),
        values,
        differs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::graph::inputs::ScenarioInputs;

    #[test]
    fn marks_exactly_the_parameters_that_differ() {
        let a = Scenario {
            id: 1,
            name: "a".into(),
            inputs: ScenarioInputs::default(),
        };
        let b = Scenario {
            id: 2,
            name: "b".into(),
            inputs: ScenarioInputs {
                k: 5,
                tol: 0.0,
                ..ScenarioInputs::default()
            },
        };
        let c = compare(&[(&a, None), (&b, None), (&a, None)]);
        let differing: Vec<&str> = c.differences().map(|r| r.name.as_str()).collect();
        assert_eq!(differing, ["k", "tol"]);
        let k = c.parameters.iter().find(|r| r.name == "k").unwrap();
        assert_eq!(k.values, [Value::from(3), Value::from(5), Value::from(3)]);
        assert!(
            c.results
                .iter()
                .all(|r| r.values.iter().all(Value::is_null))
        );
    }

    #[test]
    fn cells_read_like_the_rest_of_the_page() {
        let r = ComparisonRow {
            name: "x".into(),
            label: "x".into(),
            values: vec![
                Value::Null,
                serde_json::json!(1_234_567),
                serde_json::json!(0.123_456),
                serde_json::json!(-3),
                serde_json::json!("k-means||"),
                serde_json::json!([1, 2]),
                serde_json::json!(true),
            ],
            differs: true,
        };
        assert_eq!(
            r.cells(),
            [
                "—",
                "1,234,567",
                "0.1235",
                "-3.0000",
                "k-means||",
                "[1,2]",
                "true"
            ]
        );
    }
}
