//! The canvas's view inputs: zooming reruns only `render`; the PCA projection recovers the
//! plane the data vary in, the same for any thread count and chunk size; the dataset
//! profile travels with the result; older documents and links without the new fields read
//! as before.

mod common;

use blobscale::data::{Centers, ChunkedMatrix};
use blobscale::monitor::Unmonitored;
use blobscale::pipeline::render::projection::{Projection, pca};
use blobscale::pipeline::render::raster::ViewWindow;
use blobscale::pipeline::scenarios::codec::{scenario_from_url, scenario_to_url};
use blobscale::pipeline::{NodeState, Plan, ScenarioInputs, TaskId};
use common::{engine, evaluate, with_threads};
use proptest::prelude::*;

fn small() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 30_000,
        chunk_rows: 1000,
        silhouette_sample: 100,
        width: 64,
        height: 48,
        ..ScenarioInputs::default()
    }
}

fn lit(pixels: &[u8]) -> usize {
    pixels.chunks(4).filter(|p| p[3] > 0).count()
}

#[test]
fn zooming_reruns_only_render_and_reset_is_reused() {
    let e = engine(1 << 30);
    let base = small();
    let home = evaluate(&e, &base);
    let vp = home.summary.view.as_ref().unwrap().viewport;
    assert!(!home.summary.view.as_ref().unwrap().zoomed);
    // Zoom 4× around the middle of the data's bounds.
    let (cx, cy) = ((vp.x.0 + vp.x.1) / 2.0, (vp.y.0 + vp.y.1) / 2.0);
    let (hx, hy) = ((vp.x.1 - vp.x.0) / 8.0, (vp.y.1 - vp.y.0) / 8.0);
    let zoomed_inputs = ScenarioInputs {
        view: Some(ViewWindow {
            x: (cx - hx, cx + hx),
            y: (cy - hy, cy + hy),
        }),
        ..base.clone()
    };
    let zoomed = evaluate(&e, &zoomed_inputs);
    let s = &zoomed.summary;
    assert_eq!(s.node(TaskId::Render).state, NodeState::Computed);
    for t in [TaskId::Fit, TaskId::Metrics, TaskId::Profile] {
        assert_eq!(s.node(t).state, NodeState::Reused, "{t:?}");
    }
    // Generate, seed and the axes were not even loaded: their outputs were known.
    for t in [TaskId::Generate, TaskId::Seed, TaskId::Project] {
        assert!(
            matches!(s.node(t).state, NodeState::Reused | NodeState::Known),
            "{t:?}: {:?}",
            s.node(t).state
        );
    }
    let v = s.view.as_ref().unwrap();
    assert!(v.zoomed);
    assert_eq!(v.viewport.x, (cx - hx, cx + hx));
    assert_ne!(zoomed.pixels, home.pixels);
    assert_eq!(zoomed.pixels.len(), home.pixels.len());
    // Centres are in the same data coordinates whatever the window.
    assert_eq!(
        v.fitted_centres,
        home.summary.view.as_ref().unwrap().fitted_centres
    );
    // Back to the data's bounds: the first picture, from the store.
    let again = evaluate(&e, &base);
    assert_eq!(again.summary.node(TaskId::Render).state, NodeState::Reused);
    assert_eq!(again.pixels, home.pixels);
    assert!(lit(&zoomed.pixels) > 0);
}

#[test]
fn a_bad_window_is_refused_before_any_work() {
    let e = Plan::new(&ScenarioInputs {
        view: Some(ViewWindow {
            x: (2.0, 1.0),
            y: (0.0, 1.0),
        }),
        ..small()
    })
    .unwrap_err();
    assert!(
        e.to_string().starts_with("view.x = (2, 1) is out of range"),
        "{e}"
    );
    let e = Plan::new(&ScenarioInputs {
        n_features: 1,
        feature_y: 0,
        projection: Projection::Pca,
        ..small()
    })
    .unwrap_err();
    assert!(e.to_string().contains("allowed 2 ..= 256"), "{e}");
}

#[test]
fn pca_view_labels_axes_and_projects_centres() {
    let e = engine(1 << 30);
    let inputs = ScenarioInputs {
        n_features: 5,
        centers: Centers::Count(4),
        k: 4,
        ..small()
    };
    let features = evaluate(&e, &inputs);
    let pca_inputs = ScenarioInputs {
        projection: Projection::Pca,
        ..inputs
    };
    let ev = evaluate(&e, &pca_inputs);
    let s = &ev.summary;
    assert_eq!(s.node(TaskId::Project).state, NodeState::Computed);
    assert_eq!(s.node(TaskId::Render).state, NodeState::Computed);
    assert_eq!(s.node(TaskId::Fit).state, NodeState::Reused);
    let v = s.view.as_ref().unwrap();
    assert!(v.x_label.starts_with("PC1 ("), "{}", v.x_label);
    assert!(v.y_label.starts_with("PC2 ("), "{}", v.y_label);
    let r = v.explained_variance_ratio.unwrap();
    assert!(r[0] >= r[1] && r[0] + r[1] <= 1.0 + 1e-12, "{r:?}");
    assert_eq!(v.true_centres.len(), 4);
    assert_ne!(ev.pixels, features.pixels);
    // Every projected true centre lies inside the data's (padded) bounds.
    for c in &v.true_centres {
        assert!(v.viewport.x.0 < c[0] && c[0] < v.viewport.x.1, "{c:?}");
        assert!(v.viewport.y.0 < c[1] && c[1] < v.viewport.y.1, "{c:?}");
    }
    assert_eq!(features.summary.view.as_ref().unwrap().x_label, "feature 0");
}

