#!/bin/sh
# Stops the server; with a pause-stop marker in the host root it first announces itself and waits (tests cut the host then).
set -u
cd "$(dirname "$0")"
HOST_ROOT=$(cd "$CONVEYOR_SHARED_DIR/../.." && pwd)
if [ -f "$HOST_ROOT/pause-stop" ]; then
    touch "$HOST_ROOT/stop-reached"
    sleep "$(cat "$HOST_ROOT/pause-stop" 2>/dev/null | grep -E '^[0-9]+$' || echo 30)"
fi
if [ -f "$CONVEYOR_SHARED_DIR/server.pid" ]; then
    kill "$(cat "$CONVEYOR_SHARED_DIR/server.pid")" 2>/dev/null || true
    rm -f "$CONVEYOR_SHARED_DIR/server.pid"
fi
echo "stopped release $CONVEYOR_RELEASE"
