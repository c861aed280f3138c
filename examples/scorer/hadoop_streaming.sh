#!/bin/sh
# Scoring with Hadoop Streaming: each map task pipes its split through `scorer --stdin`.
# The scorer needs the CSV header first, so the mapper is a tiny wrapper that prints the
# header, then the split's lines (the header line itself, if the split holds it, is skipped).
# Map-only (no reducers): answers stay in input order within each output part.
set -eu
IN=$1 OUT=$2
HEADER=$(hadoop fs -cat "$IN" | head -n 1)
cat > mapper.sh <<MAPPER
#!/bin/sh
{ printf '%s\n' '$HEADER'; grep -v '^LNR;'; } | ./scorer --bundle ./bundle --stdin --log-level error | grep -v '^LNR;segment;'
MAPPER
chmod +x mapper.sh
hadoop jar "$HADOOP_HOME"/share/hadoop/tools/lib/hadoop-streaming-*.jar \
    -D mapreduce.job.reduces=0 \
    -files mapper.sh,/usr/local/bin/scorer,/srv/prospector/models/current#bundle \
    -input "$IN" -output "$OUT" -mapper mapper.sh
