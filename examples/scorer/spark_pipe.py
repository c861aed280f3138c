#!/usr/bin/env python3
"""Scoring a Spark RDD of MAILOUT-shaped CSV lines through `scorer --stdin` with RDD.pipe.

    spark-submit --files /usr/local/bin/scorer,/srv/prospector/models/current#bundle spark_pipe.py IN OUT

Each partition starts one scorer process: the partition's lines go to its stdin, its stdout
lines come back as the result partition. The scorer needs the header as its first line, so it
is prepended to every partition; the answer header each partition returns is dropped again.
Answers keep the input order within a partition, one line per row.
"""
import itertools
import sys

from pyspark import SparkContext

sc = SparkContext(appName="prospector-scoring")
lines = sc.textFile(sys.argv[1])
header = lines.first()
rows = lines.filter(lambda line: line != header)

answers = (
    rows.mapPartitions(lambda part: itertools.chain([header], part))
    .pipe("./scorer --bundle ./bundle --stdin --log-level error")
    .filter(lambda line: not line.startswith("LNR;segment;"))
)
answers.saveAsTextFile(sys.argv[2])
