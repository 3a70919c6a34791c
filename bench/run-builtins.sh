#!/usr/bin/env bash
# Builds the bench module and runs the designer's built-in components on 1,000,000 rows x 10 columns (issue 18), each in
# a new JVM as its pipeline step runs it; arguments go to BuiltinsBenchmark (--rows N, --work-dir DIR, --components a,b).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.BuiltinsBenchmark "$@"
