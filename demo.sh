#!/usr/bin/env bash
# Starts the whole OrleansCloud demo on this machine: two silos (localhost clustering, in-memory storage), a
# producer pushing the demo feed into a topic, and a scanner printing the topic's top words every 5 s; the live
# word cloud page is on every silo.
# Ctrl-C stops everything. Logs of each process are kept in a folder named at start.
#   ./demo.sh                        topic beer, the demo feed
#   ./demo.sh coffee                 another topic
#   ./demo.sh --live [topic]         the real conversation: public posts on Bluesky (Jetstream)
#   ./demo.sh --live mastodon [topic]  public posts on mastodon.social
# When the live feed cannot be reached, it says so in one line and runs on the demo feed instead.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '%s demo: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

live=""
if [ "${1:-}" = "--live" ]; then
  shift
  live=bluesky
  case "${1:-}" in
    bluesky|mastodon) live=$1; shift ;;
  esac
fi
topic=${1:-beer}
logs=$(mktemp -d -t orleanscloud-demo-XXXXXX)
pids=()

# True when a TCP connection to host:port opens within 5 s (name lookup included).
reachable() { timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

source_args=()
source_text="one demo post about #$topic every 2 s"
case "$live" in
  bluesky)
    if reachable jetstream2.us-east.bsky.network 443; then
      source_args=(--source jetstream)
      source_text="public Bluesky posts tagged #$topic, live from Jetstream"
    else
      log "Bluesky Jetstream (jetstream2.us-east.bsky.network:443) cannot be reached from here; using the demo feed instead"
    fi ;;
  mastodon)
    if reachable mastodon.social 443; then
      source_args=(--source mastodon)
      source_text="public posts tagged #$topic on mastodon.social, polled every 10 s"
    else
      log "mastodon.social:443 cannot be reached from here; using the demo feed instead"
    fi ;;
esac

stop_all() {
  trap - INT TERM EXIT
  log "stopping the scanner, the producer and the silos"
  # SIGTERM: every process shuts down gracefully on it (background jobs of a script ignore SIGINT).
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  log "stopped; logs are in $logs"
}
trap stop_all INT TERM EXIT

wait_for() { # file, text, what
  for _ in $(seq 1 240); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.25
  done
  log "error: $3 did not start; see $1"
  tail -n 20 "$1" >&2
  exit 1
}

log "building (Release)"
dotnet build OrleansCloud.sln -c Release -nologo -v quiet
silo=Silo/bin/Release/net10.0/WordCloud.Silo.dll
client=Client/bin/Release/net10.0/WordCloud.Client.dll

for instance in 0 1; do
  dotnet "$silo" --instance "$instance" >"$logs/silo$instance.log" 2>&1 &
  pids+=($!)
  wait_for "$logs/silo$instance.log" "Silo $instance is up" "silo $instance"
  log "silo $instance is up: gateway 127.0.0.1:$((30000 + instance)), dashboard http://127.0.0.1:$((8080 + instance))/dashboard"
done

dotnet "$client" produce --topic "$topic" "${source_args[@]}" >"$logs/producer.log" 2>&1 &
pids+=($!)
log "producer: $source_text (log: $logs/producer.log)"

log "word cloud: http://127.0.0.1:8080/cloud/$topic   topics: http://127.0.0.1:8080/   Orleans Dashboard: http://127.0.0.1:8080/dashboard"
log "Ctrl-C stops everything"
log "scanner: the top words of #$topic every 5 s"
# The scanner's log lines only: its spans stay in its log file.
dotnet "$client" scan --topic "$topic" > >(tee "$logs/scanner.log" | grep --line-buffered -E '^[0-9T:.Z-]+ (INFO|WARN|ERROR|FATAL)') 2>&1 &
pids+=($!)
wait "${pids[-1]}" || true
