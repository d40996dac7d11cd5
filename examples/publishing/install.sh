#!/bin/sh
# Install step for the publishing worker, run by Conveyor in the unpacked release folder.
# Prepares the job folders in $CONVEYOR_SHARED_DIR (they survive releases).
# Idempotent; touches nothing outside this folder and $CONVEYOR_SHARED_DIR; no network.
set -eu
cd "$(dirname "$0")"

command -v python3 >/dev/null 2>&1 || { echo "publishing: python3 is required" >&2; exit 1; }
: "${CONVEYOR_SHARED_DIR:?CONVEYOR_SHARED_DIR is not set}"

python3 - <<'PY'
import ast
with open("publishing_worker.py", encoding="utf-8") as f:
    ast.parse(f.read(), "publishing_worker.py")
PY
mkdir -p "$CONVEYOR_SHARED_DIR/queue" "$CONVEYOR_SHARED_DIR/done"
chmod +x start.sh stop.sh healthcheck.sh
echo "publishing: installed release ${CONVEYOR_RELEASE:-?} (version ${CONVEYOR_VERSION:-$(cat VERSION)}) in $(pwd -P)"
