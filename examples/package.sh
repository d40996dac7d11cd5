#!/bin/sh
# Builds the artifact of each sample component: OUT_DIR/<component>-<version>.tar.gz,
# a gzip'ed tar of the component folder's contents (no leading folder).
# The output is deterministic (sorted names, fixed mtime/owner/mode, no gzip
# timestamp), so the same sources always give the same bytes and checksum.
# Prints one line per artifact: <component> <version> <sha256> <path>
# db/PREVIOUS ("<version> <first migration version it lacks>") adds one more line, "db-previous ...":
# the db component as it was before its newest migrations, so the demo has a release to upgrade from.
# Usage: examples/package.sh OUT_DIR   (works from any directory; needs GNU tar)
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
EXAMPLES=$(cd "$(dirname "$0")" && pwd -P)
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
COMPONENTS="db archive webview publishing"

TAR=tar
if ! tar --version 2>/dev/null | grep -q 'GNU tar'; then
    if command -v gtar >/dev/null 2>&1; then
        TAR=gtar
    else
        echo "package.sh: GNU tar is required (install it as tar or gtar)" >&2
        exit 1
    fi
fi

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

# pack NAME VERSION DIR [TAR OPTIONS...]: writes OUT/NAME-VERSION.tar.gz and prints its line.
pack() {
    name=$1 version=$2 dir=$3
    shift 3
    artifact=$OUT/$name-$version.tar.gz
    LC_ALL=C "$TAR" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        --format=gnu --mode=go-w --exclude=__pycache__ --exclude='*.pyc' \
        --exclude=index.html --exclude='*.tmp' --exclude=PREVIOUS "$@" \
        -C "$dir" -cf - . | gzip -n -9 >"$artifact.tmp"
    mv -f "$artifact.tmp" "$artifact"
    echo "$name $version $(sha256 "$artifact") $artifact"
}

for component in $COMPONENTS; do
    dir=$EXAMPLES/$component
    version=$(tr -d ' \t\r\n' <"$dir/VERSION")
    [ -n "$version" ] || { echo "package.sh: $dir/VERSION is empty" >&2; exit 1; }
    pack "$component" "$version" "$dir"
done

if [ -f "$EXAMPLES/db/PREVIOUS" ]; then
    read -r previous cutoff <"$EXAMPLES/db/PREVIOUS"
    set --
    for file in "$EXAMPLES"/db/migrations/[VU]*.sql "$EXAMPLES"/db/migrations/deferred/V*.sql; do
        [ -f "$file" ] || continue
        base=${file##*/}
        number=$(echo "$base" | sed 's/^[VU]\([0-9]*\).*/\1/')
        if [ "$number" -ge "$cutoff" ]; then
            set -- "$@" "--exclude=$base"
        fi
    done
    pack db-previous "$previous" "$EXAMPLES/db" "$@"
fi
