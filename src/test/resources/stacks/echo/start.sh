#!/bin/sh
set -eu
cd "$(dirname "$0")"
rm -f "$CONVEYOR_SHARED_DIR/port"
setsid nohup python3 -u server.py </dev/null >>"$CONVEYOR_SHARED_DIR/server.log" 2>&1 &
echo $! >"$CONVEYOR_SHARED_DIR/server.pid"
i=0
while [ ! -f "$CONVEYOR_SHARED_DIR/port" ] && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
echo "started release $CONVEYOR_RELEASE on port $(cat "$CONVEYOR_SHARED_DIR/port")"
