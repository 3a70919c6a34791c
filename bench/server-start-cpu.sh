#!/usr/bin/env bash
# Starts the server (dev.atelier.bench.BenchServer, the options of scripts/jvm.options plus any given) on a data folder
# and prints the wall time and the server process's CPU time (user + system, from /proc) from launch to the first 200
# on /health, then stops it. Linux only; needs curl. Build first: ./mvnw -q -B -DskipTests -pl bench -am package
#   bench/server-start-cpu.sh DATA_DIR [JVM OPTION...]
# e.g. bench/server-start-cpu.sh /tmp/s1 -XX:SharedArchiveFile=/tmp/s.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/find-jdk.sh >/dev/null
dir=$1
shift
mkdir -p "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
read -r -a options <<< "$(grep -v '^[[:space:]]*\(#\|$\)' scripts/jvm.options | tr '\n' ' ')"
fifo="$dir/.stdin"
rm -f "$fifo"
mkfifo "$fifo"
tail -f /dev/null > "$fifo" &
holder=$!
started=$(date +%s%N)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${options[@]}" "$@" -cp "bench/target/atelier-bench.jar:bench/target/lib/*" \
  dev.atelier.bench.BenchServer "$port" "$dir" < "$fifo" > "$dir/start.log" 2>&1 &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
  kill -0 "$server" 2>/dev/null || { echo "the server exited; see $dir/start.log" >&2; exit 1; }
  sleep 0.02
done
answered=$(date +%s%N)
read -r -a stat < "/proc/$server/stat"
echo "wall $(( (answered - started) / 1000000 )) ms, CPU $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) )) ms," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $(grep STARTUP "$dir/start.log" | tail -n 1)"
kill "$holder"   # closes the server's standard input: it stops
wait "$server" || true
rm -f "$fifo"
