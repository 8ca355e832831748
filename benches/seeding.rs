//! Each seeding — random, greedy k-means++, k-means|| (defaults) and the dask-ml preset —
//! on W1 (1M × 2, k = 8), W2 (1M × 16, k = 32) and W3 (200k × 64, k = 100), 1 and 2 threads.

use blobscale::cluster::params::DEFAULT_TOL;
use blobscale::cluster::seeding::seed_centres;
use blobscale::cluster::summary::Summary;
use blobscale::cluster::{Init, ParallelInit};
use blobscale::data::{BlobsParams, Centers};
use blobscale::monitor::Unmonitored;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("seeding");
    g.sample_size(10);
    for (name, n, d, k) in [
        ("W1", 1_000_000, 2, 8),
        ("W2", 1_000_000, 16, 32),
        ("W3", 200_000, 64, 100),
    ] {
        let x = BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(k))
            .check()
            .unwrap()
            .generate()
            .x;
        let summary = Summary::of(&x, None).unwrap();
        let inits = [
            ("random", Init::Random),
            (
                "k-means++",
                Init::KMeansPlusPlus {
                    n_local_trials: None,
                },
            ),
            ("k-means||", Init::KMeansParallel(ParallelInit::default())),
            ("dask-ml", Init::KMeansParallel(ParallelInit::dask_ml())),
        ];
        for (init_name, init) in &inits {
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                g.bench_function(format!("{name}/{init_name}/threads={threads}"), |b| {
                    b.iter(|| {
                        pool.install(|| {
                            seed_centres(&x, None, &summary, k, init, 0, DEFAULT_TOL, &Unmonitored)
                                .unwrap()
                        })
                    })
                });
            }
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
