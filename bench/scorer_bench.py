#!/usr/bin/env python3
"""Scorer benchmark: stdin throughput against the peer streaming scorer, socket round trips,
and resident memory while serving, in one run.

    python3 bench/scorer_bench.py --bundle bench/out/scorer-models/current \
        --rows-from bench/out/scorer-data/Udacity_MAILOUT_052018_TEST.csv \
        --train bench/out/scorer-data/Udacity_MAILOUT_052018_TRAIN.csv [--no-peer]

1. Input: the MAILOUT-shaped rows of --rows-from, repeated to at least --rows rows (one header).
2. stdin: `scorer --bundle B --stdin < input > /dev/null` (release build), best of --repeat runs;
   rows/s, and the peak RSS of the run (VmHWM read from /proc while it runs: `ru_maxrss` of a
   child forked from this Python process also counts this process's own peak, carried over
   through fork and exec, which showed the bench's ~110 MB, not the scorer's).
3. peer: bench/peer/scorer_peer.py fits PCA + k-means + LightGBM sized like the bundle on --train
   (not timed), then `scorer_peer.py score` streams the same input (pandas chunks), best of
   --repeat; the ratio is peer seconds / scorer seconds.
4. socket: a daemon on a Unix socket; one client sends one row at a time and waits for its answer
   (--latency-rows round trips after a warm-up), printed as a latency histogram with
   percentiles; then 4 clients stream the whole input at once, and the daemon's VmRSS and VmHWM
   are read from /proc while it serves.
Prints a table on stdout and one JSON line per figure with --json.
"""
import argparse
import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build_input(source, rows, path):
    with open(source, "rb") as f:
        header = f.readline()
        body = f.read()
    if not body.endswith(b"\n"):
        body += b"\n"
    per_copy = body.count(b"\n")
    copies = max(1, -(-rows // per_copy))
    with open(path, "wb") as out:
        out.write(header)
        for _ in range(copies):
            out.write(body)
    return per_copy * copies, header, body.split(b"\n", 1)[0] + b"\n"


def timed(argv, input_path, repeat):
    """Best wall time of `repeat` runs of argv with stdin from input_path and stdout to a file
    (counted afterwards), and the largest peak RSS (MB) among them: the child's VmHWM, polled
    every 10 ms by a thread while it runs (VmHWM only grows, so the last reading is its peak).

    The output goes to a file, not a pipe this script drains: a Python reader on the same two
    cores would stall the scorer whenever the 64 KiB pipe is full, and the figure would measure
    the reader. Both sides (scorer and peer) are timed the same way."""
    best, peak, lines = None, 0.0, None
    for _ in range(repeat):
        with open(input_path, "rb") as stdin, tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=subprocess.DEVNULL)
            hwm = [0.0]
            done = threading.Event()

            def poll():
                while not done.is_set():
                    try:
                        hwm[0] = max(hwm[0], proc_status(proc.pid).get("VmHWM", 0))
                    except OSError:
                        pass
                    done.wait(0.01)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            _, status, _ = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            done.set()
            poller.join()
            out.seek(0)
            count = 0
            while True:
                chunk = out.read(1 << 20)
                if not chunk:
                    break
                count += chunk.count(b"\n")
        if status != 0:
            raise SystemExit(f"{argv[0]} failed with status {status}")
        best = seconds if best is None else min(best, seconds)
        peak = max(peak, hwm[0])
        lines = count
    return best, peak, lines


def bundle_shape(trainer, bundle):
    """Components, clusters, trees and leaves of the bundle (from `trainer inspect`), to size the
    peer like it."""
    text = subprocess.run([trainer, "inspect", bundle, "--format", "json"], capture_output=True, text=True).stdout
    manifest = json.loads(text) if text.strip().startswith("{") else {}
    flat = {}

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[path] = int(value)

    walk({"parameters": manifest.get("parameters", {}), "metrics": manifest.get("metrics", {})}, "")
    return {
        "components": flat.get("metrics.segmentation.components", 100),
        "clusters": flat.get("metrics.segmentation.clusterCount", flat.get("parameters.segmentation.k", 10)),
        "trees": flat.get("metrics.response.chosenTrees", flat.get("parameters.response.booster.numIterations", 400)),
        "leaves": flat.get("parameters.response.booster.numLeaves", 31),
    }


def connect(path, timeout=30):
    deadline = time.time() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def read_line(s, buffer):
    while b"\n" not in buffer:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("the scorer closed the connection")
        buffer += chunk
    line, _, rest = buffer.partition(b"\n")
    return line, rest


def latency(path, header, row, count):
    s = connect(path)
    s.setblocking(True)
    s.sendall(header)
    buffer = b""
    _, buffer = read_line(s, buffer)
    samples = []
    for i in range(count + 200):
        started = time.perf_counter_ns()
        s.sendall(row)
        line, buffer = read_line(s, buffer)
        elapsed = time.perf_counter_ns() - started
        if b";error;" in line:
            raise SystemExit(f"the latency row was refused: {line!r}")
        if i >= 200:  # warm-up
            samples.append(elapsed / 1000.0)
    s.close()
    samples.sort()
    return samples


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def histogram(samples_us):
    bounds = [50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, float("inf")]
    lines, low = [], 0
    width = 50
    counts = []
    for b in bounds:
        counts.append(sum(1 for v in samples_us if low <= v < b))
        low = b
    top = max(counts) or 1
    low = 0
    for b, c in zip(bounds, counts):
        label = f"{low:>5.0f}-{'inf' if b == float('inf') else f'{b:.0f}':>5} us"
        lines.append(f"  {label} {c:>7} {'#' * round(width * c / top)}")
        low = b
    return "\n".join(lines)


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            m = re.match(r"(VmRSS|VmHWM):\s+(\d+) kB", line)
            if m:
                fields[m.group(1)] = int(m.group(2)) / 1024
    return fields


def stream_file(path, input_path):
    s = connect(path)
    data = open(input_path, "rb").read()

    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)

    writer = threading.Thread(target=send)
    writer.start()
    lines = 0
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    writer.join()
    s.close()
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scorer", default=os.path.join(ROOT, ".build/release/scorer"))
    parser.add_argument("--trainer", default=os.path.join(ROOT, ".build/release/trainer"))
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--rows-from", required=True, help="a MAILOUT-shaped CSV (header + rows)")
    parser.add_argument("--train", help="MAILOUT TRAIN (with RESPONSE) to fit the peer on")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--latency-rows", type=int, default=5000)
    parser.add_argument("--python", default=os.path.join(ROOT, "bench/.venv/bin/python"),
                        help="python with pandas, scikit-learn and LightGBM (the peer)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--scorer-arg", action="append", default=[],
                        help="extra scorer option, repeatable (e.g. --scorer-arg=--drift-sample=0)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="scorer-bench-")
    input_path = os.path.join(work, "rows.csv")
    rows, header, first_row = build_input(args.rows_from, args.rows, input_path)
    size_mb = os.path.getsize(input_path) / 1e6
    results = []

    seconds, peak, lines = timed([args.scorer, "--bundle", args.bundle, "--stdin", "--log-level", "error",
                                  *args.scorer_arg],
                                 input_path, args.repeat)
    if lines != rows + 1:
        raise SystemExit(f"scorer answered {lines - 1} of {rows} rows")
    results.append({"step": "scorer_stdin", "rows": rows, "seconds": round(seconds, 3),
                    "rows_per_s": round(rows / seconds), "mb_per_s": round(size_mb / seconds, 1),
                    "peak_mb": round(peak, 1)})

    if not args.no_peer:
        if not args.train:
            raise SystemExit("--train is needed to fit the peer (or give --no-peer)")
        shape = bundle_shape(args.trainer, args.bundle)
        model = os.path.join(work, "peer.pkl")
        peer = os.path.join(HERE, "peer", "scorer_peer.py")
        subprocess.run([args.python, peer, "fit", args.train, model, "--components", str(shape["components"]),
                        "--clusters", str(shape["clusters"]), "--trees", str(shape["trees"]),
                        "--leaves", str(shape["leaves"])], check=True)
        peer_seconds, peer_peak, peer_lines = timed([args.python, peer, "score", model], input_path, args.repeat)
        if peer_lines != rows + 1:
            raise SystemExit(f"peer answered {peer_lines - 1} of {rows} rows")
        results.append({"step": "peer_stdin", "rows": rows, "seconds": round(peer_seconds, 3),
                        "rows_per_s": round(rows / peer_seconds), "peak_mb": round(peer_peak, 1), **shape,
                        "speedup": round(peer_seconds / seconds, 1)})

    path = os.path.join(work, "scorer.sock")
    daemon = subprocess.Popen([args.scorer, "--bundle", args.bundle, "--socket", path, "--log-level", "error",
                               *args.scorer_arg])
    try:
        connect(path).close()
        samples = latency(path, header, first_row, args.latency_rows)
        results.append({"step": "socket_round_trip", "rows": len(samples),
                        "p50_us": round(percentile(samples, 0.5), 1), "p90_us": round(percentile(samples, 0.9), 1),
                        "p99_us": round(percentile(samples, 0.99), 1), "p999_us": round(percentile(samples, 0.999), 1),
                        "max_us": round(samples[-1], 1)})
        served = []
        threads = [threading.Thread(target=lambda: served.append(stream_file(path, input_path))) for _ in range(4)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        rss = 0.0
        while any(t.is_alive() for t in threads):
            rss = max(rss, proc_status(daemon.pid).get("VmRSS", 0))
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        status = proc_status(daemon.pid)
        if served != [rows + 1] * 4:
            raise SystemExit(f"socket streams answered {served} lines, expected {rows + 1} each")
        results.append({"step": "socket_4_streams", "rows": 4 * rows, "seconds": round(elapsed, 3),
                        "rows_per_s": round(4 * rows / elapsed), "rss_mb_max_seen": round(rss, 1),
                        "vm_hwm_mb": round(status.get("VmHWM", 0), 1)})
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)

    if args.json:
        for r in results:
            print(json.dumps(r))
    print(f"\ninput: {rows} MAILOUT-shaped rows, {size_mb:.1f} MB ({args.rows_from})")
    for r in results:
        print("  " + r["step"].ljust(18) + "  ".join(f"{k}={v}" for k, v in r.items() if k != "step"))
    round_trip = next(r for r in results if r["step"] == "socket_round_trip")
    print(f"\nsingle-row round trip over the socket ({round_trip['rows']} rows, one at a time):")
    print(histogram(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
