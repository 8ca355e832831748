#!/usr/bin/env python3
"""Writes the build's file list and version into its service worker (dist/coi-sw.js).

The service worker (assets/coi-sw.js) keeps every file of one build under a version key
for offline use. After both flavours are built, this lists every file of dist/ (the
threaded build at the root, the single-threaded one in st/), names the version by a
digest of their paths and contents, and replaces the worker's `VERSION` and `PRECACHE`
lines. A changed file gives a new version, which the browser fetches as an update.

    python3 tools/sw_precache.py dist
"""
import hashlib
import json
import re
import sys
from pathlib import Path

WORKER = "coi-sw.js"


def main():
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    worker = dist / WORKER
    # The single-threaded build copies the worker too; the page registers the root one.
    (dist / "st" / WORKER).unlink(missing_ok=True)
    files = sorted(
        p.relative_to(dist).as_posix()
        for p in dist.rglob("*")
        if p.is_file() and p.name != WORKER and not p.name.startswith(".")
    )
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.encode() + b"\0" + hashlib.sha256((dist / f).read_bytes()).digest())
    version = digest.hexdigest()[:16]
    source = worker.read_text()
    source, n1 = re.subn(r"^const VERSION = .*;$", f"const VERSION = '{version}';", source, count=1, flags=re.M)
    source, n2 = re.subn(r"^const PRECACHE = .*;$", f"const PRECACHE = {json.dumps(files)};", source, count=1, flags=re.M)
    if n1 != 1 or n2 != 1:
        sys.exit(f"{worker}: no VERSION or PRECACHE line to replace")
    worker.write_text(source)
    size = sum((dist / f).stat().st_size for f in files)
    print(f"{worker}: version {version}, {len(files)} files, {size / 2**20:.1f} MiB to keep offline")


if __name__ == "__main__":
    main()
