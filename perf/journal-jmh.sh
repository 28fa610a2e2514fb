#!/usr/bin/env bash
# Runs the journal benchmarks the way perf/results/journal-jmh.md was produced. Each append case runs the
# plain FileChannel reference, then the PartitionLog, then the reference again (A-B-A), each after a sync, so
# that drift in a shared machine's disk shows up as a gap between the two reference runs instead of as a
# difference between log and reference. JSON results go to perf/target/jmh/.
# Usage: perf/journal-jmh.sh [extra JMH options]   (from the repository root, after building perf)
set -euo pipefail
jar=perf/target/benchmarks.jar
out=perf/target/jmh
mkdir -p "$out"
run() { sync; java -Xmx256m -jar "$jar" -f 1 -wi 2 -w 2s -i 3 -r 3s -prof gc "$@"; }

for size in 1024 16384; do
  for n in 0 1 8 64; do
    params=(-p batchBytes=$size -p forceEvery=$n)
    run FileChannelAppendBenchmark "${params[@]}" -rf json -rff "$out/plain-$size-$n-a.json" "$@"
    run PartitionLogAppendBenchmark "${params[@]}" -rf json -rff "$out/log-$size-$n.json" "$@"
    run FileChannelAppendBenchmark "${params[@]}" -rf json -rff "$out/plain-$size-$n-b.json" "$@"
  done
done
run 'FileChannelReadBenchmark|PartitionLogReadBenchmark' -rf json -rff "$out/read.json" "$@"
run 'BatchValidationBenchmark' -rf json -rff "$out/validation.json" "$@"
