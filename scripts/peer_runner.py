#!/usr/bin/env python3
"""Runs one fast peer once, in this fresh process, for scripts/compare_peers.py (which starts
it with .venv/peers-fast's python, scripts/requirements-peers-fast.txt), and prints JSON:
the timed work's seconds, n_iter, peak RSS in MiB (VmHWM of /proc/self/status right after
the timed work, so it counts the loaded data and the libraries but not writing the labels;
not ru_maxrss, which Linux carries over from the parent across the exec), the centres and
the package's version. --labels-out writes each row's label (.npy).

Peers, all on the float32 .npy as loaded, with --threads threads (daal4py.daalinit for
oneDAL, faiss.omp_set_num_threads for faiss):
  sklearnex         sklearnex KMeans(k-means++, lloyd, n_init=1): fit time
  sklearnex-steady  sklearnex KMeans(init="random", max_iter=20, tol=0): fit time
  onedal-seeding    daal4py kmeans_init(plusPlusDense, 2 + ln k local trials as scikit-learn's
                    and sklearnex's greedy k-means++) alone: its compute time
  faiss             faiss.Kmeans with its defaults (niter 25, trained on at most 256·k sampled
                    rows), then index.search(x, 1) labels every row: train + assign time
  faiss-steady      faiss.Kmeans(niter=20) trained on every row: train time

Usage: peer_runner.py PEER --input X.npy --k K --seed S --threads T [--labels-out L.npy]
"""

import argparse
import functools
import importlib.metadata
import json
import math
import pathlib
import time


def peak_rss_mib():
    """This process's peak resident set (VmHWM) in MiB, as blobscale's own peak_rss_mib."""
    line = next(l for l in pathlib.Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def sklearnex_fit(x, k, seed, threads, steady):
    import daal4py
    from sklearnex.cluster import KMeans

    daal4py.daalinit(threads)
    params = dict(init="random", max_iter=20, tol=0) if steady else dict(init="k-means++")
    t = time.perf_counter()
    km = KMeans(n_clusters=k, algorithm="lloyd", n_init=1, random_state=seed, **params).fit(x)
    return time.perf_counter() - t, int(km.n_iter_), km.cluster_centers_, km.labels_


def onedal_seeding(x, k, seed, threads):
    import daal4py

    daal4py.daalinit(threads)
    init = daal4py.kmeans_init(nClusters=k, fptype="float", method="plusPlusDense", nTrials=2 + int(math.log(k)),
                               engine=daal4py.engines_mt19937(seed=seed))
    t = time.perf_counter()
    centres = init.compute(x).centroids
    return time.perf_counter() - t, 0, centres, None


def faiss_fit(x, k, seed, threads, steady):
    import faiss

    faiss.omp_set_num_threads(threads)
    params = dict(niter=20, max_points_per_centroid=len(x) // k + 1) if steady else {}
    km = faiss.Kmeans(x.shape[1], k, seed=seed, **params)
    t = time.perf_counter()
    km.train(x)
    labels = None if steady else km.index.search(x, 1)[1][:, 0]
    return time.perf_counter() - t, km.cp.niter, km.centroids, labels


PEERS = {
    "sklearnex": ("scikit-learn-intelex", functools.partial(sklearnex_fit, steady=False)),
    "sklearnex-steady": ("scikit-learn-intelex", functools.partial(sklearnex_fit, steady=True)),
    "onedal-seeding": ("scikit-learn-intelex", onedal_seeding),
    "faiss": ("faiss-cpu", functools.partial(faiss_fit, steady=False)),
    "faiss-steady": ("faiss-cpu", functools.partial(faiss_fit, steady=True)),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=PEERS)
    ap.add_argument("--input", required=True)
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--labels-out")
    args = ap.parse_args()

    import numpy as np

    package, run = PEERS[args.peer]
    x = np.load(args.input)
    secs, n_iter, centres, labels = run(x, args.k, args.seed, args.threads)
    rss = peak_rss_mib()
    if args.labels_out:
        np.save(args.labels_out, np.asarray(labels))
    print(json.dumps(dict(secs=secs, n_iter=n_iter, peak_rss_mib=rss, centres=np.asarray(centres).tolist(),
                          version=f"{package} {importlib.metadata.version(package)}")))


if __name__ == "__main__":
    main()
