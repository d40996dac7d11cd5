#!/usr/bin/env bash
# Deploy and rollback of a 3-component release (api, web, worker) to BENCH_HOSTS loopback sshd hosts,
# in one run, on the same hosts: Conveyor vs raw parallel ssh vs an Ansible playbook.
#
#   sudo benchmarks/deploy-bench.sh    (--smoke: 2 hosts, one round, no waiting for a quiet machine)
#
# Environment: CONVEYOR_JAR (default target/quarkus-app/quarkus-run.jar of this repository),
# BENCH_HOSTS (16), BENCH_REPEAT (3), BENCH_TOOLS ("conveyor raw ansible"), BENCH_LOGIN_COST (0; 1: each
# command a host starts pays an rc-file-like start-up cost, as on real hosts), BENCH_MAX_LOAD (2: before
# each round, wait up to BENCH_QUIET_WAIT=180 s for the 1-minute load to drop to it), BENCH_KEEP_HOSTS=1
# to leave the sshd hosts running. Results: a table on stdout, raw figures in $WORK/results.tsv. Besides wall time,
# each operation reports the CPU seconds the whole machine spent during it, and how many of them were Conveyor's own
# (its JVM and its embedded PostgreSQL): on loopback hosts sharing the machine's cores, that is what it costs the hosts.
#
# Each tool deploys under its own root on every host (/tmp/cvybench/hostNN/<tool>), so they never touch
# each other's services. Each tool first deploys version 1 (warm-up, not timed); each round then times a
# deploy of a new version 2.<round> (new artifacts: upload, checksum, unpack, install, switch, stop old,
# start new, health) and a rollback to version 1 (symlink switch back, restart, health).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/common.sh"
REPEAT=${BENCH_REPEAT:-$(sized 3 1)}
TOOLS=${BENCH_TOOLS:-conveyor raw ansible}
MAX_LOAD=${BENCH_MAX_LOAD:-2}
QUIET_WAIT=${BENCH_QUIET_WAIT:-$(sized 180 0)}
COMPONENTS=(api web worker)
WORK=$(mktemp -d /tmp/cvybench-deploy.XXXXXX)
RESULTS=$WORK/results.tsv
SSH_BASE=(-i "$KEY" -o UserKnownHostsFile="$KNOWN_HOSTS" -o StrictHostKeyChecking=yes -o BatchMode=yes
          -o ControlMaster=auto -o ControlPersist=60)

cleanup() {
    set +e
    stop_conveyor
    close_masters "$WORK/cp"
    if [ "${BENCH_KEEP_HOSTS:-0}" != 1 ]; then "$HERE/lib/hosts.sh" stop >/dev/null; fi
}
trap cleanup EXIT

