#!/usr/bin/env python3
"""Parity: the scorer's answers for a CSV, through stdin and through the socket, against the
trainer's predictions file, byte for byte.

    python3 bench/scorer_parity.py --bundle models/current \
        --csv data/Udacity_MAILOUT_052018_TEST.csv --expected models/prospector-ID.predictions.csv

Prints one JSON line per mode ({"mode": "stdin", "rows": N, "identical": true, ...}) and exits 1
when either differs (the first differing line is shown on stderr). Uses only the standard library.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time


def first_difference(got, want):
    g, w = got.split(b"\n"), want.split(b"\n")
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else b"<missing>"
        b = w[i] if i < len(w) else b"<missing>"
        if a != b:
            return i + 1, a.decode(errors="replace"), b.decode(errors="replace")
    return None


def via_stdin(scorer, bundle, data):
    run = subprocess.run([scorer, "--bundle", bundle, "--stdin", "--log-level", "error"], input=data,
                         capture_output=True, check=False)
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode(errors="replace"))
    return run.stdout


def via_socket(scorer, bundle, data):
    path = os.path.join(tempfile.mkdtemp(prefix="scorer-parity-"), "s.sock")
    daemon = subprocess.Popen([scorer, "--bundle", bundle, "--socket", path, "--log-level", "error"])
    try:
        deadline = time.time() + 30
        while True:
            try:
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                client.connect(path)
                break
            except OSError:
                client.close()
                if time.time() > deadline or daemon.poll() is not None:
                    raise SystemExit("the scorer did not start listening")
                time.sleep(0.05)

        def send():
            client.sendall(data)
            client.shutdown(socket.SHUT_WR)

        writer = threading.Thread(target=send)
        writer.start()
        chunks = []
        while True:
            chunk = client.recv(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        writer.join()
        client.close()
        return b"".join(chunks)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scorer", default=".build/release/scorer")
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--expected", required=True)
    args = parser.parse_args()
    data = open(args.csv, "rb").read()
    want = open(args.expected, "rb").read()
    ok = True
    for mode, run in (("stdin", via_stdin), ("socket", via_socket)):
        got = run(args.scorer, args.bundle, data)
        difference = first_difference(got, want)
        print(json.dumps({"mode": mode, "rows": max(0, got.count(b"\n") - 1), "expected_rows": want.count(b"\n") - 1,
                          "identical": difference is None}))
        if difference:
            ok = False
            line, a, b = difference
            print(f"{mode}: line {line} differs:\n  scorer:   {a[:200]}\n  expected: {b[:200]}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
