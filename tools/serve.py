#!/usr/bin/env python3
"""Serves a built dist/ on 127.0.0.1.

By default with the headers that make a page cross-origin isolated (COOP same-origin, COEP
require-corp), so the threaded build runs directly. With --plain it sends no such headers,
as GitHub Pages does, and the page's own service worker has to provide them.
"""
import argparse
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    isolate = True
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    def end_headers(self):
        if self.isolate:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if "--verbose" in sys.argv:
            super().log_message(fmt, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("port", type=int)
    parser.add_argument("--plain", action="store_true", help="no COOP/COEP headers")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    Handler.isolate = not args.plain
    handler = functools.partial(Handler, directory=args.directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    kind = "without COOP/COEP (like GitHub Pages)" if args.plain else "with COOP/COEP"
    print(f"serving {args.directory} {kind} on http://127.0.0.1:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