# ---- the commands Conveyor runs (HostLayout / HostWork), as shell text ----
sq() { local s=${1//\'/\'\"\'\"\'}; printf "'%s'" "$s"; }
locked() { # root command
    printf "mkdir -p %s && if command -v flock >/dev/null 2>&1; then flock -o -w 900 %s sh -c %s; else sh -c %s; fi" \
        "$(sq "$1/.conveyor")" "$(sq "$1/.conveyor/lock")" "$(sq "$2")" "$(sq "$2")"
}
in_dir() { # root host component release version dir script
    printf "cd %s && env %s %s %s %s %s %s %s sh -c %s" "$(sq "$6")" "$(sq CONVEYOR_ENVIRONMENT=bench)" \
        "$(sq "CONVEYOR_HOST=$2")" "$(sq "CONVEYOR_COMPONENT=$3")" "$(sq "CONVEYOR_RELEASE=$4")" \
        "$(sq "CONVEYOR_VERSION=$5")" "$(sq "CONVEYOR_RELEASE_DIR=$1/$3/releases/$4")" \
        "$(sq "CONVEYOR_SHARED_DIR=$1/$3/shared")" "$(sq "$7")"
}
cmd_mkdir() { # root component
    printf "mkdir -p %s %s %s" "$(sq "$1/$2/releases")" "$(sq "$1/$2/shared")" "$(sq "$1/.conveyor/cache")"
}
upload_path() { echo "$1/.conveyor/cache/$2.tar.gz.upload-$3"; } # root sha tag
cmd_prepare() { # root host component release version sha upload
    local dir="$1/$3/releases/$4" cache="$1/.conveyor/cache/$6.tar.gz"
    printf "if echo %s | sha256sum -c --status; then mv -f %s %s; else rm -f %s; echo 'artifact checksum mismatch after transfer' >&2; exit 1; fi" \
        "$(sq "$6  $7")" "$(sq "$7")" "$(sq "$cache")" "$(sq "$7")"
    printf " && rm -rf %s %s && mkdir -p %s && tar -xzf %s -C %s && mv %s %s" "$(sq "$dir.unpacking")" "$(sq "$dir")" \
        "$(sq "$dir.unpacking")" "$(sq "$cache")" "$(sq "$dir.unpacking")" "$(sq "$dir.unpacking")" "$(sq "$dir")"
    printf " && (%s)" "$(in_dir "$1" "$2" "$3" "$4" "$5" "$dir" ./install.sh)"
    printf " && printf '%%s' %s > %s" "$(sq "$5 $6")" "$(sq "$dir/.conveyor-prepared")"
}
cmd_switch() { # root host component release version old_release old_version
    printf "ln -sfn %s %s && mv -T %s %s" "$(sq "releases/$4")" "$(sq "$1/$3/.current.next")" "$(sq "$1/$3/.current.next")" "$(sq "$1/$3/current")"
    [ -n "$6" ] && printf " && (%s)" "$(in_dir "$1" "$2" "$3" "$6" "$7" "$1/$3/releases/$6" ./stop.sh)"
    printf " && (%s)" "$(in_dir "$1" "$2" "$3" "$4" "$5" "$1/$3/current" ./start.sh)"
}
cmd_health() { # root host component release version
    in_dir "$1" "$2" "$3" "$4" "$5" "$1/$3/current" ./health.sh
}

root_of() { echo "$BENCH_DIR/$(host_name "$1")/$2"; } # index tool

# ---- artifacts ----
declare -A SHA
package_version() { # version
    "$HERE/lib/package.sh" "$WORK/artifacts" "$1"
    local c
    for c in "${COMPONENTS[@]}"; do SHA[$c-$1]=$(sha256sum "$WORK/artifacts/$c-$1.tar.gz" | cut -d' ' -f1); done
}
artifact() { echo "$WORK/artifacts/$1-$2.tar.gz"; }

# ---- checks (not timed): every host's current link and service ----
check_state() { # tool release
    local i c root bad=0
    for i in $(seq 1 "$BENCH_HOSTS"); do
        root=$(root_of "$i" "$1")
        for c in "${COMPONENTS[@]}"; do
            if [ "$(readlink "$root/$c/current")" != "releases/$2" ] || ! kill -0 "$(cat "$root/$c/shared/$c.pid" 2>/dev/null)" 2>/dev/null; then
                bad=$((bad + 1))
            fi
        done
    done
    if [ "$bad" != 0 ]; then
        echo "CHECK FAILED: $1: $bad component(s) not on release $2 or not running" >&2
        return 1
    fi
}

# Commands started per host (the login shell counts them): "mean/max" over the hosts since the last reset.
reset_execs() { rm -f "$BENCH_DIR"/execs/* 2>/dev/null || true; }
exec_counts() {
    sleep 2 # pruning runs after a Conveyor job has ended: count it too
    local f n total=0 max=0 hosts=0
    for f in "$BENCH_DIR"/execs/*; do
        [ -f "$f" ] || continue
        n=$(wc -l < "$f"); total=$((total + n)); hosts=$((hosts + 1)); [ "$n" -gt "$max" ] && max=$n
    done
    [ "$hosts" -gt 0 ] && echo "execs/host $((total / hosts)) (max $max)" || echo "execs/host 0"
}

# CPU seconds (user + system) spent since cpu_mark: by the whole machine, and by Conveyor's own processes (its JVM
# and its PostgreSQL), which is the part of a Conveyor operation's cost that is not the hosts' work.
machine_cpu() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat; }
process_cpu() { # pid...
    local p
    for p in "$@"; do awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || true; done |
        awk '{ s += $1 } END { printf "%.2f", s / 100 }'
}
jvm_cpu() { if [ -n "$CONVEYOR_PID" ]; then process_cpu "$CONVEYOR_PID"; else echo 0; fi; }
postgres_cpu() { # the embedded cluster's postmaster (its command line names the data dir) and its children
    local postmasters
    postmasters=$(pgrep -d, -f -- "$WORK/conveyor-data" || true)
    # shellcheck disable=SC2046 # one pid per word
    if [ -n "$postmasters" ]; then process_cpu ${postmasters//,/ } $(pgrep -P "$postmasters"); else echo 0; fi
}
cpu_mark() { CPU0=("$(machine_cpu)" "$(jvm_cpu)" "$(postgres_cpu)"); }
cpu_spent() {
    awk -v m0="${CPU0[0]}" -v m1="$(machine_cpu)" -v j0="${CPU0[1]}" -v j1="$(jvm_cpu)" -v p0="${CPU0[2]}" \
        -v p1="$(postgres_cpu)" 'BEGIN { printf "cpu %.2f (conveyor %.2f = jvm %.2f + postgresql %.2f)", m1 - m0, j1 - j0 + p1 - p0, j1 - j0, p1 - p0 }'
}

record() { # tool op round seconds load extra execs cpu
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" "${8:-}" >> "$RESULTS"
    printf '  %-9s %-9s round %s: %6ss  (load %s) %s %s %s\n' "$1" "$2" "$3" "$4" "$5" "${7:-}" "${8:-}" "$6"
}

# ---- raw parallel ssh ----
close_masters() { # control dir
    local s
    [ -d "$1" ] || return 0
    for s in "$1"/*; do
        [ -S "$s" ] && ssh -o ControlPath="$s" -O exit placeholder >/dev/null 2>&1 || true
    done
}
rssh() { # index command
    ssh "${SSH_BASE[@]}" -o ControlPath="$RAW_CP/%C" -p "$(host_port "$1")" cvybench@127.0.0.1 "$2"
}
rsftp() { # index batch-file
    sftp -q "${SSH_BASE[@]}" -o ControlPath="$RAW_CP/%C" -P "$(host_port "$1")" -b "$2" cvybench@127.0.0.1 >/dev/null
}
join_and() { local first=1 x; for x in "$@"; do [ $first = 1 ] || printf ' && '; printf '%s' "$x"; first=0; done; }

# The command text of every host and step is built before the clock starts (building it in bash costs
# hundreds of forks per host); the timed part is only ssh/sftp.
raw_plan() { # mode(deploy|rollback) release version old_release old_version tag
    # One command per host, as a person would write it: for a deploy the three artifacts travel on the
    # command's standard input (head -c takes each), then prepare, switch and health run in that one exec.
    local i root host c mk=() up=() prep=() sw=() hl=() plan
    for i in $(seq 1 "$BENCH_HOSTS"); do
        root=$(root_of "$i" raw); host=$(host_name "$i"); plan=$RAW_CP/plan-$i
        mk=(); up=(); prep=(); sw=(); hl=()
        mkdir -p "$plan"
        : > "$plan/input"
        for c in "${COMPONENTS[@]}"; do
            if [ "$1" = deploy ]; then
                mk+=("$(cmd_mkdir "$root" "$c")")
                echo "$(artifact "$c" "$3")" >> "$plan/input"
                up+=("head -c $(stat -c %s "$(artifact "$c" "$3")") > $(sq "$(upload_path "$root" "${SHA[$c-$3]}" "$6")")")
                prep+=("$(cmd_prepare "$root" "$host" "$c" "$2" "$3" "${SHA[$c-$3]}" "$(upload_path "$root" "${SHA[$c-$3]}" "$6")")")
            fi
            sw+=("$(cmd_switch "$root" "$host" "$c" "$2" "$3" "$4" "$5")")
            hl+=("($(cmd_health "$root" "$host" "$c" "$2" "$3"))")
        done
        if [ "$1" = deploy ]; then
            printf '%s && %s' "$(locked "$root" "$(join_and "${mk[@]}" "${up[@]}" "${prep[@]}" "${sw[@]}")")" "$(join_and "${hl[@]}")" > "$plan/all"
        else
            printf '%s && %s' "$(locked "$root" "$(join_and "${sw[@]}")")" "$(join_and "${hl[@]}")" > "$plan/all"
        fi
    done
}
raw_cmd() { # index step -> the planned command, without forking
    IFS= read -r -d '' RAW_CMD < "$RAW_CP/plan-$1/$2" || true
}
raw_host() { # index: the one exec
    local files=()
    mapfile -t files < "$RAW_CP/plan-$1/input"
    raw_cmd "$1" all
    if [ ${#files[@]} -gt 0 ]; then cat "${files[@]}" | rssh "$1" "$RAW_CMD"; else rssh "$1" "$RAW_CMD" < /dev/null; fi
}
raw_phase() { # function
    local i pids=() failed=0
    for i in $(seq 1 "$BENCH_HOSTS"); do
        "$1" "$i" > "$RAW_CP/out-$1-$i" 2>&1 &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || { failed=1; echo "raw: $1 failed on $(host_name $((i + 1))):" >&2; cat "$RAW_CP/out-$1-$((i + 1))" >&2; }; done
    return $failed
}
raw_deploy() { raw_phase raw_host; }
raw_rollback() { raw_phase raw_host; }
raw_fresh_masters() { close_masters "$WORK/cp"; rm -rf "$WORK/cp"; RAW_CP=$WORK/cp; mkdir -p "$RAW_CP"; }

# ---- Ansible ----
ANS=$WORK/ansible
ansible_setup() {
    mkdir -p "$ANS/host_vars"
    cp "$HERE/ansible/deploy.yml" "$ANS/deploy.yml"
    {
        echo "[bench]"
        for i in $(seq 1 "$BENCH_HOSTS"); do
            echo "$(host_name "$i") ansible_host=127.0.0.1 ansible_port=$(host_port "$i")"
        done
        echo "[bench:vars]"
        echo "ansible_user=cvybench"
        echo "ansible_ssh_private_key_file=$KEY"
    } > "$ANS/inventory.ini"
    cat > "$ANS/ansible.cfg" <<CFG
[defaults]
inventory = $ANS/inventory.ini
forks = 16
host_key_checking = True
interpreter_python = /usr/bin/python3
gathering = explicit
retry_files_enabled = False
[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$KNOWN_HOSTS -o StrictHostKeyChecking=yes -o BatchMode=yes
CFG
}
# host_vars/<host>.json: the command lists the playbook runs (one item per component).
ansible_vars() { # mode(deploy|rollback) release version old_release old_version tag
    local i c root host
    for i in $(seq 1 "$BENCH_HOSTS"); do
        root=$(root_of "$i" ansible); host=$(host_name "$i")
        for c in "${COMPONENTS[@]}"; do
            printf 'mkdir\t%s\n' "$(locked "$root" "$(cmd_mkdir "$root" "$c")")"
            if [ "$1" = deploy ]; then
                printf 'upload\t%s\t%s\n' "$(artifact "$c" "$3")" "$(upload_path "$root" "${SHA[$c-$3]}" "$6")"
                printf 'prepare\t%s\n' "$(locked "$root" "$(cmd_prepare "$root" "$host" "$c" "$2" "$3" "${SHA[$c-$3]}" "$(upload_path "$root" "${SHA[$c-$3]}" "$6")")")"
            fi
            printf 'switch\t%s\n' "$(locked "$root" "$(cmd_switch "$root" "$host" "$c" "$2" "$3" "$4" "$5")")"
            printf 'health\t%s\n' "$(cmd_health "$root" "$host" "$c" "$2" "$3")"
        done | $PY -c '
import json, sys
v = {"bench_mkdir": [], "bench_uploads": [], "bench_prepare": [], "bench_switch": [], "bench_health": []}
for line in sys.stdin.read().splitlines():
    kind, *rest = line.split("\t")
    if kind == "upload":
        v["bench_uploads"].append({"src": rest[0], "dest": rest[1]})
    else:
        v["bench_" + kind].append(rest[0])
json.dump(v, open(sys.argv[1], "w"))
' "$ANS/host_vars/$host.json"
    done
}
ansible_run() { # log extra-args...
    local log=$1 rc=0
    shift
    rm -rf "$ANS/cp"; mkdir -p "$ANS/cp"
    ANSIBLE_CONFIG=$ANS/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$ANS/cp \
        ansible-playbook "$ANS/deploy.yml" "$@" > "$log" 2>&1 || rc=$?
    return $rc
}
ansible_after() { close_masters "$ANS/cp"; }

# ---- Conveyor ----
conveyor_setup() {
    local envs=$WORK/conveyor-environments i fp
    mkdir -p "$envs"
    {
        printf 'name: bench\nkind: shared\nstage: dev\ndescription: deploy benchmark hosts\nhosts:\n'
        for i in $(seq 1 "$BENCH_HOSTS"); do
            fp=$(ssh-keygen -lf "$BENCH_DIR/sshd/$(host_name "$i")/host_key.pub" | awk '{ print $2 }')
            printf '  - name: %s\n    address: 127.0.0.1\n    port: %s\n    user: cvybench\n' "$(host_name "$i")" "$(host_port "$i")"
            printf '    roles: [api, web, worker]\n    hostKey: "%s"\n    key: ${secret:bench-ssh-key}\n    root: %s\n' "$fp" "$(root_of "$i" conveyor)"
        done
        printf 'components:\n'
        for c in "${COMPONENTS[@]}"; do
            printf '  %s:\n    install: ./install.sh\n    start: ./start.sh\n    stop: ./stop.sh\n    health:\n      command: ./health.sh\n' "$c"
        done
    } > "$envs/bench.yml"
    # Releases point at the artifacts built here, which Conveyor reads only from its artifact roots.
    start_conveyor "$WORK/conveyor-data" "$envs" "$WORK/conveyor.log" CONVEYOR_ARTIFACTS_ROOTS="$WORK/artifacts"
    use_api_token
    $CVY secret bench-ssh-key "$KEY"
}
conveyor_release() { # version
    local c body="" sep=""
    for c in "${COMPONENTS[@]}"; do
        body+="$sep\"$c\":{\"version\":\"$1\",\"artifact\":{\"path\":\"$(artifact "$c" "$1")\"}}"
        sep=,
    done
    $CVY release "{\"components\":{$body},\"notes\":\"deploy benchmark $1\"}"
}

# ---- run ----
echo "== deploy benchmark: $BENCH_HOSTS hosts, 3 components, $REPEAT round(s); tools: $TOOLS"
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(machine_line)"
echo "work dir: $WORK"
"$HERE/lib/hosts.sh" start
# BENCH_LOGIN_COST=1: every command a host starts first pays what a real host's rc file costs (see hosts.sh).
if [ "${BENCH_LOGIN_COST:-0}" = 1 ]; then touch "$BENCH_DIR/login-cost"; else rm -f "$BENCH_DIR/login-cost"; fi
echo "login shell cost per command: $([ -f "$BENCH_DIR/login-cost" ] && echo 'rc-file-like (python3 twice)' || echo none)"
# A clean slate for every tool: stop what an earlier run started, remove its roots.
for i in $(seq 1 "$BENCH_HOSTS"); do
    for tool in conveyor raw ansible; do
        for pidfile in "$(root_of "$i" "$tool")"/*/shared/*.pid; do
            [ -f "$pidfile" ] && { kill "$(cat "$pidfile")" 2>/dev/null || true; }
        done
        rm -rf "$(root_of "$i" "$tool")"
    done
done
package_version 1
for round in $(seq 1 "$REPEAT"); do package_version "2.$round"; done
printf 'tool\top\tround\tseconds\tload1\textra\texecs\tcpu\n' > "$RESULTS"

declare -A REL
has() { [[ " $TOOLS " == *" $1 "* ]]; }
if has conveyor; then
    conveyor_setup
    REL[1]=$(conveyor_release 1)
    for round in $(seq 1 "$REPEAT"); do REL[2.$round]=$(conveyor_release "2.$round"); done
    echo "-- warm-up (not timed)"
    $CVY deploy bench "${REL[1]}" > "$WORK/conveyor-warmup.json" || { cat "$WORK/conveyor-warmup.json"; exit 1; }
    check_state conveyor "${REL[1]}"
    echo "  conveyor warm-up: $(cat "$WORK/conveyor-warmup.json")"
fi
if has raw; then
    raw_fresh_masters
    raw_plan deploy 1 1 "" "" warmup
    raw_deploy
    check_state raw 1
    echo "  raw warm-up done"
fi
if has ansible; then
    ansible_setup
    ansible_vars deploy 1 1 "" "" warmup
    ansible_run "$WORK/ansible-warmup.log" || { tail -30 "$WORK/ansible-warmup.log"; exit 1; }
    ansible_after
    check_state ansible 1
    echo "  ansible warm-up done"
fi
ANS_CUR=1; ANS_CUR_V=1

for round in $(seq 1 "$REPEAT"); do
    v=2.$round
    echo "-- round $round (deploy version $v, then roll back to 1)"
    wait_for_quiet "$MAX_LOAD" "$QUIET_WAIT" || true
    if has conveyor; then
        l=$(load1)
        reset_execs; cpu_mark
        out=$($CVY deploy bench "${REL[$v]}") || { echo "$out"; exit 1; }
        cpu=$(cpu_spent)
        check_state conveyor "${REL[$v]}"
        record conveyor deploy "$round" "$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["client_s"])' "$out")" "$l" "$out" "$(exec_counts)" "$cpu"
        l=$(load1)
        reset_execs; cpu_mark
        out=$($CVY rollback bench) || { echo "$out"; exit 1; }
        cpu=$(cpu_spent)
        check_state conveyor "${REL[1]}"
        record conveyor rollback "$round" "$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["client_s"])' "$out")" "$l" "$out" "$(exec_counts)" "$cpu"
    fi
    if has raw; then
        raw_fresh_masters
        raw_plan deploy "$((round + 1))" "$v" 1 1 "raw$round"
        l=$(load1); reset_execs; cpu_mark; t0=$(now)
        raw_deploy
        t1=$(now); cpu=$(cpu_spent)
        check_state raw "$((round + 1))"
        record raw deploy "$round" "$(elapsed "$t0" "$t1")" "$l" "" "$(exec_counts)" "$cpu"
        raw_fresh_masters
        raw_plan rollback 1 1 "$((round + 1))" "$v" ""
        l=$(load1); reset_execs; cpu_mark; t0=$(now)
        raw_rollback
        t1=$(now); cpu=$(cpu_spent)
        check_state raw 1
        record raw rollback "$round" "$(elapsed "$t0" "$t1")" "$l" "" "$(exec_counts)" "$cpu"
        raw_fresh_masters
    fi
    if has ansible; then
        ansible_vars deploy "$((round + 1))" "$v" 1 1 "ansible$round"
        l=$(load1); t0=$(now)
        ansible_run "$WORK/ansible-deploy-$round.log" || { tail -30 "$WORK/ansible-deploy-$round.log"; exit 1; }
        t1=$(now)
        ansible_after
        check_state ansible "$((round + 1))"
        record ansible deploy "$round" "$(elapsed "$t0" "$t1")" "$l" ""
        ansible_vars rollback 1 1 "$((round + 1))" "$v" "ansible$round"
        l=$(load1); t0=$(now)
        ansible_run "$WORK/ansible-rollback-$round.log" --tags switch,verify || { tail -30 "$WORK/ansible-rollback-$round.log"; exit 1; }
        t1=$(now)
        ansible_after
        check_state ansible 1
        record ansible rollback "$round" "$(elapsed "$t0" "$t1")" "$l" ""
    fi
done

echo "== results (wall seconds over $REPEAT round(s); ratio = median / median of raw parallel ssh)"
$PY - "$RESULTS" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {}
for r in rows:
    by.setdefault((r["op"], r["tool"]), []).append(r)
print(f"{'op':<9} {'tool':<9} {'median':>8} {'min':>8} {'max':>8} {'vs raw':>8}  {'load1 (each round)':<20} {'commands per host':<22} {'CPU-s (of it Conveyor)':<23} server-side (Conveyor)")
for op in ("deploy", "rollback"):
    raw = by.get((op, "raw"))
    raw_median = statistics.median(float(r["seconds"]) for r in raw) if raw else None
    for tool in ("conveyor", "raw", "ansible"):
        rs = by.get((op, tool))
        if not rs:
            continue
        s = [float(r["seconds"]) for r in rs]
        med = statistics.median(s)
        ratio = f"{med / raw_median:.2f}x" if raw_median else "-"
        server = ""
        if tool == "conveyor":
            server = "startedAt->finishedAt " + ", ".join(f"{json.loads(r['extra'])['server_s']:.2f}" for r in rs) + " s"
        execs = rs[-1].get("execs") or ""
        cpus = [r["cpu"].split() for r in rs if r.get("cpu")]
        cpu = f"{statistics.median(float(c[1]) for c in cpus):.2f} ({statistics.median(float(c[3]) for c in cpus):.2f})" if cpus else ""
        print(f"{op:<9} {tool:<9} {med:8.2f} {min(s):8.2f} {max(s):8.2f} {ratio:>8}  {','.join(r['load1'] for r in rs):<20} {execs:<22} {cpu:<23} {server}")
d = {t: statistics.median(float(r["seconds"]) for r in by[("deploy", t)]) for t in ("conveyor", "ansible") if ("deploy", t) in by}
if len(d) == 2:
    print(f"ansible deploy / conveyor deploy: {d['ansible'] / d['conveyor']:.1f}x")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
