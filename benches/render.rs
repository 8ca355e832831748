//! The picture of n points on a 600 × 400 canvas: markers up to
//! `MARKER_MAX_POINTS` visible points, the density raster above (the threshold's
//! measurement; ARCHITECTURE.md §3). Each size is rendered as the page would
//! (`rasterise`), so the two styles are compared at the same n around the switch.

use blobscale::data::BlobsParams;
use blobscale::monitor::Unmonitored;
use blobscale::pipeline::render::raster::{MARKER_MAX_POINTS, Viewport, bounds, rasterise};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    g.sample_size(20);
    for n in [
        150,
        5_000,
        MARKER_MAX_POINTS,
        MARKER_MAX_POINTS + 1,
        100_000,
        1_000_000,
    ] {
        let blobs = BlobsParams::new(n).seed(7).check().unwrap().generate();
        let (x, y) = bounds(&blobs.x, 0, 1);
        let vp = Viewport {
            x,
            y,
            width: 600,
            height: 400,
        };
        let style = rasterise(&blobs.x, 0, 1, Some(&blobs.labels), &vp, &Unmonitored).style;
        let kind = if matches!(
            style,
            blobscale::pipeline::render::raster::PointStyle::Density
        ) {
            "density"
        } else {
            "markers"
        };
        g.bench_function(format!("n={n}/{kind}"), |b| {
            b.iter(|| rasterise(&blobs.x, 0, 1, Some(&blobs.labels), &vp, &Unmonitored))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
