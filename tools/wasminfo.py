#!/usr/bin/env python3
"""Reads a wasm module's memory section: is the memory imported and shared?

Since rust-lang/rust#147225, `+atomics` alone builds a module with a plain exported memory
and wasm-bindgen silently skips its thread transform, so the worker pool could never start.
The build checks the result instead of trusting the flags.
"""
import sys


def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


def name(data, i):
    n, i = leb(data, i)
    return data[i:i + n].decode(), i + n


def limits(data, i):
    flags = data[i]
    i += 1
    _, i = leb(data, i)
    if flags & 1:
        _, i = leb(data, i)
    return bool(flags & 2), i


def memories(data):
    assert data[:4] == b"\0asm", "not a wasm module"
    i, found = 8, []
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if sid == 2:  # imports
            count, j = leb(data, i)
            for _ in range(count):
                mod, j = name(data, j)
                field, j = name(data, j)
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                elif kind == 1:
                    j += 1
                    _, j = limits(data, j)
                elif kind == 2:
                    shared, j = limits(data, j)
                    found.append({"imported": f"{mod}.{field}", "shared": shared})
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    j += 1
                    _, j = leb(data, j)
        elif sid == 5:  # memories defined here
            count, j = leb(data, i)
            for _ in range(count):
                shared, j = limits(data, j)
                found.append({"imported": None, "shared": shared})
        i = end
    return found


def main():
    path = sys.argv[1]
    mems = memories(open(path, "rb").read())
    print(f"{path}: {mems}")
    if "--expect-shared" in sys.argv and not (mems and mems[0]["shared"] and mems[0]["imported"]):
        sys.exit(f"{path}: expected an imported shared memory (threaded build)")
    if "--expect-unshared" in sys.argv and not (mems and not mems[0]["shared"]):
        sys.exit(f"{path}: expected an unshared memory (single-threaded build)")


if __name__ == "__main__":
    main()
