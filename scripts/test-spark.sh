#!/usr/bin/env bash
# `make test-spark`: examples/scorer/spark_pipe.py on Spark local[2] with the release's scorer,
# shipped as documented (--files scorer,BUNDLE).
#  - the demo's campaign test file, with one bad row added: the scores equal `trainer predict`'s
#    lines byte for byte, the bad row's error line is in OUT-errors (and counted), not in OUT;
#  - a header without a column the bundle needs: spark-submit fails, the driver's error names it.
# Installs pyspark from PyPI into .build-release/venv-spark and Java from Debian when missing.
# Takes a few minutes (Spark start-up twice); CI runs it only when time allows (README).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-check.sh

if ! command -v java > /dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless > /dev/null
fi
python=$(python_venv "$PWD/.build-release/venv-spark" pyspark)
spark_submit=$(dirname "$python")/spark-submit

work=$(mktemp -d /tmp/prospector-spark-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=$(install_release "$work")
demo_fixture "$bin" "$work/demo"
test_csv=$work/demo/data/Udacity_MAILOUT_052018_TEST.csv
bundle=$(readlink -f "$work/demo/models/current")

# The input: the test file with a word in a numeric column of one row in the middle.
rows=$(wc -l < "$test_csv")
bad=$((rows / 2))
spoil "$test_csv" "$bad" > "$work/input.csv"
"$bin/trainer" predict --bundle "$bundle" "$work/input.csv" > "$work/expected.csv"
tail -n +2 "$work/expected.csv" | grep -v '^[^;]*;error;' > "$work/expected-scores" || true
grep '^[^;]*;error;' "$work/expected.csv" > "$work/expected-errors" || true
check "the input has exactly one error row (trainer predict)" test "$(wc -l < "$work/expected-errors")" -eq 1

submit() {  # submit INPUT OUT: the documented spark-submit line (shipping the scorer and the bundle)
  (cd "$work" && "$spark_submit" --master 'local[2]' --conf spark.ui.enabled=false \
    --files "$(readlink -f "$bin/scorer"),$bundle" \
    "$OLDPWD/examples/scorer/spark_pipe.py" "$1" "$2")
}
export PYSPARK_PYTHON=$python
echo "== spark-submit (local[2]) on $((rows - 1)) rows"
submit "$work/input.csv" "$work/out" > "$work/spark.log" 2>&1 && status=0 || status=$?
check "the job succeeds (exit $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || tail -n 30 "$work/spark.log" >&2
check "the input ran in more than one partition" test "$(ls "$work"/out/part-* 2>/dev/null | wc -l)" -ge 2
check "OUT equals trainer predict's scores byte for byte" sh -c "cat '$work'/out/part-* | cmp - '$work/expected-scores'"
check "OUT-errors holds the error row, as trainer predict answers it" \
  sh -c "cat '$work'/out-errors/part-* | cmp - '$work/expected-errors'"
check "the error rows are counted" grep -q '^error rows: 1$' "$work/spark.log"

echo "== spark-submit with a header lacking a column"
sed "1s/;$needed;/;${needed}_RENAMED;/" "$work/input.csv" > "$work/renamed.csv"
submit "$work/renamed.csv" "$work/out-renamed" > "$work/spark-renamed.log" 2>&1 && status=0 || status=$?
check "the job fails (exit $status)" test "$status" -ne 0
check "the driver's error has the scorer's message" \
  grep -q "scorer exited with code 65 on partition [0-9]*: error;required column ${needed} is not in the input" "$work/spark-renamed.log"
check "no _SUCCESS marker" test ! -e "$work/out-renamed/_SUCCESS"
finish "test-spark"
