#!/usr/bin/env bash
# `make test-release`: the release runs on a machine without the Swift toolchain.
#  - ldd lists no libswift* (nor Foundation) for trainer and scorer;
#  - installed with the tarball's install.sh into a scratch prefix, then, in a mount namespace
#    where /opt/swift (the toolchain) and the build folders are hidden under empty tmpfs mounts:
#    --version, `trainer demo`, `scorer --stdin` byte for byte against the trainer's predictions,
#    the daemon's /metrics (parsed by prometheus_client's text parser: scorer_build_info and
#    the process_* metrics), man pages that render, completion scripts that load.
# Needs root (unshare -m); run after `make release`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-check.sh

if [ "${1:-}" = --inside ]; then
  # Inside the namespace: the toolchain is gone.
  prefix=$2 work=$3 python=$4
  export PATH="$prefix/bin:/usr/bin:/bin"
  check "the toolchain is hidden" test ! -e /opt/swift/usr/bin/swift
  check "trainer --version names version, commit and bundle formats" \
    sh -c 'trainer --version | grep -E "^[0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}(-dirty)?\); bundle format: writes [0-9]+\.[0-9]+, reads "'
  check "scorer --version equals trainer --version" sh -c '[ "$(scorer --version)" = "$(trainer --version)" ]'
  check "scorer --help gives --workers one default, not the build machine's core count" sh -c \
    'help=$(scorer --help | tr -s " \n" " "); case $help in *"(default: the number of cores). (default:"*) exit 1 ;; *"(default: the number of cores)."*) exit 0 ;; *) exit 1 ;; esac'
  check "trainer demo runs" sh -c "trainer demo --out '$work/demo' > '$work/demo.log' 2>&1 || { tail -n 20 '$work/demo.log'; exit 1; }"
  predictions=$(ls "$work"/demo/models/prospector-*.predictions.csv | head -n 1)
  check "scorer --stdin gives the trainer's predictions byte for byte" sh -c \
    "scorer --bundle '$work/demo/models/current' --stdin < '$work/demo/data/Udacity_MAILOUT_052018_TEST.csv' > '$work/scores.csv' && cmp '$work/scores.csv' '$predictions'"

  # The daemon's metrics.
  scorer --bundle "$work/demo/models/current" --socket "$work/score.sock" --admin-socket "$work/admin.sock" \
    --log-level warning 2> "$work/daemon.log" &
  daemon=$!
  for _ in $(seq 100); do [ -S "$work/admin.sock" ] && break; sleep 0.1; done
  head -n 3 "$work/demo/data/Udacity_MAILOUT_052018_TEST.csv" | timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read()); s.shutdown(socket.SHUT_WR)
while s.recv(65536): pass' "$work/score.sock" || true
  curl -sf --unix-socket "$work/admin.sock" http://localhost/metrics > "$work/metrics.txt" || true
  kill -TERM "$daemon"; wait "$daemon" || true
  check "/metrics parses (prometheus_client) with build info and process metrics" \
    "$python" scripts/check-metrics.py "$work/metrics.txt" "$(trainer --version | cut -d' ' -f1)"

  renders() { MANWIDTH=100 man -l "$prefix/share/man/man1/$1" 2>/dev/null | grep -q -e "$2"; }
  check "man page scorer.1 renders with its options" renders scorer.1 --bundle
  check "man page trainer.1 renders with its subcommands" renders trainer.1 predict
  check "man page trainer.train.1 renders with its options" renders trainer.train.1 --models
  check "bash completion loads and completes scorer options" bash -c \
    ". '$prefix/share/bash-completion/completions/scorer'; COMP_WORDS=(scorer --bun); COMP_CWORD=1; COMP_LINE='scorer --bun'; COMP_POINT=\${#COMP_LINE}; _scorer scorer --bun scorer; [[ \" \${COMPREPLY[*]} \" == *' --bundle '* ]]"
  check "zsh and fish completion scripts are there" test -s "$prefix/share/zsh/site-functions/_trainer" -a -s "$prefix/share/fish/vendor_completions.d/scorer.fish"
  finish "test-release-namespace"
  exit
fi

tarball=$(latest_release)
[ -n "$tarball" ] || { echo "no release in dist/: run make release" >&2; exit 1; }
echo "== $tarball"
work=$(mktemp -d /tmp/prospector-release-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
stage=$(ls -d "$work"/prospector-*/)
for program in trainer scorer; do
  echo "-- ldd $program"; ldd "$stage/lib/prospector/$program" | tee "$work/ldd-$program.txt"
  check "$program links no Swift runtime (ldd: no libswift*, libFoundation*, libdispatch)" \
    sh -c "! grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|/opt/swift' '$work/ldd-$program.txt'"
done
check "install.sh installs into a prefix" "$stage/install.sh" --prefix "$work/prefix"
check "bin/ links resolve to the programs" test -x "$work/prefix/bin/trainer" -a -x "$work/prefix/bin/scorer"
python=$(python_venv "$work/venv" prometheus_client)

# The namespace: empty tmpfs mounts over the toolchain and over the build folders (the bundle
# accessor's fallback path), so only what the release ships can be found.
hide="mount -t tmpfs none /opt/swift"
for folder in .build .build-release; do
  [ -d "$folder" ] && hide="$hide && mount -t tmpfs none '$PWD/$folder'"
done
unshare -m --propagation private sh -c "$hide && exec '$PWD/scripts/test-release.sh' --inside '$work/prefix' '$work' '$python'" &&
  status=0 || status=$?
finish "test-release"
exit $((status || failed > 0))
