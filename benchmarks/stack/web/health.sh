#!/bin/sh
# Healthy when the pid in $CONVEYOR_SHARED_DIR/<component>.pid is alive.
pidfile="$CONVEYOR_SHARED_DIR/$CONVEYOR_COMPONENT.pid"
[ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
