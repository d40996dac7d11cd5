#!/usr/bin/env bash
# Rollouts through a real haproxy: failed requests, p99 latency and wall time of an all-at-once deploy and
# rollback, a rolling deploy and rollback (one host per batch) and a rolling deploy in 25% batches, under the
# same load (4 clients looping GET /health through haproxy), on 4 and 16 local instances of the sample webview.
# Usage: benchmarks/rollout-bench.sh            (BENCH_HOSTS=4,16 by default)
#        benchmarks/rollout-bench.sh --smoke    (2 hosts: checks that the script still works, in about a minute)
set -euo pipefail
if [ "${1:-}" = "--smoke" ]; then
    BENCH_HOSTS=2
fi
cd "$(dirname "$0")/.."
command -v haproxy >/dev/null || { apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(haproxy -v | head -1)"
./mvnw -B -q test-compile
out=$(mktemp /tmp/rollout-bench.XXXXXX)
# The rows are the test's lines; when the test fails, its own report says why.
if ! ./mvnw -B surefire:test@default-test -Dtest=RolloutBenchTest -Dbench.rollout=true \
    -Dbench.hosts="${BENCH_HOSTS:-4,16}" | tee "$out" | grep '^rollout-bench' | sed 's/^rollout-bench //'; then
    echo "RolloutBenchTest failed:" >&2
    grep -E '^\[ERROR\]|Exception|expected' "$out" | head -40 >&2
    exit 1
fi
rm -f "$out"
echo "reproduce: BENCH_HOSTS=${BENCH_HOSTS:-4,16} benchmarks/rollout-bench.sh"
