#!/usr/bin/env bash
# Builds the bench module and runs the charts-view benchmark; arguments go to ChartsBenchmark
# (--runs, --metrics, --steps, --samples, --work-dir). The markdown table goes to standard output,
# progress to standard error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.ChartsBenchmark "$@"
