#!/usr/bin/env bash
# Runs the replicas harness as a load generator (ReplicaBench, in atelier-server's test code): throughput of MLflow
# runs/create, log-batch and search through a round-robin balancer with 1, 2 and 3 servers on one PostgreSQL and one
# S3Proxy, fail-over time after a replica is SIGKILLed, recovery time after a PostgreSQL restart, then a soak.
# Arguments go to ReplicaBench: --clients N (16), --seconds N (20 per measurement), --soak-clients N (200),
# --soak-seconds N (600; 0 skips the soak). Prints a Markdown report.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh
./mvnw -q -B -DskipTests -pl atelier-server -am install >&2
./mvnw -q -B -pl atelier-server dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/replicas-bench.classpath >&2
exec "$JAVA_HOME/bin/java" -Xmx1g \
  -cp "atelier-server/target/test-classes:atelier-server/target/classes:$(cat atelier-server/target/replicas-bench.classpath)" \
  dev.atelier.server.replicas.ReplicaBench "$@"
