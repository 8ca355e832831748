#!/usr/bin/env bash
# Checks that the dask-ml script blobscale exports really reproduces a scenario: runs it with
# dask-ml on a dask.distributed LocalCluster and requires its inertia within 1 % of
# blobscale's for the same scenario (the rows are an equivalent draw, not the same bytes, so
# the two agree to sampling noise, far below 1 % at 200,000 rows).
#
#   1. native: `blobscale dask-script --evaluate` runs each scenario through the scenario
#      engine (the page's pipeline, natively) — or k-means on an imported CSV file — and writes
#      its inertia into the script's header;
#   2. browser (when a built page exists in $DIST, default dist/): e2e/exports.mjs clicks the
#      page's export buttons, downloads the script and compares with the page's #result.
#
# The Python side lives in its own venv, .venv/dask-export, created with `python3 -m venv` and
# filled by pip from scripts/requirements-dask-export.txt (exact pins). `--setup-only` stops
# after that. BLOBSCALE_BIN names a prebuilt CLI (default: cargo build the debug one).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv/dask-export
REQS=scripts/requirements-dask-export.txt
say() { printf '[dask-export] %s\n' "$*"; }

if [ ! -x "$VENV/bin/python" ] || [ "$REQS" -nt "$VENV/.installed" ]; then
  say "creating $VENV from $REQS"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
  touch "$VENV/.installed"
fi
[ "${1:-}" = "--setup-only" ] && exit 0

if [ -z "${BLOBSCALE_BIN:-}" ]; then
  cargo build --locked --quiet --bin blobscale
  BLOBSCALE_BIN=target/debug/blobscale
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One scenario: its name, then `blobscale dask-script` options.
check() {
  local name=$1
  shift
  "$BLOBSCALE_BIN" dask-script --evaluate --name "$name" "$@" >"$work/script.py"
  local ours
  ours=$(sed -n "s/^# blobscale's inertia for this scenario (every row): //p" "$work/script.py")
  [ -n "$ours" ] || { say "FAIL $name: no inertia in the script's header"; return 1; }
  local t0=$SECONDS
  local line
  line=$("$VENV/bin/python" "$work/script.py" --workers 2 | tail -n 1)
  "$VENV/bin/python" - "$name" "$ours" "$line" $((SECONDS - t0)) <<'EOF'
import json, sys
name, ours, line, wall = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
theirs = json.loads(line)
rel = abs(theirs["inertia"] - ours) / ours
verdict = "ok  " if rel <= 0.01 else "FAIL"
ari = theirs.get("adjusted_rand")
print(f"[dask-export] {verdict} {name}: blobscale {ours:.6g}, dask-ml {theirs['inertia']:.6g} "
      f"({100 * rel:.3f} % apart), dask-ml n_iter {theirs['n_iter']}, "
      + (f"ARI {ari:.4f}, " if ari is not None else "")
      + f"k-means {theirs['seconds']:.2f} s, {wall} s with the cluster")
sys.exit(0 if rel <= 0.01 else 1)
EOF
}

failed=0
# Data seeds whose true centres lie at least 7 standard deviations apart: on overlapping blobs
# two tools can settle in different local optima, which says nothing about the export.
check "k-means|| on 200k x 2" --n-samples 200000 --centers 5 --data-seed 3 \
  --chunk-rows 20000 --seed 3 || failed=1
check "fit on a 20k sample, k-means++, 200k x 4" --n-samples 200000 --n-features 4 --centers 4 \
  --data-seed 7 --chunk-rows 25000 --init k-means++ --fit-sample 20000 --seed 5 || failed=1

# An imported file: semicolon-separated, a header, an id and a text column, two bad rows; the
# script must read the same three columns, drop the same rows and standardise the same way.
"$VENV/bin/python" - "$work/points.csv" <<'EOF'
import sys
import numpy as np
rng = np.random.default_rng(0)
centres = np.array([[0, 0, 0], [12, 0, 0], [0, 12, 0], [0, 0, 12]], dtype=float)
x = centres[rng.integers(0, 4, 60_000)] + rng.normal(size=(60_000, 3))
with open(sys.argv[1], "w") as f:
    f.write("id;a;b;c;name\n")
    for i, r in enumerate(x):
        f.write(f"{i};{r[0]:.6f};{r[1]:.6f};{r[2]:.6f};p{i}\n")
    f.write("60000;;1.5;2.5;missing\n60001;abc;1;2;not a number\n")
EOF
check "imported CSV (3 of 5 columns, standardised, 2 bad rows)" --input "$work/points.csv" \
  --delimiter semicolon --header yes --columns 2,3,4 --standardise yes --k 4 --seed 1 || failed=1

# A spreadsheet's file: decimal commas, thousands points, a class column as ground truth.
"$VENV/bin/python" - "$work/classes.csv" <<'EOF'
import sys
import numpy as np
rng = np.random.default_rng(1)
centres = np.array([[0, 0], [4000, 0], [0, 4000]], dtype=float)
c = rng.integers(0, 3, 30_000)
x = centres[c] + rng.normal(scale=100, size=(30_000, 2))
def de(v):
    return f"{v:,.3f}".replace(",", "_").replace(".", ",").replace("_", ".")
with open(sys.argv[1], "w") as f:
    f.write("x;y;class\n")
    for r, k in zip(x, c):
        f.write(f"{de(r[0])};{de(r[1])};{['alpha', 'beta', 'gamma'][k]}\n")
EOF
check "imported decimal-comma CSV with a class column as ground truth" --input "$work/classes.csv" \
  --truth-column 3 --k 3 --seed 2 || failed=1

# Sample weights from a column: dask-ml takes none, the script fits scikit-learn's weighted
# KMeans on the gathered rows; its weighted inertia must match blobscale's.
"$VENV/bin/python" - "$work/weighted.csv" <<'EOF'
import sys
import numpy as np
rng = np.random.default_rng(2)
centres = np.array([[0, 0, 0], [9, 0, 0], [0, 9, 0]], dtype=float)
c = rng.integers(0, 3, 20_000)
x = centres[c] + rng.normal(size=(20_000, 3))
w = rng.integers(1, 5, 20_000)
with open(sys.argv[1], "w") as f:
    f.write("a,b,c,weight\n")
    for r, k in zip(x, w):
        f.write(f"{r[0]:.5f},{r[1]:.5f},{r[2]:.5f},{k}\n")
EOF
check "imported CSV with a weights column (scikit-learn's sample_weight)" --input "$work/weighted.csv" \
  --weight-column 4 --k 3 --seed 4 || failed=1

dist=${DIST:-dist}
if [ -f "$dist/index.html" ] && [ -d e2e/node_modules ]; then
  say "browser: $dist"
  DIST=$dist node e2e/exports.mjs || failed=1
else
  say "no built page in $dist: browser check skipped (scripts/build-web.sh builds it)"
fi
exit $failed
