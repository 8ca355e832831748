//! Fitting on a sample, then refining on every row (`ValidKMeansParams::fit_on_sample`, the
//! CLI's `fit --fit-sample`): the result is a fit of the whole data, started from the best
//! sample fit, deterministic across thread counts, and bad sizes are refused by name.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use blobscale::cluster::metrics::adjusted_rand_index;
use blobscale::cluster::{Init, KMeansParams, SampleFit, predict};
use blobscale::data::row_sample::sample_rows;
use blobscale::data::{Blobs, BlobsParams, Centers};
use blobscale::pipeline::replay::frame::labels_digest;
use common::{generate, with_threads};

fn blobs(n: usize, d: usize, c: usize, std: f64, seed: u64) -> Blobs {
    generate(
        BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(c))
            .cluster_std(std)
            .seed(seed)
            .chunk_rows(997),
    )
}

#[test]
fn refines_every_row_from_the_sample_centres() {
    let b = blobs(40_000, 5, 6, 1.5, 11);
    let p = KMeansParams::new(6).seed(4).check().unwrap();
    let plan = SampleFit::faiss(6, b.x.n_rows());
    assert_eq!((plan.rows, plan.refine_passes), (1_536, 1));
    let s = p
        .fit_on_sample(&b.x, None, plan, &blobscale::monitor::Unmonitored)
        .unwrap();
    let sample = s.sample.as_ref().expect("a sample smaller than the data");
    assert_eq!(s.sample_rows, 1_536);
    assert_eq!(sample.labels.len(), 1_536);
    // The whole-data fit starts where the sample fit ended and runs the passes asked for.
    assert_eq!(s.fit.initial_centres, sample.centres);
    assert_eq!(s.fit.labels.len(), 40_000);
    assert!(s.fit.n_iter <= plan.refine_passes);
    let from_sample = predict(&b.x, sample.centres.view(), None).unwrap();
    assert!(
        s.fit.inertia < from_sample.inertia,
        "a pass over every row improves on assigning them: {} vs {}",
        s.fit.inertia,
        from_sample.inertia
    );
    // Labels and inertia are those of the final centres, as any fit's.
    let own = predict(&b.x, s.fit.centres.view(), None).unwrap();
    assert_eq!(own.labels, s.fit.labels);
    assert!(adjusted_rand_index(&b.labels, &s.fit.labels.as_u32()).unwrap() > 0.99);
    // Close to the fit of every row.
    let full = p.fit(&b.x, None).unwrap();
    assert!(s.fit.inertia <= full.inertia * 1.01);
}

#[test]
fn restarts_keep_the_sample_fit_of_least_inertia() {
    // Overlapping blobs and a small sample: seeds end in different local minima.
    let b = blobs(20_000, 2, 9, 2.5, 3);
    let p = KMeansParams::new(9).seed(1).check().unwrap();
    let plan = |restarts| SampleFit {
        rows: 300,
        refine_passes: 1,
        restarts,
    };
    let fit = |restarts| {
        p.fit_on_sample(&b.x, None, plan(restarts), &blobscale::monitor::Unmonitored)
            .unwrap()
            .sample
            .unwrap()
            .inertia
    };
    // Restart r fits the same sample (drawn by seed 1) from seed 1 + r.
    let (sample, _) = sample_rows(&b.x, 300, 1).unwrap();
    let singles: Vec<f64> = (0..6)
        .map(|r| {
            KMeansParams::new(9)
                .seed(1 + r)
                .check()
                .unwrap()
                .fit(&sample, None)
                .unwrap()
                .inertia
        })
        .collect();
    let best = singles.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        singles.iter().any(|&i| i > best),
        "the seeds differ: {singles:?}"
    );
    assert_eq!(fit(6), best);
    assert_eq!(fit(1), singles[0]);
    // From explicit centres every seed fits the same: one fit, whatever the plan says.
    let centres: Vec<Vec<f64>> = (0..9)
        .map(|i| b.x.row(i * 100).iter().map(|&v| v as f64).collect())
        .collect();
    let explicit = KMeansParams::new(9)
        .init(Init::Centers(centres))
        .check()
        .unwrap()
        .fit_on_sample(&b.x, None, plan(6), &blobscale::monitor::Unmonitored)
        .unwrap();
    assert_eq!(explicit.restarts, 1);
    let seeded = p
        .fit_on_sample(&b.x, None, plan(6), &blobscale::monitor::Unmonitored)
        .unwrap();
    assert_eq!(seeded.restarts, 6);
}

#[test]
fn the_same_bits_for_any_thread_count() {
    let b = blobs(30_000, 16, 12, 1.0, 5);
    let p = KMeansParams::new(12).seed(9).check().unwrap();
    let run = |threads| {
        with_threads(threads, || {
            let s = p
                .fit_on_sample(
                    &b.x,
                    None,
                    SampleFit::faiss(12, b.x.n_rows()),
                    &blobscale::monitor::Unmonitored,
                )
                .unwrap();
            (
                labels_digest(&s.fit.labels.as_u32()),
                s.fit.inertia.to_bits(),
            )
        })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn a_sample_as_large_as_the_data_is_the_ordinary_fit() {
    let b = blobs(3_000, 3, 4, 1.0, 2);
    let p = KMeansParams::new(4).seed(2).check().unwrap();
    let s = p
        .fit_on_sample(
            &b.x,
            None,
            SampleFit::new(5_000, 1, 3_000),
            &blobscale::monitor::Unmonitored,
        )
        .unwrap();
    let full = p.fit(&b.x, None).unwrap();
    assert!(s.sample.is_none());
    assert_eq!(s.fit.labels, full.labels);
    assert_eq!(s.fit.inertia.to_bits(), full.inertia.to_bits());
}

#[test]
fn bad_sizes_are_refused_by_name_with_the_allowed_range() {
    let b = blobs(3_000, 2, 4, 1.0, 2);
    let p = KMeansParams::new(8).check().unwrap();
    let err = |plan| {
        p.fit_on_sample(&b.x, None, plan, &blobscale::monitor::Unmonitored)
            .unwrap_err()
            .to_string()
    };
    let few = err(SampleFit::new(5, 1, 3_000));
    assert!(
        few.contains("fit_sample") && few.contains('5') && few.contains("k = 8"),
        "{few}"
    );
    let none = err(SampleFit::new(0, 1, 3_000));
    assert!(none.contains("fit_sample") && none.contains('0'), "{none}");
    let passes = err(SampleFit::new(100, 0, 3_000));
    assert!(
        passes.contains("refine_passes") && passes.contains("1"),
        "{passes}"
    );
}

#[test]
fn weights_travel_with_the_sampled_rows() {
    let b = blobs(12_000, 3, 5, 1.0, 8);
    let p = KMeansParams::new(5).seed(3).check().unwrap();
    let plan = SampleFit::new(700, 1, 12_000);
    let run = |w: Option<&[f64]>| {
        p.fit_on_sample(&b.x, w, plan, &blobscale::monitor::Unmonitored)
            .unwrap()
    };
    let plain = run(None);
    let twos = vec![2.0; 12_000];
    let doubled = run(Some(&twos));
    // Every weight doubled: the same fits, every cost twice.
    assert_eq!(doubled.fit.labels, plain.fit.labels);
    assert_eq!(doubled.fit.inertia, 2.0 * plain.fit.inertia);
    let (ps, ds) = (plain.sample.unwrap(), doubled.sample.unwrap());
    assert_eq!(ds.labels, ps.labels);
    assert_eq!(ds.inertia, 2.0 * ps.inertia);
}
