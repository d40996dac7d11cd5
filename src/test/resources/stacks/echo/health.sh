#!/bin/sh
# Healthy when the server answers with this release; a fail-health marker in the host root naming this
# release makes it fail.
set -eu
HOST_ROOT=$(cd "$CONVEYOR_SHARED_DIR/../.." && pwd)
if [ -f "$HOST_ROOT/fail-health" ] && [ "$(cat "$HOST_ROOT/fail-health")" = "$CONVEYOR_RELEASE" ]; then
    echo "unhealthy on purpose" >&2
    exit 1
fi
curl -fsS "http://127.0.0.1:$(cat "$CONVEYOR_SHARED_DIR/port")/health" | grep -q "\"release\": \"$CONVEYOR_RELEASE\""
