#!/usr/bin/env python3
"""Soak suite for the scorer daemon (issue 16, "make it stay fixed"): not a unit test, a long run
of everything that once lost rows or hung, against the release binaries.

    make soak                      # = python3 bench/soak.py (2 M rows by default)
    python3 bench/soak.py --rows 200000 --phases 2      # a short run

Setup (once, in --work): `trainer synth --scale 0.01` data, two bundles written by `trainer train`
(seeds 1 and 2), and corrupted copies of them (truncated, one flipped byte, garbage).

Then --phases daemon lifetimes, each one:
- many concurrent socket clients streaming MAILOUT rows (unique ids) in random-sized pieces, half-
  closing with or without a newline after the last row, and checking that every row is answered
  once, in order (lost = sent - answered; reordered = answers out of place);
- a half-close sweep: payloads cut at byte sizes from 1 B to 1 MiB (log-spaced and random), each
  answered with one line per line sent, the cut last line included;
- clients that never read their answers (they must not slow the others);
- a reload storm: `current` swapped every 20-150 ms between valid and corrupt bundles, with
  SIGHUPs (reloads done / refused read from /metrics);
- a SIGTERM while clients stream: the daemon must let them finish, answer every row and exit 0
  (crash: another exit; hang: no exit within the drain timeout plus a margin).
Optionally (--trainer-kills N) `trainer train` is killed with SIGKILL at random moments and
`current` must still be a readable bundle afterwards.

Prints the figures and exits 1 on any loss, reordering, crash or hang.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {
            "rows_sent": 0, "rows_answered": 0, "rows_lost": 0, "rows_reordered": 0, "error_answers": 0,
            "streams": 0, "halfclose_streams": 0, "halfclose_lost": 0, "never_read_clients": 0,
            "reloads_done": 0, "reloads_refused": 0, "sigterm_drains": 0, "crashes": 0, "hangs": 0,
            "trainer_kills": 0, "current_invalid_after_kill": 0,
        }
        self.problems = []

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                self.counts[k] += v

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)


def run(argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, **kw)


def setup(args):
    data = os.path.join(args.work, "data")
    models = os.path.join(args.work, "models")
    corrupt = os.path.join(args.work, "corrupt")
    if not os.path.exists(os.path.join(data, "Udacity_MAILOUT_052018_TEST.csv")):
        run([args.trainer, "synth", "--out", data, "--scale", str(args.scale), "--seed", "1"])
    valid = sorted(f for f in os.listdir(models) if f.endswith(".bundle")) if os.path.isdir(models) else []
    if len(valid) < 2:
        for seed, k in ((1, 4), (2, 5)):
            run([args.trainer, "train", "--data", data, "--models", models, "--seed", str(seed), "--k", str(k)],
                stderr=subprocess.DEVNULL)
        valid = sorted(f for f in os.listdir(models) if f.endswith(".bundle"))
    os.makedirs(corrupt, exist_ok=True)
    bad = []
    for i, name in enumerate(valid[:2]):
        blob = open(os.path.join(models, name), "rb").read()
        flipped = bytearray(blob)
        flipped[len(blob) // 2] ^= 0x40
        for kind, content in (("truncated", blob[: len(blob) // 2]), ("flipped", bytes(flipped)),
                              ("garbage", os.urandom(4096))):
            path = os.path.join(corrupt, f"{kind}-{i}.bundle")
            with open(path, "wb") as f:
                f.write(content)
            bad.append(path)
    return data, models, [os.path.join(models, v) for v in valid], bad


def point_current(models, target):
    """What `trainer train` does: a new symlink renamed over `current`."""
    tmp = os.path.join(models, f".current-soak-{os.getpid()}")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(os.path.relpath(target, models), tmp)
    os.replace(tmp, os.path.join(models, "current"))


def load_rows(data):
    with open(os.path.join(data, "Udacity_MAILOUT_052018_TEST.csv"), "rb") as f:
        header = f.readline()
        tails = [line[line.index(b";"):].rstrip(b"\r\n") for line in f if line.strip()]
    return header, tails


class Rows:
    """Unique ids on the MAILOUT rows: row i is id i with the fields of file row i mod n."""

    def __init__(self, header, tails):
        self.header = header
        self.tails = tails
        self.next_id = 10_000_000
        self.lock = threading.Lock()

    def take(self, n):
        with self.lock:
            first = self.next_id
            self.next_id += n
        ids = [str(first + i).encode() for i in range(n)]
        body = b"\n".join(ids[i] + self.tails[(first + i) % len(self.tails)] for i in range(n))
        return ids, body


def connect(path, timeout=120):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_all(s):
    chunks = []
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def send_pieces(s, payload, rng):
    offset = 0
    while offset < len(payload):
        size = rng.choice((1, 7, 512, 4096, 16385, 65536, 262144))
        s.sendall(payload[offset: offset + size])
        offset += size


def stream_client(path, rows, stats, rng, n, connected=lambda: None):
    """One connection: n rows in random pieces, half-close, every answer checked. `connected`
    is called once the connection is made (or has failed)."""
    ids, body = rows.take(n)
    final_newline = rng.random() < 0.5
    payload = rows.header + body + (b"\n" if final_newline else b"")
    try:
        s = connect(path)
    except OSError as e:
        connected()
        stats.problem(f"connect failed: {e}")
        return
    connected()
    result = {}

    def reader():
        try:
            result["out"] = read_all(s)
        except OSError as e:
            result["error"] = e

    t = threading.Thread(target=reader)
    t.start()
    try:
        send_pieces(s, payload, rng)
        s.shutdown(socket.SHUT_WR)
    except OSError as e:
        stats.problem(f"send failed after some rows: {e}")
    t.join(600)
    s.close()
    if t.is_alive() or "error" in result:
        stats.add(hangs=1, rows_sent=n, rows_lost=n)
        stats.problem(f"stream of {n} rows: no end of answers ({result.get('error', 'timeout')})")
        return
    lines = result["out"].split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    answers = lines[1:]
    got = [line.split(b";", 1)[0] for line in answers]
    errors = sum(1 for line in answers if b";error;" in line)
    lost = max(0, n - len(got))
    reordered = sum(1 for a, b in zip(got, ids) if a != b)
    if lost or reordered or len(got) > n:
        stats.problem(f"stream of {n} rows (final newline {final_newline}): {len(got)} answers, "
                      f"{reordered} out of place; last answer {answers[-1][:60] if answers else None}")
    stats.add(rows_sent=n, rows_answered=min(n, len(got)), rows_lost=lost, rows_reordered=reordered,
              error_answers=errors, streams=1)


def halfclose_sweep(path, rows, stats, rng, sizes):
    """Payloads cut at each byte size: one answer per non-blank line after the header."""
    ids, body = rows.take(1200)
    full = rows.header + body
    for size in sizes:
        payload = full[:max(len(rows.header), size)]
        lines = [l for l in payload[len(rows.header):].split(b"\n") if l not in (b"", b"\r")]
        try:
            s = connect(path)
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            out = read_all(s)
            s.close()
        except OSError as e:
            stats.add(hangs=1)
            stats.problem(f"half-close at {len(payload)} bytes: {e}")
            continue
        answers = out.split(b"\n")[1:]
        if answers and answers[-1] == b"":
            answers.pop()
        lost = max(0, len(lines) - len(answers))
        if lost or len(answers) != len(lines):
            stats.problem(f"half-close at {len(payload)} bytes: {len(lines)} lines, {len(answers)} answers")
        stats.add(halfclose_streams=1, halfclose_lost=lost, rows_sent=len(lines), rows_lost=lost,
                  rows_answered=min(len(lines), len(answers)))


def never_reader(path, rows, stats, stop):
    """Sends until its socket is full and never reads; closes at the end of the phase."""
    try:
        s = connect(path)
    except OSError:
        return
    stats.add(never_read_clients=1)
    _, body = rows.take(20000)
    s.setblocking(False)
    payload = rows.header + body + b"\n"
    offset = 0
    while not stop.is_set() and offset < len(payload):
        try:
            offset += s.send(payload[offset: offset + 65536])
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
    stop.wait()
    s.close()


def metrics(admin):
    try:
        s = connect(admin, timeout=10)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
        text = read_all(s).decode()
        s.close()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and " " in line:
            name, value = line.rsplit(" ", 1)
            try:
                values[name] = float(value)
            except ValueError:
                pass  # the status line and headers
    return values


def reload_storm(models, valid, corrupt, proc, stop, rng):
    while not stop.is_set():
        target = rng.choice(valid) if rng.random() < 0.5 else rng.choice(corrupt)
        point_current(models, target)
        if rng.random() < 0.3:
            proc.send_signal(signal.SIGHUP)
        stop.wait(rng.uniform(0.02, 0.15))
    point_current(models, valid[0])


def phase(args, number, quota, rows, models, valid, corrupt, stats, rng):
    sock = os.path.join(args.work, f"s{number}.sock")
    admin = os.path.join(args.work, f"a{number}.sock")
    point_current(models, valid[0])
    proc = subprocess.Popen(
        [args.scorer, "--bundle", os.path.join(models, "current"), "--socket", sock, "--admin-socket", admin,
         "--with-version", "--poll-seconds", "0.05", "--drain-timeout", "120", "--log-level", "error"],
        stderr=open(os.path.join(args.work, f"scorer-{number}.log"), "wb"))
    deadline = time.time() + 30
    while not os.path.exists(sock) and time.time() < deadline:
        time.sleep(0.02)
    stop_storm = threading.Event()
    stop_never = threading.Event()
    storm = threading.Thread(target=reload_storm, args=(models, valid, corrupt, proc, stop_storm,
                                                        random.Random(rng.random())))
    storm.start()
    never = [threading.Thread(target=never_reader, args=(sock, rows, stats, stop_never)) for _ in range(2)]
    for t in never:
        t.start()
    sizes = sorted({int(10 ** (k / 8)) for k in range(0, 49)} | {rng.randrange(1, 1 << 20) for _ in range(16)}
                   | {(1 << 20)})
    sweep = threading.Thread(target=halfclose_sweep, args=(sock, rows, stats, random.Random(rng.random()), sizes))
    sweep.start()

    start_sent = stats.counts["rows_sent"]
    lock = threading.Lock()
    budget = [quota]
    # Streams that took their rows from the budget but are not connected yet.
    connecting = [0]

    def connected():
        with lock:
            connecting[0] -= 1

    def worker(seed, last_ones):
        r = random.Random(seed)
        while True:
            with lock:
                if budget[0] <= 0:
                    return
                n = min(budget[0], r.choice((1, 10, 500, 5000, 20000, 30000)))
                budget[0] -= n
                connecting[0] += 1
            stream_client(sock, rows, stats, r, n, connected)

    clients = [threading.Thread(target=worker, args=(rng.random(), None)) for _ in range(args.clients)]
    for t in clients:
        t.start()
    # SIGTERM while the last streams run: once the budget is spent, no new connection starts
    # (one queued in the backlog when the listener closes would be reset, by design), then the
    # open streams must all be answered.
    while True:
        with lock:
            if budget[0] <= 0 and connecting[0] == 0:
                break
        time.sleep(0.01)
    sweep.join()
    m = metrics(admin)
    stop_storm.set()
    storm.join()
    proc.send_signal(signal.SIGTERM)
    stop_never.set()
    for t in never:
        t.join()
    for t in clients:
        t.join()
    try:
        code = proc.wait(timeout=150)
    except subprocess.TimeoutExpired:
        stats.add(hangs=1)
        stats.problem(f"phase {number}: the daemon did not exit after SIGTERM")
        proc.kill()
        code = proc.wait()
    if code != 0:
        stats.add(crashes=1)
        stats.problem(f"phase {number}: the daemon exited with {code}")
    stats.add(sigterm_drains=1, reloads_done=int(m.get("scorer_reloads_total", 0)),
              reloads_refused=int(m.get("scorer_reload_failures_total", 0)))
    print(f"phase {number}: {stats.counts['rows_sent'] - start_sent} rows, exit {code}, "
          f"reloads {int(m.get('scorer_reloads_total', 0))} done / "
          f"{int(m.get('scorer_reload_failures_total', 0))} refused", file=sys.stderr, flush=True)


def trainer_kills(args, data, stats, rng):
    """`trainer train` killed at random moments: `current` must stay a readable bundle."""
    models = os.path.join(args.work, "kill-models")
    run([args.trainer, "train", "--data", data, "--models", models, "--seed", "1", "--k", "4"],
        stderr=subprocess.DEVNULL)
    for i in range(args.trainer_kills):
        proc = subprocess.Popen([args.trainer, "train", "--data", data, "--models", models, "--seed", str(i + 3),
                                 "--k", "4", "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 4.0))
        proc.kill()
        proc.wait()
        stats.add(trainer_kills=1)
        check = subprocess.run([args.trainer, "inspect", os.path.join(models, "current")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if check.returncode != 0:
            stats.add(current_invalid_after_kill=1)
            stats.problem(f"after kill {i}: `trainer inspect current` exited {check.returncode}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scorer", default=os.path.join(ROOT, ".build/release/scorer"))
    p.add_argument("--trainer", default=os.path.join(ROOT, ".build/release/trainer"))
    p.add_argument("--work", default=os.path.join(HERE, "out/soak"))
    p.add_argument("--rows", type=int, default=2_000_000, help="rows to stream in all (default 2 M)")
    p.add_argument("--phases", type=int, default=4, help="daemon lifetimes, each ended by SIGTERM")
    p.add_argument("--clients", type=int, default=8, help="concurrent streaming clients")
    p.add_argument("--scale", type=float, default=0.01)
    p.add_argument("--trainer-kills", type=int, default=0, help="SIGKILLs of `trainer train` at random moments")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = random.Random(args.seed)
    data, models, valid, corrupt = setup(args)
    rows = Rows(*load_rows(data))
    stats = Stats()
    started = time.time()
    for number in range(args.phases):
        phase(args, number, args.rows // args.phases, rows, models, valid, corrupt, stats, rng)
    if args.trainer_kills:
        trainer_kills(args, data, stats, rng)
    c = stats.counts
    seconds = time.time() - started
    print(f"soak: {seconds:.0f} s, {c['rows_sent']} rows sent, {c['rows_answered']} answered, "
          f"{c['rows_lost']} lost, {c['rows_reordered']} reordered ({c['error_answers']} error answers)")
    print(f"  {c['streams']} streams, {c['halfclose_streams']} half-close sizes ({c['halfclose_lost']} lost), "
          f"{c['never_read_clients']} clients that never read")
    print(f"  reloads {c['reloads_done']} done / {c['reloads_refused']} refused; {c['sigterm_drains']} SIGTERM drains; "
          f"{c['crashes']} crashes, {c['hangs']} hangs")
    if args.trainer_kills:
        print(f"  trainer train killed {c['trainer_kills']} times; `current` unreadable after "
              f"{c['current_invalid_after_kill']}")
    for text in stats.problems:
        print("  problem:", text)
    if args.json:
        print(json.dumps(dict(c, seconds=round(seconds, 1))))
    failed = c["rows_lost"] or c["rows_reordered"] or c["crashes"] or c["hangs"] or c["current_invalid_after_kill"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
