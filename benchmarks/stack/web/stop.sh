#!/bin/sh
# Stops the service started by start.sh, if it runs.
pidfile="$CONVEYOR_SHARED_DIR/$CONVEYOR_COMPONENT.pid"
if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
fi
echo "stopped $CONVEYOR_COMPONENT"
