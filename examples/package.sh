#!/bin/sh
# Builds the artifact of each sample component: OUT_DIR/<component>-<version>.tar.gz,
# a gzip'ed tar of the component folder's contents (no leading folder).
# The output is deterministic (sorted names, fixed mtime/owner/mode, no gzip
# timestamp), so the same sources always give the same bytes and checksum.
# Prints one line per artifact: <component> <version> <sha256> <path>
# Usage: examples/package.sh OUT_DIR   (works from any directory; needs GNU tar)
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
EXAMPLES=$(cd "$(dirname "$0")" && pwd -P)
mkdir -p "$1"
OUT=$(cd "$1" && pwd -P)
COMPONENTS="archive webview publishing"

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

for component in $COMPONENTS; do
    dir=$EXAMPLES/$component
    version=$(tr -d ' \t\r\n' <"$dir/VERSION")
    [ -n "$version" ] || { echo "package.sh: $dir/VERSION is empty" >&2; exit 1; }
    artifact=$OUT/$component-$version.tar.gz
    LC_ALL=C "$TAR" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        --format=gnu --mode=go-w --exclude=__pycache__ --exclude='*.pyc' \
        --exclude=index.html --exclude='*.tmp' \
        -C "$dir" -cf - . | gzip -n -9 >"$artifact.tmp"
    mv -f "$artifact.tmp" "$artifact"
    echo "$component $version $(sha256 "$artifact") $artifact"
done
