#!/usr/bin/env bash
# Runs the load command against a fresh localhost cluster of the Release build and stops the cluster afterwards:
# the way every load figure in BENCHMARKS.md was taken. Build first: dotnet build OrleansCloud.sln -c Release
#   tests/WordCloud.Benchmarks/load-local.sh [--silos N] [--silo-arg ARG]... -- LOAD-OPTIONS...
#   tests/WordCloud.Benchmarks/load-local.sh -- --producers 8 --in-flight 2 --topics 1 --duration 20s
#   tests/WordCloud.Benchmarks/load-local.sh --silo-arg --WordWindow:Capacity --silo-arg 100000 -- --topics 1
# With --silos 1 the load command is pointed at that silo's gateway only. Silo logs are kept in a folder named at
# the end, and which silo hosted each window is in them ("Window … activated"). The silos use the fixed ports of
# instances 0..N-1 (11111+, 30000+, 8080+): nothing else may hold them.
set -euo pipefail
cd "$(dirname "$0")/../.."
silos=2
silo_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --silo-arg) silo_args+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "load-local.sh: unknown option '$1' (options: --silos N, --silo-arg ARG, then -- and the load options)" >&2; exit 2 ;;
  esac
done

name=load-local
# shellcheck source=tests/WordCloud.Benchmarks/local-silos.sh
source tests/WordCloud.Benchmarks/local-silos.sh
start_silos "$silos" "${silo_args[@]}"

gateway=()
[[ $silos == 1 ]] && gateway=(--gateway 127.0.0.1:30000)
# The top-50 cloud is read over HTTP from every silo, each timed apart: the one hosting the window is the busier.
clouds=()
for ((instance = 0; instance < silos; instance++)); do clouds+=(--cloud-url "http://127.0.0.1:$((8080 + instance))"); done
dotnet tests/WordCloud.Benchmarks/bin/Release/net10.0/WordCloud.Benchmarks.dll load "${gateway[@]}" "${clouds[@]}" "$@"
