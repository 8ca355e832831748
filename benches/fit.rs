//! A full fit (k-means|| seeding + Lloyd to convergence), predict and the page's metrics
//! stage (ARI, silhouette on a 2,000-row sample, Calinski–Harabasz, Davies–Bouldin, as
//! `pipeline::tasks::metrics` runs them) on W1 (1M × 2, k = 8), W2 (1M × 16, k = 32) and
//! W3 (200k × 64, k = 100), with 1 and 2 threads.

use blobscale::cluster::metrics::{
    adjusted_rand_index, calinski_harabasz, davies_bouldin, silhouette_score,
};
use blobscale::cluster::{KMeansParams, predict};
use blobscale::data::{BlobsParams, Centers};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("fit");
    g.sample_size(10);
    for (name, n, d, k) in [
        ("W1", 1_000_000, 2, 8),
        ("W2", 1_000_000, 16, 32),
        ("W3", 200_000, 64, 100),
    ] {
        let blobs = BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(k))
            .check()
            .unwrap()
            .generate();
        let x = &blobs.x;
        let params = KMeansParams::new(k).check().unwrap();
        let model = params.fit(x, None).unwrap();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            g.bench_function(format!("{name}/fit/threads={threads}"), |b| {
                b.iter(|| pool.install(|| params.fit(x, None).unwrap()))
            });
            g.bench_function(format!("{name}/predict/threads={threads}"), |b| {
                b.iter(|| pool.install(|| predict(x, model.centres.view(), None).unwrap()))
            });
            let l = &model.labels.as_u32();
            g.bench_function(format!("{name}/metrics/threads={threads}"), |b| {
                b.iter(|| {
                    pool.install(|| {
                        (
                            adjusted_rand_index(&blobs.labels, l).unwrap(),
                            silhouette_score(x, l, Some(2_000), 0).unwrap(),
                            calinski_harabasz(x, l).unwrap(),
                            davies_bouldin(x, l).unwrap(),
                        )
                    })
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
