#!/usr/bin/env python3
"""Writes tests/fixtures/import/: files as real tools write them, what pandas reads from
each, and scikit-learn's fit of a labelled one, for the import tests (tests/import_dialects.rs
and e2e/import.mjs).

Each CSV is written by pandas or by hand the way a spreadsheet writes it; `expected.json`
records, per file, the options pandas needs to read it (`sep`, `decimal`, `thousands`,
`encoding`, `comment`) and what it reads: the numeric columns, the row count and the
column sums (float64 of the float32 values). blobscale must read the same without being
told the options. Files that must be refused are listed with the reason's key words.

`iris.csv` is the classic four-feature flower data set (scikit-learn bundles it), with its
species as a string column; `iris_oracle.json` is scikit-learn's KMeans on its features
from explicit centres (rows 0, 50 and 100; n_init=1, algorithm="lloyd"): labels, n_iter,
inertia, and adjusted_rand_score against the species, coded in order of first appearance.

`weighted.csv` has a `weight` column of small integers; `weighted_repeated.csv` is the same
rows without it, each repeated by its weight: a weighted fit of the first equals the fit of
the second (scikit-learn's `sample_weight` semantics).

Usage:
    python3 -m venv /tmp/blobscale-fixtures
    /tmp/blobscale-fixtures/bin/pip install numpy==2.4.6 scikit-learn==1.9.1 pandas==3.1.1
    /tmp/blobscale-fixtures/bin/python scripts/make_import_fixtures.py
"""

import json
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.metrics import adjusted_rand_score

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import"


def frame(n=40, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "height": np.round(rng.normal(170, 12, n), 2),
            "income": np.round(rng.normal(52_000, 18_000, n), 2),
            "score": np.round(rng.normal(0, 1, n), 4),
        }
    )


def expect(name, read_kwargs, numeric):
    """What pandas reads from OUT/name with `read_kwargs`, for the columns `numeric`."""
    df = pd.read_csv(OUT / name, **read_kwargs)
    x = df[numeric].to_numpy(dtype=np.float64).astype(np.float32).astype(np.float64)
    return {
        "file": name,
        "pandas": {k: v for k, v in read_kwargs.items()},
        "columns": numeric,
        "rows": int(x.shape[0]),
        "sums": [float(s) for s in x.sum(axis=0)],
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    cases, refused = [], []
    df = frame()
    cols = list(df.columns)

    # Spreadsheets in most of Europe: semicolons, decimal commas.
    df.to_csv(OUT / "decimal_comma.csv", sep=";", decimal=",", index=False)
    cases.append(expect("decimal_comma.csv", {"sep": ";", "decimal": ","}, cols))

    # Excel in English: thousands separators, so those numbers are quoted.
    with open(OUT / "thousands_quoted.csv", "w", newline="") as f:
        f.write("height,income,score\n")
        for r in df.itertuples(index=False):
            f.write(f'{r.height},"{r.income:,.2f}",{r.score}\n')
    cases.append(expect("thousands_quoted.csv", {"thousands": ","}, cols))

    # German: thousands points, decimal commas, semicolons.
    with open(OUT / "thousands_point_decimal_comma.csv", "w", newline="") as f:
        f.write("height;income;score\n")
        for r in df.itertuples(index=False):
            income = f"{r.income:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
            f.write(f"{str(r.height).replace('.', ',')};{income};{str(r.score).replace('.', ',')}\n")
    cases.append(expect("thousands_point_decimal_comma.csv", {"sep": ";", "decimal": ",", "thousands": "."}, cols))

    # Excel's "CSV UTF-8": a byte-order mark and CRLF line ends, every number quoted.
    with open(OUT / "bom_crlf_quoted.csv", "w", newline="", encoding="utf-8-sig") as f:
        f.write(",".join(f'"{c}"' for c in cols) + "\r\n")
        for r in df.itertuples(index=False):
            f.write(",".join(f'"{v}"' for v in r) + "\r\n")
        f.write("\r\n\r\n")
    cases.append(expect("bom_crlf_quoted.csv", {"encoding": "utf-8-sig"}, cols))

    # pandas' own to_csv: the index as an unnamed first column.
    df.to_csv(OUT / "pandas_to_csv.csv")
    cases.append(expect("pandas_to_csv.csv", {"index_col": 0}, cols))

    # numpy.savetxt with a header: comment lines.
    np.savetxt(OUT / "comments.csv", df.to_numpy(), delimiter=",", header="height,income,score\nwritten by numpy.savetxt", fmt="%.4f")
    with open(OUT / "comments.csv", "a") as f:
        f.write("# a comment at the end\n")
    cases.append(expect("comments.csv", {"comment": "#", "header": None, "names": cols}, cols))

    # Latin-1 column names.
    latin = df.rename(columns={"height": "taille_mesurée", "income": "revenu_année"})
    latin.to_csv(OUT / "latin1.csv", index=False, encoding="latin-1")
    cases.append(expect("latin1.csv", {"encoding": "latin-1"}, list(latin.columns)))

    # Refused, each with its reason.
    (OUT / "header_only.csv").write_text("height,income,score\n")
    refused.append({"file": "header_only.csv", "reason": "no data rows"})
    (OUT / "empty.csv").write_text("")
    refused.append({"file": "empty.csv", "reason": "empty"})
    (OUT / "binary.csv").write_bytes(bytes(range(256)) * 4)
    refused.append({"file": "binary.csv", "reason": "not a text file"})
    (OUT / "text_only.csv").write_text("name,city\nada,london\nalan,wilmslow\n")
    refused.append({"file": "text_only.csv", "reason": "no numeric column"})

    # The classic four-feature flower data set, with its species as a string column.
    iris = load_iris()
    x = iris.data.astype(np.float32).astype(np.float64)
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    species = [iris.target_names[t] for t in iris.target]
    idf = pd.DataFrame(iris.data, columns=names)
    idf["species"] = species
    idf.to_csv(OUT / "iris.csv", index=False)
    cases.append(expect("iris.csv", {}, names))

    order = list(dict.fromkeys(species))
    truth = np.array([order.index(s) for s in species])
    init = x[[0, 50, 100]]
    km = KMeans(n_clusters=3, init=init, n_init=1, algorithm="lloyd", tol=1e-4, max_iter=300).fit(x)
    oracle = {
        "sklearn": sklearn.__version__,
        "file": "iris.csv",
        "truth_column": "species",
        "classes": order,
        "init_rows": [0, 50, 100],
        "init": init.tolist(),
        "labels": km.labels_.tolist(),
        "n_iter": int(km.n_iter_),
        "inertia": float(km.inertia_),
        "adjusted_rand": float(adjusted_rand_score(truth, km.labels_)),
    }
    (OUT / "iris_oracle.json").write_text(json.dumps(oracle, indent=1) + "\n")

    # Sample weights: a weights column, and the same rows repeated by their weight.
    rng = np.random.default_rng(11)
    w = rng.integers(1, 4, len(df))
    wdf = df.copy()
    wdf["weight"] = w
    wdf.to_csv(OUT / "weighted.csv", index=False)
    df.loc[df.index.repeat(w)].to_csv(OUT / "weighted_repeated.csv", index=False)

    manifest = {"pandas": pd.__version__, "read": cases, "refused": refused}
    (OUT / "expected.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(cases)} readable and {len(refused)} refused files to {OUT}")


if __name__ == "__main__":
    main()
