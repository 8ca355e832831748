# Sourced by the scripts: the tools setup.sh installed come first on PATH, npm's wasm-opt
# ahead of any Debian binaryen.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The single-threaded web build's flags: everything of .cargo/config.toml but the threads.
export ST_RUSTFLAGS="-C target-feature=+simd128"
