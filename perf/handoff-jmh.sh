#!/usr/bin/env bash
# Builds the perf module and runs the shard hand-off and native-codec benchmarks the way
# perf/results/handoff-jmh.md was produced: one fork each, -prof gc, about 4 minutes of benchmarks on 2 cores
# (plus the build). The load average is printed before and after each set, since on a shared machine it says
# how far to trust the figures. Output goes to perf/target/jmh/ (JSON per set, and handoff-jmh.log).
# Usage: perf/handoff-jmh.sh [--no-build] [extra JMH options]   (from the repository root)
set -euo pipefail
build=1
if [[ "${1:-}" == "--no-build" ]]; then
  build=0
  shift
fi
jar=perf/target/benchmarks.jar
out=perf/target/jmh
if (( build )); then
  # offline first: everything is normally in ~/.m2 already; online only if something is missing
  mvn -q -B -o -pl perf -am package -DskipTests || mvn -q -B -pl perf -am package -DskipTests
fi
mkdir -p "$out"

load() { echo "load ($1): $(cut -d' ' -f1-3 /proc/loadavg)"; }
run() { java -Xmx256m -jar "$jar" -f 1 -prof gc "$@"; }

{
  echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); kernel $(uname -r)"
  java -Xmx64m -version 2>&1 | head -1
  load "before throughput"
  run 'HandoffThroughputBenchmark' -wi 2 -w 2s -i 3 -r 3s -rf json -rff "$out/handoff-throughput.json" "$@"
  load "after throughput"
  run 'HandoffRoundTripBenchmark' -wi 2 -w 2s -i 3 -r 3s -rf json -rff "$out/handoff-round-trip.json" "$@"
  load "after round trip"
  run 'NativeCodecBenchmark' -wi 2 -w 1s -i 3 -r 1s -rf json -rff "$out/native-codecs.json" "$@"
  load "after codecs"
} 2>&1 | tee "$out/handoff-jmh.log"
