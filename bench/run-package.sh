#!/usr/bin/env bash
# Builds the bench module and runs the model package benchmark; arguments go to PackageBenchmark
# (--starts, --requests, --work-dir; the packages' ONNX Runtime cache goes to <work-dir>/cache). The markdown table goes
# to standard output, progress to standard error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.PackageBenchmark "$@"
