#!/usr/bin/env python3
"""Reason-code benchmark: the scorer's stdin throughput with and without --reasons.

    python3 bench/reasons_bench.py --bundle MODELS/current --rows-from TEST.csv [--rows 100000] \
        [--baseline-scorer /path/to/older/scorer]

The MAILOUT-shaped rows of --rows-from are repeated to --rows rows (one header) and scored by
`scorer --bundle B --stdin --workers W` (release build), best of --repeat runs, writing to a file
(scorer_bench.py's timing: wall time, peak RSS polled from /proc):
  - without --reasons (the everyday path),
  - with --reasons N, CSV and JSON Lines (exact tree SHAP of every row, top N attributes and
    the N attributes pulling the row to its segment),
  - with --baseline-scorer, the same input without --reasons through another scorer binary
    (e.g. one built before reason codes) to show the everyday path did not slow down.
Prints one table; --json adds one JSON line per figure.
"""
import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from scorer_bench import build_input, timed  # noqa: E402  (one timing method for both benchmarks)

ROOT = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scorer", default=os.path.join(ROOT, ".build/release/scorer"))
    parser.add_argument("--baseline-scorer", help="another scorer binary to time without --reasons")
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--rows-from", required=True, help="a MAILOUT-shaped CSV (header + rows)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reasons", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "input.csv")
        rows, _, _ = build_input(args.rows_from, args.rows, path)
        base = ["--bundle", args.bundle, "--stdin", "--workers", str(args.workers)]
        runs = [("scorer", [args.scorer] + base)]
        if args.baseline_scorer:
            runs.append(("baseline scorer", [args.baseline_scorer] + base))
        runs.append((f"scorer --reasons {args.reasons}", [args.scorer] + base + ["--reasons", str(args.reasons)]))
        runs.append((f"scorer --reasons {args.reasons} --output jsonl",
                     [args.scorer] + base + ["--reasons", str(args.reasons), "--output", "jsonl"]))
        results = []
        for name, argv in runs:
            seconds, peak, lines = timed(argv, path, args.repeat)
            expected = rows + (0 if "jsonl" in name else 1)
            if lines != expected:
                raise SystemExit(f"{name}: {lines} output lines for {rows} rows")
            results.append((name, seconds, peak))
    print(f"{rows} rows, {args.workers} workers, best of {args.repeat}")
    print(f"{'run':<40} {'seconds':>9} {'rows/s':>10} {'peak MB':>8}")
    for name, seconds, peak in results:
        print(f"{name:<40} {seconds:>9.3f} {rows / seconds:>10.0f} {peak:>8.1f}")
        if args.json:
            print(json.dumps({"run": name, "rows": rows, "seconds": seconds, "rows_per_second": rows / seconds,
                              "peak_mb": peak, "workers": args.workers}))


if __name__ == "__main__":
    main()
