#!/usr/bin/env python3
"""Peak memory of `trainer plan` on 1 M and 10 M prospects: it must not grow with the file.

    python3 bench/plan_memory.py --bundle models/current --rows-from data/Udacity_MAILOUT_052018_TEST.csv \\
        [--rows 1000000,10000000] [--modes min-profit,top]

The prospects are streamed into `trainer plan --prospects -` from this script, never stored:
the MAILOUT-shaped rows of --rows-from are repeated with a new LNR per row (1, 2, ...), so a
10 M-row file (about 10 GB of CSV) needs no disk. Every run's peak RSS is the trainer's own
(`ru_maxrss` of the waited child, from os.wait4), with the wall time and the plan's figures.
`min-profit` mails everyone above break-even, so it is the external sort's case (sorted runs
on disk, k-way merge); `top` (--top 100000) is the heap's. Release build.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def feed(pipe, header, body_lines, rows):
    """Writes the header and `rows` rows (LNR replaced by the row number) to `pipe`."""
    pipe.write(header)
    batch = []
    n = len(body_lines)
    for i in range(rows):
        batch.append(b"%d" % (i + 1))
        batch.append(body_lines[i % n])
        if len(batch) >= 20000:
            pipe.write(b"".join(batch))
            batch.clear()
    pipe.write(b"".join(batch))
    pipe.close()


def run(trainer, bundle, header, body, rows, mode, cost, value, work):
    out = os.path.join(work, f"mailing-{mode}-{rows}.csv")
    summary = os.path.join(work, f"summary-{mode}-{rows}.json")
    argv = [trainer, "plan", "--bundle", bundle, "--prospects", "-", "--cost-per-mail", str(cost),
            "--value-per-response", str(value), "--out", out, "--summary", summary]
    argv += ["--min-profit"] if mode == "min-profit" else ["--top", "100000"]
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = threading.Thread(target=feed, args=(child.stdin, header, body, rows))
    writer.start()
    _, status, usage = os.wait4(child.pid, 0)
    writer.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"trainer plan exited {child.returncode}")
    with open(summary) as f:
        figures = json.load(f)
    os.remove(out)
    return {"mode": mode, "rows": rows, "peak_mb": round(usage.ru_maxrss / 1024, 1), "seconds": round(seconds, 1),
            "rows_per_s": round(rows / seconds), "mailed": figures["total"]["mailed"],
            "rows_read": figures["rowsRead"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainer", default=os.path.join(ROOT, ".build/release/trainer"))
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--rows-from", required=True, help="a MAILOUT-shaped CSV whose first column is LNR")
    parser.add_argument("--rows", default="1000000,10000000")
    parser.add_argument("--modes", default="min-profit,top")
    parser.add_argument("--cost", type=float, default=0.6)
    parser.add_argument("--value", type=float, default=50)
    args = parser.parse_args()

    with open(args.rows_from, "rb") as f:
        header = f.readline()
        lines = [line if line.endswith(b"\n") else line + b"\n" for line in f if line.strip()]
    # Everything after the LNR field of each row.
    body = [line[line.index(b";") if b";" in line else line.index(b","):] for line in lines]
    work = tempfile.mkdtemp(prefix="plan-bench-")
    results = []
    for mode in args.modes.split(","):
        for rows in [int(r) for r in args.rows.split(",")]:
            result = run(args.trainer, args.bundle, header, body, rows, mode, args.cost, args.value, work)
            print(json.dumps(result), flush=True)
            results.append(result)
    print()
    for r in results:
        print(f"  plan {r['mode']:<10} {r['rows']:>9} rows  peak {r['peak_mb']:>7} MB  {r['seconds']:>7} s  "
              f"{r['rows_per_s']:>7} rows/s  mailed {r['mailed']}")


if __name__ == "__main__":
    sys.exit(main())
