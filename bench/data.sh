#!/usr/bin/env bash
# Builds the bench module and runs the data benchmark (upload/download of a large file through the
# server to the local datastore and to S3Proxy, against a copy on the same disk); arguments go to
# DataBenchmark (--quick for 128 MiB instead of 1 GiB, --size-mib N, --work-dir DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.DataBenchmark "$@"
