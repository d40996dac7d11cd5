#!/bin/sh
# Smoke test of the sample stack: deploys it twice into a temporary folder the way
# Conveyor's deploy engine does (see README.md) and checks that it works.
# Needs sh, python3 and GNU tar. Uses ports 28080 (webview) and 28081 (archive).
# Usage: examples/smoke-test.sh [--keep]   (--keep leaves the temporary folder)
set -eu

EXAMPLES=$(cd "$(dirname "$0")" && pwd -P)
KEEP=${1:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-sample-stack.XXXXXX")
ROOT=$TMP/root
ARCHIVE_PORT=28081
WEBVIEW_PORT=28080
COMPONENTS="archive webview publishing"
BOOK_ID=031da8d3-b525-429c-80cf-6c8ed997733a
BOOK_TITLE="College Physics"
SLEEPER=

say() { echo "== $*"; }
fail() {
    echo "FAIL: $*" >&2
    for c in $COMPONENTS; do
        if [ -f "$ROOT/$c/shared/$c.log" ]; then
            echo "--- $c.log" >&2
            tail -n 15 "$ROOT/$c/shared/$c.log" >&2
        fi
    done
    exit 1
}

cleanup() {
    status=$?
    set +e
    for c in $COMPONENTS; do
        [ -d "$ROOT/$c/current" ] && run_script "$c" "$ROOT/$c/current" stop.sh >/dev/null 2>&1
    done
    [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
    if [ "$KEEP" = --keep ]; then
        echo "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() {
    case "$1" in
        archive) echo "$ARCHIVE_PORT" ;;
        webview) echo "$WEBVIEW_PORT" ;;
        *) echo "" ;;
    esac
}

# run_script COMPONENT CWD SCRIPT: runs CWD/SCRIPT with cwd CWD and the environment
# Conveyor gives; the release is the one CWD resolves to.
run_script() {
    release_dir=$(cd "$2" && pwd -P)
    release=$(basename "$release_dir")
    port=$(port_of "$1")
    (
        cd "$2"
        export CONVEYOR_ENVIRONMENT=smoke CONVEYOR_COMPONENT="$1" CONVEYOR_RELEASE="$release" \
            CONVEYOR_VERSION="$(cat "$release_dir/VERSION")" CONVEYOR_RELEASE_DIR="$release_dir" \
            CONVEYOR_SHARED_DIR="$ROOT/$1/shared" SITE_NAME="Sample stack smoke test" \
            ARCHIVE_PORT="$ARCHIVE_PORT"
        if [ -n "$port" ]; then export PORT="$port"; else unset PORT; fi
        sh "./$3"
    )
}

# deploy COMPONENT RELEASE: unpack, install, point current, stop old, start new.
deploy() {
    c=$1
    r=$2
    artifact=$(awk -v c="$c" '$1 == c { print $4 }' "$TMP/artifacts.txt")
    dir=$ROOT/$c/releases/$r
    mkdir -p "$dir" "$ROOT/$c/shared"
    tar -xzf "$artifact" -C "$dir"
    run_script "$c" "$dir" install.sh || fail "$c install.sh (release $r)"
    old=
    [ -L "$ROOT/$c/current" ] && old=$(cd "$ROOT/$c/current" && pwd -P)
    ln -s "releases/$r" "$ROOT/$c/current.new"
    mv -T "$ROOT/$c/current.new" "$ROOT/$c/current"
    if [ -n "$old" ] && [ -d "$old" ]; then
        run_script "$c" "$old" stop.sh || fail "$c stop.sh of $old"
    fi
    # Capturing the output waits for EOF, so this also checks that the service
    # does not hold on to start.sh's stdout.
    t0=$(date +%s)
    out=$(run_script "$c" "$ROOT/$c/current" start.sh) || fail "$c start.sh (release $r): $out"
    echo "$out"
    [ $(($(date +%s) - t0)) -le 2 ] || fail "$c start.sh took more than 2 s"
    pid=$(pid_of "$c")
    case "$(tr '\000' ' ' <"/proc/$pid/cmdline")" in
        *python3*" $ROOT/$c/releases/$r/"*) ;;
        *) fail "$c pid file does not name the python process of release $r" ;;
    esac
}

