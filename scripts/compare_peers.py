#!/usr/bin/env python3
"""Runs blobscale's CLI (release build), scikit-learn, dask-ml, scikit-learn-intelex (oneDAL)
and faiss on the same data in one run and prints markdown tables of fit times, ratios,
inertia, ARI, peak RSS, steady Lloyd iterations against the machine's FMA floor, and
k-means++ seeding.

Data are generated once per workload by `blobscale generate` (float32 .npy) and read by
every tool. scikit-learn: KMeans(k-means++, lloyd, n_init=1) on float32. dask-ml:
KMeans(init="k-means||") on a dask array of 100k-row chunks, threaded scheduler. Every
tool gets the same number of threads (--threads, default 2). blobscale runs with five
seeds and reports the median time and median inertia; scikit-learn and dask-ml run once (seed
0), sklearnex and faiss over the same seeds as blobscale (median time and inertia).

The fast peers run through scripts/peer_runner.py in .venv/peers-fast, one fresh process
per measurement, so each peak RSS and time is that tool's alone: sklearnex
KMeans(k-means++, lloyd, n_init=1); faiss.Kmeans with its defaults (niter 25, trained on at
most 256·k sampled rows) plus index.search of every row; steady Lloyd iterations (blobscale
--init random --max-iter 20 --tol 0 against sklearnex init="random", max_iter=20, tol=0 and
faiss niter=20 on every row) and k-means++ seeding alone (blobscale timings_s.seeding against
daal4py's kmeans_init plusPlusDense), each the median of 3 fresh processes. The FMA floor of
one Lloyd pass is n·d·k / (threads × f32 FMA lanes per cycle × GHz), read from /proc/cpuinfo.
--sample-preset adds blobscale `fit --fit-sample faiss` against faiss's defaults (skipped
with a note when the CLI has no such flag).

The script creates its own virtualenvs under .venv/peers and .venv/peers-fast (gitignored),
installs scripts/requirements-peers.txt and scripts/requirements-peers-fast.txt into them and
re-runs itself in .venv/peers.

Workloads: W1–W3 (the default), W4 = 10M × 2, k = 8 (80 MB; dask-ml takes a while on it),
T = 50k × 8, k = 8 (a smoke test).

Usage: python3 scripts/compare_peers.py [--threads 2] [--workloads W1,W2,W3] [--seeds 5] [--sample-preset] [--no-build]

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
FAST_VENV = ROOT / ".venv" / "peers-fast"
FAST_REQS = ROOT / "scripts" / "requirements-peers-fast.txt"
RUNNER = ROOT / "scripts" / "peer_runner.py"
BIN = ROOT / "target" / "release" / "blobscale"
REPEATS = 3  # fresh processes per steady-iteration and seeding measurement

WORKLOADS = {
    "W1": dict(n=1_000_000, d=2, centers=8, k=8),
    "W2": dict(n=1_000_000, d=16, centers=32, k=32),
    "W3": dict(n=200_000, d=64, centers=100, k=100),
    "W4": dict(n=10_000_000, d=2, centers=8, k=8),
    "T": dict(n=50_000, d=8, centers=8, k=8),
}


def install(venv, reqs):
    """Creates `venv` when missing and installs the pinned `reqs` when they changed; returns its python."""
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    stamp = venv / ".requirements"
    if not stamp.exists() or stamp.read_text() != reqs.read_text():
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(reqs)], check=True)
        stamp.write_text(reqs.read_text())
    return py


def ensure_venv():
    """Installs .venv/peers-fast for the fast peers, then re-executes inside .venv/peers."""
    install(FAST_VENV, FAST_REQS)
    if pathlib.Path(sys.prefix).resolve() == VENV.resolve():
        return
    py = install(VENV, REQS)
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


def build():
    cmd = ["cargo", "build", "--release", "--quiet"]
    if subprocess.run(["which", "flock"], capture_output=True).returncode == 0:
        cmd = ["flock", "/tmp/blobscale-cargo.lock", *cmd]
    subprocess.run(cmd, cwd=ROOT, check=True)


def blobscale(*args, skip=None):
    """The CLI's JSON. When `skip` names what needs this command line and the CLI rejects it
    (exit 2, a bad command line), prints a one-line note and returns None instead of exiting."""
    out = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True)
    if skip and out.returncode == 2:
        print(f"note: no {skip}: blobscale {args[0]} rejects the command line ({out.stderr.strip().splitlines()[0]})")
        return None
    if out.returncode != 0:
        sys.exit(f"blobscale {' '.join(map(str, args))}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def fast_peer(peer, xp, k, seed, threads, labels_out=None):
    """One run of scripts/peer_runner.py PEER in a fresh .venv/peers-fast process: its JSON."""
    cmd = [str(FAST_VENV / "bin" / "python"), str(RUNNER), peer, "--input", xp, "--k", str(k),
           "--seed", str(seed), "--threads", str(threads)]
    out = subprocess.run(cmd + (["--labels-out", labels_out] if labels_out else []), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"peer_runner.py {peer} on {xp}: {out.stderr.strip()}")
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


def run_fast(peer, xp, x, truth, k, seed, threads):
    """A fast peer's fit (sklearnex or faiss) in its own process; inertia and ARI from its labels."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    lp = xp.replace(".npy", f"-{peer}-labels.npy")
    r = fast_peer(peer, xp, k, seed, threads, labels_out=lp)
    labels = np.load(lp)
    return dict(fit=r["secs"], inertia=inertia(x, labels, r["centres"]), ari=adjusted_rand_score(truth, labels),
                n_iter=r["n_iter"], rss=r["peak_rss_mib"], version=r["version"])


