#!/usr/bin/env python3
"""Peer for the `ingest` step: read one Arvato-shaped CSV the way an analyst does.

Usage: bench/.venv/bin/python bench/peer/ingest_peer.py FILE

Prints one JSON line:
    {"step": "ingest", "seconds": .., "rows": .., "columns": .., "bytes": .., "peak_mb": ..}

`seconds` covers `read_csv` alone (not the interpreter start nor `import pandas`), matching what
`prospector-bench ingest` times. `peak_mb` is this process's ru_maxrss, so it includes the
interpreter and pandas itself: that is what the peer stack costs to hold the table.
"""
import json
import os
import resource
import sys
import time

import pandas as pd


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: ingest_peer.py FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    started = time.perf_counter()
    frame = pd.read_csv(path, sep=";", low_memory=False)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "step": "ingest",
        "seconds": round(seconds, 4),
        "rows": int(frame.shape[0]),
        "columns": int(frame.shape[1]),
        "bytes": os.path.getsize(path),
        "peak_mb": round(peak_kib / 1024.0, 1),
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
