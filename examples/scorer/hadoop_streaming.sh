#!/bin/sh
# Scoring with Hadoop Streaming: a map-only job whose mapper (hadoop_mapper.sh) pipes each input
# split through `scorer --stdin`. Answers stay in input order within each output part.
#
#   hadoop_streaming.sh IN OUT [BUNDLE]     # BUNDLE defaults to /srv/prospector/models/current
#
# Shipped with -files: the mapper, the scorer binary, the bundle (`current` resolved first, so
# every task scores with the same bundle) and the input's header line. A task whose scorer
# exits non-zero fails (and so the job, after Hadoop's retries); error rows are output lines
# `LNR;error;MESSAGE`, counted in the job counter prospector/error_rows. Streaming splits each
# answer into key and value at the first ';' and the output format joins them with ';' again, so
# the output lines are the scorer's lines (with its default tab, each line would end in a tab).
set -eu
IN=$1 OUT=$2
BUNDLE=$(readlink -f "${3:-/srv/prospector/models/current}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The header of the input (its first file's first line).
hadoop fs -cat "$IN" | head -n 1 > "$work/header.csv"
hadoop jar "$HADOOP_HOME"/share/hadoop/tools/lib/hadoop-streaming-*.jar \
    -D mapreduce.job.reduces=0 \
    -D stream.map.output.field.separator=';' -D mapreduce.output.textoutputformat.separator=';' \
    -files "$here/hadoop_mapper.sh,/usr/local/lib/prospector/scorer,$BUNDLE,$work/header.csv" \
    -cmdenv BUNDLE="$(basename "$BUNDLE")" \
    -input "$IN" -output "$OUT" -mapper hadoop_mapper.sh
