#!/usr/bin/env bash
# Builds the bench module and runs the pipelines benchmark (issue 14): per-step scheduling overhead of a chain of no-op
# steps, a fan-out of 1-second steps on local with concurrency 2, the reuse check of a whole pipeline; arguments go to
# PipelinesBenchmark (--chain N, --fan-out N).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.PipelinesBenchmark "$@"
