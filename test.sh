#!/usr/bin/env bash
# Runs every OrleansCloud test: unit, Orleans test-cluster and end-to-end (real silo and client processes).
# Installs what the tests need first, so it works on a fresh Debian machine where it runs as root.
#   ./test.sh                 all tests, Release build
#   ./test.sh --filter NAME   only tests whose name contains NAME (passed to dotnet test --filter)
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '%s test.sh: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

install_prerequisites() {
  if ! command -v dotnet >/dev/null 2>&1; then
    log "error: the .NET SDK 10 is not installed (dotnet is not on PATH); install it from Microsoft's packages first"
    exit 1
  fi
  # npm installs the page's d3-cloud during the build; Debian's Chromium runs the browser tests (Playwright
  # drives it through CHROMIUM_PATH; it never downloads a browser); the Redis cluster tests start their own
  # redis-server on a free loopback port.
  local packages=()
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || packages+=(chromium)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  # The silo normalises words with ICU (Unicode NFC); the .NET packages usually bring it.
  ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' || packages+=(libicu72)
  # The load benchmark's smoke test runs the Python baseline (standard library only).
  command -v python3 >/dev/null 2>&1 || packages+=(python3)
  # The metrics test checks the silo's scrape with Prometheus' own promtool (Debian ships it in prometheus).
  command -v "${PROMTOOL_PATH:-promtool}" >/dev/null 2>&1 || packages+=(prometheus)
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing Debian packages: ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
}

filter=()
if [ "${1:-}" = "--filter" ] && [ -n "${2:-}" ]; then
  filter=(--filter "FullyQualifiedName~$2")
fi

install_prerequisites
log "dotnet $(dotnet --version); building OrleansCloud.sln (Release)"
dotnet build OrleansCloud.sln -c Release -nologo -v quiet

results=$(mktemp)
trap 'rm -f "$results"' EXIT
log "running the tests"
set +e
# One test project at a time (-m:1), in the solution's order: the AppHost test starts a whole cluster of its own, and
# beside the end-to-end tests' silos on 2 cores it starved them past their start timeouts.
# A test that hangs is stopped after 10 minutes and named, rather than holding the run until CI's limit.
dotnet test OrleansCloud.sln -c Release --no-build -nologo -m:1 --blame-hang-timeout 10m "${filter[@]}" 2>&1 | tee "$results"
status=${PIPESTATUS[0]}
set -e

# One closing line for all test assemblies together.
passed=$(grep -oE 'Passed: +[0-9]+' "$results" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$results" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$results" | awk '{s+=$2} END {print s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; then
  log "FAILED (dotnet test exit code $status)"
  exit 1
fi
log "all tests passed"
