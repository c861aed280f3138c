#!/usr/bin/env python3
"""Run one command and report its peak resident memory.

Usage: python3 bench/maxrss.py CMD [ARG...]

The command inherits stdin/stdout/stderr, so its own JSON lines pass through untouched. When it
ends, this wrapper prints one more JSON line on stdout:

    {"wrapper": "maxrss", "peak_mb": 812.5, "wall_seconds": 3.21, "exit_code": 0}

and exits with the command's exit code (128 + N when killed by signal N).

Why a wrapper: bench/run starts many children, and RUSAGE_CHILDREN is the maximum over all of
them, so a figure taken in the harness would mix steps. Each wrapper has exactly one child, and
wait4() hands back that child's own rusage (ru_maxrss is in KiB on Linux).
"""
import json
import os
import subprocess
import sys
import time


def main() -> int:
    argv = sys.argv[1:]
    if not argv:
        print("usage: maxrss.py CMD [ARG...]", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        child = subprocess.Popen(argv)
    except OSError as error:
        print(f"maxrss.py: cannot start {argv[0]!r}: {error}", file=sys.stderr)
        return 127
    while True:
        try:
            _, status, usage = os.wait4(child.pid, 0)
            break
        except InterruptedError:
            continue
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # wait4 reaped it; tell Popen so it does not wait again
    exit_code = code if code >= 0 else 128 - code
    sys.stdout.flush()
    print(json.dumps({
        "wrapper": "maxrss",
        "peak_mb": round(usage.ru_maxrss / 1024.0, 1),
        "wall_seconds": round(wall, 4),
        "exit_code": exit_code,
    }), flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
