#!/usr/bin/env python3
"""Checks a scorer /metrics exposition with Prometheus' own text parser (prometheus_client).

    check-metrics.py METRICS.txt VERSION

The whole text must parse; scorer_build_info{version,commit} must name VERSION; the standard
process metrics must be there with plausible values (the process started within the last day,
holds at least stdin/stdout/stderr and its sockets, has a resident set of at least 1 MB)."""
import sys
import time

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1]).read()
version = sys.argv[2]
families = {family.name: family for family in text_string_to_metric_families(text)}
problems = []


def value(name):
    family = families.get(name)
    if family is None or not family.samples:
        problems.append(f"{name} is missing")
        return None
    return family.samples[0].value


info = families.get("scorer_build_info")
if info is None:
    problems.append("scorer_build_info is missing")
else:
    labels = info.samples[0].labels
    if labels.get("version") != version or not labels.get("commit"):
        problems.append(f"scorer_build_info labels {labels}, expected version {version} and a commit")
# The text parser strips _total from counter family names.
for name, kind in [("process_cpu_seconds", "counter"), ("process_resident_memory_bytes", "gauge"),
                   ("process_open_fds", "gauge"), ("process_start_time_seconds", "gauge"),
                   ("process_virtual_memory_bytes", "gauge"), ("scorer_rows_scored", "counter")]:
    if name in families and families[name].type != kind:
        problems.append(f"{name} has type {families[name].type}, expected {kind}")
start = value("process_start_time_seconds")
if start is not None and not (time.time() - 86400 < start <= time.time() + 1):
    problems.append(f"process_start_time_seconds {start} is not within the last day")
rss = value("process_resident_memory_bytes")
if rss is not None and rss < 1e6:
    problems.append(f"process_resident_memory_bytes {rss} < 1 MB")
fds = value("process_open_fds")
if fds is not None and fds < 5:
    problems.append(f"process_open_fds {fds} < 5 (stdio and two listening sockets)")
cpu = value("process_cpu_seconds")
if cpu is not None and cpu <= 0:
    problems.append(f"process_cpu_seconds {cpu} is not positive")
rows = value("scorer_rows_scored")
if rows is not None and rows != 2:
    problems.append(f"scorer_rows_scored {rows}, expected the 2 rows sent")
for problem in problems:
    print("check-metrics:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
