#!/usr/bin/env python3
"""Draws the theme's share images (themes/default/static/share-*.png):
a 600×600 square and a 1200×630 card, in the site's red, without text
(no CJK font is needed to rebuild them). Run from the repository root."""
import struct
import zlib

RED = (176, 18, 27)
WHITE = (255, 255, 255)
SOFT = (245, 245, 243)
GOLD = (242, 169, 0)


def png(path, w, h, pixel):
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows.extend(pixel(x, y))
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", ihdr))
        f.write(chunk(b"IDAT", zlib.compress(bytes(rows), 9)))
        f.write(chunk(b"IEND", b""))


def emblem(cx, cy, s):
    """Rising bars topped by a flag: a benchmark. `s` is the unit size."""
    bars = [(-3, 3), (-1, 5), (1, 7)]  # (left in units, height in units)
    def inside(x, y):
        u, v = (x - cx) / s, (cy - y) / s
        for left, height in bars:
            if left <= u < left + 1.6 and 0 <= v < height:
                return RED
        # the pole and flag on the tallest bar
        if 2.35 <= u < 2.6 and 7 <= v < 10:
            return RED
        if 2.6 <= u < 4.6 and 8.4 <= v < 10 and (v - 8.4) > (u - 2.6) * 0.0:
            if v - 8.4 < 1.6 - abs(u - 2.6) * 0.0 and u - 2.6 < 2.0 - (abs(v - 9.2)) * 1.2:
                return GOLD
        if -3.4 <= u < 3.2 and -0.5 <= v < 0:
            return RED
        return None
    return inside


def card(w, h, band, s, cx, cy):
    draw = emblem(cx, cy, s)
    def pixel(x, y):
        if y < band or y >= h - band:
            return RED
        c = draw(x, y)
        if c:
            return c
        return WHITE if y < h - band * 3 else SOFT
    return pixel


png("themes/default/static/share-1200x630.png", 1200, 630, card(1200, 630, 24, 38, 600, 470))
png("themes/default/static/share-600.png", 600, 600, card(600, 600, 24, 36, 300, 460))
