# Sourced by the scripts: the tools setup.sh installed come first on PATH, npm's wasm-opt
# ahead of any Debian binaryen.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
