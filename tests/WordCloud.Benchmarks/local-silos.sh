# Sourced by load-local.sh and produce-local.sh (set $name first): a folder for the logs, `log`, and `start_silos N
# [SILO-ARGS...]`, which starts silos 0..N-1 of the localhost cluster from the Release build on their fixed ports
# (11111+, 30000+, 8080+) and waits until each says it is up. The silos are stopped when the script exits, however
# it exits.
logs=$(mktemp -d -t "orleanscloud-$name-XXXXXX")
pids=()
log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$*" >&2; }
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  log "silos stopped; the logs are in $logs"
}
trap stop_all INT TERM EXIT

start_silos() {
  local count=$1 instance
  shift
  for ((instance = 0; instance < count; instance++)); do
    dotnet Silo/bin/Release/net10.0/WordCloud.Silo.dll --instance "$instance" "$@" >"$logs/silo$instance.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 240); do
      grep -q "Silo $instance is up" "$logs/silo$instance.log" && break
      kill -0 "${pids[-1]}" 2>/dev/null || { log "silo $instance exited; see $logs/silo$instance.log"; exit 1; }
      sleep 0.25
    done
    grep -q "Silo $instance is up" "$logs/silo$instance.log" || { log "silo $instance did not start within 60 s"; exit 1; }
    log "silo $instance is up (pid ${pids[-1]}) $*"
  done
}
