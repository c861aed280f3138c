#!/usr/bin/env bash
# `make test-deploy`: the deployment examples work as written, with the release's binaries.
#  - Hadoop Streaming: examples/scorer/hadoop_mapper.sh run over input splits the way Hadoop
#    runs a map task (split on stdin, shipped files in the working directory): normal splits
#    (with and without the header line) concatenate to the trainer's predictions, an empty split
#    exits 0 with no output, a split with an error row keeps it as data (and counts it), a
#    header without a needed column fails the task with the scorer's message;
#  - socat: the README's lines (file in, file out; header from a file, then rows);
#  - systemd: `systemd-analyze verify` of the units after `make install` (in a mount namespace
#    with an empty /usr/local, so the machine is untouched), `security` <= 3.0 for the scorer;
#  - cron: the example's command mails (prints) nothing on success, and the failure on failure.
# Run after `make release`; needs root for the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-check.sh
root=$PWD

if [ "${1:-}" = --systemd-inside ]; then
  # Inside a namespace with an empty tmpfs on /usr/local.
  check "systemd-analyze verify fails before the binaries are installed" \
    sh -c '! systemd-analyze verify examples/scorer/scorer.service > /dev/null 2>&1'
  make --no-print-directory install PREFIX=/usr/local > /dev/null
  check "systemd-analyze verify passes on the scorer and trainer units after make install" \
    systemd-analyze verify examples/scorer/scorer.service examples/trainer/prospector-train.service \
    examples/trainer/prospector-train.timer
  exposure=$(systemd-analyze security --offline=true examples/scorer/scorer.service 2>/dev/null |
    sed -n 's/.*Overall exposure level for scorer.service: \([0-9.]*\).*/\1/p')
  echo "     systemd-analyze security scorer.service: ${exposure:-?}"
  check "scorer.service exposure ${exposure:-?} <= 3.0" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 3.0) }'
  train_exposure=$(systemd-analyze security --offline=true examples/trainer/prospector-train.service 2>/dev/null |
    sed -n 's/.*Overall exposure level for prospector-train.service: \([0-9.]*\).*/\1/p')
  echo "     systemd-analyze security prospector-train.service: ${train_exposure:-?}"
  finish "test-deploy-systemd"
  exit
fi

