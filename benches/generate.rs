//! Blobs generation for W1 (1M × 2, 8 centres), W2 (1M × 16, 32 centres) and W3
//! (200k × 64, 100 centres) with 1 and 2 threads.

use blobscale::data::{BlobsParams, Centers};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("generate");
    g.sample_size(10);
    for (name, n, d, k) in [
        ("W1", 1_000_000, 2, 8),
        ("W2", 1_000_000, 16, 32),
        ("W3", 200_000, 64, 100),
    ] {
        let p = BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(k))
            .check()
            .unwrap();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            g.bench_function(format!("{name}/threads={threads}"), |b| {
                b.iter(|| pool.install(|| p.generate()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