#[test]
fn the_profile_comes_with_the_result_and_is_memoised_with_the_dataset() {
    let e = engine(1 << 30);
    let inputs = ScenarioInputs {
        n_features: 20,
        ..small()
    };
    let a = evaluate(&e, &inputs);
    let p = a.summary.profile.as_ref().unwrap();
    assert_eq!(p.histograms.len(), 16);
    assert_eq!(p.first_rows.len(), 10);
    assert_eq!(p.first_rows[0].values.len(), 20);
    assert!(p.first_rows.iter().all(|r| r.label.is_some()));
    for h in &p.histograms {
        assert_eq!(h.counts.len(), 40);
        assert_eq!(h.counts.iter().sum::<u64>(), 30_000);
    }
    let b = evaluate(&e, &ScenarioInputs { k: 5, ..inputs });
    assert_eq!(b.summary.node(TaskId::Profile).state, NodeState::Reused);
    assert_eq!(b.summary.profile, a.summary.profile);
}

#[test]
fn documents_and_links_without_the_view_fields_read_as_before() {
    let mut json = serde_json::to_value(small()).unwrap();
    let obj = json.as_object_mut().unwrap();
    assert!(obj.remove("view").is_some());
    assert!(obj.remove("projection").is_some());
    let back: ScenarioInputs = serde_json::from_value(json).unwrap();
    assert_eq!(back, small());
    // A default link has no view fields, and a zoomed PCA link carries both.
    let link = scenario_to_url("k", &ScenarioInputs::default());
    assert!(link.len() < 20, "{link}");
    let zoomed = ScenarioInputs {
        projection: Projection::Pca,
        view: Some(ViewWindow {
            x: (-1.25, 3.5),
            y: (0.1, 0.2),
        }),
        ..ScenarioInputs::default()
    };
    let (_, read) = scenario_from_url(&scenario_to_url("z", &zoomed)).unwrap();
    assert_eq!(read, zoomed);
    // Comparisons see the new inputs.
    let diff: Vec<_> = zoomed
        .values()
        .into_iter()
        .zip(ScenarioInputs::default().values())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.name())
        .collect();
    assert_eq!(diff, ["projection", "view"]);
}

/// Rows `a·u + b·v + small noise` in `d` dimensions, with `u`, `v` orthonormal.
fn planar(n: usize, d: usize, seed: u64, chunk: usize) -> (ChunkedMatrix, Vec<f64>, Vec<f64>) {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut rnd = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let mut u: Vec<f64> = (0..d).map(|_| rnd()).collect();
    let nu = u.iter().map(|x| x * x).sum::<f64>().sqrt();
    u.iter_mut().for_each(|x| *x /= nu);
    let mut v: Vec<f64> = (0..d).map(|_| rnd()).collect();
    let dot: f64 = u.iter().zip(&v).map(|(a, b)| a * b).sum();
    v.iter_mut().zip(&u).for_each(|(x, a)| *x -= dot * a);
    let nv = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.iter_mut().for_each(|x| *x /= nv);
    let mut values = Vec::with_capacity(n * d);
    for _ in 0..n {
        let (a, b) = (20.0 * rnd(), 8.0 * rnd());
        for j in 0..d {
            values.push((3.0 + a * u[j] + b * v[j] + 0.01 * rnd()) as f32);
        }
    }
    (ChunkedMatrix::from_vec(values, n, d, chunk).unwrap(), u, v)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn pca_recovers_two_informative_directions(
        d in 2usize..12,
        seed in 0u64..1_000_000,
        chunk in 7usize..400,
    ) {
        let n = 3_000;
        let (x, u, v) = planar(n, d, seed, chunk);
        let p = pca(&x, &Unmonitored).unwrap();
        // Each component lies in span(u, v), the first along u (larger spread), up to sign.
        for c in &p.components {
            let (cu, cv): (f64, f64) = (
                c.iter().zip(&u).map(|(a, b)| a * b).sum(),
                c.iter().zip(&v).map(|(a, b)| a * b).sum(),
            );
            prop_assert!((cu * cu + cv * cv - 1.0).abs() < 1e-3, "{cu} {cv}");
        }
        let first: f64 = p.components[0].iter().zip(&u).map(|(a, b)| a * b).sum();
        prop_assert!(first.abs() > 0.99, "{first}");
        prop_assert!(p.explained_variance_ratio[0] + p.explained_variance_ratio[1] > 0.999);
        // Sign convention: each component's largest loading is positive.
        for c in &p.components {
            let big = c.iter().copied().fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
            prop_assert!(big > 0.0);
        }
        // Same bits on one thread; the same components for any chunk size.
        prop_assert_eq!(&with_threads(1, || pca(&x, &Unmonitored).unwrap()), &p);
        let other = x.clone().with_chunk_rows(chunk * 3 + 1).unwrap();
        let q = pca(&other, &Unmonitored).unwrap();
        for (a, b) in p.components.iter().zip(&q.components) {
            for (x, y) in a.iter().zip(b) {
                prop_assert!((x - y).abs() < 1e-9, "{x} {y}");
            }
        }
    }
}
