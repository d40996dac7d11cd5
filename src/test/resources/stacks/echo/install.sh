#!/bin/sh
# Test stack: fails when the host root holds a fail-install marker; prints the secret it was given (to be masked).
set -eu
cd "$(dirname "$0")"
HOST_ROOT=$(cd "$CONVEYOR_SHARED_DIR/../.." && pwd)
echo "installing $CONVEYOR_COMPONENT $CONVEYOR_VERSION (release $CONVEYOR_RELEASE) on $CONVEYOR_HOST with key ${API_KEY:-none}"
if [ -f "$HOST_ROOT/fail-install" ]; then
    echo "install failed on purpose" >&2
    exit 3
fi
