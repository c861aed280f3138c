# Sourced by the deployment test scripts: named checks, counted, and the closing
# "N passed, N failed" line; the script exits non-zero when a check failed.
passed=0 failed=0 skipped=0
check() {  # check NAME COMMAND...: runs the command, prints ok/FAIL with the name
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name" >&2; fi
}
skip() { skipped=$((skipped + 1)); echo "skip $1"; }
finish() {  # finish LABEL
  echo "$1: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}
# The newest release tarball of this machine's architecture.
latest_release() { ls -t dist/prospector-*-linux-"$(uname -m)".tar.gz 2>/dev/null | head -n 1; }
# python_venv DIR PACKAGE...: a venv in DIR with the given PyPI packages; prints its python.
python_venv() {
  local venv=$1; shift
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  echo "$venv/bin/python"
}
# install_release WORK: the newest release unpacked into WORK and installed into WORK/prefix
# with its own install.sh; prints the installed bin folder.
install_release() {
  local tarball
  tarball=$(latest_release)
  [ -n "$tarball" ] || { echo "no release in dist/: run make release" >&2; return 1; }
  tar -C "$1" -xzf "$tarball"
  "$1"/prospector-*/install.sh --prefix "$1/prefix" 2> /dev/null
  echo "$1/prefix/bin"
}
# demo_fixture BIN DIR: demo data and a published bundle in DIR (`trainer demo`, demo scale).
demo_fixture() {
  "$1/trainer" demo --out "$2" > "$2.log" 2>&1 || { tail -n 20 "$2.log" >&2; return 1; }
}
# A numeric column every demo bundle needs (the tests rename it, or spoil its value).
needed=AKT_DAT_KL
# spoil FILE LINE: FILE with the word "abc" in column $needed of line LINE (an error row).
spoil() {
  awk -F';' -v OFS=';' -v line="$2" -v name="$needed" \
    'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) column = i } NR == line { $column = "abc" } { print }' "$1"
}
