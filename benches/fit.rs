//! A full fit (k-means|| seeding + Lloyd to convergence) and predict on W1 (1M × 2,
//! k = 8), W2 (1M × 16, k = 32) and W3 (200k × 64, k = 100), with 1 and 2 threads.

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
        let x = BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(k))
            .check()
            .unwrap()
            .generate()
            .x;
        let params = KMeansParams::new(k).check().unwrap();
        let model = params.fit(&x, None).unwrap();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            g.bench_function(format!("{name}/fit/threads={threads}"), |b| {
                b.iter(|| pool.install(|| params.fit(&x, None).unwrap()))
            });
            g.bench_function(format!("{name}/predict/threads={threads}"), |b| {
                b.iter(|| pool.install(|| predict(&x, model.centres.view(), None).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
