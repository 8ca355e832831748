#!/usr/bin/env bash
# README command 1: install what is missing, build both flavours, serve the page on
# http://127.0.0.1:8080 with COOP/COEP headers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-web.sh
PORT="${PORT:-8080}"
echo
echo "blobscale is at http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
exec python3 tools/serve.py dist "$PORT"
