#!/usr/bin/env bash
# Builds the bench module and runs the notebooks benchmark (start of a compute instance to its first proxied 200;
# kernel WebSocket round trip through the proxy against a direct connection); arguments go to NotebooksBenchmark
# (--starts N, --messages N). Needs Debian's jupyter-notebook or python3-jupyter-server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.NotebooksBenchmark "$@"
