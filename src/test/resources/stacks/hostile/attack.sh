#!/bin/sh
# A hostile recipe step: tries to reach Conveyor's secrets, a neighbour environment and Conveyor's process, and
# prints one "ATTACK <step> <attempt>: blocked|SUCCEEDED" line per attempt (the tests read them in the job log).
# Targets come from the environment: ATTACK_DATA_DIR, ATTACK_NEIGHBOUR (a folder), ATTACK_PID (Conveyor's pid),
# ATTACK_NEIGHBOUR_PID (a process of the neighbour, optional); CONVEYOR_ENVIRONMENT names its own folder in hosts/.
step=${1:-step}

try() {
    name=$1
    shift
    if out=$("$@" 2>&1); then
        echo "ATTACK $step $name: SUCCEEDED: $out"
    else
        echo "ATTACK $step $name: blocked ($out)"
    fi
}

echo "ATTACK $step uid: $(id -u)"
echo "ATTACK $step $(grep CapEff /proc/self/status)"
try read-master-key cat "$ATTACK_DATA_DIR/master.key"
# Succeeds only when something besides the sandbox's own hosts/ folder shows in the data dir.
try list-data-dir sh -c 'ls -A "$0" | grep -v "^hosts$" | grep .' "$ATTACK_DATA_DIR"
# Succeeds only when another environment's folder shows next to the sandbox's own (named after its environment).
try list-hosts sh -c 'ls -A "$0" | grep -v -x -F "$1" | grep .' "$ATTACK_DATA_DIR/hosts" "${CONVEYOR_ENVIRONMENT:-}"
try read-neighbour cat "$ATTACK_NEIGHBOUR/secret.txt"
try read-conveyor-environ cat "/proc/$ATTACK_PID/environ"
try read-conveyor-root ls "/proc/$ATTACK_PID/root/"
try signal-conveyor kill -CONT "$ATTACK_PID"
if [ -n "${ATTACK_NEIGHBOUR_PID:-}" ]; then
    try read-neighbour-environ cat "/proc/$ATTACK_NEIGHBOUR_PID/environ"
    try signal-neighbour kill -CONT "$ATTACK_NEIGHBOUR_PID"
fi
try write-system touch /usr/local/conveyor-attack
try gain-root sh -c 'su -c id root </dev/null || sudo -n id'
exit 0
