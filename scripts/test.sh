#!/usr/bin/env bash
# README command 2: every check. Installs what is missing, then: formatting, clippy (native
# and both wasm32 flavours, -D warnings), native tests, a quick pass of the criterion
# benches, both web builds, browser tests
# (the page in both builds, the replay, imports, exports, accessibility, touch, offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

step() { printf '\n=== %s\n' "$*"; }
T0=$SECONDS

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy, native"
cargo clippy --locked --all-targets -- -D warnings

step "clippy, wasm32 single-threaded"
RUSTFLAGS="$ST_RUSTFLAGS" CARGO_TARGET_DIR=target/st \
  cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --lib --bins -- -D warnings

step "clippy, wasm32 threaded"
# Checking links nothing, so the prebuilt std will do here (no -Z build-std).
CARGO_TARGET_DIR=target/clippy-threaded \
  cargo clippy --locked --target wasm32-unknown-unknown --lib --bins --test web -- -D warnings

step "rustdoc (broken or private intra-doc links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib

step "native tests"
cargo test --locked

step "criterion benches, one quick pass each (they must build and run; no time is asserted)"
# --bench '*' names the bench targets only: the lib's own harness would refuse --quick.
cargo bench --locked --bench '*' -- --quick

step "web builds (threaded + single-threaded)"
bash scripts/build-web.sh

step "in-browser unit tests (wasm-bindgen-test, threaded build, headless Chromium)"
CARGO_UNSTABLE_BUILD_STD=panic_abort,std CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --release --locked --target wasm32-unknown-unknown --test web

step "browser tests of the built page (headless Chromium)"
node e2e/run.mjs

step "browser tests of importing your own CSV and .npy files (both builds)"
node e2e/import.mjs

step "browser tests: accessibility (axe-core on every state) and the keyboard"
node e2e/a11y.mjs

step "browser tests: a phone's layout and touch (pinch, two-finger pan, zoom buttons)"
node e2e/touch.mjs

step "browser tests: installable, offline after one visit, updates with one reload"
node e2e/offline.mjs

step "exported dask-ml script vs blobscale (pinned venv, 1 %)"
bash scripts/check-dask-export.sh

printf '\nall checks passed in %d s\n' $((SECONDS - T0))
