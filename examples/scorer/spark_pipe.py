#!/usr/bin/env python3
"""Scoring a Spark RDD of MAILOUT-shaped CSV lines through `scorer --stdin`, one scorer per partition.

Ship the scorer and the bundle with the job (`--files`; resolve `current` first, so the job
scores with one fixed bundle and its file name says which), then give the input and the output:

    spark-submit --master local[2] \\
        --files /usr/local/lib/prospector/scorer,$(readlink -f /srv/prospector/models/current) \\
        /usr/local/share/doc/prospector/examples/scorer/spark_pipe.py prospects.csv scores

The same line works on a cluster (`--master yarn`, `spark://…`, `k8s://…`): every executor gets
its own copy of both files, found through `SparkFiles` on the executor at run time (a path fixed
by the driver is wrong there, and `--files x#name` renames are refused in local mode).
`--archives` works too: ship the release tarball (`--archives prospector-….tar.gz#prospector`)
and pass `--scorer prospector/prospector-…/lib/prospector/scorer`.

Output: OUT holds one answer line per input row, in input order (part files in order),
`LNR;segment;segment_label;probability`, without a header; rows the scorer could not score
(`LNR;error;MESSAGE`) are data, not failures: they go to `--errors` (default OUT-errors) and
their count is printed. A partition whose scorer exits non-zero (a column the bundle needs is
missing from the header, an unreadable bundle) fails its task, and after Spark's retries the
job, with the scorer's own message in the driver's error; nothing is written to OUT.

Options: --bundle NAME (a shipped file; default: the one shipped file named *.bundle),
--scorer NAME (default: scorer), --errors DIR, --log-level LEVEL (the scorer's, default error).
"""
import argparse
import os
import subprocess
import sys
import threading

# The scorer's answer header (CSV output): every partition's first answer line.
ANSWER_HEADER = "LNR;segment;segment_label;probability"


def shipped_file(name):
    """The executor-local path of a file shipped with --files/--archives (or a path as given)."""
    from pyspark import SparkFiles

    if os.path.isabs(name):
        return name
    path = SparkFiles.get(name)
    if os.path.exists(path):
        return path
    # --archives are unpacked into the working directory of a cluster executor.
    return os.path.abspath(name) if os.path.exists(name) else path


def score_partition(header, scorer_name, bundle_name, log_level):
    """A mapPartitions function: pipes header + the partition's rows through one scorer process.

    Like RDD.pipe(checkCode=True), but the executables are looked up on the executor, and a
    non-zero exit fails the task with the scorer's message (its first answer line and stderr)."""

    def run(index, rows):
        scorer = shipped_file(scorer_name)
        if not os.access(scorer, os.X_OK):
            os.chmod(scorer, 0o755)
        command = [scorer, "--bundle", shipped_file(bundle_name), "--stdin", "--log-level", log_level]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stderr = []

        def feed():
            try:
                batch = [header]
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 4096:
                        batch.append("")
                        process.stdin.write("\n".join(batch).encode())
                        batch = []
                batch.append("")
                process.stdin.write("\n".join(batch).encode())
            except BrokenPipeError:
                pass  # the scorer stopped reading (a rejected header): its exit code tells why
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        def drain_stderr():
            stderr.append(process.stderr.read().decode(errors="replace"))

        threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain_stderr, daemon=True)]
        for thread in threads:
            thread.start()
        first = process.stdout.readline().decode().rstrip("\n")
        if first == ANSWER_HEADER:
            for line in process.stdout:
                yield line.decode().rstrip("\n")
        else:
            process.stdout.read()
        code = process.wait()
        for thread in threads:
            thread.join()
        if code != 0 or first != ANSWER_HEADER:
            message = first if first != ANSWER_HEADER else ""
            raise RuntimeError(
                f"scorer exited with code {code} on partition {index}: {message} {''.join(stderr).strip()}".strip())

    return run


def is_error(answer):
    """`LNR;error;MESSAGE`: a row the scorer answered with an error."""
    fields = answer.split(";", 2)
    return len(fields) >= 2 and fields[1] == "error"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Score CSV rows on Spark through scorer --stdin.")
    parser.add_argument("input", help="CSV file(s) with a header line (any path Spark's textFile reads)")
    parser.add_argument("output", help="output directory for the answers (must not exist)")
    parser.add_argument("--errors", help="output directory for error rows (default: OUTPUT-errors)")
    parser.add_argument("--scorer", default="scorer", help="the shipped scorer's file name, or a path")
    parser.add_argument("--bundle", help="the shipped bundle's file name (default: the one *.bundle shipped)")
    parser.add_argument("--log-level", default="error", help="the scorer's log level (stderr)")
    args = parser.parse_args(argv)

    from pyspark import SparkContext, StorageLevel

    sc = SparkContext(appName="prospector-scoring")
    bundle = args.bundle
    if bundle is None:
        shipped = [os.path.basename(uri) for uri in sc.getConf().get("spark.files", "").split(",") if uri]
        bundles = [name for name in shipped if name.endswith(".bundle")]
        if len(bundles) != 1:
            sys.exit(f"ship exactly one bundle with --files (found {bundles or 'none'}), or name it with --bundle")
        bundle = bundles[0]

    lines = sc.textFile(args.input)
    header = lines.first()
    rows = lines.filter(lambda line: line != header)
    answers = rows.mapPartitionsWithIndex(score_partition(header, args.scorer, bundle, args.log_level))
    # Scored once, then split into scores and error rows.
    answers.persist(StorageLevel.MEMORY_AND_DISK)
    answers.filter(lambda answer: not is_error(answer)).saveAsTextFile(args.output)
    errors = answers.filter(is_error)
    errors.saveAsTextFile(args.errors or args.output.rstrip("/") + "-errors")
    print(f"error rows: {errors.count()}", file=sys.stderr)
    sc.stop()


if __name__ == "__main__":
    main()
