#!/bin/sh
# Health check of the publishing worker. Exits 0 only if the worker named in the
# pid file is alive (and really is publishing_worker.py) and its heartbeat is less
# than 5 s old and names the current release ($CONVEYOR_RELEASE).
set -eu
cd "$(dirname "$0")"

NAME=publishing
SCRIPT=publishing_worker.py
MAX_AGE=5

: "${CONVEYOR_SHARED_DIR:?CONVEYOR_SHARED_DIR is not set}"
: "${CONVEYOR_RELEASE:?CONVEYOR_RELEASE is not set}"
PIDFILE=$CONVEYOR_SHARED_DIR/$NAME.pid
HEARTBEAT=$CONVEYOR_SHARED_DIR/heartbeat.json

fail() {
    echo "$NAME: unhealthy: $*"
    exit 1
}

[ -f "$PIDFILE" ] || fail "no pid file $PIDFILE"
pid=$(head -n 1 "$PIDFILE" 2>/dev/null || true)
case "$pid" in
    '' | *[!0-9]*) fail "malformed pid file $PIDFILE" ;;
esac
kill -0 "$pid" 2>/dev/null || fail "pid $pid is not running"
if [ -r "/proc/$pid/cmdline" ]; then
    tr '\000' ' ' <"/proc/$pid/cmdline" | grep -q -F "$SCRIPT" || fail "pid $pid is not $SCRIPT"
elif [ ! -d /proc/self ]; then
    ps -p "$pid" -o args= 2>/dev/null | grep -q -F "$SCRIPT" || fail "pid $pid is not $SCRIPT"
else
    fail "pid $pid is not running"
fi
[ -f "$HEARTBEAT" ] || fail "no heartbeat $HEARTBEAT"

python3 - "$HEARTBEAT" "$CONVEYOR_RELEASE" "$MAX_AGE" <<'PY'
import json, sys, time
path, release, max_age = sys.argv[1], sys.argv[2], float(sys.argv[3])
try:
    with open(path, encoding="utf-8") as f:
        beat = json.load(f)
    age = time.time() - float(beat["time"])
    beat_release = str(beat["release"])
except (OSError, ValueError, KeyError, TypeError) as err:
    print("publishing: unhealthy: unreadable heartbeat %s: %s" % (path, err))
    sys.exit(1)
if beat_release != release:
    print("publishing: unhealthy: heartbeat names release %s, expected %s" % (beat_release, release))
    sys.exit(1)
if not -1.0 <= age < max_age:
    print("publishing: unhealthy: heartbeat is %.1f s old" % age)
    sys.exit(1)
print("publishing: healthy (release %s, pid %s, heartbeat %.1f s old)" % (release, beat.get("pid"), age))
PY