def fast_median(peer, xp, x, truth, k, seeds, threads):
    """A fast peer over the same seeds as blobscale, one fresh process each: median time, inertia,
    ARI and iterations, the largest peak RSS. The fit ratio then compares medians over the same
    seeds: with one run of seed 0 it swung by a fifth with the peer's own time."""
    runs = [run_fast(peer, xp, x, truth, k, s, threads) for s in range(seeds)]
    out = {key: statistics.median(r[key] for r in runs) for key in ("fit", "inertia", "ari", "n_iter")}
    return dict(out, rss=max(r["rss"] for r in runs), version=runs[0]["version"])


def steady_iteration(xp, k, threads):
    """Seconds per steady Lloyd iteration, median of REPEATS fresh processes per tool."""
    def ours(seed):
        r = blobscale("fit", "--input", xp, "--k", k, "--seed", seed, "--threads", threads, "--init", "random",
                      "--max-iter", 20, "--tol", 0, "--algorithm", "lloyd")
        return r["timings_s"]["lloyd"] / (r["n_iter"] + 1)  # the Lloyd phase ends with a labels + inertia pass

    def peer(name, seed):
        r = fast_peer(name, xp, k, seed, threads)
        return r["secs"] / r["n_iter"]

    return dict(blobscale=statistics.median(ours(s) for s in range(REPEATS)),
                sklearnex=statistics.median(peer("sklearnex-steady", s) for s in range(REPEATS)),
                faiss=statistics.median(peer("faiss-steady", s) for s in range(REPEATS)))


def seeding(xp, k, threads):
    """k-means++ seeding alone: blobscale's timings_s.seeding and oneDAL's kmeans_init, median of REPEATS each."""
    return dict(
        blobscale=statistics.median(
            blobscale("fit", "--input", xp, "--k", k, "--seed", s, "--threads", threads, "--init", "k-means++",
                      "--max-iter", 1)["timings_s"]["seeding"] for s in range(REPEATS)),
        onedal=statistics.median(fast_peer("onedal-seeding", xp, k, s, threads)["secs"] for s in range(REPEATS)),
    )


def sample_preset(xp, k, seeds, threads):
    """blobscale `fit --fit-sample faiss`, median time and inertia over the seeds; None when the CLI rejects it."""
    runs = []
    for s in range(seeds):
        r = blobscale("fit", "--input", xp, "--k", k, "--seed", s, "--threads", threads, "--fit-sample", "faiss",
                      skip="--sample-preset table")
        if r is None:
            return None
        runs.append(r)
    return dict(fit=statistics.median(r["timings_s"]["fit"] for r in runs),
                inertia=statistics.median(r["inertia"] for r in runs))


def fma_lanes():
    """f32 FMA lanes per cycle per core, the clock in GHz (the first "cpu MHz" of /proc/cpuinfo)
    and why that many lanes."""
    fields = {}
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    if "cpu MHz" not in fields:
        sys.exit("compare_peers: /proc/cpuinfo has no \"cpu MHz\", which the FMA floor needs")
    flags = set(fields.get("flags", "").split())
    amd = fields.get("vendor_id") == "AuthenticAMD"
    if "avx512f" in flags and not amd:
        lanes, why = 32, "avx512f, two 512-bit FMA pipes assumed"
    elif {"avx2", "fma"} <= flags:
        lanes, why = 16, "avx2 + fma, two 256-bit FMA pipes" + (
            "; AMD's avx512f counted as 16 too, since Zen 4 double-pumps 512-bit FMAs" if "avx512f" in flags else "")
    else:
        lanes, why = 8, "no avx2 + fma, two 128-bit pipes assumed"
    return lanes, float(fields["cpu MHz"]) / 1000, why


