#!/usr/bin/env python3
"""Draws blobscale's app icons (PNG, for the web app manifest and the favicon).

Three clusters of points in the page's palette around their centroids, on the dark
theme's background: what the page shows, small. Standard library only (zlib for PNG), and
deterministic, so the committed icons are exactly what this script writes:

    python3 tools/make_icons.py assets/icons

writes icon-192.png and icon-512.png (purpose "any": a rounded tile with a margin) and
icon-maskable-512.png (purpose "maskable": the tile fills the square, the clusters stay
inside the central 80 % circle that every mask keeps).
"""
import math
import random
import struct
import sys
import zlib
from pathlib import Path

BACKGROUND = (0x1C, 0x1F, 0x26)
# The first three colours of the page's palette (pipeline/render/raster.rs PALETTE).
CLUSTERS = [
    ((0x1F, 0x77, 0xB4), (0.36, 0.38)),
    ((0xFF, 0x7F, 0x0E), (0.66, 0.42)),
    ((0x2C, 0xA0, 0x2C), (0.50, 0.68)),
]
RING = (0xF4, 0xF6, 0xFA)


def png(path, size, pixels):
    """Writes an RGBA image of `size` × `size` from a flat list of (r, g, b, a)."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixels[y * size + x])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    Path(path).write_bytes(data)


def blend(under, over, alpha):
    return tuple(round(u * (1 - alpha) + o * alpha) for u, o in zip(under, over))


def draw(size, maskable):
    """The icon at `size` px: full-bleed when `maskable`, else a rounded tile."""
    # Supersampled 3 × 3 per pixel for smooth edges.
    ss = 3
    big = size * ss
    margin = 0 if maskable else 0.06 * big
    radius = 0 if maskable else 0.2 * big
    # The clusters shrink towards the centre on a maskable icon, inside the safe circle.
    scale = 0.72 if maskable else 0.86
    rng = random.Random(7)
    points = []
    for colour, (cx, cy) in CLUSTERS:
        for _ in range(90):
            dx, dy = rng.gauss(0, 0.075), rng.gauss(0, 0.075)
            points.append((colour, 0.5 + (cx + dx - 0.5) * scale, 0.5 + (cy + dy - 0.5) * scale))
    dot = 0.018 * big
    ring_r, ring_w = 0.05 * big, 0.016 * big
    centres = [(0.5 + (cx - 0.5) * scale, 0.5 + (cy - 0.5) * scale) for _, (cx, cy) in CLUSTERS]

    def inside_tile(x, y):
        lo, hi = margin, big - margin
        if not (lo <= x <= hi and lo <= y <= hi):
            return False
        # Rounded corners.
        qx = min(max(x, lo + radius), hi - radius)
        qy = min(max(y, lo + radius), hi - radius)
        return (x - qx) ** 2 + (y - qy) ** 2 <= radius ** 2

    canvas = [None] * (big * big)
    for y in range(big):
        for x in range(big):
            canvas[y * big + x] = (BACKGROUND + (255,)) if inside_tile(x + 0.5, y + 0.5) else (0, 0, 0, 0)

    def paint_disc(px, py, r, colour, ring_width=None):
        x0, x1 = max(0, int(px - r - 1)), min(big - 1, int(px + r + 1))
        y0, y1 = max(0, int(py - r - 1)), min(big - 1, int(py + r + 1))
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                d = math.hypot(x + 0.5 - px, y + 0.5 - py)
                hit = d <= r and (ring_width is None or d >= r - ring_width)
                if hit and canvas[y * big + x][3]:
                    under = canvas[y * big + x][:3]
                    canvas[y * big + x] = blend(under, colour, 0.85) + (255,)

    for colour, x, y in points:
        paint_disc(x * big, y * big, dot, colour)
    for x, y in centres:
        paint_disc(x * big, y * big, ring_r, RING, ring_w)

    out = []
    for y in range(size):
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    p = canvas[(y * ss + sy) * big + x * ss + sx]
                    for c in range(3):
                        acc[c] += p[c] * p[3]
                    acc[3] += p[3]
            a = acc[3] / (ss * ss)
            rgb = tuple(round(acc[c] / acc[3]) if acc[3] else 0 for c in range(3))
            out.append(rgb + (round(a),))
    return out


def main():
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "assets/icons")
    target.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("icon-maskable-512.png", 512, True)]:
        png(target / name, size, draw(size, maskable))
        print(target / name)


if __name__ == "__main__":
    main()
