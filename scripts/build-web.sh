#!/usr/bin/env bash
# Builds both flavours of the page into dist/ (or $DIST): the threaded build at the root, the
# single-threaded one in dist/st/. All URLs are relative, so dist/ works under any path
# (https://<user>.github.io/<repo>/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

DIST="${DIST:-dist}"
# Threaded: atomics + shared memory need std rebuilt with them (flags in .cargo/config.toml).
CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk build --release --locked --dist "$DIST"
# Single-threaded: RUSTFLAGS replaces the config's atomics/shared-memory flags (keeping SIMD),
# so the prebuilt std is used. Its own target dir keeps the flavours from invalidating each other.
RUSTFLAGS="$ST_RUSTFLAGS" CARGO_TARGET_DIR=target/st trunk build --release --locked --no-default-features --dist "$DIST/st"

# The service worker learns this build's files and version (offline use, updates).
python3 tools/sw_precache.py "$DIST"
python3 tools/wasminfo.py "$DIST"/*_bg.wasm --expect-shared
python3 tools/wasminfo.py "$DIST"/st/*_bg.wasm --expect-unshared
