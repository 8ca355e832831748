#!/usr/bin/env python3
"""Writes tests/fixtures/sklearn_kmeans.json: scikit-learn's KMeans and metrics on small
datasets, for the oracle tests in tests/oracle_sklearn.rs.

Data are rounded to float32 (blobscale stores f32) and handed to scikit-learn as float64,
so both sides compute on the same numbers in double precision. Every fit starts from
explicit centres (n_init=1, algorithm="lloyd"), so the result does not depend on either
side's random generator.

Usage:
    python3 -m venv /tmp/blobscale-fixtures
    /tmp/blobscale-fixtures/bin/pip install scikit-learn numpy
    /tmp/blobscale-fixtures/bin/python scripts/make_fixtures.py
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sklearn_kmeans.json"


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def short(v):
    """The shortest decimal that reads back (through float64) as the same float32."""
    s = np.format_float_positional(np.float32(v), unique=True, trim="-")
    assert np.float32(float(s)) == np.float32(v)
    return float(s)


def case(name, x, truth, k, init_rows=None, init=None, tol=1e-4, max_iter=300, weights=None):
    x = f32(x)
    if init is None:
        init = x[init_rows]
    init = np.asarray(init, dtype=np.float64)
    km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=tol, max_iter=max_iter)
    km.fit(x, sample_weight=weights)
    labels = km.labels_
    metrics = {"ari": adjusted_rand_score(truth, labels)}
    if 2 <= len(set(labels)) <= len(x) - 1:
        metrics.update(
            silhouette=silhouette_score(x, labels),
            calinski_harabasz=calinski_harabasz_score(x, labels),
            davies_bouldin=davies_bouldin_score(x, labels),
        )
    return {
        "name": name,
        "x": [[short(v) for v in row] for row in x],
        "weights": None if weights is None else list(map(float, weights)),
        "truth": list(map(int, truth)),
        "k": k,
        "init": init.tolist(),
        "tol": tol,
        "max_iter": max_iter,
        "labels": list(map(int, labels)),
        "centres": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
        "metrics": metrics,
    }


def main():
    rng = np.random.default_rng(2024)
    cases = []
    x, y = make_blobs(n_samples=300, n_features=2, centers=4, cluster_std=1.5, random_state=1)
    cases.append(case("blobs_2d_first_rows", x, y, 4, init_rows=[0, 1, 2, 3]))
    x, y = make_blobs(n_samples=500, n_features=5, centers=6, cluster_std=3.0, random_state=2)
    cases.append(case("blobs_5d_strict", x, y, 6, init_rows=rng.choice(500, 6, replace=False), tol=0.0))
    cases.append(case("blobs_5d_max_iter_2", x, y, 6, init_rows=[10, 20, 30, 40, 50, 60], max_iter=2))
    x, y = make_blobs(n_samples=200, n_features=3, centers=3, cluster_std=2.0, random_state=3)
    w = rng.uniform(0.5, 2.0, size=200)
    cases.append(case("weighted_3d", x, y, 3, init_rows=[5, 6, 7], weights=w))
    x, y = make_blobs(n_samples=120, n_features=2, centers=3, cluster_std=1.0, random_state=4)
    far = [list(f32(x[0])), list(f32(x[1])), [500.0, 500.0]]
    cases.append(case("empty_cluster_relocated", x, y, 3, init=far))
    x, y = make_blobs(n_samples=400, n_features=8, centers=10, cluster_std=4.0, random_state=5)
    cases.append(case("overlapping_8d", x, y, 10, init_rows=list(range(0, 400, 40))))
    doc = {
        "generator": "scripts/make_fixtures.py",
        "scikit_learn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
