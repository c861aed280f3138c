#!/usr/bin/env bash
# The cost of scoring through Spark: rows/s of examples/scorer/spark_pipe.py on Spark local[2]
# against `scorer --stdin` alone, on the same input.
#
#   bench/spark_bench.sh [ROWS]      # default 2000000; after `make release` and `make test-spark`
#
# Uses the release's scorer, the pyspark venv `make test-spark` installs, and a demo-scale bundle
# (`trainer demo`); the input is the demo's campaign test file repeated to ROWS rows. Both runs
# read from and write to files on the same disk; Spark's time includes its start-up (JVM, context).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-check.sh
rows=${1:-2000000}
python=$PWD/.build-release/venv-spark/bin/python
[ -x "$python" ] || { echo "run make test-spark first (it installs pyspark)" >&2; exit 1; }
work=$(mktemp -d /tmp/prospector-spark-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=$(install_release "$work")
demo_fixture "$bin" "$work/demo"
test_csv=$work/demo/data/Udacity_MAILOUT_052018_TEST.csv
bundle=$(readlink -f "$work/demo/models/current")
"$python" - "$test_csv" "$work/input.csv" "$rows" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
header, body, want = lines[0], lines[1:], int(sys.argv[3])
with open(sys.argv[2], "wb") as out:
    out.write(header)
    written = 0
    while written < want:
        chunk = body[: want - written]
        out.writelines(chunk)
        written += len(chunk)
PY
echo "input: $rows rows, $(du -h "$work/input.csv" | cut -f1)"
seconds() { local start=$(date +%s.%N); "$@"; awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
stdin_s=$(seconds sh -c "'$bin/scorer' --bundle '$bundle' --stdin < '$work/input.csv' > '$work/stdin.out'")
export PYSPARK_PYTHON=$python
spark_s=$(seconds sh -c "cd '$work' && '$(dirname "$python")/spark-submit' --master 'local[2]' --conf spark.ui.enabled=false \
  --files '$(readlink -f "$bin/scorer")','$bundle' '$PWD/examples/scorer/spark_pipe.py' input.csv out > spark.log 2>&1")
cmp <(tail -n +2 "$work/stdin.out") <(cat "$work"/out/part-*) || { echo "Spark's answers differ from scorer --stdin's" >&2; exit 1; }
printf 'scorer --stdin:        %8.1f s  %10.0f rows/s\n' "$stdin_s" "$(ratio "$rows" "$stdin_s")"
printf 'Spark local[2] pipe:   %8.1f s  %10.0f rows/s  (%.1fx the time)\n' "$spark_s" "$(ratio "$rows" "$spark_s")" \
  "$(ratio "$spark_s" "$stdin_s")"