work=$(mktemp -d /tmp/prospector-deploy-test.XXXXXX)
daemon=
cleanup() { [ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
bin=$(install_release "$work")
demo_fixture "$bin" "$work/demo"
test_csv=$work/demo/data/Udacity_MAILOUT_052018_TEST.csv
predictions=$(ls "$work"/demo/models/prospector-*.predictions.csv | head -n 1)
bundle=$(readlink -f "$work/demo/models/current")

echo "== Hadoop Streaming mapper"
task=$work/task
mkdir -p "$task"
ln -s "$(readlink -f "$bin/scorer")" "$task/scorer"
ln -s "$bundle" "$task/$(basename "$bundle")"
cp examples/scorer/hadoop_mapper.sh "$task/"
head -n 1 "$test_csv" > "$task/header.csv"
rows=$(($(wc -l < "$test_csv") - 1))
third=$((rows / 3))
# Splits as Hadoop cuts a file: the first holds the header line, the others do not.
head -n $((third + 1)) "$test_csv" > "$work/split0"
sed -n "$((third + 2)),$((2 * third + 1))p" "$test_csv" > "$work/split1"
tail -n +$((2 * third + 2)) "$test_csv" > "$work/split2"
mapper() { (cd "$task" && ./hadoop_mapper.sh) < "$1" > "$1.out" 2> "$1.err"; }
for split in 0 1 2; do
  check "mapper on split $split exits 0" mapper "$work/split$split"
done
tail -n +2 "$predictions" > "$work/expected-rows"
check "the splits' answers concatenate to the trainer's predictions byte for byte" \
  sh -c "cat '$work/split0.out' '$work/split1.out' '$work/split2.out' | cmp - '$work/expected-rows'"
: > "$work/empty"
check "an empty split exits 0" mapper "$work/empty"
check "an empty split gives no output" test ! -s "$work/empty.out"
# A row with a word in a numeric column: answered with an error line, kept as data, counted.
spoil "$test_csv" 2 | sed -n 2,4p > "$work/bad"
check "a split with an error row exits 0" mapper "$work/bad"
check "the error row is data: three answers, the first an error line" \
  sh -c "[ \$(wc -l < '$work/bad.out') -eq 3 ] && head -n 1 '$work/bad.out' | grep -q '^[^;]*;error;'"
check "the error row is counted for the job (reporter:counter)" grep -q '^reporter:counter:prospector,error_rows,1$' "$work/bad.err"
# A header without a column the bundle needs: the task fails with the scorer's message.
sed -i "1s/;$needed;/;${needed}_RENAMED;/" "$task/header.csv"
mapper "$work/split1" && status=0 || status=$?
check "a missing column fails the task (exit $status)" test "$status" -ne 0
check "the task's stderr has the scorer's message" grep -q "required column" "$work/split1.err"
check "the failed task writes no answers" test ! -s "$work/split1.out"
head -n 1 "$test_csv" > "$task/header.csv"
rm "$task/$(basename "$bundle")"
printf 'not a bundle\n' > "$task/corrupt.bundle"
mapper "$work/split1" && status=0 || status=$?
check "an unreadable bundle fails the task (exit $status) with the scorer's message" \
  sh -c "[ $status -ne 0 ] && grep -q corrupt.bundle '$work/split1.err'"

echo "== socat"
command -v socat > /dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat; } > /dev/null 2>&1 || true
if command -v socat > /dev/null; then
  sock=$work/score.sock
  "$bin/scorer" --bundle "$work/demo/models/current" --socket "$sock" --log-level warning &
  daemon=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
  # The lines of examples/scorer/README.md, with the socket path of this test.
  check "socat: file in, file out gives the trainer's predictions" \
    sh -c "socat -t 30 - UNIX-CONNECT:'$sock' < '$test_csv' > '$work/socat.csv' && cmp '$work/socat.csv' '$predictions'"
  head -n 1 "$test_csv" > "$work/header.csv"
  sed -n '2,3p' "$test_csv" > "$work/typed"
  check "socat: header from a file, then rows typed" \
    bash -c "cd '$work' && cat header.csv - < typed | socat - UNIX-CONNECT:'$sock' > interactive.out && cmp interactive.out <(head -n 3 '$predictions')"
  client="python3 examples/scorer/scorer_client.py $sock --header-from $test_csv"
  check "scorer_client.py --one: a row gives its answer" \
    bash -c "$client --one \"\$(sed -n 2p '$test_csv')\" | cmp - <(sed -n 2p '$predictions')"
  bad_row=$(spoil "$test_csv" 2 | sed -n 2p)
  $client --one "$bad_row" > "$work/client.out" 2> "$work/client.err" && status=0 || status=$?
  check "scorer_client.py --one: an error row exits 1 with the scorer's message, no traceback" \
    sh -c "[ $status -eq 1 ] && grep -q 'is not a number' '$work/client.err' && ! grep -q Traceback '$work/client.err'"
  check "scorer_client.py FILE gives the trainer's predictions" \
    sh -c "python3 examples/scorer/scorer_client.py '$sock' '$test_csv' | cmp - '$predictions'"
  kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
else
  skip "socat: not installed and apt-get could not install it"
fi

echo "== cron"
cron_command=$(grep -v -e '^#' -e '^[A-Z_]*=' -e '^$' examples/trainer/prospector-train.cron | cut -d' ' -f6-)
check "the cron command has no unescaped % (cron turns it into a newline)" sh -c "! printf '%s' \"\$1\" | grep -q '%'" - "$cron_command"
mkdir -p "$work/cron/srv" "$work/cron/bin"
run_cron() {  # run_cron EXIT_CODE: the cron command with a stand-in trainer; prints what cron would mail
  printf '#!/bin/sh\necho "ts=now level=info step=read"\nexit %s\n' "$1" > "$work/cron/bin/trainer"
  chmod +x "$work/cron/bin/trainer"
  local command=${cron_command//\/usr\/local\/bin\/trainer/$work/cron/bin/trainer}
  command=${command//\/srv\/prospector/$work/cron/srv}
  sh -c "$command" > "$work/cron/mail" 2>&1 || true
}
run_cron 0
check "cron: a good night mails nothing" test ! -s "$work/cron/mail"
check "cron: the run's lines are in the log" grep -q "step=read" "$work/cron/srv/log/train.log"
run_cron 65
check "cron: a failed night mails the exit code and the log's tail" \
  sh -c "grep -q 'failed with exit code 65' '$work/cron/mail' && grep -q 'step=read' '$work/cron/mail'"

echo "== systemd"
command -v systemd-analyze > /dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd; } > /dev/null 2>&1 || true
if command -v systemd-analyze > /dev/null && unshare -m true 2> /dev/null; then
  unshare -m --propagation private sh -c "mount -t tmpfs none /usr/local && exec '$root/scripts/test-deploy.sh' --systemd-inside" &&
    passed=$((passed + 1)) || failed=$((failed + 1))
else
  skip "systemd: systemd-analyze or unshare is not available"
fi
finish "test-deploy"
