#!/bin/sh
# Install step for the webview site, run by Conveyor in the unpacked release folder.
# Builds index.html for this release from index.html.in (site name, release, version).
# Idempotent; touches nothing outside this folder and $CONVEYOR_SHARED_DIR; no network.
set -eu
cd "$(dirname "$0")"

command -v python3 >/dev/null 2>&1 || { echo "webview: python3 is required" >&2; exit 1; }

python3 - <<'PY'
import ast
for name in ("webview_server.py", "render_page.py"):
    with open(name, encoding="utf-8") as f:
        ast.parse(f.read(), name)
PY
python3 -B render_page.py
chmod +x start.sh stop.sh
echo "webview: installed release ${CONVEYOR_RELEASE:-?} (version ${CONVEYOR_VERSION:-$(cat VERSION)}) in $(pwd -P)"
