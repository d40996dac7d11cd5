#!/usr/bin/env bash
# Start-up cost per command of the sandbox transport: plain `sh -c true` (transport local) vs the same command
# through bubblewrap + setpriv exactly as Conveyor's Sandbox builds it (a read-only /, emptied data dir and working
# folder, a private /tmp, the root bound writable, uid switch with no capabilities).
#
#   sudo benchmarks/sandbox-bench.sh   (--smoke: 20 runs per variant; the build runs it so)
#
# Environment: BENCH_RUNS (1000 per variant), BENCH_UID (60999). Needs root, bwrap (Debian bubblewrap) and
# setpriv (util-linux). Prints the machine, the load, and mean/p50/p95/p99 per variant in milliseconds.
set -euo pipefail
if [ "${1:-}" = --smoke ]; then RUNS=${BENCH_RUNS:-20}; else RUNS=${BENCH_RUNS:-1000}; fi
SANDBOX_UID=${BENCH_UID:-60999}
WORK=$(mktemp -d /tmp/cvybench-sandbox.XXXXXX)
DATA=$WORK/data
ROOT=$DATA/hosts/dev-bench
mkdir -p "$ROOT" "$WORK/app"
chown "$SANDBOX_UID:$SANDBOX_UID" "$ROOT"
chmod 0700 "$ROOT"
trap 'rm -rf "$WORK"' EXIT

[ "$(id -u)" = 0 ] || { echo "run as root (the sandbox switches uids)" >&2; exit 1; }
command -v bwrap >/dev/null || { echo "apt-get install bubblewrap" >&2; exit 1; }

plain=(sh -c true)
# Mirrors org.cnx.conveyor.transport.Sandbox#argv.
sandboxed=(bwrap --ro-bind / / --dev /dev --proc /proc --unshare-ipc --new-session
    --perms 1777 --tmpfs /tmp --perms 0755 --tmpfs "$WORK/app" --perms 0755 --tmpfs "$DATA" --perms 0755 --dir "$DATA/hosts"
    --bind "$ROOT" "$ROOT" --chdir "$ROOT" --cap-add CAP_SETUID,CAP_SETGID,CAP_SETPCAP --
    setpriv --reuid="$SANDBOX_UID" --regid="$SANDBOX_UID" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs --
    sh -c true)

measure() { # name, command...: one line of figures
    local name=$1
    shift
    local file=$WORK/${name// /_}.us
    for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null; done   # warm-up: page cache, binaries
    for ((i = 0; i < RUNS; i++)); do
        local start=${EPOCHREALTIME/./}   # microseconds, without forking a clock process
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$ROOT" "$@" >/dev/null
        echo $((${EPOCHREALTIME/./} - start)) >>"$file"
    done
    sort -n "$file" | awk -v name="$name" -v runs="$RUNS" '
        { v[NR] = $1; sum += $1 }
        END { printf "| %s | %d | %.2f | %.2f | %.2f | %.2f |\n", name, runs, sum / NR / 1e3,
              v[int(NR * 0.50)] / 1e3, v[int(NR * 0.95)] / 1e3, v[int(NR * 0.99)] / 1e3 }'
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r), $(bwrap --version), setpriv $(setpriv --version | awk '{print $NF}')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: BENCH_RUNS=$RUNS $0"
echo
echo "| variant | runs | mean ms | p50 ms | p95 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
measure "sh -c true (local)" "${plain[@]}"
measure "bwrap + setpriv + sh -c true (sandbox)" "${sandboxed[@]}"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
