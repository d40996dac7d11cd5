#!/bin/sh
# Stop the webview site started by start.sh. Idempotent: exits 0 when nothing runs.
# Only the pid named in the pid file is signalled, and only if that process really
# runs webview_server.py, so a stale pid file never kills an unrelated process.
set -eu
cd "$(dirname "$0")"

NAME=webview
SCRIPT=webview_server.py

: "${CONVEYOR_SHARED_DIR:?CONVEYOR_SHARED_DIR is not set}"
PIDFILE=$CONVEYOR_SHARED_DIR/$NAME.pid

# is_ours PID: the process is alive and its command line names our script.
is_ours() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/cmdline" ]; then
        tr '\000' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -F "$SCRIPT"
    elif [ ! -d /proc/self ]; then
        ps -p "$1" -o args= 2>/dev/null | grep -q -F "$SCRIPT"
    else
        return 1
    fi
}

# wait_gone PID TENTHS: wait up to TENTHS/10 s for the process to go away.
wait_gone() {
    i=0
    while is_ours "$1" && [ "$i" -lt "$2" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    ! is_ours "$1"
}

if [ ! -f "$PIDFILE" ]; then
    echo "$NAME: not running (no pid file)"
    exit 0
fi

pid=$(head -n 1 "$PIDFILE" 2>/dev/null || true)
case "$pid" in
    '' | *[!0-9]*)
        echo "$NAME: ignoring malformed pid file $PIDFILE"
        ;;
    *)
        if is_ours "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            if wait_gone "$pid" 50; then
                echo "$NAME: stopped (pid $pid)"
            else
                echo "$NAME: pid $pid still running after 5 s, sending KILL"
                kill -KILL "$pid" 2>/dev/null || true
                wait_gone "$pid" 20 || echo "$NAME: pid $pid did not go away" >&2
            fi
        else
            echo "$NAME: stale pid file (pid $pid is not $SCRIPT), nothing to stop"
        fi
        ;;
esac
rm -f "$PIDFILE"