def measure(name, w, tmp, args, fma_rate):
    """Every tool's numbers on one workload."""
    import numpy as np

    xp, yp = f"{tmp}/{name}.npy", f"{tmp}/{name}-labels.npy"
    blobscale("generate", "--n-samples", w["n"], "--n-features", w["d"], "--centers", w["centers"],
              "--out", xp, "--labels-out", yp)
    x, truth = np.load(xp), np.load(yp)
    fit = ("fit", "--input", xp, "--k", w["k"], "--threads", args.threads)
    ours = [blobscale(*fit, "--truth", yp, "--seed", s) for s in range(args.seeds)]
    floor = w["n"] * w["d"] * w["k"] / fma_rate
    bs = dict(
        fit=statistics.median(r["timings_s"]["fit"] for r in ours),
        seeding=statistics.median(r["timings_s"]["seeding"] for r in ours),
        inertia=statistics.median(r["inertia"] for r in ours),
        ari=statistics.median(r["ari"] for r in ours),
        n_iter=statistics.median(r["n_iter"] for r in ours),
        lloyd_floors=statistics.median(r["timings_s"]["lloyd"] / ((r["n_iter"] + 1) * floor) for r in ours),
        rss=blobscale(*fit, "--seed", 0)["peak_rss_mib"],  # without --truth: the peers don't load it either
    )
    row = dict(name=name, w=w, mib=x.nbytes / 2**20, floor=floor, bs=bs,
               sk=run_sklearn(x, truth, w["k"], 0), dk=run_dask(x, truth, w["k"], 0, args.threads),
               skx=fast_median("sklearnex", xp, x, truth, w["k"], args.seeds, args.threads),
               fs=fast_median("faiss", xp, x, truth, w["k"], args.seeds, args.threads),
               steady=steady_iteration(xp, w["k"], args.threads), seeding=seeding(xp, w["k"], args.threads),
               sample=sample_preset(xp, w["k"], args.seeds, args.threads) if args.sample_preset else None)
    args.sample_preset = row["sample"] is not None  # a CLI that rejects --fit-sample is not asked again
    print(f"{name}: blobscale {bs['fit']:.3f}s, sklearn {row['sk']['fit']:.3f}s, dask-ml {row['dk']['fit']:.3f}s, "
          f"sklearnex {row['skx']['fit']:.3f}s, faiss {row['fs']['fit']:.3f}s", file=sys.stderr)
    return row


def label(row):
    w = row["w"]
    return f"{row['name']}: {w['n']:,} × {w['d']}, k = {w['k']}"


def table(columns, rows, cells):
    """A markdown table: the header, its rule (one per column) and `cells(row)` for each row."""
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in rows:
        out = cells(r)
        assert len(out) == len(columns), f"{len(out)} cells for {len(columns)} columns"
        print("| " + " | ".join(out) + " |")


def print_peers(rows):
    def cells(r):
        bs, sk, dk = r["bs"], r["sk"], r["dk"]
        return [label(r), f"{bs['fit']:.3f} s (seeding {bs['seeding']:.3f} s)", f"{sk['fit']:.3f} s",
                f"{dk['fit']:.3f} s", f"{sk['fit'] / bs['fit']:.1f}×", f"{dk['fit'] / bs['fit']:.1f}×",
                f"{bs['inertia']:.5e} / {sk['inertia']:.5e} / {dk['inertia']:.5e}",
                f"{bs['ari']:.3f} / {sk['ari']:.3f} / {dk['ari']:.3f}",
                f"{bs['rss']:.0f} MiB (data {r['mib']:.0f} MiB)"]

    table(["workload", "blobscale fit", "sklearn fit", "dask-ml fit", "sklearn ÷ blobscale", "dask-ml ÷ blobscale",
           "inertia blobscale / sklearn / dask-ml", "ARI blobscale / sklearn / dask-ml", "blobscale peak RSS"],
          rows, cells)


def print_fast(rows):
    def cells(r):
        bs, skx, fs = r["bs"], r["skx"], r["fs"]
        best = min(r[p]["inertia"] for p in ("sk", "dk", "skx", "fs"))
        return [label(r), f"{bs['fit']:.3f} s", f"{skx['fit']:.3f} s ({skx['n_iter']:g})", f"{fs['fit']:.3f} s",
                f"{skx['fit'] / bs['fit']:.2f}×", f"{fs['fit'] / bs['fit']:.2f}×",
                f"{bs['inertia']:.5e} / {skx['inertia']:.5e} / {fs['inertia']:.5e}", f"{bs['inertia'] / best:.5f}",
                f"{bs['ari']:.3f} / {skx['ari']:.3f} / {fs['ari']:.3f}",
                f"{bs['rss']:.0f} / {skx['rss']:.0f} / {fs['rss']:.0f} MiB", f"{bs['rss'] / r['mib']:.2f}",
                "yes" if bs["rss"] <= 1.25 * r["mib"] + 16 else "no", f"{bs['lloyd_floors']:.1f}×"]

    table(["workload", "blobscale fit", "sklearnex fit (n_iter)", "faiss train + assign", "sklearnex ÷ blobscale",
           "faiss ÷ blobscale", "inertia blobscale / sklearnex / faiss", "blobscale ÷ best peer inertia",
           "ARI blobscale / sklearnex / faiss", "peak RSS blobscale / sklearnex / faiss", "blobscale RSS ÷ data",
           "≤ 1.25 × data + 16 MiB", "blobscale Lloyd ÷ ((n_iter + 1) × floor)"], rows, cells)