# http URL [EXPECTED_STATUS]: prints the body; fails unless the status matches (200).
http() {
    python3 - "$1" "${2:-200}" <<'PY'
import sys, urllib.request, urllib.error
url, expected = sys.argv[1], int(sys.argv[2])
try:
    with urllib.request.urlopen(url, timeout=5) as resp:
        status, body = resp.status, resp.read()
except urllib.error.HTTPError as err:
    status, body = err.code, err.read()
except OSError as err:
    print("%s: %s" % (url, err), file=sys.stderr)
    sys.exit(1)
sys.stdout.write(body.decode("utf-8", "replace"))
if status != expected:
    print("%s: status %d, expected %d" % (url, status, expected), file=sys.stderr)
    sys.exit(1)
PY
}

# http_json URL FIELD=VALUE...: fails unless URL answers 200 with a JSON object
# whose top-level fields have these values.
http_json() {
    python3 - "$@" <<'PY'
import json, sys, urllib.request
url, expected = sys.argv[1], dict(arg.split("=", 1) for arg in sys.argv[2:])
try:
    with urllib.request.urlopen(url, timeout=5) as resp:
        data = json.load(resp)
except (OSError, ValueError) as err:
    sys.exit("%s: %s" % (url, err))
wrong = {k: data.get(k) for k, v in expected.items() if str(data.get(k)) != v}
if wrong:
    sys.exit("%s: expected %s, got %s" % (url, expected, wrong))
PY
}

# wait_for COMMAND...: retries for up to 5 s.
wait_for() {
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -lt 50 ] || return 1
        sleep 0.1
    done
}

pid_of() { head -n 1 "$ROOT/$1/shared/$1.pid"; }
alive() { kill -0 "$1" 2>/dev/null && [ -n "$(tr -d '\000' <"/proc/$1/cmdline" 2>/dev/null)" ]; }

# check_release R: everything answers release R.
check_release() {
    r=$1
    for c in archive webview; do
        port=$(port_of "$c")
        wait_for http "http://127.0.0.1:$port/health" || fail "$c /health does not answer"
        http_json "http://127.0.0.1:$port/health" status=ok component="$c" release="$r" \
            version="$(cat "$EXAMPLES/$c/VERSION")" || fail "$c /health"
        grep -q "^$c $(cat "$EXAMPLES/$c/VERSION") (release $r) listening on 127.0.0.1:$port\$" \
            "$ROOT/$c/shared/$c.log" || fail "$c did not log its start line"
    done
    wait_for run_script publishing "$ROOT/publishing/current" healthcheck.sh \
        || fail "publishing healthcheck: $(run_script publishing "$ROOT/publishing/current" healthcheck.sh)"

    http_json "http://127.0.0.1:$ARCHIVE_PORT/contents/$BOOK_ID.json" release="$r" \
        title="$BOOK_TITLE" || fail "archive book"
    http "http://127.0.0.1:$ARCHIVE_PORT/contents/nope.json" 404 >/dev/null || fail "archive 404"
    http_json "http://127.0.0.1:$WEBVIEW_PORT/archive/contents/$BOOK_ID.json" release="$r" \
        title="$BOOK_TITLE" || fail "book through the webview proxy"

    page=$(http "http://127.0.0.1:$WEBVIEW_PORT/") || fail "webview page"
    echo "$page" | grep -q "<h1 id=\"release\">Release $r</h1>" || fail "page does not show Release $r"
    echo "$page" | grep -q "$BOOK_TITLE</a>" || fail "page does not list $BOOK_TITLE"
    echo "$page" | grep -q "up, release $r" || fail "page does not show archive release $r"
    echo "$page" | grep -q "Sample stack smoke test" || fail "page does not show SITE_NAME"
    http "http://127.0.0.1:$WEBVIEW_PORT/app.js" | grep -q "archive/extras" || fail "app.js"

    job=job-$r-$$.json
    printf '{"title": "%s, edition %s"}\n' "$BOOK_TITLE" "$r" >"$ROOT/publishing/shared/queue/$job"
    wait_for test -f "$ROOT/publishing/shared/done/$job" || fail "publishing did not process $job"
    echo "release $r: archive, webview and publishing OK"
}

say "packaging (twice, to check the output is deterministic)"
"$EXAMPLES/package.sh" "$TMP/artifacts" >"$TMP/artifacts.txt"
cat "$TMP/artifacts.txt"
(cd / && "$EXAMPLES/package.sh" "$TMP/again") >"$TMP/again.txt"
[ "$(cut -d ' ' -f 1-3 "$TMP/artifacts.txt")" = "$(cut -d ' ' -f 1-3 "$TMP/again.txt")" ] \
    || fail "package.sh output is not deterministic"
