//! One Lloyd iteration on W1 (1M × 2, k = 8), W2 (1M × 16, k = 32) and W3 (200k × 64,
//! k = 100) with 1 and 2 threads: `full` is a first iteration (every row labelled and
//! summed), `next` a following one (every row labelled, rows whose label changed moved
//! between the exact sums), both followed by the M-step. `mean` is what scikit-learn's
//! per-iteration figure means: the whole Lloyd phase of a fit from the default k-means||
//! seeds (first pass, following passes, final labels and inertia) divided by its
//! iteration count.

use blobscale::cluster::kernels::assign_pass::{Pass, assign_pass};
use blobscale::cluster::kernels::general::CentreSet;
use blobscale::cluster::lloyd::lloyd;
use blobscale::cluster::lloyd::partial_sums::Scales;
use blobscale::cluster::params::{Algorithm, Init};
use blobscale::cluster::seeding::seed_centres;
use blobscale::cluster::summary::Summary;
use blobscale::data::{BlobsParams, Centers, ChunkedMatrix};
use blobscale::monitor::{TaskKind, Unmonitored};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::time::{Duration, Instant};

fn workload(n: usize, d: usize, c: usize) -> ChunkedMatrix {
    BlobsParams::new(n)
        .n_features(d)
        .centers(Centers::Count(c))
        .seed(0)
        .check()
        .unwrap()
        .generate()
        .x
}

fn bench(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("lloyd_iteration");
    g.sample_size(10);
    for (name, n, d, k) in [
        ("W1", 1_000_000, 2, 8),
        ("W2", 1_000_000, 16, 32),
        ("W3", 200_000, 64, 100),
    ] {
        let x = workload(n, d, k);
        let summary = Summary::of(&x, None).unwrap();
        let scales = Scales::new(&summary);
        let c0: Vec<f64> = (0..k)
            .flat_map(|i| x.row(i * 997).iter().map(|&v| v as f64).collect::<Vec<_>>())
            .collect();
        let pass = |centres: &[f64], labels: &mut [u32], pass: Pass| {
            let cs = CentreSet::new(centres.to_vec(), d);
            let sums = assign_pass(
                &x,
                None,
                &cs,
                labels,
                &scales,
                pass,
                TaskKind::Lloyd,
                &Unmonitored,
            )
            .unwrap();
            sums.means(&scales, centres)
        };
        let mut labels0 = vec![u32::MAX; n];
        let c1 = pass(&c0, &mut labels0, Pass::Full);
        let init = Init::default();
        let seeds = seed_centres(&x, None, &summary, k, &init, 0, 1e-4, &Unmonitored)
            .unwrap()
            .centres;
        let tol = summary.absolute_tol(&x, 1e-4);
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            g.bench_function(format!("{name}/mean/threads={threads}"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let start = Instant::now();
                        let out = pool.install(|| {
                            let s = seeds.clone();
                            lloyd(
                                &x,
                                None,
                                &summary,
                                s,
                                300,
                                tol,
                                Algorithm::Lloyd,
                                &Unmonitored,
                            )
                        });
                        let n_iter = out.unwrap().n_iter as u32;
                        total += start.elapsed() / n_iter;
                    }
                    total
                })
            });
            g.bench_function(format!("{name}/full/threads={threads}"), |b| {
                b.iter_batched_ref(
                    || vec![u32::MAX; n],
                    |labels| pool.install(|| pass(&c0, labels, Pass::Full)),
                    BatchSize::LargeInput,
                )
            });
            g.bench_function(format!("{name}/next/threads={threads}"), |b| {
                b.iter_batched_ref(
                    || labels0.clone(),
                    |labels| pool.install(|| pass(&c1, labels, Pass::Delta)),
                    BatchSize::LargeInput,
                )
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
