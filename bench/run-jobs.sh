#!/usr/bin/env bash
# Builds the bench module and runs the jobs benchmark (submission-to-start latency, snapshot upload
# throughput); arguments go to JobsBenchmark (--jobs N, --small-files N, --large-mb N).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.JobsBenchmark "$@"
