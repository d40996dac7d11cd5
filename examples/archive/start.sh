#!/bin/sh
# Start the archive service in the background (contract: examples/README.md of Conveyor).
# Returns once the service has printed its "listening" line, or after 1.5 s.
# Safe to run again: a running instance is stopped first, so this is also "restart".
set -eu
cd "$(dirname "$0")"
HERE=$(pwd -P)

NAME=archive
SCRIPT=archive_server.py
READY="listening on"

: "${CONVEYOR_SHARED_DIR:?CONVEYOR_SHARED_DIR is not set}"
: "${PORT:?PORT is not set}"
PIDFILE=$CONVEYOR_SHARED_DIR/$NAME.pid
LOG=$CONVEYOR_SHARED_DIR/$NAME.log

# alive PID: the process exists and is not a zombie.
alive() {
    if [ -r "/proc/$1/stat" ]; then
        state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
        [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
    else
        case "$(ps -o stat= -p "$1" 2>/dev/null)" in
            ''|Z*) return 1 ;;
            *) return 0 ;;
        esac
    fi
}

ready_count() {
    n=$(grep -c -F "$READY" "$LOG" 2>/dev/null || true)
    echo "${n:-0}"
}

sh "$HERE/stop.sh"

before=$(ready_count)
if command -v setsid >/dev/null 2>&1; then
    setsid nohup python3 -u "$HERE/$SCRIPT" </dev/null >>"$LOG" 2>&1 &
else
    nohup python3 -u "$HERE/$SCRIPT" </dev/null >>"$LOG" 2>&1 &
fi
pid=$!
echo "$pid" >"$PIDFILE.tmp"
mv -f "$PIDFILE.tmp" "$PIDFILE"

i=0
while [ "$i" -lt 15 ]; do
    sleep 0.1
    if [ "$(ready_count)" -gt "$before" ]; then
        echo "$NAME: started (pid $pid, release ${CONVEYOR_RELEASE:-?}), log $LOG"
        exit 0
    fi
    if ! alive "$pid"; then
        echo "$NAME: failed to start; last lines of $LOG:" >&2
        tail -n 20 "$LOG" >&2 || true
        rm -f "$PIDFILE"
        exit 1
    fi
    i=$((i + 1))
done
echo "$NAME: started (pid $pid, release ${CONVEYOR_RELEASE:-?}) but not ready yet, log $LOG"
