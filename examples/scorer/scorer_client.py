#!/usr/bin/env python3
"""A client for the scorer's Unix socket (standard library only).

    python3 scorer_client.py /run/scorer/score.sock prospects.csv > scores.csv
    python3 scorer_client.py /run/scorer/score.sock --header-from prospects.csv --one '1754;2;...'

`--one ROW` scores one row (its fields in the order of the header, which is read from the first
line of the `--header-from` file); the answer is printed, or for a row that cannot be scored
the scorer's message on stderr with exit code 1.

The protocol: send a CSV header line, then rows; every row is answered by exactly one line, in
order (`LNR;segment;segment_label;probability`, or `LNR;error;MESSAGE`). A writer thread sends
while the main thread reads, so a large file never deadlocks on full socket buffers; shutting
down the write side tells the scorer the stream is complete, and it closes after the last answer.
"""
import socket
import sys
import threading


class ScorerClient:
    """One stream: a header, then rows one at a time (interactive use)."""

    def __init__(self, path, header):
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socket.connect(path)
        self.buffer = b""
        self.socket.sendall(header.rstrip("\n").encode() + b"\n")
        self.columns = self._line()  # the answer header (CSV output only)

    def _line(self):
        while b"\n" not in self.buffer:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise ConnectionError("the scorer closed the stream")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()

    def score(self, row):
        """Scores one row; returns the answer's fields (or raises on an error line)."""
        self.socket.sendall(row.rstrip("\n").encode() + b"\n")
        fields = self._line().split(";")
        if len(fields) >= 2 and fields[1] == "error":
            raise ValueError(f"row {fields[0]}: {';'.join(fields[2:])}")
        return fields

    def close(self):
        self.socket.close()


def score_file(path, csv_path, out=sys.stdout.buffer):
    """Streams a whole CSV file (header first) and copies the answers to `out`."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)

    def send():
        with open(csv_path, "rb") as f:
            while chunk := f.read(1 << 20):
                s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)

    writer = threading.Thread(target=send, daemon=True)
    writer.start()
    while chunk := s.recv(1 << 20):
        out.write(chunk)
    writer.join()
    s.close()


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description="Score CSV rows over the scorer's Unix socket.")
    parser.add_argument("socket", help="the scorer's socket, e.g. /run/scorer/score.sock")
    parser.add_argument("csv", nargs="?", help="a CSV file with its header: every row is scored")
    parser.add_argument("--one", metavar="ROW", help="score this one row")
    parser.add_argument("--header-from", metavar="FILE", help="the CSV file whose first line is the header (with --one)")
    args = parser.parse_args(argv)
    if args.one is None:
        if args.csv is None:
            parser.error("give a CSV file, or --header-from FILE --one ROW")
        score_file(args.socket, args.csv)
        return 0
    if args.header_from is None or args.csv is not None:
        parser.error("--one ROW needs --header-from FILE (and no CSV file)")
    with open(args.header_from) as f:
        header = f.readline()
    client = ScorerClient(args.socket, header)
    try:
        print(";".join(client.score(args.one)))
    except (ValueError, ConnectionError) as error:
        print(f"scorer_client.py: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
