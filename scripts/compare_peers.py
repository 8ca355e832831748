#!/usr/bin/env python3
"""Runs blobscale's CLI (release build), scikit-learn and dask-ml on the same data in one
run and prints a markdown table of fit times, ratios, inertia and ARI.

Data are generated once per workload by `blobscale generate` (float32 .npy) and read by
all three. scikit-learn: KMeans(k-means++, lloyd, n_init=1) on float32. dask-ml:
KMeans(init="k-means||") on a dask array of 100k-row chunks, threaded scheduler. Every
tool gets the same number of threads (--threads, default 2). blobscale runs with five
seeds and reports the median time and median inertia; the peers run once (seed 0).

The script creates its own virtualenv under .venv/peers (gitignored), installs
scripts/requirements-peers.txt into it and re-runs itself there.

Usage: python3 scripts/compare_peers.py [--threads 2] [--workloads W1,W2,W3] [--seeds 5] [--no-build]

--no-build skips `cargo build --release` (which takes /tmp/blobscale-cargo.lock itself):
use it when the whole run is wrapped in that lock, e.g.
`cargo build --release && flock /tmp/blobscale-cargo.lock python3 scripts/compare_peers.py --no-build`.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "peers"
REQS = ROOT / "scripts" / "requirements-peers.txt"
BIN = ROOT / "target" / "release" / "blobscale"

WORKLOADS = {
    "W1": dict(n=1_000_000, d=2, centers=8, k=8),
    "W2": dict(n=1_000_000, d=16, centers=32, k=32),
    "W3": dict(n=200_000, d=64, centers=100, k=100),
}


def ensure_venv():
    """Re-executes inside .venv/peers with the pinned requirements installed."""
    py = VENV / "bin" / "python"
    if pathlib.Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / ".requirements"
    if not stamp.exists() or stamp.read_text() != REQS.read_text():
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(REQS)], check=True)
        stamp.write_text(REQS.read_text())
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


def build():
    cmd = ["cargo", "build", "--release", "--quiet"]
    if subprocess.run(["which", "flock"], capture_output=True).returncode == 0:
        cmd = ["flock", "/tmp/blobscale-cargo.lock", *cmd]
    subprocess.run(cmd, cwd=ROOT, check=True)


def blobscale(*args):
    out = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"blobscale {' '.join(map(str, args))}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def inertia(x, labels, centres):
    """Σ ‖x − c_label‖² in float64 from a tool's labels and centres, so every tool's
    inertia is computed the same way (dask-ml's own `inertia_` is accumulated in float32)."""
    import numpy as np

    total = 0.0
    for lo in range(0, len(x), 100_000):
        xs = x[lo:lo + 100_000].astype(np.float64)
        diff = xs - np.asarray(centres, dtype=np.float64)[labels[lo:lo + 100_000]]
        total += float(np.einsum("ij,ij->", diff, diff))
    return total


def run_sklearn(x, truth, k, seed):
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    t = time.perf_counter()
    km = KMeans(n_clusters=k, init="k-means++", algorithm="lloyd", n_init=1, random_state=seed).fit(x)
    secs = time.perf_counter() - t
    return dict(fit=secs, inertia=inertia(x, km.labels_, km.cluster_centers_),
                ari=adjusted_rand_score(truth, km.labels_), n_iter=int(km.n_iter_))


def run_dask(x, truth, k, seed, threads):
    import dask
    import dask.array as da
    import numpy as np
    from dask_ml.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    xd = da.from_array(x, chunks=(100_000, x.shape[1]))
    with dask.config.set(scheduler="threads", num_workers=threads):
        t = time.perf_counter()
        km = KMeans(n_clusters=k, init="k-means||", random_state=seed).fit(xd)
        secs = time.perf_counter() - t
        labels = km.labels_.compute() if hasattr(km.labels_, "compute") else km.labels_
    return dict(fit=secs, inertia=inertia(x, np.asarray(labels), km.cluster_centers_),
                ari=adjusted_rand_score(truth, labels), n_iter=int(km.n_iter_))


def main():
    ensure_venv()
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workloads", default="W1,W2,W3")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release/blobscale")
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    import numpy as np
    import sklearn
    import dask_ml

    if not args.no_build:
        build()
    rows = []
    with tempfile.TemporaryDirectory(prefix="blobscale-peers-") as tmp:
        for name in args.workloads.split(","):
            w = WORKLOADS[name]
            xp, yp = f"{tmp}/{name}.npy", f"{tmp}/{name}-labels.npy"
            blobscale("generate", "--n-samples", w["n"], "--n-features", w["d"], "--centers", w["centers"],
                      "--out", xp, "--labels-out", yp)
            x, truth = np.load(xp), np.load(yp)
            ours = [
                blobscale("fit", "--input", xp, "--truth", yp, "--k", w["k"], "--seed", s, "--threads", args.threads)
                for s in range(args.seeds)
            ]
            bs = dict(
                fit=statistics.median(r["timings_s"]["fit"] for r in ours),
                seeding=statistics.median(r["timings_s"]["seeding"] for r in ours),
                inertia=statistics.median(r["inertia"] for r in ours),
                ari=statistics.median(r["ari"] for r in ours),
                n_iter=statistics.median(r["n_iter"] for r in ours),
                rss=max(r["peak_rss_mib"] or 0 for r in ours),
            )
            sk = run_sklearn(x, truth, w["k"], 0)
            dk = run_dask(x, truth, w["k"], 0, args.threads)
            rows.append((name, w, x.nbytes, bs, sk, dk))
            print(f"{name}: blobscale {bs['fit']:.3f}s, sklearn {sk['fit']:.3f}s, dask-ml {dk['fit']:.3f}s", file=sys.stderr)

    print(f"blobscale (median of {args.seeds} seeds) vs scikit-learn {sklearn.__version__} and dask-ml "
          f"{dask_ml.__version__}, {args.threads} threads, float32 input, same data; inertia recomputed "
          f"in float64 from each tool's labels and centres\n")
    print("| workload | blobscale fit | sklearn fit | dask-ml fit | sklearn ÷ blobscale | dask-ml ÷ blobscale "
          "| inertia blobscale / sklearn / dask-ml | ARI blobscale / sklearn / dask-ml | blobscale peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, w, nbytes, bs, sk, dk in rows:
        print(f"| {name}: {w['n']:,} × {w['d']}, k = {w['k']} | {bs['fit']:.3f} s (seeding {bs['seeding']:.3f} s) "
              f"| {sk['fit']:.3f} s | {dk['fit']:.3f} s | {sk['fit'] / bs['fit']:.1f}× | {dk['fit'] / bs['fit']:.1f}× "
              f"| {bs['inertia']:.5e} / {sk['inertia']:.5e} / {dk['inertia']:.5e} "
              f"| {bs['ari']:.3f} / {sk['ari']:.3f} / {dk['ari']:.3f} "
              f"| {bs['rss']:.0f} MiB (data {nbytes / 2**20:.0f} MiB) |")


if __name__ == "__main__":
    main()
