#!/usr/bin/env python3
"""A client for the scorer's Unix socket (standard library only).

    python3 scorer_client.py /run/scorer/score.sock prospects.csv > scores.csv
    python3 scorer_client.py /run/scorer/score.sock --one 'LNR;AGER_TYP;...' 'header'

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


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[2] == "--one":
        client = ScorerClient(sys.argv[1], sys.argv[4])
        print(";".join(client.score(sys.argv[3])))
        client.close()
    elif len(sys.argv) == 3:
        score_file(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
