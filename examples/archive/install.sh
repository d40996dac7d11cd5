#!/bin/sh
# Install step for the archive service, run by Conveyor in the unpacked release folder.
# Idempotent; touches nothing outside this folder and $CONVEYOR_SHARED_DIR; no network.
set -eu
cd "$(dirname "$0")"

command -v python3 >/dev/null 2>&1 || { echo "archive: python3 is required" >&2; exit 1; }

# Check the code and the book data before the release can go live.
python3 - <<'PY'
import ast, json
with open("archive_server.py", encoding="utf-8") as f:
    ast.parse(f.read(), "archive_server.py")
with open("books.json", encoding="utf-8") as f:
    books = json.load(f)["books"]
for book in books:
    missing = {"id", "version", "title", "tree"} - set(book)
    if missing:
        raise SystemExit("books.json: book %s lacks %s" % (book.get("id"), sorted(missing)))
print("archive: %d books checked" % len(books))
PY
chmod +x start.sh stop.sh
echo "archive: installed release ${CONVEYOR_RELEASE:-?} (version ${CONVEYOR_VERSION:-$(cat VERSION)}) in $(pwd -P)"
