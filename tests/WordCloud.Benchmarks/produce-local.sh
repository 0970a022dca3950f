#!/usr/bin/env bash
# Measures `WordCloud.Client produce --file` against a fresh localhost cluster of the Release build, then the Python
# baseline (baseline/manager_list.py) on the same posts, and prints both rates and their ratio: the figures of
# BENCHMARKS.md, "Producing from a file". Build first: dotnet build OrleansCloud.sln -c Release
#   tests/WordCloud.Benchmarks/produce-local.sh [--posts N] [--runs R] [--window W] [--silos S] -- PRODUCE-OPTIONS...
#   tests/WordCloud.Benchmarks/produce-local.sh -- --batch 100 --in-flight 4
# The posts file (N demo posts about #beer, one per line; 2,000,000 by default) is written once and kept in
# ${WORDCLOUD_BENCH_DIR:-/tmp/orleanscloud-bench}. Each run sends the whole file into a topic of its own, with the
# client's traces sampled at 1% as the load command does (OTEL_TRACES_SAMPLER; set it to choose otherwise). The silos
# use the fixed ports of instances 0..S-1 (11111+, 30000+, 8080+): nothing else may hold them. PRODUCE_WRAPPER, if
# set, goes before each client command (such as "/usr/bin/time -f %U+%S" or "perf record -g").
set -euo pipefail
cd "$(dirname "$0")/../.."
posts=2000000
runs=1
window=1000
silos=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --posts) posts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --silos) silos=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "produce-local.sh: unknown option '$1' (options: --posts N, --runs R, --window W, --silos S, then -- and the produce options)" >&2; exit 2 ;;
  esac
done

dir=${WORDCLOUD_BENCH_DIR:-/tmp/orleanscloud-bench}
mkdir -p "$dir"
file="$dir/posts-$posts.txt"
bench=tests/WordCloud.Benchmarks/bin/Release/net10.0
[[ -f $file ]] || dotnet "$bench/WordCloud.Benchmarks.dll" posts "$file" "$posts"

name=produce-local
# shellcheck source=tests/WordCloud.Benchmarks/local-silos.sh
source tests/WordCloud.Benchmarks/local-silos.sh
start_silos "$silos" --WordWindow:Capacity "$window"

export OTEL_TRACES_SAMPLER=${OTEL_TRACES_SAMPLER:-parentbased_traceidratio}
export OTEL_TRACES_SAMPLER_ARG=${OTEL_TRACES_SAMPLER_ARG:-0.01}
# A warm-up run of 200,000 posts into a topic of its own, not measured: the silos' first seconds are slower
# (connections, activations, the code of the message path), as the load command's --warmup allows for.
${PRODUCE_WRAPPER:-} dotnet Client/bin/Release/net10.0/WordCloud.Client.dll produce --topic "produce$(date +%s)warmup" --file "$file" --count 200000 --no-progress "$@" >"$logs/warmup.log" 2>&1 \
  || { log "the warm-up run failed; see $logs/warmup.log"; tail -5 "$logs/warmup.log" >&2; exit 1; }
rates=()
for ((run = 1; run <= runs; run++)); do
  topic="produce$(date +%s)r$run"
  ${PRODUCE_WRAPPER:-} dotnet Client/bin/Release/net10.0/WordCloud.Client.dll produce --topic "$topic" --file "$file" --no-progress "$@" >"$logs/produce$run.log" 2>&1 \
    || { log "produce run $run failed; see $logs/produce$run.log"; tail -5 "$logs/produce$run.log" >&2; exit 1; }
  summary=$(grep '^produce: ' "$logs/produce$run.log")
  echo "$summary"
  rates+=("$(sed -E 's/.* rate=([0-9.]+) posts\/s.*/\1/' <<<"$summary")")
done

python=$(python3 "$bench/baseline/manager_list.py" --posts "$file" --capacity "$window" --seconds 5)
python_rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["posts_per_second"])' "$python")
for rate in "${rates[@]}"; do
  python3 -c 'import sys; r, p = float(sys.argv[1]), float(sys.argv[2]); print(f"produce --file: {r:,.0f} posts/s; Python baseline: {p:,.0f} posts/s; ratio {r / p:.1f}x")' "$rate" "$python_rate"
done
