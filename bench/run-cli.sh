#!/usr/bin/env bash
# Times what a person waits for at the command line: `./atelier --version`, `./atelier experiments list` against a running
# server, and a server's second start (same data folder) to the first 200 on /health. Each through the real launcher,
# as a user runs it, N times (default 10; first argument). Prints a markdown table of the median and range of wall time
# and of the process's CPU time (user + system, from /usr/bin/time), and the load average, to standard output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-10}"
work="$(mktemp -d)"
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
./atelier --version >/dev/null          # builds the distribution and the command line's start-up cache when needed
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

start_server() {   # sets started_ms: the milliseconds from launch to the first 200 on /health
  local begin now
  begin=$(date +%s%N)
  ./atelier server --port "$port" --data-dir "$work/data" >>"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -sf "$url/health" >/dev/null 2>&1; do sleep 0.01; done
  now=$(date +%s%N)
  started_ms=$(( (now - begin) / 1000000 ))
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

start_server; stop_server    # the first start creates the data folder and the server's class-data archive
starts=()
for _ in $(seq "$runs"); do start_server; starts+=("$started_ms"); stop_server; done
start_server
./atelier experiments create bench-cli --url "$url" >/dev/null

measure() {   # runs the command $runs times; prints "wall_ms cpu_ms" lines
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1
    awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$work/time"
  done
}
summary() {   # median (min–max) of a column of numbers on standard input
  sort -n | awk '{v[NR] = $1} END {printf "%d ms (%d–%d)", v[int((NR + 1) / 2)], v[1], v[NR]}'
}
row() {
  local name="$1"; shift
  measure "$@" > "$work/m"
  echo "| $name | $(cut -d' ' -f1 "$work/m" | summary) | $(cut -d' ' -f2 "$work/m" | summary) |"
}
echo "| what (${runs} runs each) | wall: median (min–max) | CPU user+sys: median (min–max) |"
echo "|---|---|---|"
row '`./atelier --version`' ./atelier --version
row '`./atelier experiments list` (a running server)' ./atelier experiments list --url "$url"
row '`./atelier job list -o json` (a running server)' ./atelier job list -o json --url "$url"
echo "| server's second start → first 200 on \`/health\` | $(printf '%s\n' "${starts[@]}" | summary) | — |"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); JDK: $(sed -n 's/^java_home=//p' atelier-cli/target/launcher.state)"
