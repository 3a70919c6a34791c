#!/usr/bin/env bash
# Builds the bench module and runs AutoML against a default XGBoost and a default random forest on the tables Debian's
# scikit-learn ships (issue 16), by repeated stratified k-fold over each whole table (the same folds for every method);
# arguments go to AutoMlBenchmark (--budget-minutes M, --folds K, --repeats R, --datasets a,b, --work-dir DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -o -DskipTests -pl bench -am package >&2
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "bench/target/atelier-bench.jar:bench/target/lib/*" dev.atelier.bench.AutoMlBenchmark "$@"
