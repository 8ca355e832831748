#!/usr/bin/env bash
# Installs everything blobscale's build and tests need on a fresh Debian 12 machine, and
# skips whatever is already there. Only package registries are used: Debian, rustup's
# toolchains, crates.io and npm. Trunk is then told where wasm-bindgen and wasm-opt are
# (Trunk.toml [tools]), so it never downloads anything itself.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLCHAIN=nightly-2026-05-20
TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

# Debian: headless Chromium and its WebDriver for the browser tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
# `python3 -m venv` for scripts/check-dask-export.sh (Debian ships venv/ensurepip apart).
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The pinned nightly (RUSTUP_AUTO_INSTALL=0 here: rust-toolchain.toml alone installs nothing).
if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
  say "rustup toolchain install $TOOLCHAIN"
  rustup toolchain install "$TOOLCHAIN" --profile minimal \
    --component rust-src,rustfmt,clippy --target wasm32-unknown-unknown
else
  rustup component add --toolchain "$TOOLCHAIN" rust-src rustfmt clippy >/dev/null 2>&1
  rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown >/dev/null 2>&1
fi

# Cargo tools at pinned versions. These are build tools, not hot code: a quick, unoptimised
# release profile roughly halves their cold install time.
quick_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    cargo +"$TOOLCHAIN" install "$@"
}
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk@$TRUNK_VERSION"
  quick_install --locked "trunk@$TRUNK_VERSION"
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a webpki-roots release that the registry no longer has.
  quick_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm: wasm-opt 132 (Debian's binaryen 108 breaks wasm-bindgen output) and playwright-core.
for dir in tools/binaryen e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    say "npm ci in $dir"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
    touch "$dir/node_modules"
  fi
done
say "ready"
