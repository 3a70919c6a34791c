#!/usr/bin/env bash
# Builds the bench module and runs the tracking benchmark; arguments go to TrackingBenchmark
# (--postgres for an embedded PostgreSQL, --quick for a short check, --help for the rest).
# With --server-cpu first it runs ServerCpuBenchmark instead: the server's CPU time per runs/create
# with two tags and per runs/search page with tag, param and attribute filters (--search-runs, --runs,
# --samples, --clients, --postgres apply).
# The markdown table goes to standard output, progress to standard error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -DskipTests -pl bench -am package >&2
main=dev.atelier.bench.TrackingBenchmark
if [ "${1:-}" = --server-cpu ]; then
  main=dev.atelier.bench.ServerCpuBenchmark
  shift
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" "$main" "$@"
