#!/bin/sh
# Starts a stand-in service: a detached sleep whose pid goes to $CONVEYOR_SHARED_DIR/<component>.pid.
# Its output is closed so the SSH command that ran start.sh ends at once (nothing holds the channel open).
set -e
pidfile="$CONVEYOR_SHARED_DIR/$CONVEYOR_COMPONENT.pid"
setsid nohup sleep 100000 </dev/null >/dev/null 2>&1 &
echo $! > "$pidfile"
echo "started $CONVEYOR_COMPONENT $CONVEYOR_VERSION (pid $!)"
