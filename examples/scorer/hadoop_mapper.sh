#!/bin/sh
# Hadoop Streaming mapper: scores its input split through `scorer --stdin`.
#
# Hadoop hands a map task its split on stdin, lines without the file's header (only the first
# split holds it), in the task's working directory, where `-files` put the shipped files:
#   scorer        the scorer binary
#   header.csv    the input's header line (hadoop_streaming.sh writes it)
#   $BUNDLE       the bundle (-cmdenv BUNDLE=NAME; default: the one *.bundle file here)
#
# The scorer needs the header first, so it is prepended (and dropped from the split when the
# split holds it); the scorer's answer header is dropped, so the parts concatenate. Error rows
# (LNR;error;MESSAGE) are data: they stay in the output, and their count goes to the job's
# counters (prospector/error_rows). The mapper exits with the scorer's code: non-zero (a column
# the bundle needs is missing, an unreadable bundle) fails the task with the scorer's message on
# stderr; an empty split exits 0 with no output.
set -u
scorer=${SCORER:-./scorer}
header=${HEADER_FILE:-./header.csv}
bundle=${BUNDLE:-}
if [ -z "$bundle" ]; then
  set -- ./*.bundle
  [ $# -eq 1 ] && [ -f "$1" ] || { echo "hadoop_mapper.sh: ship one *.bundle with -files, or set -cmdenv BUNDLE=NAME" >&2; exit 66; }
  bundle=$1
fi
[ -s "$header" ] || { echo "hadoop_mapper.sh: no header file $header (ship it with -files)" >&2; exit 66; }

# The scorer's exit code comes back on descriptor 3 (POSIX sh has no pipefail).
status=$(
  {
    {
      cat "$header"
      # The split's lines, without the header line itself (awk reads the header file first).
      awk 'NR == FNR { header = $0; next } $0 != header' "$header" -
    } | {
      "$scorer" --bundle "$bundle" --stdin --log-level error
      echo $? >&3
    } | awk '
      NR == 1 { if ($0 != "LNR;segment;segment_label;probability") print > "/dev/stderr"; next }
      { split($0, f, ";"); if (f[2] == "error") errors++; print }
      END { if (errors) print "reporter:counter:prospector,error_rows," errors > "/dev/stderr" }'
  } 3>&1 >&4
) 4>&1
exit "${status:-70}"
