#!/usr/bin/env bash
# Builds the bench module and runs the batch endpoints benchmark (issue 15): 1,000,000 rows x 10 features in 20 CSV
# files scored by a no-code ONNX batch deployment through a server process, invoke -> Completed, rows/s and the
# server's peak RSS; arguments go to BatchBenchmark (--rows N, --files N, --mini-batch-size N, --concurrency N,
# --output-action append_row|summary_only, --jfr FILE: the server records a Java Flight Recording there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.BatchBenchmark "$@"