for c in $COMPONENTS; do
    tar -tzf "$(awk -v c="$c" '$1 == c { print $4 }' "$TMP/artifacts.txt")" >"$TMP/list.txt"
    grep -q "^\./start\.sh$" "$TMP/list.txt" || fail "$c artifact lacks ./start.sh at its top"
    ! grep -q "__pycache__\|\.pyc$" "$TMP/list.txt" || fail "$c artifact contains compiled files"
done

say "stop.sh with nothing running"
mkdir -p "$ROOT/archive/shared" "$TMP/loose"
tar -xzf "$(awk '$1 == "archive" { print $4 }' "$TMP/artifacts.txt")" -C "$TMP/loose"
run_script archive "$TMP/loose" stop.sh || fail "stop.sh without pid file"

say "stop.sh with a stale pid file naming an unrelated process"
sleep 100 &
SLEEPER=$!
echo "$SLEEPER" >"$ROOT/archive/shared/archive.pid"
run_script archive "$TMP/loose" stop.sh || fail "stop.sh with stale pid file"
kill -0 "$SLEEPER" 2>/dev/null || fail "stop.sh killed an unrelated process"
[ ! -f "$ROOT/archive/shared/archive.pid" ] || fail "stop.sh left the stale pid file"
echo "garbage" >"$ROOT/archive/shared/archive.pid"
run_script archive "$TMP/loose" stop.sh || fail "stop.sh with malformed pid file"
kill "$SLEEPER"
SLEEPER=

say "deploying release 1"
for c in archive publishing webview; do deploy "$c" 1; done
check_release 1
run_script webview "$ROOT/webview/current" install.sh >/dev/null || fail "second install.sh"
grep -q '<h1 id="release">Release 1</h1>' "$ROOT/webview/releases/1/index.html" \
    || fail "install.sh did not build index.html"

say "restart: start.sh again on the running release"
old_pid=$(pid_of archive)
run_script archive "$ROOT/archive/current" start.sh || fail "archive restart"
new_pid=$(pid_of archive)
[ "$old_pid" != "$new_pid" ] || fail "restart kept the same pid"
! alive "$old_pid" || fail "restart left the old archive process running"
check_release 1

say "archive down: the page still renders and says so"
run_script archive "$ROOT/archive/current" stop.sh || fail "archive stop"
page=$(http "http://127.0.0.1:$WEBVIEW_PORT/") || fail "page while archive is down"
echo "$page" | grep -q "The archive is unavailable" || fail "page does not say the archive is down"
echo "$page" | grep -q "Release 1" || fail "page while archive is down lacks the release"
http "http://127.0.0.1:$WEBVIEW_PORT/archive/extras" 502 >/dev/null || fail "proxy while archive is down"
run_script archive "$ROOT/archive/current" start.sh || fail "archive start"

say "deploying release 2"
pids1=""
for c in $COMPONENTS; do pids1="$pids1 $(pid_of "$c")"; done
for c in archive publishing webview; do deploy "$c" 2; done
for pid in $pids1; do ! alive "$pid" || fail "release 1 process $pid still running"; done
check_release 2
CONVEYOR_SHARED_DIR=$ROOT/publishing/shared CONVEYOR_RELEASE=1 \
    sh "$ROOT/publishing/current/healthcheck.sh" >/dev/null && fail "healthcheck accepted the wrong release"

say "stopping everything"
pids2=""
for c in $COMPONENTS; do pids2="$pids2 $(pid_of "$c")"; done
for c in $COMPONENTS; do run_script "$c" "$ROOT/$c/current" stop.sh || fail "$c stop.sh"; done
for c in $COMPONENTS; do
    [ ! -f "$ROOT/$c/shared/$c.pid" ] || fail "$c pid file left behind"
    grep -q "^$c .* (release 2) stopped\$" "$ROOT/$c/shared/$c.log" || fail "$c did not shut down cleanly"
done
for pid in $pids1 $pids2; do ! alive "$pid" || fail "process $pid still running"; done
left=$(python3 - "$ROOT/" <<'PY'
import os, sys
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        continue
    if sys.argv[1] in cmdline and int(pid) != os.getpid():
        print(pid, cmdline)
PY
)
[ -z "$left" ] || fail "processes left: $left"
run_script publishing "$ROOT/publishing/current" healthcheck.sh >/dev/null && fail "healthcheck passed with nothing running"
for c in $COMPONENTS; do run_script "$c" "$ROOT/$c/current" stop.sh >/dev/null || fail "$c second stop.sh"; done

say "PASS"