def print_steady(rows):
    def cells(r):
        it, sd = r["steady"], r["seeding"]
        return [label(r), f"{r['floor'] * 1e3:.3f} ms",
                f"{it['blobscale'] * 1e3:.3f} / {it['sklearnex'] * 1e3:.3f} / {it['faiss'] * 1e3:.3f}",
                f"{it['blobscale'] / r['floor']:.1f}×", f"{sd['blobscale'] * 1e3:.1f} ms",
                f"{sd['onedal'] * 1e3:.1f} ms", f"{sd['onedal'] / sd['blobscale']:.2f}×"]

    table(["workload", "FMA floor per pass", "Lloyd ms per iteration blobscale / sklearnex / faiss",
           "blobscale ÷ floor", "k-means++ seeding blobscale", "oneDAL", "oneDAL ÷ blobscale"], rows, cells)


def print_sample(rows):
    def cells(r):
        sp, fs = r["sample"], r["fs"]
        return [label(r), f"{sp['fit']:.3f} s", f"{fs['fit']:.3f} s", f"{fs['fit'] / sp['fit']:.2f}×",
                f"{sp['inertia']:.5e} / {fs['inertia']:.5e}", f"{sp['inertia'] / fs['inertia']:.5f}"]

    table(["workload", "blobscale --fit-sample faiss", "faiss defaults, train + assign", "faiss ÷ blobscale",
           "inertia blobscale / faiss", "blobscale ÷ faiss inertia"], rows, cells)


def main():
    ensure_venv()
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workloads", default="W1,W2,W3")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--sample-preset", action="store_true", help="also blobscale fit --fit-sample faiss vs faiss")
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release/blobscale")
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    import sklearn
    import dask_ml

    if not args.no_build:
        build()
    lanes, ghz, why = fma_lanes()
    with tempfile.TemporaryDirectory(prefix="blobscale-peers-") as tmp:
        rows = [measure(name, WORKLOADS[name], tmp, args, args.threads * lanes * ghz * 1e9)
                for name in args.workloads.split(",")]

    print(f"blobscale (median of {args.seeds} seeds) vs scikit-learn {sklearn.__version__} and dask-ml "
          f"{dask_ml.__version__}, {args.threads} threads, float32 input, same data; inertia recomputed "
          f"in float64 from each tool's labels and centres; blobscale's peak RSS from a fit without --truth. "
          f"FMA floor of one Lloyd pass = n·d·k / ({args.threads} threads × {lanes} f32 FMA lanes per cycle × "
          f"{ghz:.3f} GHz, the first \"cpu MHz\" of /proc/cpuinfo); {lanes} lanes: {why}\n")
    print_peers(rows)
    print(f"\nblobscale vs {rows[0]['skx']['version']} (oneDAL) and {rows[0]['fs']['version']}, each peer on the "
          f"same {args.seeds} seeds, a fresh process each, median time, inertia, ARI and n_iter; peers' peak RSS "
          f"is the largest VmHWM after the timed work (Python and libraries included); best peer inertia is the "
          f"lowest of all four peers\n")
    print_fast(rows)
    print(f"\nSteady Lloyd iterations and k-means++ seeding, median of {REPEATS} fresh processes each: blobscale "
          f"--init random --max-iter 20 --tol 0 --algorithm lloyd, timings_s.lloyd ÷ (n_iter + 1); sklearnex "
          f"init=\"random\", max_iter=20, tol=0, fit ÷ n_iter; faiss niter=20 on every row, train ÷ 20. Seeding: "
          f"blobscale --init k-means++ timings_s.seeding vs daal4py kmeans_init(plusPlusDense, 2 + ln k trials)\n")
    print_steady(rows)
    if args.sample_preset:
        print(f"\nblobscale fit --fit-sample faiss (median of {args.seeds} seeds) vs faiss's defaults (median of {args.seeds} seeds)\n")
        print_sample(rows)


if __name__ == "__main__":
    main()
